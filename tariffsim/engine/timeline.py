"""A measure's rate over time, as the moves of a scenario shape it.

Rates are piecewise constant: a timeline is a few breakpoints ("from this day, this rate"),
an optional expiry and revocation, and suspension windows laid over them. Moves are methods
that edit these pieces; `segments()` flattens them into arrays for the vectorised engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sortedcontainers import SortedDict

OPEN_END = date.max


class Schedule:
    """Breakpoints "from this day, this value", kept sorted: the one primitive every move
    edits (in the spirit of OpenFisca's `Parameter.update`), each edit O(log n)."""

    def __init__(self, points: Iterable[tuple[date, Any]] = ()) -> None:
        self._points: SortedDict = SortedDict(points)

    def __bool__(self) -> bool:
        return bool(self._points)

    def __len__(self) -> int:
        return len(self._points)

    def __iter__(self) -> Iterator[tuple[date, Any]]:
        return iter(self._points.items())

    def first(self) -> tuple[date, Any]:
        return self._points.peekitem(0)

    def at(self, day: date, before_first: Any = None) -> Any:
        """The value holding on `day` (`before_first` before the first breakpoint). On or
        after the last breakpoint, where moves written in date order ask, without a search."""
        points = self._points
        if points:
            last_day, last_value = points.peekitem(-1)  # O(1) in sortedcontainers
            if day >= last_day:
                return last_value
        i = points.bisect_right(day) - 1
        return points[points.keys()[i]] if i >= 0 else before_first

    def at_each(self, days: list[date]) -> list[Any]:
        """The values holding on each of `days` (sorted ascending; None before the first
        breakpoint) in one pass: O(breakpoints + days), not a lookup per day."""
        points = list(self._points.items())
        out, i = [], -1
        for day in days:
            while i + 1 < len(points) and points[i + 1][0] <= day:
                i += 1
            out.append(points[i][1] if i >= 0 else None)
        return out

    def next_after(self, day: date) -> date | None:
        """The first breakpoint after `day`, if any."""
        points = self._points
        if not points or day >= points.peekitem(-1)[0]:
            return None
        return points.keys()[points.bisect_right(day)]

    def update(self, start: date, stop: date | None, value: Any) -> None:
        """`value` on [start, stop); from `stop` on, what held there before. Without `stop`,
        `value` holds to the end and later breakpoints are dropped."""
        if stop is not None:
            after = self.at(stop)
            if stop not in self._points:
                self._points[stop] = after
        if not self._points or start > self._points.peekitem(-1)[0]:
            self._points[start] = value  # appending: nothing to drop
            return
        for day in list(self._points.irange(start, stop, inclusive=(True, False))):
            del self._points[day]
        self._points[start] = value

    def set(self, day: date, value: Any) -> None:
        """`value` from `day` until the next breakpoint."""
        self.update(day, self.next_after(day), value)


class State(StrEnum):
    """A measure's state on a day, in the words `explain` prints."""

    IN_FORCE = "in force"
    PARTLY_SUSPENDED = "partly suspended"  # charging a residual below its own rate
    SUSPENDED = "suspended"
    THREATENED = "threatened"  # announced, never imposed (yet)
    VOID = "void"  # declared void: never in force
    NOT_YET = "not yet in force"
    NOT_IN_FORCE = "not in force"
    EXPIRED = "expired"
    REVOKED = "revoked"


IN_EFFECT = frozenset({State.IN_FORCE, State.PARTLY_SUSPENDED, State.SUSPENDED})
LIVE = IN_EFFECT | {State.THREATENED}  # what `explain` lists without --all


@dataclass
class Suspension:
    """A window [start, until) in which the measure charges `rate` instead of its own."""

    id: str
    start: date
    until: date | None
    rate: float

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.until is None or day < self.until)


@dataclass
class Timeline:
    """The mutable state of one measure while the scenario runs."""

    measure_id: str
    is_tariff: bool
    planned: Schedule  # schedule as written (used by impose)
    base: Schedule = field(default_factory=Schedule)  # from day: rate
    #                                              (None: not in force from that day)
    until: date | None = None  # expiry: first day no longer in force
    revoked: date | None = None  # day of the latest revocation (for reports)
    suspensions: list[Suspension] = field(default_factory=list)
    scopes: Schedule = field(default_factory=Schedule)  # from day: scope
    declared: str = "in_force"  # the status the scenario wrote (in_force, threatened, ...)

    # ----------------------------------------------------------------- lookups
    def _base_at(self, day: date) -> float | None:
        return self.base.at(day)

    def planned_rate(self, day: date) -> float:
        return self.planned.at(day, before_first=self.planned.first()[1])

    def legal_rate(self, day: date) -> float | None:
        """The measure's own rate on `day` (ignoring suspensions); None when not in force."""
        if self.until is not None and day >= self.until:
            return None
        return self._base_at(day)

    def suspension_at(self, day: date) -> Suspension | None:
        """The suspension covering `day`: the latest declared wins where windows overlap."""
        for s in reversed(self.suspensions):
            if s.covers(day):
                return s
        return None

    def rate(self, day: date) -> float | None:
        """What is charged on `day`: None when not in force, the residual when suspended."""
        return self._charge(day, self.legal_rate(day))[0]

    def in_force(self, day: date) -> bool:
        """Applies on `day`. A suspension takes a non-tariff measure out of force; a tariff
        stays in force while it still charges a residual rate (a legal 0% counts as in force)."""
        return self._charge(day, self.legal_rate(day))[1]

    def charges(self, days: list[date]) -> list[tuple[float | None, bool]]:
        """`(rate(day), in_force(day))` for each of `days` (sorted ascending), with one pass
        over the schedule: filling a measure's column costs O(changes), not O(changes × log)."""
        ends = self.until
        return [
            self._charge(day, None if ends is not None and day >= ends else legal)
            for day, legal in zip(days, self.base.at_each(days), strict=True)
        ]

    def _charge(self, day: date, legal: float | None) -> tuple[float | None, bool]:
        """Rate charged and in force, given the legal rate on `day`."""
        if legal is None:
            return None, False
        susp = self.suspension_at(day)
        if susp is None:
            return legal, True
        rate = min(legal, susp.rate)
        return rate, self.is_tariff and rate > 0

    def suspended(self, day: date) -> bool:
        return self.legal_rate(day) is not None and self.suspension_at(day) is not None

    def state(self, day: date) -> State:
        """The measure's state on `day`: the one place that names it."""
        legal = self.legal_rate(day)
        if legal is None:
            if self.revoked is not None and day >= self.revoked:
                return State.REVOKED
            if self.until is not None and day >= self.until and self.base:
                return State.EXPIRED
            if not self.base:
                return {"threatened": State.THREATENED, "void": State.VOID}.get(
                    self.declared, State.NOT_IN_FORCE
                )
            return State.NOT_YET
        susp = self.suspension_at(day)
        if susp is None:
            return State.IN_FORCE
        return State.PARTLY_SUSPENDED if 0 < susp.rate < legal else State.SUSPENDED

    def scope_at(self, day: date) -> object:
        return self.scopes.at(day, before_first=self.scopes.first()[1])

    # ----------------------------------------------------------------- moves
    def set_rate(self, day: date, rate: float) -> bool:
        """From `day` the rate is `rate`, until the next scheduled change. A measure not yet
        imposed has its planned rate changed instead (dated before its planned start: the rate
        it starts at); a revoked one is left alone (False)."""
        if not self.base:
            self.planned.set(max(day, self.planned.first()[0]), rate)
            return True
        if self._base_at(day) is None and self.revoked is not None and day >= self.revoked:
            return False
        self.base.set(day, rate)
        return True

    def impose(self, day: date, rate: float | None) -> None:
        """Bring the measure into force from `day`: the given rate, else its planned schedule."""
        self.base.update(day, None, rate if rate is not None else self.planned_rate(day))
        if rate is None:
            for step, planned in self.planned:
                if step > day:
                    self.base.update(step, None, planned)

    def revoke(self, day: date) -> None:
        """Not in force from `day` on; later scheduled changes are dropped."""
        self.base.update(day, None, None)
        self.revoked = day

    def suspend(self, ident: str, start: date, until: date | None, rate: float) -> None:
        self.suspensions.append(Suspension(ident, start, until, rate))

    def change_scope(self, day: date, scope: object) -> None:
        self.scopes.set(day, scope)

    # ----------------------------------------------------------------- flattening
    def change_days(self) -> set[date]:
        """Every day on which what this measure charges (or covers) may change."""
        days = {d for d, _ in self.base} | {d for d, _ in self.scopes}
        if self.until is not None:
            days.add(self.until)
        for s in self.suspensions:
            days.add(s.start)
            if s.until is not None:
                days.add(s.until)
        return days
