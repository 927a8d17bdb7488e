"""Warnings about how a scenario says imports answer duty and when things became known:
valid, but most likely not what its author meant (`lints.warnings` reports them).

- `response.by_imposer` names a country that imposes no tariff in the scenario;
- a `phase_in` that never reaches 100%: imports never reach their long-run response;
- an item `announced` after the day it takes effect: as-of runs on the days between leave
  it out though it applies (right for a retroactive act, else a slip).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from tariffsim.errors import Diagnostic, Locate
from tariffsim.scenario import model as m
from tariffsim.scenario.fields import UncertainDay


def response_and_timing(spec: m.ScenarioSpec, at: Locate) -> Iterator[Diagnostic]:
    """Each warning of the kinds above, at its position."""
    yield from _response(spec, at)
    yield from _late_announcements(spec, at)


def _response(spec: m.ScenarioSpec, at: Locate) -> Iterator[Diagnostic]:
    response = spec.response
    if response is None:
        return
    imposers = {x.imposer for x in spec.measures if x.type == "tariff"}
    for country in response.by_imposer:
        if country not in imposers:
            known = ", ".join(sorted(imposers)) or "none"
            yield at(spec).diag(
                f"no tariff measure is imposed by {country} (imposers: {known}): "
                "these elasticities apply to nothing",
                "response",
                "by_imposer",
                country,
                key=True,
            )
    if response.phase_in:
        last = max(response.phase_in)
        if response.phase_in[last] < 1:
            share = f"{response.phase_in[last] * 100:g}%"
            yield at(spec).diag(
                f"the phase-in ends at {share} after {last} months: imports never reach "
                "their long-run response (give the month they reach 100%)",
                "response",
                "phase_in",
                str(last),
                key=True,
            )


def _late_announcements(spec: m.ScenarioSpec, at: Locate) -> Iterator[Diagnostic]:
    for ms in spec.measures:
        yield from _late(at, ms, ms.announced, ms.from_)
        for i, step in enumerate(ms.steps):
            yield from _late(at, ms, step.announced, step.date, ("steps", i))
    for mv in spec.moves:
        yield from _late(at, mv, mv.announced, m.move_day(mv))
    for trig in spec.triggers:
        yield from _late(at, trig, trig.announced, trig.date)


def _late(
    at: Locate, item: Any, said: date | None, effect: Any, sub: tuple[str | int, ...] = ()
) -> Iterator[Diagnostic]:
    if said is None or effect is None or isinstance(effect, UncertainDay) or said <= effect:
        return
    yield at(item).diag(
        f"announced on {said}, after the day it takes effect ({effect}): as-of runs on the "
        "days between leave it out though it applies (right for a retroactive act)",
        *sub,
        "announced",
    )
