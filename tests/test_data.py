"""Packaged product data: coverage figures from the source data, explain at product level,
weights, sections, and clear errors for a broken installation."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tariffsim as ts
from tariffsim.cli import main
from tariffsim.errors import DataError
from tariffsim.products import load_list, load_universe

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="module")
def history():
    return ts.simulate("history")


def share(name: str, imposer: str = "US", target: str = "CN") -> float:
    u = load_universe(imposer, target)
    return float(u.weights[u.prefix_mask(load_list(name))].sum())


def test_universe_totals_match_the_source_data():
    us = load_universe("US", "CN")
    assert us.values.sum() == pytest.approx(429.43e9, rel=1e-3)
    assert us.mfn @ us.weights == pytest.approx(0.0255, abs=5e-4)
    cn = load_universe("CN", "US")
    assert cn.values.sum() + 2.298e9 == pytest.approx(143.27e9, rel=2e-3)   # + chapter 98


def test_section_301_coverage_on_2025_01_20(history):
    # shares of 2024 US imports from China (derived/section301_and_electronics_coverage_2024)
    table = history.explain("2025-01-20", "US", "CN").set_index("measure")
    expected = {"us-s301-list1": 6.2, "us-s301-list2": 1.8, "us-s301-list3": 25.4,
                "us-s301-list4a": 16.8}
    for measure, pct in expected.items():
        assert table.loc[measure, "coverage"] * 100 == pytest.approx(pct, abs=0.3), measure
    assert table.loc["us-s301-list4b", "status"] == "void"


def test_electronics_exclusion_and_farm_lists_cover_what_the_data_says():
    assert share("us-electronics-2025-04") * 100 == pytest.approx(22.3, abs=0.5)
    cn = load_universe("CN", "US")
    farm = sum(cn.values[cn.prefix_mask(load_list(n))].sum()
               for n in ("cn-farm-2025-03-10pct", "cn-farm-2025-03-15pct"))
    assert farm == pytest.approx(19.05e9 + 2.86e9, rel=0.01)


def test_explain_smartphones_on_1_may_2025(history):
    rows = history.explain("2025-05-01", "US", "CN", product="8517.13")
    assert set(rows["product"]) == {"8517130000"}
    by = rows.set_index("measure")
    assert by.loc["total", "rate"] == pytest.approx(0.20)
    assert by.loc["mfn", "rate"] == 0
    assert by.loc["us-ieepa-fentanyl", "applies"] and by.loc["us-ieepa-fentanyl", "rate"] == 0.2
    for lst in ("us-s301-list1", "us-s301-list2", "us-s301-list3", "us-s301-list4a"):
        assert not by.loc[lst, "applies"] and "not in the measure's scope" in by.loc[lst, "rule"]
    recip = by.loc["us-ieepa-reciprocal"]
    assert not recip.applies and "reciprocal-not-on-electronics" in recip.rule
    assert "annex-ii" not in recip.rule  # smartphones were never on EO 14257 Annex II
    assert {"t34", "t35"} <= set(recip.sources.split(", "))  # the exclusion's own sources
    assert by.loc["us-ieepa-fentanyl", "sources"] and "universe-US-CN" in by.loc["mfn", "sources"]


def test_layer_contributions_sum_to_the_effective_rate(history):
    layers = history.layers.groupby(["date", "imposer", "target"])["contribution"].sum()
    rates = history.rates.set_index(["date", "imposer", "target"])["effective_rate"]
    assert np.allclose(layers.reindex(rates.index).to_numpy(), rates.to_numpy())


def test_by_section_averages_back_to_the_total(history):
    table = history.by_section("2025-05-01")
    for (imp, tgt), rows in table.groupby(["imposer", "target"]):
        assert rows.trade_share.sum() == pytest.approx(1.0)
        at = history.at("2025-05-01")
        total = at[(at.imposer == imp) & (at.target == tgt)]
        assert (rows.trade_share * rows.effective_rate).sum() == pytest.approx(
            float(total.effective_rate.iloc[0]))


def test_weights_are_a_labelled_choice():
    r24 = ts.simulate("busan-deal")
    r17 = ts.simulate("busan-deal", weights="2017")
    assert r24.rates.attrs["weights"] == "2024" and r17.rates.attrs["weights"] == "2017"
    assert not np.allclose(r24.rates.effective_rate, r17.rates.effective_rate)
    assert np.allclose(r24.rates.headline_rate, r17.rates.headline_rate)


def test_run_by_section_cli(capsys):
    assert main(["run", "history", "--by", "section", "--at", "2025-05-01"]) == 0
    out = capsys.readouterr().out
    assert "Machinery and electrical equipment" in out and "US→CN" in out and "CN→US" in out


def test_missing_or_corrupt_table_is_a_clear_error(tmp_path, monkeypatch, capsys):
    import shutil

    import tariffsim.products as products

    shutil.copytree(products.data_dir(), tmp_path, dirs_exist_ok=True)
    (tmp_path / "universe-US-CN.csv.gz").write_bytes(b"not gzip at all")
    monkeypatch.setattr(products, "data_dir", lambda: tmp_path)
    products.load_universe.cache_clear()
    try:
        with pytest.raises(DataError, match="unreadable"):
            load_universe("US", "CN")
        with gzip.open(tmp_path / "universe-US-CN.csv.gz", "wt") as fh:
            fh.write("code,value_2024,mfn\n0101,abc,0\n")
        products.load_universe.cache_clear()
        with pytest.raises(DataError, match="corrupt"):
            load_universe("US", "CN")
        products.load_universe.cache_clear()
        (tmp_path / "universe-US-CN.csv.gz").write_bytes(b"not gzip at all")
        code = main(["run", "pre-summit"])
        err = capsys.readouterr().err
        assert code == 1 and "data error" in err and "Traceback" not in err
    finally:
        products.load_universe.cache_clear()


@pytest.mark.skipif(not SHARED.is_dir(), reason="the raw data folder ../shared/data is absent")
def test_packaged_tables_are_reproduced_byte_for_byte(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "tools" / "derive_data.py"), "--source",
                    str(SHARED), "--out", str(tmp_path)], check=True, capture_output=True)
    packaged = ROOT / "tariffsim" / "data"
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert made
    for rel in made:
        assert (tmp_path / rel).read_bytes() == (packaged / rel).read_bytes(), rel
