"""Every rule of the scenario language, checked against rates worked out by hand.

The scenarios run on the synthetic universes of `synthetic/universe.py` (US→CN: 12 lines worth
1000, MFN 0.023; CN→US: 4 lines worth 1000, MFN 0.079). Each expected value is written out with
its arithmetic beside it and is never computed with tariffsim's own functions. Dates are checked
at their edges: the day before, the first day, the last day and the day after.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from synthetic.measures import CN_US, US_CN, tariff
from synthetic.universe import universes

import tariffsim as ts
from tariffsim.errors import ScenarioError
from tariffsim.tables.results import SimulationResult

FLAGS = [{"id": "deal", "description": "a deal is reached"}]


# ------------------------------------------------------------------------------ builders


def non_tariff(
    ident: str, start: str = "2025-01-01", direction: tuple[str, str] = CN_US, **extra: Any
) -> dict[str, Any]:
    return {
        "id": ident,
        "name": ident,
        "imposer": direction[0],
        "target": direction[1],
        "type": "non_tariff",
        "authority": "test",
        "from": start,
        "sources": ["src"],
        **extra,
    }


def run(
    measures: list[dict],
    moves: list[dict] | None = None,
    *,
    horizon: tuple[str, str] | None = ("2025-01-01", "2026-12-31"),
    start: str | None = None,
    **extra: Any,
) -> SimulationResult:
    """Simulate an inline scenario on the synthetic universes."""
    data: dict[str, Any] = {
        "title": "by hand",
        "references": [{"id": "src", "title": "a source"}],
        "flags": FLAGS,
        "measures": measures,
        "moves": moves or [],
        **extra,
    }
    if horizon is not None:
        data["horizon"] = {"start": horizon[0], "end": horizon[1]}
    return ts.simulate(ts.scenario_from_dict(data), start, universes=universes())


def expect(
    result: SimulationResult,
    table: dict[str, tuple[float, float]],
    direction: tuple[str, str] = US_CN,
) -> None:
    """Assert (headline, effective) on each day of `table`."""
    for day, (headline, effective) in table.items():
        row = result.at(day)
        row = row[(row.imposer == direction[0]) & (row.target == direction[1])].iloc[0]
        got = (float(row.headline_rate), float(row.effective_rate))
        assert got == pytest.approx((headline, effective), abs=1e-12), f"{day}: {got}"


def layer(
    result: SimulationResult,
    day: str,
    measure: str,
    column: str = "coverage",
    direction: tuple[str, str] = US_CN,
) -> float | None:
    """A layer's value on a day, None when the layer is not in force."""
    lay = result.layers
    hit = lay[
        (lay.date == day)
        & (lay.measure == measure)
        & (lay.imposer == direction[0])
        & (lay.target == direction[1])
    ]
    return None if hit.empty else float(hit[column].iloc[0])


def fired(result: SimulationResult) -> dict[str, bool]:
    ev = result.events[result.events.kind == "trigger"]
    return dict(zip(ev.id, ev.fired, strict=True))


def move(kind: str, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, **{k.rstrip("_"): v for k, v in fields.items()}}


# A probe makes a condition visible in the rates: 0% on toys (hs 95, value 50), raised to 50%
# on each day the condition holds and set back to 0% (the `else` branch) on each day it does
# not. On a probe day, the probe adds 0.50 to the headline and 0.50 × 50/1000 = 0.025 to the
# effective rate when the condition holds, nothing when it does not.
PROBE = tariff("probe", "0%", hs=["95"], headline=True)


def probe_triggers(days: list[str], key: str = "if", **cond: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": f"t-{day}",
            "date": day,
            "description": f"probe on {day}",
            key: cond,
            "then": [move("set_rate", measure="probe", rate="50%")],
            "else": [move("set_rate", measure="probe", rate="0%")],
            "sources": ["src"],
        }
        for day in days
    ]


# ------------------------------------------------------------------------------ moves


def test_impose_brings_a_threat_into_force_on_its_day():
    threat = tariff("threat", "100%", "2025-06-01", status="threatened", headline=True)
    never = tariff("never", "50%", "2025-06-01", status="threatened", headline=True)
    r = run([threat, never], [move("impose", measure="threat", date="2025-06-01")])
    expect(
        r,
        {
            "2025-05-31": (0.0, 0.023),  # MFN only: 23/1000
            "2025-06-01": (1.0, 1.023),  # 0.023 + 1.00 × 1000/1000 ('never' stays out)
            "2026-12-31": (1.0, 1.023),
        },
    )
    ev = r.events[r.events.kind == "impose"].iloc[0]
    assert ev.detail == "imposed: not in force → 100%"


def test_impose_at_a_given_rate_lasts_until_the_expiry():
    threat = tariff(
        "threat",
        "100%",
        "2025-06-01",
        hs=["85"],
        until="2025-10-01",
        status="threatened",
        headline=True,
    )
    r = run([threat], [move("impose", measure="threat", date="2025-07-01", rate="50%")])
    expect(
        r,
        {
            "2025-06-30": (0.0, 0.023),  # planned from 1 June, but imposed only on 1 July
            "2025-07-01": (0.5, 0.173),  # 0.023 + 0.50 × 300/1000
            "2025-09-30": (0.5, 0.173),  # last day before the expiry
            "2025-10-01": (0.0, 0.023),  # until: first day no longer in force
        },
    )


def test_impose_without_a_rate_follows_the_planned_steps():
    threat = tariff(
        "threat",
        "10%",
        "2025-03-01",
        status="threatened",
        headline=True,
        steps=[{"date": "2025-09-01", "rate": "30%"}],
    )
    r = run([threat], [move("impose", measure="threat", date="2025-06-01")])
    expect(
        r,
        {
            "2025-05-31": (0.0, 0.023),
            "2025-06-01": (0.10, 0.123),  # planned rate on the day: 0.023 + 0.10
            "2025-08-31": (0.10, 0.123),
            "2025-09-01": (0.30, 0.323),  # the planned step: 0.023 + 0.30
        },
    )


def test_set_rate_holds_until_the_next_scheduled_step():
    m = tariff("m", "10%", headline=True, steps=[{"date": "2025-09-01", "rate": "30%"}])
    r = run([m], [move("set_rate", measure="m", date="2025-06-01", rate="25%")])
    expect(
        r,
        {
            "2025-05-31": (0.10, 0.123),  # 0.023 + 0.10
            "2025-06-01": (0.25, 0.273),  # 0.023 + 0.25
            "2025-08-31": (0.25, 0.273),
            "2025-09-01": (0.30, 0.323),  # the step still comes: 0.023 + 0.30
        },
    )


def test_set_rate_on_a_threat_sets_the_rate_it_is_imposed_at():
    threat = tariff("threat", "100%", "2025-06-01", status="threatened", headline=True)
    r = run(
        [threat],
        [
            move("set_rate", measure="threat", date="2025-06-01", rate="60%"),
            move("impose", measure="threat", date="2025-07-01"),
        ],
    )
    expect(
        r,
        {
            "2025-06-30": (0.0, 0.023),  # a rate change alone does not impose
            "2025-07-01": (0.60, 0.623),  # 0.023 + 0.60
        },
    )


def test_set_rate_on_a_threat_before_its_planned_start_sets_the_rate_it_starts_at():
    threat = tariff(
        "threat",
        "100%",
        "2025-06-01",
        status="threatened",
        headline=True,
        steps=[{"date": "2025-09-01", "rate": "200%"}],
    )
    r = run(
        [threat],
        [
            move("set_rate", measure="threat", date="2025-05-01", rate="60%"),
            move("impose", measure="threat", date="2025-07-01"),
        ],
    )
    expect(
        r,
        {
            "2025-06-30": (0.0, 0.023),
            "2025-07-01": (0.60, 0.623),  # not the 100% first planned: 0.023 + 0.60
            "2025-08-31": (0.60, 0.623),
            "2025-09-01": (2.00, 2.023),  # the planned step still comes: 0.023 + 2.00
        },
    )


def test_suspend_charges_the_residual_inside_its_window_only():
    m = tariff("m", "34%", headline=True)
    r = run(
        [m],
        [move("suspend", id="s", measure="m", from_="2025-05-14", until="2025-08-12", rate="10%")],
    )
    expect(
        r,
        {
            "2025-05-13": (0.34, 0.363),  # 0.023 + 0.34
            "2025-05-14": (0.10, 0.123),  # residual: 0.023 + 0.10
            "2025-08-11": (0.10, 0.123),
            "2025-08-12": (0.34, 0.363),  # until: the earlier value returns
        },
    )
    assert layer(r, "2025-05-14", "m", "rate") == pytest.approx(0.10)


def test_suspend_to_nothing_takes_the_layer_off():
    m = tariff("m", "25%", hs=["85"], headline=True)
    r = run([m], [move("suspend", measure="m", from_="2025-05-14", until="2025-08-12")])
    expect(
        r,
        {
            "2025-05-13": (0.25, 0.098),  # 0.023 + 0.25 × 300/1000
            "2025-05-14": (0.0, 0.023),  # residual 0% by default
            "2025-08-11": (0.0, 0.023),
            "2025-08-12": (0.25, 0.098),
        },
    )
    assert layer(r, "2025-05-14", "m") is None
    assert layer(r, "2025-08-12", "m") == pytest.approx(0.3)  # 300/1000


def test_overlapping_suspensions_the_latest_declared_wins():
    m = tariff("m", "34%", headline=True)
    r = run(
        [m],
        [
            move(
                "suspend", id="a", measure="m", from_="2025-05-01", until="2025-09-01", rate="10%"
            ),
            move(
                "suspend", id="b", measure="m", from_="2025-06-01", until="2025-07-01", rate="20%"
            ),
        ],
    )
    expect(
        r,
        {
            "2025-05-31": (0.10, 0.123),  # a: 0.023 + 0.10
            "2025-06-01": (0.20, 0.223),  # b, declared later, wins: 0.023 + 0.20
            "2025-06-30": (0.20, 0.223),
            "2025-07-01": (0.10, 0.123),  # b over, a still runs
            "2025-09-01": (0.34, 0.363),  # both over: 0.023 + 0.34
        },
    )


SUSPENDED_34 = [tariff("m", "34%", headline=True)]
SUSPEND_S = move("suspend", id="s", measure="m", from_="2025-05-14", until="2025-08-12", rate="10%")


def test_extend_moves_a_suspensions_end():
    r = run(
        SUSPENDED_34,
        [SUSPEND_S, move("extend", suspension="s", date="2025-08-11", until="2025-11-10")],
    )
    expect(
        r,
        {
            "2025-05-13": (0.34, 0.363),  # 0.023 + 0.34
            "2025-05-14": (0.10, 0.123),  # 0.023 + 0.10
            "2025-08-12": (0.10, 0.123),  # the old end no longer ends it
            "2025-11-09": (0.10, 0.123),
            "2025-11-10": (0.34, 0.363),  # the new end
        },
    )
    ev = r.events[r.events.kind == "extend"].iloc[0]
    assert ev.detail == "suspension 's' extended from 2025-08-12 to 2025-11-10"


def test_extend_decided_on_the_last_possible_day():
    # decided on the day the suspension ends: still in time
    r = run(
        SUSPENDED_34,
        [SUSPEND_S, move("extend", suspension="s", date="2025-08-12", until="2025-09-01")],
    )
    expect(
        r, {"2025-08-12": (0.10, 0.123), "2025-08-31": (0.10, 0.123), "2025-09-01": (0.34, 0.363)}
    )
    # decided the day after: too late
    with pytest.raises(ScenarioError, match="already ended on 2025-08-12"):
        run(
            SUSPENDED_34,
            [SUSPEND_S, move("extend", suspension="s", date="2025-08-13", until="2025-09-01")],
        )


def test_extend_that_would_shorten_a_suspension_is_an_error():
    with pytest.raises(ScenarioError, match="would shorten"):
        run(
            SUSPENDED_34,
            [SUSPEND_S, move("extend", suspension="s", date="2025-06-01", until="2025-08-11")],
        )
    # to the same day: not shorter, so accepted, and nothing changes
    r = run(
        SUSPENDED_34,
        [SUSPEND_S, move("extend", suspension="s", date="2025-06-01", until="2025-08-12")],
    )
    expect(r, {"2025-08-11": (0.10, 0.123), "2025-08-12": (0.34, 0.363)})


def test_extend_an_open_ended_suspension_is_an_error():
    open_ended = move("suspend", id="s", measure="m", from_="2025-05-14", rate="10%")
    with pytest.raises(ScenarioError, match="would shorten"):
        run(
            SUSPENDED_34,
            [open_ended, move("extend", suspension="s", date="2025-06-01", until="2025-12-01")],
        )


def test_extend_a_measures_expiry():
    m = tariff("m", "25%", headline=True, until="2025-07-01")
    r = run([m], [move("extend", measure="m", date="2025-06-15", until="2025-10-01")])
    expect(
        r,
        {
            "2025-06-30": (0.25, 0.273),  # 0.023 + 0.25
            "2025-07-01": (0.25, 0.273),  # the old expiry has gone
            "2025-09-30": (0.25, 0.273),
            "2025-10-01": (0.0, 0.023),  # the new expiry
        },
    )
    with pytest.raises(ScenarioError, match="would shorten"):
        run([m], [move("extend", measure="m", date="2025-06-15", until="2025-06-30")])
    with pytest.raises(ScenarioError, match="would shorten"):
        run(
            [tariff("m", "25%")],
            [move("extend", measure="m", date="2025-06-15", until="2025-10-01")],
        )


def test_move_expiry_may_bring_the_end_forward_or_remove_it():
    m = tariff("m", "25%", headline=True, until="2025-12-01")
    r = run([m], [move("move_expiry", measure="m", date="2025-03-01", until="2025-06-01")])
    expect(
        r,
        {
            "2025-05-31": (0.25, 0.273),  # 0.023 + 0.25
            "2025-06-01": (0.0, 0.023),  # the new, earlier expiry
            "2025-11-30": (0.0, 0.023),  # the old one brings nothing back
        },
    )
    r = run([m], [move("move_expiry", measure="m", date="2025-03-01", until=None)])
    expect(r, {"2025-12-01": (0.25, 0.273), "2026-12-31": (0.25, 0.273)})


def test_revoke_ends_a_measure_and_drops_its_later_steps():
    m = tariff("m", "25%", headline=True, steps=[{"date": "2025-09-01", "rate": "50%"}])
    r = run(
        [m],
        [
            move("revoke", measure="m", date="2025-06-01"),
            move("set_rate", measure="m", date="2025-10-01", rate="40%"),
        ],
    )
    expect(
        r,
        {
            "2025-05-31": (0.25, 0.273),  # 0.023 + 0.25
            "2025-06-01": (0.0, 0.023),  # revoked: MFN only
            "2025-09-01": (0.0, 0.023),  # the 50% step is dropped
            "2025-10-01": (0.0, 0.023),  # a later set_rate does not revive it
        },
    )
    ev = r.events[r.events.kind == "set_rate"].iloc[0]
    assert ev.detail == "no effect: revoked on 2025-06-01"


def test_change_scope_applies_from_its_day():
    m = tariff("m", "25%", hs=["85"], headline=True)
    r = run(
        [m],
        [
            move("change_scope", measure="m", date="2025-06-01", products={"hs": ["85", "84"]}),
            move("change_scope", measure="m", date="2025-09-01", products={"hs": ["8517"]}),
        ],
    )
    expect(
        r,
        {
            "2025-05-31": (0.25, 0.098),  # 0.023 + 0.25 × 300/1000
            "2025-06-01": (0.25, 0.123),  # 0.023 + 0.25 × (300 + 100)/1000
            "2025-08-31": (0.25, 0.123),
            "2025-09-01": (0.25, 0.073),  # 0.023 + 0.25 × 200/1000
        },
    )
    assert layer(r, "2025-05-31", "m") == pytest.approx(0.3)
    assert layer(r, "2025-06-01", "m") == pytest.approx(0.4)
    assert layer(r, "2025-06-01", "m", "rate") == pytest.approx(0.25)  # one scope at a time
    assert layer(r, "2025-09-01", "m", "contribution") == pytest.approx(0.05)  # 0.25 × 0.2


def test_set_flag_counts_from_its_day():
    a = tariff("a", "10%", hs=["61"], status="threatened", headline=True)
    b = tariff("b", "20%", hs=["94"], status="threatened", headline=True)
    triggers = [
        {
            "id": "t-before",
            "date": "2025-05-31",
            "description": "day before",
            "if": {"flag": "deal"},
            "then": [move("impose", measure="a")],
            "sources": ["src"],
        },
        {
            "id": "t-on",
            "date": "2025-06-01",
            "description": "first day",
            "if": {"flag": "deal"},
            "then": [move("impose", measure="b")],
            "sources": ["src"],
        },
    ]
    r = run([a, b], [move("set_flag", flag="deal", date="2025-06-01")], triggers=triggers)
    assert fired(r) == {"t-before": False, "t-on": True}
    expect(
        r,
        {
            "2025-05-31": (0.0, 0.023),
            "2025-06-01": (0.20, 0.043),  # b only: 0.023 + 0.20 × 100/1000
        },
    )


# ------------------------------------------------------------------------------ conditions


def test_in_force_condition_at_a_measures_edges():
    m = tariff("m", "25%", "2025-03-01", hs=["85"], until="2025-06-01")
    days = ["2025-02-28", "2025-03-01", "2025-05-31", "2025-06-01"]
    r = run([PROBE, m], triggers=probe_triggers(days, in_force="m"))
    assert fired(r) == dict(zip([f"t-{d}" for d in days], [False, True, True, False], strict=True))
    expect(
        r,
        {
            "2025-02-28": (0.0, 0.023),  # MFN only
            "2025-03-01": (0.5, 0.123),  # 0.023 + 0.25 × 300/1000 + 0.025 (probe)
            "2025-05-31": (0.5, 0.123),
            "2025-06-01": (0.0, 0.023),  # m expired, probe set back to 0% by 'else'
        },
    )
    ev = r.events[r.events.id == "t-2025-06-01"].iloc[0]
    assert ev.detail == (
        "probe on 2025-06-01: did not fire ('m' is not in force on "
        "2025-06-01); applying its 'else' moves"
    )


def test_suspended_condition_at_a_suspensions_edges():
    m = tariff("m", "34%")
    days = ["2025-05-13", "2025-05-14", "2025-08-11", "2025-08-12"]
    r = run([PROBE, m], [SUSPEND_S], triggers=probe_triggers(days, suspended="m"))
    assert list(fired(r).values()) == [False, True, True, False]
    expect(
        r,
        {
            "2025-05-13": (0.0, 0.363),  # 0.023 + 0.34
            "2025-05-14": (0.5, 0.148),  # 0.023 + 0.10 (residual) + 0.025 (probe)
            "2025-08-11": (0.5, 0.148),
            "2025-08-12": (0.0, 0.363),
        },
    )


def test_a_measure_that_has_expired_is_not_suspended():
    m = tariff("m", "34%", until="2025-07-01")
    days = ["2025-06-30", "2025-07-01"]
    r = run([PROBE, m], [SUSPEND_S], triggers=probe_triggers(days, suspended="m"))
    assert list(fired(r).values()) == [True, False]  # the window runs on, the measure not
    expect(
        r,
        {
            "2025-06-30": (0.5, 0.148),  # 0.023 + 0.10 + 0.025
            "2025-07-01": (0.0, 0.023),
        },
    )


def test_flag_condition():
    days = ["2025-05-31", "2025-06-01", "2025-06-02"]
    r = run(
        [PROBE],
        [move("set_flag", flag="deal", date="2025-06-01")],
        triggers=probe_triggers(days, flag="deal"),
    )
    assert list(fired(r).values()) == [False, True, True]
    expect(
        r,
        {
            "2025-05-31": (0.0, 0.023),
            "2025-06-01": (0.5, 0.048),  # 0.023 + 0.025
            "2025-06-02": (0.5, 0.048),
        },
    )


def test_all_condition_needs_every_part():
    m = tariff("m", "25%", "2025-03-01", hs=["85"], until="2025-09-01")
    days = ["2025-05-31", "2025-06-01", "2025-08-31", "2025-09-01"]
    cond = [{"flag": "deal"}, {"in_force": "m"}]
    r = run(
        [PROBE, m],
        [move("set_flag", flag="deal", date="2025-06-01")],
        triggers=probe_triggers(days, all=cond),
    )
    # flag / m:  no / yes,  yes / yes,  yes / yes,  yes / no
    assert list(fired(r).values()) == [False, True, True, False]
    expect(
        r,
        {
            "2025-05-31": (0.0, 0.098),  # 0.023 + 0.075 (m: 0.25 × 300/1000)
            "2025-06-01": (0.5, 0.123),  # 0.023 + 0.075 + 0.025 (probe)
            "2025-08-31": (0.5, 0.123),
            "2025-09-01": (0.0, 0.023),
        },
    )


def test_any_condition_needs_one_part():
    m = tariff("m", "25%", "2025-03-01", hs=["85"], until="2025-06-01")
    days = ["2025-02-28", "2025-03-01", "2025-06-01", "2025-09-01"]
    cond = [{"flag": "deal"}, {"in_force": "m"}]
    r = run(
        [PROBE, m],
        [move("set_flag", flag="deal", date="2025-09-01")],
        triggers=probe_triggers(days, any=cond),
    )
    # flag / m:  no / no,  no / yes,  no / no,  yes / no
    assert list(fired(r).values()) == [False, True, False, True]
    expect(
        r,
        {
            "2025-02-28": (0.0, 0.023),
            "2025-03-01": (0.5, 0.123),  # 0.023 + 0.075 (m) + 0.025 (probe)
            "2025-06-01": (0.0, 0.023),
            "2025-09-01": (0.5, 0.048),  # 0.023 + 0.025
        },
    )


def test_not_condition_inverts():
    days = ["2025-05-31", "2025-06-01"]
    r = run(
        [PROBE],
        [move("set_flag", flag="deal", date="2025-06-01")],
        triggers=probe_triggers(days, **{"not": {"flag": "deal"}}),
    )
    assert list(fired(r).values()) == [True, False]
    expect(r, {"2025-05-31": (0.5, 0.048), "2025-06-01": (0.0, 0.023)})


def test_not_of_any_is_none():
    m = tariff("m", "25%", "2025-03-01", hs=["85"], until="2025-06-01")
    days = ["2025-02-28", "2025-03-01", "2025-06-01"]
    cond = {"any": [{"flag": "deal"}, {"in_force": "m"}]}
    r = run([PROBE, m], triggers=probe_triggers(days, **{"not": cond}))
    assert list(fired(r).values()) == [True, False, True]
    expect(
        r,
        {
            "2025-02-28": (0.5, 0.048),
            "2025-03-01": (0.0, 0.098),  # 0.023 + 0.075
            "2025-06-01": (0.5, 0.048),
        },
    )


def test_unless_fires_when_the_condition_does_not_hold():
    days = ["2025-05-31", "2025-06-01"]
    r = run(
        [PROBE],
        [move("set_flag", flag="deal", date="2025-06-01")],
        triggers=probe_triggers(days, key="unless", flag="deal"),
    )
    assert list(fired(r).values()) == [True, False]
    expect(r, {"2025-05-31": (0.5, 0.048), "2025-06-01": (0.0, 0.023)})
    ev = r.events[r.events.id == "t-2025-06-01"].iloc[0]
    assert "did not fire (flag 'deal' was set on 2025-06-01); applying its 'else'" in ev.detail


THREAT = tariff("threat", "100%", "2025-06-01", status="threatened", headline=True)
BASE_20 = tariff("base", "20%", headline=True)


def deal_trigger(**extra: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": "talks",
            "date": "2025-06-01",
            "description": "the threat unless a deal",
            "if": {"flag": "deal"},
            "then": [move("set_rate", measure="base", rate="10%")],
            "else": [move("impose", measure="threat")],
            "sources": ["src"],
            **extra,
        }
    ]


def test_else_branch_applies_when_the_condition_fails():
    r = run([BASE_20, THREAT], triggers=deal_trigger())
    expect(
        r,
        {
            "2025-05-31": (0.20, 0.223),  # 0.023 + 0.20
            "2025-06-01": (1.20, 1.223),  # else: threat imposed, 0.023 + 0.20 + 1.00
        },
    )
    assert fired(r) == {"talks": False}


def test_then_branch_applies_when_the_condition_holds():
    r = run(
        [BASE_20, THREAT],
        [move("set_flag", flag="deal", date="2025-05-01")],
        triggers=deal_trigger(),
    )
    expect(
        r,
        {
            "2025-05-31": (0.20, 0.223),
            "2025-06-01": (0.10, 0.123),  # then: base 10%, no threat: 0.023 + 0.10
        },
    )


def test_else_move_with_a_later_date():
    trig = deal_trigger(**{"else": [move("impose", measure="threat", date="2025-07-01")]})
    r = run([BASE_20, THREAT], triggers=trig)
    expect(r, {"2025-06-30": (0.20, 0.223), "2025-07-01": (1.20, 1.223)})


def test_trigger_without_condition_always_fires():
    trig = [
        {
            "id": "go",
            "date": "2025-06-01",
            "description": "always",
            "then": [move("impose", measure="threat")],
            "sources": ["src"],
        }
    ]
    r = run([THREAT], triggers=trig)
    expect(r, {"2025-05-31": (0.0, 0.023), "2025-06-01": (1.0, 1.023)})
    assert fired(r) == {"go": True}


# ------------------------------------------------------------------------------ stacking

RECIP = tariff("recip", "10%", headline=True)
S232 = tariff("s232", "25%", "2025-03-12", hs=["72", "73"])


def rule(**fields: Any) -> dict[str, Any]:
    return {
        "id": "r",
        "measure": "recip",
        "description": "a stacking rule",
        "sources": ["src"],
        **{k.rstrip("_"): v for k, v in fields.items()},
    }


def test_not_where_rule_at_its_from_and_until_edges():
    r = run(
        [RECIP, S232], stacking=[rule(not_where=["s232"], from_="2025-04-05", until="2025-09-01")]
    )
    expect(
        r,
        {
            "2025-03-11": (0.10, 0.123),  # 0.023 + 0.10
            "2025-03-12": (0.10, 0.173),  # + 0.25 × 200/1000 = 0.05; rule not yet active
            "2025-04-04": (0.10, 0.173),
            "2025-04-05": (0.10, 0.153),  # 0.023 + 0.10 × 800/1000 + 0.05
            "2025-08-31": (0.10, 0.153),
            "2025-09-01": (0.10, 0.173),  # until: the rule no longer applies
        },
    )
    assert layer(r, "2025-04-04", "recip") == pytest.approx(1.0)
    assert layer(r, "2025-04-05", "recip") == pytest.approx(0.8)  # 800/1000
    assert layer(r, "2025-09-01", "recip") == pytest.approx(1.0)


def test_not_where_rule_bites_only_while_the_other_measure_is_in_force():
    moves = [
        move("suspend", measure="s232", from_="2025-06-01", until="2025-07-01"),
        move("suspend", measure="s232", from_="2025-08-01", until="2025-09-01", rate="5%"),
        move("revoke", measure="s232", date="2025-10-01"),
    ]
    r = run([RECIP, S232], moves, stacking=[rule(not_where=["s232"])])
    expect(
        r,
        {
            "2025-03-11": (0.10, 0.123),  # no s232 yet: 0.023 + 0.10
            "2025-03-12": (0.10, 0.153),  # 0.023 + 0.10 × 0.8 + 0.25 × 0.2
            "2025-06-01": (0.10, 0.123),  # s232 suspended to 0: not in force
            "2025-07-01": (0.10, 0.153),
            "2025-08-01": (0.10, 0.113),  # residual 5% in force: 0.023 + 0.08 + 0.05 × 0.2
            "2025-09-30": (0.10, 0.153),
            "2025-10-01": (0.10, 0.123),  # s232 revoked
        },
    )


def test_not_on_rule_at_its_from_and_until_edges():
    r = run(
        [RECIP],
        stacking=[rule(not_on={"hs": ["8517", "8471"]}, from_="2025-04-05", until="2025-09-01")],
    )
    expect(
        r,
        {
            "2025-04-04": (0.10, 0.123),  # 0.023 + 0.10
            "2025-04-05": (0.10, 0.093),  # 0.023 + 0.10 × (1000 - 200 - 100)/1000
            "2025-08-31": (0.10, 0.093),
            "2025-09-01": (0.10, 0.123),
        },
    )
    rows = r.explain("2025-04-05", "US-CN", product="851713").set_index("measure")
    assert not rows.loc["recip", "applies"] and rows.loc["recip", "rate"] == 0
    assert rows.loc["total", "rate"] == pytest.approx(0.0)  # MFN 0%, nothing else
    rows = r.explain("2025-04-04", "US-CN", product="851713").set_index("measure")
    assert rows.loc["total", "rate"] == pytest.approx(0.10)


def test_a_rule_without_dates_holds_throughout():
    r = run([RECIP], stacking=[rule(not_on={"hs": ["61"]})])
    expect(
        r,
        {
            "2025-01-01": (0.10, 0.113),  # 0.023 + 0.10 × 900/1000
            "2026-12-31": (0.10, 0.113),
        },
    )


# ------------------------------------------------------------------------------ headline


def test_headline_group_counts_once_at_its_highest_member():
    measures = [
        tariff("l1", "25%", hs=["85"], headline="section-301"),
        tariff("l4a", "7.5%", hs=["61"], headline="section-301"),
        tariff("fent", "20%", headline=True),
        RECIP,
        tariff("steel", "25%", hs=["72"]),
    ]  # not a headline measure
    moves = [
        move("revoke", measure="l1", date="2025-06-01"),
        move("set_rate", measure="l4a", date="2025-09-01", rate="30%"),
    ]
    r = run(measures, moves)
    expect(
        r,
        {
            # headline 0.25 (group) + 0.20 + 0.10; effective 0.023 + 0.25 × 0.3 + 0.075 × 0.1
            #   + 0.20 + 0.10 + 0.25 × 0.15 = 0.023 + 0.075 + 0.0075 + 0.30 + 0.0375
            "2025-05-31": (0.55, 0.443),
            # l1 revoked: the group falls to 7.5%; effective 0.443 - 0.075
            "2025-06-01": (0.375, 0.368),
            "2025-08-31": (0.375, 0.368),
            # l4a at 30% now leads the group: 0.30 + 0.30; effective 0.368 - 0.0075 + 0.03
            "2025-09-01": (0.60, 0.3905),
        },
    )


def test_two_headline_true_measures_both_count():
    r = run(
        [
            tariff("a", "25%", hs=["85"], headline=True),
            tariff("b", "7.5%", hs=["61"], headline=True),
        ]
    )
    # 0.25 + 0.075; effective 0.023 + 0.25 × 0.3 + 0.075 × 0.1 = 0.023 + 0.075 + 0.0075
    expect(r, {"2025-01-01": (0.325, 0.1055)})


# ------------------------------------------------------------------------------ value share

METAL = tariff("metal", "50%", "2025-03-12", hs=["73", "87"], value_share="40%")


def test_value_share_charges_part_of_the_value_and_the_rule_spares_only_that_part():
    r = run([RECIP, METAL], stacking=[rule(not_where=["metal"])])
    expect(
        r,
        {
            "2025-03-11": (0.10, 0.123),  # 0.023 + 0.10
            # metal: 0.50 × 40% × 100/1000 = 0.02; recip spared on 40% of 100: 0.10 × 960/1000
            "2025-03-12": (0.10, 0.139),  # 0.023 + 0.02 + 0.096
        },
    )
    assert layer(r, "2025-03-12", "metal") == pytest.approx(0.1)  # 100/1000
    assert layer(r, "2025-03-12", "metal", "contribution") == pytest.approx(0.02)
    assert layer(r, "2025-03-12", "recip") == pytest.approx(0.96)  # 960/1000
    lines = r.product_rates("2025-03-12", "US-CN").set_index("product").rate
    assert lines["731800"] == pytest.approx(0.30)  # 0.04 + 0.50 × 0.4 + 0.10 × 0.6
    assert lines["870300"] == pytest.approx(0.28)  # 0.02 + 0.50 × 0.4 + 0.10 × 0.6
    assert lines["720100"] == pytest.approx(0.10)  # 0 + 0.10
    rows = r.explain("2025-03-12", "US-CN", product="7318").set_index("measure")
    assert rows.loc["recip", "rate"] == pytest.approx(0.06)  # 0.10 × 0.6
    assert rows.loc["recip", "rule"].startswith("applies to 60% of value")
    assert rows.loc["metal", "rate"] == pytest.approx(0.20)  # 0.50 × 0.4
    assert rows.loc["total", "rate"] == pytest.approx(0.30)
    sections = r.by_section("2025-03-12").set_index("section")
    # section XV: 7201 (100) and 7210 (50) at 0.10, 7318 (50) at 0.30, 7601 (50) at 0.10
    assert sections.loc["XV", "trade_share"] == pytest.approx(0.25)  # 250/1000
    assert sections.loc["XV", "effective_rate"] == pytest.approx(0.14)  # (10+5+15+5)/250
    assert sections.loc["XVII", "effective_rate"] == pytest.approx(0.28)  # 8703 only


def test_value_share_without_a_rule_stacks_on_full_recip():
    r = run([RECIP, METAL])
    expect(r, {"2025-03-12": (0.10, 0.143)})  # 0.023 + 0.02 + 0.10


def test_where_several_measures_spare_a_product_the_largest_share_counts():
    steel = tariff("steel", "25%", "2025-03-12", hs=["7318"])
    r = run([RECIP, METAL, steel], stacking=[rule(not_where=["metal", "steel"])])
    # recip spared on 7318: max(40%, 100%) of 50 = 50; on 8703: 40% of 50 = 20
    # effective 0.023 + 0.02 (metal) + 0.25 × 50/1000 (steel) + 0.10 × (1000 - 70)/1000
    expect(r, {"2025-03-11": (0.10, 0.123), "2025-03-12": (0.10, 0.1485)})
    lines = r.product_rates("2025-03-12", "US-CN").set_index("product").rate
    assert lines["731800"] == pytest.approx(0.49)  # 0.04 + 0.20 + 0.25 + 0


# ------------------------------------------------------------------------------ ordering

ANSWER = tariff("answer", "50%", "2025-11-01", direction=CN_US, status="threatened", headline=True)
EXTRA = tariff("extra", "10%", "2025-11-01", hs=["85"], status="threatened", headline=True)
CHAIN = [
    {
        "id": "a-answer",
        "date": "2025-11-01",
        "description": "China answers the threat",
        "if": {"in_force": "threat"},
        "then": [move("impose", measure="answer")],
        "sources": ["src"],
    },
    {
        "id": "m-again",
        "date": "2025-11-01",
        "description": "the US answers the answer",
        "if": {"in_force": "answer"},
        "then": [move("impose", measure="extra")],
        "sources": ["src"],
    },
    {
        "id": "z-fire",
        "date": "2025-11-01",
        "description": "the threat fires",
        "then": [move("impose", measure="threat")],
        "sources": ["src"],
    },
]


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)])
def test_same_day_triggers_run_in_dependency_order_whatever_the_written_order(order):
    threat = tariff("threat", "100%", "2025-11-01", status="threatened", headline=True)
    r = run([threat, ANSWER, EXTRA], triggers=[CHAIN[i] for i in order])
    # z-fire before a-answer (reads 'threat') before m-again (reads 'answer'): the id order
    # a, m, z would leave both answers unfired
    assert list(fired(r)) == ["z-fire", "a-answer", "m-again"]
    assert all(fired(r).values())
    expect(
        r, {"2025-10-31": (0.0, 0.023), "2025-11-01": (1.10, 1.053)}
    )  # 1.00 + 0.10; 0.023 + 1.00 + 0.10 × 0.3
    expect(r, {"2025-10-31": (0.0, 0.079), "2025-11-01": (0.50, 0.579)}, CN_US)  # 0.079 + 0.50


def test_moves_on_a_day_come_before_its_triggers():
    r = run(
        [THREAT],
        [move("set_flag", flag="deal", date="2025-06-01")],
        triggers=[
            {
                "id": "t",
                "date": "2025-06-01",
                "description": "on the flag's day",
                "if": {"flag": "deal"},
                "then": [move("impose", measure="threat")],
                "sources": ["src"],
            }
        ],
    )
    expect(r, {"2025-05-31": (0.0, 0.023), "2025-06-01": (1.0, 1.023)})


def test_a_triggers_moves_run_in_kind_order_not_written_order():
    # written: extend first, then the suspension it extends; applied: suspend, then extend
    then = [
        move("extend", suspension="s", until="2025-09-01"),
        move("suspend", id="s", measure="m", until="2025-08-01", rate="10%"),
    ]
    trig = [
        {
            "id": "t",
            "date": "2025-06-01",
            "description": "a truce",
            "then": then,
            "sources": ["src"],
        }
    ]
    r = run(SUSPENDED_34, triggers=trig)
    expect(
        r,
        {
            "2025-05-31": (0.34, 0.363),  # 0.023 + 0.34
            "2025-06-01": (0.10, 0.123),  # 0.023 + 0.10
            "2025-08-31": (0.10, 0.123),
            "2025-09-01": (0.34, 0.363),
        },
    )


# ------------------------------------------------------------------------------ errors


def test_a_step_on_the_day_of_an_earlier_step_is_an_error():
    steps = [{"date": "2025-06-01", "rate": "20%"}, {"date": "2025-06-01", "rate": "30%"}]
    with pytest.raises(ScenarioError, match="step dated 2025-06-01 must come after 2025-06-01"):
        run([tariff("m", "10%", steps=steps)])
    with pytest.raises(ScenarioError, match="step dated 2025-01-01 must come after 2025-01-01"):
        run([tariff("m", "10%", steps=[{"date": "2025-01-01", "rate": "20%"}])])
    steps = [{"date": "2025-06-01", "rate": "20%"}, {"date": "2025-06-02", "rate": "30%"}]
    r = run([tariff("m", "10%", steps=steps, headline=True)])
    expect(
        r, {"2025-05-31": (0.10, 0.123), "2025-06-01": (0.20, 0.223), "2025-06-02": (0.30, 0.323)}
    )


def test_two_moves_on_one_measure_and_day_is_an_error():
    moves = [
        move("set_rate", measure="m", date="2025-06-01", rate="20%"),
        move("revoke", measure="m", date="2025-06-01"),
    ]
    with pytest.raises(ScenarioError, match="two moves change 'm' on 2025-06-01"):
        run([tariff("m", "10%")], moves)


# ------------------------------------------------------------------------------ horizon


def test_default_horizon_runs_from_the_first_measure_to_180_days_after_the_last_change():
    a = tariff("a", "10%", "2025-03-01", headline=True)
    b = tariff("b", "20%", "2025-01-15", hs=["85"], until="2025-06-01")
    threat = tariff("threat", "100%", "2025-07-01", status="threatened")
    trig = [
        {
            "id": "t",
            "date": "2025-10-01",
            "description": "unless a deal",
            "unless": {"flag": "deal"},
            "then": [move("set_rate", measure="a", rate="30%")],
            "sources": ["src"],
        }
    ]
    r = run([a, b, threat], [SUSPEND_S | {"measure": "a"}], horizon=None, triggers=trig)
    # first day: the earliest 'from' (b, 15 Jan 2025); last change: the trigger's set_rate on
    # 1 Oct 2025, and 1 Oct + 180 days = 30 Mar 2026 (30 + 30 + 31 + 31 + 28 + 30)
    assert (r.start, r.end) == (date(2025, 1, 15), date(2026, 3, 30))
    us = r.rates[r.rates.imposer == "US"]
    # 15 Jan → 31 Dec 2025: 351 days; 1 Jan → 30 Mar 2026: 31 + 28 + 30 = 89
    assert len(us) == 351 + 89
    expect(
        r,
        {
            "2025-01-15": (0.0, 0.083),  # b only: 0.023 + 0.20 × 300/1000
            "2026-03-30": (0.30, 0.323),
        },
    )  # 0.023 + 0.30


def test_default_horizon_without_moves_or_triggers():
    r = run([tariff("a", "10%", "2025-03-01", until="2025-08-12")], horizon=None)
    # 12 Aug 2025 + 180 days = 8 Feb 2026 (19 + 30 + 31 + 30 + 31 + 31 + 8)
    assert (r.start, r.end) == (date(2025, 3, 1), date(2026, 2, 8))
    # a threat's planned day counts for the start, though it never comes into force
    threat = tariff("threat", "100%", "2025-02-01", status="threatened")
    r = run([tariff("a", "10%", "2025-03-01", until="2025-08-12"), threat], horizon=None)
    assert (r.start, r.end) == (date(2025, 2, 1), date(2026, 2, 8))


def test_default_end_when_only_a_late_start_is_given():
    r = run(
        [tariff("a", "10%", "2025-03-01", until="2025-08-12")], horizon=None, start="2026-06-01"
    )
    # nothing changes after the start: 180 days after it, 28 Nov 2026
    # (29 + 31 + 31 + 30 + 31 + 28)
    assert (r.start, r.end) == (date(2026, 6, 1), date(2026, 11, 28))


# ------------------------------------------------------------------------------ issue 8 item 9


def test_a_suspended_non_tariff_measure_is_not_in_force():
    controls = non_tariff("controls")
    suspend = move(
        "suspend", id="truce", measure="controls", from_="2025-11-10", until="2026-11-10"
    )
    days = ["2025-11-09", "2025-11-10", "2026-11-09", "2026-11-10"]
    r = run([PROBE, controls], [suspend], triggers=probe_triggers(days, in_force="controls"))
    assert list(fired(r).values()) == [True, False, False, True]
    expect(
        r,
        {
            "2025-11-09": (0.5, 0.048),  # in force: 0.023 + 0.025 (probe)
            "2025-11-10": (0.0, 0.023),  # suspended: not in force
            "2026-11-09": (0.0, 0.023),
            "2026-11-10": (0.5, 0.048),  # until: in force again
        },
    )
    ev = r.events[r.events.id == "t-2025-11-10"].iloc[0]
    assert ev.detail == (
        "probe on 2025-11-10: did not fire ('controls' is not in force on "
        "2025-11-10: suspended until 2026-11-10); applying its 'else' moves"
    )
    ev = r.events[r.events.id == "t-2025-11-09"].iloc[0]
    assert "fired ('controls' is in force on 2025-11-09)" in ev.detail
    r = run([PROBE, controls], [suspend], triggers=probe_triggers(days, suspended="controls"))
    assert list(fired(r).values()) == [False, True, True, False]


def test_a_non_tariff_threat_imposed_inside_a_suspension_is_not_in_force():
    controls = non_tariff("controls", status="threatened")
    moves = [
        move("suspend", measure="controls", from_="2025-03-01", until="2025-09-01"),
        move("impose", measure="controls", date="2025-04-01"),
    ]
    days = ["2025-04-01", "2025-09-01"]
    r = run([PROBE, controls], moves, triggers=probe_triggers(days, in_force="controls"))
    assert list(fired(r).values()) == [False, True]
    ev = r.events[r.events.kind == "impose"].iloc[0]
    assert ev.detail == "imposed, but suspended until 2025-09-01"


def test_a_non_tariff_measure_written_as_suspended_is_not_in_force():
    r = run(
        [PROBE, non_tariff("controls", status="suspended")],
        triggers=probe_triggers(["2025-06-01"], in_force="controls"),
    )
    assert fired(r) == {"t-2025-06-01": False}


def test_a_tariff_suspended_to_a_residual_is_in_force_and_to_nothing_is_not():
    m = tariff("m", "34%", direction=CN_US)
    days = ["2025-05-13", "2025-05-14", "2025-08-11", "2025-08-12"]
    residual = SUSPEND_S
    nothing = {**SUSPEND_S, "rate": "0%"}
    r = run([PROBE, m], [residual], triggers=probe_triggers(days, in_force="m"))
    assert list(fired(r).values()) == [True, True, True, True]
    expect(r, {"2025-05-14": (0.0, 0.179)}, CN_US)  # not a headline measure; 0.079 + 0.10
    r = run([PROBE, m], [nothing], triggers=probe_triggers(days, in_force="m"))
    assert list(fired(r).values()) == [True, False, False, True]
    expect(r, {"2025-05-13": (0.5, 0.048), "2025-05-14": (0.0, 0.023), "2025-08-12": (0.5, 0.048)})
    expect(r, {"2025-05-14": (0.0, 0.079), "2025-08-12": (0.0, 0.419)}, CN_US)  # 0.079 + 0.34


def test_tables_say_the_weights_of_the_callers_own_universe():
    result = run([tariff("a", "10%")])
    assert result.rates.attrs["weights"] == "synthetic"
    packaged = ts.simulate(
        ts.scenario_from_dict(
            {
                "title": "packaged",
                "references": [{"id": "src", "title": "a source"}],
                "horizon": {"start": "2025-01-01", "end": "2025-01-31"},
                "measures": [tariff("a", "10%")],
            }
        )
    )
    assert packaged.rates.attrs["weights"] == "2024"


def test_each_state_is_named_on_its_days():
    # explain's status column, by hand from the rules: a partial suspension (10% of 34%) is
    # "partly suspended", a full one "suspended"; "expired" from `until`, "revoked" from the
    # revocation; a threat never imposed "threatened", a void measure "void"; a measure whose
    # `from` has not come "not yet in force".
    measures = [
        tariff("partial", "34%", hs=["61"]),
        tariff("full", "20%", hs=["94"]),
        tariff("ends", "10%", hs=["72"], until="2025-07-01"),
        tariff("gone", "10%", hs=["73"]),
        tariff("threat", "100%", "2025-06-01", status="threatened"),
        tariff("never", "15%", "2025-01-01", hs=["95"], status="void"),
        tariff("later", "5%", "2025-09-01", hs=["03"]),
    ]
    moves = [
        move(
            "suspend",
            id="s1",
            measure="partial",
            from_="2025-05-01",
            until="2025-08-01",
            rate="10%",
        ),
        move("suspend", id="s2", measure="full", from_="2025-05-01", until="2025-08-01", rate="0%"),
        move("revoke", measure="gone", date="2025-06-15"),
    ]
    r = run(measures, moves)

    def states(day: str) -> dict[str, str]:
        table = r.explain(day, "US-CN")
        return {m: s for m, s in zip(table.measure, table.status, strict=True) if m != "mfn"}

    assert states("2025-04-30") == {
        "partial": "in force",
        "full": "in force",
        "ends": "in force",
        "gone": "in force",
        "threat": "threatened",
        "never": "void",
        "later": "not yet in force",
    }
    assert states("2025-07-01") == {
        "partial": "partly suspended",
        "full": "suspended",
        "ends": "expired",
        "gone": "revoked",
        "threat": "threatened",
        "never": "void",
        "later": "not yet in force",
    }
    assert states("2025-09-01")["later"] == "in force"
    assert states("2025-08-01")["partial"] == "in force"  # until: the suspension is over
