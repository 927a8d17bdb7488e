"""The world as it was known on a day: a scenario without what was announced later.

Each measure, move and trigger became known on its `announced` day, or, when none is given,
on the day it takes effect (a measure's `from`, a move's date, a trigger's test day); a
measure's scheduled step, with its measure unless it says `announced`. Known
threats, deadlines and triggers then play out by their own rules. What names an unknown
item is unknown too: a move on a measure not yet announced, an extension of a suspension
not yet decided, a trigger that tests such a measure, a stacking rule for it.

Branch options are the scenario author's expectations, not announcements: their moves and
triggers stay unless they say `announced` after the day (or name something unknown).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tariffsim.scenario import model as m
from tariffsim.scenario.fields import UncertainDay
from tariffsim.scenario.loading import Origin, Scenario, derived


def known_on(scenario: Scenario, day: date) -> Scenario:
    """`scenario` as it was known on `day`: items announced later left out, checked like a
    loaded scenario (its items keep their positions)."""
    spec = scenario.spec
    cut = _Cut(day, {x.id for x in spec.measures if _announced(x, x.from_) <= day}, scenario)
    cut.unknown_suspensions = {
        mv.id
        for mv, dated, trig in _all_moves(spec)
        if isinstance(mv, m.Suspend)
        and not (cut.move_known(mv, dated=dated) and (trig is None or cut.trigger_known(*trig)))
    }
    new = spec.model_copy(
        update={
            "title": f"{spec.title} (as known on {day})",
            "measures": [cut.measure(x) for x in spec.measures if x.id in cut.measures],
            "moves": [mv for mv in spec.moves if cut.move_known(mv)],
            "triggers": cut.triggers(spec.triggers, options=False),
            "stacking": cut.stacking(spec.stacking),
            "branches": [cut.branch(b) for b in spec.branches],
        }
    )
    # simulate runs the cut at once, and its clock refuses what a rehearsal would
    return derived(scenario, new, f"{scenario.name}@{day}", cut.origins, rehearsal=False)


def _announced(item: Any, effect: Any) -> date:
    """When `item` became known: as written, else the day it takes effect (the first day an
    uncertain date allows; the earliest day there is when it has none)."""
    if item.announced is not None:
        return item.announced
    if isinstance(effect, UncertainDay):
        return min(c.date for c in effect.dates) if effect.dates else effect.between[0]
    return effect if effect is not None else date.min


def _all_moves(spec: m.ScenarioSpec) -> list[tuple[Any, bool, tuple[m.Trigger, bool] | None]]:
    """Every move, at the top, in triggers and in branch options, however deep: with
    whether it is dated by itself, and the trigger it belongs to (and if in an option)."""
    found: list[tuple[Any, bool, tuple[m.Trigger, bool] | None]] = [
        (mv, True, None) for mv in spec.moves
    ]
    triggers = [(t, False) for t in spec.triggers]
    branches = list(spec.branches)
    while branches:
        for option in branches.pop().options:
            found.extend((mv, False, None) for mv in option.moves)
            triggers.extend((t, True) for t in option.triggers)
            branches.extend(option.branches)
    for trig, in_option in triggers:
        found.extend((mv, False, (trig, in_option)) for mv in [*trig.then, *trig.else_])
    return found


@dataclass
class _Cut:
    """What is known on `day`, and the edited items made on the way (with their origins)."""

    day: date
    measures: set[str]
    scenario: Scenario
    unknown_suspensions: set[str | None] = field(default_factory=set)
    origins: dict[int, Origin] = field(default_factory=dict)

    def _edited(self, old: Any, update: dict[str, Any]) -> Any:
        new = old.model_copy(update=update)
        self.origins[id(new)] = self.scenario.origin(old)
        return new

    def measure(self, ms: m.Measure) -> m.Measure:
        """A known measure with the steps known by the day (a step is known with its
        measure unless it says `announced`)."""
        known = _announced(ms, ms.from_)
        steps = [s for s in ms.steps if (s.announced or known) <= self.day]
        return ms if len(steps) == len(ms.steps) else self._edited(ms, {"steps": steps})

    def move_known(self, mv: Any, *, dated: bool = True) -> bool:
        """Known by the day, and naming only known things. A move of a trigger or an option
        (`dated=False`) goes with its trigger or option unless it says `announced`."""
        when = _announced(mv, m.move_day(mv)) if dated else mv.announced or date.min
        if when > self.day:
            return False
        if isinstance(mv, m.Extend):
            if mv.suspension is not None:
                return mv.suspension not in self.unknown_suspensions
            return mv.measure in self.measures
        return getattr(mv, "measure", None) in ({None} | self.measures)

    def _condition_known(self, cond: m.Condition | None) -> bool:
        if cond is None:
            return True
        for ref in (cond.in_force, cond.suspended):
            if ref is not None and ref not in self.measures:
                return False
        parts = [*(cond.all_ or []), *(cond.any_ or []), cond.not_]
        return all(self._condition_known(c) for c in parts if c is not None)

    def trigger_known(self, trig: m.Trigger, in_option: bool) -> bool:
        """Announced by the day (one of an option: unless it says otherwise), and testing
        only known measures."""
        when = trig.announced or (date.min if in_option else trig.date)
        return when <= self.day and self._condition_known(trig.if_ or trig.unless)

    def triggers(self, triggers: list[m.Trigger], *, options: bool) -> list[m.Trigger]:
        out = []
        for trig in triggers:
            if not self.trigger_known(trig, options):
                continue
            then = [mv for mv in trig.then if self.move_known(mv, dated=False)]
            else_ = [mv for mv in trig.else_ if self.move_known(mv, dated=False)]
            same = len(then) == len(trig.then) and len(else_) == len(trig.else_)
            out.append(trig if same else self._edited(trig, {"then": then, "else_": else_}))
        return out

    def stacking(self, rules: list[m.StackingRule]) -> list[m.StackingRule]:
        out = []
        for rule in rules:
            if rule.measure not in self.measures:
                continue
            refs = [ref for ref in rule.not_where if ref in self.measures]
            if refs == rule.not_where:
                out.append(rule)
            elif refs or rule.not_on is not None:
                out.append(self._edited(rule, {"not_where": refs}))
        return out

    def branch(self, branch: m.Branch) -> m.Branch:
        options = [
            self._edited(
                o,
                {
                    "moves": [mv for mv in o.moves if self.move_known(mv, dated=False)],
                    "triggers": self.triggers(o.triggers, options=True),
                    "branches": [self.branch(b) for b in o.branches],
                },
            )
            for o in branch.options
        ]
        return self._edited(branch, {"options": options})


def left_out(scenario: Scenario, day: date) -> str:
    """What `known_on(scenario, day)` leaves out, in a line for a report."""
    known = known_on(scenario, day).spec
    spec = scenario.spec
    counts = [
        (len(spec.measures) - len(known.measures), "measure"),
        (len(spec.moves) - len(known.moves), "move"),
        (len(spec.triggers) - len(known.triggers), "trigger"),
    ]
    named = [f"{n} {noun}{'' if n == 1 else 's'}" for n, noun in counts if n]
    if not named:
        return f"As known on {day}: everything in the scenario had been announced by then."
    return f"As known on {day}: {', '.join(named)} announced later left out."
