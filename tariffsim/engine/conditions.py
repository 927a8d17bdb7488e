"""Triggers on the clock: whether a condition holds on a day (with a reason a person can
read), and the order in which triggers of one day run."""

from __future__ import annotations

import heapq
from datetime import date

from tariffsim.engine.events import RunState
from tariffsim.scenario import model as m
from tariffsim.scenario.chains import trigger_reads, trigger_writes


def holds(cond: m.Condition, state: RunState, day: date) -> tuple[bool, str]:
    """Evaluate a condition on `day`; returns the truth and a reason a person can read."""
    if cond.flag is not None:
        when = state.flags.get(cond.flag)
        if when is not None and when <= day:
            return True, f"flag '{cond.flag}' was set on {when}"
        return False, f"flag '{cond.flag}' was not set by {day}"
    if cond.in_force is not None:
        return _in_force(cond.in_force, state, day)
    if cond.suspended is not None:
        on = state.timelines[cond.suspended].suspended(day)
        return on, f"'{cond.suspended}' is {'' if on else 'not '}suspended on {day}"
    if cond.not_ is not None:
        value, why = holds(cond.not_, state, day)
        return not value, why
    parts = [holds(c, state, day) for c in (cond.all_ or cond.any_ or [])]
    value = all(v for v, _ in parts) if cond.all_ is not None else any(v for v, _ in parts)
    return value, "; ".join(why for _, why in parts)


def _in_force(measure: str, state: RunState, day: date) -> tuple[bool, str]:
    tl = state.timelines[measure]
    on = tl.in_force(day)
    why = f"'{measure}' is {'' if on else 'not '}in force on {day}"
    susp = tl.suspension_at(day) if not on and tl.suspended(day) else None
    if susp is not None:
        why += f": suspended until {susp.until or 'further notice'}"
    return on, why


def trigger_outcome(trig: m.Trigger, state: RunState, day: date) -> tuple[bool, str]:
    """Whether a trigger fires on `day`, and why."""
    if trig.if_ is not None:
        return holds(trig.if_, state, day)
    if trig.unless is not None:
        held, why = holds(trig.unless, state, day)
        return not held, why
    return True, "unconditional"


class TriggerCycle(Exception):
    """Same-day triggers that wait on each other; `pending` in id order."""

    def __init__(self, pending: list[m.Trigger]) -> None:
        super().__init__(", ".join(t.id for t in pending))
        self.pending = pending


class _Waits:
    """Who waits on whom among one day's triggers: a trigger waits on an id while a pending
    trigger other than itself writes it."""

    def __init__(self, triggers: list[m.Trigger]) -> None:
        self.reads = [trigger_reads(t) for t in triggers]
        self.writes = [trigger_writes(t) for t in triggers]
        self.wrote: dict[str, set[int]] = {}
        for i, refs in enumerate(self.writes):
            for ref in refs:
                self.wrote.setdefault(ref, set()).add(i)
        self.left = {ref: set(who) for ref, who in self.wrote.items()}  # writers not ordered
        self.readers: dict[str, list[int]] = {}
        self.waiting = [0] * len(triggers)  # ids each trigger still waits on
        for i, refs in enumerate(self.reads):
            for ref in refs:
                self.readers.setdefault(ref, []).append(i)
                who = self.wrote.get(ref, ())
                if len(who) > (1 if i in who else 0):
                    self.waiting[i] += 1

    def ordered(self, i: int) -> list[int]:
        """Trigger `i` has been ordered: the triggers that wait no more because of it."""
        freed = []
        for ref in self.writes[i]:
            remaining = self.left[ref]
            remaining.discard(i)
            if len(remaining) == 1:  # a reader that is the last writer waits no more
                last = next(iter(remaining))
                if ref in self.reads[last]:
                    freed.append(last)
            elif not remaining:  # readers that never wrote it wait no more
                freed.extend(k for k in self.readers.get(ref, ()) if k not in self.wrote[ref])
        released = []
        for k in freed:
            self.waiting[k] -= 1
            if self.waiting[k] == 0:
                released.append(k)
        return released


def dependency_order(triggers: list[m.Trigger]) -> list[m.Trigger]:
    """Same-day triggers: one that tests what another changes is evaluated after it.

    Kahn's algorithm over triggers and the ids they read and write, with ready triggers
    taken in id order (the first ready one by id): linear in triggers plus references, so
    thousands of triggers on a day stay cheap. Raises `TriggerCycle` if some never get ready.
    """
    order = sorted(range(len(triggers)), key=lambda i: triggers[i].id)
    rank = {i: r for r, i in enumerate(order)}
    waits = _Waits(triggers)
    ready = [rank[i] for i in order if waits.waiting[i] == 0]
    heapq.heapify(ready)
    ordered: list[m.Trigger] = []
    while ready:
        i = order[heapq.heappop(ready)]
        ordered.append(triggers[i])
        for k in waits.ordered(i):
            heapq.heappush(ready, rank[k])
    if len(ordered) < len(triggers):
        done = {id(t) for t in ordered}
        raise TriggerCycle(sorted((t for t in triggers if id(t) not in done), key=lambda t: t.id))
    return ordered
