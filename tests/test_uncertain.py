"""UncertainResult: weighted paths summed up. Expected values are written out by hand: the
acceptance case is pre-summit (the 100% threat fires on 1 Nov 2025: US→CN headline 155%)
against its deal variant (the threat is dropped: 55%), weighted 40% / 60%."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import tariffsim as ts
from tariffsim.uncertainty.results import QUANTILES, UncertainResult, weighted_quantiles

DEAL = {
    "title": "deal",
    "extends": "pre-summit",
    "moves": [{"kind": "set_flag", "flag": "deal-reached", "date": "2025-10-30"}],
}


@pytest.fixture(scope="module")
def paths():
    no_deal = ts.simulate("pre-summit")
    deal = ts.simulate(ts.scenario_from_dict(DEAL))
    return no_deal, deal


@pytest.fixture(scope="module")
def outlook(paths):
    no_deal, deal = paths
    return UncertainResult(
        [
            (0.6, "deal-reached", (("deal", "deal-reached"),), deal),
            (0.4, "no-deal", (("deal", "no-deal"),), no_deal),
        ],
        name="deal-or-not",
        title="Deal or no deal at Busan",
    )


def rows(frame: pd.DataFrame, day: str, direction=("US", "CN")) -> pd.DataFrame:
    return frame[
        (frame.date == pd.Timestamp(day))
        & (frame.imposer == direction[0])
        & (frame.target == direction[1])
    ]


# ------------------------------------------------------------------ the quantile rule


def test_weighted_quantiles_by_hand():
    # 60% at 55%, 40% at 155%: P(<= 55%) = 0.6 reaches 0.05, 0.25 and 0.5; only 155% reaches
    # 0.75 and 0.95
    got = weighted_quantiles(np.array([[0.55], [1.55]]), np.array([0.6, 0.4]))
    assert got[:, 0].tolist() == [0.55, 0.55, 0.55, 1.55, 1.55]
    # given in any order: values 4, 1, 3, 2 with 10%, 15%, 50%, 25%; sorted 1, 2, 3, 4 with
    # cumulative 0.15, 0.40, 0.90, 1.00
    got = weighted_quantiles(
        np.array([[4.0], [1.0], [3.0], [2.0]]), np.array([0.1, 0.15, 0.5, 0.25])
    )
    assert got[:, 0].tolist() == [1.0, 2.0, 3.0, 3.0, 4.0]
    # a cumulative probability that reaches q exactly (0.05 + 0.2, in floating point
    # 0.25000000000000006 or 0.2499999...) counts as reaching it: the lower value
    got = weighted_quantiles(np.array([[1.0], [2.0], [3.0]]), np.array([0.05, 0.2, 0.75]))
    assert got[:, 0].tolist() == [1.0, 2.0, 3.0, 3.0, 3.0]
    # columns are independent
    got = weighted_quantiles(np.array([[1.0, 9.0], [2.0, 8.0]]), np.array([0.5, 0.5]))
    assert got.tolist() == [[1.0, 8.0], [1.0, 8.0], [1.0, 8.0], [2.0, 9.0], [2.0, 9.0]]


# ------------------------------------------------------------------ acceptance


def test_the_acceptance_case_expected_path_and_bands(outlook, paths):
    us = rows(outlook.rates, "2025-11-05")
    assert us.headline_rate.item() == pytest.approx(0.95)  # 0.6 × 55% + 0.4 × 155%
    bands = rows(outlook.quantiles, "2025-11-05")
    assert bands["quantile"].tolist() == [0.05, 0.25, 0.5, 0.75, 0.95]
    assert bands.headline_rate.tolist() == pytest.approx([0.55, 0.55, 0.55, 1.55, 1.55])
    # the threat adds 100 points on all trade: effective 0.6 × e + 0.4 × (e + 1) = e + 0.4
    deal_effective = rows(paths[1].rates, "2025-11-05").effective_rate.item()
    assert us.effective_rate.item() == pytest.approx(deal_effective + 0.4)
    # 10 Nov: the truce lapses in both, 79% with the deal and 179% without
    assert rows(outlook.rates, "2025-11-10").headline_rate.item() == pytest.approx(1.19)
    # before 1 Nov, and China's rates throughout, the paths agree
    assert rows(outlook.rates, "2025-10-31").headline_rate.item() == pytest.approx(0.55)
    cn = rows(outlook.quantiles, "2025-11-05", ("CN", "US"))
    assert cn.headline_rate.tolist() == pytest.approx([0.10] * 5)


def test_rates_have_the_columns_and_rows_of_a_plain_result(outlook, paths):
    plain = paths[0].rates
    got = outlook.rates
    assert list(got.columns) == list(plain.columns)
    assert got[["date", "imposer", "target"]].equals(plain[["date", "imposer", "target"]])
    assert len(outlook.quantiles) == len(plain) * len(QUANTILES)
    assert got.attrs == {"scenario": "deal-or-not", "weights": "2024"}
    assert outlook.quantiles.attrs == got.attrs and outlook.title == "Deal or no deal at Busan"
    # without a name: the paths' scenario if they share one, else how many paths
    assert UncertainResult([(1.0, "x", (), paths[1])]).name == "inline"
    assert UncertainResult([(0.5, "x", (), paths[0]), (0.5, "y", (), paths[1])]).name == "2 paths"


def test_branches_and_each_branch(outlook, paths):
    table = outlook.branches
    assert list(table.columns) == ["label", "probability", "choices"]
    assert table.label.tolist() == ["deal-reached", "no-deal"]
    assert table.probability.tolist() == [0.6, 0.4]
    assert table.choices.tolist() == [(("deal", "deal-reached"),), (("deal", "no-deal"),)]
    assert outlook.branch("no-deal") is paths[0]
    with pytest.raises(KeyError, match="the paths are: deal-reached, no-deal"):
        outlook.branch("truce")
    on = outlook.branches_at("2025-11-05")
    assert on[on.imposer == "US"].headline_rate.tolist() == pytest.approx([0.55, 1.55])
    assert [p.label for p in outlook.paths] == ["deal-reached", "no-deal"]


def test_prob_exceeds_counts_days_up_to_and_including_by(outlook):
    # above 100%: only without a deal, from 1 Nov
    assert outlook.prob_exceeds("US-CN", 1.0, by="2025-10-31") == 0.0
    assert outlook.prob_exceeds("US-CN", 1.0, by="2025-11-01") == pytest.approx(0.4)
    assert outlook.prob_exceeds("US-CN", "100%") == pytest.approx(0.4)  # by the last day
    # above 60%: the deal path passes it only on 10 Nov (79%)
    assert outlook.prob_exceeds("US-CN", 0.6, by="2025-11-09") == pytest.approx(0.4)
    assert outlook.prob_exceeds("US-CN", 0.6, by="2025-11-10") == pytest.approx(1.0)
    # strictly above: 55% is not above 55%
    assert outlook.prob_exceeds("US-CN", 0.55, by="2025-10-31") == 0.0
    assert outlook.prob_exceeds("CN-US", 0.2, by="2025-11-10") == pytest.approx(1.0)
    assert outlook.prob_exceeds("CN-US", 0.2, by="2025-11-09") == 0.0
    # the effective column: 44.9% before November on both paths
    assert outlook.prob_exceeds("US-CN", 0.45, by="2025-10-31", column="effective_rate") == 0.0
    with pytest.raises(ValueError, match="outside the simulated days"):
        outlook.prob_exceeds("US-CN", 1.0, by="2027-01-01")
    with pytest.raises(ValueError, match="rate '100' has no unit: write '100%'"):
        outlook.prob_exceeds("US-CN", "100")
    # a fraction is read as one; a number above 10 is a percentage without its sign
    with pytest.raises(ValueError, match="threshold 100 reads as 10000%; write '100%'"):
        outlook.prob_exceeds("US-CN", 100)
    with pytest.raises(ValueError, match="the directions are: US-CN, CN-US"):
        outlook.prob_exceeds("EU-CN", 1.0)


def test_a_plain_result_is_one_certain_path(paths):
    certain = UncertainResult.certain(paths[0])
    assert certain.rates.equals(paths[0].rates)
    q = certain.quantiles
    for quantile in QUANTILES:
        one = q[q["quantile"] == quantile].reset_index(drop=True)
        assert one.headline_rate.equals(paths[0].rates.headline_rate)


def test_paths_that_do_not_fit_together_are_refused(paths):
    no_deal, deal = paths
    with pytest.raises(ValueError, match=r"sum to 0\.9, not 1"):
        UncertainResult([(0.5, "a", (), no_deal), (0.4, "b", (), deal)])
    with pytest.raises(ValueError, match="labels must differ"):
        UncertainResult([(0.5, "a", (), no_deal), (0.5, "a", (), deal)])
    with pytest.raises(ValueError, match="not negative"):
        UncertainResult([(1.5, "a", (), no_deal), (-0.5, "b", (), deal)])
    with pytest.raises(ValueError, match="at least one path"):
        UncertainResult([])
    short = ts.simulate("pre-summit", end="2025-12-31")
    with pytest.raises(ValueError, match="path 'b' covers 2025-09-01 to 2025-12-31"):
        UncertainResult([(0.5, "a", (), no_deal), (0.5, "b", (), short)])
