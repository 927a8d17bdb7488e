"""The bundled outlook as seen on 27 Oct 2025: its paths and expected rates worked by hand
from its stated odds and the pre-summit rules, and a 100,000-path sample that agrees with
the exact answer within three standard errors on every day."""

from __future__ import annotations

import numpy as np
import pytest

import tariffsim as ts


@pytest.fixture(scope="module")
def outlook():
    return ts.load_scenario("nov-2025-outlook")


@pytest.fixture(scope="module")
def exact(outlook):
    return ts.simulate(outlook)


def rate(result, day, imposer, column="headline_rate"):
    rows = result.rates[(result.rates.date == day) & (result.rates.imposer == imposer)]
    return float(rows[column].iloc[0])


def test_the_paths_and_their_odds(exact):
    # deal 70% × (extended 85% | lapses 15%); no deal 30% × (matches 60% × (3 Nov 70% |
    # 10 Nov 30%) | holds 40%)
    odds = dict(zip(exact.branches.label, exact.branches.probability, strict=True))
    assert odds == pytest.approx(
        {
            "deal / truce-extended": 0.595,
            "deal / truce-lapses": 0.105,
            "no-deal / china-matches, china-answers 2025-11-03": 0.126,
            "no-deal / china-matches, china-answers 2025-11-10": 0.054,
            "no-deal / china-holds": 0.12,
        }
    )


def test_the_expected_rates_worked_by_hand(exact):
    # US on CN, 15 Nov 2025: Section 301 25 + fentanyl 20 + reciprocal 10 (suspended) = 55
    # with the truce extended; reciprocal back to 34 when it lapses: 79; no deal adds the
    # 100% threat from 1 Nov and the lapse: 179
    assert rate(exact, "2025-11-15", "US") == pytest.approx(
        0.595 * 0.55 + 0.105 * 0.79 + 0.3 * 1.79
    )
    # China on the US: 10 while suspended, 34 after the lapse, +100 once China matches
    assert rate(exact, "2025-11-05", "CN") == pytest.approx(0.10 + 0.126 * 1.00)
    assert rate(exact, "2025-11-15", "CN") == pytest.approx(
        0.595 * 0.10 + 0.105 * 0.34 + 0.18 * 1.34 + 0.12 * 0.34
    )
    assert exact.prob_exceeds("CN-US", "100%", by="2025-11-05") == pytest.approx(0.126)
    assert exact.prob_exceeds("CN-US", "100%", by="2025-11-10") == pytest.approx(0.18)


def test_a_sample_of_100000_paths_agrees_with_the_exact_answer(outlook, exact):
    sampled = ts.simulate(outlook, paths=100_000, seed=2025)
    p = exact.probabilities[:, None]
    for column in ("headline_rate", "effective_rate"):
        values = exact.headline if column == "headline_rate" else exact.effective  # paths × rows
        mean = (p * values).sum(axis=0)
        se = np.sqrt((p * (values - mean) ** 2).sum(axis=0) / 100_000)
        got = sampled.rates[column].to_numpy()
        assert np.all(np.abs(got - mean) <= 3 * se + 1e-12), column
        assert np.allclose(exact.rates[column].to_numpy(), mean)


def test_same_seed_same_bytes_other_seed_other_sample(outlook):
    a = ts.simulate(outlook, paths=1_000, seed=1).rates.to_csv()
    assert ts.simulate(outlook, paths=1_000, seed=1).rates.to_csv() == a
    assert ts.simulate(outlook, paths=1_000, seed=2).rates.to_csv() != a


def test_the_expected_rates_on_chosen_days(exact):
    on = exact.at("2025-11-15", "2025-11-05")
    assert on[["imposer", "target"]].values.tolist() == [["US", "CN"]] * 2 + [["CN", "US"]] * 2
    assert on.headline_rate.tolist() == pytest.approx([0.85, 0.9472, 0.226, 0.3772])
