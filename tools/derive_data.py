"""Derive tariffsim's packaged data tables from the raw files in ../shared/data.

Run from the repository root:  python tools/derive_data.py [--source ../shared/data]
Writes tariffsim/data/*.csv.gz and tariffsim/data/lists/*.csv and prints a summary of what
each table holds. The program itself never reads ../shared at run time.
"""

from __future__ import annotations

import argparse
import gzip
import io
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parent.parent / "tariffsim" / "data"

# Section 301 rates in force during 2024 on each list (used only to back out the MFN part
# of duty collected on lines with specific or compound MFN duties).
S301_RATE_2024 = {"1": 0.25, "2": 0.25, "3": 0.25, "4A": 0.075}


def write_csv(frame: pd.DataFrame, path: Path, header: str) -> None:
    """Deterministic CSV (gzip with a fixed mtime so reruns give identical bytes)."""
    text = "".join(f"# {line}\n" for line in header.strip().splitlines())
    text += frame.to_csv(index=False, lineterminator="\n", float_format="%.10g")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, filename="") as gz:
            gz.write(text.encode())
        path.write_bytes(buf.getvalue())
    else:
        path.write_text(text, encoding="utf-8")
    print(f"wrote {path.relative_to(OUT.parent.parent)}: {len(frame):,} rows")


def us_universe(src: Path) -> pd.DataFrame:
    """US imports from China, 2024, per HTS10, with an MFN ad-valorem (equivalent) rate."""
    imp = pd.read_csv(src / "us_imports/us_imports_from_china_2024_hs10.csv",
                      dtype={"HS10": str, "HS8": str, "HS6": str})
    imp = imp[imp["imports"] > 0].copy()
    mfn = pd.read_csv(src / "us_measures/mfn_rates_2025_hts8.csv", dtype={"hs8": str})
    s301 = pd.read_csv(src / "us_measures/s301_product_lists_hts8.csv", dtype={"hts8": str,
                                                                              "list": str})
    s301 = s301[s301["list"].isin(list(S301_RATE_2024))].drop_duplicates("hts8")
    frame = imp.merge(mfn, left_on="HS8", right_on="hs8", how="left").merge(
        s301[["hts8", "list"]], left_on="HS8", right_on="hts8", how="left")
    collected = frame["duty"] / frame["imports"]
    s301_part = frame["list"].map(S301_RATE_2024).fillna(0.0)
    ave = (collected - s301_part).clip(lower=0.0)
    simple = frame["rate_type"].isin(["free", "ad_valorem"])
    frame["mfn"] = frame["mfn_rate"].where(simple, ave).round(6)
    frame["mfn_basis"] = frame["rate_type"].where(simple, "ave_from_2024_duty")
    frame.loc[frame["rate_type"].isna(), "mfn_basis"] = "ave_from_2024_duty_unmatched_hts8"
    counts = frame.groupby("mfn_basis")["imports"].agg(["size", "sum"])
    print("US MFN basis (lines, 2024 value):\n" + counts.to_string())
    monthly = pd.read_csv(src / "us_imports/us_imports_from_china_hs2_monthly_2013-01_2021-06.csv",
                          dtype={"hs2": str})
    y2017 = monthly[monthly["month"].str.startswith("2017")].groupby("hs2")["imports_usd"].sum()
    frame["hs2"] = frame["HS10"].str[:2]
    chapter_2024 = frame.groupby("hs2")["imports"].transform("sum")
    frame["value_2017"] = (frame["imports"] / chapter_2024 * frame["hs2"].map(y2017)).fillna(0.0)
    out = pd.DataFrame({"code": frame["HS10"], "description": frame["I_COMMODITY_SDESC"],
                        "value_2024": frame["imports"], "value_2017": frame["value_2017"].round(0),
                        "mfn": frame["mfn"], "mfn_basis": frame["mfn_basis"]})
    return out.sort_values("code").reset_index(drop=True)


def cn_universe(src: Path) -> pd.DataFrame:
    """China's HS6 lines with its MFN rate; HS2 chapter export weights spread evenly."""
    rates = pd.read_csv(src / "china_measures/china_tariffs_on_us_hs6_2018-2019.csv",
                        dtype={"hs6": str})
    mfn = rates[rates["time_of_tariff"] == "2018-01-01"][["hs6", "tariff"]].copy()
    mfn["hs2"] = mfn["hs6"].str[:2]
    exports = pd.read_csv(src / "us_exports/us_exports_to_china_hs2_annual_2013_2026.csv",
                          dtype={"hs2": str})
    exports = exports[exports["hs2"] != "00"]
    lines = mfn.groupby("hs2")["hs6"].transform("size")
    missing_rate = mfn["tariff"].isna()
    print(f"CN→US: {missing_rate.sum()} HS6 lines without a 2018-01-01 rate get their "
          f"chapter's mean rate: {sorted(mfn.loc[missing_rate, 'hs6'])}")
    chapter_mean = mfn.groupby("hs2")["tariff"].transform("mean")
    rate = mfn["tariff"].fillna(chapter_mean).fillna(mfn["tariff"].mean())
    out = pd.DataFrame({"code": mfn["hs6"], "hs2": mfn["hs2"], "mfn": (rate / 100).round(6)})
    for year in (2017, 2024):
        chapter = exports[exports["year"] == year].set_index("hs2")["exports_usd"]
        out[f"value_{year}"] = (out["hs2"].map(chapter).fillna(0.0) / lines).round(2)
        missing = chapter[~chapter.index.isin(out["hs2"])]
        print(f"CN→US {year}: chapters without HS6 rates: {dict(missing.round(-6))} "
              f"({missing.sum() / chapter.sum():.2%} of exports, left out)")
    names = exports.drop_duplicates("hs2").set_index("hs2")["description"]
    out["description"] = out["hs2"].map(names).fillna("")
    out = out[["code", "description", "value_2024", "value_2017", "mfn"]]
    return out.sort_values("code").reset_index(drop=True)


def us_lists(src: Path) -> dict[str, tuple[pd.Series, str]]:
    m = src / "us_measures"
    s301 = pd.read_csv(m / "s301_product_lists_hts8.csv", dtype=str)
    yale = "Budget-Lab-Yale/tariff-rate-tracker resources/s301_product_lists.csv (MIT)"
    lists = {f"us-s301-list{name.lower()}": (
        s301.loc[s301["list"] == name, "hts8"],
        f"HTS8 lines of Section 301 List {name} on current codes. Source: {yale}.")
        for name in ("1", "2", "3", "4A")}
    copper = pd.read_csv(m / "s232_copper_products.csv", dtype=str)["hts10"]
    parts = pd.read_csv(m / "s232_auto_parts_hts10.txt", dtype=str, header=None)[0]
    lists["us-s232-copper"] = (copper, "HTS prefixes of the Section 232 copper action (1 Aug "
                                       "2025). Source: Budget-Lab-Yale/tariff-rate-tracker (MIT).")
    lists["us-s232-auto-parts"] = (parts, "HTS10 auto parts under Section 232 (3 May 2025). "
                                          "Source: Budget-Lab-Yale/tariff-rate-tracker (MIT).")
    elec = pd.read_csv(m / "electronics_exclusion_2025-04-11_hts10.csv", dtype=str)["HTSUS"]
    annex = pd.read_csv(m / "ieepa_annex_ii_exempt_hts10.csv", dtype=str)["hts10"]
    return {
        **lists,
        "us-electronics-2025-04": (elec, "HTS10 lines excluded from the IEEPA reciprocal tariff "
                                         "on 11 Apr 2025 (retroactive to 5 Apr). Source: "
                                         "tradewartracker/trade-war-redux-2025 (MIT)."),
        "us-ieepa-annex-ii": (annex, "HTS10 lines of EO 14257 Annex II, exempt from the IEEPA "
                                     "reciprocal tariff. Source: Budget-Lab-Yale/"
                                     "tariff-rate-tracker (MIT)."),
    }


def cn_lists(src: Path) -> dict[str, tuple[pd.Series, str]]:
    c = src / "china_measures"
    out = {}
    for pct in ("10", "15"):
        frame = pd.read_csv(c / f"china_2025-03-10_{pct}pct_us_exports_2024_hs6.csv",
                            dtype={"hs-code": str})
        out[f"cn-farm-2025-03-{pct}pct"] = (
            frame["hs-code"].str.zfill(6),
            f"HS6 lines of China's 10 Mar 2025 {pct}% list (CTC Announcement No. 2), matched to "
            "US exports. Source: tradewartracker/trade-war-redux-2025 (MIT).")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path,
                        default=Path(__file__).resolve().parent.parent.parent / "shared" / "data")
    src = parser.parse_args().source
    write_csv(us_universe(src), OUT / "universe-US-CN.csv.gz",
              "US imports for consumption from China, 2024 (Census), per HTS10; value_2017 spreads "
              "2017 chapter totals by 2024 within-chapter shares; mfn is the 2025 general rate, or "
              "for specific/compound duties the 2024 duty collected less Section 301 (see NOTICE).")
    write_csv(cn_universe(src), OUT / "universe-CN-US.csv.gz",
              "China's HS6 lines with its 2018-01-01 MFN rate; value_YEAR is the US export value "
              "of the HS2 chapter that year spread evenly over the chapter's HS6 lines.")
    for name, (codes, header) in {**us_lists(src), **cn_lists(src)}.items():
        frame = pd.DataFrame({"code": sorted(set(codes.str.replace(".", "", regex=False)))})
        write_csv(frame, OUT / "lists" / f"{name}.csv", header)


if __name__ == "__main__":
    main()
