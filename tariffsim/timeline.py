"""A measure's rate over time, as the moves of a scenario shape it.

Rates are piecewise constant: a timeline is a few breakpoints ("from this day, this rate"),
an optional expiry and revocation, and suspension windows laid over them. Moves are methods
that edit these pieces; `segments()` flattens them into arrays for the vectorised engine.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date

OPEN_END = date.max


def _first(pair: tuple[date, object]) -> date:
    return pair[0]


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
    planned: list[tuple[date, float]]  # schedule as written (used by impose)
    base: list[tuple[date, float | None]] = field(default_factory=list)  # from day: rate
    #                                              (None: not in force from that day)
    until: date | None = None  # expiry: first day no longer in force
    revoked: date | None = None  # day of the latest revocation (for reports)
    suspensions: list[Suspension] = field(default_factory=list)
    scopes: list[tuple[date, object]] = field(default_factory=list)  # (from day, scope)

    # ----------------------------------------------------------------- lookups
    def _base_at(self, day: date) -> float | None:
        i = bisect_right(self.base, day, key=_first) - 1
        return self.base[i][1] if i >= 0 else None

    def planned_rate(self, day: date) -> float:
        i = bisect_right(self.planned, day, key=_first) - 1
        return self.planned[max(i, 0)][1]

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
        legal = self.legal_rate(day)
        if legal is None:
            return None
        susp = self.suspension_at(day)
        return min(legal, susp.rate) if susp is not None else legal

    def in_force(self, day: date) -> bool:
        """Applies on `day`. A suspension takes a non-tariff measure out of force; a tariff
        stays in force while it still charges a residual rate (a legal 0% counts as in force)."""
        rate = self.rate(day)
        if rate is None:
            return False
        if self.suspension_at(day) is None:
            return True
        return self.is_tariff and rate > 0

    def suspended(self, day: date) -> bool:
        return self.legal_rate(day) is not None and self.suspension_at(day) is not None

    def scope_at(self, day: date) -> object:
        i = bisect_right(self.scopes, day, key=_first) - 1
        return self.scopes[max(i, 0)][1]

    # ----------------------------------------------------------------- moves
    def set_rate(self, day: date, rate: float) -> bool:
        """From `day` the rate is `rate`, until the next scheduled change. A measure not yet
        imposed has its planned rate changed instead (dated before its planned start: the rate
        it starts at); a revoked one is left alone (False)."""
        if not self.base:
            day = max(day, self.planned[0][0])
            self.planned = [bp for bp in self.planned if bp[0] != day] + [(day, rate)]
            self.planned.sort(key=lambda bp: bp[0])
            return True
        if self._base_at(day) is None and self.revoked is not None and day >= self.revoked:
            return False
        self.base = [bp for bp in self.base if bp[0] != day]
        self.base.append((day, rate))
        self.base.sort(key=lambda bp: bp[0])
        return True

    def impose(self, day: date, rate: float | None) -> None:
        """Bring the measure into force from `day`: the given rate, else its planned schedule."""
        self.base = [bp for bp in self.base if bp[0] < day]
        self.base.append((day, rate if rate is not None else self.planned_rate(day)))
        if rate is None:
            self.base.extend(bp for bp in self.planned if bp[0] > day)
        self.base.sort(key=lambda bp: bp[0])

    def revoke(self, day: date) -> None:
        """Not in force from `day` on; later scheduled changes are dropped."""
        self.base = [bp for bp in self.base if bp[0] < day] + [(day, None)]
        self.revoked = day

    def suspend(self, ident: str, start: date, until: date | None, rate: float) -> None:
        self.suspensions.append(Suspension(ident, start, until, rate))

    def change_scope(self, day: date, scope: object) -> None:
        self.scopes = [s for s in self.scopes if s[0] != day]
        self.scopes.append((day, scope))
        self.scopes.sort(key=lambda s: s[0])

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
