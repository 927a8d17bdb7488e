"""Comparing two scenarios: rules, paths and events that differ."""

from __future__ import annotations

import pytest

import tariffsim as ts
from tariffsim.cli import main


@pytest.fixture(scope="module")
def cmp():
    return ts.compare("pre-summit", "busan-deal")


def test_common_horizon_and_differences(cmp):
    assert cmp.a.start == cmp.b.start and cmp.a.end == cmp.b.end
    us = cmp.rates[(cmp.rates.imposer == "US")].set_index("date")
    assert us.loc["2025-11-10", "headline_diff"] == pytest.approx(-1.34)
    assert us.loc["2025-09-01", "headline_diff"] == pytest.approx(0.0)


def test_rules_that_differ(cmp):
    rules = cmp.rules.set_index("id")
    assert rules.loc["us-reciprocal-suspension-busan", "change"] == "only in b"
    assert rules.loc["(set_rate us-ieepa-fentanyl 2025-11-10)", "change"] == "only in b"
    assert "us-ieepa-fentanyl" not in rules.index   # the measure itself is the same


def test_events_that_differ_include_the_trigger_both_ways(cmp):
    trig = cmp.events[cmp.events.id == "threat-100-on-nov-1"]
    assert sorted(zip(trig.side, trig.fired, strict=True)) == [("a", True), ("b", False)]


def test_compare_identical_scenarios_finds_nothing():
    same = ts.compare("busan-deal", "busan-deal")
    assert same.rules.empty and same.events.empty
    assert (same.rates.headline_diff == 0).all()


def test_compare_cli(capsys):
    assert main(["compare", "pre-summit", "talks-collapse"]) == 0
    out = capsys.readouterr().out
    assert "only in b  trigger  cn-mirrors-threat" in out and "-" in out
    assert main(["compare", "pre-summit", "busan-deal", "--start", "2025-02-30"]) == 1
    assert "--start: error" in capsys.readouterr().err
