"""The event log: one line per move applied, trigger evaluated or date the schedule brings
(a measure's start, a suspension's end, an expiry, a scheduled step)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from tariffsim.engine.timeline import Timeline
from tariffsim.scenario import model as m


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


def pct_text(rate: float | None) -> str:
    """A rate as event details print it (`None`: the measure is not in force)."""
    return "not in force" if rate is None else f"{rate * 100:g}%"


def scheduled_events(spec: m.ScenarioSpec, timelines: dict[str, Timeline]) -> Iterator[Event]:
    """The days the schedule brings once every move has run, measure by measure: written
    starts, ends of suspensions, expiries and scheduled steps that still hold."""
    for ms in spec.measures:
        tl = timelines[ms.id]
        yield from _start(ms, tl)
        yield from _suspension_ends(ms, tl)
        yield from _expiry(ms, tl)
        for step in ms.steps:
            if tl.legal_rate(step.date) == step.rate:
                detail = f"scheduled step to {pct_text(step.rate)}"
                sources = tuple(step.sources or ms.sources)
                yield Event(step.date, "step", ms.id, ms.id, True, detail, sources)


def _start(ms: m.Measure, tl: Timeline) -> Iterator[Event]:
    """A measure written in force (or suspended) enters into force on its `from`."""
    if ms.status not in ("in_force", "suspended") or not tl.base:
        return
    first_day, first_rate = tl.base.first()
    if first_day == ms.from_ and first_rate is not None:
        what = f"at {pct_text(first_rate)}" if tl.is_tariff else "(non-tariff)"
        detail = f"{ms.name} enters into force {what}"
        yield Event(ms.from_, "start", ms.id, ms.id, True, detail, tuple(ms.sources))


def _suspension_ends(ms: m.Measure, tl: Timeline) -> Iterator[Event]:
    for s in tl.suspensions:
        if s.until is not None and tl.legal_rate(s.until) is not None:
            back = f"returns to {pct_text(tl.rate(s.until))}" if tl.is_tariff else "in force again"
            detail = f"suspension ends: {ms.id} {back}"
            yield Event(s.until, "deadline", s.id, ms.id, True, detail, tuple(ms.sources))


def _expiry(ms: m.Measure, tl: Timeline) -> Iterator[Event]:
    """An expiry that ends something: the measure was in force the day before."""
    if (
        tl.until is not None
        and tl.base
        and tl.base.first()[0] < tl.until
        and tl.legal_rate(tl.until - timedelta(days=1)) is not None
    ):
        yield Event(tl.until, "expiry", ms.id, ms.id, True, f"{ms.id} expires", tuple(ms.sources))
