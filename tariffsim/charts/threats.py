"""Threatened measures while they are pending: from the day the threat is on record (its
earliest dated source, or the first day charted) until it is carried out, dropped, or
the triggers that could carry it out pass without doing so (else the end of the horizon).
A rate chart draws them apart from what is in force."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tariffsim.arguments import Direction

if TYPE_CHECKING:
    from tariffsim.scenario.model import Measure, ScenarioSpec
    from tariffsim.tables.results import SimulationResult


@dataclass(frozen=True)
class Threat:
    """A threatened measure pending on [start, after)."""

    measure: Measure
    start: date
    after: date
    rate: float  # its planned rate (0 for a non-tariff measure)


def _recorded(spec: ScenarioSpec, measure: Measure) -> date | None:
    """The earliest date among the measure's sources (a fact counts by its reference)."""
    refs = {r.id: r.date for r in spec.references}
    facts = {f.id: f.source for f in spec.facts}
    days = [refs.get(facts.get(s, s)) for s in measure.sources]
    return min((d for d in days if d is not None), default=None)


def _resolved(result: SimulationResult, measure: Measure) -> date | None:
    """The day the threat stops pending: carried out (in effect), dropped (revoked), or
    the last trigger that could impose it passed without doing so."""
    spans = result.spans(measure.id)
    ends = [spans[0][0]] if spans else []
    mine = {
        t.id
        for t in result.scenario.spec.triggers
        if any(getattr(mv, "measure", None) == measure.id for mv in [*t.then, *t.else_])
    }
    passed = []
    for e in result.event_log():
        if e.kind == "revoke" and e.measure == measure.id:
            ends.append(e.date)
        elif e.kind == "trigger" and e.id in mine:
            passed.append(e.date)
            mine.discard(e.id)
    if passed and not mine and not spans:
        ends.append(max(passed))
    return min(ends, default=None)


def pending_threats(result: SimulationResult, pairs: Sequence[Direction]) -> list[Threat]:
    """The scenario's threatened measures of `pairs` while pending within the horizon."""
    spec = result.scenario.spec
    out = []
    for ms in spec.measures:
        if ms.status != "threatened" or (ms.imposer, ms.target) not in pairs:
            continue
        start = max(result.start, _recorded(spec, ms) or result.start)
        after = min(_resolved(result, ms) or date.max, result.end + timedelta(days=1))
        if start < after:
            rate = result.state.timelines[ms.id].planned_rate(ms.from_) if ms.rate else 0.0
            out.append(Threat(ms, start, after, rate))
    return out
