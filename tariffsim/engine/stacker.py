"""The stacker: the one place that says what duty each product line bears, per measure and
change point, under the scenario's stacking rules.

Layers stack additively; a named rule keeps a measure off the products another measure in
force covers (`not_where`, by that measure's value share) or off a product set (`not_on`).
Everything is held per change point ("segment") and per column (a measure with one product
scope), as numpy arrays over product lines; the simulation, `explain`, `by_section` and the
comparison all read duty from here.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np

from tariffsim.engine.scopes import Scopes
from tariffsim.engine.timeline import Timeline
from tariffsim.products import ProductUniverse, ScopeResolver
from tariffsim.scenario import model as m

_FAR = date(9999, 12, 31)


@dataclass
class Column:
    """One layer column: a measure with one product scope, over the segments it holds."""

    measure: str
    mask: np.ndarray
    active: np.ndarray  # bool per segment: this scope version holds
    value_share: float = 1.0  # share of customs value the rate applies to


@dataclass
class RuleStates:
    """For one column: which stacking rules bear on it in each segment. Segments with the
    same active rules and the same measures in force share one state."""

    state_of_segment: np.ndarray  # (segments,) index into the lists below
    rules: list[tuple[m.StackingRule, ...]]  # per state: the active rules
    force_rows: list[np.ndarray]  # per state: (columns,) which columns are in force

    def at(self, segment: int) -> tuple[m.StackingRule, ...]:
        return self.rules[int(self.state_of_segment[segment])]


@dataclass(frozen=True)
class LineLayer:
    """How one layer bears on one product line in one segment."""

    applies: bool
    rate: float  # duty this layer adds to the line (rate × value share × share not excluded)
    excluded: float  # share of value stacking rules keep the layer off
    hits: tuple[tuple[m.StackingRule, float], ...]  # rules that exclude some of the line


@dataclass
class Stack:
    """The layers of one direction at change points, over its product lines."""

    imposer: str
    target: str
    universe: ProductUniverse
    resolver: ScopeResolver
    columns: list[Column]
    rates: np.ndarray  # (segments, columns) rate charged, 0 when not in force; column-major
    in_force: np.ndarray  # (segments, columns) bool, column-major
    rule_states: dict[int, RuleStates]  # column -> stacking rules per segment (if any)
    by_measure: dict[str, list[int]]  # measure id -> its columns
    _fractions: dict[tuple, np.ndarray] = field(default_factory=dict, repr=False)
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # ordinals
    _excluded_rows: dict[bytes, list] = field(default_factory=dict, repr=False)
    _nonzero: dict[int, np.ndarray] = field(default_factory=dict, repr=False)  # per fraction
    # (column, id of a cached fraction) -> the lines of the column it excludes, and how much
    _hits: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False
    )

    def rules_at(self, segment: int, column: int) -> tuple[m.StackingRule, ...]:
        """The stacking rules that bear on `column` in `segment`."""
        states = self.rule_states.get(column)
        return states.at(segment) if states is not None else ()

    def excluded_fraction(
        self, rules: tuple[m.StackingRule, ...], force_row: np.ndarray
    ) -> np.ndarray:
        """Per product, the share of value `rules` keep their measure off, given which
        columns are in force: all of it for `not_on` products; for `not_where`, the value
        share of the measure in force there (a derivative's metal content), the largest
        where several apply."""
        yielding = tuple(
            k
            for rule in rules
            for ref in rule.not_where
            for k in self.by_measure.get(ref, ())
            if force_row[k]
        )
        key = (tuple(id(r) for r in rules), yielding)
        cached = self._fractions.get(key)
        if cached is not None:  # many columns and segments share a state of the rules
            return cached
        fraction = np.zeros(len(self.universe))
        for rule in rules:
            if rule.not_on is not None:
                fraction[self.resolver.mask(rule.not_on)] = 1.0
        for k in yielding:
            col = self.columns[k]
            if col.value_share == 1.0:
                fraction[col.mask] = 1.0
            else:
                np.maximum(fraction, col.mask * col.value_share, out=fraction)
        fraction.setflags(write=False)
        self._fractions[key] = fraction
        return fraction

    def line_rates(self, segment: int) -> np.ndarray:
        """Total duty on every product line in one segment (MFN included)."""
        total = self.universe.mfn.copy()
        for j in np.flatnonzero(self.in_force[segment]):
            total += self.column_duty(segment, int(j))
        return total

    def column_duty(self, segment: int, column: int) -> np.ndarray:
        """The duty layer `column` adds to every product line in `segment` (0 off its scope,
        where stacking rules keep it off, and when it is not in force)."""
        col = self.columns[column]
        if not self.in_force[segment, column]:
            return np.zeros(len(self.universe))
        applies = col.mask * col.value_share
        rules = self.rules_at(segment, column)
        if rules:
            applies = applies * (1 - self.excluded_fraction(rules, self.in_force[segment]))
        return self.rates[segment, column] * applies

    def line_rate_rows(self, rows: np.ndarray) -> np.ndarray:
        """Total duty on every product line (MFN included) in each of `rows` segments, as a
        (rows, lines) array: `line_rates` for many segments at once, as one matrix product
        per block of distinct product scopes."""
        scopes = self._scopes
        by_scope = self._weighted(rows) @ scopes.of_column
        grouped = scopes.grouped(self.universe)
        if grouped is not None:  # lines in the same scopes share their duty before MFN
            group_of_line, group_masks = grouped
            total = (by_scope @ group_masks)[:, group_of_line]
        else:
            total = np.zeros((len(rows), len(self.universe)))
            for lo, block in scopes.blocks():
                total += by_scope[:, lo : lo + len(block)] @ block
        total += self.universe.mfn
        for j, at, lines, share in self._exclusions(rows):
            total[np.ix_(at, lines)] -= self._weighted(rows[at])[:, [j]] * share
        return total

    def layer_duty(self, rows: np.ndarray, imports: np.ndarray) -> np.ndarray:
        """Duty each layer collects on `imports` in each of `rows` segments: a (rows,
        columns) array of rate × value share × imports it covers, less exclusions. Imports
        are per row (rows, lines), or one vector (lines,) for every row."""
        scopes = self._scopes
        covered = np.zeros((*imports.shape[:-1], scopes.of_column.shape[1]))
        for lo, block in scopes.blocks():
            covered[..., lo : lo + len(block)] = imports @ block.T
        covered = np.broadcast_to(covered @ scopes.of_column.T, (len(rows), len(self.columns)))
        covered = covered.copy()
        for j, at, lines, share in self._exclusions(rows):
            on = imports[lines] if imports.ndim == 1 else imports[np.ix_(at, lines)]
            covered[at, j] -= on @ share
        return self._weighted(rows) * covered

    @cached_property
    def same_as(self) -> np.ndarray:
        """For each segment, the first segment with the same duty on every line: the same
        rates, layers in force and state of the stacking rules."""
        rules = [s.state_of_segment[:, None] for s in self.rule_states.values()]
        state = np.hstack([self.rates, self.in_force, *rules])
        _, first, inverse = np.unique(state, axis=0, return_index=True, return_inverse=True)
        return first[inverse.ravel()]

    def _weighted(self, rows: np.ndarray) -> np.ndarray:
        return self.rates[rows] * self._scopes.value_shares[None, :]

    @cached_property
    def _scopes(self) -> Scopes:
        return Scopes.of(self.columns)

    def _exclusions(self, rows: np.ndarray) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """(column, positions in `rows`, lines, share of value excluded on them) for each
        column and state of the stacking rules that excludes something in those segments;
        the last few answers are kept, as a block of rows asks several times."""
        key = rows.tobytes()
        if key in self._excluded_rows:
            return self._excluded_rows[key]
        out = []
        for j, states in self.rule_states.items():
            state = states.state_of_segment[rows]
            for u in np.unique(state):
                rules = states.rules[u]
                if rules:
                    fraction = self.excluded_fraction(rules, states.force_rows[u])
                    hit = (j, id(fraction))  # fractions stay cached, so ids stay theirs
                    if hit not in self._hits:
                        some = self._nonzero.get(id(fraction))
                        if some is None:
                            some = self._nonzero[id(fraction)] = np.flatnonzero(fraction)
                        lines = some[self.columns[j].mask[some]]
                        self._hits[hit] = (lines, fraction[lines])
                    lines, share = self._hits[hit]
                    out.append((j, np.flatnonzero(state == u), lines, share))
        if len(self._excluded_rows) > 8:
            self._excluded_rows.clear()
        self._excluded_rows[key] = out
        return out

    def on_line(self, segment: int, column: int, line: int) -> LineLayer:
        """How layer `column` bears on product `line` in `segment`, rule by rule."""
        col = self.columns[column]
        if not (self.in_force[segment, column] and col.mask[line]):
            return LineLayer(False, 0.0, 0.0, ())
        force = self.in_force[segment]
        hits = tuple(
            (rule, float(share))
            for rule in self.rules_at(segment, column)
            if (share := self.excluded_fraction((rule,), force)[line]) > 0
        )
        excluded = max((f for _, f in hits), default=0.0)
        applies = excluded < 1
        rate = float(self.rates[segment, column]) * col.value_share * (1 - excluded)
        return LineLayer(applies, rate if applies else 0.0, excluded, hits)


def stack_direction(
    spec: m.ScenarioSpec,
    timelines: dict[str, Timeline],
    universe: ProductUniverse,
    imposer: str,
    target: str,
    starts: np.ndarray,
) -> Stack:
    """The layers of the tariff measures `imposer` charges on `target`, at the change points
    `starts` (day ordinals), over `universe`."""
    resolver = ScopeResolver(universe, spec.product_sets)
    measures = [
        x
        for x in spec.measures
        if x.type == "tariff" and (x.imposer, x.target) == (imposer, target)
    ]
    columns, rates, force = _layers(measures, timelines, resolver, starts)
    by_measure: dict[str, list[int]] = {}
    for j, c in enumerate(columns):
        by_measure.setdefault(c.measure, []).append(j)
    stack = Stack(imposer, target, universe, resolver, columns, rates, force, {}, by_measure)
    stack.rule_states = _rule_states(spec.stacking, stack, starts)
    stack.starts = starts
    return stack


def _layers(
    measures: list[m.Measure],
    timelines: dict[str, Timeline],
    resolver: ScopeResolver,
    starts: np.ndarray,
) -> tuple[list[Column], np.ndarray, np.ndarray]:
    """A column per measure and scope version, with its rate and in-force flag per segment.

    The arrays are column-major and filled a column at a time from runs of segments: each
    write is contiguous, and no list of thousands of columns is stacked at the end."""
    n_seg = len(starts)
    n_col = sum(len(timelines[x.id].scopes) for x in measures)
    rates = np.zeros((n_seg, n_col), order="F")
    force = np.zeros((n_seg, n_col), dtype=bool, order="F")
    columns: list[Column] = []
    points = starts.tolist()
    always = np.ones(n_seg, dtype=bool)  # shared by every column whose scope never changes
    always.setflags(write=False)
    for ms in measures:
        tl = timelines[ms.id]
        pieces = _measure_pieces(tl, points)
        firsts = [bisect_left(points, d.toordinal()) if d != date.min else 0 for d, _ in tl.scopes]
        for (_, scope), lo, hi in zip(tl.scopes, firsts, [*firsts[1:], n_seg], strict=True):
            active = always
            if not (lo == 0 and hi == n_seg):
                active = np.zeros(n_seg, dtype=bool)
                active[lo:hi] = True
            j = len(columns)
            columns.append(Column(ms.id, resolver.mask(scope), active, ms.value_share))
            for first, end, rate, on in pieces:
                first, end = max(first, lo), min(end, hi)
                if first < end:
                    rates[first:end, j] = rate
                    force[first:end, j] = on
    return columns, rates, force


def _measure_pieces(tl: Timeline, starts: list[int]) -> list[tuple[int, int, float, bool]]:
    """Rate charged and in-force flag of one measure as runs of segments: (first segment,
    end segment, rate, in force). A measure changes on few days, so a column is filled with
    a few slices rather than computed segment by segment."""
    days = sorted({date.min, *tl.change_days()})
    firsts = [bisect_left(starts, d.toordinal()) for d in days]
    ends = [*firsts[1:], len(starts)]
    return [
        (lo, hi, rate or 0.0, on)
        for (rate, on), lo, hi in zip(tl.charges(days), firsts, ends, strict=True)
        if lo < hi
    ]


def _rule_window(rule: m.StackingRule, starts: np.ndarray) -> np.ndarray:
    lo = rule.from_.toordinal() if rule.from_ else 0
    hi = rule.until.toordinal() if rule.until else _FAR.toordinal() + 1
    return (starts >= lo) & (starts < hi)


def _rule_states(
    stacking: list[m.StackingRule], stack: Stack, starts: np.ndarray
) -> dict[int, RuleStates]:
    """For each column that yields to a rule, the rules active per segment.

    Which products a rule excludes depends only on which of its rules are active and which
    of the measures they name are in force, so segments are grouped by that state."""
    rules_of: dict[str, list[m.StackingRule]] = {}
    for r in stacking:
        rules_of.setdefault(r.measure, []).append(r)
    out: dict[int, RuleStates] = {}
    force = stack.in_force
    for j, col in enumerate(stack.columns):
        mine = rules_of.get(col.measure)
        if not mine:
            continue
        refs = sorted(
            {k for r in mine for ref in r.not_where for k in stack.by_measure.get(ref, [])}
        )
        windows = np.column_stack([_rule_window(r, starts) for r in mine])
        state = np.hstack([windows, force[:, refs]]) & force[:, j][:, None]
        unique, inverse = np.unique(state, axis=0, return_inverse=True)
        active, rows = [], []
        for row in unique:
            active.append(tuple(r for r, on in zip(mine, row[: len(mine)], strict=True) if on))
            force_row = np.zeros(len(stack.columns), dtype=bool)
            force_row[refs] = row[len(mine) :]
            rows.append(force_row)
        out[j] = RuleStates(inverse.ravel(), active, rows)
    return out
