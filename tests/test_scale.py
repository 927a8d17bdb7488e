"""Honest large inputs (issue 13, scale): 1,500 triggers on one day and 10,000 measures run
and give figures worked out by hand. Functional checks only; timing is for benchmarks/
(bench_scale.py), never asserted here."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tariffsim import load_scenario, scenario_from_dict, simulate
from tariffsim.errors import ScenarioError

START = date(2025, 1, 1)
REFS = [{"id": "src", "title": "a source"}]


def day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def chain_of_triggers(n: int, cycle: bool = False) -> dict:
    """`n` triggers on one day: trigger i fires on the flag trigger i-1 sets and imposes a
    threatened 0.01% measure on all products. Ids run against the chain (the last link has
    the smallest id), so only the dependency order fires them all. With `cycle`, the first
    link also waits on the last one's flag."""
    measures = [
        {
            "id": f"m{i}",
            "name": f"threat {i}",
            "imposer": "US",
            "target": "CN",
            "authority": "test",
            "products": "all",
            "rate": "0.01%",
            "from": day(59),
            "status": "threatened",
            "headline": True,
            "sources": ["src"],
        }
        for i in range(n)
    ]
    triggers = []
    for i in range(n):
        trig: dict = {
            "id": f"t{n - i:05d}",
            "date": day(59),
            "description": f"link {i}",
            "then": [{"kind": "set_flag", "flag": f"f{i}"}, {"kind": "impose", "measure": f"m{i}"}],
            "sources": ["src"],
        }
        if i or cycle:
            trig["if"] = {"flag": f"f{(i - 1) % n}"}
        triggers.append(trig)
    return {
        "title": f"{n} same-day triggers",
        "references": REFS,
        "horizon": {"start": day(0), "end": day(119)},
        "flags": [{"id": f"f{i}", "description": "a link"} for i in range(n)],
        "measures": measures,
        "triggers": triggers,
    }


def rates_on(result, when: str, imposer: str = "US", target: str = "CN") -> tuple[float, float]:
    frame = result.rates
    row = frame[(frame.date == when) & (frame.imposer == imposer) & (frame.target == target)]
    assert len(row) == 1
    return float(row.headline_rate.iloc[0]), float(row.effective_rate.iloc[0])


def test_1500_same_day_triggers_fire_in_dependency_order(tmp_path: Path):
    path = tmp_path / "triggers.yaml"
    path.write_text(json.dumps(chain_of_triggers(1500)), encoding="utf-8")  # JSON is YAML
    result = simulate(load_scenario(path))
    events = result.events[result.events.kind == "trigger"]
    assert len(events) == 1500 and events.fired.all()
    # evaluated along the chain: link 0 (id t01500) first, link 1499 (id t00001) last
    assert events.id.iloc[0] == "t01500" and events.id.iloc[-1] == "t00001"
    head_before, eff_before = rates_on(result, day(58))
    head_after, eff_after = rates_on(result, day(59))
    assert head_before == 0.0
    assert head_after == pytest.approx(0.15, abs=1e-12)  # 1,500 x 0.01%
    assert eff_after - eff_before == pytest.approx(0.15, abs=1e-12)  # all products: + 15%
    assert rates_on(result, day(119)) == pytest.approx((head_after, eff_after))


def test_a_cycle_among_1000_same_day_triggers_is_a_clear_error():
    with pytest.raises(ScenarioError, match="cycle"):
        simulate(scenario_from_dict(chain_of_triggers(1000, cycle=True)))


def test_10000_measures_give_the_headline_worked_by_hand():
    # measure i: 0.01% on all products, in force from day (i // 2) % 100, alternating
    # directions; so on day k each direction has 50 (k + 1) measures in force
    measures = [
        {
            "id": f"m{i:05d}",
            "name": f"measure {i}",
            "imposer": "US" if i % 2 == 0 else "CN",
            "target": "CN" if i % 2 == 0 else "US",
            "authority": "test",
            "products": "all",
            "rate": "0.01%",
            "from": day((i // 2) % 100),
            "headline": True,
            "sources": ["src"],
        }
        for i in range(10_000)
    ]
    scenario = scenario_from_dict(
        {
            "title": "10,000 measures",
            "references": REFS,
            "horizon": {"start": day(0), "end": day(149)},
            "measures": measures,
        }
    )
    result = simulate(scenario)
    assert len(result.starts) == 100
    for imposer, target in (("US", "CN"), ("CN", "US")):
        _, mfn_only = rates_on(result, day(0), imposer, target)
        mfn = mfn_only - 50 * 0.0001
        for k in (0, 1, 37, 98, 99, 149):
            expected = 50 * (min(k, 99) + 1) * 0.0001
            head, eff = rates_on(result, day(k), imposer, target)
            assert head == pytest.approx(expected, abs=1e-12), (imposer, k)
            assert eff == pytest.approx(mfn + expected, abs=1e-12), (imposer, k)
    assert rates_on(result, day(149))[0] == pytest.approx(0.5, abs=1e-12)  # 5,000 x 0.01%
    # every layer's contribution plus MFN still gives the effective rate, segment by segment
    for d in result.directions:
        assert d.contribution.shape == (100, 5000)
        assert d.contribution.sum(axis=1) + d.mfn == pytest.approx(d.effective, abs=1e-12)
        assert (d.coverage[-1] == 1.0).all()
