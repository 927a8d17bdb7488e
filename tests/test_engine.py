"""The engine's rules: triggers, stacking, headline groups, move errors."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import measure, raw_mfn, raw_share, scenario

from tariffsim import simulate
from tariffsim.errors import ScenarioError


def rate_on(result, day, column="headline_rate", imposer="US", target="CN"):
    row = result.at(day)
    row = row[(row.imposer == imposer) & (row.target == target)]
    return float(row[column].iloc[0])


# Expected effective rates use the packaged trade table read with plain pandas (helpers.py):
# MFN = sum(weight * mfn) over all lines, a scope's share = sum(weight) over its lines.
MFN = raw_mfn()
STEEL = raw_share(["72", "73"])  # about 2.9% of 2024 imports from China


FLAG = [{"id": "deal", "description": "a deal"}]
THREAT = measure("threat", "100%", "2025-06-01", status="threatened", headline=True)


def threat_trigger(**cond):
    return [
        {
            "id": "fire",
            "date": "2025-06-01",
            "description": "threat fires",
            **cond,
            "then": [{"kind": "impose", "measure": "threat"}],
            "sources": ["src"],
        }
    ]


def test_unless_trigger_fires_without_the_flag_and_logs_why():
    r = simulate(scenario([THREAT], flags=FLAG, triggers=threat_trigger(unless={"flag": "deal"})))
    assert rate_on(r, "2025-05-31") == 0 and rate_on(r, "2025-06-01") == 1.0
    ev = r.events[r.events.kind == "trigger"].iloc[0]
    assert ev.fired and "flag 'deal' was not set by 2025-06-01" in ev.detail


def test_unless_trigger_does_not_fire_when_the_flag_is_set_before():
    moves = [{"kind": "set_flag", "flag": "deal", "date": "2025-05-30"}]
    r = simulate(
        scenario([THREAT], moves, flags=FLAG, triggers=threat_trigger(unless={"flag": "deal"}))
    )
    assert rate_on(r, "2025-06-01") == 0
    ev = r.events[r.events.kind == "trigger"].iloc[0]
    assert not ev.fired and "flag 'deal' was set on 2025-05-30" in ev.detail


def test_if_trigger_with_else_branch():
    trig = threat_trigger(**{"if": {"flag": "deal"}})
    trig[0]["else"] = [{"kind": "set_rate", "measure": "base", "rate": "30%"}]
    r = simulate(scenario([measure("base", headline=True), THREAT], flags=FLAG, triggers=trig))
    assert rate_on(r, "2025-06-01") == pytest.approx(0.30)


def test_same_day_triggers_run_in_dependency_order():
    answer = measure("answer", "50%", "2025-06-01", status="threatened", headline=True)
    answer["imposer"], answer["target"] = "CN", "US"
    triggers = [
        *threat_trigger(),
        {
            "id": "a-answer",
            "date": "2025-06-01",
            "description": "answer if the threat fired",
            "if": {"in_force": "threat"},
            "then": [{"kind": "impose", "measure": "answer"}],
            "sources": ["src"],
        },
    ]
    r = simulate(scenario([THREAT, answer], triggers=triggers))
    assert rate_on(r, "2025-06-01", imposer="CN", target="US") == 0.5


def test_trigger_cycle_is_an_error():
    a = measure("a", "10%", status="threatened")
    b = measure("b", "10%", status="threatened")
    triggers = [
        {
            "id": "ta",
            "date": "2025-06-01",
            "description": "a",
            "if": {"in_force": "b"},
            "then": [{"kind": "impose", "measure": "a"}],
        },
        {
            "id": "tb",
            "date": "2025-06-01",
            "description": "b",
            "if": {"in_force": "a"},
            "then": [{"kind": "impose", "measure": "b"}],
        },
    ]
    with pytest.raises(ScenarioError, match="cycle"):
        simulate(scenario([a, b], triggers=triggers))


def test_not_where_rule_excludes_products_under_another_measure():
    base = measure("recip", "10%", headline=True)
    steel = measure("steel", "25%", products={"hs": ["72", "73"]})
    rule = {
        "id": "r",
        "measure": "recip",
        "description": "not on steel",
        "not_where": ["steel"],
        "sources": ["src"],
    }
    r = simulate(scenario([base, steel], stacking=[rule]))
    # steel lines pay 25% instead of 10%; every other line pays 10%
    assert 0.01 < STEEL < 0.1
    assert rate_on(r, "2025-03-01", "effective_rate") == pytest.approx(
        MFN + 0.10 * (1 - STEEL) + 0.25 * STEEL
    )
    assert rate_on(r, "2025-03-01") == pytest.approx(0.10)  # headline ignores exclusions


def test_rule_applies_only_while_the_other_measure_is_in_force():
    base = measure("recip", "10%")
    steel = measure("steel", "25%", start="2025-06-01", products={"hs": ["72", "73"]})
    rule = {"id": "r", "measure": "recip", "description": "x", "not_where": ["steel"]}
    r = simulate(scenario([base, steel], stacking=[rule]))
    # until 31 May steel is not in force: 10% on every line
    assert rate_on(r, "2025-05-31", "effective_rate") == pytest.approx(MFN + 0.10)
    # from 1 June steel lines pay 25% in place of the 10%
    assert rate_on(r, "2025-06-01", "effective_rate") == pytest.approx(
        MFN + 0.10 * (1 - STEEL) + 0.25 * STEEL
    )


def test_dated_not_on_rule():
    base = measure("recip", "10%")
    rule = {
        "id": "r",
        "measure": "recip",
        "description": "x",
        "from": "2025-04-05",
        "not_on": {"lists": ["us-electronics-2025-04"]},
    }
    r = simulate(scenario([base], stacking=[rule]))
    s = raw_share(lists=["us-electronics-2025-04"])
    assert 0.20 < s < 0.25  # the README's 22.3%
    # the rule starts on 5 April: 10% everywhere the day before, none on the list from then
    assert rate_on(r, "2025-04-04", "effective_rate") == pytest.approx(MFN + 0.10)
    assert rate_on(r, "2025-04-05", "effective_rate") == pytest.approx(MFN + 0.10 * (1 - s))


def test_headline_group_counts_its_highest_member_once():
    a = measure("l1", "25%", headline="s301", products={"hs": ["84"]})
    b = measure("l4a", "7.5%", headline="s301", products={"hs": ["61"]})
    r = simulate(scenario([a, b]))
    assert rate_on(r, "2025-02-01") == pytest.approx(0.25)


def test_extend_that_shortens_is_refused_with_position():
    moves = [
        {"id": "s", "kind": "suspend", "measure": "m", "from": "2025-03-01", "until": "2025-06-01"},
        {"kind": "extend", "suspension": "s", "date": "2025-04-01", "until": "2025-05-01"},
    ]
    with pytest.raises(ScenarioError, match="would shorten it"):
        simulate(scenario([measure("m")], moves))


def test_late_extension_is_refused():
    moves = [
        {"id": "s", "kind": "suspend", "measure": "m", "from": "2025-03-01", "until": "2025-06-01"},
        {"kind": "extend", "suspension": "s", "date": "2025-07-01", "until": "2025-09-01"},
    ]
    with pytest.raises(ScenarioError, match="already ended"):
        simulate(scenario([measure("m")], moves))


def test_change_scope_moves_coverage():
    moves = [
        {"kind": "change_scope", "measure": "m", "date": "2025-06-01", "products": {"hs": ["85"]}}
    ]
    r = simulate(scenario([measure("m", "10%")], moves))
    s = raw_share(["85"])  # about 27.7% of imports
    assert 0.2 < s < 0.35
    assert rate_on(r, "2025-05-31", "effective_rate") == pytest.approx(MFN + 0.10)
    assert rate_on(r, "2025-06-01", "effective_rate") == pytest.approx(MFN + 0.10 * s)


def test_non_tariff_measures_add_no_rate_but_are_explained():
    fees = {
        "id": "fees",
        "name": "port fees",
        "imposer": "US",
        "target": "CN",
        "type": "non_tariff",
        "authority": "x",
        "from": "2025-03-01",
        "sources": ["src"],
        "headline": True,
    }
    r = simulate(scenario([measure("m", "10%", headline=True), fees]))
    for day in ("2025-02-28", "2025-03-01", "2025-12-31"):  # fees in force from 1 March
        assert rate_on(r, day) == pytest.approx(0.10)  # m's 10% only
        assert rate_on(r, day, "effective_rate") == pytest.approx(MFN + 0.10)
    assert set(r.layers.measure) == {"mfn", "m"}
    assert r.explain("2025-02-28").set_index("measure").loc["fees", "status"] == "not yet in force"
    row = r.explain("2025-03-02").set_index("measure").loc["fees"]
    assert row.status == "in force" and "non-tariff" in row.rule


def test_rates_are_change_point_based_and_daily_on_output():
    raise_rate = {"kind": "set_rate", "measure": "m", "date": "2025-07-01", "rate": "20%"}
    r = simulate(scenario([measure("m", "10%", headline=True)], [raise_rate]))
    assert len(r.starts) == 2
    us = r.rates[r.rates.imposer == "US"]
    assert len(us) == 365 and us.date.is_monotonic_increasing
    assert np.allclose(us.headline_rate.to_numpy()[:181], 0.10)
    assert np.allclose(us.headline_rate.to_numpy()[181:], 0.20)


def test_simulate_checks_its_dates():
    with pytest.raises(ScenarioError, match="before the start"):
        simulate(scenario([measure("m")]), "2025-06-01", "2025-05-01")
    result = simulate(scenario([measure("m")]), "2025-01-01", "2025-12-31")
    # a bad day is the argument's fault, not the scenario file's: no file position
    with pytest.raises(ScenarioError) as exc:
        result.at("2030-01-01")
    assert [str(d) for d in exc.value.diagnostics] == [
        "day: 2030-01-01 is outside the simulated days 2025-01-01 to 2025-12-31"
    ]
    with pytest.raises(ScenarioError) as exc:
        result.explain("2024-12-31")
    assert [str(d) for d in exc.value.diagnostics] == [
        "day: 2024-12-31 is outside the simulated days 2025-01-01 to 2025-12-31"
    ]


def test_the_clock_steps_in_day_order_and_runs_until_a_day():
    from datetime import date

    from tariffsim.engine.clock import Clock

    moves = [
        {"kind": "set_rate", "measure": "m", "date": "2025-03-01", "rate": "30%"},
        {"kind": "set_rate", "measure": "m", "date": "2025-02-01", "rate": "20%"},
    ]
    s = scenario([measure("m", "10%", "2025-01-01")], moves)
    clock = Clock(s.spec, s.origin)
    assert clock.now == date(2025, 2, 1)  # the written order does not matter
    state = clock.run(until=date(2025, 2, 1))  # up to and including that day
    tl = state.timelines["m"]
    assert (tl.rate(date(2025, 1, 31)), tl.rate(date(2025, 3, 5))) == (0.10, 0.20)
    assert clock.now == date(2025, 3, 1)  # the March move waits
    clock.step()
    assert clock.now is None and tl.rate(date(2025, 3, 5)) == 0.30
    assert [e.detail for e in state.events] == ["rate 10% → 20%", "rate 20% → 30%"]
