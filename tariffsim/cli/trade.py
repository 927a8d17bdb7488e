"""`tariffsim run --trade`: imports and duty revenue in the report, and the trade table
(or its bands) as the CSV outputs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from tariffsim.cli import render
from tariffsim.trade.elasticities import describe

if TYPE_CHECKING:
    import pandas as pd

    from tariffsim.scenario.response import Response

HEADER = ["date", "imports", "duty pre", "duty post", "effective", "post"]
MAX_ROWS = 40
SHOWN = 5e7  # a change of at least $0.05B a year shows in the table
WIDTH = max(len(h) for h in HEADER[1:])


def billions(value: float) -> str:
    return f"{value / 1e9:,.1f}"


def trade_lines(
    trade: pd.DataFrame, response: Response | None, at: Sequence[date] = ()
) -> list[str]:
    """Per direction: imports, duty before and after imports respond, and the effective
    rates each gives, on the `at` days, else on the first day and each day one changes
    (at most MAX_ROWS, then the last day)."""
    lines = [
        "Imports and duty revenue, US$ billion a year; rates in percent. Pre-substitution:",
        "on base-year imports; post: on imports after they respond to duty.",
        f"Elasticities: {describe(response)}.",
    ]
    wanted = {np.datetime64(d, "D") for d in at}
    for (imposer, target), rows in render.in_order(
        trade.groupby(["imposer", "target"], sort=False), lambda key: key
    ):
        days = rows.date.to_numpy().astype("datetime64[D]")
        if wanted:
            keep = np.isin(days, list(wanted))
        else:
            values = rows[["imports", "duty", "duty_pre"]].to_numpy()
            keep = np.r_[True, np.any(np.abs(np.diff(values, axis=0)) >= SHOWN, axis=1)]
            if keep.sum() > MAX_ROWS:
                keep[np.flatnonzero(keep)[MAX_ROWS:]] = False
            keep[-1] = True
        chosen = rows[keep]
        cells = [  # padded alike, so both directions' columns line up
            [
                str(day)[:10],
                *(f"{billions(v):>{WIDTH}}" for v in (r.imports, r.duty_pre, r.duty)),
                *(f"{render.pct(v):>{WIDTH}}" for v in (r.effective_rate, r.effective_rate_post)),
            ]
            for day, r in zip(chosen.date, chosen.itertuples(), strict=True)
        ]
        base = rows.base_imports.iloc[0]
        lines += [
            f"{imposer}→{target} (base-year imports {billions(base)})",
            *render.table(HEADER, cells, "<>>>>>", "  "),
        ]
    return lines


MONEY = ("base_imports", "imports", "duty", "duty_pre")


def in_dollars(frame: pd.DataFrame) -> pd.DataFrame:
    """A trade table for CSV: money in whole US dollars (rates keep their decimals)."""
    money = [name for name in MONEY if name in frame.columns]
    return frame.assign(**{name: frame[name].round().astype("int64") for name in money})
