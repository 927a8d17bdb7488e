"""ts.sweep: a grid of assumptions over a scenario, one tidy frame; the expected rates
worked out by hand from the rules (README tables), the same frame wherever it runs."""

from __future__ import annotations

import datetime as dt
import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import pytest

import tariffsim as ts
from tariffsim.errors import Diagnostic, ScenarioError

FENTANYL = "rate:us-ieepa-fentanyl@2025-11-10"  # Busan cuts it to 10% that day
RESIDUAL = "move-rate:us-reciprocal-suspension"  # reciprocal charged while suspended: 10%
GRID = {FENTANYL: ["10%", "20%"], RESIDUAL: ["10%", "20%"]}
DAYS = ["2025-10-15", "2025-11-15"]


@pytest.fixture(scope="module")
def two_by_two() -> pd.DataFrame:
    return ts.sweep("busan-deal", GRID, days=DAYS, executor="inline")


def us_cn(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[(frame.imposer == "US") & (frame.target == "CN")]


def test_a_two_by_two_sweep_of_busan_by_hand(two_by_two):
    # US->CN headline = Section 301 25% + fentanyl + reciprocal residual (the 100% threat
    # dropped). Before 10 Nov the fentanyl tariff is still 20% whatever its later rate.
    got = us_cn(two_by_two)
    assert list(got.columns) == [FENTANYL, RESIDUAL, *ts.simulate("busan-deal").rates.columns]
    table = {
        (f, r, d.strftime("%Y-%m-%d")): round(h * 100, 9)
        for f, r, d, h in got[[FENTANYL, RESIDUAL, "date", "headline_rate"]].itertuples(index=False)
    }
    assert table == {
        ("10%", "10%", "2025-10-15"): 55.0,  # 25 + 20 + 10
        ("10%", "10%", "2025-11-15"): 45.0,  # 25 + 10 + 10: busan-deal as bundled
        ("10%", "20%", "2025-10-15"): 65.0,  # 25 + 20 + 20
        ("10%", "20%", "2025-11-15"): 55.0,  # 25 + 10 + 20
        ("20%", "10%", "2025-10-15"): 55.0,
        ("20%", "10%", "2025-11-15"): 55.0,  # 25 + 20 + 10: the cut undone
        ("20%", "20%", "2025-10-15"): 65.0,
        ("20%", "20%", "2025-11-15"): 65.0,  # 25 + 20 + 20
    }
    # CN->US is untouched: China's 10% (its 24 points suspended) on both days
    cn = two_by_two[two_by_two.imposer == "CN"]
    assert len(cn) == 8 and set(cn.headline_rate.round(9)) == {0.10}
    # the grid's order, last key fastest; each variant as simulate orders its rows
    assert two_by_two[[FENTANYL, RESIDUAL]].drop_duplicates().values.tolist() == [
        ["10%", "10%"],
        ["10%", "20%"],
        ["20%", "10%"],
        ["20%", "20%"],
    ]
    assert list(two_by_two.imposer[:4]) == ["US", "US", "CN", "CN"]


def test_the_base_values_give_the_bundled_rates(two_by_two):
    plain = ts.simulate("busan-deal").at(*DAYS).reset_index(drop=True)
    base = two_by_two[(two_by_two[FENTANYL] == "10%") & (two_by_two[RESIDUAL] == "10%")]
    cols = ["imposer", "headline_rate", "effective_rate"]
    pd.testing.assert_frame_equal(base[cols].reset_index(drop=True), plain[cols])


@pytest.mark.parametrize("p", [0.5, 0.7, 0.9])
def test_a_probability_sweep_of_the_outlook(p):
    # deal: truce extended 85% (55%) or lapses 15% (79% = 55 + 24); no deal: 179%
    frame = ts.sweep(
        "nov-2025-outlook", {"probability:busan/deal": [f"{p * 100:g}%"]}, days="2025-11-15"
    )
    expected = p * (0.85 * 0.55 + 0.15 * 0.79) + (1 - p) * 1.79
    assert us_cn(frame).headline_rate.tolist() == pytest.approx([expected], abs=1e-12)


def test_a_certain_option_drops_the_others_and_until_moves_a_deadline():
    frame = ts.sweep(
        "nov-2025-outlook",
        {"probability:busan/deal": ["100%"], "probability:truce/truce-lapses": ["100%"]},
        days=dt.date(2025, 11, 15),
    )
    assert us_cn(frame).headline_rate.tolist() == pytest.approx([0.79])
    # Busan's extension of the reciprocal suspension ending 1 Dec: 34% again on 15 Dec
    ended = ts.sweep(
        "busan-deal",
        {"until:us-reciprocal-suspension-busan": ["2025-12-01", "2026-11-10"]},
        days=pd.Timestamp("2025-12-15"),
    )
    assert us_cn(ended).headline_rate.tolist() == pytest.approx([0.69, 0.45])  # 25+10+34


def test_processes_threads_and_inline_give_the_same_frame(two_by_two):
    processes = ts.sweep("busan-deal", GRID, days=DAYS, executor="processes")
    pd.testing.assert_frame_equal(processes, two_by_two)
    with ThreadPoolExecutor(2) as pool:
        threads = ts.sweep("busan-deal", GRID, days=DAYS, executor=pool)
    pd.testing.assert_frame_equal(threads, two_by_two)
    # a loaded Scenario and a dict that extends the base are sources too
    loaded = ts.sweep(ts.load_scenario("busan-deal"), GRID, days=DAYS)
    pd.testing.assert_frame_equal(loaded, two_by_two)
    child = {"title": "same", "extends": "busan-deal"}
    pd.testing.assert_frame_equal(ts.sweep(child, GRID, days=DAYS), two_by_two)


def test_the_same_sweep_on_a_local_dask_cluster(two_by_two):
    pytest.importorskip("distributed")
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        on_dask = ts.sweep("busan-deal", GRID, days=DAYS, executor=client)
    pd.testing.assert_frame_equal(on_dask, two_by_two)


@pytest.mark.parametrize(
    ("grid", "says"),
    [
        ({"rates:us-ieepa-fentanyl@2025-11-10": ["1%"]}, "unknown kind 'rates'; did you mean"),
        ({"rate:us-ieepa-fentanil@2025-11-10": ["1%"]}, "did you mean 'us-ieepa-fentanyl'"),
        ({"rate:us-ieepa-fentanyl": ["1%"]}, "rate:<measure>@<day>"),
        ({FENTANYL: ["10"]}, "has no unit: write '10%'"),
        ({FENTANYL: "10%"}, "give a list of values"),
        ({FENTANYL: []}, "at least one value"),
        ({"date:no-such-move": ["2025-11-01"]}, "unknown move id 'no-such-move'"),
        ({"until:us-reciprocal-suspension": ["soon"]}, "'soon' is not a date"),
        ({"move-rate:us-reciprocal-suspension-busan": ["5%"]}, "extend move, which has no"),
        ({"probability:busan/dea": ["50%"]}, "unknown option 'dea'; did you mean 'deal'"),
        ({"probability:busan/deal": ["0%"]}, "out of range"),
        (
            {"probability:busan/deal": ["50%"], "probability:busan/no-deal": ["50%"]},
            "one per branch",
        ),
    ],
)
def test_bad_grid_keys_and_values_name_the_key(grid, says):
    scenario = "nov-2025-outlook" if any("prob" in k for k in grid) else "busan-deal"
    with pytest.raises(ScenarioError) as err:
        ts.sweep(scenario, grid, executor="inline")
    assert says in str(err.value)
    assert f"grid key '{next(k for k in grid if 'prob' in k or k in str(err.value))}'" in str(
        err.value
    )


def test_a_variant_that_fails_the_checks_is_named_and_days_must_be_simulated():
    # the extension decided after the suspension lapsed: refused like in a file
    with pytest.raises(ScenarioError, match=r"in the variant busan-deal \[date:"):
        ts.sweep("busan-deal", {"date:us-reciprocal-suspension-busan": ["2025-12-01"]})
    with pytest.raises(ScenarioError, match="outside the simulated days"):
        ts.sweep("busan-deal", {FENTANYL: ["10%"]}, days="2030-01-01")
    with pytest.raises(TypeError, match="executor"):
        ts.sweep("busan-deal", {FENTANYL: ["10%"]}, executor=42)


def test_scenario_errors_cross_processes_whole():
    err = ScenarioError([Diagnostic("a.yaml", 3, 4, "bad"), Diagnostic("b", 0, 0, "worse")])
    again = pickle.loads(pickle.dumps(err))
    assert again.diagnostics == err.diagnostics and str(again) == str(err)


def test_import_tariffsim_loads_no_dask():
    probe = (
        "import sys, tariffsim; tariffsim.sweep\n"
        "print([m for m in ('dask', 'distributed') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"  # dask only when a Client is passed in
