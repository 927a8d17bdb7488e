"""Result tables of a simulation: tidy pandas DataFrames built from change-point arrays.

Rates are stored once per change point; daily tables are expanded only when asked for.
pandas is imported by the tables that return DataFrames, not with this module, so the
command line can print and write rates (`rate_table`) without it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from tariffsim.arguments import Direction, as_day, as_direction, direction_order, direction_text
from tariffsim.engine.events import Event, RunState, scheduled_events
from tariffsim.engine.timeline import IN_EFFECT
from tariffsim.engine.weighting import DirectionRates
from tariffsim.errors import Diagnostic, ScenarioError
from tariffsim.products import HS_SECTIONS
from tariffsim.scenario.loading import Scenario
from tariffsim.tables import explain
from tariffsim.tables.rate_table import RateTable, datetimes, rate_table
from tariffsim.tables.trade import layer_frame, trade_frame
from tariffsim.trade.flows import Flows, run_flows

if TYPE_CHECKING:
    import pandas as pd

SERIES_COLUMNS = ("headline_rate", "effective_rate")


def flat(days: tuple[Any, ...]) -> list[Any]:
    """Days given one by one or as lists, arrays or columns (a `DatetimeIndex`, a Series)."""
    out: list[Any] = []
    for day in days:
        many = isinstance(day, list | tuple) or getattr(day, "ndim", 0) == 1
        out.extend(day if many else [day])
    return out


def one_direction(
    direction: Any, imposer: str | None, target: str | None, valid: list[Direction]
) -> Direction:
    """The one direction asked for among `valid` (`arguments.as_direction`); asking for
    none is fine only when there is just one."""
    pair = as_direction(direction, imposer=imposer, target=target, valid=valid)
    if pair is not None:
        return pair
    if len(valid) != 1:
        listed = ", ".join(direction_text(p) for p in valid) or "none"
        raise ValueError(
            "a direction is needed here: give it as 'US-CN' or imposer=/target=; "
            f"the directions are: {listed}"
        )
    return valid[0]


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

    def direction(
        self, direction: Any = None, *, imposer: str | None = None, target: str | None = None
    ) -> DirectionRates:
        """The rates of one direction ("US-CN", any case, or `imposer=`/`target=`); with none
        given, the only one. An unknown direction, or none among several, is a ValueError
        listing the directions."""
        pair = one_direction(direction, imposer, target, self.pairs)
        return next(d for d in self.directions if (d.imposer, d.target) == pair)

    @property
    def pairs(self) -> list[Direction]:
        """The directions with rates (those of tariff measures), US-CN first
        (`arguments.direction_order`, the order of `directions`)."""
        return [(d.imposer, d.target) for d in self.directions]

    # ------------------------------------------------------------------ tables
    def rate_table(self, ordinals: np.ndarray | None = None) -> RateTable:
        """Rates on days given as proleptic ordinals (default: every day), as numpy columns."""
        return rate_table(
            self.directions, self.starts, self._days if ordinals is None else ordinals
        )

    @cached_property
    def changes(self) -> pd.DataFrame:
        """Rates at change points only: one row per direction and day on which a rate changes."""
        return self._label(self.rate_table(self.starts).changes().frame())

    def rates_at_ordinals(self, ordinals: np.ndarray) -> pd.DataFrame:
        """Rates on days given as proleptic ordinals (unlabelled; the comparison merges two)."""
        return self.rate_table(ordinals).frame()

    @cached_property
    def rates(self) -> pd.DataFrame:
        """Daily rates per direction: date, imposer, target, headline_rate, effective_rate."""
        return self._label(self.rate_table().frame())

    def ordinals(self, *days: Any) -> np.ndarray:
        """Days inside the horizon (checked) as proleptic ordinals: each argument a day in
        any type `arguments.as_day` reads, or a list, array or column of them."""
        return np.array([self.check_day(d).toordinal() for d in flat(days)], dtype=np.int64)

    def at(self, *days: Any) -> pd.DataFrame:
        """The rates on a day: `result.at("2025-11-10")` is one row per direction (US-CN
        first), with the columns of `rates` (date, imposer, target, headline_rate,
        effective_rate). A day is text (YYYY-MM-DD), a `date`, `datetime`, `pd.Timestamp`
        or `np.datetime64`, inside the simulated horizon.

        Several days (`at("2025-11-01", "2025-11-10")`, or a list or column of days such as
        `result.events.date`) give the same frame, direction by direction, each
        direction's days in the order given.
        """
        table = rate_table(self.directions, self.starts, self.ordinals(*days))
        return self._label(table.frame())

    def series(
        self,
        direction: Any = None,
        column: str = "effective_rate",
        *,
        imposer: str | None = None,
        target: str | None = None,
    ) -> pd.Series:
        """One direction's daily rate over the horizon: a `pd.Series` on a `DatetimeIndex`
        named "date", itself named by the direction and column ("US-CN effective_rate").
        `column` is "headline_rate" or "effective_rate"; the direction may be left out
        when there is only one."""
        import pandas as pd

        if column not in SERIES_COLUMNS:
            listed = ", ".join(SERIES_COLUMNS)
            raise ValueError(f"'{column}' is not a rate column; the columns are: {listed}")
        d = self.direction(direction, imposer=imposer, target=target)
        values = d.headline if column == "headline_rate" else d.effective
        days = self._days
        out = pd.Series(
            np.asarray(values, dtype=float)[self._segment_of(days)],
            index=datetimes(days).rename("date"),
            name=f"{direction_text((d.imposer, d.target))} {column}",
        )
        out.attrs.update(scenario=self.scenario.name, weights=self.weights)
        return out

    def check_day(self, day: Any) -> date:
        """A day inside the horizon, in any type `arguments.as_day` reads. A bad one is a
        ScenarioError naming the argument (not the scenario file: it is not at fault)."""
        day = as_day(day)
        if not self.start <= day <= self.end:
            message = f"{day} is outside the simulated days {self.start} to {self.end}"
            raise ScenarioError([Diagnostic("day", 0, 0, message)])
        return day

    def segment(self, day: date) -> int:
        """The change-point segment `day` falls in."""
        return int(self._segment_of(np.array([day.toordinal()]))[0])

    @cached_property
    def layers(self) -> pd.DataFrame:
        """Daily contribution of each layer in force (MFN included); contributions sum to
        the effective rate. Columns: date, imposer, target, measure, rate, coverage,
        contribution."""
        import pandas as pd

        days = self._days
        seg = self._segment_of(days)
        parts, owner = [], []  # owner: the index in `directions` of each part's direction
        for i, d in enumerate(self.directions):
            owner.append(i)
            parts.append(
                pd.DataFrame(
                    {
                        "date": datetimes(days),
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
                owner.append(i)
                parts.append(
                    pd.DataFrame(
                        {
                            "date": datetimes(days[force]),
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
        # by direction (in `directions`' order), then day; a day's layers as appended
        rank = np.repeat(owner, [len(p) for p in parts])
        order = np.lexsort((out["date"].to_numpy(), rank))
        return self._label(out.iloc[order].reset_index(drop=True))

    def event_log(self) -> list[Event]:
        """Events within the horizon in the order they happen: within a day, what the
        schedule brings first, then moves and triggers as applied."""
        return [e for e, _ in self.categorised_events()]

    def categorised_events(self) -> list[tuple[Event, str]]:
        """The event log with each event's category: "scheduled" (a start, deadline,
        expiry or step the schedule brings), "move" or "trigger"."""
        inside = range(self.start.toordinal(), self.end.toordinal() + 1)
        scheduled = scheduled_events(self.scenario.spec, self.state.timelines)
        rows = [(e.date, 0, i, e, "scheduled") for i, e in enumerate(scheduled)]
        rows += [
            (e.date, 1, i, e, "trigger" if e.kind == "trigger" else "move")
            for i, e in enumerate(self.state.events)
        ]
        rows = [row for row in rows if row[0].toordinal() in inside]
        return [(e, category) for *_, e, category in sorted(rows, key=lambda row: row[:3])]

    @cached_property
    def events(self) -> pd.DataFrame:
        """Moves applied, triggers evaluated (fired or not, and why) and deadlines reached:
        date, kind (the move kind, "trigger", "start", "deadline", "expiry" or "step"),
        category ("move", "trigger" or "scheduled"), id, measure, fired, detail, and
        sources (a list of source ids)."""
        import pandas as pd

        rows = self.categorised_events()
        return pd.DataFrame(
            {
                "date": pd.to_datetime([e.date for e, _ in rows]),
                "kind": [e.kind for e, _ in rows],
                "category": [category for _, category in rows],
                "id": [e.id for e, _ in rows],
                "measure": [e.measure for e, _ in rows],
                "fired": [e.fired for e, _ in rows],
                "detail": [e.detail for e, _ in rows],
                "sources": [list(e.sources) for e, _ in rows],
            }
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
        day: Any,
        direction: Any = None,
        *,
        imposer: str | None = None,
        target: str | None = None,
        product: str | None = None,
    ) -> pd.DataFrame:
        """Every layer on `day`: its state, rate, the rule that stacked it, its sources;
        per direction (US-CN first, or only the one asked for: "US-CN", any case, or
        `imposer=`/`target=`), the tariff layers then the non-tariff measures.

        With `product` (an HS code or prefix), one row per product line and layer, saying
        whether the layer applies to that line and which rule included or excluded it,
        then the line's total.

        Both forms have the same columns (`tables.explain.COLUMNS`): imposer, target,
        product, description, measure, name, authority, legal, status, applies, rate,
        coverage, contribution, rule, sources. A column that does not apply is blank: without
        a product, product and description are "" and applies is NaN; with one, coverage and
        contribution (trade-weighted figures) are NaN.
        """
        day = self.check_day(day)
        valid = direction_order((x.imposer, x.target) for x in self.scenario.spec.measures)
        pair = as_direction(direction, imposer=imposer, target=target, valid=valid)
        return explain.table(self, day, [pair] if pair else valid, product)

    def product_rates(
        self,
        day: Any,
        direction: Any = None,
        *,
        imposer: str | None = None,
        target: str | None = None,
    ) -> pd.DataFrame:
        """Total duty on every product line of one direction on `day` (MFN included):
        product, description, weight, rate. The direction ("US-CN", or `imposer=`/`target=`)
        may be left out only when the scenario has one."""
        import pandas as pd

        seg = self.segment(self.check_day(day))
        d = self.direction(direction, imposer=imposer, target=target)
        return pd.DataFrame(
            {
                "product": d.universe.codes,
                "description": d.universe.descriptions,
                "weight": d.universe.weights,
                "rate": d.stack.line_rates(seg),
            }
        )

    def by_section(self, *days: Any) -> pd.DataFrame:
        """Trade-weighted effective rate per HS section, on the given days (default: every
        change point). Columns: date, imposer, target, section, name, trade_share,
        effective_rate."""
        import pandas as pd

        ords = self.ordinals(*days) if days else self.starts
        rows = []
        for d in self.directions:
            sections = d.universe.sections
            w = d.universe.weights
            share = np.bincount(sections, weights=w, minlength=len(HS_SECTIONS))
            present = np.flatnonzero(share > 0)
            for day, seg in zip(datetimes(ords), self._segment_of(ords), strict=True):
                rates = d.stack.line_rates(int(seg))
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

    @cached_property
    def flows(self) -> list[Flows]:
        """Imports and duty per direction with imports answering duty (`trade.flows`)."""
        return self._flows(layers=False)

    def _flows(self, *, layers: bool) -> list[Flows]:
        stacks = [d.stack for d in self.directions]
        span, spec, timelines = (self.start, self.end), self.scenario.spec, self.state.timelines
        return run_flows(spec, timelines, stacks, span, self.weights, layers=layers)

    @cached_property
    def trade(self) -> pd.DataFrame:
        """Daily imports and revenue per direction (`tables.trade.trade_frame`), US dollars
        a year; elasticities: the scenario's `response`, else `trade.elasticities`."""
        return self._label(trade_frame(self.flows, self._days))

    @cached_property
    def trade_layers(self) -> pd.DataFrame:
        """Duty per layer (MFN, each measure) on the days it changes: date, imposer,
        target, layer, duty_pre, duty."""
        return self._label(layer_frame(self._flows(layers=True)))

    def _label(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Record on a table which scenario and base-year weights produced it."""
        frame.attrs.update(scenario=self.scenario.name, weights=self.weights)
        return frame
