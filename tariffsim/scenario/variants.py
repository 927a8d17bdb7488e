"""Assumptions laid over a scenario: the grid vocabulary of `tariffsim.sweep`.

An assumption is a key and a value; the key says what the value changes:

    rate:<measure>@<day>           a rate ("20%"): the measure's rate from that day on (the
                                   rate of the set_rate or impose moves that change it that
                                   day, else a set_rate move added on that day)
    move-rate:<move-id>            a rate: the rate the move sets (set_rate, impose), or a
                                   suspend move's residual rate while suspended
    date:<move-id>                 a day: the move's day (a suspend move's `from`)
    until:<move-id>                a day: the move's `until` (suspend, extend, move_expiry)
    probability:<branch>/<option>  a probability ("60%"): the option's; the branch's other
                                   options are rescaled so that it sums to 100% (dropped at
                                   100%)

A `<move-id>` may name a move anywhere: the scenario's moves, a trigger's `then`/`else`, a
branch option's moves; every move of that id changes. Rates and probabilities are written
as in a scenario file (`"25%"`); days as text (YYYY-MM-DD), `date`, `datetime`,
`pd.Timestamp` or `np.datetime64`. A key that names nothing, or a value that does not
parse, is a `ScenarioError` (a `ValueError`) naming the key.

`apply(spec, assumptions)` returns a new spec: items not touched are the base's own objects
(so positions in errors still point at the base's files). Cross-checks are left to
`loading.derived`, which a variant goes through like any loaded scenario.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tariffsim.arguments import as_day
from tariffsim.errors import Diagnostic, ScenarioError
from tariffsim.scenario import model as m
from tariffsim.scenario.diagnostics import unknown
from tariffsim.scenario.values import parse_probability, parse_rate

KINDS = ("rate", "move-rate", "date", "until", "probability")
SWEEP_SOURCE = "tariffsim-sweep"  # the reference the moves a sweep adds cite


def problem(key: str, message: str) -> ScenarioError:
    """A ScenarioError about one grid key."""
    return ScenarioError([Diagnostic(f"grid key '{key}'", 0, 0, message)])


@dataclass(frozen=True)
class Assumption:
    """One parsed grid key: its kind, what it names, and the value's parser."""

    key: str
    kind: str
    target: str

    @classmethod
    def parse(cls, key: Any) -> Assumption:
        if not isinstance(key, str) or ":" not in key:
            raise problem(str(key), f"a grid key is 'kind:target', kind one of {', '.join(KINDS)}")
        kind, _, target = key.partition(":")
        if kind not in KINDS:
            raise problem(key, unknown("kind", kind, KINDS) + f"; the kinds: {', '.join(KINDS)}")
        parts = {"rate": "@", "probability": "/"}
        sep = parts.get(kind)
        if not target or (sep and len([p for p in target.split(sep) if p]) != 2):
            shape = {"rate": "rate:<measure>@<day>", "probability": "probability:<branch>/<option>"}
            raise problem(key, f"write it as {shape.get(kind, f'{kind}:<move-id>')}")
        return cls(key, kind, target)

    def value(self, raw: Any) -> Any:
        """The value as the spec holds it: a fraction or a date."""
        try:
            if self.kind in ("date", "until"):
                return as_day(raw, self.key)
            if self.kind == "probability":
                return parse_probability(raw)
            return parse_rate(raw)
        except ScenarioError as exc:
            raise problem(self.key, exc.diagnostics[0].message) from None
        except ValueError as exc:  # pydantic_core's custom errors are ValueErrors
            raise problem(self.key, str(exc)) from None


def apply(spec: m.ScenarioSpec, assumptions: Sequence[tuple[str, Any]]) -> m.ScenarioSpec:
    """`spec` with each (key, value) laid over it, in order."""
    parsed = [(Assumption.parse(key), raw) for key, raw in assumptions]
    branches = [a.target.split("/")[0] for a, _ in parsed if a.kind == "probability"]
    for a, _ in parsed:
        if a.kind == "probability" and branches.count(a.target.split("/")[0]) > 1:
            raise problem(a.key, "another key sets an option of the same branch: one per branch")
    for a, raw in parsed:
        spec = EDITS[a.kind](spec, a, a.value(raw))
    return spec


# ---------------------------------------------------------------------- the edits


def add_rate(spec: m.ScenarioSpec, a: Assumption, rate: float) -> m.ScenarioSpec:
    """The measure's rate from the day on: the rate of the set_rate or impose moves that
    already change it that day, else a set_rate move added."""
    measure, _, day_text = a.target.partition("@")
    day = as_day(day_text, a.key)
    known = {x.id for x in spec.measures}
    if measure not in known:
        raise problem(a.key, unknown("measure", measure, known))

    def that_day(mv: Any) -> bool:
        return mv.kind in ("set_rate", "impose") and mv.measure == measure and mv.date == day

    found: list[Any] = []
    edited = edit_moves(spec, that_day, lambda mv: mv.model_copy(update={"rate": rate}), found)
    if found:
        return edited
    move = m.SetRate.model_construct(  # values parsed already
        kind="set_rate",
        id=f"sweep-{measure}-{day.isoformat()}"[:80],
        measure=measure,
        date=day,
        rate=rate,
        sources=[SWEEP_SOURCE],
    )
    refs = list(spec.references)
    if SWEEP_SOURCE not in {r.id for r in refs}:
        refs.append(m.Reference(id=SWEEP_SOURCE, title="A swept assumption, not a fact"))
    return spec.model_copy(update={"moves": [*spec.moves, move], "references": refs})


MOVE_FIELDS = {
    "move-rate": {"set_rate": "rate", "impose": "rate", "suspend": "rate"},
    "date": {"suspend": "from_", **{k: "date" for k in m.MOVE_KINDS if k != "suspend"}},
    "until": {"suspend": "until", "extend": "until", "move_expiry": "until"},
}


def set_move_field(spec: m.ScenarioSpec, a: Assumption, value: Any) -> m.ScenarioSpec:
    fields = MOVE_FIELDS[a.kind]

    def change(mv: Any) -> Any:
        if mv.kind not in fields:
            raise problem(a.key, f"move '{a.target}' is a {mv.kind} move, which has no {a.kind}")
        return mv.model_copy(update={fields[mv.kind]: value})

    found: list[Any] = []
    edited = edit_moves(spec, lambda mv: mv.id == a.target, change, found)
    if not found:
        raise problem(a.key, unknown("move id", a.target, move_ids(spec)))
    return edited


def set_probability(spec: m.ScenarioSpec, a: Assumption, p: float) -> m.ScenarioSpec:
    branch_id, _, option_id = a.target.partition("/")
    found: list[m.Branch] = []

    def change(br: m.Branch) -> m.Branch:
        ids = [o.id for o in br.options]
        if option_id not in ids:
            raise problem(a.key, unknown("option", option_id, ids) + f" (branch '{branch_id}')")
        rest = sum(o.probability for o in br.options if o.id != option_id)
        if p < 1 and rest <= 0:
            raise problem(a.key, f"branch '{branch_id}' has no other option to take {1 - p:.0%}")
        scale = (1 - p) / rest if rest else 0.0
        options = [
            o.model_copy(update={"probability": p if o.id == option_id else o.probability * scale})
            for o in br.options
            if o.id == option_id or p < 1
        ]
        return br.model_copy(update={"options": options})

    edited = spec.model_copy(
        update={"branches": edit_branches(spec.branches, branch_id, change, found)}
    )
    if not found:
        known = [b.id for b in walk_branches(spec.branches)]
        raise problem(a.key, unknown("branch", branch_id, known))
    return edited


EDITS: dict[str, Callable[[m.ScenarioSpec, Assumption, Any], m.ScenarioSpec]] = {
    "rate": add_rate,
    "move-rate": set_move_field,
    "date": set_move_field,
    "until": set_move_field,
    "probability": set_probability,
}


# ---------------------------------------------------------------------- walking the spec


def walk_branches(branches: Iterable[m.Branch]) -> Iterable[m.Branch]:
    for br in branches:
        yield br
        for o in br.options:
            yield from walk_branches(o.branches)


def edit_branches(
    branches: list[m.Branch], branch_id: str, change: Callable, found: list
) -> list[m.Branch]:
    """`branches` with every branch `branch_id` (at any depth) changed; others kept as is."""
    out = []
    for br in branches:
        if br.id == branch_id:
            found.append(br)
            br = change(br)
        options = [
            o.model_copy(update={"branches": sub}) if not same(sub, o.branches) else o
            for o in br.options
            for sub in [edit_branches(o.branches, branch_id, change, found)]
        ]
        out.append(
            br.model_copy(update={"options": options}) if not same(options, br.options) else br
        )
    return out


def edit_moves(spec: Any, match: Callable, change: Callable, found: list) -> Any:
    """`spec` (or an option) with the moves that `match` changed, wherever they are."""

    def moves(items: list) -> list:
        hits = [mv for mv in items if match(mv)]
        found.extend(hits)
        return [change(mv) if match(mv) else mv for mv in items] if hits else items

    def triggers(items: list) -> list:
        out = [t.model_copy(update={"then": moves(t.then), "else_": moves(t.else_)}) for t in items]
        return (
            items
            if all(
                same(a.then, b.then) and same(a.else_, b.else_)
                for a, b in zip(out, items, strict=True)
            )
            else out
        )

    def branches(items: list) -> list:
        out = []
        for br in items:
            options = [edit_moves(o, match, change, found) for o in br.options]
            out.append(
                br if same(options, br.options) else br.model_copy(update={"options": options})
            )
        return out

    update = {"moves": moves(spec.moves), "triggers": triggers(spec.triggers)}
    update["branches"] = branches(spec.branches)
    if all(same(update[k], getattr(spec, k)) for k in update):
        return spec
    return spec.model_copy(update=update)


def move_list(spec: Any) -> list:
    every: list = []
    edit_moves(spec, lambda mv: True, lambda mv: mv, every)
    return every


def move_ids(spec: m.ScenarioSpec) -> set[str]:
    return {mv.id for mv in move_list(spec) if mv.id is not None}


def same(a: list, b: list) -> bool:
    """The same objects in the same order (an edit that changed nothing)."""
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))
