"""Where chart labels land, measured with the renderer's own text extents after drawing:
no label overlaps another, a leader, or the plot (so no rate line); band names stay in
their rows below the zero line. Checked for every bundled scenario, on the API's chart
and the command line's, and at another resolution."""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.transforms import Bbox

import tariffsim as ts
from tariffsim.charts.bands import BAND_GID, NAME_GID
from tariffsim.charts.figure import scenario_figure
from tariffsim.charts.labels import LABEL_GID, LEADER_GID, PAD, assign_rows
from tariffsim.charts.rates import TICK_GID
from tariffsim.resources import bundled_scenarios
from tariffsim.uncertainty.tree import is_uncertain

SCENARIOS = sorted(bundled_scenarios())
# the kinds drawn from one path; a scenario with branches (the outlook) draws a fan
PLAIN = [n for n in SCENARIOS if not is_uncertain(ts.load_scenario(n))]


@pytest.fixture(scope="module")
def results(plain_results):
    return plain_results


def render(fig, dpi: float | None = None):
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    if dpi is not None:
        fig.set_dpi(dpi)
    fig.canvas.draw()
    return fig


def shown(ax, gid: str) -> list:
    return [a for a in ax.get_children() if a.get_gid() == gid and a.get_visible()]


def overlap(a: Bbox, b: Bbox, slack: float = 0.5) -> bool:
    """Boxes that share more than a hair (`slack` pixels) of area."""
    return (
        a.x0 + slack < b.x1 and b.x0 + slack < a.x1 and a.y0 + slack < b.y1 and b.y0 + slack < a.y1
    )


def check_band(ax) -> int:
    """Every rule of the label band on one drawn Axes; the number of labels shown."""
    box = ax.get_window_extent()
    fig_box = ax.figure.bbox
    texts = shown(ax, LABEL_GID)
    boxes = [t.get_window_extent() for t in texts]
    leaders = [(a.xy[0], a.arrow_patch.get_window_extent()) for a in shown(ax, LEADER_GID)]
    assert len(leaders) == len(texts)
    for text, b in zip(texts, boxes, strict=True):
        assert b.y0 >= box.y1, f"{text.get_text()!r} enters the plot"  # so no line is crossed
        assert fig_box.x0 <= b.x0 and b.x1 <= fig_box.x1 and b.y1 <= fig_box.y1
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        assert not overlap(a, b), f"{texts[i].get_text()!r} overlaps {texts[j].get_text()!r}"
    for _, line in leaders:  # a leader meets its own label only, at its end
        crossed = [t.get_text() for t, b in zip(texts, boxes, strict=True) if overlap(line, b, 1.5)]
        assert crossed == [], f"a leader crosses {crossed}"
    return len(texts)


def check_strip(ax) -> None:
    """Band names sit inside their own row: below the zero line (under every rate line,
    which is never negative) and clear of every other row's bands."""
    zero = ax.transData.transform((0, 0))[1]
    names = shown(ax, NAME_GID)
    bands = [(b, b.get_window_extent()) for b in shown(ax, BAND_GID)]
    for name in names:
        box = name.get_window_extent()
        assert box.y1 < zero - 1 and box.y0 > ax.get_window_extent().y0, name.get_text()
        row = [b for b, extent in bands if extent.y0 <= (box.y0 + box.y1) / 2 <= extent.y1]
        others = [extent for b, extent in bands if b not in row]
        assert not any(overlap(box, extent) for extent in others), name.get_text()
    for a, b in itertools.combinations([n.get_window_extent() for n in names], 2):
        assert not overlap(a, b)


@pytest.mark.parametrize("name", PLAIN)
def test_labels_of_the_api_chart_never_overlap(results, name):
    ax = ts.plot_rates(results[name])
    render(ax.figure)
    assert check_band(ax) >= 3
    check_strip(ax)


@pytest.mark.parametrize("name", PLAIN)
def test_labels_of_the_cli_chart_never_overlap(results, name):
    fig = render(scenario_figure([results[name]]))
    assert all(check_band(ax) >= 1 for ax in fig.axes)
    for ax in fig.axes:
        check_strip(ax)


def test_labels_are_placed_again_for_each_resolution(results):
    # text widths do not scale exactly with the resolution (hinting), nor the layout: the
    # band is placed again at each drawing, for the pixels then drawn
    ax = ts.plot_rates(results["history"])
    for dpi in (72, 200):
        render(ax.figure, dpi)
        assert check_band(ax) >= 3


def test_a_narrow_chart_shows_fewer_labels_and_ticks_the_other_days(results):
    fig, ax = plt.subplots(figsize=(5, 4), layout="constrained")
    ts.plot_rates(results["history"], ax=ax, direction="US-CN", legend=False)
    render(fig)
    wide = ts.plot_rates(results["history"], direction="US-CN", legend=False)
    render(wide.figure)
    assert 1 <= check_band(ax) < check_band(wide)
    ticks = {t.get_xdata()[0] for t in shown(ax, TICK_GID)}
    wide_ticks = {t.get_xdata()[0] for t in shown(wide, TICK_GID)}
    assert len(ticks) > len(wide_ticks)  # a day left unnamed still has its tick


# ------------------------------------------------------------------ the pure placement

ITEMS = st.lists(st.tuples(st.floats(0, 1000), st.floats(1, 400)), min_size=1, max_size=25)


@given(ITEMS, st.integers(1, 4))
def test_placed_labels_keep_clear_of_each_other_and_of_leaders(items, rows):
    lo, hi, gap = 0.0, 1000.0, 3.0
    slots = assign_rows(items, lo, hi, rows, gap)
    placed = [s for s in slots if s is not None]
    for (x, width), slot in zip(items, slots, strict=True):
        if slot is None:
            continue
        assert lo <= slot.left and slot.right <= hi and 0 <= slot.row < rows
        assert slot.leader == x and abs(slot.right - slot.left - width) < 1e-6
        assert min(abs(slot.left - x), abs(slot.right - x)) == pytest.approx(gap)
    for a, b in itertools.combinations(placed, 2):
        if a.row == b.row:
            assert a.right + PAD <= b.left or b.right + PAD <= a.left
        low, high = (a, b) if a.row < b.row else (b, a)
        if low.row < high.row:  # the higher one's leader passes the lower row
            assert not low.left - PAD < high.leader < low.right + PAD


@given(ITEMS)
def test_the_first_label_is_placed_whenever_it_fits(items):
    x, width = items[0]
    fits = x + 3 + width <= 1000 or x - 3 - width >= 0
    assert (assign_rows(items, 0.0, 1000.0, 3, 3.0)[0] is not None) == fits


def test_labels_of_one_crowded_day_give_way_and_spread_ones_climb():
    # five wide labels within 4 pixels: one each side, no leader through them, so the
    # rest (ranked lower) are left out
    slots = assign_rows([(500.0 + i, 300.0) for i in range(5)], 0, 1000, 3, 3.0)
    placed = [s for s in slots if s is not None]
    assert slots[0] is not None and len(placed) == 2
    assert {s.row for s in placed} == {0} and {s.left < s.leader for s in placed} == {True, False}
    # days 40 pixels apart: each earlier label climbs a row over the later ones
    slots = assign_rows([(100.0 + 40 * i, 300.0) for i in range(3)], 0, 1000, 3, 3.0)
    assert [s.row for s in slots] == [2, 1, 0]
