"""Comparing two scenarios: rules, paths and events that differ."""

from __future__ import annotations

from datetime import date

import pytest

import tariffsim as ts
from tariffsim.cli import main


@pytest.fixture(scope="module")
def cmp():
    return ts.compare("pre-summit", "busan-deal")


def test_common_horizon_and_differences(cmp):
    # horizons: pre-summit 2025-09-01..2026-03-31, busan-deal 2025-09-01..2026-12-31;
    # both runs cover the span of the two: the earliest start and the latest end
    span = (date(2025, 9, 1), date(2026, 12, 31))
    assert (cmp.a.start, cmp.a.end) == span and (cmp.b.start, cmp.b.end) == span
    us = cmp.rates[(cmp.rates.imposer == "US")].set_index("date")
    # 10 Nov 2025: pre-summit 25 + 20 + 34 + 100 = 179%, busan-deal 25 + 10 + 10 = 45%
    assert us.loc["2025-11-10", "headline_a"] == pytest.approx(1.79)
    assert us.loc["2025-11-10", "headline_b"] == pytest.approx(0.45)
    assert us.loc["2025-11-10", "headline_diff"] == pytest.approx(0.45 - 1.79)
    assert us.loc["2025-09-01", "headline_diff"] == pytest.approx(0.0)


def test_rules_that_differ(cmp):
    rules = cmp.rules.set_index("id")
    assert rules.loc["us-reciprocal-suspension-busan", "change"] == "only in b"
    assert rules.loc["(set_rate us-ieepa-fentanyl 2025-11-10)", "change"] == "only in b"
    assert "us-ieepa-fentanyl" not in rules.index  # the measure itself is the same


def test_events_that_differ_include_the_trigger_both_ways(cmp):
    trig = cmp.events[cmp.events.id == "threat-100-on-nov-1"]
    assert sorted(zip(trig.side, trig.fired, strict=True)) == [("a", True), ("b", False)]


def test_compare_a_copy_finds_nothing():
    # a scenario that only extends busan-deal: other objects, other file positions, same rules
    copy = ts.scenario_from_dict({"title": "copy", "extends": "busan-deal"})
    same = ts.compare("busan-deal", copy)
    assert same.rules.empty and same.events.empty
    # no difference ever changes, so only each direction's first day is listed
    assert same.rates[["imposer", "target"]].values.tolist() == [["CN", "US"], ["US", "CN"]]
    assert same.rates.date.dt.strftime("%Y-%m-%d").tolist() == ["2025-09-01"] * 2
    assert (same.rates[["headline_diff", "effective_diff"]] == 0).all().all()


def test_compare_sees_one_added_move():
    # busan-deal plus a fentanyl rise from 10% to 15% on 1 Jun 2026: one rule only in b, and
    # from that day the US headline is 5 points higher (25 + 15 + 10 = 50% against 45%)
    rise = {"kind": "set_rate", "measure": "us-ieepa-fentanyl", "date": "2026-06-01", "rate": "15%"}
    cmp = ts.compare(
        "busan-deal",
        ts.scenario_from_dict({"title": "x", "extends": "busan-deal", "moves": [rise]}),
    )
    assert cmp.rules[["kind", "id", "change"]].values.tolist() == [
        ["move", "(set_rate us-ieepa-fentanyl 2026-06-01)", "only in b"]
    ]
    us = cmp.rates[cmp.rates.imposer == "US"]
    assert us.date.dt.strftime("%Y-%m-%d").tolist() == ["2025-09-01", "2026-06-01"]
    assert us.headline_diff.tolist() == pytest.approx([0.0, 0.05])
    assert us.headline_b.iloc[1] == pytest.approx(0.50)
    assert cmp.events[["side", "kind"]].values.tolist() == [["b", "set_rate"]]


def test_compare_cli(capsys):
    assert main(["compare", "pre-summit", "talks-collapse"]) == 0
    out = capsys.readouterr().out
    assert "only in b  trigger  cn-mirrors-threat" in out
    # China's matching 100% from 3 Nov 2025: headline 10% in A, 10 + 100 = 110% in B
    rows = [line.split() for line in out.splitlines() if line.startswith("  20")]
    assert [r[:4] for r in rows] == [
        ["2025-09-01", "10.0", "10.0", "0.0"],
        ["2025-11-03", "10.0", "110.0", "100.0"],
        ["2025-09-01", "55.0", "55.0", "0.0"],
    ]
    assert main(["compare", "pre-summit", "busan-deal", "--start", "2025-02-30"]) == 1
    assert "--start: error" in capsys.readouterr().err
