"""Which events a rate chart names, and in which words: short human names taken from the
scenario (measure names, trigger descriptions), never ids.

A day is worth a label when a drawn rate moves on it, a trigger fires, a threat is carried
out or dropped, or a suspension is extended; the day's label names its largest move.
Labels are ranked, so the band that places them (`charts.labels`) keeps the most
important where room runs out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np

from tariffsim.arguments import Direction
from tariffsim.charts.style import TEXT_COLOR, direction_color, percent_text

if TYPE_CHECKING:
    from tariffsim.engine.events import Event
    from tariffsim.scenario.model import Measure
    from tariffsim.tables.results import SimulationResult

NAME_LIMIT = 38  # characters of a short name
MOVE_THRESHOLD = 0.002  # a rate move (headline + effective, as a fraction) worth a label
MEASURE_KINDS = {"start", "step", "set_rate", "impose", "revoke", "suspend", "deadline", "expiry"}


@dataclass(frozen=True)
class KeyEvent:
    """A day worth a label: its text, its rank (lower first) and its colour."""

    day: date
    text: str
    rank: tuple[int, float]
    color: str


def short_name(text: str, limit: int = NAME_LIMIT) -> str:
    """A name short enough for a chart label: without parentheses, cut at its first clause
    when too long ('Section 232 timber, upholstered furniture…' → 'Section 232 timber'),
    else at a word, with an ellipsis."""
    text = re.sub(r"\s*\([^)]*\)", "", text).strip()
    if len(text) <= limit:
        return text
    for sep in (";", ":", ", ", " - ", " – "):
        head = text.split(sep)[0].strip()
        if 8 <= len(head) <= limit:
            return head
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def legend_name(text: str, limit: int = 58) -> str:
    """A name for a legend, which has room: whole when it fits, else cut at a word."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:(") + "…"


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _target(move: object) -> str:
    """The measure (or suspension) a move acts on; '' for a flag."""
    return str(getattr(move, "measure", None) or getattr(move, "suspension", None) or "")


class _Reader:
    """The scenario's words for the events of one result, and the size of each move."""

    def __init__(self, result: SimulationResult, pairs: Sequence[Direction]) -> None:
        spec = result.scenario.spec
        self.result = result
        self.pairs = set(pairs)
        self.measures: dict[str, Measure] = {x.id: x for x in spec.measures}
        self.suspended = {mv.id: mv.measure for mv in spec.moves if mv.kind == "suspend" and mv.id}
        self.triggers = {t.id: t.description for t in spec.triggers}
        self.moved_by = {  # the directions whose measures a trigger's moves touch
            t.id: {
                (ms.imposer, ms.target)
                for mv in [*t.then, *t.else_]
                if (ms := self.measures.get(self.suspended.get(_target(mv), _target(mv))))
            }
            for t in spec.triggers
        }
        self.rates = {(d.imposer, d.target): d for d in result.directions}

    def measure_of(self, event: Event) -> Measure | None:
        mid = self.suspended.get(event.measure, event.measure)
        return self.measures.get(mid)

    def concerns(self, event: Event) -> bool:
        """An event of a drawn direction's measure, or a trigger that moves one (one that
        moves no measure, only flags, concerns every direction)."""
        if event.kind == "trigger":
            moved = self.moved_by.get(event.id, set())
            return not moved or bool(moved & self.pairs)
        ms = self.measure_of(event)
        return ms is not None and (ms.imposer, ms.target) in self.pairs

    def words(self, event: Event) -> str:
        """'IEEPA fentanyl tariff → 10%', 'Section 301 List 1 (25%)', 'Threatened
        additional 100% tariff dropped', 'IEEPA reciprocal tariff back to 34%'."""
        if event.kind == "trigger":  # a description, written as a clause: 'the threat fires'
            words = short_name(self.triggers.get(event.id, event.id))
            return words[:1].upper() + words[1:]
        ms = self.measure_of(event)
        assert ms is not None
        name = short_name(ms.name)
        if ms.status == "threatened" and event.kind == "impose":
            carried = short_name(re.sub(r"^[Tt]hreatened\s+", "", ms.name))
            return carried[:1].upper() + carried[1:] + " takes effect"
        charged = self.result.state.timelines[ms.id].rate(event.date)
        rate = f"{percent_text(charged)}" if charged is not None and ms.type == "tariff" else ""
        if event.kind in ("start", "impose") and rate:
            return f"{name} ({rate})"
        if event.kind in ("step", "set_rate") and rate:
            return f"{name} → {rate}"
        if event.kind == "deadline":
            return f"{name} back to {rate}" if rate else f"{name} resumes"
        verb = {
            "revoke": "dropped" if ms.status == "threatened" else "ends",
            "suspend": "suspended",
            "extend": "suspension extended",
            "expiry": "expires",
        }.get(event.kind, "")
        return f"{name} {verb}".strip()

    def size(self, event: Event) -> float:
        """How much the event's measure moves its direction's rates that day: the change in
        its contribution to the effective rate plus, for a headline measure, in its rate."""
        ms = self.measure_of(event)
        if ms is None or ms.type != "tariff" or event.kind not in MEASURE_KINDS:
            return 0.0
        d = self.rates.get((ms.imposer, ms.target))
        cols = d.by_measure.get(ms.id) if d is not None else None
        if not cols:
            return 0.0
        now, before = self._segments(event.date)
        contribution = d.contribution[:, cols].sum(axis=1)
        move = abs(contribution[now] - (contribution[before] if before is not None else 0.0))
        if ms.headline is not False:
            rates = d.rates[:, cols].max(axis=1)
            move += abs(rates[now] - (rates[before] if before is not None else 0.0))
        return float(move)

    def _segments(self, day: date) -> tuple[int, int | None]:
        now = self.result.segment(day)
        if day <= self.result.start:
            return now, None
        return now, self.result.segment(day - timedelta(days=1))

    def rate_move(self, day: date) -> float:
        """How much the drawn directions' headline and effective rates move on `day`."""
        now, before = self._segments(day)
        if before is None:
            return 0.0
        total = 0.0
        for pair, d in self.rates.items():
            if pair in self.pairs:
                total += abs(d.headline[now] - d.headline[before])
                total += abs(d.effective[now] - d.effective[before])
        return float(total)

    def tier(self, event: Event) -> int | None:
        """0: a trigger fired or a threat carried out or dropped; 1: a rate move;
        2: an extended suspension; None: not worth a label by itself."""
        ms = self.measure_of(event)
        if event.kind == "trigger":
            return 0 if event.fired else None
        if ms is not None and ms.status == "threatened" and event.kind in ("impose", "revoke"):
            return 0
        if event.kind == "extend":
            return 2
        return 1 if self.size(event) > 0 else None


def key_events(result: SimulationResult, pairs: Sequence[Direction]) -> list[KeyEvent]:
    """The days of `result` worth a label on a chart of `pairs`, ranked."""
    reader = _Reader(result, pairs)
    by_day: dict[date, list[tuple[int, float, Event]]] = {}
    for event in result.event_log():
        if not event.fired or not reader.concerns(event):
            continue
        tier = reader.tier(event)
        if tier is not None:
            by_day.setdefault(event.date, []).append((tier, reader.size(event), event))
    out = []
    for day, items in by_day.items():
        move = reader.rate_move(day)
        items.sort(key=lambda t: (t[0], -t[1]))
        tier = min(t[0] for t in items)
        if tier == 1 and move < MOVE_THRESHOLD:
            continue
        out.append(_label(reader, day, [e for _, _, e in items], (tier, -move)))
    return sorted(out, key=lambda k: (k.rank, k.day))


def _label(reader: _Reader, day: date, items: list[Event], rank: tuple[int, float]) -> KeyEvent:
    """A day's label: its first event in words, coloured by its direction when the chart
    shows several; suspensions of both sides ending together are said so."""
    first = items[0]
    sides = {
        (ms.imposer, ms.target)
        for e in items
        if e.kind == "deadline" and (ms := reader.measure_of(e)) is not None and reader.size(e)
    }
    if first.kind == "deadline" and len(sides) > 1:
        return KeyEvent(day, f"{day_text(day)}: Suspensions end on both sides", rank, TEXT_COLOR)
    ms = reader.measure_of(first)
    many = len(reader.pairs) > 1
    color = direction_color((ms.imposer, ms.target)) if ms and many else TEXT_COLOR
    return KeyEvent(day, f"{day_text(day)}: {reader.words(first)}", rank, color)


def move_days(result: SimulationResult, pairs: Sequence[Direction]) -> list[date]:
    """Every day a drawn direction's rate moves: what the unlabelled ticks mark."""
    days = []
    for d in result.directions:
        if (d.imposer, d.target) not in pairs:
            continue
        moved = np.flatnonzero((np.diff(d.headline) != 0) | (np.abs(np.diff(d.effective)) > 1e-9))
        days.extend(date.fromordinal(int(result.starts[i + 1])) for i in moved)
    return sorted(set(days))
