"""Checks on a merged scenario that need more than one item at a time: cycles among product
sets and among same-day triggers, extensions and expiries that cannot be applied, and the
horizon of a scenario without measures.

Each rule lives here once, so that `validate` finds what `run` would refuse. The functions take
the spec and `at`, which gives the written origin of an item (see `loading.Origin`), and yield
diagnostics; they never import `loading`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from tariffsim.errors import Diagnostic, Locate
from tariffsim.scenario import model as m
from tariffsim.scenario.graphs import cycles

At = Locate  # where each item was written (`loading.Scenario.origin`)


def where(at: At, item: object, *sub: str | int, key: bool = False) -> str:
    """`file:line:col` of an item (or of a part of it), for naming it inside a message."""
    d = at(item).diag("", *sub, key=key)
    return f"{d.file}:{d.line}:{d.col}" if d.line else d.file


# ---------------------------------------------------------------------------- product sets


def scope_sets(scope: m.ProductScope | str) -> list[str]:
    """Product sets a scope names, in `sets` and in its (nested) `exclude`."""
    if isinstance(scope, str):
        return [] if scope == "all" else [scope]
    names: list[str] = []
    part: m.ProductScope | None = scope
    while part is not None:
        names.extend(part.sets)
        part = part.exclude
    return names


def product_set_cycles(spec: m.ScenarioSpec, at: At) -> Iterator[Diagnostic]:
    """Sets that include each other (through `sets` or `exclude`) can never be resolved,
    whichever measure, move or stacking rule uses them: each cycle is one problem."""
    sets = spec.product_sets
    edges = {name: [s for s in scope_sets(scope) if s in sets] for name, scope in sets.items()}
    for members in cycles(sets, edges):
        first = sets[members[0]]
        if len(members) == 1:
            yield at(first).diag(
                f"product set '{members[0]}' includes itself (through 'sets' or 'exclude')",
                key=True,
            )
            continue
        named = ", ".join(f"'{n}' ({where(at, sets[n], key=True)})" for n in members)
        yield at(first).diag(f"product sets include each other in a cycle: {named}", key=True)


MAX_SET_NESTING = 64


def product_set_nesting(spec: m.ScenarioSpec, at: At) -> Iterator[Diagnostic]:
    """Sets are resolved by following the sets they name: a chain longer than
    MAX_SET_NESTING is refused at the set it starts from (cycles are reported apart)."""
    sets = spec.product_sets
    edges = {name: [s for s in scope_sets(scope) if s in sets] for name, scope in sets.items()}
    weight = {name: _levels(scope, sets) for name, scope in sets.items()}
    in_cycle = {n for members in cycles(sets, edges) for n in members}
    depth: dict[str, int] = {}
    for root in sets:
        pending = [root]
        while pending:
            name = pending[-1]
            if name in depth or name in in_cycle:
                pending.pop()
                continue
            todo = [c for c in edges[name] if c not in depth and c not in in_cycle]
            if todo:
                pending.extend(todo)
                continue
            pending.pop()
            depth[name] = max(
                (level + depth.get(c, 0) for c, level in weight[name].items()), default=1
            )
    named = {c for children in edges.values() for c in children}
    for name, levels in depth.items():
        if levels > MAX_SET_NESTING and name not in named:
            yield at(sets[name]).diag(
                f"product set '{name}' nests {levels} levels of sets and "
                f"excludes (at most {MAX_SET_NESTING}); name fewer sets "
                "in turn",
                key=True,
            )


def _levels(scope: m.ProductScope, sets: dict[str, m.ProductScope]) -> dict[str, int]:
    """Each set a scope names, with the levels resolving it takes (one per `exclude` above
    it, plus one); a scope naming no set counts its own levels under the name ''."""
    levels: dict[str, int] = {"": 1}
    part: m.ProductScope | None = scope
    level = 1
    while part is not None:
        levels[""] = level
        for name in part.sets:
            if name in sets:
                levels[name] = max(levels.get(name, 0), level)
        part, level = part.exclude, level + 1
    return levels


# ---------------------------------------------------------------------------- triggers


def conditions(cond: m.Condition | None) -> Iterator[m.Condition]:
    """A condition and every condition inside it."""
    pending = [cond] if cond is not None else []
    while pending:
        current = pending.pop()
        yield current
        pending.extend(reversed([*(current.all_ or ()), *(current.any_ or ())]))
        if current.not_ is not None:
            pending.append(current.not_)


def trigger_reads(trig: m.Trigger) -> set[str]:
    """Flags and measures a trigger's condition tests (the engine orders same-day triggers by
    these and `trigger_writes`)."""
    return {
        ref
        for c in conditions(trig.if_ or trig.unless)
        for ref in (c.flag, c.in_force, c.suspended)
        if ref
    }


def trigger_writes(trig: m.Trigger) -> set[str]:
    """Flags and measures a trigger's moves change, in either branch."""
    return {
        getattr(mv, "measure", None) or getattr(mv, "flag", None) or ""
        for mv in (*trig.then, *trig.else_)
    }


def trigger_cycles(spec: m.ScenarioSpec, at: At) -> Iterator[Diagnostic]:
    """Same-day triggers run in dependency order (one that tests what another changes runs
    after it); triggers that depend on each other in a cycle have no order."""
    by_day: dict[date, list[m.Trigger]] = {}
    for trig in spec.triggers:
        by_day.setdefault(trig.date, []).append(trig)
    for day, triggers in sorted(by_day.items()):
        if len(triggers) < 2:
            continue
        named = {t.id: t for t in sorted(triggers, key=lambda t: t.id)}
        for members in cycles(named, _depends(named)):
            listed = ", ".join(f"'{n}' ({where(at, named[n], 'id')})" for n in members)
            yield at(named[members[0]]).diag(
                f"triggers on {day} depend on each other in a cycle (each tests what another "
                f"changes), so they have no order: {listed}",
                "id",
            )


def _depends(named: dict[str, m.Trigger]) -> dict[str, list[str]]:
    """Edges from each trigger to the other triggers of its day that test what it changes."""
    writers: dict[str, list[str]] = {}
    for t in named.values():
        for ref in trigger_writes(t):
            writers.setdefault(ref, []).append(t.id)
    edges: dict[str, list[str]] = {}
    for t in named.values():
        for ref in trigger_reads(t):
            for writer in writers.get(ref, ()):
                if writer != t.id:
                    edges.setdefault(writer, []).append(t.id)
    return edges


# ---------------------------------------------------------------------------- extensions


def _trigger_moves(spec: m.ScenarioSpec) -> Iterator[tuple[Any, m.Trigger, date]]:
    """Moves of triggers, with their trigger and the day they would take effect."""
    for trig in spec.triggers:
        for mv in (*trig.then, *trig.else_):
            yield mv, trig, m.move_day(mv) or trig.date


def _ordered(moves: Iterable[Any]) -> list[Any]:
    """Written moves in the engine's order: day, then kind (expiry before extension)."""
    kind = {"move_expiry": 0, "extend": 1}
    return sorted(
        (mv for mv in moves if mv.date is not None),
        key=lambda mv: (mv.date, kind[mv.kind], mv.id or "", str(mv.until or "")),
    )


def suspension_extensions(spec: m.ScenarioSpec, at: At) -> Iterator[Diagnostic]:
    """An extension of a written suspension must fall inside it and lengthen it. Windows that
    triggers create are checked by the clock, which loading rehearses (`loading.rehearse`)."""
    written: dict[str, m.Suspend] = {}
    twice: set[str] = set()
    for mv in spec.moves:
        if isinstance(mv, m.Suspend) and mv.id:
            if mv.id in written:
                twice.add(mv.id)
            written[mv.id] = mv
    twice |= {mv.id for mv, _t, _d in _trigger_moves(spec) if isinstance(mv, m.Suspend)}
    static = [mv for mv in spec.moves if isinstance(mv, m.Extend) and mv.suspension]
    dynamic = [
        (mv, d) for mv, _t, d in _trigger_moves(spec) if isinstance(mv, m.Extend) and mv.suspension
    ]
    for sid, susp in written.items():
        if sid in twice or susp.from_ is None:
            continue
        mine = _ordered(mv for mv in static if mv.suspension == sid)
        by_trigger = [(mv, d) for mv, d in dynamic if mv.suspension == sid]
        applied: list[tuple[date, date]] = []  # written extensions that hold: (day, new end)
        for mv in mine:
            until = _end_on(susp.until, applied, mv.date)
            problem = _extension_problem(
                sid, susp, until, mv, mv.date, _may_lengthen(by_trigger, mv, mv.date, until)
            )
            if problem:
                yield at(mv).diag(*problem)
            else:
                applied.append((mv.date, mv.until))
        for mv, day in by_trigger:
            until = _end_on(susp.until, applied, day)
            problem = _extension_problem(
                sid, susp, until, mv, day, _may_lengthen(by_trigger, mv, day, until)
            )
            if problem:
                yield at(mv).diag(*problem)


def _end_on(until: date | None, applied: list[tuple[date, date]], day: date) -> date | None:
    """A suspension's end once the written extensions decided by `day` have run."""
    for when, new in applied:
        if when <= day and until is not None and new > until:
            until = new
    return until


def _may_lengthen(
    by_trigger: list[tuple[Any, date]], mv: Any, day: date, until: date | None
) -> bool:
    """Another trigger's extension, decided by `day`, may have moved the end past `until`."""
    return any(
        d <= day and other is not mv and (until is None or other.until > until)
        for other, d in by_trigger
    )


def _extension_problem(
    sid: str, susp: m.Suspend, until: date | None, mv: m.Extend, day: date, unsure: bool
) -> tuple[str, str] | None:
    """Why `mv` cannot extend the suspension (which ends on `until` at the latest known), as
    (message, field). `unsure`: another extension may have lengthened it meanwhile."""
    if susp.from_ is not None and day < susp.from_:
        return (
            f"suspension '{sid}' starts on {susp.from_}; an extension decided on {day} "
            "comes before it",
            "date",
        )
    if until is None:
        return (
            f"extending '{sid}' to {mv.until} would shorten it: it has no end (runs until "
            "further notice); give the suspension an 'until' or add a new suspend move",
            "suspension",
        )
    if day > until and not unsure:
        return (
            f"suspension '{sid}' already ended on {until}; an extension decided on {day} "
            "is too late: add a new suspend move instead",
            "date",
        )
    if mv.until < until:
        return (
            f"extending '{sid}' to {mv.until} would shorten it (it runs until {until}); "
            "use a new suspend move",
            "until",
        )
    return None


def expiry_extensions(spec: m.ScenarioSpec, at: At) -> Iterator[Diagnostic]:
    """An extension of a measure's expiry needs an expiry to move and must lengthen it; a
    move_expiry may not end a measure on or before its first day."""
    measures = {x.id: x for x in spec.measures}
    changes = [
        mv
        for mv in spec.moves
        if isinstance(mv, m.MoveExpiry | m.Extend) and mv.measure in measures
    ]
    dynamic = [
        (mv, d)
        for mv, _t, d in _trigger_moves(spec)
        if isinstance(mv, m.MoveExpiry | m.Extend) and mv.measure in measures
    ]
    for mv in (*changes, *(mv for mv, _d in dynamic)):
        first = measures[mv.measure].from_
        if isinstance(mv, m.MoveExpiry) and mv.until is not None and mv.until <= first:
            yield at(mv).diag(
                f"move_expiry to {mv.until} ends '{mv.measure}' on or before its "
                f"first day ({first}), so it would never be in force; use "
                "revoke or remove the measure",
                "until",
            )
    for ident, ms in measures.items():
        mine = _ordered(mv for mv in changes if mv.measure == ident)
        by_trigger = [(mv, d) for mv, d in dynamic if mv.measure == ident]
        yield from _expiry_chain(ident, ms.until, mine, by_trigger, at)


def _expiry_chain(
    ident: str, until: date | None, mine: list[Any], by_trigger: list[tuple[Any, date]], at: At
) -> Iterator[Diagnostic]:
    """Follow a measure's written expiry changes in order; stop where a trigger may have
    changed it first (the run checks from there)."""
    written = until
    for mv in mine:
        if any(d <= mv.date for _mv, d in by_trigger):
            break
        problem = _expiry_problem(ident, until, mv) if isinstance(mv, m.Extend) else None
        if problem:
            yield at(mv).diag(*problem)
        else:
            until = mv.until
    for mv, day in by_trigger:
        if not isinstance(mv, m.Extend) or any(d <= day for o, d in by_trigger if o is not mv):
            continue
        problem = _expiry_problem(ident, _expiry_on(written, mine, day), mv)
        if problem:
            yield at(mv).diag(*problem)


def _expiry_on(until: date | None, mine: list[Any], day: date) -> date | None:
    """A measure's expiry once the written moves up to `day` have run."""
    for mv in mine:
        if mv.date > day:
            break
        lengthens = until is not None and mv.until >= until
        if isinstance(mv, m.MoveExpiry) or lengthens:
            until = mv.until
    return until


def _expiry_problem(ident: str, until: date | None, mv: m.Extend) -> tuple[str, str] | None:
    if until is None:
        return (
            f"extending '{ident}' to {mv.until} would shorten it: it has no expiry (in "
            "force until revoked); use move_expiry to give it one",
            "measure",
        )
    if mv.until < until:
        return (
            f"extending '{ident}' to {mv.until} would shorten it (expiry {until}); use move_expiry",
            "until",
        )
    return None


# ---------------------------------------------------------------------------- horizon


def horizon_needed(spec: m.ScenarioSpec, at: At) -> Iterator[Diagnostic]:
    """Without measures nothing dates the run, and the output must never depend on today."""
    if not spec.measures and spec.horizon is None:
        yield at(spec).diag(
            "a scenario without measures needs a 'horizon' ({start, end}): "
            "nothing else gives it dates"
        )


def all_checks(spec: m.ScenarioSpec, at: At, *, complete: bool = True) -> Iterator[Diagnostic]:
    """Every check of this module. `complete`: no item was set aside as invalid (else a
    scenario may only seem to lack measures)."""
    for check in (
        product_set_cycles,
        product_set_nesting,
        trigger_cycles,
        suspension_extensions,
        expiry_extensions,
    ):
        yield from check(spec, at)
    if complete:
        yield from horizon_needed(spec, at)
