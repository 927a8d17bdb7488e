"""Charts checked by what they show, not by pixels."""

from __future__ import annotations

from datetime import date

import matplotlib.dates as mdates
import numpy as np
import pytest
from helpers import measure, scenario

import tariffsim as ts
from tariffsim.plotting import scenario_figure


@pytest.fixture(scope="module")
def pre_summit():
    return ts.simulate("pre-summit")


def test_plot_rates_draws_both_directions_and_returns_the_axes(pre_summit):
    ax = ts.plot_rates(pre_summit)
    labels = [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert labels == [
        "CN on US: headline",
        "CN on US: trade-weighted effective",
        "US on CN: headline",
        "US on CN: trade-weighted effective",
    ]
    us = next(line for line in ax.get_lines() if line.get_label() == "US on CN: headline")
    assert np.isclose(max(us.get_ydata()), 1.79)
    assert ax.get_ylim()[0] <= 0 and min(ax.get_yticks()) == 0  # bands sit below zero


def test_non_tariff_measures_are_bands_below_zero(pre_summit):
    ax = ts.plot_rates(pre_summit, imposer="CN", target="US")
    labels = {t.get_text().strip() for t in ax.texts}
    assert {
        "China's expanded rare-earth and technology export controls",
        "China's special port fees on US-linked vessels",
    } <= labels
    # China's three non-tariff measures (seeds/base.yaml) are in force from 4 Apr, 9 Oct and
    # 14 Oct 2025 with no end: one band each over the horizon
    assert len(ax.collections) == 3 and ax.get_ylim()[0] < 0
    for band in ax.collections:  # every band lies in the strip below the zero line
        y0, y1 = band.get_paths()[0].get_extents().intervaly
        assert 0 <= y0 < y1 < 0.15


def _marked(ax) -> set[str]:
    """Days of the dotted event markers on an axes."""

    def day(x) -> str:
        return (x if hasattr(x, "strftime") else mdates.num2date(x)).strftime("%Y-%m-%d")

    return {day(line.get_xdata()[0]) for line in ax.get_lines() if line.get_linestyle() == ":"}


def test_events_are_marked_at_their_dates(pre_summit):
    marked = _marked(ts.plot_rates(pre_summit, imposer="US", target="CN"))
    assert {"2025-11-01", "2025-11-10"} <= marked  # the threat fires; the truce lapses
    assert "2025-10-09" not in marked  # a Chinese measure, not on the US panel


# A year with every kind of marker and band, small enough to list by hand.
TWO_SIDED = scenario(
    [
        measure("us-a", "10%", "2025-01-01", headline=True),
        measure("us-b", "20%", "2025-08-01", status="threatened"),
        {**measure("cn-a", "15%", "2025-04-01"), "imposer": "CN", "target": "US"},
        {
            **measure("cn-fees", None, "2025-02-01"),
            "imposer": "CN",
            "target": "US",
            "type": "non_tariff",
        },
        {
            **measure("cn-ctrl", None, "2025-03-15"),
            "imposer": "CN",
            "target": "US",
            "type": "non_tariff",
        },
    ],
    [
        {"kind": "set_rate", "measure": "us-a", "date": "2025-03-01", "rate": "15%"},
        {
            "id": "us-a-pause",
            "kind": "suspend",
            "measure": "us-a",
            "from": "2025-05-01",
            "until": "2025-07-01",
            "rate": "5%",
        },
        {"kind": "revoke", "measure": "cn-fees", "date": "2025-06-01"},
        {
            "id": "cn-ctrl-pause",
            "kind": "suspend",
            "measure": "cn-ctrl",
            "from": "2025-07-15",
            "until": "2025-10-01",
        },
    ],
    triggers=[
        {
            "id": "go",
            "date": "2025-08-01",
            "description": "the threat fires",
            "then": [{"kind": "impose", "measure": "us-b"}],
        }
    ],
)


def test_each_panel_marks_its_own_measures_events_and_every_trigger():
    r = ts.simulate(TWO_SIDED)
    # US: us-a starts, its rate is set, it is suspended and the suspension ends; the trigger
    assert _marked(ts.plot_rates(r, imposer="US", target="CN")) == {
        "2025-01-01",
        "2025-03-01",
        "2025-05-01",
        "2025-07-01",
        "2025-08-01",
    }
    # CN: cn-fees starts and is revoked, cn-ctrl starts, is suspended and resumes; cn-a
    # starts; the trigger (a trigger concerns both panels)
    assert _marked(ts.plot_rates(r, imposer="CN", target="US")) == {
        "2025-02-01",
        "2025-06-01",
        "2025-03-15",
        "2025-07-15",
        "2025-10-01",
        "2025-04-01",
        "2025-08-01",
    }


def test_bands_follow_each_non_tariff_measure_in_force_solid_and_suspended_pale():
    ax = ts.plot_rates(ts.simulate(TWO_SIDED), imposer="CN", target="US")
    bands = sorted(
        (
            tuple(mdates.num2date(x).date() for x in band.get_paths()[0].get_extents().intervalx),
            band.get_alpha(),
        )
        for band in ax.collections
    )
    end = date(2026, 1, 1)  # the day after the horizon
    assert bands == [
        ((date(2025, 2, 1), date(2025, 6, 1)), 0.55),  # cn-fees, revoked
        ((date(2025, 3, 15), date(2025, 7, 15)), 0.55),  # cn-ctrl
        ((date(2025, 7, 15), date(2025, 10, 1)), 0.15),  # cn-ctrl suspended
        ((date(2025, 10, 1), end), 0.55),
    ]
    assert not ts.plot_rates(ts.simulate(TWO_SIDED), imposer="US", target="CN").collections


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
