"""`simulate(as_of=D)`: a scenario as it was known on day D (tariffsim/scenario/vintage.py).

One test per rule of the module, checked at its edges, on the synthetic universes of
`synthetic/universe.py` (US→CN: 12 lines worth 1000, MFN 0.023; CN→US: 4 lines worth 1000,
MFN 0.079). Each expected (headline, effective) pair is worked out by hand beside it, never
computed with tariffsim's own functions. Then two properties over the as_of day, and the
bundled history as known on 27 October 2025 and around Busan.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from synthetic.measures import CN_US, US_CN, tariff
from synthetic.universe import universes

import tariffsim as ts
from tariffsim.errors import ScenarioError
from tariffsim.scenario.vintage import known_on
from tariffsim.tables.results import SimulationResult

SRC = {"sources": ["src"]}
# A 0%, non-headline measure known from the start, so the hand-worked tests also see the
# rates of a direction whose other measures are all unknown.
ANCHOR = tariff("anchor", "0%")


def scenario(measures: list[dict], moves: list[dict] | None = None, **extra: Any) -> Any:
    return ts.scenario_from_dict(
        {
            "title": "vintage by hand",
            "references": [{"id": "src", "title": "a source"}],
            "flags": [{"id": "deal", "description": "a deal is reached"}],
            "horizon": {"start": "2025-01-01", "end": "2026-06-30"},
            "measures": measures,
            "moves": moves or [],
            **extra,
        }
    )


def run(measures: list[dict], moves: list[dict] | None = None, *, as_of: str, **extra: Any):
    return ts.simulate(scenario(measures, moves, **extra), as_of=as_of, universes=universes())


def move(kind: str, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, **SRC, **{k.rstrip("_"): v for k, v in fields.items()}}


def trigger(ident: str, day: str, then: list[dict], **extra: Any) -> dict[str, Any]:
    return {"id": ident, "date": day, "description": ident, "then": then, **SRC, **extra}


def rates(result: SimulationResult, day: str, direction: tuple[str, str] = US_CN):
    row = result.at(day)
    row = row[(row.imposer == direction[0]) & (row.target == direction[1])].iloc[0]
    return float(row.headline_rate), float(row.effective_rate)


def expect(result, table: dict[str, tuple[float, float]], direction=US_CN) -> None:
    """Assert (headline, effective) on each day of `table`."""
    for day, pair in table.items():
        got = rates(result, day, direction)
        assert got == pytest.approx(pair, abs=1e-12), f"{day}: {got}"


# ------------------------------------------------------------------------------ measures


def test_a_measure_announced_after_the_day_is_left_out_one_announced_that_day_kept():
    a = tariff("a", "10%", "2025-06-01", headline=True, announced="2025-03-01")
    b = tariff("b", "20%", "2025-06-01", hs=["85"], headline=True, announced="2025-03-02")
    expect(run([ANCHOR, a, b], as_of="2025-02-28"), {"2025-06-01": (0.0, 0.023)})  # MFN only
    # announced on the day itself: known. 0.023 + 0.10
    expect(run([ANCHOR, a, b], as_of="2025-03-01"), {"2025-06-01": (0.10, 0.123)})
    # both: 0.023 + 0.10 + 0.20 × 300/1000 (hs 85)
    expect(run([ANCHOR, a, b], as_of="2025-03-02"), {"2025-06-01": (0.30, 0.183)})


def test_without_announced_a_measure_is_known_from_its_first_day():
    m = tariff("m", "10%", "2025-06-01", headline=True)
    before, on = run([ANCHOR, m], as_of="2025-05-31"), run([ANCHOR, m], as_of="2025-06-01")
    expect(before, {"2025-06-01": (0.0, 0.023), "2026-01-01": (0.0, 0.023)})
    expect(on, {"2025-05-31": (0.0, 0.023), "2025-06-01": (0.10, 0.123)})


# ------------------------------------------------------------------------------ moves

M34 = [tariff("m", "34%", headline=True)]
TRUCE = move("suspend", id="s", measure="m", from_="2025-05-14", until="2025-08-12", rate="10%")
EXTEND = move("extend", suspension="s", date="2025-08-11", until="2025-11-10")
RAISE = move("set_rate", measure="m", date="2025-12-01", rate="50%")


def test_without_announced_a_move_is_known_from_the_day_it_takes_effect():
    moves = [TRUCE, EXTEND, RAISE]
    # the day before the suspension starts: none of the moves is known, 34% throughout
    expect(
        run(M34, moves, as_of="2025-05-13"),
        {"2025-05-14": (0.34, 0.363), "2025-12-01": (0.34, 0.363)},  # 0.023 + 0.34
    )
    # its first day: the 90-day suspension is known, and ends on 12 Aug as written
    expect(
        run(M34, moves, as_of="2025-05-14"),
        {"2025-05-14": (0.10, 0.123), "2025-08-11": (0.10, 0.123), "2025-08-12": (0.34, 0.363)},
    )
    # an extension counts from the day it was decided (its date), not its new end
    expect(run(M34, moves, as_of="2025-08-10"), {"2025-08-12": (0.34, 0.363)})
    expect(
        run(M34, moves, as_of="2025-08-11"),
        {"2025-08-12": (0.10, 0.123), "2025-11-10": (0.34, 0.363), "2025-12-01": (0.34, 0.363)},
    )
    expect(run(M34, moves, as_of="2025-12-01"), {"2025-12-01": (0.50, 0.523)})


def test_a_move_announced_before_it_takes_effect_is_known_from_its_announcement():
    cut = move("set_rate", measure="m", date="2025-11-10", rate="20%", announced="2025-10-30")
    early = {**TRUCE, "announced": "2025-05-12"}
    expect(run(M34, [cut, early], as_of="2025-05-11"), {"2025-05-14": (0.34, 0.363)})
    expect(run(M34, [cut, early], as_of="2025-05-12"), {"2025-05-14": (0.10, 0.123)})
    expect(run(M34, [cut, early], as_of="2025-10-29"), {"2025-11-10": (0.34, 0.363)})
    # known on 30 Oct although it applies from 10 Nov: 0.023 + 0.20
    expect(
        run(M34, [cut, early], as_of="2025-10-30"),
        {"2025-11-09": (0.34, 0.363), "2025-11-10": (0.20, 0.223)},
    )


def test_an_uncertain_move_day_counts_from_its_first_possible_day():
    when = {"dates": [{"date": d, "probability": "50%"} for d in ("2025-06-01", "2025-07-01")]}
    cut = move("set_rate", measure="m", date=when, rate="20%")
    before = run(M34, [cut], as_of="2025-05-31")  # the move left out: one certain path
    assert isinstance(before, SimulationResult)
    expect(before, {"2025-07-01": (0.34, 0.363)})
    after = ts.simulate(scenario(M34, [cut]), as_of="2025-06-01", universes=universes())
    assert not isinstance(after, SimulationResult)  # known, so still uncertain
    # 1 Jun: half the paths cut to 20%: 0.5 × 0.34 + 0.5 × 0.20 = 0.27
    assert after.at("2025-06-01").iloc[0].headline_rate == pytest.approx(0.27)


def test_a_move_on_a_measure_not_yet_announced_is_dropped():
    late = tariff("late", "25%", "2025-09-01", hs=["85"], headline=True, announced="2025-08-01")
    # the move says it was announced early, but names a measure nobody knew of yet
    lift = move("set_rate", measure="late", date="2025-10-01", rate="50%", announced="2025-03-01")
    expect(run([ANCHOR, late], [lift], as_of="2025-04-01"), {"2025-10-01": (0.0, 0.023)})
    # both known: 0.023 + 0.25 × 300/1000, then 0.023 + 0.50 × 300/1000
    expect(
        run([ANCHOR, late], [lift], as_of="2025-08-01"),
        {"2025-09-01": (0.25, 0.098), "2025-10-01": (0.50, 0.173)},
    )


def test_an_extension_of_a_suspension_not_yet_known_is_dropped():
    foreseen = {**EXTEND, "announced": "2025-05-01"}  # said to be known before the truce
    expect(
        run(M34, [TRUCE, foreseen], as_of="2025-05-10"),
        {"2025-05-14": (0.34, 0.363), "2025-08-12": (0.34, 0.363)},
    )
    expect(
        run(M34, [TRUCE, foreseen], as_of="2025-05-14"),
        {"2025-05-14": (0.10, 0.123), "2025-08-12": (0.10, 0.123), "2025-11-10": (0.34, 0.363)},
    )


# ------------------------------------------------------------------------------ triggers

THREAT = tariff("threat", "100%", "2025-11-01", status="threatened", headline=True)
CONTROLS = {
    "id": "controls",
    "name": "software controls",
    "imposer": "US",
    "target": "CN",
    "type": "non_tariff",
    "authority": "test",
    "status": "threatened",
    "from": "2025-11-01",
    **SRC,
}


def test_without_announced_a_trigger_is_known_from_its_test_day():
    fire = [trigger("nov-1", "2025-11-01", [move("impose", measure="threat")])]
    known = {**THREAT, "announced": "2025-10-10"}
    expect(run([known], triggers=fire, as_of="2025-10-31"), {"2025-11-01": (0.0, 0.023)})
    expect(run([known], triggers=fire, as_of="2025-11-01"), {"2025-11-01": (1.0, 1.023)})
    # (the threat is known from 10 Oct, so US→CN shows before it is imposed)


def test_a_trigger_announced_early_plays_out_unless_a_later_move_averts_it():
    threat = {**THREAT, "announced": "2025-10-10"}
    fire = [
        trigger(
            "nov-1",
            "2025-11-01",
            [move("impose", measure="threat")],
            unless={"flag": "deal"},
            announced="2025-10-10",
        )
    ]
    deal = [move("set_flag", flag="deal", date="2025-10-30")]
    known = [ANCHOR, threat]
    expect(run(known, deal, triggers=fire, as_of="2025-10-09"), {"2025-11-01": (0.0, 0.023)})
    # known threat, deal not yet made: it fires. 0.023 + 1.00
    expect(run(known, deal, triggers=fire, as_of="2025-10-29"), {"2025-11-01": (1.0, 1.023)})
    expect(run(known, deal, triggers=fire, as_of="2025-10-30"), {"2025-11-01": (0.0, 0.023)})


def test_a_triggers_move_on_a_measure_not_yet_announced_is_dropped_the_rest_kept():
    threat = {**THREAT, "announced": "2025-10-10"}
    controls = {**CONTROLS, "announced": "2025-10-20"}
    then = [move("impose", measure="threat"), move("impose", measure="controls")]
    fire = [trigger("nov-1", "2025-11-01", then, announced="2025-10-10")]
    r = run([threat, controls], triggers=fire, as_of="2025-10-15")
    expect(r, {"2025-11-01": (1.0, 1.023)})
    assert imposed(r) == ["threat"]
    assert imposed(run([threat, controls], triggers=fire, as_of="2025-10-20")) == [
        "controls",
        "threat",
    ]


def imposed(result: SimulationResult) -> list[str]:
    ev = result.events
    return sorted(ev[ev.kind == "impose"].measure)


def test_a_trigger_testing_a_measure_not_yet_announced_is_dropped():
    m = tariff("m", "10%", headline=True)
    watched = {**CONTROLS, "status": "in_force", "from": "2025-09-01"}  # known from 1 Sep
    cond = {"any": [{"flag": "deal"}, {"not": {"not": {"in_force": "controls"}}}]}
    raise_m = [move("set_rate", measure="m", rate="50%")]
    probe = [trigger("oct-1", "2025-10-01", raise_m, announced="2025-06-01", **{"if": cond})]
    # the trigger is known, but tests (deep in its condition) a measure nobody knew of yet
    expect(run([m, watched], triggers=probe, as_of="2025-07-01"), {"2025-10-01": (0.10, 0.123)})
    # 1 Sep: the measure is known and in force on 1 Oct, so the trigger fires: 0.023 + 0.50
    expect(run([m, watched], triggers=probe, as_of="2025-09-01"), {"2025-10-01": (0.50, 0.523)})


# ------------------------------------------------------------------------------ stacking


def test_a_stacking_rule_for_an_unknown_measure_is_dropped_and_unknown_refs_pruned():
    m = tariff("m", "10%", headline=True)
    s232 = tariff("s232", "25%", hs=["72"])  # 150/1000
    trucks = tariff("trucks", "25%", "2025-06-01", hs=["87"], announced="2025-05-01")  # 50/1000
    late = tariff("late", "20%", "2025-06-01", hs=["85"], announced="2025-05-20")  # 300/1000
    rules = [
        {"id": "r1", "measure": "m", "description": "r1", "not_where": ["s232", "trucks"], **SRC},
        {"id": "r2", "measure": "late", "description": "r2", "not_where": ["s232"], **SRC},
        {
            "id": "r3",
            "measure": "m",
            "description": "r3",
            "not_where": ["trucks"],
            "not_on": {"hs": ["95"]},
            **SRC,
        },
    ]
    measures = [m, s232, trucks, late]
    # trucks and late unknown: r2 goes; r1 keeps s232; r3 keeps its toys (hs 95, 50/1000).
    # m on 1000 - 150 - 50 = 800: 0.023 + 0.10 × 0.8 + 0.25 × 0.15 = 0.1405
    expect(run(measures, stacking=rules, as_of="2025-04-01"), {"2025-06-01": (0.10, 0.1405)})
    # trucks known: m on 800 - 50 = 750: 0.023 + 0.075 + 0.0375 + 0.25 × 0.05 = 0.148
    expect(run(measures, stacking=rules, as_of="2025-05-01"), {"2025-06-01": (0.10, 0.148)})
    # late known too (not headline): 0.148 + 0.20 × 0.30 = 0.208
    expect(run(measures, stacking=rules, as_of="2025-05-20"), {"2025-06-01": (0.10, 0.208)})


# ------------------------------------------------------------------------------ branches


def test_branch_options_keep_their_moves_and_triggers_unless_announced_later():
    m = tariff("m", "10%", headline=True)
    review = trigger("review", "2025-12-01", [move("set_rate", measure="m", rate="0%")])
    branch = {
        "id": "talks",
        "resolves": "2025-10-30",
        **SRC,
        "options": [
            {
                "id": "deal",
                "probability": "60%",
                "moves": [move("set_rate", measure="m", date="2025-11-10", rate="5%")],
                "triggers": [review],
            },
            {
                "id": "no-deal",
                "probability": "40%",
                "moves": [
                    move(
                        "set_rate",
                        measure="m",
                        date="2025-11-01",
                        rate="50%",
                        announced="2025-10-20",
                    )
                ],
            },
        ],
    }
    early = ts.simulate(scenario([m], branches=[branch]), as_of="2025-10-01", universes=universes())
    # deal: its move and its trigger, though both later than the day, stay (expectations)
    expect(
        early.branch("deal"),
        {"2025-11-09": (0.10, 0.123), "2025-11-10": (0.05, 0.073), "2025-12-01": (0.0, 0.023)},
    )
    # no-deal: its move says it is announced on 20 Oct, so it is left out
    expect(early.branch("no-deal"), {"2025-11-01": (0.10, 0.123), "2025-12-01": (0.10, 0.123)})
    late = ts.simulate(scenario([m], branches=[branch]), as_of="2025-10-20", universes=universes())
    expect(late.branch("no-deal"), {"2025-11-01": (0.50, 0.523)})


# ------------------------------------------------------------------------------ extremes

EVERYTHING = {
    "measures": [
        tariff("a", "10%", "2025-03-01", headline=True, announced="2025-02-01"),
        tariff("b", "20%", "2025-05-01", hs=["85"], headline=True),
        tariff("c", "15%", "2025-04-01", direction=CN_US, headline=True, announced="2025-03-20"),
        {**THREAT, "announced": "2025-10-10"},
    ],
    "moves": [
        move(
            "suspend",
            id="s",
            measure="a",
            from_="2025-06-01",
            until="2025-09-01",
            rate="5%",
            announced="2025-05-25",
        ),
        move("extend", suspension="s", date="2025-08-20", until="2026-01-01"),
        move("set_rate", measure="c", date="2025-12-01", rate="5%", announced="2025-11-15"),
        move("set_flag", flag="deal", date="2026-01-20"),
    ],
    "triggers": [
        trigger(
            "nov-1",
            "2025-11-01",
            [move("impose", measure="threat")],
            unless={"flag": "deal"},
            announced="2025-10-10",
        ),
        trigger(
            "feb-1", "2026-02-01", [move("revoke", measure="threat")], **{"if": {"flag": "deal"}}
        ),
    ],
}
ANNOUNCED = {"a": date(2025, 2, 1), "b": date(2025, 5, 1), "c": date(2025, 3, 20)}
ANNOUNCED["threat"] = date(2025, 10, 10)
LAST = date(2026, 2, 1)  # the last announcement: the feb-1 trigger, on its day


def test_as_of_before_every_announcement_knows_nothing():
    spec = known_on(scenario(**EVERYTHING), date(2025, 1, 31)).spec
    assert (spec.measures, spec.moves, spec.triggers, spec.stacking) == ([], [], [], [])
    anchored = scenario(**{**EVERYTHING, "measures": [ANCHOR, *EVERYTHING["measures"]]})
    r = ts.simulate(anchored, as_of="2025-01-31", universes=universes())
    for day in ("2025-01-01", "2025-03-01", "2025-05-01", "2025-11-01", "2026-06-30"):
        assert rates(r, day) == pytest.approx((0.0, 0.023))  # US→CN MFN only: 23/1000


def test_as_of_before_every_announcement_gives_mfn_only_in_every_direction():
    r = ts.simulate(scenario(**EVERYTHING), as_of="2025-01-31", universes=universes())
    for day in ("2025-01-01", "2025-03-01", "2025-05-01", "2025-11-01", "2026-06-30"):
        assert rates(r, day) == pytest.approx((0.0, 0.023))  # US→CN MFN: 23/1000
        assert rates(r, day, CN_US) == pytest.approx((0.0, 0.079))  # CN→US MFN: 79/1000


def test_the_everything_scenario_by_hand_on_a_middle_day():
    r = ts.simulate(scenario(**EVERYTHING), as_of="2025-10-10", universes=universes())
    # a at 5% in its suspension (the extension to 1 Jan 2026 known): 0.023 + 0.05 + 0.20 × 0.3
    expect(r, {"2025-10-09": (0.25, 0.133)})
    # the threat fires on 1 Nov (no deal known): 0.133 + 1.00
    expect(r, {"2025-11-01": (1.25, 1.133)})
    # 1 Feb 2026: a back at 10% from 1 Jan, the threat still on (no deal, no revoke known):
    # 0.023 + 0.10 + 0.06 + 1.00
    expect(r, {"2026-02-01": (1.30, 1.183)})
    # c: 15% on all CN→US, its cut on 1 Dec not yet known: 0.079 + 0.15
    expect(r, {"2025-12-01": (0.15, 0.229)}, CN_US)


_PLAIN: dict[str, Any] = {}


def plain_rates():
    if "rates" not in _PLAIN:
        _PLAIN["rates"] = ts.simulate(scenario(**EVERYTHING), universes=universes()).rates
    return _PLAIN["rates"]


days_from_2025 = st.integers(0, 600).map(lambda n: date(2025, 1, 1) + timedelta(days=n))


@given(st.integers(0, 200).map(lambda n: LAST + timedelta(days=n)))
def test_as_of_on_or_after_the_last_announcement_is_the_plain_run(day):
    r = ts.simulate(scenario(**EVERYTHING), as_of=day, universes=universes())
    got, want = r.rates, plain_rates()
    assert got[["date", "imposer", "target"]].equals(want[["date", "imposer", "target"]])
    assert got.headline_rate.tolist() == want.headline_rate.tolist()
    assert got.effective_rate.tolist() == want.effective_rate.tolist()


@given(days_from_2025, days_from_2025)
def test_knowledge_only_grows_with_the_day(d1, d2):
    early, late = min(d1, d2), max(d1, d2)
    base = scenario(**EVERYTHING)
    known = [{x.id for x in known_on(base, d).spec.measures} for d in (early, late)]
    assert known[0] <= known[1]
    assert known[0] == {k for k, ann in ANNOUNCED.items() if ann <= early}
    moves = [len(known_on(base, d).spec.moves) for d in (early, late)]
    assert moves[0] <= moves[1]


# ------------------------------------------------------------------------------ the data


@pytest.mark.parametrize(
    ("as_of", "day", "headline"),
    [
        # 27 Oct 2025: Section 301 25% + fentanyl 20% + reciprocal 10% (suspended)
        ("2025-10-27", "2025-10-27", 0.55),
        # the 100% threat announced on 10 Oct fires on 1 Nov (no deal known): 0.55 + 1.00
        ("2025-10-27", "2025-11-01", 1.55),
        # 30 Oct: deal made, fentanyl cut to 10% announced, the 1 Nov extension not yet,
        # so the truce ends on 10 Nov: 0.25 + 0.10 + 0.34
        ("2025-10-30", "2025-11-10", 0.69),
        # 1 Nov: the reciprocal suspension extended (fact sheet): 0.25 + 0.10 + 0.10
        ("2025-11-01", "2025-11-10", 0.45),
        # 12 May: Geneva known, its August extension not: 0.25 + 0.20 + 0.34 on 12 Aug
        ("2025-05-12", "2025-05-14", 0.55),
        ("2025-05-12", "2025-08-12", 0.79),
    ],
)
def test_history_as_known_on_a_day(as_of, day, headline):
    assert rates(ts.simulate("history", as_of=as_of), day)[0] == pytest.approx(headline)


def test_history_plain_run_has_no_threat_on_nov_1():
    assert rates(ts.simulate("history"), "2025-11-01")[0] == pytest.approx(0.55)


def test_a_bad_as_of_is_an_error_naming_as_of():
    with pytest.raises(ScenarioError, match=r"^as_of: '2025-13-01' is not a real date"):
        ts.simulate("history", as_of="2025-13-01")


def test_a_step_is_known_with_its_measure_unless_it_says_announced():
    m = tariff("m", "10%", "2025-02-01", announced="2025-01-10", headline=True)
    m["steps"] = [
        {"date": "2025-04-01", "rate": "20%", **SRC},  # scheduled with the measure
        {"date": "2025-06-01", "rate": "50%", "announced": "2025-05-20", **SRC},
    ]
    # as of 15 Jan the measure and its first step are known: 10%, then 20% (+ MFN 0.023)
    early = run([m], as_of="2025-01-15")
    expect(early, {"2025-03-01": (0.10, 0.123), "2025-07-01": (0.20, 0.223)})
    # the second step only from its own announcement, 20 May (and on that day itself)
    expect(run([m], as_of="2025-05-19"), {"2025-07-01": (0.20, 0.223)})
    expect(run([m], as_of="2025-05-20"), {"2025-07-01": (0.50, 0.523)})


def test_history_as_of_early_april_2025_knows_the_34_percent_then_the_84():
    r = ts.simulate("history", as_of="2025-04-03")
    row = r.at("2025-04-10")
    us = row[row.imposer == "US"].iloc[0]
    # Section 301 25% (headline group) + fentanyl 20% + the reciprocal 34% that EO 14257 (2
    # Apr) set for 9 Apr; its rise to 84% (announced 8 Apr) and 125% (9 Apr) is not known:
    # 79%, not 170%
    assert us.headline_rate == pytest.approx(0.79)
    # as of 8 Apr the 84% is known, the 125% of 10 Apr not: 25 + 20 + 84 = 129%
    row = ts.simulate("history", as_of="2025-04-08").at("2025-04-10")
    assert row[row.imposer == "US"].iloc[0].headline_rate == pytest.approx(1.29)


def test_an_announcement_after_the_day_it_takes_effect_is_warned_about():
    late = tariff("late", "10%", "2025-04-05", announced="2025-04-11")
    on_time = tariff("on-time", "10%", "2025-04-05", announced="2025-04-05")
    messages = [d.message for d in scenario([late, on_time]).warnings()]
    assert messages == [
        "announced on 2025-04-11, after the day it takes effect (2025-04-05): as-of "
        "runs on the days between leave it out though it applies (right for a retroactive act)"
    ]
