"""Checks on the merged scenario, one function per kind of item: every id an item names
exists, dates run forward, each move says when it applies. Then the rules across several
items at once (`chains`).

Each rule lives here once, so that `validate` finds what `run` would refuse. Like `chains`,
the checks take `at`, which gives where an item was written, and never import `loading`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from tariffsim.arguments import direction_order
from tariffsim.errors import Diagnostic, Located
from tariffsim.scenario import model as m
from tariffsim.scenario.branching import (
    all_options,
    branch_checks,
    flattened,
    latest,
    located,
    rehearsals,
)
from tariffsim.scenario.chains import all_checks, conditions
from tariffsim.scenario.diagnostics import unknown
from tariffsim.scenario.yamlio import Path_, Positions


class Written(Located, Protocol):
    """Where an item was written, down to its file's positions (a `loading.Origin`)."""

    @property
    def positions(self) -> Positions: ...

    @property
    def path(self) -> Path_: ...


WrittenAt = Callable[[object], Written]
_SameDay = dict[tuple[str, str, date], Any]  # (what, whose, day) -> the static move changing it


def check(
    spec: m.ScenarioSpec, at: WrittenAt, invalid_ids: Iterable[str] = ()
) -> Iterator[Diagnostic]:
    """Cross-reference and date checks on the merged scenario; yields every problem.

    References to `invalid_ids` (items already reported as invalid and set aside) pass.
    """
    known = _known(flattened(spec), at, set(invalid_ids))
    yield from duplicate_ids(spec, at)
    yield from horizon_order(spec, at)
    for check_kind in (
        fact_checks,
        product_set_checks,
        measure_checks,
        move_checks,
        trigger_checks,
        stacking_checks,
    ):
        yield from check_kind(known)
    yield from branch_checks(spec, at)
    for plain, written in rehearsals(spec):
        yield from all_checks(plain, located(at, written), complete=not known.invalid)


@dataclass(frozen=True)
class _Known:
    """What references may name, gathered once. Ids of items set aside as invalid count as
    known: their problem is reported already, and a second one would be noise."""

    spec: m.ScenarioSpec
    at: WrittenAt
    invalid: set[str]
    measures: dict[str, m.Measure]
    measure_ids: set[str]
    flags: set[str]
    sources: set[str]
    suspensions: set[str]
    set_names: set[str]
    shipped: set[str]
    directions: set[tuple[str, str]]

    def sources_of(self, item: Any, srcs: list[str]) -> Iterator[Diagnostic]:
        """Each source of `item` that names no reference or fact."""
        for i, s in enumerate(srcs):
            if s not in self.sources:
                yield self.at(item).diag(unknown("source", s, self.sources), "sources", i)

    def scope(self, item: Any, scope: Any, *sub: str | int) -> Iterator[Diagnostic]:
        """Each shipped list or product set a scope (at `sub` of `item`) names that does not
        exist, its `exclude` included."""
        at, product_sets = self.at(item), self.spec.product_sets
        if isinstance(scope, str):
            if scope != "all" and scope not in self.set_names:
                yield at.diag(unknown("product set", scope, ["all", *product_sets]), *sub)
            return
        for i, name in enumerate(scope.lists):
            if name not in self.shipped:
                yield at.diag(unknown("shipped product list", name, self.shipped), *sub, "lists", i)
        for i, name in enumerate(scope.sets):
            if name not in self.set_names:
                yield at.diag(unknown("product set", name, product_sets), *sub, "sets", i)
        if scope.exclude is not None:
            yield from self.scope(item, scope.exclude, *sub, "exclude")


def _known(spec: m.ScenarioSpec, at: WrittenAt, invalid: set[str]) -> _Known:
    from tariffsim.products import list_names, supported_directions

    suspensions = {mv.id for mv, _ in _all_moves(spec) if isinstance(mv, m.Suspend) and mv.id}
    measures = {x.id: x for x in spec.measures}
    return _Known(
        spec=spec,
        at=at,
        invalid=invalid,
        measures=measures,
        measure_ids=set(measures) | invalid,
        flags={x.id for x in spec.flags} | invalid,
        sources={x.id for x in spec.references} | {x.id for x in spec.facts} | invalid,
        suspensions=suspensions | invalid,
        set_names=set(spec.product_sets) | invalid,
        shipped=set(list_names()),
        directions=supported_directions(),
    )


def _all_moves(spec: m.ScenarioSpec) -> Iterator[tuple[Any, m.Trigger | None]]:
    """Every move, with the trigger it belongs to (None for a move of its own)."""
    for mv in spec.moves:
        yield mv, None
    for trig in spec.triggers:
        for mv in (*trig.then, *trig.else_):
            yield mv, trig


def _line(where: Written) -> int:
    return where.positions.at(where.path)[0]


# ---------------------------------------------------------------------------- the whole file


def duplicate_ids(spec: m.ScenarioSpec, at: WrittenAt) -> Iterator[Diagnostic]:
    """Two items of one list with one id in one file: the second would hide the first."""
    for name in m.ITEM_LISTS[:-1]:  # branches: by `branching`, nested ones included
        seen: dict[str, Any] = {}
        for item in getattr(spec, name):
            if item.id is None:
                continue
            first = seen.get(item.id)
            if first is not None and at(item).positions is at(first).positions:
                yield at(item).diag(
                    f"duplicate id '{item.id}' in {name} (first at line {_line(at(first))})", "id"
                )
            seen[item.id] = item


def horizon_order(spec: m.ScenarioSpec, at: WrittenAt) -> Iterator[Diagnostic]:
    """A horizon runs forward."""
    if spec.horizon and spec.horizon.end < spec.horizon.start:
        yield at(spec).diag("horizon 'end' is before its 'start'", "horizon", "end")


# ---------------------------------------------------------------------------- facts and sets


def fact_checks(known: _Known) -> Iterator[Diagnostic]:
    """A fact's source is a reference."""
    references = known.spec.references
    named = {r.id for r in references} | known.invalid
    for fact in known.spec.facts:
        if fact.source not in named:
            yield known.at(fact).diag(
                unknown("reference", fact.source, [r.id for r in references]), "source"
            )


def product_set_checks(known: _Known) -> Iterator[Diagnostic]:
    """A product set names only shipped lists and sets that exist."""
    for scope in known.spec.product_sets.values():
        yield from known.scope(scope, scope)


# ---------------------------------------------------------------------------- measures


def measure_checks(known: _Known) -> Iterator[Diagnostic]:
    """A measure is sourced, covers products that exist in a direction with data, has a rate
    exactly when it is a tariff, and its dates run forward."""
    for ms in known.spec.measures:
        yield from known.sources_of(ms, ms.sources)
        if not ms.sources:
            yield known.at(ms).diag(f"measure '{ms.id}' needs at least one source", "id")
        yield from known.scope(ms, ms.products, "products")
        yield from _measure_rate(known, ms)
        if ms.until is not None and ms.until <= ms.from_:
            yield known.at(ms).diag(
                f"'until' ({ms.until}) must be after 'from' ({ms.from_})", "until"
            )
        yield from _steps(known, ms)


def _measure_rate(known: _Known, ms: m.Measure) -> Iterator[Diagnostic]:
    """A tariff needs product data for its direction and a rate; a non-tariff takes none."""
    at = known.at(ms)
    if (ms.imposer, ms.target) not in known.directions and ms.type == "tariff":
        yield at.diag(
            f"no product data for {ms.imposer}→{ms.target}; tariffsim ships "
            + ", ".join(f"{a}→{b}" for a, b in direction_order(known.directions)),
            "imposer",
        )
    if ms.type == "tariff" and ms.rate is None:
        yield at.diag(f"tariff measure '{ms.id}' needs a 'rate'", "id")
    if ms.type == "non_tariff" and (ms.rate is not None or ms.steps):
        yield at.diag(
            "a non-tariff measure has no ad-valorem rate; drop 'rate'/'steps'",
            "rate" if ms.rate is not None else "steps",
        )


def _steps(known: _Known, ms: m.Measure) -> Iterator[Diagnostic]:
    """Each step is sourced and comes after the one before (the first, after `from`)."""
    last = ms.from_
    for i, step in enumerate(ms.steps):
        for j, src in enumerate(step.sources):
            if src not in known.sources:
                yield known.at(ms).diag(
                    unknown("source", src, known.sources), "steps", i, "sources", j
                )
        if step.date <= last:
            yield known.at(ms).diag(
                f"step dated {step.date} must come after {last}", "steps", i, "date"
            )
        last = step.date


# ---------------------------------------------------------------------------- moves


def move_checks(known: _Known) -> Iterator[Diagnostic]:
    """Every move, written or a trigger's: sourced, dated, naming what exists, consistent
    with what it changes; two written moves never change one measure on one day."""
    same_day: _SameDay = {}
    alternatives = len(known.spec.moves) - sum(len(o.moves) for o in all_options(known.spec))
    for i, (mv, trig) in enumerate(_all_moves(known.spec)):
        yield from known.sources_of(mv, mv.sources)
        yield from _move_day(known, mv, trig)
        yield from _move_names(known, mv)
        yield from _move_values(known, mv)
        if trig is None and i < alternatives:  # an option's moves are alternatives
            yield from _same_day(known, mv, same_day)


def _move_day(known: _Known, mv: Any, trig: m.Trigger | None) -> Iterator[Diagnostic]:
    """A written move needs a date; a trigger's move cannot apply before its trigger."""
    day = m.move_day(mv)
    if trig is None and day is None:
        field_name = "from" if isinstance(mv, m.Suspend) else "date"
        yield known.at(mv).diag(f"this {mv.kind} move needs a '{field_name}' date", "kind")
    if trig is not None and isinstance(day, date) and day < trig.date:
        yield known.at(mv).diag(
            f"a move of trigger '{trig.id}' cannot take effect ({day}) before "
            f"the trigger's date ({trig.date})",
            "date",
        )


def _move_names(known: _Known, mv: Any) -> Iterator[Diagnostic]:
    """The measure, flag or suspension a move names exists; an extend names one of two."""
    target = getattr(mv, "measure", None)
    if target is not None and target not in known.measure_ids:
        yield known.at(mv).diag(unknown("measure", target, known.measures), "measure")
    if isinstance(mv, m.SetFlag) and mv.flag not in known.flags:
        yield known.at(mv).diag(unknown("flag", mv.flag, known.flags), "flag")
    if not isinstance(mv, m.Extend):
        return
    if (mv.suspension is None) == (mv.measure is None):
        yield known.at(mv).diag("an extend move names either a 'suspension' or a 'measure'", "kind")
    elif mv.suspension is not None and mv.suspension not in known.suspensions:
        yield known.at(mv).diag(
            unknown("suspension", mv.suspension, known.suspensions), "suspension"
        )


def _move_values(known: _Known, mv: Any) -> Iterator[Diagnostic]:
    """What a move sets fits: a suspension's window runs forward, a new scope names what
    exists, and a non-tariff measure is given no rate."""
    if isinstance(mv, m.Suspend) and _backwards(latest(mv.from_), mv.until):
        yield known.at(mv).diag(
            f"'until' ({mv.until}) must be after 'from' ({latest(mv.from_)})", "until"
        )
    if isinstance(mv, m.ChangeScope):
        yield from known.scope(mv, mv.products, "products")
    if not isinstance(mv, m.Impose | m.SetRate) or mv.rate is None:
        return
    target = known.measures.get(mv.measure)
    if target is not None and target.type == "non_tariff":
        yield known.at(mv).diag(f"'{mv.measure}' is a non-tariff measure and takes no rate", "rate")


def _backwards(start: date | None, until: date | None) -> bool:
    return start is not None and until is not None and until <= start


def _same_day(known: _Known, mv: Any, same_day: _SameDay) -> Iterator[Diagnostic]:
    """Two written moves changing one measure on one day have no order between them."""
    day = m.move_day(mv)
    if not isinstance(day, date) or isinstance(mv, m.Suspend | m.Extend):
        return
    target = getattr(mv, "measure", None)
    key = (
        mv.kind if isinstance(mv, m.SetFlag) else "measure",
        target or getattr(mv, "flag", ""),
        day,
    )
    if key in same_day and key[0] == "measure":
        yield known.at(mv).diag(
            f"two moves change '{key[1]}' on {day} (the other at line "
            f"{_line(known.at(same_day[key]))}); their order would be ambiguous",
            "kind",
        )
    same_day[key] = mv


# ---------------------------------------------------------------------------- triggers, stacking


def trigger_checks(known: _Known) -> Iterator[Diagnostic]:
    """A trigger is sourced and its conditions test flags and measures that exist (its
    moves are checked with the others)."""
    for trig in known.spec.triggers:
        yield from known.sources_of(trig, trig.sources)
        for cond, label in ((trig.if_, "if"), (trig.unless, "unless")):
            for c in conditions(cond):
                yield from _condition_names(known, trig, c, label)


def _condition_names(
    known: _Known, trig: m.Trigger, c: m.Condition, label: str
) -> Iterator[Diagnostic]:
    if c.flag is not None and c.flag not in known.flags:
        yield known.at(trig).diag(unknown("flag", c.flag, known.flags), label)
    for ref in (c.in_force, c.suspended):
        if ref is not None and ref not in known.measure_ids:
            yield known.at(trig).diag(unknown("measure", ref, known.measures), label)


def stacking_checks(known: _Known) -> Iterator[Diagnostic]:
    """A stacking rule is sourced, names measures and products that exist, and its dates
    run forward."""
    for rule in known.spec.stacking:
        at = known.at(rule)
        yield from known.sources_of(rule, rule.sources)
        if rule.measure not in known.measure_ids:
            yield at.diag(unknown("measure", rule.measure, known.measures), "measure")
        for i, ref in enumerate(rule.not_where):
            if ref not in known.measure_ids:
                yield at.diag(unknown("measure", ref, known.measures), "not_where", i)
        if rule.not_on is not None:
            yield from known.scope(rule, rule.not_on, "not_on")
        if rule.from_ and rule.until and rule.until <= rule.from_:
            yield at.diag("'until' must be after 'from'", "until")
