"""Attribution: each measure's part of B minus A on a day, summing to the difference.

Hand-written cases run on the synthetic universes of `synthetic/universe.py` (US→CN: 12 lines
worth 1000, MFN 0.023; CN→US: 4 lines worth 1000, MFN 0.079), with the arithmetic beside
each expected value. A property test draws random pairs of scenarios (and sometimes two
different product universes) and checks that the parts sum to the whole on random days,
both columns, both directions, and that each part is the measure's own difference.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from synthetic.measures import CN_US, US_CN, tariff
from synthetic.universe import universes

import tariffsim as ts
from tariffsim.errors import ScenarioError
from tariffsim.products import ProductUniverse
from tariffsim.tables.comparison import Comparison

DAY = "2025-06-01"


def scenario(measures: list[dict], moves: list[dict] | None = None, **extra: Any) -> ts.Scenario:
    return ts.scenario_from_dict(
        {
            "title": extra.pop("title", "by hand"),
            "references": [{"id": "src", "title": "a source"}],
            "horizon": {"start": "2025-01-01", "end": "2025-12-31"},
            "measures": measures,
            "moves": moves or [],
            **extra,
        }
    )


def compared(a: ts.Scenario, b: ts.Scenario) -> Comparison:
    return ts.compare(a, b, universes=universes())


def parts(cmp: Comparison, day: str = DAY) -> dict[tuple[str, str, str], tuple[float, float]]:
    """(imposer, target, measure) -> (headline_change, effective_change)."""
    table = cmp.attribution(day)
    return {
        (r.imposer, r.target, r.measure): (r.headline_change, r.effective_change)
        for r in table.itertuples()
    }


def assert_parts(got: dict, expected: dict) -> None:
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-12), key


def assert_sums(cmp: Comparison, day: Any) -> None:
    """Per direction, the parts add up to B minus A in both columns, to rounding."""
    table = cmp.attribution(day)
    for t in cmp.at(day).itertuples():
        rows = table[(table.imposer == t.imposer) & (table.target == t.target)]
        assert abs(rows.headline_change.sum() - t.headline_diff) < 1e-12
        assert abs(rows.effective_change.sum() - t.effective_diff) < 1e-12


# ------------------------------------------------------------------ by hand


def test_a_rate_cut_on_all_products():
    # fentanyl in miniature: 20% on everything in A, 10% in B. Headline 0.20 → 0.10;
    # effective 0.023 + 0.20 × 1000/1000 = 0.223 → 0.123: the measure takes -0.10 of both
    cmp = compared(
        scenario([tariff("f", "20%", headline=True)]),
        scenario([tariff("f", "10%", headline=True)]),
    )
    assert_parts(parts(cmp), {("US", "CN", "f"): (-0.10, -0.10)})
    row = cmp.at(DAY).iloc[0]
    assert (row.headline_a, row.headline_b) == pytest.approx((0.20, 0.10))
    assert (row.effective_a, row.effective_b) == pytest.approx((0.223, 0.123))
    first = cmp.attribution(DAY).iloc[0]
    assert (first["name"], first.rate_a, first.rate_b) == ("the f tariff", 0.20, 0.10)


def test_a_measure_in_one_scenario_only_counts_fully():
    # B adds 25% on chapter 85 (laptops are 84; batteries 100 + smartphones 200 = 300/1000),
    # not a headline measure: headline 0, effective +0.25 × 0.3 = +0.075. A's threat is
    # imposed on 1 Mar and B never imposes it: -1.00 of both columns (all products) from then
    threat = tariff("threat", "100%", "2025-03-01", status="threatened", headline=True)
    impose = [{"kind": "impose", "measure": "threat", "date": "2025-03-01"}]
    cmp = compared(
        scenario([threat], impose),
        scenario([threat, tariff("s85", "25%", hs=["85"])]),
    )
    assert_parts(
        parts(cmp),
        {("US", "CN", "threat"): (-1.0, -1.0), ("US", "CN", "s85"): (0.0, 0.075)},
    )
    # the day before the threat fires only the chapter 85 tariff differs
    assert_parts(parts(cmp, "2025-02-28"), {("US", "CN", "s85"): (0.0, 0.075)})
    row = cmp.attribution(DAY).set_index("measure").loc["threat"]
    assert row.rate_a == 1.0 and np.isnan(row.rate_b)  # not in force in B


# the Section 301 group of the synthetic world: List 1 on chapter 72 (150/1000), List 3 on
# chapter 85 (300/1000), List 4A on chapters 94 and 95 (150/1000); headline: the group once
LIST1 = tariff("list1", "25%", hs=["72"], headline="s301")
LIST3 = tariff("list3", "25%", hs=["85"], headline="s301")
LIST4 = tariff("list4a", "7.5%", hs=["94", "95"], headline="s301")


def test_a_group_member_raised_takes_the_group_change():
    # List 3 from 25% to 50%: the group's headline goes 25 → 50 and List 3, the highest in
    # B (and one of the highest in A), takes it: +0.25; effective +0.25 × 300/1000 = +0.075
    raised = {**LIST3, "rate": "50%"}
    cmp = compared(scenario([LIST1, LIST3, LIST4]), scenario([LIST1, raised, LIST4]))
    assert_parts(parts(cmp), {("US", "CN", "list3"): (0.25, 0.075)})
    assert cmp.attribution(DAY).group.tolist() == ["s301"]


def test_a_group_member_dropped_at_a_tied_rate_moves_no_headline():
    # List 1 gone in B: List 3 is still at 25%, highest in both, so the group's headline
    # does not move (25 → 25) and no member shows changes that cancel out; List 1's
    # effective part is -0.25 × 150/1000 = -0.0375
    cmp = compared(scenario([LIST1, LIST3, LIST4]), scenario([LIST3, LIST4]))
    assert_parts(parts(cmp), {("US", "CN", "list1"): (0.0, -0.0375)})
    assert_sums(cmp, DAY)


def test_a_group_whose_highest_member_changes_splits_between_the_two():
    # A: List 1 25% (highest), List 3 10%. B: List 1 gone, List 3 30% (highest). No member
    # is highest in both, so List 1 takes minus A's group rate (-0.25) and List 3 plus B's
    # (+0.30): net +0.05 = 30 - 25. Effective: List 1 -0.25 × 0.15 = -0.0375, List 3
    # (0.30 - 0.10) × 0.3 = +0.06
    cmp = compared(
        scenario([LIST1, {**LIST3, "rate": "10%"}]),
        scenario([{**LIST3, "rate": "30%"}]),
    )
    assert_parts(
        parts(cmp),
        {("US", "CN", "list1"): (-0.25, -0.0375), ("US", "CN", "list3"): (0.30, 0.06)},
    )
    assert cmp.at(DAY).headline_diff.iloc[0] == pytest.approx(0.05)


def test_a_stacking_rule_moves_the_yielding_measure_too():
    # B adds Section 232 at 25% on chapter 72 (150/1000), and the reciprocal 10% does not
    # apply where it does. Reciprocal: -0.10 × 0.15 = -0.015; 232: +0.25 × 0.15 = +0.0375;
    # together +0.0225. Neither moves the headline (232 is not a headline measure; the
    # reciprocal's rate is 10% in both)
    recip = tariff("recip", "10%", headline=True)
    rule = {
        "id": "r",
        "measure": "recip",
        "description": "not on 232 goods",
        "not_where": ["s232"],
        "sources": ["src"],
    }
    cmp = compared(
        scenario([recip]),
        scenario([recip, tariff("s232", "25%", hs=["72"])], stacking=[rule]),
    )
    assert_parts(
        parts(cmp),
        {("US", "CN", "s232"): (0.0, 0.0375), ("US", "CN", "recip"): (0.0, -0.015)},
    )
    assert cmp.at(DAY).effective_diff.iloc[0] == pytest.approx(0.0225)


def test_an_extended_suspension():
    # the truce in miniature: 34% suspended to 10% from 14 May to 12 Aug in A; B extends it
    # to 10 Nov. On 1 Sep A charges 34%, B 10%: -0.24 of both columns (all products);
    # on 1 Jul both charge 10%: no row at all
    recip = tariff("recip", "34%", headline=True)
    suspend = {
        "id": "truce",
        "kind": "suspend",
        "measure": "recip",
        "from": "2025-05-14",
        "until": "2025-08-12",
        "rate": "10%",
    }
    extend = {"id": "more", "kind": "extend", "suspension": "truce", "date": "2025-08-01"}
    cmp = compared(
        scenario([recip], [suspend]),
        scenario([recip], [suspend, {**extend, "until": "2025-11-10"}]),
    )
    assert_parts(parts(cmp, "2025-09-01"), {("US", "CN", "recip"): (-0.24, -0.24)})
    assert parts(cmp, "2025-07-01") == {}
    assert cmp.attribution("2025-07-01").columns.tolist()[:4] == [
        "imposer",
        "target",
        "measure",
        "name",
    ]


def own_universes(
    mfn_factor: float, reweigh: bool = False
) -> dict[tuple[str, str], ProductUniverse]:
    """The synthetic universes with every MFN rate scaled (and, if asked, other trade
    weights: values scaled from 0.5 for the first line to 2 for the last)."""
    out = {}
    for key, u in universes().items():
        scale = np.linspace(0.5, 2.0, len(u)) if reweigh else 1.0
        out[key] = ProductUniverse(
            u.imposer,
            u.target,
            codes=u.codes,
            descriptions=u.descriptions,
            values=u.values * scale,
            mfn=u.mfn * mfn_factor,
            weights_label=f"x{mfn_factor}",
        )
    return out


def test_mfn_is_a_row_of_its_own_when_the_universes_differ():
    # the same scenario on a universe with every MFN rate doubled: US→CN MFN 0.023 → 0.046,
    # CN→US 0.079 → 0.158; no measure's contribution moves (same trade weights)
    s = scenario([tariff("f", "20%", headline=True), tariff("c", "10%", direction=CN_US)])
    cmp = Comparison(
        ts.simulate(s, universes=own_universes(1)), ts.simulate(s, universes=own_universes(2))
    )
    assert_parts(
        parts(cmp),
        {("US", "CN", "mfn"): (0.0, 0.023), ("CN", "US", "mfn"): (0.0, 0.079)},
    )
    assert cmp.attribution(DAY).name.iloc[0].startswith("MFN")
    assert_sums(cmp, DAY)


def test_a_direction_in_one_scenario_only_starts_from_mfn():
    # B adds China's 10% on soybeans (400/1000): in A there is no CN→US tariff, so its rates
    # there are MFN alone (headline 0, effective 0.079); B: 0.10 and 0.079 + 0.10 × 0.4
    soy = tariff("soy", "10%", hs=["1201"], direction=CN_US, headline=True)
    cmp = compared(scenario([tariff("f", "20%")]), scenario([tariff("f", "20%"), soy]))
    assert_parts(parts(cmp), {("CN", "US", "soy"): (0.10, 0.04)})
    cn = cmp.at(DAY, "CN-US").iloc[0]
    assert (cn.headline_a, cn.headline_b) == pytest.approx((0.0, 0.10))
    assert (cn.effective_a, cn.effective_b) == pytest.approx((0.079, 0.119))
    paths = cmp.rates[cmp.rates.imposer == "CN"]
    assert paths[["headline_a", "effective_a"]].iloc[0].tolist() == pytest.approx([0.0, 0.079])


def test_order_filters_and_date_types():
    # US→CN first (direction_order), then the largest change first within a direction
    a = scenario(
        [
            tariff("small", "5%"),
            tariff("big", "10%"),
            tariff("soy", "10%", hs=["1201"], direction=CN_US),
        ]
    )
    b = scenario([tariff("soy", "20%", hs=["1201"], direction=CN_US)])
    cmp = compared(a, b)
    table = cmp.attribution(DAY)
    assert table.measure.tolist() == ["big", "small", "soy"]  # -0.10, -0.05 | +0.04
    for day in (
        date(2025, 6, 1),
        datetime(2025, 6, 1, 12),
        pd.Timestamp(DAY),
        np.datetime64(DAY),
        cmp.rates.date.iloc[0] + pd.Timedelta(days=151),  # a day taken from the table
    ):
        pd.testing.assert_frame_equal(cmp.attribution(day), table)
    assert cmp.attribution(DAY, "cn-us").measure.tolist() == ["soy"]
    assert cmp.attribution(DAY, imposer="US").measure.tolist() == ["big", "small"]
    assert cmp.at(DAY, target="US").imposer.tolist() == ["CN"]
    with pytest.raises(ValueError, match="the directions are: US-CN, CN-US"):
        cmp.attribution(DAY, "US-EU")
    with pytest.raises(ScenarioError, match="outside the simulated days"):
        cmp.attribution("2026-01-01")


def test_key_day_is_the_last_day_both_horizons_cover():
    short = ts.scenario_from_dict(
        {
            "title": "x",
            "extends": "busan-deal",
            "horizon": {"start": "2025-09-01", "end": "2025-12-31"},
        }
    )
    assert ts.compare("busan-deal", short).key_day == date(2025, 12, 31)
    assert ts.compare("busan-deal", short, end="2025-11-30").key_day == date(2025, 11, 30)


# ------------------------------------------------------------------ acceptance


def test_busan_deal_against_pre_summit_on_15_november_2025():
    # pre-summit: threat fired 1 Nov; both 24-point suspensions lapsed 10 Nov (34% again);
    # fentanyl 20%; China's March 2025 farm tariffs in force. busan-deal: threat revoked
    # 30 Oct; fentanyl 10% from 10 Nov; both suspensions extended (10%); farm tariffs
    # revoked 10 Nov. Headlines: US 25 + 20 + 34 + 100 = 179 → 25 + 10 + 10 = 45 (-134);
    # China 34 → 10 (-24; the farm tariffs are not headline measures)
    cmp = ts.compare("pre-summit", "busan-deal")
    day = "2025-11-15"
    got = parts(cmp, day)
    assert list(got) == [
        ("US", "CN", "us-threat-100"),
        ("US", "CN", "us-ieepa-reciprocal"),
        ("US", "CN", "us-ieepa-fentanyl"),
        ("CN", "US", "cn-counter-2025"),
        ("CN", "US", "cn-farm-10pct"),
        ("CN", "US", "cn-farm-15pct"),
    ]
    # effective parts: rate change × the trade share each measure covers on that day (its
    # coverage, read from A's layers: the same scope and rules in both)
    layers = cmp.a.layers[cmp.a.layers.date == day].set_index("measure").coverage
    assert layers["us-threat-100"] == pytest.approx(1.0)  # every line, no exemption
    assert layers["us-ieepa-fentanyl"] == pytest.approx(1.0)
    assert layers["cn-counter-2025"] == pytest.approx(1.0)
    expected = {
        ("US", "CN", "us-threat-100"): (-1.00, -1.00),  # dropped threat: 100% on all
        ("US", "CN", "us-ieepa-reciprocal"): (-0.24, -0.24 * layers["us-ieepa-reciprocal"]),
        ("US", "CN", "us-ieepa-fentanyl"): (-0.10, -0.10),  # 20% → 10% on all
        ("CN", "US", "cn-counter-2025"): (-0.24, -0.24),  # 34% → 10% on all
        ("CN", "US", "cn-farm-10pct"): (0.0, -0.10 * layers["cn-farm-10pct"]),
        ("CN", "US", "cn-farm-15pct"): (0.0, -0.15 * layers["cn-farm-15pct"]),
    }
    assert_parts(got, expected)
    # the reciprocal tariff spares Annex II, the April electronics and Section 232 goods:
    # it covers about 59% of trade, so the extended suspension takes 14.3 points
    assert got[("US", "CN", "us-ieepa-reciprocal")][1] == pytest.approx(-0.1427, abs=5e-4)
    assert got[("CN", "US", "cn-farm-10pct")][1] == pytest.approx(-0.0135, abs=5e-4)
    assert got[("CN", "US", "cn-farm-15pct")][1] == pytest.approx(-0.0030, abs=5e-4)
    totals = cmp.at(day).set_index("imposer")
    assert totals.loc["US", "headline_diff"] == pytest.approx(-1.34)
    assert totals.loc["CN", "headline_diff"] == pytest.approx(-0.24)
    assert totals.loc["US", "effective_diff"] == pytest.approx(-1.2427, abs=5e-4)
    assert totals.loc["CN", "effective_diff"] == pytest.approx(-0.2565, abs=5e-4)
    assert_sums(cmp, day)
    # and the totals are the two runs' own rates on that day
    for side, result in (("a", cmp.a), ("b", cmp.b)):
        own = result.at(day).set_index("imposer")
        assert totals[f"effective_{side}"].to_dict() == own.effective_rate.to_dict()
        assert totals[f"headline_{side}"].to_dict() == own.headline_rate.to_dict()


# ------------------------------------------------------------------ property

START = date(2025, 1, 1)
days = st.integers(0, 364).map(lambda n: START + timedelta(days=n))
rates = st.integers(0, 40).map(lambda n: f"{n * 2.5:g}%")
SCOPES = {
    US_CN: [None, ["72"], ["85"], ["72", "73"], ["94", "95"], ["8517", "61"]],
    CN_US: [None, ["1201"], ["87"], ["0203", "1201"]],
}


def later(draw: st.DrawFn, after: date) -> date | None:
    gap = (date(2025, 12, 31) - after).days
    return after + timedelta(days=draw(st.integers(1, gap))) if gap >= 1 else None


@st.composite
def base_measures(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(1, 6))):
        direction = draw(st.sampled_from([US_CN, US_CN, US_CN, CN_US]))
        out.append(
            tariff(
                f"m{i}",
                draw(rates),
                draw(days).isoformat(),
                hs=draw(st.sampled_from(SCOPES[direction])),
                direction=direction,
                headline=draw(st.sampled_from([False, True, "g1", "g1", "g1", "g2"])),
                status=draw(st.sampled_from(["in_force", "in_force", "threatened"])),
                value_share=draw(st.sampled_from(["100%", "100%", "40%"])),
            )
        )
    return out


def moves_on(draw: st.DrawFn, ms: dict[str, Any]) -> list[dict[str, Any]]:
    """Random moves on one measure, at most one static move per day."""
    ident, start = ms["id"], date.fromisoformat(ms["from"])
    out: list[dict[str, Any]] = []
    static: set[date] = set()
    if ms["status"] == "threatened" and draw(st.booleans()):
        day = draw(days)
        out.append({"kind": "impose", "measure": ident, "date": day.isoformat()})
        static.add(day)
    if ms["status"] == "in_force" and draw(st.booleans()):
        day = later(draw, start)
        if day is not None:
            out.append(
                {"kind": "set_rate", "measure": ident, "date": day.isoformat(), "rate": draw(rates)}
            )
            static.add(day)
    if draw(st.integers(0, 2)) == 0:
        day = draw(days)
        if day not in static:
            out.append({"kind": "revoke", "measure": ident, "date": day.isoformat()})
    if draw(st.booleans()):
        f = draw(days)
        out.append(
            {
                "id": f"s-{ident}",
                "kind": "suspend",
                "measure": ident,
                "from": f.isoformat(),
                "until": (f + timedelta(days=draw(st.integers(1, 200)))).isoformat(),
                "rate": draw(rates),
            }
        )
    return out


def variant(draw: st.DrawFn, base: list[dict[str, Any]]) -> ts.Scenario:
    """One scenario from the shared measures: some dropped, some edited, its own moves and
    maybe a stacking rule."""
    measures = []
    for ms in base:
        if draw(st.integers(0, 4)) == 0:
            continue  # in the other scenario only (or in neither)
        ms = dict(ms)
        if draw(st.booleans()):
            ms["rate"] = draw(rates)
        if draw(st.integers(0, 3)) == 0:
            ms["headline"] = draw(st.sampled_from([False, True, "g1", "g2"]))
        if draw(st.integers(0, 3)) == 0:
            ms["products"] = {
                "hs": draw(st.sampled_from(SCOPES[(ms["imposer"], ms["target"])][1:]))
            }
        measures.append(ms)
    moves = [mv for ms in measures for mv in moves_on(draw, ms)]
    stacking = []
    if len(measures) > 1 and draw(st.booleans()):
        first, second = draw(st.permutations(measures))[:2]
        rule = {"id": "r", "measure": first["id"], "description": "x", "sources": ["src"]}
        if (first["imposer"], first["target"]) == (second["imposer"], second["target"]):
            rule["not_where"] = [second["id"]]
        else:
            rule["not_on"] = {
                "hs": draw(st.sampled_from(SCOPES[(first["imposer"], first["target"])][1:]))
            }
        stacking.append(rule)
    return scenario(measures, moves, stacking=stacking)


@st.composite
def pairs(draw: st.DrawFn) -> tuple[ts.Scenario, ts.Scenario, float | None, bool]:
    """Two scenarios from shared measures; B sometimes on other universes (MFN scaled by a
    factor, maybe other trade weights)."""
    base = draw(base_measures())
    a, b = variant(draw, base), variant(draw, base)
    factor = draw(st.sampled_from([None, None, None, 0.5, 2.0]))
    return a, b, factor, draw(st.booleans())


@given(pairs(), st.lists(days, min_size=1, max_size=4))
def test_parts_sum_to_the_difference_on_random_pairs(pair, on_days):
    a, b, factor, reweigh = pair
    if factor is None:
        cmp = compared(a, b)
    else:
        ub = own_universes(factor, reweigh)
        cmp = Comparison(ts.simulate(a, universes=universes()), ts.simulate(b, universes=ub))
    for day in on_days:
        table = cmp.attribution(day)
        totals = cmp.at(day)
        pairs_seen = list(zip(totals.imposer, totals.target, strict=True))
        assert pairs_seen == ts_order(pairs_seen)
        for t in totals.itertuples():
            rows = table[(table.imposer == t.imposer) & (table.target == t.target)]
            assert abs(rows.headline_change.sum() - t.headline_diff) < 1e-12
            assert abs(rows.effective_change.sum() - t.effective_diff) < 1e-12
            check_totals(cmp, day, t)
            check_each_part(cmp, day, (t.imposer, t.target), rows)


def ts_order(pairs_seen: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(pairs_seen, key=lambda p: (p != US_CN, p))


def check_totals(cmp: Comparison, day: date, t: Any) -> None:
    """The totals are the runs' own rates, or MFN alone where a run lacks the direction."""
    for side, result, other in (("a", cmp.a, cmp.b), ("b", cmp.b, cmp.a)):
        own = result.at(day)
        own = own[(own.imposer == t.imposer) & (own.target == t.target)]
        if own.empty:
            mfn = other.direction(imposer=t.imposer, target=t.target).mfn
            assert (getattr(t, f"headline_{side}"), getattr(t, f"effective_{side}")) == (0.0, mfn)
        else:
            assert getattr(t, f"headline_{side}") == own.headline_rate.iloc[0]
            assert getattr(t, f"effective_{side}") == own.effective_rate.iloc[0]


def contributions(
    result: ts.SimulationResult, other: ts.SimulationResult, day: date, pair: tuple[str, str]
) -> pd.Series:
    """Each layer's contribution on `day` (MFN included), from the result's layers table;
    MFN alone, on the other run's universe, where the result lacks the direction."""
    if pair not in [(d.imposer, d.target) for d in result.directions]:
        return pd.Series({"mfn": other.direction(pair).mfn})
    lay = result.layers
    lay = lay[(lay.date == pd.Timestamp(day)) & (lay.imposer == pair[0]) & (lay.target == pair[1])]
    return lay.set_index("measure").contribution


def check_each_part(cmp: Comparison, day: date, pair: tuple[str, str], rows: pd.DataFrame) -> None:
    """Each effective part is the measure's own contribution in B less that in A (read from
    the layers tables, MFN included); a measure left out changes by nothing. A measure
    counted alone in the headline (not in a group) in both runs takes its own rate change."""
    ca, cb = contributions(cmp.a, cmp.b, day, pair), contributions(cmp.b, cmp.a, day, pair)
    change = cb.sub(ca, fill_value=0.0)
    got = rows.set_index("measure").effective_change
    for measure, value in change.items():
        assert got.get(measure, 0.0) == pytest.approx(value, abs=1e-15), measure
    assert set(got.index) <= set(change.index) | {"mfn"}
    headline_of = {
        x.id: x.headline
        for r in (cmp.a, cmp.b)
        for x in r.scenario.spec.measures
        if (x.imposer, x.target) == pair
    }
    for r in rows.itertuples():
        alone = all(
            x.headline is True
            for res in (cmp.a, cmp.b)
            for x in res.scenario.spec.measures
            if x.id == r.measure
        )
        if alone and headline_of.get(r.measure) is True:
            ra = 0.0 if np.isnan(r.rate_a) else r.rate_a
            rb = 0.0 if np.isnan(r.rate_b) else r.rate_b
            assert r.headline_change == pytest.approx(rb - ra, abs=1e-15), r.measure


# ------------------------------------------------------------------ the waterfall chart


def bars(ax) -> list[tuple[float, float]]:
    """(bottom, height) of each bar, left to right, in percent."""
    return [(p.get_y(), p.get_height()) for p in sorted(ax.patches, key=lambda p: p.get_x())]


def labels(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def ticks(ax) -> list[str]:
    return [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]


@pytest.fixture(scope="module")
def busan():
    return ts.compare("pre-summit", "busan-deal")


def test_waterfall_from_a_to_b_by_measure(busan):
    from matplotlib.figure import Figure

    from tariffsim.charts.attribution import plot_attribution

    ax = Figure().add_subplot()
    assert plot_attribution(busan, "2025-11-15", ax=ax) is ax
    drawn = bars(ax)
    totals = busan.at("2025-11-15", "US-CN").iloc[0]
    # A's rate from 0, then -100 (threat), -14.3 (reciprocal), -10 (fentanyl), B's rate
    assert drawn[0] == pytest.approx((0.0, 100 * totals.effective_a))
    assert drawn[-1] == pytest.approx((0.0, 100 * totals.effective_b))
    steps = drawn[1:-1]
    assert [h for _, h in steps] == pytest.approx([-100.0, -14.2718, -10.0], abs=1e-4)
    assert sum(h for _, h in steps) == pytest.approx(drawn[-1][1] - drawn[0][1], abs=1e-9)
    level = drawn[0][1]
    for bottom, height in steps:  # each bar starts where the one before ended
        assert bottom == pytest.approx(level)
        level += height
    assert ticks(ax) == [
        "A: pre-summit",
        "Threatened additional 100% tariff 100% → off",
        "IEEPA reciprocal tariff (China rate) 34% → 10%",
        "IEEPA fentanyl tariff 20% → 10%",
        "B: busan-deal",
    ]
    assert labels(ax) == ["159.3%", "−100.0 pp", "−14.3 pp", "−10.0 pp", "35.0%"]
    assert "US→CN effective rate, %" in ax.get_ylabel()
    assert "15 Nov 2025" in ax.get_title(loc="left") and "pre-summit" in ax.get_title(loc="left")
    source = ax.get_xlabel().replace("\n", " ")
    assert "Pre-summit - the world as seen on 27 October 2025" in source
    assert "Busan deal - the outcome of 30 October 2025 as implemented" in source
    assert "weighted by 2024 trade" in source
    # no two labels overlap once drawn
    ax.figure.canvas.draw()
    boxes = [t.get_window_extent() for t in [*ax.texts, *ax.get_xticklabels()]]
    for i, one in enumerate(boxes):
        assert not any(one.overlaps(other) for other in boxes[i + 1 :]), labels(ax)[i : i + 1]


def test_waterfall_of_headline_and_of_china(busan):
    from matplotlib.figure import Figure

    from tariffsim.charts.attribution import plot_attribution

    ax = plot_attribution(busan, date(2025, 11, 15), column="headline", ax=Figure().add_subplot())
    # 179 → 45: threat -100, reciprocal -24, fentanyl -10
    assert [h for _, h in bars(ax)] == pytest.approx([179.0, -100.0, -24.0, -10.0, 45.0])
    assert "headline rate" in ax.get_ylabel() and "weighted" not in ax.get_xlabel()
    wide = Figure(figsize=(10, 5.5)).add_subplot()  # names whole, not cut short
    ax = plot_attribution(busan, "2025-11-15", direction="cn-us", ax=wide)
    # China: the counter-tariff's extended suspension, then the two farm tariffs
    assert ticks(ax)[1:-1] == [
        "China's counter-tariff on all US goods 34% → 10%",
        "China 10% on US soybeans, pork, beef and other farm goods 10% → off",
        "China 15% on US chicken, wheat, corn and cotton 15% → off",
    ]
    heights = [h for _, h in bars(ax)]
    assert sum(heights[1:-1]) == pytest.approx(heights[-1] - heights[0], abs=1e-9)
    # the headline chart of China leaves out the farm tariffs: not headline measures
    ax = plot_attribution(
        busan, "2025-11-15", direction=("CN", "US"), column="headline", ax=Figure().add_subplot()
    )
    assert [h for _, h in bars(ax)] == pytest.approx([34.0, -24.0, 10.0])


def test_waterfall_edges(busan):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from tariffsim.charts.attribution import plot_attribution

    # without ax: a new pyplot figure, so it shows in a notebook
    before = set(plt.get_fignums())
    ax = plot_attribution(busan, "2025-11-15")
    assert set(plt.get_fignums()) - before == {ax.figure.number}
    plt.close(ax.figure)
    with pytest.raises(ValueError, match="column must be one of effective, headline"):
        plot_attribution(busan, "2025-11-15", column="rate")
    with pytest.raises(ValueError, match="the directions are: US-CN, CN-US"):
        plot_attribution(busan, "2025-11-15", direction="EU-US")
    # nothing moves China's headline on the last day (both suspensions lapsed): two bars
    ax = plot_attribution(
        busan, "2026-12-31", direction="CN-US", column="headline", ax=Figure().add_subplot()
    )
    assert [h for _, h in bars(ax)] == pytest.approx([34.0, 34.0])
    assert ax.get_title(loc="left").endswith("no measure moves it")
    # a fall to 0 is labelled above its bar, clear of the axis and the bar names
    cut = {"kind": "revoke", "measure": "f", "date": "2025-03-01"}
    cmp = compared(
        scenario([tariff("f", "20%", headline=True)]),
        scenario([tariff("f", "20%", headline=True)], [cut]),
    )
    ax = plot_attribution(cmp, DAY, column="headline", ax=Figure().add_subplot())
    fall = next(t for t in ax.texts if t.get_text() == "−20.0 pp")
    assert fall.xy == (1, 20.0) and fall.get_va() == "bottom"


def test_the_chart_module_does_not_import_matplotlib_until_it_draws():
    import subprocess
    import sys

    probe = (
        "import sys\nimport tariffsim.charts.attribution\n"
        "print('MATPLOTLIB' if 'matplotlib' in sys.modules else 'LIGHT')"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "LIGHT"


def test_waterfall_gathers_the_smallest_changes_past_top():
    from matplotlib.figure import Figure

    from tariffsim.charts.attribution import plot_attribution

    # busan-deal against history on 9 Nov 2026: 16 US→CN measures move the effective rate
    # (IEEPA ends, Section 232 metals recast, the forced-labour 301 action)
    cmp = ts.compare("busan-deal", "history")
    day = cmp.key_day
    parts = cmp.attribution(day, "US-CN")
    assert len(parts) == 16
    ax = plot_attribution(cmp, day, ax=Figure(figsize=(10, 5.5)).add_subplot(), top=5)
    heights = [h for _, h in bars(ax)]
    assert len(heights) == 1 + 5 + 1
    assert ticks(ax)[5] == "12 other measures"
    largest = parts.effective_change.abs().sort_values(ascending=False)
    assert heights[5] == pytest.approx(100 * parts.effective_change[largest.index[4:]].sum())
    assert sum(heights[1:-1]) == pytest.approx(heights[-1] - heights[0], abs=1e-9)
