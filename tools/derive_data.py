"""Derive tariffsim's packaged data tables from the raw files in ../shared/data.

Run from the repository root:  python tools/derive_data.py [--source ../shared/data]
Writes tariffsim/data/*.csv.gz and tariffsim/data/lists/*.csv and prints a summary of what
each table holds. The program itself never reads ../shared at run time.
"""

from __future__ import annotations

import argparse
import gzip
import io
import shutil
from pathlib import Path

import pandas as pd

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "tariffsim" / "data"
OUT = PACKAGE_DATA

# Section 301 rates in force during 2024 on each list (used only to back out the MFN part
# of duty collected on lines with specific or compound MFN duties).
S301_RATE_2024 = {"1": 0.25, "2": 0.25, "3": 0.25, "3_addl": 0.25, "4A": 0.075}
LIST_LABELS = {"1": ["1"], "2": ["2"], "3": ["3", "3_addl"], "4A": ["4A"], "4B": ["4B"]}
# 2024 four-year review headings, grouped by rate and effective date (timeline row 19;
# rates from the tracker's policy_params.yaml)
REVIEW_GROUPS = {
    "us-s301-review-25pct-2024-09": ["9903.91.01", "9903.92.10"],
    "us-s301-review-50pct-2024-09": ["9903.91.02"],
    "us-s301-review-100pct-2024-09": ["9903.91.03"],
    "us-s301-review-50pct-2025-01": ["9903.91.05"],
    "us-s301-review-25pct-2025-01": ["9903.91.11"],
    "us-s301-review-25pct-2026-01": ["9903.91.06"],
    "us-s301-review-50pct-2026-01": ["9903.91.07"],
    "us-s301-review-100pct-2026-01": ["9903.91.08"],
}
# Prefixes of the Section 232 files (auto parts; the 2026 metals annex) that would cover
# whole product groups no source names as Section 232 goods, where the legal annexes list
# only some of their lines (which HTS10 import data cannot separate): all computers
# (8471, 8.3% of 2024 imports from China) and all lithium-ion batteries (850760, 3.7%).
S232_TOO_BROAD = ["8471", "850760"]
# Section 301 codes the tracker files only under 2024-review headings and the USITC list map
# of 1 Jan 2020 does not hold at all (61 codes, written with their decision to
# audit/s301-codes-without-usitc-list.csv). The 2017 HTS (USITC tariff database 2017, in
# mwaugh0328/tradewar-tracker data/tariff_database_2017.xlsx) already had 48 of them under the
# same number and scope, so missing from the USITC table of 2020 means on no list: they keep
# none (graphite, ores, tungsten, cranes 8426.19, syringes 9018.31, magnets 8505.11, aluminium
# sheet not clad 7606.12.30, flat wire 7217.10, rails 7302.10.10...). The other 13 were
# created by the HS 2022 changes. Nine take their predecessor's list, which the USITC table
# gives; the predecessors are read from the 2017 HTS descriptions (8541.40.20 LEDs, .60
# diodes other than LEDs, .70 photosensitive transistors, .80 optical coupled isolators, .95
# other photosensitive devices; 8541.50.00 other semiconductor devices; 4015.11.01 surgical,
# 4015.19.05 medical gloves) and, for solar cells, from CBP ruling NY N323503 (Jan 2022:
# solar cells of China in 8541.40.6025 pay 25% under 9903.88.02). 2844.41-.44 came from
# 2844.40.00, on no list, and keep none.
S301_SPLIT_CODES = {
    # code created in 2022: (its predecessor on the USITC 1 Jan 2020 table, that list)
    "85414200": ("85414060", "2"),  # photovoltaic cells, not assembled (solar cells)
    "85414300": ("85414060", "2"),  # photovoltaic cells in modules or panels (solar cells)
    "85414910": ("85414060", "2"),  # photosensitive diodes and their chips
    "85414970": ("85414070", "1"),  # photosensitive transistors
    "85414980": ("85414080", "1"),  # optical coupled isolators
    "85414995": ("85414095", "1"),  # other photosensitive semiconductor devices
    "85415100": ("85415000", "1"),  # semiconductor-based transducers
    "85415900": ("85415000", "1"),  # other semiconductor devices
    # medical gloves only: surgical gloves 4015.12.1020 came from 4015.11.01, on no list
    "4015121010": ("40151905", "4A"),
}
S301_NO_LIST_COUNT = 52  # of the 61: the 48 codes of the 2017 HTS and 2844.41-.44
# Section 232 derivative lists by Chapter 99 heading and inclusion date: each heading is
# one legal basis (full value or metal content, date in force), so each gets its own list.
S232_DERIVATIVES = {
    ("9903.85.04", ""): (
        "us-s232-aluminium-derivatives-2020",
        "aluminium derivatives of Proclamation 9980 (8 Feb 2020): stranded "
        "wire and bumper or body stampings",
    ),
    ("9903.85.07", ""): (
        "us-s232-aluminium-derivatives-ch76-2025-03",
        "aluminium derivatives of chapter 76 added by Proclamation 10895 (12 Mar 2025)",
    ),
    ("9903.85.08", ""): (
        "us-s232-aluminium-derivatives-2025-03",
        "aluminium derivatives outside chapter 76 added by Proclamation 10895 (12 Mar 2025)",
    ),
    ("9903.85.08", "2025-08-18"): (
        "us-s232-aluminium-derivatives-2025-08",
        "aluminium derivatives added by the inclusions process from 18 Aug 2025",
    ),
    ("9903.81.91", "2025-08-18"): (
        "us-s232-steel-derivatives-2025-08",
        "steel derivatives outside chapter 73 added by the inclusions process from 18 Aug 2025",
    ),
}
# China's 2018-2019 retaliation: the days its HS6 file steps up, and the standard increments
# of each round (odd increments, from MFN cuts on the same lines, go to the nearest standard)
CN_ROUNDS = {
    "2018-04-02": [15, 25],
    "2018-07-06": [25],
    "2018-08-23": [25],
    "2018-09-24": [5, 10],
    "2019-06-01": [5, 10, 15],
    "2019-09-01": [5, 10],
}
# China's tariff-rate-quota goods: its HS6 file gives the OUT-of-quota rate (wheat and maize
# 65%, cotton 40%, sugar 50%, wool 38%, urea/NPK/DAP 50%), while US goods of these kinds enter
# largely within the quota. The HS6 lines whose every Chinese tariff line is a TRQ line, and
# whose in-quota rate was checked in a public source, take the in-quota rate (fractions):
#   wheat, maize, rice 1%: China's tariff schedule splits these lines into in-quota (.01)
#     and out-of-quota (.90) lines at 1% and 65% (htshub.com/cn-hs 10011900.01 and .90,
#     china-gacc.agency 1005100001 seed maize 1%, chinesetariff.com list 10061 rice in the
#     husk 1%); FAO GIEWS, "China (mainland) sets 2021 low tariff import quotas" (1% within
#     the wheat, maize and rice quotas, 65% outside); USTR figures via Reuters, 21 Nov 2001.
#   maize groats 9%: china-gacc.agency 1103130001 (in-quota 9%, .90 line 65%).
#   sugar 15%: htshub.com/cn-hs 17011400.01 and 17019920.01 (15%, .90 lines 50%);
#     China Daily, 15 Oct 2014 (1.945 Mt quota at 15%, 50% outside).
#   urea, NPK and DAP 1%: htshub.com/cn-hs 31021000.10 gives the in-quota MFN 4% and a
#     provisional (applied) rate of 1%; MOFCOM announcement No. 45 of 2019 on the 2020
#     fertiliser quota (1% within the quota, reported by agrochemex.org); the out-of-quota
#     rate is 50% (china-gacc.agency 3105200090). The applied 1%, not the 4% MFN in-quota
#     rate, because the universe carries applied rates.
#   wool 1%, wool tops 3%: china-gacc.agency 5101110001 ... 5101300001 (in-quota 1%, .90
#     lines 38%); htshub.com/cn-hs 51052900.90 (wool tops and other combed wool,
#     out-of-quota 38%) and MercoPress, Nov 2004 (greasy wool 1%, tops 3% within the quota,
#     38% outside).
#   cotton 1%: htshub.com/cn-hs and chinesetariff.com 5201000001 (1%; .90 line 40%), 5203
#     likewise split (htshub.com/cn-hs 5203000090, 40%); USDA FAS, "China Announces
#     Additional Cotton Import Quotas", June 2018 (894,000 t TRQ at 1%).
# Left at the data's rate, and named in NOTICE.md: TRQ lines whose in-quota rate was not
# found, or whose quota status was read only from the file's 38% (wheat flour 1101, maize
# flour 1102.20, wheat groats 1103.11, worked maize 1104.23, carded wool 5105.10, combed
# wool in fragments 5105.21, wool noils 5103.10) and HS6 lines that mix TRQ and other goods
# (1102.90 rice and other flours, 1103.20 pellets, 1104.29 other worked grains).
CN_TRQ_IN_QUOTA = {
    "100111": 0.01,  # durum wheat, seed
    "100119": 0.01,  # durum wheat, other
    "100191": 0.01,  # other wheat and meslin, seed
    "100199": 0.01,  # other wheat and meslin
    "100510": 0.01,  # maize, seed (out-of-quota 20%)
    "100590": 0.01,  # maize, other
    "100610": 0.01,  # rice in the husk
    "100620": 0.01,  # husked (brown) rice
    "100630": 0.01,  # milled rice
    "100640": 0.01,  # broken rice
    "110313": 0.09,  # maize groats and meal
    "170112": 0.15,  # raw beet sugar
    "170113": 0.15,  # raw cane sugar, subheading note 2
    "170114": 0.15,  # other raw cane sugar
    "170191": 0.15,  # sugar with added flavouring or colouring
    "170199": 0.15,  # other refined sugar
    "310210": 0.01,  # urea
    "310520": 0.01,  # fertilisers with nitrogen, phosphorus and potassium (NPK)
    "310530": 0.01,  # diammonium phosphate (DAP)
    "510111": 0.01,  # greasy shorn wool
    "510119": 0.01,  # other greasy wool
    "510121": 0.01,  # degreased shorn wool
    "510129": 0.01,  # other degreased wool
    "510130": 0.01,  # carbonised wool
    "510529": 0.03,  # wool tops and other combed wool
    "520100": 0.01,  # cotton, not carded or combed
    "520300": 0.01,  # cotton, carded or combed
}


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
    print(f"wrote {path}: {len(frame):,} rows")


def us_universe(src: Path) -> pd.DataFrame:
    """US imports from China, 2024, per HTS10, with an MFN ad-valorem (equivalent) rate."""
    imp = pd.read_csv(
        src / "us_imports/us_imports_from_china_2024_hs10.csv",
        dtype={"HS10": str, "HS8": str, "HS6": str},
    )
    imp = imp[imp["imports"] > 0].copy()
    mfn = pd.read_csv(src / "us_measures/mfn_rates_2025_hts8.csv", dtype={"hs8": str})
    s301 = s301_lists(src)
    frame = imp.merge(mfn, left_on="HS8", right_on="hs8", how="left").merge(
        s301, left_on="HS8", right_on="hts8", how="left"
    )
    collected = frame["duty"] / frame["imports"]
    s301_part = frame["list"].map(S301_RATE_2024).fillna(0.0)
    ave = (collected - s301_part).clip(lower=0.0)
    simple = frame["rate_type"].isin(["free", "ad_valorem"])
    frame["mfn"] = frame["mfn_rate"].where(simple, ave).round(6)
    frame["mfn_basis"] = frame["rate_type"].where(simple, "ave_from_2024_duty")
    frame.loc[frame["rate_type"].isna(), "mfn_basis"] = "ave_from_2024_duty_unmatched_hts8"
    counts = frame.groupby("mfn_basis")["imports"].agg(["size", "sum"])
    print("US MFN basis (lines, 2024 value):\n" + counts.to_string())
    monthly = pd.read_csv(
        src / "us_imports/us_imports_from_china_hs2_monthly_2013-01_2021-06.csv", dtype={"hs2": str}
    )
    y2017 = monthly[monthly["month"].str.startswith("2017")].groupby("hs2")["imports_usd"].sum()
    frame["hs2"] = frame["HS10"].str[:2]
    chapter_2024 = frame.groupby("hs2")["imports"].transform("sum")
    frame["value_2017"] = (frame["imports"] / chapter_2024 * frame["hs2"].map(y2017)).fillna(0.0)
    out = pd.DataFrame(
        {
            "code": frame["HS10"],
            "description": frame["I_COMMODITY_SDESC"],
            "value_2024": frame["imports"],
            "value_2017": frame["value_2017"].round(0),
            "mfn": frame["mfn"],
            "mfn_basis": frame["mfn_basis"],
        }
    )
    return out.sort_values("code").reset_index(drop=True)


def cn_rounds(src: Path) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """China's applied rates per HS6 and date (wide), and each round's increments as lists."""
    rates = pd.read_csv(
        src / "china_measures/china_tariffs_on_us_hs6_2018-2019.csv", dtype={"hs6": str}
    )
    wide = rates.pivot(index="hs6", columns="time_of_tariff", values="tariff")
    dates = list(wide.columns)
    increments: dict[str, pd.Series] = {}
    for day, standard in CN_ROUNDS.items():
        prev = dates[dates.index(day) - 1]
        delta = (wide[day] - wide[prev]).dropna()
        delta = delta[delta > 0]
        snapped = delta.apply(lambda x, std=standard: min(std, key=lambda s: abs(s - x)))
        odd = (snapped != delta).sum()
        print(
            f"CN round {day}: {len(delta)} lines, increments {sorted(set(snapped))}; "
            f"{odd} odd increments snapped to the nearest standard rate"
        )
        increments[day] = snapped
    return wide, increments


def cn_universe(src: Path) -> pd.DataFrame:
    """China's HS6 lines with its end-2019 MFN rate and 2024 US export weights.

    Weights: US exports per HS2 chapter; within a chapter, HS6 lines with a known 2024 export
    value (China's March 2025 lists) get it, and the rest of the chapter is spread evenly.
    """
    wide, increments = cn_rounds(src)
    retaliation = pd.concat(increments.values(), axis=1).fillna(0).sum(axis=1)
    autos = cn_auto_suspension(wide)
    end = wide["2019-12-26"].copy()
    end.loc[autos.index] += autos  # the auto suspension is a rule, not an MFN cut
    mfn_2019 = (end - retaliation.reindex(end.index).fillna(0)).clip(lower=0)
    mfn = pd.DataFrame(
        {
            "hs6": wide.index,
            "tariff": mfn_2019.to_numpy(),
            "mfn_2018": wide["2018-01-01"].to_numpy(),
        }
    )
    mfn["hs2"] = mfn["hs6"].str[:2]
    exports = pd.read_csv(
        src / "us_exports/us_exports_to_china_hs2_annual_2013_2026.csv", dtype={"hs2": str}
    )
    exports = exports[exports["hs2"] != "00"]
    missing_rate = mfn["tariff"].isna()
    print(
        f"CN→US: {missing_rate.sum()} HS6 lines without a rate get their chapter's mean: "
        f"{sorted(mfn.loc[missing_rate, 'hs6'])}"
    )
    chapter_mean = mfn.groupby("hs2")["tariff"].transform("mean")
    rate = mfn["tariff"].fillna(chapter_mean).fillna(mfn["tariff"].mean())
    mfn_2018 = mfn["mfn_2018"].fillna(rate)
    trq = mfn["hs6"].map(CN_TRQ_IN_QUOTA) * 100
    missing_trq = sorted(set(CN_TRQ_IN_QUOTA) - set(mfn["hs6"]))
    if missing_trq:
        raise SystemExit(f"TRQ lines not in China's HS6 file: {missing_trq}")
    on_trq = trq.notna()
    print(
        f"CN→US: {on_trq.sum()} tariff-rate-quota HS6 lines take their in-quota rate "
        "(end-2019 rate → in-quota): "
        + ", ".join(
            f"{code} {old:g}→{new:g}%"
            for code, old, new in zip(mfn["hs6"][on_trq], rate[on_trq], trq[on_trq], strict=True)
        )
    )
    # one in-quota rate for 2018 and 2019 alike: China's file has no MFN cut on these lines
    if not (rate[on_trq] == mfn_2018[on_trq]).all():
        raise SystemExit("a TRQ line's rate moved between 2018 and 2019: review its in-quota rate")
    rate = trq.fillna(rate)
    mfn_2018 = trq.fillna(mfn_2018)
    out = pd.DataFrame(
        {
            "code": mfn["hs6"],
            "hs2": mfn["hs2"],
            "mfn": (rate / 100).round(6),
            "mfn_2018": (mfn_2018 / 100).round(6),
        }
    )
    known = known_hs6_exports(src)
    out["known_2024"] = out["code"].map(known)
    chapter_2024 = exports[exports["year"] == 2024].set_index("hs2")["exports_usd"]
    known_in_chapter = out["hs2"].map(out.groupby("hs2")["known_2024"].sum())
    unknown_lines = out["hs2"].map(out["known_2024"].isna().groupby(out["hs2"]).sum())
    rest = (out["hs2"].map(chapter_2024).fillna(0) - known_in_chapter).clip(lower=0)
    out["value_2024"] = out["known_2024"].fillna(rest / unknown_lines.replace(0, 1)).round(2)
    share_in_chapter = out["value_2024"] / out.groupby("hs2")["value_2024"].transform("sum")
    chapter_2017 = exports[exports["year"] == 2017].set_index("hs2")["exports_usd"]
    out["value_2017"] = (share_in_chapter.fillna(0) * out["hs2"].map(chapter_2017).fillna(0)).round(
        2
    )
    for year, chapter in ((2017, chapter_2017), (2024, chapter_2024)):
        missing = chapter[~chapter.index.isin(out["hs2"])]
        print(
            f"CN→US {year}: chapters without HS6 rates: {dict(missing.round(-6))} "
            f"({missing.sum() / chapter.sum():.2%} of exports, left out)"
        )
    print(
        f"CN→US: {out['known_2024'].notna().sum()} HS6 lines carry their own 2024 export "
        f"value (${out['known_2024'].sum() / 1e9:.2f}B); the rest of each chapter is spread "
        "evenly over its other lines"
    )
    drift = ((out["mfn_2018"] - out["mfn"]) * out["value_2024"]).sum() / out["value_2024"].sum()
    print(
        f"CN→US: MFN fixed at its end-2019 level; the 2018-2019 MFN cuts lower the "
        f"2024-weighted MFN by {100 * drift:.2f} points versus 1 Jan 2018"
    )
    names = exports.drop_duplicates("hs2").set_index("hs2")["description"]
    out["description"] = out["hs2"].map(names).fillna("")
    out = out[["code", "description", "value_2024", "value_2017", "mfn", "mfn_2018"]]
    return out.sort_values("code").reset_index(drop=True)


def cn_auto_suspension(wide: pd.DataFrame) -> pd.Series:
    """Lines whose retaliation China suspended on 1 Jan 2019 (US autos and parts): the
    -25 and -5 point steps of its file on 2019-01-02. Returns the suspended points."""
    step = wide["2019-01-02"] - wide["2018-11-01"]
    return -step[step.isin([-25.0, -5.0])]


def known_hs6_exports(src: Path) -> pd.Series:
    """2024 US exports to China for the HS6 lines the data gives (China's March 2025 lists)."""
    frames = [
        pd.read_csv(
            src / f"china_measures/china_2025-03-10_{pct}pct_us_exports_2024_hs6.csv",
            dtype={"hs-code": str},
        )
        for pct in ("10", "15")
    ]
    known = pd.concat(frames)
    known["hs6"] = known["hs-code"].str.zfill(6)
    return known.groupby("hs6")["exports"].sum()


def s301_disagreements(src: Path) -> pd.DataFrame:
    """HTS8 codes on which the USITC 2020 list map decides the list, with their 2024 import
    value: codes the tracker names (under any heading) that the USITC map puts on another
    list than the tracker's first listing, including codes the tracker names only under
    2024 four-year-review headings (its `tracker_first` is then empty)."""
    m = src / "us_measures"
    tracker = pd.read_csv(m / "s301_product_lists_hts8.csv", dtype=str)
    original = tracker["list"].isin([x for labels in LIST_LABELS.values() for x in labels])
    lists = tracker[original]
    listed = lists.groupby("hts8")["list"].agg("+".join)
    review = tracker[~original].groupby("hts8")["list"].agg("+".join)
    first = lists.drop_duplicates("hts8").set_index("hts8")["list"].replace("3_addl", "3")
    usitc = pd.read_csv(m / "s301_list_map_2020_hts8.csv", dtype=str)
    usitc = usitc.drop_duplicates("hts8").set_index("hts8")["list"].str.removeprefix("List")
    named = pd.Index(sorted(set(tracker["hts8"])), name="hts8")
    both = pd.DataFrame(
        {
            "tracker_lists": listed.reindex(named),
            "tracker_review": review.reindex(named),
            "tracker_first": first.reindex(named),
            "usitc_2020": usitc.reindex(named),
        }
    )
    both = both[both["usitc_2020"].notna() & (both["tracker_first"] != both["usitc_2020"])]
    out = both.fillna("")
    imp = pd.read_csv(src / "us_imports/us_imports_from_china_2024_hs10.csv", dtype={"HS8": str})
    out["imports_2024"] = imp.groupby("HS8")["imports"].sum().reindex(out.index).fillna(0)
    return out.reset_index().sort_values(["imports_2024", "hts8"], ascending=[False, True])


def s301_lists(src: Path) -> pd.DataFrame:
    """The Section 301 list (1, 2, 3, 3_addl, 4A, 4B) of each HTS8 code: `hts8, list`.

    The tracker maps the lists to current codes, and a code may sit on several lists after
    the code changes since 2018: it goes to its first listing. Wherever the USITC's 2020 list
    map names a code the tracker also names, under any heading, the code goes on the USITC's
    list: it is the ITC's own table on codes that have not changed since, and it matches the
    law where the two were checked (lithium-ion batteries 8507.60 on List 4A, which the 2024
    review raised *from* 7.5%; processors 8542.31 on List 2, the semiconductor list). That
    includes the codes the tracker names only under 2024 four-year-review headings
    (semiconductors 8541-8542, wafers 3818, electric vehicles 8703, steel and aluminium
    products): they were on Lists 1-4A before the review, whose rates replace the list's
    from their own dates (the stacking rules `s301-review-replaces-*`). USITC codes the
    tracker does not name at all are pre-2022 codes no longer in the schedule. Review-only
    codes the USITC map lacks take their predecessor's list where the HS 2022 changes
    created them from a listed code (S301_SPLIT_CODES; one entry is an HTS10 line), and no
    list otherwise. See NOTICE.md.
    """
    m = src / "us_measures"
    tracker = pd.read_csv(m / "s301_product_lists_hts8.csv", dtype=str)
    tracker = tracker[tracker["list"].isin([x for labels in LIST_LABELS.values() for x in labels])]
    first = tracker.drop_duplicates("hts8", keep="first").set_index("hts8")["list"]
    fixes = s301_disagreements(src).set_index("hts8")["usitc_2020"]
    first = pd.concat([first.drop(fixes.index, errors="ignore"), fixes])
    split = s301_codes_without_usitc_list(src)
    split = split[split["list"] != ""].set_index("code")["list"]
    if first.index.intersection(split.index.str[:8]).size:
        raise SystemExit("a code created in 2022 is already on a list")
    first = pd.concat([first, split]).sort_index()
    first.index.name = "hts8"
    return first.rename("list").reset_index()


def s301_codes_without_usitc_list(src: Path) -> pd.DataFrame:
    """The codes the tracker names only under 2024-review headings that the USITC 2020 list
    map does not hold at all, with 2024 imports and duty collected, and the decision of
    S301_SPLIT_CODES: `code` (HTS8; or HTS10 where the lines of one code came from different
    predecessors), `list` (empty: on no list before the review), `predecessor`."""
    m = src / "us_measures"
    tracker = pd.read_csv(m / "s301_product_lists_hts8.csv", dtype=str)
    original = tracker["list"].isin([x for labels in LIST_LABELS.values() for x in labels])
    usitc = pd.read_csv(m / "s301_list_map_2020_hts8.csv", dtype=str)
    usitc_list = usitc.drop_duplicates("hts8").set_index("hts8")["list"].str.removeprefix("List")
    review = tracker[~original].groupby("hts8")["ch99_code"].agg("+".join)
    codes = review.index.difference(tracker.loc[original, "hts8"]).difference(usitc["hts8"])
    imp = pd.read_csv(
        src / "us_imports/us_imports_from_china_2024_hs10.csv", dtype={"HS10": str, "HS8": str}
    )
    rows = []
    for code in codes:
        lines = imp[imp["HS8"] == code]
        split = {k: v for k, v in S301_SPLIT_CODES.items() if k.startswith(code)}
        if not split:
            rows.append((code, review[code], "", "", lines["imports"].sum(), lines["duty"].sum()))
            continue
        for key, (before, listed) in split.items():
            if usitc_list.get(before) != listed:
                raise SystemExit(f"{key}: predecessor {before} is not on List {listed}")
            part = lines[lines["HS10"].str.startswith(key)]
            rows.append(
                (key, review[code], listed, before, part["imports"].sum(), part["duty"].sum())
            )
        rest = lines[~lines["HS10"].str.startswith(tuple(split))]
        for line in rest.itertuples():  # lines of the code from a predecessor on no list
            rows.append((line.HS10, review[code], "", "", line.imports, line.duty))
    out = pd.DataFrame(
        rows, columns=["code", "review_heading", "list", "predecessor", "imports_2024", "duty_2024"]
    )
    no_list = out[(out["list"] == "") & (out["code"].str.len() == 8)]
    if len(codes) != 61 or len(no_list) != S301_NO_LIST_COUNT:
        raise SystemExit(
            f"{len(codes)} review-only codes outside the USITC map, {len(no_list)} on no "
            "list: review S301_SPLIT_CODES against the source files"
        )
    if set(S301_SPLIT_CODES) - set(out["code"]):
        raise SystemExit("a code of S301_SPLIT_CODES is not a review-only code outside the map")
    return out.sort_values(["imports_2024", "code"], ascending=[False, True]).reset_index(drop=True)


def us_lists(src: Path) -> dict[str, tuple[pd.Series, str]]:
    m = src / "us_measures"
    s301 = pd.read_csv(m / "s301_product_lists_hts8.csv", dtype=str)
    listing = s301_lists(src)
    yale = "Budget-Lab-Yale/tariff-rate-tracker resources/s301_product_lists.csv (MIT)"
    usitc = "the USITC China Tariffs list map of 1 Jan 2020 via mwaugh0328/tradewar-tracker (MIT)"
    lists = {
        f"us-s301-list{name.lower()}": (
            listing.loc[listing["list"].isin(LIST_LABELS[name]), "hts8"],
            f"HTS8 lines of Section 301 List {name} on current codes (a line listed twice counts "
            f"on its first list; where {usitc} names another list for a code the tracker names, "
            f"under any heading, the 2024 review's included, that list; codes created in 2022 "
            f"that only the review names, their predecessor's list, see "
            f"audit/s301-codes-without-usitc-list.csv). Source: {yale}; {usitc}.",
        )
        for name in ("1", "2", "3", "4A", "4B")
    }
    for name, codes in REVIEW_GROUPS.items():
        lists[name] = (
            s301.loc[s301["ch99_code"].isin(codes), "hts8"],
            f"HTS8 lines of the 2024 Section 301 four-year review under "
            f"{', '.join(codes)}. Source: {yale}.",
        )
    deriv = pd.read_csv(m / "s232_derivative_products.csv", dtype=str)
    for (code, when), group in deriv.groupby(["ch99_code", "effective_date"], dropna=False):
        name, what = S232_DERIVATIVES[(code, when if isinstance(when, str) else "")]
        lists[name] = (
            group["hts_prefix"],
            f"{what} (HTS {code}). Source: "
            "Budget-Lab-Yale/tariff-rate-tracker resources/s232_derivative_products.csv "
            "(MIT).",
        )
    copper = pd.read_csv(m / "s232_copper_products.csv", dtype=str)["hts10"]
    parts = pd.read_csv(m / "s232_auto_parts_hts10.txt", dtype=str, header=None)[0]
    parts = parts[~parts.isin(S232_TOO_BROAD)]
    lists["us-s232-copper"] = (
        copper,
        "HTS prefixes of the Section 232 copper action (1 Aug "
        "2025). Source: Budget-Lab-Yale/tariff-rate-tracker (MIT).",
    )
    lists["us-s232-auto-parts"] = (
        parts,
        "HTS10 auto parts under Section 232 (3 May 2025). "
        "Source: Budget-Lab-Yale/tariff-rate-tracker (MIT).",
    )
    annex = pd.read_csv(m / "s232_annex_products_2026.csv", dtype=str)
    annex = annex[~annex["hts_prefix"].isin(S232_TOO_BROAD)]
    for code, group in annex.groupby("annex"):
        lists[f"us-s232-annex-2026-{code}"] = (
            group["hts_prefix"],
            f"Section 232 metals Annex {code.upper()} of the April 2026 proclamation (effective "
            "2026-04-06; steel, aluminium and copper lines together). Source: "
            "Budget-Lab-Yale/tariff-rate-tracker resources/s232_annex_products.csv (MIT).",
        )
    return {**lists, **annex_ii_lists(src)}


# Annex II of EO 14257 as the law had it: one list per act and dates in force, so each
# exemption is a stacking rule with its own from/until (see seeds/base.yaml).
ANNEX_II_PARTS = {
    # (added by, removed on) -> (list name, what it is)
    ("EO 14257", ""): (
        "us-annex-ii-eo14257",
        "EO 14257 Annex II lines (2 Apr 2025, in force 5 Apr) still listed "
        "when the IEEPA tariffs ended",
    ),
    ("EO 14257", "2025-08-01"): (
        "us-annex-ii-eo14257-copper",
        "EO 14257 Annex II copper lines (chapter 74), removed "
        "1 Aug 2025 with the Section 232 copper action",
    ),
    ("EO 14257", "2025-09-08"): (
        "us-annex-ii-eo14257-eo14346-removed",
        "EO 14257 Annex II lines removed by EO 14346 from 8 Sep 2025 (polymers and two chemicals)",
    ),
    ("EO 14257", "2025-10-14"): (
        "us-annex-ii-eo14257-wood",
        "EO 14257 Annex II wood lines (chapter 44), removed 14 Oct "
        "2025 with the Section 232 timber action",
    ),
    ("Presidential memorandum", ""): (
        "us-electronics-2025-04",
        "entries the memorandum of 11 Apr 2025 added to the "
        "exemptions, retroactive to 5 Apr 2025 (smartphones, "
        "computers, chips, displays): the electronics exclusion",
    ),
    ("EO 14346", ""): ("us-annex-ii-eo14346", "lines EO 14346 added to Annex II from 8 Sep 2025"),
    ("EO 14360", ""): (
        "us-annex-ii-eo14360",
        "lines EO 14360 added to Annex II from 13 Nov 2025 (farm goods; the 11 "
        "lines that cover particular articles only are left out)",
    ),
}


def annex_ii_lists(src: Path) -> dict[str, tuple[pd.Series, str]]:
    """EO 14257 Annex II and its amendments, one list per act and removal date."""
    folder = src / "us_measures" / "ieepa_annex_ii"
    rows = pd.read_csv(folder / "ieepa_annex_ii_hts8.csv", dtype=str, keep_default_na=False)
    act = rows["added_by"].str.extract(r"^(EO \d+|Presidential memorandum)")[0]
    keys = list(zip(act, rows["removed_effective"], strict=True))
    unknown = set(keys) - set(ANNEX_II_PARTS)
    if unknown:
        raise SystemExit(f"Annex II rows of no known act and date: {sorted(unknown)}")
    origin = (
        "Source: shared/data/us_measures/ieepa_annex_ii/ieepa_annex_ii_hts8.csv, rebuilt "
        "from the White House Annex II PDF and its amendments, reconciled with HTSUS 2026 "
        "Rev 6 note 2(v)(iii)(a)."
    )
    out = {}
    for key, (name, what) in ANNEX_II_PARTS.items():
        codes = rows.loc[[k == key for k in keys], "code"]
        out[name] = (codes, f"{what}: {len(codes)} entries. {origin}")
    return out


def cn_lists(src: Path) -> dict[str, tuple[pd.Series, str]]:
    c = src / "china_measures"
    out = {}
    wide, increments = cn_rounds(src)
    origin = (
        "China's applied tariffs on US goods per HS6, 2018-2019: "
        "mwaugh0328/tradewar-tracker data/new_tariff_list_2020.csv (MIT)."
    )
    for day, snapped in increments.items():
        for pct, group in snapped.groupby(snapped):
            out[f"cn-retaliation-{day}-{pct:g}pct"] = (
                pd.Series(group.index),
                f"HS6 lines on which China's tariff on US goods rose by {pct:g} points on {day}. "
                + origin,
            )
    autos = cn_auto_suspension(wide)
    out["cn-autos-2019-suspension"] = (
        pd.Series(autos.index),
        "HS6 US autos and parts whose retaliation China suspended "
        "from 1 Jan 2019 (25/5-point steps). " + origin,
    )
    for pct in ("10", "15"):
        frame = pd.read_csv(
            c / f"china_2025-03-10_{pct}pct_us_exports_2024_hs6.csv", dtype={"hs-code": str}
        )
        out[f"cn-farm-2025-03-{pct}pct"] = (
            frame["hs-code"].str.zfill(6),
            f"HS6 lines of China's 10 Mar 2025 {pct}% list (CTC Announcement No. 2), matched to "
            "US exports. Source: tradewartracker/trade-war-redux-2025 (MIT).",
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source",
        type=Path,
        default=Path(__file__).resolve().parent.parent.parent / "shared" / "data",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=PACKAGE_DATA,
        help="where to write the tables (default: the package's data folder)",
    )
    args = parser.parse_args()
    src = args.source
    global OUT
    OUT = args.out
    write_csv(
        us_universe(src),
        OUT / "universe-US-CN.csv.gz",
        "US imports for consumption from China, 2024 (Census), per HTS10; value_2017 spreads "
        "2017 chapter totals by 2024 within-chapter shares; mfn is the 2025 general rate, or "
        "for specific/compound duties the 2024 duty collected less Section 301 (see NOTICE).",
    )
    write_csv(
        cn_universe(src),
        OUT / "universe-CN-US.csv.gz",
        "China's HS6 lines with its MFN rate at the end of 2019 (mfn; the in-quota rate on "
        "tariff-rate-quota lines) and on 2018-01-01 (mfn_2018); value_YEAR is the US export "
        "value of the HS2 chapter that year spread evenly over the chapter's HS6 lines, "
        "except lines with a known 2024 value (see NOTICE).",
    )
    licences = OUT / "licenses"
    licences.mkdir(exist_ok=True)
    for path in sorted(src.glob("*/LICENSE-*")):
        shutil.copyfile(path, licences / path.name)
    write_csv(
        s301_disagreements(src),
        OUT / "audit" / "s301-list-disagreements.csv",
        "HTS8 codes the two Section 301 sources put on different lists: the tracker's "
        "lists (first listing used; none where it names the code only under 2024-review "
        "headings, in tracker_review) against the USITC 2020 list map, with 2024 US imports "
        "from China (USD). The packaged lists follow the USITC map on these codes.",
    )
    write_csv(
        s301_codes_without_usitc_list(src),
        OUT / "audit" / "s301-codes-without-usitc-list.csv",
        "HTS codes the tracker names only under 2024-review headings (review_heading) that the "
        "USITC 2020 list map does not hold, with 2024 US imports from China and duty collected "
        "(USD). list: the Section 301 list of the code's predecessor, for codes the HS 2022 "
        "changes created from a listed code (predecessor); empty: on no list before the review "
        "(the code was in the 2017 HTS, or its predecessor was on no list). See NOTICE.md.",
    )
    for name, (codes, header) in {**us_lists(src), **cn_lists(src)}.items():
        frame = pd.DataFrame({"code": sorted(set(codes.str.replace(".", "", regex=False)))})
        write_csv(frame, OUT / "lists" / f"{name}.csv", header)


if __name__ == "__main__":
    main()
