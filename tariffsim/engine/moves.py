"""One handler per move kind: each edits the timelines (or flags) of a run and returns the
detail line the event log shows. A move that cannot apply raises `MoveRefused`, which the
clock turns into a diagnostic at the move's position in the file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from tariffsim.engine.events import RunState, pct_text
from tariffsim.scenario import model as m

# Within a day, moves apply flags first, then rate changes, then ends, then suspensions and
# their extensions: a suspension decided on the day a measure starts applies to it.
KIND_ORDER = {
    "set_flag": 0,
    "impose": 1,
    "set_rate": 1,
    "change_scope": 1,
    "revoke": 2,
    "move_expiry": 2,
    "suspend": 3,
    "extend": 4,
}


class MoveRefused(Exception):
    """A move that cannot apply on its day, with the field of the move to point at."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def until_text(until: date | None) -> str:
    return str(until) if until is not None else "further notice"


def set_flag(state: RunState, mv: m.SetFlag, day: date) -> str:
    state.flags.setdefault(mv.flag, day)
    return f"flag '{mv.flag}' set"


def impose(state: RunState, mv: m.Impose, day: date) -> str:
    tl = state.timelines[mv.measure]
    before = tl.rate(day)
    tl.impose(day, mv.rate)
    if tl.is_tariff:
        return f"imposed: {pct_text(before)} → {pct_text(tl.rate(day))}"
    susp = tl.suspension_at(day)
    if susp is None:
        return "imposed: now in force"
    return f"imposed, but suspended until {until_text(susp.until)}"


def set_rate(state: RunState, mv: m.SetRate, day: date) -> str:
    tl = state.timelines[mv.measure]
    before = tl.legal_rate(day)
    if not tl.base:
        tl.set_rate(day, mv.rate)
        return f"planned rate set to {pct_text(mv.rate)} (not in force yet)"
    if tl.set_rate(day, mv.rate):
        return f"rate {pct_text(before)} → {pct_text(mv.rate)}"
    return f"no effect: revoked on {tl.revoked}"


def revoke(state: RunState, mv: m.Revoke, day: date) -> str:
    state.timelines[mv.measure].revoke(day)
    return "revoked: no longer in force"


def change_scope(state: RunState, mv: m.ChangeScope, day: date) -> str:
    state.timelines[mv.measure].change_scope(day, mv.products)
    return "product scope changed"


def move_expiry(state: RunState, mv: m.MoveExpiry, day: date) -> str:
    tl = state.timelines[mv.measure]
    old = tl.until
    tl.until = mv.until
    return f"expiry moved from {old or 'none'} to {mv.until or 'none'}"


def suspend(state: RunState, mv: m.Suspend, day: date) -> str:
    tl = state.timelines[mv.measure]
    tl.suspend(mv.id or f"{mv.measure}@{day}", day, mv.until, mv.rate)
    detail = f"suspended until {until_text(mv.until)}"
    if tl.is_tariff:
        legal = tl.legal_rate(day)
        charged = min(legal, mv.rate) if legal is not None else None
        detail += f": charges {pct_text(charged)} instead of {pct_text(legal)}"
    return detail


def extend(state: RunState, mv: m.Extend, day: date) -> str:
    if mv.suspension is not None:
        return _extend_suspension(state, mv, day)
    tl = state.timelines[mv.measure or ""]
    old = tl.until
    _not_shorter(mv.measure, mv.until, old, f"expiry {old or 'none'}", "move_expiry")
    tl.until = mv.until
    return f"expiry extended from {old} to {mv.until}"


def _not_shorter(name: str | None, until: date, old: date | None, now: str, instead: str) -> None:
    """An extension never shortens: an open-ended end or a later one is refused."""
    if old is None or until < old:
        raise MoveRefused(
            f"extending '{name}' to {until} would shorten it ({now}); use {instead}", "until"
        )


def _extend_suspension(state: RunState, mv: m.Extend, day: date) -> str:
    found = [s for tl in state.timelines.values() for s in tl.suspensions if s.id == mv.suspension]
    if not found:
        raise MoveRefused(f"suspension '{mv.suspension}' has not started by {day}", "suspension")
    susp = found[-1]
    old = susp.until
    if old is not None and day > old:
        raise MoveRefused(
            f"suspension '{mv.suspension}' already ended on {old}; an extension decided on "
            f"{day} is too late: add a new suspend move instead",
            "date",
        )
    _not_shorter(
        mv.suspension,
        mv.until,
        old,
        f"it runs until {until_text(old)}",
        "a move_expiry or a new suspend move",
    )
    susp.until = mv.until
    return f"suspension '{mv.suspension}' extended from {old} to {mv.until}"


HANDLERS: dict[str, Callable[[RunState, Any, date], str]] = {
    "set_flag": set_flag,
    "impose": impose,
    "set_rate": set_rate,
    "revoke": revoke,
    "change_scope": change_scope,
    "move_expiry": move_expiry,
    "suspend": suspend,
    "extend": extend,
}
