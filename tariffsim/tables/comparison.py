"""Compare two scenarios: which rules differ, how the rate paths differ, which events differ,
and how much each measure moves one scenario's rates to the other's on a day.

The answer to "what changes if..." is the difference of two runs over one common horizon,
with the rule changes that explain it. A direction with tariff measures in only one scenario
is, in the other, MFN alone (headline 0; effective the MFN of the same product universe).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from tariffsim.arguments import Direction, as_day, as_direction, direction_order
from tariffsim.errors import Diagnostic, ScenarioError
from tariffsim.products import DEFAULT_WEIGHTS, ProductUniverse
from tariffsim.scenario.loading import Scenario, load_scenario
from tariffsim.simulation import simulate
from tariffsim.tables.attribution import PAIR_COLUMNS, attribution_frame, totals_frame
from tariffsim.tables.results import SimulationResult
from tariffsim.uncertainty.tree import ONE_PATH, is_uncertain

_ITEM_LISTS = ("measures", "moves", "triggers", "stacking", "flags")


@dataclass
class Comparison:
    """Two runs over one horizon, and their differences."""

    a: SimulationResult
    b: SimulationResult

    @property
    def rates(self) -> pd.DataFrame:
        """Both paths on the first day and on each day their difference changes: date,
        imposer, target, headline_a, headline_b, headline_diff, effective_a, effective_b,
        effective_diff (b minus a); directions in `direction_order`."""
        out = self.paths(np.union1d(self.a.starts, self.b.starts))
        changed = (
            out.groupby(["imposer", "target"], sort=False)[["headline_diff", "effective_diff"]]
            .diff()
            .abs()
            .max(axis=1)
            .fillna(1)
            > 1e-12
        )
        first = ~out.duplicated(["imposer", "target"])
        return out[first | changed].reset_index(drop=True)

    @property
    def daily(self) -> pd.DataFrame:
        """Both paths on every compared day (the days `tariffsim run --csv` writes), in the
        columns of `rates`."""
        return self.paths(np.arange(self.a.start.toordinal(), self.a.end.toordinal() + 1))

    def paths(self, ordinals: np.ndarray) -> pd.DataFrame:
        """Both paths on the days `ordinals` (proleptic, sorted), in the columns of `rates`."""
        out = self.a.rates_at_ordinals(ordinals).merge(
            self.b.rates_at_ordinals(ordinals),
            how="outer",
            on=["date", "imposer", "target"],
            suffixes=("_a", "_b"),
        )
        out = out.rename(columns=lambda c: c.replace("_rate_", "_"))
        for side, other in (("a", self.b), ("b", self.a)):  # a direction one run lacks
            for d in other.directions:
                missing = (out.imposer == d.imposer) & (out.target == d.target)
                missing &= out[f"headline_{side}"].isna()
                out.loc[missing, [f"headline_{side}", f"effective_{side}"]] = (0.0, d.mfn)
        for col in ("headline", "effective"):
            out[f"{col}_diff"] = out[f"{col}_b"] - out[f"{col}_a"]
        rank = {
            p: i for i, p in enumerate(direction_order(zip(out.imposer, out.target, strict=True)))
        }
        out["_rank"] = [rank[p] for p in zip(out.imposer, out.target, strict=True)]
        out = out.sort_values(["_rank", "date"], kind="stable")
        return out[PAIR_COLUMNS].reset_index(drop=True)

    # ------------------------------------------------------------------ on one day
    def attribution(
        self,
        day: Any,
        direction: Any = None,
        *,
        imposer: str | None = None,
        target: str | None = None,
    ) -> pd.DataFrame:
        """How much each measure moves A's rates to B's on `day` (any date type), per
        direction (all, or one given as "US-CN" or imposer=/target=): imposer, target,
        measure, name, group (its headline group), rate_a, rate_b (its rate where in
        force), headline_change, effective_change (B minus A, fractions). Directions in
        `direction_order`, then the largest changes first; measures that change neither
        column are left out. Per direction the changes sum to `at(day)`'s differences, to
        rounding; `tariffsim.tables.attribution` says how headline groups and MFN count."""
        when, pair = self.day_and_direction(day, direction, imposer, target)
        return attribution_frame(self.a, self.b, when, pair)

    def at(
        self,
        day: Any,
        direction: Any = None,
        *,
        imposer: str | None = None,
        target: str | None = None,
    ) -> pd.DataFrame:
        """Both runs' rates on `day` and B minus A, per direction, in the columns of
        `rates`: the totals `attribution(day)` splits."""
        when, pair = self.day_and_direction(day, direction, imposer, target)
        return totals_frame(self.a, self.b, when, pair)

    def day_and_direction(
        self, day: Any, direction: Any, imposer: str | None, target: str | None
    ) -> tuple[date, Direction | None]:
        """A day inside both runs, and the direction asked for (None: all)."""
        when = self.b.check_day(self.a.check_day(day))
        valid = [(d.imposer, d.target) for d in (*self.a.directions, *self.b.directions)]
        return when, as_direction(direction, imposer=imposer, target=target, valid=valid)

    @property
    def key_day(self) -> date:
        """The last day both scenarios describe: the earlier of their horizons' ends, kept
        within the compared days (the last compared day when neither has a horizon). What
        `tariffsim compare` attributes unless given --date."""
        horizons = [s.spec.horizon for s in (self.a.scenario, self.b.scenario)]
        last = min((h.end for h in horizons if h is not None), default=self.a.end)
        return min(max(last, self.a.start), self.a.end)

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
    start: Any = None,
    end: Any = None,
    *,
    weights: str = DEFAULT_WEIGHTS,
    universes: Mapping[tuple[str, str], ProductUniverse] | None = None,
) -> Comparison:
    """Run two scenarios over one horizon (by default the span of both) and compare them.
    `weights` and `universes` are passed to both runs (see `simulate`)."""
    start = as_day(start, "start") if start is not None else None
    end = as_day(end, "end") if end is not None else None
    sa = a if isinstance(a, Scenario) else load_scenario(a)
    sb = b if isinstance(b, Scenario) else load_scenario(b)
    horizons = [s.spec.horizon for s in (sa, sb) if s.spec.horizon is not None]
    if start is None and horizons:
        start = min(h.start for h in horizons)
    if end is None and horizons:
        end = max(h.end for h in horizons)
    for s in (sa, sb):
        if is_uncertain(s):
            raise ScenarioError([Diagnostic(str(s.path), 0, 0, ONE_PATH % "compared")])
    return Comparison(
        simulate(sa, start, end, weights=weights, universes=universes),
        simulate(sb, start, end, weights=weights, universes=universes),
    )
