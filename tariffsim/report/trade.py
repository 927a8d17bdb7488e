"""The report's trade and revenue table: imports and duty before and after substitution, in
US$ billion a year, on the first day, on each day a headline rate changes and on the last
day, a column group per direction (a scenario with branches: expected values)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from tariffsim.tables.results import SimulationResult
    from tariffsim.uncertainty.results import UncertainResult

    Result = SimulationResult | UncertainResult

COLUMNS = ("imports", "duty_pre", "duty")


def key_days(result: Result) -> list[date]:
    """The first day, each day the (expected) headline rate of a direction changes, and
    the last day."""
    from tariffsim.charts.fan import as_uncertain

    paths = as_uncertain(result)
    days = {result.start, result.end}
    for pair in paths.pairs:
        moved = np.abs(np.diff(paths.expected(pair, "headline_rate"))) > 1e-12
        days.update(result.start + timedelta(days=int(i) + 1) for i in np.flatnonzero(moved))
    return sorted(days)


def billions(value: float) -> str:
    return f"{value / 1e9:,.1f}"


def trade_rows(result: Result) -> dict[str, Any]:
    """The table: its directions ('US→CN'), base-year imports of each, and a row per key
    day with imports, duty before and duty after substitution of each direction."""
    import pandas as pd

    frame = result.trade.set_index(["date", "imposer", "target"])
    pairs = result.pairs
    rows = []
    for day in key_days(result):
        when = pd.Timestamp(day)
        cells = [billions(frame.loc[(when, *pair), c]) for pair in pairs for c in COLUMNS]
        rows.append({"date": day.isoformat(), "cells": cells})
    first = pd.Timestamp(result.start)
    return {
        "directions": [f"{a}→{b}" for a, b in pairs],
        "base": [f"{a}→{b} {billions(frame.loc[(first, a, b), 'base_imports'])}" for a, b in pairs],
        "rows": rows,
    }
