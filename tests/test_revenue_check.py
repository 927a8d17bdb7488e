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
    assert frame["model_duty"].sum() == pytest.approx(54.33e9, abs=0.005e9)


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
    assert "| **total** | 14,386 | 429.43 | 54.33 | 46.66 | **7.66** |" in text
    assert "`python tools/revenue_check.py --markdown out.md`" in text
    assert np.isfinite(rc.missing_list_duty(frame))


def test_review_only_lines_pay_their_list_duty_before_the_review(rc, frame):
    # 523 lines the tracker files only under 2024-review headings, on Lists 1-4A in the USITC
    # 2020 map: the packaged lists follow the map, so the model charges the $0.25B of 2024
    # list duty due on them (it charged none before the fix of Nov 2026) and no more.
    assert frame["review_only"].sum() == 523
    assert rc.list_duty_due(frame) == pytest.approx(0.25e9, abs=0.005e9)
    assert rc.missing_list_duty(frame) == pytest.approx(0.0, abs=1e3)  # dollars
