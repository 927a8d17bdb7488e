"""Imports and duty of one direction over time, with imports answering duty line by line:

    imports = base × ((1 + τ) / (1 + τ_base)) ** −ε

τ is the line's total duty (MFN included) on the day, τ_base its mean over the days of
the weights' base year, ε its elasticity. With a phase-in, each change of duty moves imports
by the share of its long-run effect the phase-in gives for the months since the change
(a step schedule, so imports stay piecewise constant and are computed at change points);
the state on the first change point is taken as fully adjusted.

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
    layer_duty: np.ndarray  # (T, layers) post-substitution, MFN first
    layer_duty_pre: np.ndarray  # (T, layers) pre-substitution, MFN first
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


def phase_steps(phase_in: dict[int, float]) -> list[tuple[int, float]]:
    """(months after a change, added share of the long-run response) per step; no phase-in:
    all of it at once."""
    if not phase_in:
        return [(0, 1.0)]
    steps, reached = [], 0.0
    for months in sorted(phase_in):
        steps.append((months, phase_in[months] - reached))
        reached = phase_in[months]
    return steps


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


def direction_flows(
    spec: m.ScenarioSpec,
    timelines: dict[str, Timeline],
    run: Stack,
    start: date,
    end: date,
    weights: str,
) -> Flows:
    """Trade of the direction of the run's stack `run`, from `start` to `end` (both
    included); `run` itself serves when its change points reach back to the base year."""
    universe = run.universe
    year = base_year(weights)
    grid = _change_points(spec, timelines, min(start, date(year, 1, 1)), end, {start})
    stack = run if np.array_equal(grid, run.starts) else _restacked(spec, timelines, run, grid)
    base_rates = _base_rates(stack, grid, year)
    response = spec.response
    eps = line_elasticities(universe, response)
    steps = phase_steps(response.phase_in if response else {})
    days, rows = _output_days(grid, steps, start, end)
    # days whose duty states agree (in this direction) share one computation
    keys = np.stack([stack.same_as[r] for r in rows], axis=1)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    sums, layer, layer_pre = _per_state(stack, unique, steps, base_rates, eps)
    imports_sum, duty, duty_pre = (x[inverse] for x in sums)
    layer, layer_pre = layer[inverse], layer_pre[inverse]
    values = universe.values
    return Flows(
        universe.imposer,
        universe.target,
        days,
        float(values.sum()),
        imports_sum,
        duty,
        duty_pre,
        layer,
        layer_pre,
        ["mfn", *(c.measure for c in stack.columns)],
        base_rates,
        float(base_rates @ values),
    )


def _per_state(
    stack: Stack,
    keys: np.ndarray,
    steps: list[tuple[int, float]],
    base_rates: np.ndarray,
    eps: np.ndarray,
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Imports, duty post and pre, and layer duty post and pre, for each row of `keys`:
    the segment in force, then per phase-in step the segment in force that step's months
    earlier."""
    universe = stack.universe
    values = universe.values
    n = len(keys)
    sums = [np.zeros(n), np.zeros(n), np.zeros(n)]
    layer = np.zeros((n, 1 + len(stack.columns)))
    layer_pre = np.zeros_like(layer)
    log_base = np.log1p(base_rates)
    at_once = steps == [(0, 1.0)]
    for lo in range(0, n, BLOCK):
        block = keys[lo : lo + BLOCK]
        now = block[:, 0]
        if at_once:
            rates = stack.line_rate_rows(now)
            imports = np.log1p(rates)
            imports -= log_base
        else:
            needed, where = np.unique(np.append(block, 0), return_inverse=True)
            level = np.log1p(stack.line_rate_rows(needed)) - log_base
            where = where.ravel()
            first = level[where[-1]]
            rates = np.expm1(level[where[:-1].reshape(block.shape)[:, 0]] + log_base)
            imports = np.broadcast_to(first, rates.shape).copy()
            for k, (_, share) in enumerate(steps, start=1):
                imports += share * (level[where[:-1].reshape(block.shape)[:, k]] - first)
        # imports = values × exp(−ε × shift), the shift in log(1 + τ) from the base, in place
        imports *= -eps
        np.exp(imports, out=imports)
        imports *= values
        part = slice(lo, lo + len(block))
        sums[0][part] = imports.sum(axis=1)
        sums[1][part] = np.einsum("ij,ij->i", imports, rates)
        sums[2][part] = rates @ values
        layer[part, 0] = imports @ universe.mfn
        layer[part, 1:] = stack.layer_duty(now, imports)
        layer_pre[part, 0] = values @ universe.mfn
        layer_pre[part, 1:] = stack.layer_duty(now, values)
    return sums, layer, layer_pre


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


def _output_days(
    grid: np.ndarray, steps: list[tuple[int, float]], start: date, end: date
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The days imports or duty may change from `start` to `end`: a change point, or one
    plus a phase-in step's months; and per step, the grid row in force that many months
    earlier (row 0 before the grid begins)."""
    lo, hi = start.toordinal(), end.toordinal()
    shifted = []
    for months, _ in steps:
        moved = [add_months(date.fromordinal(int(g)), months).toordinal() for g in grid]
        shifted.append(np.array(moved, dtype=np.int64))
    candidates = np.concatenate([grid, *shifted, [lo]])
    days = np.unique(candidates[(candidates >= lo) & (candidates <= hi)])
    now = np.searchsorted(grid, days, side="right") - 1
    rows = [now] + [np.maximum(np.searchsorted(s, days, side="right") - 1, 0) for s in shifted]
    return days, rows
