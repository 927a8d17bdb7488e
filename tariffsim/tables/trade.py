"""Trade and revenue tables of a run (`result.trade`, `result.trade_layers`), built from
the per-direction flows of `tariffsim.trade.flows`: US dollars a year, rates as fractions."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from tariffsim.tables.rate_table import datetimes
from tariffsim.trade.flows import Flows

if TYPE_CHECKING:
    import pandas as pd

TRADE_COLUMNS = (
    "date",
    "imposer",
    "target",
    "base_imports",
    "imports",
    "duty",
    "duty_pre",
    "effective_rate",
    "effective_rate_post",
)
LAYER_COLUMNS = ("date", "imposer", "target", "layer", "duty_pre", "duty")


def trade_arrays(f: Flows, ordinals: np.ndarray) -> dict[str, np.ndarray]:
    """One direction's trade columns on days given as ordinals (from the run's start on)."""
    row = f.at(ordinals)
    imports, duty, duty_pre = f.imports[row], f.duty[row], f.duty_pre[row]
    return {
        "base_imports": np.full(len(row), f.base_imports),
        "imports": imports,
        "duty": duty,
        "duty_pre": duty_pre,
        "effective_rate": duty_pre / f.base_imports,
        "effective_rate_post": np.divide(duty, imports, out=np.zeros_like(duty), where=imports > 0),
    }


def trade_frame(flows: list[Flows], ordinals: np.ndarray) -> pd.DataFrame:
    """One row per direction and day: base-year and responded imports, duty on each
    (`duty` post-, `duty_pre` pre-substitution) and the effective rates they give
    (`effective_rate` weighted by base-year imports, as in `rates`; `effective_rate_post`
    by responded imports)."""
    import pandas as pd

    parts = [
        pd.DataFrame(
            {
                "date": datetimes(ordinals),
                "imposer": f.imposer,
                "target": f.target,
                **trade_arrays(f, ordinals),
            },
            columns=TRADE_COLUMNS,
        )
        for f in flows
    ]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=TRADE_COLUMNS)


def layer_frame(flows: list[Flows]) -> pd.DataFrame:
    """Duty per layer (MFN, then each measure, its scope versions summed), pre- and
    post-substitution, on the days it changes; layers that collect nothing are left out."""
    import pandas as pd

    parts = []
    for f in flows:
        if f.layer_duty is None or f.layer_duty_pre is None:
            raise ValueError("flows computed without layers: use direction_flows(layers=True)")
        names = list(dict.fromkeys(f.layers))
        col_of = np.array([names.index(x) for x in f.layers])
        post = np.zeros((len(f.days), len(names)))
        pre = np.zeros_like(post)
        np.add.at(post.T, col_of, f.layer_duty.T)
        np.add.at(pre.T, col_of, f.layer_duty_pre.T)
        row, col = np.nonzero((post != 0) | (pre != 0))
        parts.append(
            pd.DataFrame(
                {
                    "date": datetimes(f.days[row]),
                    "imposer": f.imposer,
                    "target": f.target,
                    "layer": np.array(names, dtype=object)[col],
                    "duty_pre": pre[row, col],
                    "duty": post[row, col],
                },
                columns=LAYER_COLUMNS,
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=LAYER_COLUMNS)
