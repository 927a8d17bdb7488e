"""Result tables of a simulation: tidy pandas DataFrames built from change-point arrays.

Rates are stored once per change point; daily tables are expanded only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tariffsim.engine.clock import DirectionRates, Event, RunState, pct_text
from tariffsim.engine.timeline import IN_EFFECT
from tariffsim.errors import Diagnostic, ScenarioError
from tariffsim.products import HS_SECTIONS
from tariffsim.scenario.loading import Scenario
from tariffsim.scenario.values import parse_day

if TYPE_CHECKING:
    from collections.abc import Iterator

RATE_COLUMNS = ["date", "imposer", "target", "headline_rate", "effective_rate"]


def _dates(ordinals: np.ndarray) -> pd.DatetimeIndex:
    """Proleptic ordinals to datetime64 days (ordinal 719163 is 1970-01-01)."""
    return pd.to_datetime((ordinals - 719163).astype("int64"), unit="D")


@dataclass
class SimulationResult:
    """What `tariffsim.simulate` returns. Tables are computed on first access."""

    scenario: Scenario
    state: RunState
    start: date
    end: date
    starts: np.ndarray  # change-point days (ordinals), first == start
    directions: list[DirectionRates]
    weights: str

    # ------------------------------------------------------------------ helpers
    @property
    def _days(self) -> np.ndarray:
        return np.arange(self.start.toordinal(), self.end.toordinal() + 1, dtype=np.int64)

    def _segment_of(self, ordinals: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.starts, ordinals, side="right") - 1

    def direction(self, imposer: str, target: str) -> DirectionRates:
        for d in self.directions:
            if (d.imposer, d.target) == (imposer, target):
                return d
        raise KeyError(f"{imposer}→{target} is not in this scenario")

    # ------------------------------------------------------------------ tables
    @cached_property
    def changes(self) -> pd.DataFrame:
        """Rates at change points only: one row per direction and day on which a rate changes."""
        frame = self._rates_at(self.starts)
        keep = frame.groupby(["imposer", "target"])[["headline_rate", "effective_rate"]].diff()
        first = ~frame.duplicated(["imposer", "target"])
        changed = first | (keep.abs() > 1e-12).any(axis=1)
        return self._label(frame[changed].reset_index(drop=True))

    def _rates_at(self, ordinals: np.ndarray) -> pd.DataFrame:
        seg = self._segment_of(ordinals)
        parts = [
            pd.DataFrame(
                {
                    "date": _dates(ordinals),
                    "imposer": d.imposer,
                    "target": d.target,
                    "headline_rate": d.headline[seg],
                    "effective_rate": d.effective[seg],
                }
            )
            for d in self.directions
        ]
        if not parts:
            return pd.DataFrame(columns=RATE_COLUMNS)
        return pd.concat(parts, ignore_index=True)[RATE_COLUMNS]

    @cached_property
    def rates(self) -> pd.DataFrame:
        """Daily rates per direction: date, imposer, target, headline_rate, effective_rate."""
        return self._label(self._rates_at(self._days))

    def at(self, *days: date | str) -> pd.DataFrame:
        """Rates on chosen days (each must be inside the simulated horizon)."""
        ords = np.array([self._check_day(d).toordinal() for d in days], dtype=np.int64)
        return self._label(self._rates_at(ords))

    def _check_day(self, day: date | str) -> date:
        """A day inside the horizon; a bad one is a ScenarioError, like every user error."""
        if isinstance(day, str):
            try:
                day = parse_day(day)
            except ValueError as exc:
                raise ScenarioError([Diagnostic("day", 0, 0, str(exc).split("\n")[0])]) from None
        if not self.start <= day <= self.end:
            raise ScenarioError(
                [
                    self.scenario.origin(self.scenario.spec).diag(
                        f"{day} is outside the simulated days {self.start} to {self.end}"
                    )
                ]
            )
        return day

    @cached_property
    def layers(self) -> pd.DataFrame:
        """Daily contribution of each layer in force (MFN included); contributions sum to
        the effective rate. Columns: date, imposer, target, measure, rate, coverage,
        contribution."""
        days = self._days
        seg = self._segment_of(days)
        parts = []
        for d in self.directions:
            parts.append(
                pd.DataFrame(
                    {
                        "date": _dates(days),
                        "imposer": d.imposer,
                        "target": d.target,
                        "measure": "mfn",
                        "rate": np.nan,
                        "coverage": 1.0,
                        "contribution": d.mfn,
                    }
                )
            )
            for measure, cols in d.by_measure.items():
                force = d.in_force[:, cols].any(axis=1)[seg]
                if not force.any():
                    continue
                parts.append(
                    pd.DataFrame(
                        {
                            "date": _dates(days[force]),
                            "imposer": d.imposer,
                            "target": d.target,
                            "measure": measure,
                            "rate": d.rates[:, cols].sum(axis=1)[seg][force],
                            "coverage": d.coverage[:, cols].sum(axis=1)[seg][force],
                            "contribution": d.contribution[:, cols].sum(axis=1)[seg][force],
                        }
                    )
                )
        if not parts:
            return pd.DataFrame(
                columns=["date", "imposer", "target", "measure", "rate", "coverage", "contribution"]
            )
        out = pd.concat(parts, ignore_index=True)
        return self._label(
            out.sort_values(["imposer", "target", "date"], kind="stable").reset_index(drop=True)
        )

    @cached_property
    def events(self) -> pd.DataFrame:
        """Moves applied, triggers evaluated (fired or not, and why) and deadlines reached."""
        scheduled = [e for e in self._deadlines() if self.start <= e.date <= self.end]
        logged = [e for e in self.state.events if self.start <= e.date <= self.end]
        # within a day: what the schedule brings first, then moves and triggers as applied
        order = {id(e): (0, i) for i, e in enumerate(scheduled)}
        order.update({id(e): (1, i) for i, e in enumerate(logged)})
        rows = sorted(scheduled + logged, key=lambda e: (e.date, order[id(e)]))
        return pd.DataFrame(
            {
                "date": pd.to_datetime([e.date for e in rows]),
                "kind": [e.kind for e in rows],
                "id": [e.id for e in rows],
                "measure": [e.measure for e in rows],
                "fired": [e.fired for e in rows],
                "detail": [e.detail for e in rows],
                "sources": [", ".join(e.sources) for e in rows],
            }
        )

    def _deadlines(self) -> Iterator:
        for ms in self.scenario.spec.measures:
            tl = self.state.timelines[ms.id]
            if (
                ms.status in ("in_force", "suspended")
                and tl.base
                and tl.base.first()[0] == ms.from_
                and tl.base.first()[1] is not None
            ):
                what = f"at {pct_text(tl.base.first()[1])}" if tl.is_tariff else "(non-tariff)"
                yield Event(
                    ms.from_,
                    "start",
                    ms.id,
                    ms.id,
                    True,
                    f"{ms.name} enters into force {what}",
                    tuple(ms.sources),
                )
            for s in tl.suspensions:
                if s.until is not None and tl.legal_rate(s.until) is not None:
                    back = (
                        f"returns to {pct_text(tl.rate(s.until))}"
                        if tl.is_tariff
                        else "in force again"
                    )
                    yield Event(
                        s.until,
                        "deadline",
                        s.id,
                        ms.id,
                        True,
                        f"suspension ends: {ms.id} {back}",
                        tuple(ms.sources),
                    )
            if (
                tl.until is not None
                and tl.base
                and tl.base.first()[0] < tl.until
                and tl.legal_rate(tl.until - timedelta(days=1)) is not None
            ):
                yield Event(
                    tl.until, "expiry", ms.id, ms.id, True, f"{ms.id} expires", tuple(ms.sources)
                )
            for step in ms.steps:
                if tl.legal_rate(step.date) == step.rate:
                    yield Event(
                        step.date,
                        "step",
                        ms.id,
                        ms.id,
                        True,
                        f"scheduled step to {pct_text(step.rate)}",
                        tuple(step.sources or ms.sources),
                    )

    def spans(self, measure_id: str) -> list[tuple[date, date, str]]:
        """The periods within the horizon when a measure is in force or suspended:
        (first day, first day after, state)."""
        tl = self.state.timelines[measure_id]
        days = sorted({self.start, *(d for d in tl.change_days() if self.start < d <= self.end)})
        bounds = [*days, self.end + timedelta(days=1)]
        out: list[tuple[date, date, str]] = []
        for first, after in pairwise(bounds):
            state = self.status(measure_id, first)
            if state not in IN_EFFECT:
                continue
            if out and out[-1][2] == state and out[-1][1] == first:
                out[-1] = (out[-1][0], after, state)
            else:
                out.append((first, after, state))
        return out

    # ------------------------------------------------------------------ explain
    def status(self, measure_id: str, day: date) -> str:
        """A measure's state on a day, in words (`timeline.State`)."""
        return self.state.timelines[measure_id].state(day).value

    def explain(
        self,
        day: date | str,
        imposer: str | None = None,
        target: str | None = None,
        product: str | None = None,
    ) -> pd.DataFrame:
        """Every layer on `day`: its state, rate, the rule that stacked it, its sources.

        With `product` (an HS code or prefix), one row per product line and layer, saying
        whether the layer applies to that line and which rule included or excluded it.
        """
        day = self._check_day(day)
        seg = int(self._segment_of(np.array([day.toordinal()]))[0])
        rows = []
        for d in self.directions:
            if (imposer and d.imposer != imposer) or (target and d.target != target):
                continue
            rows.extend(
                self._explain_product(d, seg, day, product)
                if product
                else self._explain_direction(d, seg, day)
            )
        for ms in self.scenario.spec.measures:
            if ms.type != "non_tariff" or product:
                continue
            if (imposer and ms.imposer != imposer) or (target and ms.target != target):
                continue
            rows.append(
                {
                    "imposer": ms.imposer,
                    "target": ms.target,
                    "measure": ms.id,
                    "name": ms.name,
                    "authority": ms.authority,
                    "legal": ms.legal or "",
                    "status": self.status(ms.id, day),
                    "rate": np.nan,
                    "coverage": np.nan,
                    "contribution": np.nan,
                    "rule": "non-tariff measure: adds no ad-valorem rate",
                    "sources": ", ".join(ms.sources),
                }
            )
        return pd.DataFrame(rows)

    def _explain_direction(self, d: DirectionRates, seg: int, day: date) -> list[dict]:
        rows = [
            {
                "imposer": d.imposer,
                "target": d.target,
                "measure": "mfn",
                "name": "Most-favoured-nation duty",
                "authority": "tariff schedule",
                "legal": "",
                "status": "in force",
                "rate": np.nan,
                "coverage": 1.0,
                "contribution": d.mfn,
                "rule": f"trade-weighted over {len(d.universe):,} lines "
                f"({d.universe.weights_label} weights)",
                "sources": d.universe.source,
            }
        ]
        for j, col in enumerate(d.columns):
            if not (d.in_force[seg, j] or col.active[seg]):
                continue
            ms = self.scenario.measure(col.measure)
            status = self.status(ms.id, day)
            rules = d.rules_at(seg, j)
            rule = "additive" + (
                f" on {100 * col.value_share:g}% of value" if col.value_share < 1 else ""
            )
            rule += f"; not where {', '.join(rules)}" if rules else ""
            rows.append(
                {
                    "imposer": d.imposer,
                    "target": d.target,
                    "measure": ms.id,
                    "name": ms.name,
                    "authority": ms.authority,
                    "legal": ms.legal or "",
                    "status": status,
                    "rate": d.rates[seg, j],
                    "coverage": d.coverage[seg, j],
                    "contribution": d.contribution[seg, j],
                    "rule": rule,
                    "sources": ", ".join(ms.sources),
                }
            )
        return rows

    def _explain_product(self, d: DirectionRates, seg: int, day: date, code: str) -> list[dict]:
        lines = d.universe.find(code)
        rows = []
        for p in lines:
            total = float(d.universe.mfn[p])
            base = {
                "imposer": d.imposer,
                "target": d.target,
                "product": str(d.universe.codes[p]),
                "description": str(d.universe.descriptions[p]),
            }
            rows.append(
                {
                    **base,
                    "measure": "mfn",
                    "name": "Most-favoured-nation duty",
                    "status": "in force",
                    "applies": True,
                    "rate": total,
                    "rule": "MFN column of the tariff schedule",
                    "sources": d.universe.source,
                }
            )
            for j, col in enumerate(d.columns):
                if not col.active[seg]:
                    continue
                ms = self.scenario.measure(col.measure)
                status = self.status(ms.id, day)
                in_scope = bool(col.mask[p])
                applies, rule, fraction, hits = False, "", 1.0, []
                if not d.in_force[seg, j]:
                    rule = f"{status} on {day}"
                elif not in_scope:
                    rule = "product not in the measure's scope"
                else:
                    active = tuple(
                        r for r in self.scenario.spec.stacking if r.id in d.rules_at(seg, j)
                    )
                    hits = [(r, d.excluded_fraction(seg, (r,))[p]) for r in active]
                    hits = [(r, f) for r, f in hits if f > 0]
                    fraction = max((f for _, f in hits), default=0.0)
                    why = "; ".join(f"{r.id} ({r.description})" for r, _ in hits)
                    applies = fraction < 1
                    if not hits:
                        rule = "in scope; stacks additively"
                    elif applies:
                        rule = f"applies to {100 * (1 - fraction):g}% of value; rest under {why}"
                    else:
                        rule = f"excluded by {why}"
                    share = col.value_share * (1 - fraction)
                    if applies and share < 1 and not hits:
                        rule += f"; on {100 * share:g}% of value"
                rate = float(d.rates[seg, j]) * col.value_share * (1 - fraction) if applies else 0.0
                total += rate
                sources = dict.fromkeys([*ms.sources, *(s for r, _ in hits for s in r.sources)])
                rows.append(
                    {
                        **base,
                        "measure": ms.id,
                        "name": ms.name,
                        "status": status,
                        "applies": applies,
                        "rate": rate,
                        "rule": rule,
                        "sources": ", ".join(sources),
                    }
                )
            rows.append(
                {
                    **base,
                    "measure": "total",
                    "name": "Total duty",
                    "status": "",
                    "applies": True,
                    "rate": total,
                    "rule": "sum of the layers that apply",
                    "sources": "",
                }
            )
        return rows

    def _line_rates(self, d: DirectionRates, seg: int) -> np.ndarray:
        """Total duty on every product line of a direction in one segment (MFN included)."""
        total = d.universe.mfn.copy()
        for j, col in enumerate(d.columns):
            if not d.in_force[seg, j]:
                continue
            applies = col.mask * col.value_share
            rules = tuple(r for r in self.scenario.spec.stacking if r.id in d.rules_at(seg, j))
            if rules:
                applies = applies * (1 - d.excluded_fraction(seg, rules))
            total += d.rates[seg, j] * applies
        return total

    def product_rates(self, day: date | str, imposer: str, target: str) -> pd.DataFrame:
        """Total duty on every product line of a direction on `day` (MFN included)."""
        day = self._check_day(day)
        seg = int(self._segment_of(np.array([day.toordinal()]))[0])
        d = self.direction(imposer, target)
        return pd.DataFrame(
            {
                "product": d.universe.codes,
                "description": d.universe.descriptions,
                "weight": d.universe.weights,
                "rate": self._line_rates(d, seg),
            }
        )

    def by_section(self, *days: date | str) -> pd.DataFrame:
        """Trade-weighted effective rate per HS section, on the given days (default: every
        change point). Columns: date, imposer, target, section, name, trade_share,
        effective_rate."""
        ords = (
            np.array([self._check_day(x).toordinal() for x in days], dtype=np.int64)
            if days
            else self.starts
        )
        rows = []
        for d in self.directions:
            sections = d.universe.sections
            w = d.universe.weights
            share = np.bincount(sections, weights=w, minlength=len(HS_SECTIONS))
            present = np.flatnonzero(share > 0)
            for day, seg in zip(_dates(ords), self._segment_of(ords), strict=True):
                rates = self._line_rates(d, int(seg))
                weighted = np.bincount(sections, weights=w * rates, minlength=len(HS_SECTIONS))
                for i in present:
                    rows.append(
                        {
                            "date": day,
                            "imposer": d.imposer,
                            "target": d.target,
                            "section": HS_SECTIONS[i][0],
                            "name": HS_SECTIONS[i][1],
                            "trade_share": share[i],
                            "effective_rate": weighted[i] / share[i],
                        }
                    )
        return self._label(pd.DataFrame(rows))

    def _label(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Record on a table which scenario and base-year weights produced it."""
        frame.attrs.update(scenario=self.scenario.name, weights=self.weights)
        return frame
