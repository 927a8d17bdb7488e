"""Each move's rule on a single timeline."""

from __future__ import annotations

from datetime import date

from tariffsim.engine.timeline import Schedule, Timeline

D = date


JAN_1 = D(2025, 1, 1)


def timeline(rate: float = 0.25, start: D = JAN_1, threatened: bool = False) -> Timeline:
    tl = Timeline("m", True, Schedule([(start, rate)]), scopes=Schedule([(D.min, "all")]))
    if not threatened:
        tl.base = Schedule([(start, rate)])
    return tl


def test_not_in_force_before_from_half_open_until():
    tl = timeline()
    tl.until = D(2025, 11, 10)
    assert tl.rate(D(2024, 12, 31)) is None
    assert tl.rate(D(2025, 1, 1)) == 0.25
    assert tl.rate(D(2025, 11, 9)) == 0.25
    assert tl.rate(D(2025, 11, 10)) is None


def test_set_rate_holds_until_the_next_scheduled_change():
    tl = timeline()
    tl.set_rate(D(2025, 6, 1), 0.50)
    tl.set_rate(D(2025, 3, 1), 0.10)
    assert [tl.rate(D(2025, m, 15)) for m in (2, 3, 6)] == [0.25, 0.10, 0.50]


def test_suspension_restores_the_prior_value_after_its_window():
    tl = timeline(0.34)
    tl.suspend("s", D(2025, 5, 14), D(2025, 8, 12), 0.10)
    assert tl.rate(D(2025, 5, 13)) == 0.34
    assert tl.rate(D(2025, 5, 14)) == 0.10 and tl.suspended(D(2025, 5, 14))
    assert tl.rate(D(2025, 8, 11)) == 0.10
    assert tl.rate(D(2025, 8, 12)) == 0.34 and not tl.suspended(D(2025, 8, 12))


def test_suspension_never_raises_a_rate():
    tl = timeline(0.05)
    tl.suspend("s", D(2025, 2, 1), None, 0.10)
    assert tl.rate(D(2025, 3, 1)) == 0.05


def test_full_suspension_is_not_in_force():
    tl = timeline()
    tl.suspend("s", D(2025, 2, 1), D(2025, 3, 1), 0.0)
    assert not tl.in_force(D(2025, 2, 15)) and tl.in_force(D(2025, 3, 1))


def test_impose_a_threat_uses_its_planned_rate():
    tl = timeline(1.0, D(2025, 11, 1), threatened=True)
    assert tl.rate(D(2025, 11, 5)) is None
    tl.impose(D(2025, 11, 1), None)
    assert tl.rate(D(2025, 11, 5)) == 1.0
    tl2 = timeline(1.0, D(2025, 11, 1), threatened=True)
    tl2.impose(D(2025, 12, 1), 0.5)
    assert tl2.rate(D(2025, 11, 5)) is None and tl2.rate(D(2025, 12, 1)) == 0.5


def test_revoke_ends_and_reimpose_restarts():
    tl = timeline()
    tl.revoke(D(2026, 2, 24))
    assert tl.rate(D(2026, 2, 23)) == 0.25 and tl.rate(D(2026, 2, 24)) is None
    tl.impose(D(2026, 6, 1), 0.1)
    assert tl.rate(D(2026, 3, 1)) is None and tl.rate(D(2026, 6, 1)) == 0.1


def test_scope_changes_from_a_day():
    tl = timeline()
    tl.change_scope(D(2025, 4, 5), "electronics")
    assert tl.scope_at(D(2025, 4, 4)) == "all" and tl.scope_at(D(2025, 4, 5)) == "electronics"


def test_change_days_cover_every_boundary():
    tl = timeline()
    tl.until = D(2026, 1, 1)
    tl.suspend("s", D(2025, 5, 1), D(2025, 6, 1), 0.0)
    assert {D(2025, 1, 1), D(2026, 1, 1), D(2025, 5, 1), D(2025, 6, 1)} <= tl.change_days()
