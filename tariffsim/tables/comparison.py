"""Compare two scenarios: which rules differ, how the rate paths differ, which events differ.

The answer to "what changes if..." is the difference of two runs over one common horizon,
with the rule changes that explain it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from tariffsim.products import DEFAULT_WEIGHTS
from tariffsim.scenario.loading import Scenario, load_scenario
from tariffsim.simulation import simulate
from tariffsim.tables.results import SimulationResult

_ITEM_LISTS = ("measures", "moves", "triggers", "stacking", "flags")


@dataclass
class Comparison:
    """Two runs over one horizon, and their differences."""

    a: SimulationResult
    b: SimulationResult

    @property
    def rates(self) -> pd.DataFrame:
        """Both paths on every day either changes: date, imposer, target, headline_a,
        headline_b, headline_diff, effective_a, effective_b, effective_diff (b minus a)."""
        days = np.union1d(self.a.starts, self.b.starts)
        out = self.a.rates_at_ordinals(days).merge(
            self.b.rates_at_ordinals(days),
            how="outer",
            on=["date", "imposer", "target"],
            suffixes=("_a", "_b"),
        )
        for col in ("headline", "effective"):
            out[f"{col}_diff"] = out[f"{col}_rate_b"] - out[f"{col}_rate_a"]
        out = out.rename(columns=lambda c: c.replace("_rate_", "_"))
        changed = (
            out.groupby(["imposer", "target"])[["headline_diff", "effective_diff"]]
            .diff()
            .abs()
            .max(axis=1)
            .fillna(1)
            > 1e-12
        )
        first = ~out.duplicated(["imposer", "target"])
        keep = first | changed
        cols = [
            "date",
            "imposer",
            "target",
            "headline_a",
            "headline_b",
            "headline_diff",
            "effective_a",
            "effective_b",
            "effective_diff",
        ]
        return out[keep][cols].sort_values(["imposer", "target", "date"]).reset_index(drop=True)

    @property
    def rules(self) -> pd.DataFrame:
        """Items (by id, or by content for unnamed moves) found in only one scenario or
        written differently: kind, id, change ('only in a', 'only in b', 'changed')."""
        rows = []
        for kind in _ITEM_LISTS:
            items_a = _items(self.a.scenario, kind)
            items_b = _items(self.b.scenario, kind)
            for key in sorted(set(items_a) | set(items_b)):
                if key not in items_b:
                    change = "only in a"
                elif key not in items_a:
                    change = "only in b"
                elif items_a[key] != items_b[key]:
                    change = "changed"
                else:
                    continue
                rows.append(
                    {
                        "kind": kind.rstrip("s"),
                        "id": key,
                        "change": change,
                        "what": (items_b.get(key) or items_a[key]),
                    }
                )
        return pd.DataFrame(rows, columns=["kind", "id", "change", "what"])

    @property
    def events(self) -> pd.DataFrame:
        """Events logged in only one of the runs (a trigger that fired in one and not the
        other shows twice, once per side)."""
        cols = ["date", "kind", "id", "measure", "fired", "detail"]
        ea, eb = self.a.events[cols], self.b.events[cols]
        merged = ea.merge(eb, how="outer", indicator=True)
        merged = merged[merged["_merge"] != "both"]
        merged["side"] = merged["_merge"].map({"left_only": "a", "right_only": "b"}).astype(str)
        return merged.drop(columns="_merge").sort_values(["date", "side"]).reset_index(drop=True)


def _items(scenario: Scenario, kind: str) -> dict[str, str]:
    out = {}
    for item in getattr(scenario.spec, kind):
        text = json.dumps(
            item.model_dump(mode="json", by_alias=True, exclude_none=True), sort_keys=True
        )
        if item.id is not None:
            key = item.id
        else:
            target = getattr(item, "measure", "") or getattr(item, "flag", "")
            key = f"({item.kind} {target} {_day(item)})"
        out[key] = text
    return out


def _day(item: object) -> str:
    day = getattr(item, "date", None) or getattr(item, "from_", None)
    return day.isoformat() if isinstance(day, date) else ""


def compare(
    a: Scenario | str,
    b: Scenario | str,
    start: date | str | None = None,
    end: date | str | None = None,
    *,
    weights: str = DEFAULT_WEIGHTS,
) -> Comparison:
    """Run two scenarios over one horizon (by default the span of both) and compare them."""
    sa = a if isinstance(a, Scenario) else load_scenario(a)
    sb = b if isinstance(b, Scenario) else load_scenario(b)
    horizons = [s.spec.horizon for s in (sa, sb) if s.spec.horizon is not None]
    if start is None and horizons:
        start = min(h.start for h in horizons)
    if end is None and horizons:
        end = max(h.end for h in horizons)
    return Comparison(
        simulate(sa, start, end, weights=weights), simulate(sb, start, end, weights=weights)
    )
