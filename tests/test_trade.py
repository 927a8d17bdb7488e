"""Import response and revenue (`result.trade`, `trade_layers`), against figures worked out
by hand on the synthetic US→CN universe (`synthetic/universe.py`: 12 lines worth 1000, MFN
duty 23), and the invariants of the response as property tests.

The rule: imports = base × ((1 + τ) / (1 + τ_base)) ** −ε per line, τ_base the line's duty
averaged over the days of the base year (here 2024, 366 days).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic.measures import CN_US, tariff
from synthetic.universe import universes

import tariffsim as ts
from tariffsim.errors import DataError
from tariffsim.products import ProductUniverse

HS85 = ["85"]  # li-ion batteries 100 (MFN 2%) and smartphones 200 (MFN 0%)


def run(measures: list[dict], response: dict | None = None, **extra: Any) -> Any:
    data: dict[str, Any] = {
        "title": "trade by hand",
        "references": [{"id": "src", "title": "a source"}],
        "horizon": {"start": "2024-01-01", "end": "2025-12-31"},
        "measures": measures,
        **extra,
    }
    if response is not None:
        data["response"] = response
    return ts.simulate(ts.scenario_from_dict(data), universes=universes("2024"))


def row(result: Any, day: str, direction: tuple[str, str] = ("US", "CN")) -> Any:
    t = result.trade
    hit = t[(t.date == day) & (t.imposer == direction[0]) & (t.target == direction[1])]
    assert len(hit) == 1
    return hit.iloc[0]


def test_a_tariff_cuts_imports_of_the_lines_it_hits_by_the_elasticity():
    result = run([tariff("a", "25%", "2025-01-01", HS85)], {"elasticity": "2"})
    r = row(result, "2025-01-01")
    # batteries 100 × (1.02 / 1.27)^2 = 64.504929; smartphones 200 × (1 / 1.25)^2 = 128;
    # the other 700 unchanged: 892.504929
    assert r.imports == pytest.approx(892.5049290098581, rel=1e-12)
    assert r.base_imports == 1000
    # duty: the others' MFN 21 + batteries 27% × 64.504929 + smartphones 25% × 128
    assert r.duty == pytest.approx(70.41633083266167, rel=1e-12)
    assert r.effective_rate_post == pytest.approx(70.41633083266167 / 892.5049290098581)
    # pre-substitution: base imports, MFN 23 + 25% × 300 = 98
    assert r.duty_pre == pytest.approx(98.0, rel=1e-12)
    assert r.effective_rate == pytest.approx(0.098, rel=1e-12)
    # the day before, duty is the base year's: imports as in the base year
    before = row(result, "2024-12-31")
    assert before.imports == pytest.approx(1000.0, rel=1e-12)
    assert before.duty == pytest.approx(23.0, rel=1e-12)


def test_revenue_comes_from_the_layers_that_charge_it():
    result = run([tariff("a", "25%", "2025-01-01", HS85)], {"elasticity": "2"})
    lay = result.trade_layers
    on = lay[(lay.date == "2025-01-01") & (lay.imposer == "US")].set_index("layer")
    # layer a: 25% × (64.504929 + 128); MFN: 21 + 2% × 64.504929
    assert on.loc["a", "duty"] == pytest.approx(48.126232252464504, rel=1e-12)
    assert on.loc["mfn", "duty"] == pytest.approx(22.29009858019716, rel=1e-12)
    assert on.loc["a", "duty_pre"] == pytest.approx(75.0, rel=1e-12)
    assert on.loc["mfn", "duty_pre"] == pytest.approx(23.0, rel=1e-12)


def test_the_base_rate_is_the_mean_over_the_days_of_the_base_year():
    # toys (50, MFN 0%) pay 10% from 1 Jul 2024: 184 of 2024's 366 days, so τ_base = 0.0502732
    result = run([tariff("t", "10%", "2024-07-01", ["95"])], {"elasticity": "2"})
    # in 2025: 50 × (1.0502732 / 1.1)^2 = 45.581564; the other 950 unchanged
    assert row(result, "2025-06-01").imports == pytest.approx(950 + 45.581563848891776)
    # before 1 Jul 2024 toys pay less than the year's mean: 50 × 1.0502732^2 = 55.153692
    assert row(result, "2024-06-30").imports == pytest.approx(950 + 55.15369225715906)


def test_a_phase_in_moves_imports_by_the_share_reached_since_each_change():
    response = {"elasticity": "2", "phase_in": {"0": "50%", "6": "100%"}}
    result = run([tariff("a", "25%", "2025-01-01", HS85)], response)
    # half the response at once: batteries 100 × (1.02 / 1.27) = 80.314961, phones 160
    half = 700 + 80.31496062992126 + 160
    assert row(result, "2025-01-01").imports == pytest.approx(half)
    assert row(result, "2025-06-30").imports == pytest.approx(half)
    # all of it six calendar months after the change
    assert row(result, "2025-07-01").imports == pytest.approx(892.5049290098581)
    # duty is charged at the day's rates on the imports of the day
    assert row(result, "2025-01-01").duty == pytest.approx(
        21 + 0.27 * 80.31496062992126 + 0.25 * 160
    )


def test_without_a_response_block_the_published_defaults_apply():
    result = run([tariff("a", "25%", "2025-01-01", HS85)])
    # US 1.3: phones 200 × 1.25^-1.3 = 149.639752, batteries 100 × (1.27 / 1.02)^-1.3 = 75.203038
    expected = 700 + 149.6397516516194 + 75.20303813427697
    assert row(result, "2025-01-01").imports == pytest.approx(expected)


def test_a_section_value_beats_the_scenario_value_and_an_imposer_value_beats_both():
    response = {
        "elasticity": "2",
        "by_section": {"XVI": "1"},
        "by_imposer": {"CN": {"elasticity": "0"}},
    }
    measures = [
        tariff("a", "25%", "2025-01-01", HS85),
        tariff("c", "50%", "2025-01-01", None, CN_US),
    ]
    result = run(measures, response)
    # section XVI at 1: batteries 100 × 1.02 / 1.27 = 80.314961, phones 200 / 1.25 = 160
    assert row(result, "2025-01-01").imports == pytest.approx(700 + 80.31496062992126 + 160)
    # China's imports do not respond (0): they stay at 1000
    assert row(result, "2025-01-01", CN_US).imports == pytest.approx(1000.0)
    assert row(result, "2025-01-01", CN_US).effective_rate_post == pytest.approx(0.079 + 0.5)


def test_weights_that_are_not_a_year_give_no_base_year():
    data = {
        "title": "x",
        "horizon": {"start": "2025-01-01", "end": "2025-02-01"},
        "measures": [tariff("a", "25%")],
        "references": [{"id": "src", "title": "a source"}],
    }
    result = ts.simulate(ts.scenario_from_dict(data), universes=universes("synthetic"))
    with pytest.raises(DataError, match="'synthetic' is not a year"):
        result.trade  # noqa: B018


@pytest.mark.parametrize(
    ("response", "message"),
    [
        ({"elasticity": "-2"}, "write the elasticity as a positive number"),
        ({"elasticity": "2%"}, "not an elasticity"),
        ({"by_section": {"XXX": "2"}}, "'XXX' is not an HS section"),
        ({"phase_in": {"6": "120%"}}, "120% is not a share of the response"),
        ({"phase_in": {"0": "80%", "6": "50%"}}, "must not fall"),
        ({"phase_in": {"700": "100%"}}, "700 months is out of range"),
        ({"phase_in": {"1.5": "100%"}}, "'1.5' is not a number of months"),
    ],
)
def test_a_bad_response_block_is_refused_with_its_reason(response, message):
    with pytest.raises(ts.ScenarioError, match=message):
        run([tariff("a", "25%")], response)


# ----------------------------------------------------------------------- properties


def _one_line_each(rates: list[float], mfn: float, values: list[float]) -> Any:
    """A universe of one line per rate, all with the same MFN (one base rate), and a
    scenario charging each line its rate from 2025."""
    codes = [f"{10 + i:02d}0100" for i in range(len(rates))]
    universe = ProductUniverse(
        "US",
        "CN",
        codes=np.array(codes),
        descriptions=np.array(codes),
        values=np.array(values, dtype=float),
        mfn=np.full(len(rates), mfn),
        weights_label="2024",
    )
    measures = [
        tariff(f"m{i}", f"{r * 100:.4f}%", "2025-01-01", [codes[i][:2]])
        for i, r in enumerate(rates)
    ]
    return measures, {("US", "CN"): universe}


rates_st = st.lists(st.floats(0, 2), min_size=2, max_size=6)


def one_line_each_run(
    rates: list[float], mfn: float, values: list[float], eps: float, start: str = "2024-01-01"
) -> Any:
    """The run of `_one_line_each` from `start` to 31 Mar 2025 with elasticity `eps`."""
    measures, own = _one_line_each(rates, mfn, values)
    scenario = ts.scenario_from_dict(
        {
            "title": "p",
            "references": [{"id": "src", "title": "s"}],
            "horizon": {"start": start, "end": "2025-03-31"},
            "measures": measures,
            "response": {"elasticity": f"{eps:.6f}"},
        }
    )
    return ts.simulate(scenario, universes=own)


@settings(max_examples=40, deadline=None)
@given(rates=rates_st, mfn=st.floats(0, 0.2), eps=st.floats(0, 6), data=st.data())
def test_post_substitution_is_below_pre_when_every_rate_rises_from_one_base(rates, mfn, eps, data):
    values = data.draw(st.lists(st.floats(1, 1e6), min_size=len(rates), max_size=len(rates)))
    r = one_line_each_run(rates, mfn, values, eps).trade
    after = r[r.date == "2025-02-01"].iloc[0]
    assert after.effective_rate_post <= after.effective_rate + 1e-12
    assert after.imports <= after.base_imports * (1 + 1e-12)


@settings(max_examples=30, deadline=None)
@given(rates=rates_st, mfn=st.floats(0, 0.2))
def test_with_an_elasticity_of_zero_both_rates_and_imports_are_the_base(rates, mfn):
    t = one_line_each_run(rates, mfn, [100.0] * len(rates), 0.0, "2024-06-01").trade
    assert np.allclose(t.effective_rate_post, t.effective_rate, rtol=1e-12, atol=1e-15)
    assert np.allclose(t.imports, t.base_imports, rtol=1e-12)


@settings(max_examples=30, deadline=None)
@given(first=st.floats(0, 1), more=st.floats(0.001, 1), eps=st.floats(0.01, 6))
def test_imports_fall_as_a_rate_rises(first, more, eps):
    measure = tariff("a", f"{first * 100:.4f}%", "2025-01-01", None)
    measure["steps"] = [{"date": "2025-03-01", "rate": f"{(first + more) * 100:.4f}%"}]
    result = run([measure], {"elasticity": f"{eps:.6f}"})
    assert row(result, "2025-03-01").imports < row(result, "2025-02-28").imports


@settings(max_examples=25, deadline=None)
@given(rates=rates_st, eps=st.floats(0, 6))
def test_the_layers_revenue_adds_up_to_the_duty(rates, eps):
    result = one_line_each_run(rates, 0.03, [10.0 * (i + 1) for i in range(len(rates))], eps)
    lay = result.trade_layers
    on = lay[lay.date == "2025-01-01"]
    r = row(result, "2025-01-01")
    assert on.duty.sum() == pytest.approx(r.duty, rel=1e-12)
    assert on.duty_pre.sum() == pytest.approx(r.duty_pre, rel=1e-12)


def test_a_stacking_rule_keeps_a_layers_revenue_off_the_products_it_excludes():
    stacking = [
        {
            "id": "b-not-where-a",
            "measure": "b",
            "description": "b yields to a",
            "not_where": ["a"],
            "sources": ["src"],
        }
    ]
    measures = [tariff("a", "25%", "2025-01-01", HS85), tariff("b", "10%", "2025-01-01")]
    result = run(measures, {"elasticity": "0"}, stacking=stacking)
    lay = result.trade_layers
    on = lay[(lay.date == "2025-01-01") & (lay.imposer == "US")].set_index("layer")
    # b charges 10% on the 700 outside hs 85 only; a 25% on the 300 inside it
    assert on.loc["b", "duty"] == pytest.approx(70.0, rel=1e-12)
    assert on.loc["a", "duty"] == pytest.approx(75.0, rel=1e-12)
    assert row(result, "2025-01-01").duty == pytest.approx(23 + 75 + 70, rel=1e-12)


def test_a_phase_in_closes_the_gap_from_where_imports_stand_when_duty_changes_again():
    # smartphones (200, MFN 0%) pay 25% in January 2025 only; τ_base 0, level L = ln 1.25
    spike = tariff("s", "25%", "2025-01-01", ["8517"], until="2025-02-01")
    # China's tariff from 1 Mar changes the other direction only: no new US step
    other = tariff("c", "10%", "2025-03-01", None, CN_US)
    response = {"elasticity": "2", "phase_in": {"0": "50%", "6": "100%"}}
    result = run([spike, other], response)
    # 1 Jan: half of the gap at once, shift L/2: 200 × 1.25^-1 = 160
    assert row(result, "2025-01-01").imports == pytest.approx(800 + 160)
    # 1 Feb: duty back to MFN; from shift L/2, half the way to 0: L/4, 200 × 1.25^-0.5
    assert row(result, "2025-02-01").imports == pytest.approx(800 + 178.88543819998318)
    # China's change on 1 Mar and the 1 Jul step of January's change move nothing
    assert row(result, "2025-03-01").imports == pytest.approx(800 + 178.88543819998318)
    assert row(result, "2025-07-01").imports == pytest.approx(800 + 178.88543819998318)
    # six months after 1 Feb the gap is closed: imports back at base
    assert row(result, "2025-08-01").imports == pytest.approx(1000.0)
    assert row(result, "2025-07-31").imports == pytest.approx(800 + 178.88543819998318)


def test_a_response_for_no_imposer_or_that_never_completes_is_warned_about():
    data = {
        "title": "warned",
        "references": [{"id": "src", "title": "a source"}],
        "horizon": {"start": "2025-01-01", "end": "2025-03-01"},
        "measures": [tariff("a", "25%")],
        "response": {"by_imposer": {"JP": {"elasticity": "2"}}, "phase_in": {"0": "40%"}},
    }
    messages = [d.message for d in ts.scenario_from_dict(data).warnings()]
    assert messages == [
        "no tariff measure is imposed by JP (imposers: US): these elasticities apply to nothing",
        "the phase-in ends at 40% after 0 months: imports never reach their long-run "
        "response (give the month they reach 100%)",
    ]


def test_a_lowercase_country_in_by_imposer_is_named_as_a_key_with_the_fix():
    with pytest.raises(ts.ScenarioError) as err:
        run([tariff("a", "25%")], {"by_imposer": {"cn": {"elasticity": "2"}}})
    assert err.value.diagnostics[0].message == (
        "'cn' is not a valid by_imposer key: use a two-letter country code such as US or CN"
    )
