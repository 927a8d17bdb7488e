"""Rate charts checked by what they draw (lines, labels, their texts, legends, axes), not by
pixels. Placement and overlaps: test_chart_layout.py; layers and sections:
test_chart_kinds.py."""

from __future__ import annotations

import inspect
from datetime import date

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pytest
from helpers import measure, scenario
from matplotlib.backends.backend_agg import FigureCanvasAgg

import tariffsim as ts
from tariffsim.charts.bands import BAND_GID, NAME_GID
from tariffsim.charts.figure import scenario_figure
from tariffsim.charts.labels import LABEL_GID
from tariffsim.charts.rates import EVENT_LINE_GID, HORIZON_GID


@pytest.fixture(scope="module")
def pre_summit():
    return ts.simulate("pre-summit")


def render(fig):
    """Draw a figure as a PNG would be drawn (pyplot's or not): labels are placed then."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    return fig


def labels_of(ax) -> list[str]:
    """The event labels shown, as drawn."""
    render(ax.figure)
    return [t.get_text() for t in ax.texts if t.get_gid() == LABEL_GID and t.get_visible()]


def named(ax) -> list[str]:
    return [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")]


def day(x) -> str:
    """A point of a time axis (a date, a datetime64 or matplotlib's day number) as text."""
    if isinstance(x, np.datetime64):
        return str(x.astype("datetime64[D]"))
    return (x if hasattr(x, "strftime") else mdates.num2date(x)).strftime("%Y-%m-%d")


def marked(ax) -> set[str]:
    """Days of the dotted lines under the event labels shown."""
    render(ax.figure)
    return {
        day(c.get_segments()[0][0][0])
        for c in ax.collections
        if c.get_gid() == EVENT_LINE_GID and c.get_visible()
    }


# ------------------------------------------------------------------ one signature


CHARTS = [
    ts.plot_rates,
    ts.plot_compare,
    ts.plot_layers,
    ts.plot_sections,
    ts.plot_trade,
    ts.plot_vintages,
]


@pytest.mark.parametrize("chart", CHARTS, ids=lambda f: f.__name__)
def test_every_chart_takes_its_data_then_keywords_with_ax_none(chart):
    params = list(inspect.signature(chart).parameters.values())
    assert params[0].kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    rest = {p.name: p for p in params[1:]}
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in rest.values())
    assert rest["ax"].default is None
    assert {"direction", "imposer", "target"} <= set(rest)


def test_without_ax_a_chart_draws_on_a_new_pyplot_figure(pre_summit):
    before = set(plt.get_fignums())
    ax = ts.plot_rates(pre_summit, events=False)
    assert ax.figure is plt.gcf() and set(plt.get_fignums()) - before == {ax.figure.number}
    fig, given = plt.subplots()
    assert ts.plot_rates(pre_summit, ax=given, events=False) is given
    assert plt.gcf() is fig and named(given)  # drawn where asked, no figure added


def test_a_direction_is_read_one_way_and_a_wrong_one_lists_the_valid(pre_summit):
    wanted = ["US on CN: headline", "US on CN: trade-weighted effective"]
    for how in ({"direction": "us-cn"}, {"direction": "US→CN"}, {"imposer": "US"}):
        ax = ts.plot_rates(pre_summit, events=False, non_tariff=False, **how)
        assert named(ax)[:2] == wanted and "CN on US: headline" not in named(ax)
    with pytest.raises(ValueError, match="the directions are: US-CN, CN-US"):
        ts.plot_rates(pre_summit, direction="US-EU")
    with pytest.raises(ValueError, match="US-CN, CN-US"):
        ts.plot_compare([pre_summit])  # a comparison draws one direction: which?


# ------------------------------------------------------------------ plot_rates


def test_plot_rates_draws_both_directions_as_step_lines(pre_summit):
    ax = ts.plot_rates(pre_summit)
    assert named(ax) == [
        "US on CN: headline",
        "US on CN: trade-weighted effective",
        "US on CN: headline if threats are carried out",
        "CN on US: headline",
        "CN on US: trade-weighted effective",
    ]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert all(lines[n].get_drawstyle() == "steps-post" for n in named(ax))
    assert np.isclose(max(lines["US on CN: headline"].get_ydata()), 1.79)
    assert lines["US on CN: trade-weighted effective"].get_linestyle() == "--"
    # the step reaches the day after the horizon: the last day is drawn whole
    assert day(lines["CN on US: headline"].get_xdata()[-1]) == "2026-04-01"


def test_a_threat_is_drawn_dotted_until_it_fires(pre_summit):
    ax = ts.plot_rates(pre_summit, direction="US-CN")
    line = next(x for x in ax.get_lines() if x.get_label().endswith("threats are carried out"))
    assert line.get_linestyle() == ":"
    days = [day(x) for x in line.get_xdata()]
    # on record from its first dated source (11 Oct 2025) until it fires on 1 Nov 2025, at
    # the headline (55%) plus its 100%; where it fires the solid line takes over
    assert (days[0], days[-1]) == ("2025-10-11", "2025-11-01")
    assert np.allclose(line.get_ydata()[:-1], 1.55) and np.isnan(line.get_ydata()[-1])
    headline = next(x for x in ax.get_lines() if x.get_label() == "US on CN: headline")
    at = [day(x) for x in headline.get_xdata()].index("2025-11-01")
    assert np.isclose(headline.get_ydata()[at], 1.55)


def test_a_dropped_threat_stops_where_it_is_dropped():
    ax = ts.plot_rates(ts.simulate("busan-deal"), direction="US-CN")
    line = next(x for x in ax.get_lines() if x.get_label().endswith("threats are carried out"))
    assert day(line.get_xdata()[-1]) == "2025-10-30"  # revoked at Busan
    assert "30 Oct 2025: Threatened additional 100% tariff dropped" in labels_of(ax)


def test_events_are_named_from_the_scenario_never_by_id(pre_summit):
    ax = ts.plot_rates(pre_summit)
    assert labels_of(ax) == [
        "1 Nov 2025: Additional 100% tariff takes effect",
        "10 Nov 2025: Suspensions end on both sides",
        "1 Jan 2026: Section 301 four-year review (25%)",
    ]
    spec = pre_summit.scenario.spec
    ids = {x.id for x in [*spec.measures, *spec.triggers, *spec.moves] if x.id}
    assert not any(i in text for text in labels_of(ax) for i in ids)


def test_the_horizon_end_the_y_label_one_legend_with_a_band_key_and_the_source(pre_summit):
    ax = ts.plot_rates(pre_summit)
    (end,) = [c for c in ax.collections if c.get_gid() == HORIZON_GID]
    assert day(end.get_segments()[0][0][0]) == "2026-04-01"  # after the last day, 31 Mar
    assert ax.get_ylabel() == "Tariff rate"
    assert [a for a in ax.figure.get_children() if a.__class__.__name__ == "Legend"] == []
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[-3:] == [
        "Horizon ends 31 Mar 2026",
        "Non-tariff measure in force",
        "Threatened, not in force",
    ]
    assert ax.get_xlabel() == (
        "Source: tariffsim, scenario 'pre-summit'; effective rates weighted by 2024 "
        "US–China trade (US Census data)"
    )
    assert ax.get_title(loc="left") == "Pre-summit - the world as seen on 27 October 2025"


def test_parts_can_be_left_out(pre_summit):
    ax = ts.plot_rates(
        pre_summit, events=False, non_tariff=False, legend=False, source=False, title="X"
    )
    assert labels_of(ax) == [] and ax.get_legend() is None and ax.get_xlabel() == ""
    assert not [c for c in ax.collections if c.get_gid() == BAND_GID]
    assert ax.get_title(loc="left") == "X" and ax.get_ylim()[0] == 0


# A year with every kind of marker and band, small enough to list by hand.
TWO_SIDED = scenario(
    [
        {**measure("us-a", "10%", "2025-01-01", headline=True), "name": "Alpha tariff"},
        {**measure("us-b", "20%", "2025-08-01", status="threatened"), "name": "Beta threat"},
        {
            **measure("cn-a", "15%", "2025-04-01"),
            "name": "Gamma counter-tariff",
            "imposer": "CN",
            "target": "US",
        },
        {
            **measure("cn-fees", None, "2025-02-01"),
            "name": "Port fees",
            "imposer": "CN",
            "target": "US",
            "type": "non_tariff",
        },
        {
            **measure("cn-ctrl", None, "2025-03-15"),
            "name": "Export controls",
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


def test_each_direction_names_its_own_rate_moves_and_the_triggers_that_move_it():
    r = ts.simulate(TWO_SIDED)
    us = ts.plot_rates(r, direction="US-CN")
    # Alpha's rate is set, suspended (5%) and back; the threat is carried out (a threat
    # carried out outranks a rate move, so it is placed first)
    assert labels_of(us) == [
        "1 Aug 2025: Beta threat takes effect",
        "1 May 2025: Alpha tariff suspended",
        "1 Jul 2025: Alpha tariff back to 15%",
        "1 Mar 2025: Alpha tariff → 15%",
    ]
    assert marked(us) == {"2025-03-01", "2025-05-01", "2025-07-01", "2025-08-01"}
    # China: Gamma starts. The trigger moves only a US measure, so it is not China's; the
    # non-tariff measures' days are shown by their bands, not labelled
    cn = ts.plot_rates(r, direction="CN-US")
    assert labels_of(cn) == ["1 Apr 2025: Gamma counter-tariff (15%)"]
    assert marked(cn) == {"2025-04-01"}


def test_the_talks_collapse_triggers_are_named_in_their_own_direction():
    ax = ts.plot_rates(ts.simulate("talks-collapse"), direction="CN-US")
    assert labels_of(ax)[:2] == [
        "3 Nov 2025: Assumed Chinese response takes effect",
        "1 Nov 2025: China matches the US 100% within two…",
    ]


def _bands(ax):
    return sorted(
        (
            tuple(mdates.num2date(x).date() for x in band.get_paths()[0].get_extents().intervalx),
            "hatched" if band.get_hatch() else band.get_alpha(),
        )
        for band in ax.collections
        if band.get_gid() == BAND_GID
    )


def test_bands_follow_each_non_tariff_measure_solid_suspended_pale_threatened_hatched():
    r = ts.simulate(TWO_SIDED)
    ax = ts.plot_rates(r, direction="CN-US")
    end = date(2026, 1, 1)  # the day after the horizon
    assert _bands(ax) == [
        ((date(2025, 2, 1), date(2025, 6, 1)), 0.55),  # port fees, revoked
        ((date(2025, 3, 15), date(2025, 7, 15)), 0.55),  # export controls
        ((date(2025, 7, 15), date(2025, 10, 1)), 0.15),  # suspended
        ((date(2025, 10, 1), end), 0.55),
    ]
    assert {t.get_text() for t in ax.texts if t.get_gid() == NAME_GID} == {
        "Port fees",
        "Export controls",
    }
    # the Beta threat is outside the headline: a hatched band until it is carried out
    us = ts.plot_rates(r, direction="US-CN")
    assert _bands(us) == [((date(2025, 1, 1), date(2025, 8, 1)), "hatched")]


def test_non_tariff_bands_lie_in_a_strip_below_zero(pre_summit):
    ax = ts.plot_rates(pre_summit, direction="CN-US")
    assert {t.get_text() for t in ax.texts if t.get_gid() == NAME_GID} == {
        "China's export licensing of seven medium and heavy rare earths",
        "China's expanded rare-earth and technology export controls",
        "China's special port fees on US-linked vessels",
    }
    bands = [c for c in ax.collections if c.get_gid() == BAND_GID]
    assert len(bands) == 3 and ax.get_ylim()[0] < 0 and min(ax.get_yticks()) == 0
    zero = ax.transAxes.inverted().transform(ax.transData.transform((0, 0)))[1]
    for band in bands:  # axes fraction: every band lies between the bottom and zero
        y0, y1 = band.get_paths()[0].get_extents().intervaly
        assert 0 <= y0 < y1 < zero


# ------------------------------------------------------------------ plot_compare


def test_compare_column_chooses_what_is_drawn():
    results = [ts.simulate("pre-summit"), ts.simulate("busan-deal")]
    for column, other in (("headline_rate", "effective_rate"), ("effective_rate", "headline_rate")):
        ax = ts.plot_compare(results, direction="US-CN", column=column)
        assert named(ax) == ["pre-summit", "busan-deal"]
        for result, line in zip(results, ax.get_lines()[:2], strict=True):
            changes = result.changes.query("imposer == 'US'")
            assert np.allclose(line.get_ydata()[:-1], changes[column])
            assert not np.allclose(line.get_ydata()[:-1], changes[other])
    both = ts.plot_compare(results, direction="US-CN", column="both")
    assert named(both) == [
        "pre-summit: headline",
        "pre-summit: effective",
        "busan-deal: headline",
        "busan-deal: effective",
    ]
    with pytest.raises(ValueError, match="column 'rate' is not one of headline_rate"):
        ts.plot_compare(results, direction="US-CN", column="rate")


def test_compare_uses_one_colour_per_scenario_and_marks_the_horizon():
    results = [ts.simulate("pre-summit"), ts.simulate("busan-deal")]
    ax = ts.plot_compare(results, imposer="US", target="CN")
    solid = [line for line in ax.get_lines() if line.get_linestyle() == "-"]
    assert [line.get_label() for line in solid] == ["pre-summit", "busan-deal"]
    assert solid[0].get_color() != solid[1].get_color()
    ends = [day(c.get_segments()[0][0][0]) for c in ax.collections if c.get_gid() == HORIZON_GID]
    assert sorted(ends) == ["2026-04-01", "2027-01-01"]
    assert ax.get_title(loc="left") == "US tariffs on goods from China"


# ------------------------------------------------------------------ the CLI's figure


def test_cli_figure_has_a_panel_per_direction_us_first_and_one_legend(pre_summit):
    fig = render(scenario_figure([pre_summit]))
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == ["US tariffs on goods from China", "Chinese tariffs on goods from the US"]
    assert len(fig.legends) == 1 and all(ax.get_legend() is None for ax in fig.axes)
    entries = [t.get_text() for t in fig.legends[0].get_texts()]
    assert len(entries) == len(set(entries)) and "Non-tariff measure in force" in entries
    assert fig.get_suptitle() == pre_summit.scenario.spec.title
    assert fig.get_supxlabel().startswith("Source: tariffsim, scenario 'pre-summit'")
