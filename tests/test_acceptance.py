"""The facts of the two source reports, reproduced by the bundled scenarios."""

from __future__ import annotations

import pytest

from tariffsim import simulate


def headline(name: str, day: str, imposer: str, target: str) -> float:
    rows = simulate(name).at(day)
    row = rows[(rows.imposer == imposer) & (rows.target == target)]
    return round(float(row.headline_rate.iloc[0]), 6)


@pytest.mark.parametrize("name", ["pre-summit", "busan-deal", "talks-collapse"])
def test_27_october_2025_rates_are_55_and_10(name):
    # report of 30 Oct 2025: about 55% US on China, 10% China on the US
    assert headline(name, "2025-10-27", "US", "CN") == 0.55
    assert headline(name, "2025-10-27", "CN", "US") == 0.10


def test_the_55_is_301_plus_fentanyl_plus_reciprocal():
    table = simulate("pre-summit").explain("2025-10-27", "US-CN")
    rates = table.set_index("measure")["rate"]
    assert rates["us-ieepa-fentanyl"] == pytest.approx(0.20)
    assert rates["us-ieepa-reciprocal"] == pytest.approx(0.10)
    assert rates["us-s301-list3"] == pytest.approx(0.25)


def test_pre_summit_threat_fires_and_truce_lapses():
    assert headline("pre-summit", "2025-10-31", "US", "CN") == 0.55
    assert headline("pre-summit", "2025-11-01", "US", "CN") == 1.55
    assert headline("pre-summit", "2025-11-09", "US", "CN") == 1.55
    assert headline("pre-summit", "2025-11-10", "US", "CN") == 1.79
    assert headline("pre-summit", "2025-11-09", "CN", "US") == 0.10
    assert headline("pre-summit", "2025-11-10", "CN", "US") == 0.34
    events = simulate("pre-summit").events
    fired = events[(events.kind == "trigger") & (events.id == "threat-100-on-nov-1")]
    assert fired.fired.tolist() == [True]


def test_busan_deal():
    assert headline("busan-deal", "2025-11-01", "US", "CN") == 0.55  # threat dropped
    assert headline("busan-deal", "2025-11-10", "US", "CN") == 0.45
    assert headline("busan-deal", "2025-11-10", "CN", "US") == 0.10
    assert headline("busan-deal", "2026-11-09", "CN", "US") == 0.10  # suspension to 10 Nov 2026
    events = simulate("busan-deal").events
    trig = events[events.id == "threat-100-on-nov-1"].iloc[0]
    assert not trig.fired and "deal-reached" in trig.detail


def test_busan_deal_ends_china_farm_tariffs():
    r = simulate("busan-deal")
    before = r.explain("2025-11-09", "CN-US").set_index("measure")
    after = r.explain("2025-11-10", "CN-US").set_index("measure")
    assert before.loc["cn-farm-10pct", "status"] == "in force"
    assert after.loc["cn-farm-10pct", "status"] == "revoked"
    assert after.loc["cn-ree-controls-2025-10", "status"] == "suspended"


def test_talks_collapse_china_answers():
    assert headline("talks-collapse", "2025-11-03", "CN", "US") == 1.10
    assert headline("talks-collapse", "2025-11-10", "CN", "US") == 1.34
    assert headline("talks-collapse", "2025-11-10", "US", "CN") == 1.79


def test_history_after_the_court_ruling():
    assert headline("history", "2018-07-06", "US", "CN") == 0.25
    assert headline("history", "2025-04-10", "US", "CN") == 1.70  # 25 + 20 + 125
    assert headline("history", "2026-02-23", "US", "CN") == 0.45
    assert headline("history", "2026-02-24", "US", "CN") == 0.35  # 301 + Section 122
    assert headline("history", "2026-07-24", "US", "CN") == 0.375  # 301 + forced labour


def layers_of(name: str, day: str, code: str) -> dict[str, tuple[float, str]]:
    """The layers that apply to one product line: measure -> (rate, sources)."""
    rows = simulate(name).explain(day, "US-CN", product=code)
    rows = rows[rows.applies & (rows.measure != "total")]
    return {r.measure: (round(float(r.rate), 6), r.sources) for r in rows.itertuples()}


def test_lithium_ion_battery_on_10_april_2025_pays_the_reciprocal_tariff():
    # by law: MFN 3.4% + List 4A 7.5% + fentanyl 20% + reciprocal 125% (8507.60 is in no
    # version of Annex II)
    layers = layers_of("history", "2025-04-10", "8507600020")
    assert {k: v[0] for k, v in layers.items()} == {
        "mfn": 0.034,
        "us-s301-list4a": 0.075,
        "us-ieepa-fentanyl": 0.20,
        "us-ieepa-reciprocal": 1.25,
    }
    assert all(sources for _, sources in layers.values())


def test_steel_bolts_on_10_june_2025_pay_section_232_not_the_reciprocal_tariff():
    # by law: Section 232 steel 50% (chapter 73 derivative, full value), List 3 25%,
    # fentanyl 20%; the reciprocal tariff does not apply to Section 232 goods; MFN free
    rows = simulate("history").explain("2025-06-10", "US-CN", product="7318152010")
    by = rows.set_index("measure")
    assert by.loc["us-s232-steel-derivatives-ch73", "rate"] == pytest.approx(0.50)
    assert by.loc["us-s301-list3", "rate"] == pytest.approx(0.25)
    assert by.loc["us-ieepa-fentanyl", "rate"] == pytest.approx(0.20)
    recip = by.loc["us-ieepa-reciprocal"]
    assert not recip.applies and "reciprocal-not-on-s232" in recip.rule
    assert by.loc["total", "rate"] == pytest.approx(0.95)  # 0 + 50 + 25 + 20
    # 25% from 12 March 2025, before the 4 June increase
    march = layers_of("history", "2025-03-12", "7318152010")
    assert march["us-s232-steel-derivatives-ch73"][0] == 0.25
    assert "us-s232-steel-derivatives-ch73" not in layers_of("history", "2025-03-11", "7318152010")


def rates_between(name: str, first: str, last: str):
    r = simulate(name, start=first, end=last).rates
    return r.set_index(["date", "imposer", "target"])[["headline_rate", "effective_rate"]]


@pytest.mark.parametrize(
    ("a", "b", "first", "last", "why"),
    [
        # history extends busan-deal and adds only measures, rules and moves dated from the
        # Supreme Court ruling (20 Feb 2026), so the two agree on every day before it
        ("busan-deal", "history", "2025-09-01", "2026-02-19", "history adds 2026 measures"),
        # busan-deal and pre-summit share seeds/base; Busan's first move is on 30 Oct 2025
        ("pre-summit", "busan-deal", "2025-09-01", "2025-10-29", "the deal is set on 30 Oct"),
        # talks-collapse extends pre-summit; its only difference is China's answer on 3 Nov 2025
        ("pre-summit", "talks-collapse", "2025-09-01", "2025-11-02", "China answers on 3 Nov"),
    ],
)
def test_scenarios_that_describe_the_same_facts_agree(a, b, first, last, why):
    left, right = rates_between(a, first, last), rates_between(b, first, last)
    assert len(left) == len(right) > 0
    assert (left - right).abs().to_numpy().max() < 1e-12, why


def test_scenarios_differ_on_the_first_day_their_facts_do():
    # the agreement test above must be able to fail: on the day after each window the
    # scenarios part (US→CN for busan-deal/pre-summit on 10 Nov is 45% vs 179%)
    assert headline("busan-deal", "2025-11-10", "US", "CN") == 0.45
    assert headline("pre-summit", "2025-11-10", "US", "CN") == 1.79
    assert headline("talks-collapse", "2025-11-03", "CN", "US") == 1.10
    assert headline("pre-summit", "2025-11-03", "CN", "US") == 0.10


def test_the_end_of_the_ieepa_tariffs_can_be_dated_from_the_ruling(tmp_path):
    # default: CBP stopped collecting on 24 Feb 2026; with the flag, the ruling day 20 Feb
    assert headline("history", "2026-02-20", "US", "CN") == 0.45
    assert headline("history", "2026-02-24", "US", "CN") == 0.35  # 301 25 + s122 10
    from tariffsim import scenario_from_dict

    ruling = scenario_from_dict(
        {
            "title": "history, IEEPA ends on the ruling day",
            "extends": "history",
            "moves": [
                {
                    "kind": "set_flag",
                    "flag": "ieepa-ends-on-ruling-day",
                    "date": "2026-02-20",
                    "sources": ["t64"],
                }
            ],
        }
    )
    at = simulate(ruling).rates.set_index(["date", "imposer", "target"])["headline_rate"]
    assert at[("2026-02-19", "US", "CN")] == pytest.approx(0.45)  # 301 25 + fent 10 + rec 10
    assert at[("2026-02-20", "US", "CN")] == pytest.approx(0.25)  # 301 alone until s122
    assert at[("2026-02-24", "US", "CN")] == pytest.approx(0.35)


def test_auto_parts_pay_the_auto_tariff_not_also_the_aluminium_one():
    # EO 14289: an article under the Section 232 auto tariffs does not also pay the steel or
    # aluminium tariff. Body parts 8708.29.51.60 are on both lists; on 10 Jun 2025 they pay
    # MFN 2.5% + auto parts 25% + List 3 25% + fentanyl 20% = 72.5%, and no reciprocal.
    rows = simulate("history").explain("2025-06-10", "US-CN", product="8708295160")
    by = rows.set_index("measure")
    alu = by.loc["us-s232-aluminium-derivatives"]
    assert not alu.applies and "autos-over-metals" in alu.rule
    assert by.loc["us-s232-auto-parts", "rate"] == pytest.approx(0.25)
    assert not by.loc["us-ieepa-reciprocal", "applies"]
    assert by.loc["total", "rate"] == pytest.approx(0.025 + 0.25 + 0.25 + 0.20)
