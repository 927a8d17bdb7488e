"""tools/revenue_check.py: the model's 2024 US duty on China against Census calculated duty.
Its classes take every line once, so their gaps add up to the total gap. Needs the raw data
in ../shared/data; skipped without it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"

pytestmark = pytest.mark.skipif(
    not SHARED.is_dir(), reason="the raw data folder ../shared/data is absent"
)


@pytest.fixture(scope="module")
def rc():
    spec = importlib.util.spec_from_file_location("revenue_check", ROOT / "tools/revenue_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def frame(rc):
    return rc.joined(rc.model_lines(), rc.census_lines(SHARED), SHARED)


def test_totals_are_the_census_and_model_figures(frame):
    # $429.43B imports and $46.66B calculated duty (data README); the model's base_duty
    assert frame["imports"].sum() == pytest.approx(429.43e9, abs=0.005e9)
    assert frame["duty"].sum() == pytest.approx(46.66e9, abs=0.005e9)
    assert frame["model_duty"].sum() == pytest.approx(54.38e9, abs=0.005e9)


def test_decomposition_sums_exactly_to_the_gap(rc, frame):
    keys = rc.classify(frame)
    assert set(keys) <= {c.key for c in rc.CLASSES}
    table = rc.decomposition(frame)
    assert list(table.index) == [c.key for c in rc.CLASSES]
    assert table["lines"].sum() == len(frame)
    gap = frame["model_duty"].sum() - frame["duty"].sum()
    assert table["gap"].sum() == pytest.approx(gap, abs=1.0)  # dollars, of $7.4B
    for col in ("imports", "model_duty", "collected"):
        assert table[col].sum() == pytest.approx(frame[col if col != "collected" else "duty"].sum())


def test_paid_share_bands_hold_line_by_line(rc, frame):
    keys = rc.classify(frame)
    extra = frame["rate"] - frame["mfn"]
    paid = (frame["collected_rate"] - frame["mfn"]) / extra.where(extra > 0)
    assert (paid[keys == "s301_none"] <= rc.PAID_TOLERANCE).all()
    part = paid[keys == "s301_part"]
    assert ((part > rc.PAID_TOLERANCE) & (part < 1 - rc.PAID_TOLERANCE)).all()
    assert (
        frame.loc[keys == "s301_none", "collected_rate"] < frame.loc[keys == "s301_none", "rate"]
    ).all()


def test_markdown_table_and_command(rc, frame):
    table = rc.decomposition(frame)
    text = rc.markdown(frame, table, "python tools/revenue_check.py --markdown out.md")
    assert "| **total** | 14,386 | 429.43 | 54.38 | 46.66 | **7.72** |" in text
    assert "`python tools/revenue_check.py --markdown out.md`" in text
    assert np.isfinite(rc.missing_list_duty(frame))


def test_review_only_lines_pay_their_list_duty_before_the_review(rc, frame):
    # 523 lines the tracker files only under 2024-review headings, on Lists 1-4A in the USITC
    # 2020 map, and 14 lines of codes created in 2022 whose predecessor is (8541.42-.59,
    # medical gloves 4015.12.1010): the packaged lists follow the map, so the model charges
    # the $0.31B of 2024 list duty due on them and no more ($0.25B on the 523; none of it
    # before the fixes of Nov 2026). The 14 lines, $572M of imports: medical gloves $493.67M
    # at List 4A's 7.5% = $37.02M; solar cells 8541.42-.43, $40.61M at List 2's 25% for the
    # 270 of 366 days before their review increase (27 Sep 2024) = $7.49M; the other 8541
    # lines, $37.84M at 25% all year (their increase is in 2025) = $9.46M; $53.97M in all.
    import pandas as pd

    assert frame["review_only"].sum() == 523 + 14
    assert rc.list_duty_due(frame) == pytest.approx(0.31e9, abs=0.005e9)
    usitc = pd.read_csv(SHARED / "us_measures/s301_list_map_2020_hts8.csv", dtype=str)
    split = frame[frame["review_only"] & ~frame["HS8"].isin(usitc["hts8"])]
    assert len(split) == 14
    assert split["imports"].sum() == pytest.approx(572.12e6, abs=0.01e6)
    assert rc.list_duty_due(split) == pytest.approx(53.97e6, abs=0.01e6)
    assert rc.missing_list_duty(frame) == pytest.approx(0.0, abs=1e3)  # dollars
