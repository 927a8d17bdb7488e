"""The clock: a small discrete-event kernel (in the spirit of SimPy) that applies a scenario's
dated moves and triggers in day order to the measures' timelines.

Only this dynamic part (triggers may depend on earlier moves) is stepped in Python, once
per dated item; rates are computed afterwards at change points over product vectors
(`tariffsim.engine.stacker`). The clock takes the validated spec and a way to locate an
item in its file (`locate`), so that a move refused while running points at its line.
"""

from __future__ import annotations

import heapq
from datetime import date
from typing import Any

from tariffsim.engine.conditions import TriggerCycle, dependency_order, trigger_outcome
from tariffsim.engine.events import Event, RunState
from tariffsim.engine.moves import HANDLERS, KIND_ORDER, MoveRefused
from tariffsim.engine.timeline import Schedule, Timeline
from tariffsim.errors import Locate, ScenarioError
from tariffsim.scenario import model as m

MOVE, TRIGGER = 0, 1  # on one day, moves apply before triggers are evaluated


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


def _field(item: Any, name: str) -> Any:
    """A move's field, or None where that kind of move has no such field (fast path)."""
    return item.__dict__.get(name)


def _move_key(mv: Any) -> tuple[Any, ...]:
    """The order of one day's moves, from their content alone (never the written order)."""
    return (
        KIND_ORDER[mv.kind],
        _field(mv, "measure") or "",
        _field(mv, "flag") or "",
        mv.id or "",
        str(_field(mv, "until") or ""),
        _field(mv, "rate") or 0.0,
    )


class Clock:
    """Schedule items on days, then step through them in order: a day's moves first (in
    `KIND_ORDER`), then its triggers (in dependency order), whose moves may be scheduled
    later or applied at once."""

    def __init__(self, spec: m.ScenarioSpec, locate: Locate) -> None:
        self.locate = locate
        self.state = RunState(compile_timelines(spec))
        self._queue: list[tuple[date, int, tuple[Any, ...], int, Any, m.Trigger | None]] = []
        self._count = 0
        for mv in spec.moves:
            self.schedule(m.move_day(mv), mv)
        for trig in spec.triggers:
            self.schedule(trig.date, trig)

    @property
    def now(self) -> date | None:
        """The day of the next item, or None when nothing is left."""
        return self._queue[0][0] if self._queue else None

    def schedule(self, day: date, item: Any, trigger: m.Trigger | None = None) -> None:
        """Queue a move (of `trigger`, if it has one) or a trigger on `day`."""
        if isinstance(item, m.Trigger):
            phase, key = TRIGGER, (item.id,)
        else:
            phase, key = MOVE, _move_key(item)
        self._count += 1
        heapq.heappush(self._queue, (day, phase, key, self._count, item, trigger))

    def step(self) -> None:
        """Apply the next move, or evaluate all triggers of the next trigger day."""
        day, phase, _key, _n, item, trigger = heapq.heappop(self._queue)
        if phase == MOVE:
            self.apply(day, item, trigger)
            return
        same_day = [item]
        while self._queue and self._queue[0][:2] == (day, TRIGGER):
            same_day.append(heapq.heappop(self._queue)[4])
        try:
            ordered = dependency_order(same_day)
        except TriggerCycle as cycle:
            first = cycle.pending[0]
            self._refuse(
                first, f"triggers on {first.date} depend on each other in a cycle: {cycle}", "id"
            )
        for trig in ordered:
            self.evaluate(day, trig)

    def run(self, until: date | None = None) -> RunState:
        """Step until nothing is left (or up to and including `until`)."""
        while self._queue and (until is None or self._queue[0][0] <= until):
            self.step()
        return self.state

    # ------------------------------------------------------------------ handlers
    def evaluate(self, day: date, trig: m.Trigger) -> None:
        """Log a trigger fired or not (and why), then apply or schedule its moves."""
        fired, why = trigger_outcome(trig, self.state, day)
        moves = trig.then if fired else trig.else_
        detail = f"{trig.description}: {'fired' if fired else 'did not fire'} ({why})"
        if not fired and moves:
            detail += "; applying its 'else' moves"
        self.state.events.append(
            Event(day, "trigger", trig.id, "", fired, detail, tuple(trig.sources))
        )
        for mv in sorted(moves, key=lambda x: (m.move_day(x) or day, KIND_ORDER[x.kind])):
            when = m.move_day(mv) or day
            if when == day:
                self.apply(day, mv, trig)
            else:
                self.schedule(when, mv, trig)

    def apply(self, day: date, mv: Any, trigger: m.Trigger | None) -> None:
        """Apply a move with its kind's handler and log it."""
        try:
            detail = HANDLERS[mv.kind](self.state, mv, day)
        except MoveRefused as refused:
            self._refuse(mv, refused.message, refused.field)
        ref = _field(mv, "measure") or _field(mv, "suspension") or _field(mv, "flag") or ""
        if trigger is not None:
            detail += f" (by trigger '{trigger.id}')"
        sources = tuple(mv.sources) or tuple(trigger.sources if trigger else ())
        self.state.events.append(Event(day, mv.kind, mv.id or "", ref, True, detail, sources))

    def _refuse(self, item: Any, message: str, field: str) -> None:
        raise ScenarioError([self.locate(item).diag(message, field)])
