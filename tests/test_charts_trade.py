"""plot_trade and the trade figure: what is drawn (each line's values on every day against
`result.trade`, the bands against `trade_quantiles`, titles, units, legend), not pixels."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import numpy as np
import pytest
from matplotlib.figure import Figure

import tariffsim as ts
from tariffsim.charts.figure import figure_bytes, scenario_figure
from tariffsim.charts.trade import (
    BASE_GID,
    DUTY_GID,
    DUTY_PRE_GID,
    IMPORTS_GID,
    INNER_GID,
    OUTER_GID,
    plot_trade,
    trade_figure,
)
from tariffsim.cli import main


@pytest.fixture(scope="module")
def busan():
    return ts.simulate("busan-deal")


@pytest.fixture(scope="module")
def outlook():
    return ts.simulate("nov-2025-outlook")


def of(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def daily(line, days) -> np.ndarray:
    """A post-step line's value on each of `days`."""
    xs = mdates.date2num(line.get_xdata())
    i = np.searchsorted(xs, mdates.date2num(days), side="right") - 1
    return np.asarray(line.get_ydata(), dtype=float)[i]


def rows(frame, pair=("US", "CN")):
    return frame[(frame["imposer"] == pair[0]) & (frame["target"] == pair[1])]


@pytest.mark.parametrize("pair", [("US", "CN"), ("CN", "US")])
def test_the_lines_are_the_trade_table_in_billions_on_every_day(busan, pair):
    trade = rows(busan.trade, pair)
    days = trade["date"].to_numpy()
    revenue = plot_trade(busan, ax=Figure().add_subplot(), direction=pair)
    (duty,) = of(revenue, DUTY_GID)
    (duty_pre,) = of(revenue, DUTY_PRE_GID)
    np.testing.assert_allclose(daily(duty, days), trade["duty"] / 1e9, rtol=1e-12)
    np.testing.assert_allclose(daily(duty_pre, days), trade["duty_pre"] / 1e9, rtol=1e-12)
    assert duty.get_linestyle() == "-" and duty_pre.get_linestyle() == "--"
    imports = plot_trade(busan, ax=Figure().add_subplot(), direction=pair, panel="imports")
    (line,) = of(imports, IMPORTS_GID)
    (base,) = of(imports, BASE_GID)
    np.testing.assert_allclose(daily(line, days), trade["imports"] / 1e9, rtol=1e-12)
    np.testing.assert_allclose(daily(base, days), trade["base_imports"] / 1e9, rtol=1e-12)
    assert base.get_linewidth() < line.get_linewidth()
    # the last step reaches the day after the horizon's last day
    assert line.get_xdata()[-1] == np.datetime64(busan.end) + np.timedelta64(1, "D")


def test_a_step_line_keeps_only_the_days_values_change(busan):
    ax = plot_trade(busan, ax=Figure().add_subplot(), direction="US-CN")
    (duty,) = of(ax, DUTY_GID)
    assert len(duty.get_xdata()) < 20 < len(rows(busan.trade))  # 487 days, a few changes


def test_units_titles_legend_and_source(busan):
    ax = plot_trade(busan, ax=Figure().add_subplot(), direction="US-CN")
    assert ax.get_ylabel() == "US$ billion a year"
    assert ax.get_title(loc="left") == "US duty revenue on goods from China"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "duty before substitution\n(at base-year imports)",
        "duty after substitution\n(on the responded imports)",
    ]
    assert ax.get_xlabel().startswith("Source: tariffsim, scenario 'busan-deal'; base year 2024")
    assert "elasticities US 1.3, CN 3.9" in ax.get_xlabel()
    both = plot_trade(busan, ax=Figure().add_subplot(), panel="imports", legend=False)
    assert len(of(both, IMPORTS_GID)) == 2 and both.get_legend() is None
    assert both.get_title(loc="left") == "Imports"
    with pytest.raises(ValueError, match="panel 'exports' is not one of imports, revenue"):
        plot_trade(busan, panel="exports")
    with pytest.raises(ValueError, match="the directions are: US-CN, CN-US"):
        plot_trade(busan, direction="EU-CN")


def test_the_figure_has_imports_and_revenue_per_direction(busan):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = scenario_figure([busan], "trade")
        assert figure_bytes(fig, "png", dpi=40)[:4] == b"\x89PNG"
    assert [ax.get_title(loc="left") for ax in fig.axes] == [
        "US imports from China",
        "US duty revenue on goods from China",
        "Chinese imports from the US",
        "Chinese duty revenue on goods from the US",
    ]
    assert all(ax.get_ylabel() == "US$ billion a year" for ax in fig.axes)
    assert fig.get_suptitle().endswith(": imports and duty revenue")
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()][:2] == [
        "imports in the base year (2024)",
        "imports after the response to tariffs",
    ]
    with pytest.raises(ValueError, match="a trade chart draws one scenario, not 2"):
        scenario_figure([busan, busan], "trade")


def test_a_scenario_with_branches_draws_expected_lines_and_bands(outlook):
    trade = rows(outlook.trade)
    ax = plot_trade(outlook, ax=Figure().add_subplot(), direction="US-CN")
    (duty,) = of(ax, DUTY_GID)
    np.testing.assert_allclose(daily(duty, trade["date"].to_numpy()), trade["duty"] / 1e9)
    (outer,) = of(ax, OUTER_GID)
    (inner,) = of(ax, INNER_GID)
    bands = rows(outlook.trade_quantiles)
    day = "2026-03-02"
    on = bands[bands["date"] == day].set_index("quantile")["duty"] / 1e9
    x = mdates.date2num(np.datetime64(day)) + 0.5
    (path,) = outer.get_paths()
    eps = 1e-3
    assert path.contains_point((x, on[0.05] + eps)) and path.contains_point((x, on[0.95] - eps))
    assert not path.contains_point((x, on[0.95] + eps))
    (path,) = inner.get_paths()
    assert path.contains_point((x, on[0.25] + eps)) and not path.contains_point((x, on[0.75] + eps))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "90% of probability (5–95%)"
    assert "expected duty after substitution\n(on the responded imports)" in labels
    assert "5 paths weighted by probability" in ax.get_xlabel()
    fig = trade_figure(outlook)
    assert len(fig.legends[0].get_texts()) == 6


def test_plot_kind_trade_from_the_command_line(capsys, tmp_path):
    out = tmp_path / "trade.png"
    assert main(["plot", "busan-deal", "--kind", "trade", "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert main(["plot", "busan-deal", "pre-summit", "--kind", "trade", "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "--kind: error: a trade chart draws one scenario (its imports and revenue)"
