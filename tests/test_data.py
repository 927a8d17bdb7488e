"""Packaged product data: coverage figures from the source data, explain at product level,
weights, sections, and clear errors for a broken installation."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tariffsim as ts
from tariffsim.cli import main
from tariffsim.errors import DataError
from tariffsim.products import list_names, load_list, load_universe

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DATA = ROOT / "tariffsim" / "data"


@pytest.fixture(scope="module")
def history():
    return ts.simulate("history")


def raw_table(path: Path):
    """A packaged CSV read with plain pandas (its leading '#' lines skipped; '#' may occur
    inside descriptions, so pandas' `comment=` would truncate rows)."""
    import pandas as pd

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return pd.read_csv(io.StringIO("".join(lines)), dtype={"code": str}, keep_default_na=False)


def share(name: str, imposer: str = "US", target: str = "CN") -> float:
    u = load_universe(imposer, target)
    return float(u.weights[u.prefix_mask(load_list(name))].sum())


STEEL_ARTICLES = (
    "7206",
    "7207",
    "7208",
    "7209",
    "7210",
    "7211",
    "7212",
    "7213",
    "7214",
    "7215",
    "72161",
    "72162",
    "72163",
    "72164",
    "72165",
    "721699",
    "7217",
    "7218",
    "7219",
    "7220",
    "7221",
    "7222",
    "7223",
    "7224",
    "7225",
    "7226",
    "7227",
    "7228",
    "7229",
    "730110",
    "730210",
    "730240",
    "730290",
    "7304",
    "7305",
    "7306",
)
ALUMINIUM_ARTICLES = (
    "7601",
    "7604",
    "7605",
    "7606",
    "7607",
    "7608",
    "7609",
    "7616995160",
    "7616995170",
)
NAILS_2020 = ("73170030", "73170055", "73170065")


def rebuild_2018_07_06(uni):
    """Per-line duty on 6 Jul 2018, by hand from the rules: MFN + Section 232 steel 25% +
    aluminium 10% + List 1 25%; no measure excludes another."""
    code = uni["code"]
    list1 = set(raw_table(DATA / "lists" / "us-s301-list1.csv").code)
    return (
        uni["mfn"]
        + 0.25 * code.str[:8].isin(list1)
        + 0.25 * code.str.startswith(STEEL_ARTICLES)
        + 0.10 * code.str.startswith(ALUMINIUM_ARTICLES)
    )


def rebuild_2025_03_12(uni):
    """Per-line duty on 12 Mar 2025, by hand from the rules: MFN + fentanyl 20% on all +
    Section 301 (Lists 1-3 25%, 4A 7.5%, replaced on their lines by the four-year-review
    rates in force: 25/50/100% from Sep 2024, 50/25% from Jan 2025) + Section 232 at 25%
    (steel and aluminium articles, 2020 derivatives, chapter 73 and 76 derivatives on full
    value, other aluminium derivatives on half their value). No reciprocal tariff yet."""
    code = uni["code"]

    def on(name: str):  # 0/1 per line, so that layers add up as the stacking does
        return code.str.startswith(tuple(raw_table(DATA / "lists" / f"{name}.csv").code)).astype(
            int
        )

    review = {
        "us-s301-review-25pct-2024-09": 0.25,
        "us-s301-review-50pct-2024-09": 0.50,
        "us-s301-review-100pct-2024-09": 1.00,
        "us-s301-review-50pct-2025-01": 0.50,
        "us-s301-review-25pct-2025-01": 0.25,
    }
    review_duty = sum(rate * on(name) for name, rate in review.items())
    on_review = sum(on(name) for name in review) > 0  # the review rate replaces the list
    lists = 0.25 * (on("us-s301-list1") + on("us-s301-list2") + on("us-s301-list3")) + 0.075 * on(
        "us-s301-list4a"
    )  # a line is on one list at most
    steel = code.str.startswith(STEEL_ARTICLES)
    nails = code.str.startswith(NAILS_2020)
    ch73 = code.str.startswith("73") & ~steel & ~nails
    aluminium = code.str.startswith(ALUMINIUM_ARTICLES)
    # castings and forgings are aluminium articles, though 7616.99.51 is on the ch. 76 list
    ch76 = (on("us-s232-aluminium-derivatives-ch76-2025-03") == 1) & ~aluminium
    s232 = 0.25 * (
        steel.astype(int)
        + nails
        + ch73
        + aluminium
        + ch76
        + on("us-s232-aluminium-derivatives-2020")
        + 0.5 * on("us-s232-aluminium-derivatives-2025-03")
    )
    return uni["mfn"] + 0.20 + lists.where(~on_review, 0.0) + review_duty + s232


def effective(result, day: str, imposer: str = "US", target: str = "CN") -> float:
    at = result.at(day)
    return float(at[(at.imposer == imposer) & (at.target == target)].effective_rate.iloc[0])


def test_universe_totals_match_the_source_data():
    us = load_universe("US", "CN")
    assert us.values.sum() == pytest.approx(429.43e9, rel=1e-3)
    assert us.mfn @ us.weights == pytest.approx(0.0255, abs=5e-4)
    cn = load_universe("CN", "US")
    assert cn.values.sum() + 2.298e9 == pytest.approx(143.27e9, rel=2e-3)  # + chapter 98


# China's tariff-rate-quota lines, copied by hand from China's tariff schedule (the in-quota
# ".01"/".10" and out-of-quota ".90" lines; sources in tools/derive_data.py CN_TRQ_IN_QUOTA):
# HS6 -> (in-quota rate, out-of-quota rate that China's HS6 file gives)
CN_TRQ_BY_HAND = {
    "520100": (0.01, 0.40),  # cotton, not carded or combed
    "100199": (0.01, 0.65),  # wheat
    "100590": (0.01, 0.65),  # maize
    "170199": (0.15, 0.50),  # refined sugar
    "310210": (0.01, 0.50),  # urea: the applied provisional rate (MFN in-quota 4%)
    "510529": (0.03, 0.38),  # wool tops
}


def test_china_quota_goods_pay_the_in_quota_rate():
    u = load_universe("CN", "US")
    mfn = dict(zip(u.codes, u.mfn, strict=True))
    for code, (in_quota, _) in CN_TRQ_BY_HAND.items():
        assert mfn[code] == pytest.approx(in_quota), code
    # goods of the same chapters outside the quotas keep the file's rate
    assert mfn["100790"] == pytest.approx(0.02)  # sorghum
    assert mfn["120190"] == pytest.approx(0.03)  # soybeans
    assert mfn["310221"] == pytest.approx(0.04)  # ammonium sulphate


def test_explain_us_cotton_in_china_on_30_june_2024(history):
    # MFN in-quota 1% + the 6 Jul 2018 round's 25% (no other round touches cotton) = 26%,
    # not the 65% of the out-of-quota 40%
    rows = history.explain("2024-06-30", "CN-US", product="520100").set_index("measure")
    applied = rows[rows.applies]
    assert list(applied.index) == ["mfn", "cn-retaliation-2018-07", "total"]
    assert applied.loc["mfn", "rate"] == pytest.approx(0.01)
    assert applied.loc["total", "rate"] == pytest.approx(0.26)


@pytest.mark.skipif(not SHARED.is_dir(), reason="the raw data folder ../shared/data is absent")
def test_china_hs6_file_gives_the_out_of_quota_rate_on_quota_goods():
    import pandas as pd

    raw = pd.read_csv(
        SHARED / "china_measures/china_tariffs_on_us_hs6_2018-2019.csv", dtype={"hs6": str}
    )
    before = raw[raw.time_of_tariff == "2018-01-01"].set_index("hs6")["tariff"]
    for code, (_, out_of_quota) in CN_TRQ_BY_HAND.items():
        assert before[code] == pytest.approx(out_of_quota * 100), code


def test_section_301_coverage_on_1_june_2024(history):
    # The tracker's first-listing shares of 2024 imports (shared/data/derived/
    # section301_and_electronics_coverage_2024.csv: 6.24 / 1.83 / 25.43 / 16.84%), moved by
    # the codes on which the packaged lists follow the USITC 2020 map instead (2024 imports,
    # $B, from tariffsim/data/audit/s301-list-disagreements.csv; total $429.43B). First the
    # codes the tracker files on another list:
    #   List 1:  + 8541.29 0.128 + 8541.21 0.022            -> 6.24 + 0.150/429.43 = 6.28
    #   List 2:  + 8542.31 0.358 + 8541.10 0.112            -> 1.83 + 0.470/429.43 = 1.94
    #   List 3:  - 8443.32.10 0.438 - 0.128 - 0.112 - 0.022 -> 25.43 - 0.700/429.43 = 25.27
    #   List 4A: + 8507.60 15.656 + 8443.32.10 0.438 + 7217.20 0.019
    #                                                       -> 16.84 + 16.113/429.43 = 20.59
    # then the codes it files only under 2024-review headings (empty tracker_first):
    #   List 1:  + 8703.80 0.111 + 8703.60 0.029 + 8702.40.31 0.024 + 8541.90 0.018
    #            + 8541.30 0.010 + 8703.90.01 0.005 + 8702.40.61 0.002
    #                                                -> 6.28 + 0.199/429.43 = 6.32
    #   List 2:  + 8542.39 0.398 + 8542.32 0.080 + 8542.33 0.049 + 8542.90 0.020
    #                                                -> 1.94 + 0.547/429.43 = 2.06 (1.935 + 0.127)
    #   List 3:  + 3818.00 0.141 + 2804.61 0.007    -> 25.27 + 0.148/429.43 = 25.30
    #   List 4A: + 300 steel and aluminium codes (chapters 72, 73, 76) and 8507.90.40, 0.741
    #                                                -> 20.59 + 0.741/429.43 = 20.76
    # and the codes created in 2022 that only the review names, on their predecessor's list
    # (tariffsim/data/audit/s301-codes-without-usitc-list.csv):
    #   List 1:  + 8541.49.80 0.016 + 8541.59 0.009 + 8541.49.95 0.006 + 8541.51 0.001
    #            + 8541.49.70 0.001                  -> 6.32 + 0.033/429.43 = 6.33
    #   List 2:  + 8541.43 0.040 + 8541.49.10 0.005 + 8541.42 0.001
    #                                                -> 2.06 + 0.045/429.43 = 2.07
    #   List 4A: + medical gloves 4015.12.1010 0.494 -> 20.76 + 0.494/429.43 = 20.88
    # (1 Jun 2024: before the four-year review, whose rates replace the lists' on its lines)
    table = history.explain("2024-06-01", "US-CN").set_index("measure")
    expected = {
        "us-s301-list1": 6.33,
        "us-s301-list2": 2.07,
        "us-s301-list3": 25.30,
        "us-s301-list4a": 20.88,
    }
    for measure, pct in expected.items():
        assert table.loc[measure, "coverage"] * 100 == pytest.approx(pct, abs=0.02), measure
    assert table.loc["us-s301-list4b", "status"] == "void"


def test_lithium_ion_batteries_and_processors_sit_on_their_legal_lists():
    assert "85076000" in load_list("us-s301-list4a")  # raised *from* 7.5% in 2024
    assert "85076000" not in load_list("us-s301-list4b")
    assert "85423100" in load_list("us-s301-list2")  # List 2: semiconductors


def test_electronics_exclusion_and_farm_lists_cover_what_the_data_says():
    # The 109-line exclusion list of shared/data covers 22.31% of 2024 imports (derived
    # coverage table); the memorandum's 20 entries cover the same lines. The packaged list
    # keeps the 9 entries the memorandum added: less its 11 lines of 8541 already on Annex II
    # ($0.33B: 0.08%), 22.31 - 0.08 = 22.23%.
    assert share("us-electronics-2025-04") * 100 == pytest.approx(22.23, abs=0.01)
    cn = load_universe("CN", "US")
    farm = sum(
        cn.values[cn.prefix_mask(load_list(n))].sum()
        for n in ("cn-farm-2025-03-10pct", "cn-farm-2025-03-15pct")
    )
    assert farm == pytest.approx(19.05e9 + 2.86e9, rel=0.01)


# Entries per act, from shared/data/us_measures/ieepa_annex_ii/README.md: the 2 Apr 2025
# annex has 1,039 HTS8 lines, of which 76 copper lines leave on 1 Aug 2025, 8 by EO 14346 on
# 8 Sep 2025 and 158 wood lines on 14 Oct 2025; the 11 Apr memorandum adds 9 entries, EO 14346
# adds 39, EO 14360 adds 237 (its 11 particular-article lines are not whole-line exemptions).
ANNEX_II_ENTRIES = {
    "us-annex-ii-eo14257": 1039 - 76 - 8 - 158,
    "us-annex-ii-eo14257-copper": 76,
    "us-annex-ii-eo14257-eo14346-removed": 8,
    "us-annex-ii-eo14257-wood": 158,
    "us-electronics-2025-04": 9,
    "us-annex-ii-eo14346": 39,
    "us-annex-ii-eo14360": 237,
}


def test_annex_ii_lists_hold_each_act_and_reconcile_with_the_2026_text():
    for name, count in ANNEX_II_ENTRIES.items():
        assert len(load_list(name)) == count, name
    on_5_april = set().union(
        *(
            load_list(n)
            for n in ANNEX_II_ENTRIES
            if n not in ("us-annex-ii-eo14346", "us-annex-ii-eo14360")
        )
    )
    assert len(on_5_april) == 1048  # the README's count of entries in force on 5 Apr
    final = (
        load_list("us-annex-ii-eo14257")
        | load_list("us-electronics-2025-04")
        | load_list("us-annex-ii-eo14346")
        | load_list("us-annex-ii-eo14360")
    )
    assert len(final) == 1082  # entries of HTSUS 2026 Rev 6 note 2(v)(iii)(a)
    assert not any(c.startswith(("8507", "8518")) for c in final)  # in no version of the list
    assert "08059001" not in final  # etrogs only: a particular-articles line, left out


@pytest.mark.parametrize(
    ("day", "code", "rule", "applies"),
    [
        # copper wire: Annex II until 1 Aug 2025, then Section 232 copper keeps the reciprocal off
        ("2025-07-31", "7408", "reciprocal-not-on-annex-ii-copper", True),
        ("2025-08-01", "7408", "reciprocal-not-on-annex-ii-copper", False),
        ("2025-08-01", "7408", "reciprocal-not-on-s232", True),
        # plywood of coniferous wood: Annex II until 14 Oct 2025
        ("2025-10-13", "4412395050", "reciprocal-not-on-annex-ii-wood", True),
        ("2025-10-14", "4412395050", "reciprocal-not-on-annex-ii-wood", False),
        # nickel ore: added by EO 14346 from 8 Sep 2025
        ("2025-09-07", "2604", "reciprocal-not-on-annex-ii-eo14346", False),
        ("2025-09-08", "2604", "reciprocal-not-on-annex-ii-eo14346", True),
        # roasted coffee: added by EO 14360 from 13 Nov 2025
        ("2025-11-12", "090121", "reciprocal-not-on-annex-ii-eo14360", False),
        ("2025-11-13", "090121", "reciprocal-not-on-annex-ii-eo14360", True),
    ],
)
def test_annex_ii_amendments_take_effect_on_their_dates(history, day, code, rule, applies):
    rows = history.explain(day, "US-CN", product=code)
    recip = rows[rows.measure == "us-ieepa-reciprocal"]
    assert len(recip) >= 1
    named = recip.rule.str.contains(f"{rule} ", regex=False)
    assert named.all() if applies else not named.any(), recip.rule.tolist()


@pytest.mark.parametrize(
    ("code", "steel"),
    [
        ("7204", False),
        ("7202", False),
        ("7208", True),
        ("7306", True),
        ("72166100", False),
    ],
)
def test_section_232_steel_articles_follow_proclamation_9705(history, code, steel):
    table = history.explain("2025-06-10", "US-CN", product=code)
    rows = table[table.measure == "us-s232-steel"]
    assert len(rows) >= 1
    assert rows.applies.all() if steel else not rows.applies.any()


def test_aluminium_scrap_and_powders_are_outside_section_232(history):
    for code in ("7602", "7603"):
        table = history.explain("2025-06-10", "US-CN", product=code)
        assert len(table) and not table[table.measure.str.startswith("us-s232")].applies.any()


@pytest.mark.parametrize(
    ("day", "rebuild"), [("2018-07-06", "rebuild_2018_07_06"), ("2025-03-12", "rebuild_2025_03_12")]
)
def test_model_matches_an_independent_rebuild(history, day, rebuild):
    # The rules of that day rebuilt line by line straight from the packaged CSV files with
    # pandas (functions above), weighted by 2024 values: not with tariffsim.
    uni = raw_table(DATA / "universe-US-CN.csv.gz")
    duty = globals()[rebuild](uni)
    expected = float((duty * uni["value_2024"]).sum() / uni["value_2024"].sum())
    assert effective(history, day) == pytest.approx(expected, abs=1e-9)
    lines = history.product_rates(day, "US-CN").set_index("product")["rate"]
    assert np.allclose(lines.reindex(uni["code"]).to_numpy(), duty.to_numpy(), atol=1e-12)


def test_explain_smartphones_on_1_may_2025(history):
    rows = history.explain("2025-05-01", "US-CN", product="8517.13")
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
    assert {"memo-2025-04-11", "t34"} <= set(recip.sources.split(", "))  # the memo's sources
    assert by.loc["us-ieepa-fentanyl", "sources"] and "universe-US-CN" in by.loc["mfn", "sources"]


def test_by_section_matches_the_rebuild_grouped_by_chapter(history):
    # Section XVI (chapters 84-85) and XV (72-83) on 6 Jul 2018, from the independent rebuild
    uni = raw_table(DATA / "universe-US-CN.csv.gz")
    duty = rebuild_2018_07_06(uni)
    table = history.by_section("2018-07-06")
    table = table[table.imposer == "US"].set_index("section")
    chapter = uni["code"].str[:2].astype(int)
    for section, (first, last) in {"XVI": (84, 85), "XV": (72, 83)}.items():
        mine = chapter.between(first, last)
        value = uni["value_2024"][mine]
        assert table.loc[section, "trade_share"] == pytest.approx(
            value.sum() / uni["value_2024"].sum(), abs=1e-12
        )
        assert table.loc[section, "effective_rate"] == pytest.approx(
            float((duty[mine] * value).sum() / value.sum()), abs=1e-12
        )


def test_weights_are_a_labelled_choice(history):
    # the 2017-weighted rate of 6 Jul 2018: the same per-line duties, weighted by value_2017
    uni = raw_table(DATA / "universe-US-CN.csv.gz")
    duty = rebuild_2018_07_06(uni)
    r17 = ts.simulate("history", weights="2017")
    assert r17.rates.attrs["weights"] == "2017" and history.rates.attrs["weights"] == "2024"
    assert effective(r17, "2018-07-06") == pytest.approx(
        float((duty * uni["value_2017"]).sum() / uni["value_2017"].sum()), abs=1e-9
    )


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
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "derive_data.py"),
            "--source",
            str(SHARED),
            "--out",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    packaged = ROOT / "tariffsim" / "data"
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert made
    for rel in made:
        assert (tmp_path / rel).read_bytes() == (packaged / rel).read_bytes(), rel


needs_raw = pytest.mark.skipif(
    not SHARED.is_dir(), reason="the raw data folder ../shared/data is absent"
)


@needs_raw
def test_annex_ii_as_last_amended_is_the_consolidated_2026_text():
    # The union of the packaged acts in force at the end equals, code for code, the list
    # printed in HTSUS 2026 Rev 6 note 2(v)(iii)(a), transcribed independently.
    import pandas as pd

    legal = pd.read_csv(
        SHARED / "us_measures/ieepa_annex_ii/ieepa_annex_ii_hts2026rev6_note_v_iii_a.csv", dtype=str
    )
    final = (
        load_list("us-annex-ii-eo14257")
        | load_list("us-electronics-2025-04")
        | load_list("us-annex-ii-eo14346")
        | load_list("us-annex-ii-eo14360")
    )
    assert final == set(legal["code"])


@needs_raw
def test_electronics_list_covers_the_same_trade_as_the_published_exclusion_list():
    import pandas as pd

    imports = pd.read_csv(
        SHARED / "us_imports/us_imports_from_china_2024_hs10.csv", dtype={"HS10": str}
    )
    published = pd.read_csv(
        SHARED / "us_measures/electronics_exclusion_2025-04-11_hts10.csv", dtype=str
    )["HTSUS"].str.replace(".", "", regex=False)
    # the published list, less the 8541 lines Annex II already held, is the packaged list
    on_published = imports["HS10"].str.startswith(tuple(published))
    on_packaged = imports["HS10"].str.startswith(tuple(load_list("us-electronics-2025-04")))
    on_8541 = imports["HS10"].str.startswith("8541")
    assert (on_published & ~on_8541).equals(on_packaged)  # the same 2024 import lines
    assert on_packaged.sum() > 50


@needs_raw
def test_section_232_derivative_lists_hold_their_source_rows():
    import pandas as pd

    rows = pd.read_csv(SHARED / "us_measures/s232_derivative_products.csv", dtype=str)
    expected = {
        "us-s232-aluminium-derivatives-2020": ("9903.85.04", None),
        "us-s232-aluminium-derivatives-ch76-2025-03": ("9903.85.07", None),
        "us-s232-aluminium-derivatives-2025-03": ("9903.85.08", None),
        "us-s232-aluminium-derivatives-2025-08": ("9903.85.08", "2025-08-18"),
        "us-s232-steel-derivatives-2025-08": ("9903.81.91", "2025-08-18"),
    }
    for name, (heading, when) in expected.items():
        mine = rows[
            (rows.ch99_code == heading)
            & (rows.effective_date.isna() if when is None else rows.effective_date == when)
        ]
        assert set(mine.hts_prefix) == load_list(name), name
    assert sum(len(load_list(n)) for n in expected) == len(rows)  # every row, once


@needs_raw
def test_section_301_lists_follow_a_source_on_every_line():
    # Each packaged line is on that list in the tracker's file or in the USITC 2020 map; a
    # line on another list than the tracker's first listing is one the audit table names.
    import pandas as pd

    tracker = pd.read_csv(SHARED / "us_measures/s301_product_lists_hts8.csv", dtype=str)
    usitc = pd.read_csv(SHARED / "us_measures/s301_list_map_2020_hts8.csv", dtype=str)
    audit = raw_table(ROOT / "tariffsim/data/audit/s301-list-disagreements.csv")
    audit["hts8"] = audit["hts8"].astype(str).str.zfill(8)
    first = (
        tracker[tracker.list.isin(["1", "2", "3", "3_addl", "4A", "4B"])]
        .drop_duplicates("hts8")
        .set_index("hts8")["list"]
        .replace("3_addl", "3")
    )
    split = raw_table(ROOT / "tariffsim/data/audit/s301-codes-without-usitc-list.csv")
    split = split[split["list"] != ""]
    for name in ("1", "2", "3", "4A", "4B"):
        packaged = load_list(f"us-s301-list{name.lower()}")
        sources = set(tracker.hts8[tracker.list.str.startswith(name)]) | set(
            usitc.hts8[usitc.list == f"List{name}"]
        )
        # codes created in 2022, on the list their predecessor has in the USITC map
        mine = split[split["list"] == name]
        assert set(mine.predecessor) <= set(usitc.hts8[usitc.list == f"List{name}"]), name
        assert packaged <= sources | set(mine.code), name
        moved = {c for c in packaged if first.get(c) != name} - set(mine.code)
        assert moved <= set(audit.hts8), name
    assert len(audit) == 395 and audit.imports_2024.sum() == pytest.approx(18.38e9, rel=1e-3)
    review_only = audit[audit.tracker_first == ""]  # filed only under 2024-review headings
    assert len(review_only) == 320
    assert review_only.imports_2024.sum() == pytest.approx(1.647e9, rel=1e-3)
    assert (review_only.tracker_review != "").all() and (review_only.tracker_lists == "").all()


# Codes the tracker's list file names only under 2024 four-year-review headings, with the
# list the USITC 2020 list map (shared/data/us_measures/s301_list_map_2020_hts8.csv) gives
# them and their review list, copied by hand: the review raised goods already on a list.
REVIEW_ONLY_BY_HAND = {
    "85423900": ("us-s301-list2", "us-s301-review-50pct-2025-01"),  # ICs, 9903.88.02
    "85413000": ("us-s301-list1", "us-s301-review-50pct-2025-01"),  # thyristors, 9903.88.01
    "38180000": ("us-s301-list3", "us-s301-review-50pct-2025-01"),  # doped wafers, 9903.88.03
    "87038000": ("us-s301-list1", "us-s301-review-100pct-2024-09"),  # electric cars, .01
    "72101200": ("us-s301-list4a", "us-s301-review-25pct-2024-09"),  # tinplate, 9903.88.15
}


# Codes created by the HS 2022 changes that the tracker names only under review headings and
# the USITC 2020 map lacks, with their predecessor's list and their review list, copied by
# hand: the pre-2022 codes from the USITC tariff database 2017 (8541.40.60 diodes other than
# LEDs, solar cells among them; 8541.40.80 optical coupled isolators; 4015.19.05 medical
# gloves) and their lists from the USITC China Tariffs table of 1 Jan 2020.
SPLIT_BY_HAND = {
    "85414300": ("us-s301-list2", "us-s301-review-50pct-2024-09"),  # solar modules
    "85414980": ("us-s301-list1", "us-s301-review-50pct-2025-01"),  # optocouplers
    "4015121010": ("us-s301-list4a", "us-s301-review-100pct-2026-01"),  # medical gloves
}
# and codes on no list before the review: in the 2017 HTS and not on the 2020 table, or
# (surgical gloves 4015.12.1020) from a predecessor on no list (4015.11.01)
NO_LIST_BY_HAND = ["76061230", "84261900", "90183100", "85051100", "4015121020"]


def test_codes_created_in_2022_take_their_predecessors_list():
    uni = load_universe("US", "CN")
    lists = {n: uni.prefix_mask(load_list(f"us-s301-list{n}")) for n in ("1", "2", "3", "4a", "4b")}
    for code, (listed, review) in SPLIT_BY_HAND.items():
        lines = np.char.startswith(uni.codes, code)
        assert lines.any(), code
        on = [n for n, mask in lists.items() if mask[lines].any()]
        assert on == [listed.removeprefix("us-s301-list")], (code, on)
        assert lists[on[0]][lines].all() and uni.prefix_mask(load_list(review))[lines].all()
    for code in NO_LIST_BY_HAND:
        lines = np.char.startswith(uni.codes, code)
        assert lines.any(), code
        assert not any(mask[lines].any() for mask in lists.values()), code


@pytest.mark.skipif(not SHARED.is_dir(), reason="the raw data folder ../shared/data is absent")
def test_codes_without_a_usitc_list_are_the_sources_and_their_predecessors_lists():
    # The audit table holds every code the tracker names only under review headings that the
    # USITC 2020 map lacks (61 HTS8 codes, 4015.12.10 as its two HTS10 lines); a list only
    # where the predecessor is on it in the USITC map; $2.17B of 2024 imports, $0.57B of it
    # on the lines that take a list.
    import pandas as pd

    tracker = pd.read_csv(SHARED / "us_measures/s301_product_lists_hts8.csv", dtype=str)
    usitc = pd.read_csv(SHARED / "us_measures/s301_list_map_2020_hts8.csv", dtype=str)
    usitc = usitc.set_index("hts8")["list"]
    original = tracker.list.isin(["1", "2", "3", "3_addl", "4A", "4B"])
    expected = set(tracker.hts8[~original]) - set(tracker.hts8[original]) - set(usitc.index)
    audit = raw_table(ROOT / "tariffsim/data/audit/s301-codes-without-usitc-list.csv")
    assert set(audit.code.str[:8]) == expected and len(expected) == 61
    listed = audit[audit["list"] != ""]
    assert len(listed) == 9
    for row in listed.itertuples():
        assert usitc[row.predecessor] == f"List{row.list}", row.code
    assert audit.imports_2024.sum() == pytest.approx(2.169e9, rel=1e-3)
    assert listed.imports_2024.sum() == pytest.approx(572.12e6, rel=1e-4)


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        # medical gloves: List 4A 15% from 1 Sep 2019, 7.5% from 14 Feb 2020, the review's
        # 100% from 1 Jan 2026
        (
            "4015121010",
            {"2019-08-31": 0.0, "2019-09-01": 0.15, "2024-06-30": 0.075, "2026-01-01": 1.00},
        ),
        # solar modules: List 2 from 23 Aug 2018, the review's 50% from 27 Sep 2024
        ("8541430080", {"2018-08-22": 0.0, "2018-08-23": 0.25, "2024-09-27": 0.50}),
        # surgical gloves: nothing until the review's 100%
        ("4015121020", {"2024-06-30": 0.0, "2026-01-01": 1.00}),
    ],
)
def test_codes_created_in_2022_pay_their_predecessors_list_rate(history, product, expected):
    for day, rate in expected.items():
        rows = history.explain(day, "US-CN", product=product)
        s301 = rows[rows.measure.str.startswith("us-s301-") & rows.applies]
        assert s301.rate.sum() == pytest.approx(rate), (product, day)
        assert len(s301) <= 1, (product, day)


def test_codes_filed_only_under_the_review_sit_on_their_usitc_lists():
    for code, (listed, review) in REVIEW_ONLY_BY_HAND.items():
        assert code in load_list(listed), (code, listed)
        assert code in load_list(review), (code, review)
        others = {f"us-s301-list{n}" for n in ("1", "2", "3", "4a", "4b")} - {listed}
        assert not any(code in load_list(name) for name in others), code


@pytest.mark.parametrize(
    ("product", "expected"),
    [
        # integrated circuits: List 2 25% until 1 Jan 2025, then the review's 50%
        (
            "8542390001",
            {"2024-06-30": 0.25, "2024-12-31": 0.25, "2025-06-30": 0.50, "2026-06-30": 0.50},
        ),
        # doped wafers: List 3 25%, then 50% from 1 Jan 2025
        ("3818000090", {"2024-06-30": 0.25, "2025-01-01": 0.50, "2026-06-30": 0.50}),
        # electric cars: List 1 25% until 26 Sep 2024, then the review's 100%
        (
            "8703800060",
            {"2024-09-26": 0.25, "2024-09-27": 1.00, "2025-06-30": 1.00, "2026-06-30": 1.00},
        ),
        # tinplate: List 4A 7.5%, then 25% from 27 Sep 2024 (Section 232 on top, not counted)
        ("7210120000", {"2024-06-30": 0.075, "2024-09-27": 0.25, "2026-06-30": 0.25}),
    ],
)
def test_review_lines_pay_their_list_rate_then_the_review_rate_never_both(
    history, product, expected
):
    for day, rate in expected.items():
        rows = history.explain(day, "US-CN", product=product)
        s301 = rows[rows.measure.str.startswith("us-s301-") & rows.applies]
        assert len(s301) == 1, (product, day, list(s301.measure))
        assert s301.rate.sum() == pytest.approx(rate), (product, day)


@needs_raw
def test_every_usitc_list_code_the_tracker_names_is_on_that_list():
    # Whatever heading the tracker gives a code (a list or only a 2024-review heading), the
    # USITC 2020 map's List 1, 2, 3 or 4A decides the packaged list.
    import pandas as pd

    tracker = pd.read_csv(SHARED / "us_measures/s301_product_lists_hts8.csv", dtype=str)
    usitc = pd.read_csv(SHARED / "us_measures/s301_list_map_2020_hts8.csv", dtype=str)
    usitc = usitc[usitc.hts8.isin(set(tracker.hts8))]
    for name in ("1", "2", "3", "4A"):
        assert set(usitc.hts8[usitc.list == f"List{name}"]) <= load_list(
            f"us-s301-list{name.lower()}"
        ), name
    assert set(REVIEW_ONLY_BY_HAND) <= set(usitc.hts8)


def test_four_year_review_lists_cover_the_published_trade():
    # shared/reference/timeline.md: the 2024-review increases touch $22.1B (5.1%) of 2024
    # imports; the 1 Jan 2026 lines (mainly 8507.60) $18.7B (4.4%)
    uni = load_universe("US", "CN")
    names = [n for n in list_names() if n.startswith("us-s301-review-")]
    every = uni.prefix_mask(set().union(*(load_list(n) for n in names)))
    jan_2026 = uni.prefix_mask(set().union(*(load_list(n) for n in names if n.endswith("2026-01"))))
    assert uni.values[every].sum() / 1e9 == pytest.approx(22.1, abs=0.15)
    assert uni.values[jan_2026].sum() / 1e9 == pytest.approx(18.7, abs=0.1)
    assert len(names) == 8


@pytest.mark.parametrize(
    ("day", "measure", "rule"),
    [
        ("2025-04-05", "us-ieepa-reciprocal", "reciprocal-not-on-electronics"),  # retroactive
        ("2026-03-01", "us-s122-surcharge", "s122-not-on-exempt-goods"),  # Annex II stand-in
        ("2026-08-01", "us-s301-forced-labor", "forced-labor-not-on-s232-or-annex-ii"),
    ],
)
def test_smartphones_are_spared_by_each_exemption_that_names_them(history, day, measure, rule):
    rows = history.explain(day, "US-CN", product="8517130000").set_index("measure")
    assert not rows.loc[measure, "applies"] and rule in rows.loc[measure, "rule"]
