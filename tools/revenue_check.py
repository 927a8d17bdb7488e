"""Check the model's 2024 US duty on imports from China against the duty Census recorded.

Run from the repository root:  python tools/revenue_check.py [--source ../shared/data]
                                   [--markdown PATH]

The model side is `ts.simulate("history")`: each HTS10 line's duty rate averaged over the
days of 2024 (`Flows.base_rates`, MFN plus Section 301, the 2024 review increases and
Section 232 as the scenario stacks them) times its 2024 imports. The other side is the
Census "calculated duty" per HTS10 in ../shared/data/us_imports. The two are joined line by
line and every line goes to exactly one class (the first rule of `classify` that holds), so
the classes' gaps add up to the total gap. Classes use the share of the model's additional
duty (everything above MFN) that the line's collected rate covers: paid = (collected rate -
MFN) / (model rate - MFN). Which class a line is in is read from the data; why a line pays
less or more than the model (exclusions, duty-free claims, duties outside the model) is an
inference for the Section 232, Section 301 and MFN-only classes, and is labelled as such.
With --markdown, a table and a short explanation for the README are written to PATH.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

import tariffsim as ts
from tariffsim.resources import data_dir

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
YEAR = 2024
SCENARIO = "history"
# A line pays the model's additional duty "in full" when its collected rate covers
# 1 ± PAID_TOLERANCE of it, "none" at or below PAID_TOLERANCE; an MFN-only line matches
# when its collected rate is within MFN_TOLERANCE (rate points) of MFN.
PAID_TOLERANCE = 0.05
MFN_TOLERANCE = 0.005
# Lists in the tracker's Section 301 file that the model reads as Lists 1-4B; the other
# labels are the 2024 four-year review headings (9903.91.xx, 9903.92.10).
ORIGINAL_LISTS = {"1", "2", "3", "3_addl", "4A", "4B"}
# The USITC 2020 list map's lists in force in 2024, and their rates then
LIST_RATE_2024 = {"List1": 0.25, "List2": 0.25, "List3": 0.25, "List4A": 0.075}
REVIEW_START_2024 = date(2024, 9, 27)  # the first review increases (timeline row 19)
# Packaged audit table (tools/derive_data.py): review-only codes the USITC map lacks, and the
# list of the pre-2022 code each came from, if any
SPLIT_CODES = "s301-codes-without-usitc-list.csv"
# Products under anti-dumping orders on China in force throughout 2024 (public ITA order
# lists, not in ../shared/data), China-wide rates far above 25%: if Census calculated duty
# held AD/CVD, these lines would collect far more than MFN plus Section 301.
AD_EXAMPLES = {
    "9403509045": "wooden bedroom furniture",
    "940421": "mattresses",
    "848220": "tapered roller bearings",
}
MEASURE_GROUPS = {
    "us-s301-list": "Section 301 Lists 1-4A",
    "us-s301-review": "Section 301 2024 review increases",
    "us-s232": "Section 232 steel and aluminium",
}


class Cause(NamedTuple):
    key: str
    label: str
    basis: str  # "fact" (read from the data) or "inference" (a likely reason)


CLASSES = [
    Cause(
        "ch98_99",
        "Chapter 98/99 lines (US goods returned, low-value estimates, other special provisions)",
        "fact",
    ),
    Cause(
        "mfn_backed_out",
        "specific or compound MFN duty: the model's MFN is backed out of this same collected "
        "duty, so a gap shows only where collected duty is below the Section 301 rate",
        "fact",
    ),
    Cause(
        "review_only",
        "on List 1-4A in the USITC 2020 list map (or, for codes created in 2022, their "
        "predecessor code is), but only under 2024-review headings in the tracker's list "
        "file: the packaged lists follow the USITC map, so the model charges the list rate "
        "until the line's review increase",
        "fact",
    ),
    Cause(
        "s232",
        "model charges Section 232 steel/aluminium (often with Section 301): less collected, "
        "likely Section 232 product exclusions",
        "inference",
    ),
    Cause(
        "s301_none",
        "model charges Section 301, about MFN only collected (at most 5% of the additional "
        "duty): likely whole-line product exclusions or duty-free entries",
        "inference",
    ),
    Cause(
        "s301_part",
        "model charges Section 301, part of it collected (5-95%): likely exclusions or list "
        "scopes covering some products of the line, or entries on part of the value",
        "inference",
    ),
    Cause(
        "s301_more",
        "model charges Section 301, more collected (over 105%): duty the model does not "
        "charge (e.g. Section 201 safeguards), or the line's list rate is higher",
        "inference",
    ),
    Cause(
        "above_mfn",
        "model charges MFN only, more collected: duty the model does not charge (e.g. "
        "Section 301 on a line whose list scope the model does not know)",
        "inference",
    ),
    Cause(
        "below_mfn",
        "model charges MFN only, less collected: duty-free claims within the line (e.g. "
        "pharmaceutical appendix) or MFN rates that differ from the 2025 schedule",
        "inference",
    ),
    Cause(
        "match",
        "residual: collected matches the model (within 5% of the additional duty, or "
        "0.5 points of MFN)",
        "fact",
    ),
]
LABELS = {c.key: c.label for c in CLASSES}


def model_lines(scenario: str = SCENARIO, year: int = YEAR) -> pd.DataFrame:
    """The model's US->CN lines: code, value (base-year imports), mfn, rate (the duty rate
    averaged over the days of `year`), and the part of `rate` from each measure group."""
    result = ts.simulate(scenario)
    pair = next(d for d in result.directions if (d.imposer, d.target) == ("US", "CN"))
    flows = next(f for f in result.flows if (f.imposer, f.target) == ("US", "CN"))
    universe, stack = pair.universe, pair.stack
    weights = day_weights(stack.starts, year)
    parts = {group: np.zeros(len(universe)) for group in MEASURE_GROUPS}
    parts["other"] = np.zeros(len(universe))
    for seg, share in weights.items():
        for j, col in enumerate(stack.columns):
            group = next((g for g in MEASURE_GROUPS if col.measure.startswith(g)), "other")
            parts[group] += share * stack.column_duty(seg, j)
    frame = pd.DataFrame(
        {"code": universe.codes, "value": universe.values, "mfn": universe.mfn}
    ).assign(**parts)
    frame["rate"] = frame["mfn"] + sum(parts.values())
    if not np.allclose(frame["rate"], flows.base_rates, rtol=0, atol=1e-12):
        raise AssertionError("measure parts do not add up to Flows.base_rates")
    return frame


def day_weights(starts: np.ndarray, year: int) -> dict[int, float]:
    """Segment -> share of the days of `year` it holds (as in `trade.flows._base_rates`)."""
    lo, hi = date(year, 1, 1).toordinal(), date(year + 1, 1, 1).toordinal()
    ends = np.append(starts[1:], np.iinfo(np.int64).max)
    days = np.clip(np.minimum(ends, hi) - np.maximum(starts, lo), 0, None)
    return {int(s): days[s] / days.sum() for s in np.flatnonzero(days)}


def census_lines(src: Path) -> pd.DataFrame:
    frame = pd.read_csv(
        src / "us_imports/us_imports_from_china_2024_hs10.csv",
        dtype={"HS10": str, "HS8": str, "HS6": str},
    )
    return frame.rename(columns={"HS10": "code", "I_COMMODITY_SDESC": "description"})


def joined(model: pd.DataFrame, census: pd.DataFrame, src: Path) -> pd.DataFrame:
    """Model and Census per HTS10, with MFN rate types and the review-only flag. Census
    lines the model lacks must have no imports; values must agree to the dollar or so."""
    frame = census.merge(model, on="code", how="left", validate="one_to_one")
    missing = frame["value"].isna()
    if frame.loc[missing, "imports"].abs().sum() > 0:
        raise AssertionError("Census lines with imports are missing from the model")
    frame = frame[~missing].copy()
    if (frame["value"] - frame["imports"]).abs().max() > 5:
        raise AssertionError("model values differ from Census imports")
    mfn = pd.read_csv(src / "us_measures/mfn_rates_2025_hts8.csv", dtype={"hs8": str})
    frame["rate_type"] = frame["HS8"].map(mfn.set_index("hs8")["rate_type"]).fillna("unmatched")
    lists = pd.read_csv(src / "us_measures/s301_product_lists_hts8.csv", dtype=str)
    review_only = set(lists["hts8"]) - set(lists.loc[lists["list"].isin(ORIGINAL_LISTS), "hts8"])
    usitc = pd.read_csv(src / "us_measures/s301_list_map_2020_hts8.csv", dtype=str)
    usitc = usitc.drop_duplicates("hts8").set_index("hts8")["list"]
    frame["usitc_list"] = frame["HS8"].map(usitc).fillna("")
    # codes the HS 2022 changes created from a listed code: their predecessor's USITC list
    split = pd.read_csv(data_dir() / "audit" / SPLIT_CODES, dtype=str, comment="#").fillna("")
    for code, listed in split.loc[split["list"] != "", ["code", "list"]].itertuples(index=False):
        frame.loc[frame["code"].str.startswith(code), "usitc_list"] = f"List{listed}"
    frame["review_only"] = frame["HS8"].isin(review_only) & frame["usitc_list"].isin(LIST_RATE_2024)
    frame["model_duty"] = frame["rate"] * frame["imports"]
    frame["gap"] = frame["model_duty"] - frame["duty"]
    frame["collected_rate"] = frame["duty"] / frame["imports"]
    return frame.reset_index(drop=True)


def classify(frame: pd.DataFrame) -> pd.Series:
    """Each line's class key: the first rule below that holds (a Section 301 line paying
    its additional duty in full, or an MFN-only line paying MFN, is a "match")."""
    extra = frame["rate"] - frame["mfn"]
    over_mfn = frame["collected_rate"] - frame["mfn"]
    paid = over_mfn / extra.where(extra > 0)
    rules = {
        "ch98_99": frame["code"].str[:2].isin(["98", "99"]),
        "mfn_backed_out": ~frame["rate_type"].isin(["free", "ad_valorem"]),
        "review_only": frame["review_only"],
        "s232": frame["us-s232"] > 0,
        "s301_none": paid <= PAID_TOLERANCE,
        "s301_part": paid < 1 - PAID_TOLERANCE,
        "s301_more": paid > 1 + PAID_TOLERANCE,
        "match": paid.notna(),  # the additional duty paid in full
        "above_mfn": over_mfn > MFN_TOLERANCE,
        "below_mfn": over_mfn < -MFN_TOLERANCE,
    }
    keys = pd.Series("match", index=frame.index)
    done = pd.Series(False, index=frame.index)
    for key, holds in rules.items():
        keys[holds & ~done] = key
        done |= holds
    return keys


def decomposition(frame: pd.DataFrame) -> pd.DataFrame:
    """Lines, imports, model duty, collected duty and gap per class (CLASSES order), plus
    the share of the model's additional duty that was collected."""
    frame = frame.assign(
        cls=classify(frame),
        model_extra=(frame["rate"] - frame["mfn"]) * frame["imports"],
        collected_extra=frame["duty"] - frame["mfn"] * frame["imports"],
    )
    table = frame.groupby("cls").agg(
        lines=("code", "size"),
        imports=("imports", "sum"),
        model_duty=("model_duty", "sum"),
        collected=("duty", "sum"),
        gap=("gap", "sum"),
        model_extra=("model_extra", "sum"),
        collected_extra=("collected_extra", "sum"),
    )
    table = table.reindex([c.key for c in CLASSES]).fillna(0)
    table["extra_paid"] = table["collected_extra"] / table["model_extra"].where(
        table["model_extra"] > 0
    )
    return table.drop(columns=["model_extra", "collected_extra"])


def by_measure(frame: pd.DataFrame) -> pd.Series:
    """The model's 2024 duty per measure group, USD."""
    groups = ["mfn", *MEASURE_GROUPS, "other"]
    out = pd.Series({g: float(frame[g] @ frame["imports"]) for g in groups})
    return out.rename({"mfn": "MFN", **MEASURE_GROUPS, "other": "other measures"})


def list_duty_due(frame: pd.DataFrame, year: int = YEAR) -> float:
    """Section 301 list duty due on the review-only lines: the 2024 rate of the line's list
    in the USITC 2020 map, on the days of `year` before its review increase (all of them
    when the model charges no review duty on it in `year`)."""
    lo, hi = date(year, 1, 1), date(year + 1, 1, 1)
    before = (REVIEW_START_2024 - lo).days / (hi - lo).days
    part = frame[frame["review_only"]]
    share = np.where(part["us-s301-review"] > 0, before, 1.0)
    rate = part["usitc_list"].map(LIST_RATE_2024)
    return float((part["imports"] * rate * share).sum())


def list_duty_charged(frame: pd.DataFrame) -> float:
    """Section 301 List 1-4A duty the model charges on the review-only lines."""
    part = frame[frame["review_only"]]
    return float(part["us-s301-list"] @ part["imports"])


def missing_list_duty(frame: pd.DataFrame, year: int = YEAR) -> float:
    """List duty due on the review-only lines that the model leaves out (about zero since
    the packaged lists follow the USITC map on them; $0.31B of 2024 duty before that)."""
    return list_duty_due(frame, year) - list_duty_charged(frame)


def largest_excess(frame: pd.DataFrame, min_imports: float = 1e6) -> pd.Series:
    """The line (of at least `min_imports`) whose collected rate most exceeds the model's:
    a check on whether duties outside the model (AD/CVD) are in Census calculated duty."""
    big = frame[frame["imports"] >= min_imports]
    return big.loc[(big["collected_rate"] - big["rate"]).idxmax()]


def billions(x: float) -> str:
    return f"{x / 1e9:,.2f}"


def usd(x: float) -> str:
    """Dollars in billions with the sign in front: $0.25B, -$0.07B."""
    return f"{'-' if x < 0 else ''}${abs(x) / 1e9:,.2f}B"


def report(frame: pd.DataFrame, table: pd.DataFrame) -> str:
    imports, model, collected = (frame[c].sum() for c in ("imports", "model_duty", "duty"))
    lines = [
        f"US imports from China, {YEAR}: {len(frame):,} HTS10 lines, ${billions(imports)}B",
        f"  model duty ({SCENARIO}, {YEAR} day-average rates): ${billions(model)}B "
        f"({model / imports:.2%})",
        f"  Census calculated duty:  ${billions(collected)}B ({collected / imports:.2%})",
        f"  gap (model - collected): ${billions(model - collected)}B",
        "",
        "Model duty by measure ($B): "
        + ", ".join(f"{k} {billions(v)}" for k, v in by_measure(frame).items()),
        "",
        f"{'class':<15}{'lines':>7}{'imports':>9}{'model':>8}{'coll.':>8}{'gap':>8}"
        f"{'paid':>7}  basis",
    ]
    basis = {c.key: c.basis for c in CLASSES}
    for key, row in table.iterrows():
        paid = "" if np.isnan(row["extra_paid"]) else f"{row['extra_paid']:.0%}"
        lines.append(
            f"{key:<15}{row['lines']:>7,.0f}{billions(row['imports']):>9}"
            f"{billions(row['model_duty']):>8}{billions(row['collected']):>8}"
            f"{billions(row['gap']):>8}{paid:>7}  {basis[key]}"
        )
    lines.append(
        f"{'total':<15}{table['lines'].sum():>7,.0f}{billions(table['imports'].sum()):>9}"
        f"{billions(table['model_duty'].sum()):>8}{billions(table['collected'].sum()):>8}"
        f"{billions(table['gap'].sum()):>8}"
    )
    part = frame[classify(frame) == "s301_part"]["gap"]
    lines += [
        "",
        "paid: share of the model's additional duty (above MFN) collected",
        f"s301_part: the 10 largest of {len(part):,} lines hold "
        f"{part.nlargest(10).sum() / part.sum():.0%} of its gap",
        f"review_only: List 1-4A duty due on these lines before their review increases: "
        f"${billions(list_duty_due(frame))}B; the model charges "
        f"${billions(list_duty_charged(frame))}B, leaving out "
        f"${billions(missing_list_duty(frame))}B",
        "",
    ]
    lines += [f"{key}: {label}" for key, label in LABELS.items()]
    return "\n".join(lines)


def top_lines(frame: pd.DataFrame, n: int = 5) -> str:
    """The lines with the largest gaps (either sign) in each class."""
    frame = frame.assign(cls=classify(frame))
    out = []
    for key in LABELS:
        part = frame[frame["cls"] == key]
        if part.empty:
            continue
        out.append(f"\n{key}: largest gaps")
        for _, r in part.reindex(part["gap"].abs().sort_values(ascending=False).index)[
            :n
        ].iterrows():
            out.append(
                f"  {r['code']} {r['description'][:40]:<40} imports {r['imports'] / 1e6:>8,.0f}M"
                f"  model {r['rate']:6.1%}  collected {r['collected_rate']:6.1%}"
                f"  gap {r['gap'] / 1e6:>7,.1f}M"
            )
    return "\n".join(out)


SHORT = {
    "ch98_99": "Chapter 98/99 special provisions",
    "mfn_backed_out": "specific/compound MFN (model MFN taken from collected duty)",
    "review_only": "List 1-4A lines the tracker file has only under 2024-review headings",
    "s232": "Section 232 lines, less collected *(inference: 232 exclusions)*",
    "s301_none": "Section 301 lines paying about MFN only *(inference: exclusions)*",
    "s301_part": "Section 301 lines paying part of it *(inference)*",
    "s301_more": "Section 301 lines paying more than the model *(inference)*",
    "above_mfn": "MFN-only lines paying more *(inference)*",
    "below_mfn": "MFN-only lines paying less *(inference: duty-free claims)*",
    "match": "residual: lines where collected matches the model",
}


def markdown(frame: pd.DataFrame, table: pd.DataFrame, command: str) -> str:
    """A table of the decomposition and a short explanation, for the README."""
    imports, model, collected = (frame[c].sum() for c in ("imports", "model_duty", "duty"))
    gap = model - collected
    rows = [
        "| cause | lines | imports $B | model duty $B | collected $B | gap $B |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, row in table.iterrows():
        rows.append(
            f"| {SHORT[key]} | {row['lines']:,.0f} | {billions(row['imports'])} | "
            f"{billions(row['model_duty'])} | {billions(row['collected'])} | "
            f"{billions(row['gap'])} |"
        )
    rows.append(
        f"| **total** | {len(frame):,} | {billions(imports)} | {billions(model)} | "
        f"{billions(collected)} | **{billions(gap)}** |"
    )
    t, paid = table["gap"], table["extra_paid"]
    small = t[["ch98_99", "mfn_backed_out", "s301_more", "above_mfn"]].sum()
    excess = largest_excess(frame)
    n_part = table.loc["s301_part", "lines"]
    text = [
        f"For {YEAR} the model charges {usd(model)} on {usd(imports)} of US imports from "
        f"China ({model / imports:.1%}), against {usd(collected)} of calculated duty in the "
        f"Census data ({collected / imports:.1%}): {usd(gap)} ({gap / collected:.0%}) too "
        f"much.",
        f"Nearly all of the gap sits on lines where the model charges Section 301 but "
        f"importers paid only part of it ({usd(t['s301_part'])}: {paid['s301_part']:.0%} of "
        f"the additional duty was collected, and ten of the {n_part:,} lines, led by "
        f"8517.62.0090 and 8473.30.1180, hold half of that) or about MFN alone "
        f"({usd(t['s301_none'])}, e.g. child safety seats).",
        "The model has no Section 301 product exclusions, but no exclusion list is in the "
        "raw data, so putting this down to exclusions, rather than to list scopes narrower "
        "than an HTS8 or to duty-free and partial-value entries, is an inference.",
        f"{table.loc['review_only', 'lines']:,.0f} lines (semiconductors, wafers, electric "
        f"vehicles, steel and aluminium products, medical gloves) that the USITC 2020 list "
        f"map puts on Lists 1-4A, directly or through the code they were split from in 2022, "
        f"appear in the tracker's list file only under 2024-review headings; the packaged "
        f"lists follow the USITC map, so the model charges their list rate until the review "
        f"increases ({usd(list_duty_charged(frame))} in {YEAR}"
        + (
            ""
            if abs(missing_list_duty(frame)) < 5e6
            else f", {usd(missing_list_duty(frame))} short of the list duty due"
        )
        + f"), and importers paid {paid['review_only']:.0%} of the model's additional duty "
        f"on them (gap {usd(t['review_only'])}).",
        f"Section 232 lines ({usd(t['s232'])}), MFN-only lines paying less than MFN "
        f"({usd(t['below_mfn'])}, mostly Chapter 29 chemicals, plausibly "
        f"pharmaceutical-appendix claims), four small classes ({usd(small)}) and the "
        f"residual on lines where collected matches the model ({usd(t['match'])}) make up "
        f"the rest.",
        f"No line with over $1M of imports collects more than "
        f"{(excess['collected_rate'] - excess['rate']) * 100:.0f} points above the model "
        f"rate, and lines under long-standing anti-dumping orders on China "
        f"({', '.join(AD_EXAMPLES.values())}) pay just MFN plus Section 301, so Census "
        f"calculated duty evidently leaves out antidumping and countervailing duties (the "
        f"data notes do not say so).",
    ]
    return "\n".join(
        [
            f"### Model duty against duty collected, US imports from China, {YEAR}",
            "",
            *rows,
            "",
            " ".join(text),
            "",
            f"Figures from `{command}`, run from the repository root with ../shared/data "
            f"beside it (scenario `{SCENARIO}`, {YEAR} day-average rates; Census calculated "
            "duty per HTS10).",
            "",
        ]
    )


def ad_lines(frame: pd.DataFrame) -> str:
    """Model and collected rates on lines under long-standing AD orders on China."""
    out = []
    for prefix, name in AD_EXAMPLES.items():
        part = frame[frame["code"].str.startswith(prefix)]
        out.append(
            f"  {prefix} {name}: imports ${part['imports'].sum() / 1e6:,.0f}M, model "
            f"{part['model_duty'].sum() / part['imports'].sum():.1%}, collected "
            f"{part['duty'].sum() / part['imports'].sum():.1%}"
        )
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SHARED)
    parser.add_argument("--markdown", type=Path, help="write the README table and text here")
    args = parser.parse_args()
    frame = joined(model_lines(), census_lines(args.source), args.source)
    table = decomposition(frame)
    print(report(frame, table))
    print(top_lines(frame))
    excess = largest_excess(frame)
    print(
        f"\nlargest excess of collected over model rate (lines over $1M): {excess['code']} "
        f"{excess['description']}: collected {excess['collected_rate']:.1%}, "
        f"model {excess['rate']:.1%}"
    )
    print("lines under anti-dumping orders on China (AD/CVD in calculated duty?):")
    print(ad_lines(frame))
    if args.markdown:
        command = "python " + shlex.join(sys.argv)
        args.markdown.write_text(markdown(frame, table, command), encoding="utf-8")
        print(f"\nwrote {args.markdown}")


if __name__ == "__main__":
    main()
