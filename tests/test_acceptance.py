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
    table = simulate("pre-summit").explain("2025-10-27", "US", "CN")
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
    assert headline("busan-deal", "2025-11-01", "US", "CN") == 0.55   # threat dropped
    assert headline("busan-deal", "2025-11-10", "US", "CN") == 0.45
    assert headline("busan-deal", "2025-11-10", "CN", "US") == 0.10
    assert headline("busan-deal", "2026-11-09", "CN", "US") == 0.10   # suspension to 10 Nov 2026
    events = simulate("busan-deal").events
    trig = events[events.id == "threat-100-on-nov-1"].iloc[0]
    assert not trig.fired and "deal-reached" in trig.detail


def test_busan_deal_ends_china_farm_tariffs():
    r = simulate("busan-deal")
    before = r.explain("2025-11-09", "CN", "US").set_index("measure")
    after = r.explain("2025-11-10", "CN", "US").set_index("measure")
    assert before.loc["cn-farm-10pct", "status"] == "in force"
    assert "cn-farm-10pct" not in after.index or after.loc["cn-farm-10pct", "status"] == "revoked"
    assert after.loc["cn-ree-controls-2025-10", "status"] == "suspended"


def test_talks_collapse_china_answers():
    assert headline("talks-collapse", "2025-11-03", "CN", "US") == 1.10
    assert headline("talks-collapse", "2025-11-10", "CN", "US") == 1.34
    assert headline("talks-collapse", "2025-11-10", "US", "CN") == 1.79


def test_history_after_the_court_ruling():
    assert headline("history", "2018-07-06", "US", "CN") == 0.25
    assert headline("history", "2025-04-10", "US", "CN") == 1.70   # 25 + 20 + 125
    assert headline("history", "2026-02-23", "US", "CN") == 0.45
    assert headline("history", "2026-02-24", "US", "CN") == 0.35   # 301 + Section 122
    assert headline("history", "2026-07-24", "US", "CN") == 0.375  # 301 + forced labour
