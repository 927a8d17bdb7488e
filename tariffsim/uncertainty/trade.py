"""Trade and revenue of an uncertain scenario: each path's daily imports and duty
(`SimulationResult.flows`) stacked as (paths, days) arrays per direction, summed up as the
probability-weighted expected values and the quantile bands of `uncertainty.results`
(same rule: the smallest value whose cumulative probability reaches q)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from tariffsim.tables.rate_table import datetimes
from tariffsim.tables.trade import TRADE_COLUMNS, trade_arrays
from tariffsim.trade.flows import Flows

if TYPE_CHECKING:
    import pandas as pd

Stacked = dict[tuple[str, str], dict[str, np.ndarray]]

BAND_COLUMNS = ("imports", "duty", "effective_rate_post")
TRADE_QUANTILE_COLUMNS = ("date", "imposer", "target", "quantile", *BAND_COLUMNS)


def stacked_trade(paths: Sequence[list[Flows]], days: np.ndarray) -> Stacked:
    """Per direction, per column of `trade`: the paths' daily values (paths, days); each
    path given as its flows, one per direction in the same order."""
    out: Stacked = {}
    for k, first in enumerate(paths[0]):
        columns = [trade_arrays(flows[k], days) for flows in paths]
        out[(first.imposer, first.target)] = {
            name: np.stack([c[name] for c in columns]) for name in columns[0]
        }
    return out


def expected_trade(stacked: Stacked, probabilities: np.ndarray, days: np.ndarray) -> pd.DataFrame:
    """Daily expected imports, duty and rates per direction, with the columns of
    `SimulationResult.trade`; `effective_rate_post` is the expected duty over the expected
    imports (the rate the expected flows pay), not the mean of the paths' rates."""
    import pandas as pd

    parts = []
    for (imposer, target), columns in stacked.items():
        mean = {name: probabilities @ values for name, values in columns.items()}
        mean["effective_rate_post"] = np.divide(
            mean["duty"],
            mean["imports"],
            out=np.zeros_like(mean["duty"]),
            where=mean["imports"] > 0,
        )
        frame = {"date": datetimes(days), "imposer": imposer, "target": target, **mean}
        parts.append(pd.DataFrame(frame, columns=TRADE_COLUMNS))
    return pd.concat(parts, ignore_index=True)


def trade_quantiles(
    stacked: Stacked,
    days: np.ndarray,
    quantiles: Sequence[float],
    quantile_of: Callable[[np.ndarray], np.ndarray],
) -> pd.DataFrame:
    """date, imposer, target, quantile, imports, duty, effective_rate_post: per direction
    and day, one row per quantile (ascending); `quantile_of` maps (paths, days) values to
    (quantiles, days)."""
    import pandas as pd

    n = len(quantiles)
    parts = []
    for (imposer, target), columns in stacked.items():
        bands = {name: quantile_of(columns[name]).T.ravel() for name in BAND_COLUMNS}
        frame = {
            "date": datetimes(np.repeat(days, n)),
            "imposer": imposer,
            "target": target,
            "quantile": np.tile(quantiles, len(days)),
            **bands,
        }
        parts.append(pd.DataFrame(frame, columns=TRADE_QUANTILE_COLUMNS))
    return pd.concat(parts, ignore_index=True)
