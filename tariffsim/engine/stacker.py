"""The engine: compile measures into timelines, step the clock over the days on which moves
and triggers fall, then stack and weight rates at change points over product vectors
(`tariffsim.simulation.simulate` runs the two and builds the result tables).

Only the dynamic part (triggers, which may depend on earlier moves) is stepped in Python;
rates are computed once per change point and direction with numpy, never per day × product.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np

from tariffsim.engine.timeline import Schedule, Timeline
from tariffsim.errors import ScenarioError
from tariffsim.products import ProductUniverse, ScopeResolver, load_universe
from tariffsim.scenario import model as m
from tariffsim.scenario.loading import Scenario

_KIND_ORDER = {
    "set_flag": 0,
    "impose": 1,
    "set_rate": 1,
    "change_scope": 1,
    "revoke": 2,
    "move_expiry": 2,
    "suspend": 3,
    "extend": 4,
}
_FAR = date(9999, 12, 31)


@dataclass(frozen=True)
class Event:
    """One line of the event log: a move applied, a trigger evaluated, a deadline reached."""

    date: date
    kind: str
    id: str
    measure: str
    fired: bool
    detail: str
    sources: tuple[str, ...] = ()


@dataclass
class RunState:
    """What the clock knows while it runs: timelines, flags and the log so far."""

    timelines: dict[str, Timeline]
    flags: dict[str, date] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)


def _field(item: Any, name: str) -> Any:
    """A move's field, or None where that kind of move has no such field (fast path)."""
    return item.__dict__.get(name)


def pct_text(rate: float | None) -> str:
    return "not in force" if rate is None else f"{rate * 100:g}%"


def condition_refs(cond: m.Condition | None) -> set[str]:
    """Ids (flags and measures) a condition tests, walked without recursion."""
    refs: set[str] = set()
    stack = [cond] if cond is not None else []
    while stack:
        c = stack.pop()
        refs.update(ref for ref in (c.flag, c.in_force, c.suspended) if ref)
        stack.extend((*(c.all_ or ()), *(c.any_ or ())))
        if c.not_ is not None:
            stack.append(c.not_)
    return refs


def trigger_reads(trig: m.Trigger) -> set[str]:
    """What a trigger's condition depends on."""
    return condition_refs(trig.if_ or trig.unless)


def trigger_writes(trig: m.Trigger) -> set[str]:
    """The measures and flags a trigger's moves (either branch) may change."""
    return {_field(mv, "measure") or _field(mv, "flag") or "" for mv in (*trig.then, *trig.else_)}


def compile_timelines(spec: m.ScenarioSpec) -> dict[str, Timeline]:
    """Each measure's timeline as written, before any move."""
    out = {}
    for ms in spec.measures:
        planned = [(ms.from_, ms.rate or 0.0)] + [(s.date, s.rate) for s in ms.steps]
        tl = Timeline(
            ms.id,
            ms.type == "tariff",
            Schedule(planned),
            until=ms.until,
            scopes=Schedule([(date.min, ms.products)]),
            declared=ms.status,
        )
        if ms.status in ("in_force", "suspended"):
            tl.base = Schedule(planned)
        if ms.status == "suspended":
            tl.suspend(ms.id, ms.from_, None, 0.0)
        out[ms.id] = tl
    return out


class Clock:
    """Steps through the dated moves and triggers of a scenario in day order."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.state = RunState(compile_timelines(scenario.spec))
        self._queue: list[tuple[date, int, tuple[Any, ...], int, Any, Any]] = []
        self._count = 0
        for mv in scenario.spec.moves:
            self._push(m.move_day(mv), 0, mv, None)
        for trig in scenario.spec.triggers:
            self._push(trig.date, 1, trig, None)

    def _push(self, day: date, phase: int, item: Any, trigger: m.Trigger | None) -> None:
        """Queue an item; the sort key depends only on content, never on written order."""
        if isinstance(item, m.Trigger):
            key: tuple[Any, ...] = (item.id,)
        else:
            key = (
                _KIND_ORDER[item.kind],
                _field(item, "measure") or "",
                _field(item, "flag") or "",
                item.id or "",
                str(_field(item, "until") or ""),
                _field(item, "rate") or 0.0,
            )
        self._count += 1
        heapq.heappush(self._queue, (day, phase, key, self._count, item, trigger))

    def run(self) -> RunState:
        while self._queue:
            day, _phase, _key, _n, item, trigger = heapq.heappop(self._queue)
            if isinstance(item, m.Trigger):
                same_day = [item]
                while self._queue and self._queue[0][0] == day and self._queue[0][1] == 1:
                    same_day.append(heapq.heappop(self._queue)[4])
                for trig in self._dependency_order(same_day):
                    self._evaluate(day, trig)
            else:
                self._apply(day, item, trigger)
        return self.state

    def _dependency_order(self, triggers: list[m.Trigger]) -> list[m.Trigger]:
        """Same-day triggers: one that tests what another changes is evaluated after it.

        Kahn's algorithm over triggers and the ids they read and write, with ready triggers
        taken in id order (the order the rule "the first ready one by id" has always given):
        a trigger waits on an id while a pending trigger other than itself writes it.
        Linear in triggers plus references, so thousands of triggers on a day stay cheap.
        """
        order = sorted(range(len(triggers)), key=lambda i: triggers[i].id)
        reads = [trigger_reads(t) for t in triggers]
        writes = [trigger_writes(t) for t in triggers]
        wrote: dict[str, set[int]] = {}
        for i, refs in enumerate(writes):
            for ref in refs:
                wrote.setdefault(ref, set()).add(i)
        left = {ref: set(who) for ref, who in wrote.items()}  # writers not yet ordered
        readers: dict[str, list[int]] = {}
        waiting = [0] * len(triggers)  # ids each trigger still waits on
        for i, refs in enumerate(reads):
            for ref in refs:
                readers.setdefault(ref, []).append(i)
                who = wrote.get(ref, ())
                if len(who) > (1 if i in who else 0):
                    waiting[i] += 1
        rank = {i: r for r, i in enumerate(order)}
        ready = [rank[i] for i in order if waiting[i] == 0]
        heapq.heapify(ready)
        ordered: list[m.Trigger] = []

        def release(k: int) -> None:
            waiting[k] -= 1
            if waiting[k] == 0:
                heapq.heappush(ready, rank[k])

        while ready:
            i = order[heapq.heappop(ready)]
            ordered.append(triggers[i])
            for ref in writes[i]:
                remaining = left[ref]
                remaining.discard(i)
                if len(remaining) == 1:  # a reader that is the last writer waits no more
                    last = next(iter(remaining))
                    if ref in reads[last]:
                        release(last)
                elif not remaining:  # readers that never wrote it wait no more
                    for k in readers.get(ref, ()):
                        if k not in wrote[ref]:
                            release(k)
        if len(ordered) < len(triggers):
            done = {id(t) for t in ordered}
            pending = sorted((t for t in triggers if id(t) not in done), key=lambda t: t.id)
            self._fail(
                pending[0],
                "triggers on " + str(pending[0].date) + " depend on each "
                "other in a cycle: " + ", ".join(t.id for t in pending),
                "id",
            )
        return ordered

    # ----------------------------------------------------------------- triggers
    def condition(self, cond: m.Condition, day: date) -> tuple[bool, str]:
        """Evaluate a condition on `day`; returns the truth and a reason a person can read."""
        tls, flags = self.state.timelines, self.state.flags
        if cond.flag is not None:
            when = flags.get(cond.flag)
            if when is not None and when <= day:
                return True, f"flag '{cond.flag}' was set on {when}"
            return False, f"flag '{cond.flag}' was not set by {day}"
        if cond.in_force is not None:
            tl = tls[cond.in_force]
            on = tl.in_force(day)
            why = f"'{cond.in_force}' is {'' if on else 'not '}in force on {day}"
            susp = tl.suspension_at(day) if not on and tl.suspended(day) else None
            if susp is not None:
                why += f": suspended until {susp.until or 'further notice'}"
            return on, why
        if cond.suspended is not None:
            on = tls[cond.suspended].suspended(day)
            return on, f"'{cond.suspended}' is {'' if on else 'not '}suspended on {day}"
        if cond.not_ is not None:
            value, why = self.condition(cond.not_, day)
            return not value, why
        parts = [self.condition(c, day) for c in (cond.all_ or cond.any_ or [])]
        value = all(v for v, _ in parts) if cond.all_ is not None else any(v for v, _ in parts)
        return value, "; ".join(why for _, why in parts)

    def _evaluate(self, day: date, trig: m.Trigger) -> None:
        if trig.if_ is not None:
            holds, why = self.condition(trig.if_, day)
            fired = holds
        elif trig.unless is not None:
            holds, why = self.condition(trig.unless, day)
            fired = not holds
        else:
            fired, why = True, "unconditional"
        moves = trig.then if fired else trig.else_
        outcome = "fired" if fired else "did not fire"
        detail = f"{trig.description}: {outcome} ({why})"
        if not fired and moves:
            detail += "; applying its 'else' moves"
        self.state.events.append(
            Event(day, "trigger", trig.id, "", fired, detail, tuple(trig.sources))
        )
        for mv in sorted(moves, key=lambda x: (m.move_day(x) or day, _KIND_ORDER[x.kind])):
            when = m.move_day(mv) or day
            if when == day:
                self._apply(day, mv, trig)
            else:
                self._push(when, 0, mv, trig)

    # ----------------------------------------------------------------- moves
    def _fail(self, mv: Any, message: str, *sub: str) -> None:
        raise ScenarioError([self.scenario.origin(mv).diag(message, *sub)])

    def _apply(self, day: date, mv: Any, trigger: m.Trigger | None) -> None:
        tls = self.state.timelines
        tl = tls.get(_field(mv, "measure") or "")
        detail = ""
        if isinstance(mv, m.SetFlag):
            self.state.flags.setdefault(mv.flag, day)
            detail = f"flag '{mv.flag}' set"
        elif isinstance(mv, m.Impose):
            before = tl.rate(day)
            tl.impose(day, mv.rate)
            susp = tl.suspension_at(day)
            detail = (
                f"imposed: {pct_text(before)} → {pct_text(tl.rate(day))}"
                if tl.is_tariff
                else "imposed: now in force"
                if susp is None
                else f"imposed, but suspended until {susp.until or 'further notice'}"
            )
        elif isinstance(mv, m.SetRate):
            before = tl.legal_rate(day)
            if not tl.base:
                tl.set_rate(day, mv.rate)
                detail = f"planned rate set to {pct_text(mv.rate)} (not in force yet)"
            elif tl.set_rate(day, mv.rate):
                detail = f"rate {pct_text(before)} → {pct_text(mv.rate)}"
            else:
                detail = f"no effect: revoked on {tl.revoked}"
        elif isinstance(mv, m.Revoke):
            tl.revoke(day)
            detail = "revoked: no longer in force"
        elif isinstance(mv, m.ChangeScope):
            tl.change_scope(day, mv.products)
            detail = "product scope changed"
        elif isinstance(mv, m.MoveExpiry):
            old = tl.until
            tl.until = mv.until
            detail = f"expiry moved from {old or 'none'} to {mv.until or 'none'}"
        elif isinstance(mv, m.Suspend):
            ident = mv.id or f"{mv.measure}@{day}"
            tl.suspend(ident, day, mv.until, mv.rate)
            legal = tl.legal_rate(day)
            detail = f"suspended until {mv.until or 'further notice'}"
            if tl.is_tariff:
                charged = min(legal, mv.rate) if legal is not None else None
                detail += f": charges {pct_text(charged)} instead of {pct_text(legal)}"
        elif isinstance(mv, m.Extend):
            detail = self._extend(day, mv)
        ref = _field(mv, "measure") or _field(mv, "suspension") or _field(mv, "flag") or ""
        if trigger is not None:
            detail += f" (by trigger '{trigger.id}')"
        self.state.events.append(
            Event(
                day,
                mv.kind,
                mv.id or "",
                ref,
                True,
                detail,
                tuple(mv.sources) or tuple(trigger.sources if trigger else ()),
            )
        )

    def _extend(self, day: date, mv: m.Extend) -> str:
        if mv.suspension is not None:
            found = [
                (tl, s)
                for tl in self.state.timelines.values()
                for s in tl.suspensions
                if s.id == mv.suspension
            ]
            if not found:
                self._fail(
                    mv, f"suspension '{mv.suspension}' has not started by {day}", "suspension"
                )
            _tl, susp = found[-1]
            old = susp.until
            if old is not None and day > old:
                self._fail(
                    mv,
                    f"suspension '{mv.suspension}' already ended on {old}; "
                    f"an extension decided on {day} is too late: add a new "
                    "suspend move instead",
                    "date",
                )
            if old is None or mv.until < old:
                self._fail(
                    mv,
                    f"extending '{mv.suspension}' to {mv.until} would shorten it "
                    f"(it runs until {old or 'further notice'}); use a move_expiry "
                    "or a new suspend move",
                    "until",
                )
            susp.until = mv.until
            return f"suspension '{mv.suspension}' extended from {old} to {mv.until}"
        tl = self.state.timelines[mv.measure or ""]
        old = tl.until
        if old is None or mv.until < old:
            self._fail(
                mv,
                f"extending '{mv.measure}' to {mv.until} would shorten it "
                f"(expiry {old or 'none'}); use move_expiry",
                "until",
            )
        tl.until = mv.until
        return f"expiry extended from {old} to {mv.until}"


# -------------------------------------------------------------------- rates at change points


@dataclass
class Column:
    """One layer column: a measure with one product scope, over the segments it holds."""

    measure: str
    mask: np.ndarray
    active: np.ndarray  # bool per segment: this scope version holds
    value_share: float = 1.0  # share of customs value the rate applies to


@dataclass
class RuleStates:
    """For one column: which stacking rules are active in each segment."""

    state_of_segment: np.ndarray  # (segments,) index into `rule_ids`
    rule_ids: list[tuple[str, ...]]

    def at(self, segment: int) -> tuple[str, ...]:
        return self.rule_ids[int(self.state_of_segment[segment])]


@dataclass
class DirectionRates:
    """Rates of one direction at change points: everything the result tables derive from.

    Only `rates` and `in_force` are held as (segments, columns) arrays; coverage and
    contribution (wanted by layers and explain) are derived on first use, and the effective
    rate is one matrix-vector product, so a scenario with thousands of measures and change
    points does not hold several such arrays at once.
    """

    imposer: str
    target: str
    universe: ProductUniverse
    columns: list[Column]
    rates: np.ndarray  # (segments, columns) rate charged, 0 when not in force;
    #                             column-major, as it is built a measure at a time
    in_force: np.ndarray  # (segments, columns) bool, column-major
    cover: np.ndarray  # (columns,) trade share of each column's product scope
    shares: np.ndarray  # (columns,) value share of each column
    excluded: dict[int, np.ndarray]  # column -> (segments,) trade share excluded by stacking
    #                                  rules; only columns that yield to a rule
    rule_states: dict[int, RuleStates]  # column -> stacking rules active per segment
    headline: np.ndarray  # (segments,)
    mfn: float  # trade-weighted MFN
    resolver: ScopeResolver
    by_measure: dict[str, list[int]]  # measure id -> its columns

    @cached_property
    def coverage(self) -> np.ndarray:
        """(segments, columns) trade share each layer applies to (a partly excluded product
        counts by its included share), 0 where the layer is not in force."""
        cov = np.zeros(self.rates.shape)
        np.copyto(cov, self.cover[None, :], where=self.in_force)
        for j, excluded in self.excluded.items():
            cov[:, j] = np.where(self.in_force[:, j], self.cover[j] - excluded, 0.0)
        return cov

    @cached_property
    def contribution(self) -> np.ndarray:
        """(segments, columns) rate × value share × coverage."""
        return self.rates * self.shares[None, :] * self.coverage

    @cached_property
    def excluded_weight(self) -> np.ndarray:
        """(segments, columns) trade share excluded by stacking rules."""
        out = np.zeros(self.rates.shape)
        for j, excluded in self.excluded.items():
            out[:, j] = excluded
        return out

    @cached_property
    def effective(self) -> np.ndarray:
        """MFN plus every layer's contribution, per segment: one matrix-vector product over
        the rates (a rate is 0 wherever its layer is not in force), less what stacking rules
        exclude; equal to MFN plus the row sums of `contribution` up to rounding. Products go
        through einsum's own loops, not BLAS: small products through threaded BLAS make the
        timing depend on the machine's load, and the last bits on its thread count."""
        total = np.einsum("ij,j->i", self.rates, self.shares * self.cover)
        for j, excluded in self.excluded.items():
            total -= self.rates[:, j] * self.shares[j] * excluded
        return self.mfn + total

    def rules_at(self, segment: int, column: int) -> tuple[str, ...]:
        """Ids of the stacking rules that bear on `column` in `segment`."""
        states = self.rule_states.get(column)
        return states.at(segment) if states is not None else ()

    def excluded_fraction(self, segment: int, rules: tuple[m.StackingRule, ...]) -> np.ndarray:
        """Per product, the share of value `rules` keep their measure off in `segment`."""
        return excluded_fraction(
            self.resolver, self.columns, self.by_measure, self.in_force[segment], rules
        )


def _measure_pieces(tl: Timeline, starts: list[int]) -> list[tuple[int, int, float, bool]]:
    """Rate charged and in-force flag of one measure as runs of segments: (first segment,
    end segment, rate, in force). A measure changes on few days, so a column is filled with
    a few slices rather than computed segment by segment."""
    days = sorted({date.min, *tl.change_days()})
    firsts = [bisect_left(starts, d.toordinal()) for d in days]
    ends = [*firsts[1:], len(starts)]
    return [
        (lo, hi, tl.rate(d) or 0.0, tl.in_force(d))
        for d, lo, hi in zip(days, firsts, ends, strict=True)
        if lo < hi
    ]


def _rule_windows(rule: m.StackingRule, starts: np.ndarray) -> np.ndarray:
    lo = rule.from_.toordinal() if rule.from_ else 0
    hi = rule.until.toordinal() if rule.until else _FAR.toordinal() + 1
    return (starts >= lo) & (starts < hi)


def stack_direction(
    scenario: Scenario,
    timelines: dict[str, Timeline],
    imposer: str,
    target: str,
    starts: np.ndarray,
    weights: str,
    universe: ProductUniverse | None = None,
) -> DirectionRates:
    """Additive stacking with the scenario's named exclusions, weighted over the universe
    (the packaged one of the direction unless a caller's own is given)."""
    spec = scenario.spec
    if universe is None:
        universe = load_universe(imposer, target, weights)
    resolver = ScopeResolver(universe, spec.product_sets)
    w = universe.weights
    measures = [
        x
        for x in spec.measures
        if x.type == "tariff" and (x.imposer, x.target) == (imposer, target)
    ]
    n_seg, n_col = len(starts), sum(len(timelines[x.id].scopes) for x in measures)
    # column-major and filled a column at a time: each write is contiguous, and no list of
    # thousands of columns is stacked at the end
    rates = np.zeros((n_seg, n_col), order="F")
    force = np.zeros((n_seg, n_col), dtype=bool, order="F")
    columns: list[Column] = []
    points = starts.tolist()
    always = np.ones(n_seg, dtype=bool)  # shared by every column whose scope never changes
    always.setflags(write=False)
    for ms in measures:
        tl = timelines[ms.id]
        pieces = _measure_pieces(tl, points)
        bounds = [
            *[bisect_left(points, d.toordinal()) if d != date.min else 0 for d, _ in tl.scopes],
            n_seg,
        ]
        for (_, scope), lo, hi in zip(tl.scopes, bounds, bounds[1:], strict=False):
            if lo == 0 and hi == n_seg:
                active = always
            else:
                active = np.zeros(n_seg, dtype=bool)
                active[lo:hi] = True
            j = len(columns)
            columns.append(Column(ms.id, resolver.mask(scope), active, ms.value_share))
            for first, end, rate, on in pieces:
                first, end = max(first, lo), min(end, hi)
                if first < end:
                    rates[first:end, j] = rate
                    force[first:end, j] = on
    # a scope's mask is one cached array: its coverage is summed once however many measures
    # share it, instead of a (columns x products) matrix product
    cover_of: dict[int, float] = {}
    for c in columns:
        if id(c.mask) not in cover_of:
            cover_of[id(c.mask)] = float(w[c.mask].sum())
    cover = np.array([cover_of[id(c.mask)] for c in columns], dtype=float)
    by_measure: dict[str, list[int]] = {}
    for j, c in enumerate(columns):
        by_measure.setdefault(c.measure, []).append(j)
    excluded, rule_states = _exclusions(spec, resolver, columns, by_measure, force, starts)
    shares = np.array([c.value_share for c in columns], dtype=float)
    headline = headline_rate(scenario, columns, rates)
    return DirectionRates(
        imposer,
        target,
        universe,
        columns,
        rates,
        force,
        cover,
        shares,
        excluded,
        rule_states,
        headline,
        float(np.einsum("i,i->", universe.mfn, w)),
        resolver,
        by_measure,
    )


def _exclusions(
    spec: m.ScenarioSpec,
    resolver: ScopeResolver,
    columns: list[Column],
    by_measure: dict[str, list[int]],
    force: np.ndarray,
    starts: np.ndarray,
) -> tuple[dict[int, np.ndarray], dict[int, RuleStates]]:
    """Trade share of each column excluded by stacking rules, per segment (columns that
    yield to no rule are left out).

    Which products a rule excludes depends only on which of its rules are active and which
    of the measures they name are in force, so each distinct state is computed once.
    """
    w = resolver.universe.weights
    excluded: dict[int, np.ndarray] = {}
    states: dict[int, RuleStates] = {}
    rules_of: dict[str, list[m.StackingRule]] = {}
    for r in spec.stacking:
        rules_of.setdefault(r.measure, []).append(r)
    for j, col in enumerate(columns):
        mine = rules_of.get(col.measure)
        if not mine:
            continue
        refs = sorted({k for r in mine for ref in r.not_where for k in by_measure.get(ref, [])})
        windows = np.column_stack([_rule_windows(r, starts) for r in mine])
        state = np.hstack([windows, force[:, refs]]) & force[:, j][:, None]
        unique, inverse = np.unique(state, axis=0, return_inverse=True)
        shares, active_ids = np.zeros(len(unique)), []
        for u, row in enumerate(unique):
            active = tuple(r for r, on in zip(mine, row[: len(mine)], strict=True) if on)
            active_ids.append(tuple(r.id for r in active))
            if active:
                force_row = np.zeros(len(columns), dtype=bool)
                force_row[refs] = row[len(mine) :]
                fraction = excluded_fraction(resolver, columns, by_measure, force_row, active)
                shares[u] = np.einsum("i,i->", col.mask * fraction, w)
        excluded[j] = shares[inverse.ravel()]
        states[j] = RuleStates(inverse.ravel(), active_ids)
    return excluded, states


def headline_rate(scenario: Scenario, columns: list[Column], rates: np.ndarray) -> np.ndarray:
    """Sum of headline measures' rates; a named group counts once, at its highest rate."""
    measure_of = {x.id: x for x in scenario.spec.measures}  # not a scan per column
    groups: dict[str, list[int]] = {}
    for j, col in enumerate(columns):
        flag = measure_of[col.measure].headline
        if flag is True:
            groups.setdefault(f"#{col.measure}", []).append(j)
        elif isinstance(flag, str):
            groups.setdefault(flag, []).append(j)
    total = np.zeros(rates.shape[0])
    for cols in groups.values():
        total += rates[:, cols[0]] if len(cols) == 1 else rates[:, cols].max(axis=1)
    return total


def excluded_fraction(
    resolver: ScopeResolver,
    columns: list[Column],
    by_measure: dict[str, list[int]],
    force_row: np.ndarray,
    rules: tuple[m.StackingRule, ...],
) -> np.ndarray:
    """Share of each product's value on which the yielding measure does not apply under the
    active `rules`: all of it for `not_on` products; for `not_where`, the value share of the
    measure in force there (a derivative's metal content), the largest where several apply."""
    fraction = np.zeros(len(resolver.universe))
    for rule in rules:
        if rule.not_on is not None:
            fraction[resolver.mask(rule.not_on)] = 1.0
        for ref in rule.not_where:
            for k in by_measure.get(ref, []):
                if force_row[k]:
                    np.maximum(fraction, columns[k].mask * columns[k].value_share, out=fraction)
    return fraction
