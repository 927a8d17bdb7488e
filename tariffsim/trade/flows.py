"""Imports and duty of one direction over time, with imports answering duty line by line:

    imports = base × ((1 + τ) / (1 + τ_base)) ** −ε

τ is the line's total duty (MFN included) on the day, τ_base its mean over the days of
the weights' base year, ε its elasticity. The exponent's log((1 + τ) / (1 + τ_base)) is the
line's *level*; imports follow it at once unless the scenario states a phase-in.

With a phase-in {months: share}, imports close the gap between where they stand when duty
changes and the new long-run level by `share` that many months after the change; the next
change starts from where imports then stand. Shares are steps, so imports stay piecewise
constant: they are computed on change days and on the days a step falls. A short spike
of duty thus moves imports only by the share reached before it ends, and imports always lie
between their level before a change and the level the change brings. The first change
point is taken as fully adjusted.

Duty is charged on the responded imports (post-substitution) and on the base-year imports
(pre-substitution); each layer's share of it comes from the stacker (`Stack.layer_duty`).
Work is done over blocks of days, so memory stays (block × lines) however long the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from tariffsim.engine.stacker import Stack, stack_direction
from tariffsim.engine.timeline import Timeline
from tariffsim.errors import DataError
from tariffsim.scenario import model as m
from tariffsim.trade.elasticities import line_elasticities

BLOCK = 64  # days per block of work: (BLOCK × lines) arrays at a time


@dataclass
class Flows:
    """One direction's trade at the days its imports or duty change (ordinals), USD a year."""

    imposer: str
    target: str
    days: np.ndarray  # (T,) ordinals, the first the run's start
    base_imports: float  # base-year imports, the weights
    imports: np.ndarray  # (T,) responded imports
    duty: np.ndarray  # (T,) duty on responded imports (post-substitution)
    duty_pre: np.ndarray  # (T,) duty on base-year imports (pre-substitution)
    # (T, layers) duty of each layer, MFN first, post- and pre-substitution; None unless
    # asked for (`direction_flows(layers=True)`)
    layer_duty: np.ndarray | None
    layer_duty_pre: np.ndarray | None
    layers: list[str]  # "mfn", then a measure id per stacker column
    base_rates: np.ndarray  # (lines,) τ_base
    base_duty: float  # duty at the base year's rates on its imports: the revenue check

    def at(self, ordinals: np.ndarray) -> np.ndarray:
        """Row of each day (ordinals on or after the first day) in the arrays above."""
        return np.searchsorted(self.days, ordinals, side="right") - 1


def base_year(weights_label: str) -> int:
    """The calendar year of the trade weights; the response is measured from its rates."""
    if not (weights_label.isdigit() and len(weights_label) == 4):
        raise DataError(
            f"the import response needs the base year of the trade weights, and "
            f"'{weights_label}' is not a year"
        )
    return int(weights_label)


def add_months(day: date, months: int) -> date:
    """`day` moved on by whole calendar months (the month's last day if it is shorter)."""
    if months == 0:
        return day
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, last)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def run_flows(
    spec: m.ScenarioSpec,
    timelines: dict[str, Timeline],
    stacks: list[Stack],
    span: tuple[date, date],
    weights: str,
    *,
    layers: bool,
) -> list[Flows]:
    """The flows of each direction of a run (with each layer's duty if `layers`)."""
    return [
        direction_flows(spec, timelines, stack, *span, weights, layers=layers) for stack in stacks
    ]


def direction_flows(
    spec: m.ScenarioSpec,
    timelines: dict[str, Timeline],
    run: Stack,
    start: date,
    end: date,
    weights: str,
    *,
    layers: bool = False,
) -> Flows:
    """Trade of the direction of the run's stack `run`, from `start` to `end` (both
    included); `run` itself serves when its change points reach back to the base year.
    The duty of each layer only with `layers` (it costs as much as the rest)."""
    universe = run.universe
    year = base_year(weights)
    grid = _change_points(spec, timelines, min(start, date(year, 1, 1)), end, {start})
    stack = run if np.array_equal(grid, run.starts) else _restacked(spec, timelines, run, grid)
    base_rates = _base_rates(stack, grid, year)
    response = spec.response
    eps = line_elasticities(universe, response)
    acc = _Accumulator(stack, np.log1p(base_rates), eps, layers)
    if response is None or not response.phase_in:
        acc.at_once(grid, start, end)
    else:
        acc.phased(grid, start, end, sorted(response.phase_in.items()))
    days, sums, layer, layer_pre = acc.tables()
    if not layers:
        layer = layer_pre = None
    values = universe.values
    return Flows(
        universe.imposer,
        universe.target,
        days,
        float(values.sum()),
        *sums,
        layer,
        layer_pre,
        ["mfn", *(c.measure for c in stack.columns)],
        base_rates,
        float(base_rates @ values),
    )


class _Accumulator:
    """Imports, duty (post and pre) and layer duty of the days a direction's trade changes,
    worked out in blocks of days: each day's grid row and log-shift of imports from base."""

    def __init__(self, stack: Stack, log_base: np.ndarray, eps: np.ndarray, layers: bool) -> None:
        self.stack, self.log_base, self.eps, self.layers = stack, log_base, eps, layers
        self.days: list[int] = []
        self.parts: list[tuple[np.ndarray, ...]] = []
        self._rows: list[int] = []
        self._shifts: list[np.ndarray] = []

    def at_once(self, grid: np.ndarray, start: date, end: date) -> None:
        """Imports at their long-run level on every change day from `start` to `end`; days
        whose duty states agree (in this direction) share one computation."""
        lo, hi = start.toordinal(), end.toordinal()
        days = grid[(grid >= lo) & (grid <= hi)]
        rows = np.searchsorted(grid, days, side="right") - 1
        unique, inverse = np.unique(self.stack.same_as[rows], return_inverse=True)
        for first in range(0, len(unique), BLOCK):
            block = unique[first : first + BLOCK]
            rates = self.stack.line_rate_rows(block)
            shift = np.log1p(rates)
            shift -= self.log_base
            self.parts.append(self._computed(block, rates, shift))
        self.days = days.tolist()
        self._inverse = inverse.ravel()

    def phased(
        self, grid: np.ndarray, start: date, end: date, reached: list[tuple[int, float]]
    ) -> None:
        """Imports closing the gap to each change's long-run level step by step. A change
        point where this direction's duty stays the same (the other direction changed)
        neither restarts nor stops the steps under way."""
        lo, hi = start.toordinal(), end.toordinal()
        levels = _Levels(self.stack, self.log_base)
        same_as = self.stack.same_as
        shift = before = target = levels.level(0)
        steps: list[tuple[int, float]] = []
        for c, day in enumerate(grid.tolist()):
            if c and same_as[c] != same_as[c - 1]:  # duty changed: a new gap to close
                before, target = shift, levels.level(c)
                steps = [
                    (add_months(date.fromordinal(day), months).toordinal(), share)
                    for months, share in reached
                ]
            nxt = int(grid[c + 1]) if c + 1 < len(grid) else hi + 1
            if lo <= day <= hi:
                self._emit(day, c, shift)
            for when, share in steps:
                if day <= when < nxt:
                    shift = target + (before - target) * (1 - share)
                    if lo <= when <= hi:
                        self._emit(when, c, shift)
        self._flush()
        self._inverse = np.arange(len(self.days))

    def _emit(self, day: int, row: int, shift: np.ndarray) -> None:
        if self.days and self.days[-1] == day:  # a later step on the same day replaces it
            self.days.pop()
            self._rows.pop()
            self._shifts.pop()
        self.days.append(day)
        self._rows.append(row)
        self._shifts.append(shift)
        if len(self._rows) >= BLOCK:
            self._flush()

    def _flush(self) -> None:
        if self._rows:
            rows = np.array(self._rows)
            rates = self.stack.line_rate_rows(rows)
            self.parts.append(self._computed(rows, rates, np.stack(self._shifts)))
            self._rows, self._shifts = [], []

    def _computed(self, rows: np.ndarray, rates: np.ndarray, shift: np.ndarray) -> tuple:
        """(imports, duty, duty_pre, layer duty, layer duty pre) for rows of duty `rates`
        and imports shifted from base by `shift` (overwritten)."""
        universe = self.stack.universe
        values = universe.values
        imports = shift
        imports *= -self.eps  # imports = values × exp(−ε × shift), in place
        np.exp(imports, out=imports)
        imports *= values
        layer = layer_pre = np.zeros((len(rows), 0))
        if self.layers:
            layer = np.empty((len(rows), 1 + len(self.stack.columns)))
            layer[:, 0] = imports @ universe.mfn
            layer[:, 1:] = self.stack.layer_duty(rows, imports)
            layer_pre = np.empty_like(layer)
            layer_pre[:, 0] = values @ universe.mfn
            layer_pre[:, 1:] = self.stack.layer_duty(rows, values)
        duty = np.einsum("ij,ij->i", imports, rates)
        return imports.sum(axis=1), duty, rates @ values, layer, layer_pre

    def tables(self) -> tuple[np.ndarray, list[np.ndarray], np.ndarray, np.ndarray]:
        """Days, [imports, duty, duty_pre], layer duty and layer duty pre, day by day."""
        parts = [np.concatenate(x) for x in zip(*self.parts, strict=True)]
        imports, duty, duty_pre, layer, layer_pre = (x[self._inverse] for x in parts)
        return np.array(self.days, dtype=np.int64), [imports, duty, duty_pre], layer, layer_pre


class _Levels:
    """Log-shift from base of every line, grid row by grid row, a block of rows at a time."""

    def __init__(self, stack: Stack, log_base: np.ndarray) -> None:
        self.stack, self.log_base = stack, log_base
        self.first, self.block = -1, np.zeros((0, len(log_base)))

    def level(self, row: int) -> np.ndarray:
        if not self.first <= row < self.first + len(self.block):
            rows = np.arange(row, min(row + BLOCK, len(self.stack.rates)))
            self.block = np.log1p(self.stack.line_rate_rows(rows)) - self.log_base
            self.first = row
        return self.block[row - self.first]


def _restacked(
    spec: m.ScenarioSpec, timelines: dict[str, Timeline], run: Stack, grid: np.ndarray
) -> Stack:
    return stack_direction(spec, timelines, run.universe, run.imposer, run.target, grid)


def _change_points(
    spec: m.ScenarioSpec,
    timelines: dict[str, Timeline],
    first: date,
    end: date,
    also: set[date],
) -> np.ndarray:
    """Ordinals of the days from `first` to `end` on which some duty may change."""
    days = set(also)
    for tl in timelines.values():
        days.update(tl.change_days())
    for rule in spec.stacking:
        days.update(d for d in (rule.from_, rule.until) if d is not None)
    lo, hi = first.toordinal(), end.toordinal()
    ordinals = {d.toordinal() for d in days if d != date.min} | {lo}
    return np.array(sorted(d for d in ordinals if lo <= d <= hi), dtype=np.int64)


def _base_rates(stack: Stack, grid: np.ndarray, year: int) -> np.ndarray:
    """Each line's duty averaged over the days of the base year (a day-weighted mean)."""
    lo, hi = date(year, 1, 1).toordinal(), date(year + 1, 1, 1).toordinal()
    ends = np.append(grid[1:], np.iinfo(np.int64).max)
    days = np.clip(np.minimum(ends, hi) - np.maximum(grid, lo), 0, None)
    rows = np.flatnonzero(days)
    return (days[rows] / days[rows].sum()) @ stack.line_rate_rows(rows)
