"""Charts checked by what they show, not by pixels."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pytest

import tariffsim as ts
from tariffsim.plotting import key_events, scenario_figure


@pytest.fixture(scope="module")
def pre_summit():
    return ts.simulate("pre-summit")


def test_plot_rates_draws_both_directions_and_returns_the_axes(pre_summit):
    ax = ts.plot_rates(pre_summit)
    labels = [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert labels == ["CN on US: headline", "CN on US: trade-weighted effective",
                      "US on CN: headline", "US on CN: trade-weighted effective"]
    us = next(line for line in ax.get_lines() if line.get_label() == "US on CN: headline")
    assert np.isclose(max(us.get_ydata()), 1.79)
    assert ax.get_ylim()[0] <= 0 and min(ax.get_yticks()) == 0   # bands sit below zero


def test_non_tariff_measures_are_bands_below_zero(pre_summit):
    ax = ts.plot_rates(pre_summit, imposer="CN", target="US")
    labels = {t.get_text().strip() for t in ax.texts}
    assert {"China's expanded rare-earth and technology export controls",
            "China's special port fees on US-linked vessels"} <= labels
    spans = sum(len(pre_summit.spans(m)) for m in
                ("cn-ree-controls-2025-04", "cn-ree-controls-2025-10", "cn-port-fees"))
    assert len(ax.collections) == spans and ax.get_ylim()[0] < 0
    for band in ax.collections:     # every band lies in the strip below the zero line
        y0, y1 = band.get_paths()[0].get_extents().intervaly
        assert 0 <= y0 < y1 < 0.15


def test_events_are_marked_at_their_dates(pre_summit):
    ax = ts.plot_rates(pre_summit, imposer="US", target="CN")
    def day(x) -> str:
        x = x[0]
        return (x if hasattr(x, "strftime") else mdates.num2date(x)).strftime("%Y-%m-%d")

    marked = {day(line.get_xdata()) for line in ax.get_lines() if line.get_linestyle() == ":"}
    assert {"2025-11-01", "2025-11-10"} <= marked
    assert set(key_events(pre_summit, "US", "CN").date.dt.strftime("%Y-%m-%d")) == marked
    assert "2025-10-09" not in marked          # a Chinese measure, not on the US panel


def test_compare_uses_one_colour_per_scenario():
    results = [ts.simulate("pre-summit"), ts.simulate("busan-deal")]
    ax = ts.plot_compare(results, "US", "CN")
    solid = [line for line in ax.get_lines() if line.get_linestyle() == "-"]
    assert [line.get_label() for line in solid] == ["pre-summit: headline", "busan-deal: headline"]
    assert solid[0].get_color() != solid[1].get_color()


def test_cli_figure_has_a_panel_per_direction_us_first(pre_summit):
    fig = scenario_figure([pre_summit])
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["US tariffs on goods from CN", "CN tariffs on goods from US"]
