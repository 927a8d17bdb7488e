"""plot_vintages, the days it chooses, and `plot --as-of`: what is drawn (each vintage's line
from its day on, its dot, its values against its own run), not pixels. The acceptance by
hand: `history` as known on 27 Oct 2025 puts the US headline on China at 55% that day and
155% on 1 Nov 2025 (the 100% threat of 10 Oct fires), where the full scenario has 55%."""

from __future__ import annotations

import warnings
from datetime import date

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import numpy as np
import pytest
from helpers import measure, scenario
from matplotlib.figure import Figure

from tariffsim.charts.figure import figure_bytes, scenario_figure
from tariffsim.charts.vintages import (
    ACTUAL_GID,
    ANNOUNCED_NOTE,
    DOT_GID,
    EVE_NOTE,
    VINTAGE_GID,
    announced_days,
    default_days,
    plot_vintages,
    thin,
    vintages,
)
from tariffsim.cli import main

DAYS = ["2025-04-03", "2025-05-12", "2025-10-27"]


@pytest.fixture(scope="module")
def history():
    return vintages("history", DAYS, "2025-01-01", "2026-03-31")


def of(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def value_on(line, day: str) -> float:
    xs = mdates.date2num(line.get_xdata())
    i = np.searchsorted(xs, mdates.date2num(np.datetime64(day)), side="right") - 1
    return float(line.get_ydata()[i])


def first_day(line) -> date:
    return np.datetime64(line.get_xdata()[0], "D").item()


def test_each_vintage_starts_on_its_day_with_a_dot(history):
    ax = plot_vintages(history, ax=Figure().add_subplot(), direction="US-CN")
    lines = of(ax, VINTAGE_GID)
    assert [first_day(line) for line in lines] == [date.fromisoformat(d) for d in DAYS]
    dots = of(ax, DOT_GID)
    assert [first_day(d) for d in dots] == [first_day(line) for line in lines]
    assert [d.get_ydata()[0] for d in dots] == [line.get_ydata()[0] for line in lines]
    (actual,) = of(ax, ACTUAL_GID)
    assert first_day(actual) == date(2025, 1, 1)
    assert actual.get_linewidth() > max(line.get_linewidth() for line in lines)


def test_history_as_known_on_27_october_2025_shows_155_percent_on_1_november(history):
    ax = plot_vintages(history, ax=Figure().add_subplot(), direction="US-CN")
    october = of(ax, VINTAGE_GID)[2]
    assert october.get_label() == "as known on 27 Oct 2025"
    assert value_on(october, "2025-10-27") == pytest.approx(0.55)
    assert value_on(october, "2025-11-01") == pytest.approx(1.55)
    (actual,) = of(ax, ACTUAL_GID)
    assert value_on(actual, "2025-11-01") == pytest.approx(0.55)
    # each vintage is its own run's headline rate
    _, run = history.runs[0]
    expected = run.at("2026-03-31")
    assert value_on(of(ax, VINTAGE_GID)[0], "2026-03-31") == pytest.approx(
        float(expected.loc[expected["imposer"] == "US", "headline_rate"].iloc[0])
    )


def test_the_figure_has_a_panel_per_direction_and_one_legend(history):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = scenario_figure([history.actual], "vintages", vintages=history)
        assert figure_bytes(fig, "png", dpi=40)[:4] == b"\x89PNG"
    assert [ax.get_title(loc="left") for ax in fig.axes] == [
        "US tariffs on goods from China: headline rate as known on each day",
        "Chinese tariffs on goods from the US: headline rate as known on each day",
    ]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "the full scenario (every announcement)",
        "as known on 3 Apr 2025",
        "as known on 12 May 2025",
        "as known on 27 Oct 2025",
    ]
    assert "Days shown" not in fig.get_supxlabel()  # days given: the legend names them


def test_without_days_the_announcements_made_ahead_are_drawn_and_named():
    v = vintages("busan-deal")
    # the 100% threat (10 Oct), the Section 232 trucks (17 Oct), the fentanyl cut (30 Oct),
    # the US suspensions (1 Nov) and China's side of the deal (5 Nov), all announced ahead
    ahead = [date(2025, 10, 10), date(2025, 10, 17), date(2025, 10, 30)]
    assert [d for d, _ in v.runs] == [*ahead, date(2025, 11, 1), date(2025, 11, 5)]
    assert v.chosen == ANNOUNCED_NOTE
    ax = plot_vintages(v, ax=Figure().add_subplot(), direction="US-CN", legend=False)
    assert ax.get_xlabel().endswith("Days shown: " + ANNOUNCED_NOTE)


def test_default_days_fall_back_to_the_eve_of_each_headline_change():
    moves = [
        {"kind": "set_rate", "measure": "a", "date": f"2025-{m:02d}-01", "rate": f"{m}%"}
        for m in range(2, 12)
    ]
    plain = scenario([measure("a", headline=True)], moves)
    assert announced_days(plain, date(2025, 1, 1), date(2025, 12, 31)) == []
    v = vintages(plain)
    days, note = default_days(plain, v.actual)
    assert note == EVE_NOTE and len(days) == 6
    assert days[0] == date(2025, 1, 31) and days[-1] == date(2025, 10, 31)
    ahead = scenario(
        [measure("a", headline=True), measure("b", start="2025-06-01", announced="2025-03-15")]
    )
    assert announced_days(ahead, date(2025, 1, 1), date(2025, 12, 31)) == [date(2025, 3, 15)]
    assert announced_days(ahead, date(2025, 4, 1), date(2025, 12, 31)) == []


def test_thin_keeps_at_most_six_evenly_with_the_first_and_last():
    days = [date(2025, 1, d) for d in range(1, 21)]
    kept = thin(days)
    assert len(kept) == 6 and kept[0] == days[0] and kept[-1] == days[-1]
    assert thin(days[:4]) == days[:4]


def test_a_scenario_with_branches_draws_expected_paths():
    v = vintages("nov-2025-outlook", ["2025-10-10"])
    ax = plot_vintages(v, ax=Figure().add_subplot(), direction="US-CN")
    (line,) = of(ax, VINTAGE_GID)
    run = v.runs[0][1]
    expected = run.expected(("US", "CN"), "headline_rate")
    assert value_on(line, "2026-03-02") == pytest.approx(
        expected[(date(2026, 3, 2) - run.start).days]
    )
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "the full scenario's expected path (every announcement)"
    assert "expected paths over its branches" in ax.get_xlabel()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        (["2025-13-01"], "--as-of: error: '2025-13-01' is not a real date"),
        (["soon"], "--as-of: error: 'soon' is not a date; write YYYY-MM-DD"),
        (["2019-01-01"], "--as-of: error: 2019-01-01 is outside the simulated days"),
    ],
)
def test_a_bad_as_of_is_one_line_naming_it(capsys, tmp_path, as_of, message):
    out = tmp_path / "v.png"
    flags = [x for day in as_of for x in ("--as-of", day)]
    argv = ["plot", "history", "--kind", "vintages", "--start", "2025-01-01", "-o", str(out)]
    code, text, err = run(capsys, *argv, *flags)
    assert code == 1 and text == "" and err.splitlines()[0].startswith(message)
    assert not out.exists()


def test_as_of_more_than_once_is_for_vintages_only(capsys, tmp_path):
    out = tmp_path / "r.png"
    argv = ["plot", "history", "--as-of", "2025-10-27", "--as-of", "2025-11-01", "-o", str(out)]
    code, _, err = run(capsys, *argv)
    assert code == 1 and err.splitlines()[0] == (
        "--as-of: error: a rates chart draws the scenario as known on one day: give --as-of "
        "once, or compare days with --kind vintages"
    )
    code, _, err = run(capsys, "plot", "history", "--as-of", "2010-01-01", "-o", str(out))
    assert code == 1 and err.splitlines()[0] == (
        "--as-of: error: no tariff of history was known on 2010-01-01: there is no rate to plot"
    )
    assert not out.exists()


def test_plot_kind_vintages_from_the_command_line(capsys, tmp_path):
    out = tmp_path / "vintages.png"
    argv = ["plot", "history", "--kind", "vintages", "--start", "2025-01-01", "-o", str(out)]
    code, text, _ = run(capsys, *argv, "--as-of", "2025-10-27", "--as-of", "2025-05-12")
    assert code == 0 and text.strip() == f"wrote {out}" and out.read_bytes()[:4] == b"\x89PNG"


def test_as_of_once_draws_the_scenario_as_known_that_day(capsys, tmp_path, monkeypatch):
    import tariffsim.charts.figure as figure

    drawn = []

    def spy(results, *args):
        drawn.extend(results)
        return real(results, *args)

    real = figure.scenario_figure
    monkeypatch.setattr(figure, "scenario_figure", spy)
    out = tmp_path / "known.png"
    argv = ["plot", "busan-deal", "--kind", "trade", "--start", "2025-10-01", "-o", str(out)]
    assert run(capsys, *argv, "--as-of", "2025-10-27")[0] == 0 and out.exists()
    (result,) = drawn
    assert result.scenario.spec.title.endswith("(as known on 2025-10-27)")
    assert (result.start, result.end) == (date(2025, 10, 1), date(2026, 12, 31))
    rates = result.at("2025-11-01")
    assert rates.loc[rates["imposer"] == "US", "headline_rate"].iloc[0] == pytest.approx(1.55)


def test_the_examples_in_plot_help_parse(capsys):
    from tariffsim.cli.parser import PLOT_EXAMPLES, build_parser

    with pytest.raises(SystemExit):
        main(["plot", "--help"])
    assert PLOT_EXAMPLES.strip() in capsys.readouterr().out
    lines = [line.split()[1:] for line in PLOT_EXAMPLES.splitlines() if "tariffsim" in line]
    assert len(lines) == 5 and {"trade", "vintages"} <= {x for line in lines for x in line}
    for argv in lines:
        build_parser().parse_args(argv)  # a usage error would exit
