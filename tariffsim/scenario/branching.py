"""Branches and uncertain dates on the merged scenario: walking the tree of options, the
checks only a branched scenario needs, and the plain scenario one path of it makes.

A branch's options are mutually exclusive; an option's own branches are reached only on its
path, so their probabilities are conditional on it. Top-level branches are independent.
Like `checks`, this module takes `at` (where an item was written) and never imports `loading`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product
from typing import Any

from tariffsim.errors import Diagnostic, Locate
from tariffsim.scenario import model as m
from tariffsim.scenario.fields import UncertainDay

TOLERANCE = 1e-9  # how far from 100% the probabilities of a branch or a date may sum


def _pct(value: float) -> str:
    return f"{round(value * 100, 9):g}%"


# ---------------------------------------------------------------------------- days


def earliest(day: Any) -> Any:
    """The first day an uncertain day may fall on; a date (or None) as it is."""
    if not isinstance(day, UncertainDay):
        return day
    return day.between[0] if day.between else min(c.date for c in day.dates or [])


def latest(day: Any) -> Any:
    """The last day an uncertain day may fall on; a date (or None) as it is."""
    if not isinstance(day, UncertainDay):
        return day
    return day.between[1] if day.between else max(c.date for c in day.dates or [])


def day_choices(day: UncertainDay) -> list[tuple[date, float]] | None:
    """The possible days with their probabilities; None for a window (drawn, not listed)."""
    if day.dates is None:
        return None
    return [(c.date, c.probability) for c in day.dates]


def window_days(day: UncertainDay) -> list[date]:
    """Every day of a window, both ends included (empty when it runs backwards)."""
    first, last = day.between or (date.min, date.min)
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _field(mv: Any) -> str:
    return "from" if isinstance(mv, m.Suspend) else "date"


def _pinned(mv: Any, day: date) -> Any:
    return mv.model_copy(update={"from_" if isinstance(mv, m.Suspend) else "date": day})


def is_uncertain_move(mv: Any) -> bool:
    return isinstance(m.move_day(mv), UncertainDay)


def move_label(mv: Any) -> str:
    """A move's name in a path: its id, else its kind and what it changes."""
    if mv.id:
        return str(mv.id)
    return f"{mv.kind} {getattr(mv, 'measure', None) or getattr(mv, 'flag', None) or ''}".strip()


# ---------------------------------------------------------------------------- the tree


def all_branches(branches: Iterable[m.Branch]) -> Iterator[m.Branch]:
    """Every branch, nested ones included, depth first in written order."""
    for br in branches:
        yield br
        for opt in br.options:
            yield from all_branches(opt.branches)


def all_options(spec: m.ScenarioSpec) -> Iterator[m.Option]:
    for br in all_branches(spec.branches):
        yield from br.options


def is_uncertain(spec: m.ScenarioSpec) -> bool:
    """Whether the scenario has branches or a move with an uncertain date."""
    return bool(spec.branches) or any(is_uncertain_move(mv) for mv in spec.moves)


def flattened(spec: m.ScenarioSpec) -> m.ScenarioSpec:
    """The spec with every option's moves, triggers and flags added to its own (the same
    objects, so their origins hold), for the checks of single items; itself when plain."""
    options = list(all_options(spec))
    if not options:
        return spec
    return spec.model_copy(
        update={
            "moves": [*spec.moves, *(mv for o in options for mv in o.moves)],
            "triggers": [*spec.triggers, *(t for o in options for t in o.triggers)],
            "flags": [*spec.flags, *(f for o in options for f in o.flags)],
        }
    )


@dataclass(frozen=True)
class Leaf:
    """One way the branches can come out: the options chosen, in order, and its probability."""

    probability: float
    choices: tuple[tuple[str, str], ...]
    options: tuple[m.Option, ...]


def leaves(branches: Iterable[m.Branch]) -> Iterator[Leaf]:
    """Every combination of options of independent `branches` (nested ones conditional on
    their option), probabilities multiplied; one empty leaf when there are none."""
    per_branch = [list(_branch_leaves(br)) for br in branches]
    for combo in product(*per_branch):
        prob = 1.0
        for leaf in combo:
            prob *= leaf.probability
        yield Leaf(
            prob,
            tuple(c for leaf in combo for c in leaf.choices),
            tuple(o for leaf in combo for o in leaf.options),
        )


def _branch_leaves(br: m.Branch) -> Iterator[Leaf]:
    for opt in br.options:
        for sub in leaves(opt.branches):
            yield Leaf(
                opt.probability * sub.probability,
                ((br.id, opt.id), *sub.choices),
                (opt, *sub.options),
            )


def count_exact(branches: Iterable[m.Branch], moves: Iterable[Any]) -> float:
    """How many exact paths the tree makes with the date choices of `moves` and of each
    option's moves (infinite when a window must be drawn)."""
    total = 1.0
    for mv in moves:
        total *= _choices_count(mv)
    for br in branches:
        total *= sum(count_exact(o.branches, o.moves) for o in br.options)
    return total


def _choices_count(mv: Any) -> float:
    day = m.move_day(mv)
    if not isinstance(day, UncertainDay):
        return 1
    return len(day.dates) if day.dates is not None else float("inf")


def plain_spec(
    spec: m.ScenarioSpec, options: Iterable[m.Option], days: dict[int, date]
) -> tuple[m.ScenarioSpec, dict[int, Any]]:
    """The branch-free spec of one path: the scenario's items and the chosen options', each
    uncertain date fixed to `days[id(move)]`. Returns it with the moves copied to fix a day,
    by id of the copy, mapped to the move as written (whose origin the copy keeps)."""
    chosen = list(options)
    written: dict[int, Any] = {}

    def fixed(mv: Any) -> Any:
        if not is_uncertain_move(mv):
            return mv
        copy = _pinned(mv, days[id(mv)])
        written[id(copy)] = mv
        return copy

    moves = [fixed(mv) for mv in (*spec.moves, *(mv for o in chosen for mv in o.moves))]
    plain = spec.model_copy(
        update={
            "moves": moves,
            "triggers": [*spec.triggers, *(t for o in chosen for t in o.triggers)],
            "flags": [*spec.flags, *(f for o in chosen for f in o.flags)],
            "branches": [],
        }
    )
    return plain, written


def path_moves(spec: m.ScenarioSpec, options: Iterable[m.Option]) -> list[Any]:
    """The moves with an uncertain date on a path, in written order."""
    moves = (*spec.moves, *(mv for o in options for mv in o.moves))
    return [mv for mv in moves if is_uncertain_move(mv)]


# ---------------------------------------------------------------------------- checks


def branch_checks(spec: m.ScenarioSpec, at: Locate) -> Iterator[Diagnostic]:
    """Options sum to 100%, ids are unique (options within their branch, branches across
    the scenario), uncertain dates are well formed and only on moves of their own."""
    seen: dict[str, m.Branch] = {}
    for br in all_branches(spec.branches):
        if br.id in seen:
            first = at(seen[br.id]).diag("", "id")
            yield at(br).diag(f"duplicate branch id '{br.id}' (first at line {first.line})", "id")
        seen.setdefault(br.id, br)
        yield from _options(br, at)
    flat = flattened(spec)
    for mv in flat.moves:
        yield from _uncertain_day(mv, at)
    for trig in flat.triggers:
        for mv in (*trig.then, *trig.else_):
            if is_uncertain_move(mv):
                yield at(mv).diag(
                    f"a move of trigger '{trig.id}' takes a fixed date (or none: the "
                    "trigger's); an uncertain one belongs to a move of its own",
                    _field(mv),
                )


def _options(br: m.Branch, at: Locate) -> Iterator[Diagnostic]:
    ids: dict[str, m.Option] = {}
    for opt in br.options:
        if opt.id in ids:
            first = at(ids[opt.id]).diag("", "id")
            yield at(opt).diag(
                f"duplicate option id '{opt.id}' in branch '{br.id}' (first at line {first.line})",
                "id",
            )
        ids.setdefault(opt.id, opt)
    total = sum(o.probability for o in br.options)
    if abs(total - 1) > TOLERANCE:
        listed = " + ".join(_pct(o.probability) for o in br.options) or "no options"
        yield at(br).diag(
            f"the options of branch '{br.id}' sum to {_pct(total)} ({listed}); "
            "they must sum to 100%",
            "options",
            key=True,
        )


def _uncertain_day(mv: Any, at: Locate) -> Iterator[Diagnostic]:
    day = m.move_day(mv)
    if not isinstance(day, UncertainDay):
        return
    name = _field(mv)
    if day.between is not None and day.between[1] < day.between[0]:
        yield at(mv).diag(
            f"the window runs backwards: {day.between[1]} is before {day.between[0]}; "
            "write the first possible day, then the last",
            name,
            "between",
            1,
        )
    if day.dates is not None:
        total = sum(c.probability for c in day.dates)
        if not day.dates:
            yield at(mv).diag("an uncertain date needs at least one of its 'dates'", name)
        elif abs(total - 1) > TOLERANCE:
            listed = " + ".join(_pct(c.probability) for c in day.dates)
            yield at(mv).diag(
                f"the probabilities of these dates sum to {_pct(total)} ({listed}); "
                "they must sum to 100%",
                name,
                "dates",
            )


REHEARSED_LEAVES = 64


def rehearsals(spec: m.ScenarioSpec, limit: int = REHEARSED_LEAVES) -> Iterator[tuple[Any, Any]]:
    """Plain specs standing for the scenario in the checks across items and the clock's
    rehearsal: itself when plain; else its first `limit` leaves, each uncertain day at its
    earliest. Each comes with its copies mapped to the moves as written (see `plain_spec`)."""
    if not is_uncertain(spec):
        yield spec, {}
        return
    for i, leaf in enumerate(leaves(spec.branches)):
        if i >= limit:
            return
        moves = path_moves(spec, leaf.options)
        yield plain_spec(spec, leaf.options, {id(mv): earliest(m.move_day(mv)) for mv in moves})


def located(at: Locate, written: dict[int, Any]) -> Locate:
    """`at` for a plain spec of `plain_spec`: a copy is located where its move was written."""
    if not written:
        return at
    return lambda item: at(written.get(id(item), item))
