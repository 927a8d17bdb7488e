"""plot_fan: what is drawn (band polygons' extent on a day, the expected line's values, the
paths' alphas, marks, labels), not pixels. Expected values by hand: pre-summit (no deal,
40%: US→CN headline 155% on 5 Nov 2025) against its deal variant (60%: 55%)."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import numpy as np
import pytest
from synthetic.measures import DEAL

import tariffsim as ts
from tariffsim.charts.fan import (
    EXPECTED_GID,
    INNER_GID,
    MARK_GID,
    OUTER_GID,
    PATH_GID,
    plot_fan,
)
from tariffsim.charts.figure import figure_bytes, scenario_figure
from tariffsim.cli import main
from tariffsim.uncertainty.results import UncertainResult


@pytest.fixture(scope="module")
def outlook():
    return UncertainResult(
        [
            (0.6, "deal", (("deal", "deal-reached"),), ts.simulate(ts.scenario_from_dict(DEAL))),
            (0.4, "no deal", (("deal", "no-deal"),), ts.simulate("pre-summit")),
        ],
        title="Deal or no deal",
        name="deal-or-not",
    )


def of(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def extent(collection, day: str, lo: float, hi: float) -> list[bool]:
    """Whether the band covers just inside and just outside [lo, hi] at noon on `day`."""
    (path,) = collection.get_paths()
    x = mdates.date2num(np.datetime64(day)) + 0.5
    eps = 1e-3
    points = [(x, lo + eps), (x, hi - eps), (x, lo - eps), (x, hi + eps)]
    return [bool(path.contains_point(p)) for p in points]


def value_on(line, day: str) -> float:
    """A post-step line's value on `day`."""
    xs = mdates.date2num(line.get_xdata())
    i = np.searchsorted(xs, mdates.date2num(np.datetime64(day)), side="right") - 1
    return float(line.get_ydata()[i])


def test_the_bands_and_expected_line_are_the_quantiles_and_the_mean(outlook):
    ax = plot_fan(outlook, direction="US-CN", marks=[("2025-10-30", "deal decided")])
    (outer,) = of(ax, OUTER_GID)
    (inner,) = of(ax, INNER_GID)
    # 5 Nov: 5% quantile 55%, 95% quantile 155%; the 25–75% range too (60% sits at 55%)
    assert extent(outer, "2025-11-05", 0.55, 1.55) == [True, True, False, False]
    assert extent(inner, "2025-11-05", 0.55, 1.55) == [True, True, False, False]
    # 10 Nov on: 79% and 179%
    assert extent(outer, "2026-02-01", 0.79, 1.79) == [True, True, False, False]
    (expected,) = of(ax, EXPECTED_GID)
    assert value_on(expected, "2025-10-31") == pytest.approx(0.55)
    assert value_on(expected, "2025-11-05") == pytest.approx(0.95)  # 0.6 × 55 + 0.4 × 155
    assert value_on(expected, "2025-11-10") == pytest.approx(1.19)  # 0.6 × 79 + 0.4 × 179
    paths = of(ax, PATH_GID)
    assert [round(p.get_alpha(), 2) for p in paths] == [0.51, 0.39]  # 0.15 + 0.6 × p
    assert [value_on(p, "2025-11-05") for p in paths] == pytest.approx([0.55, 1.55])
    assert len(of(ax, MARK_GID)) == 1
    assert ax.get_ylabel() == "Headline tariff rate"
    assert ax.get_title(loc="left") == "Deal or no deal"
    assert ax.get_xlabel().startswith("Source: tariffsim, scenario 'deal-or-not', 2 paths")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "US on CN: 90% of probability (5–95%)",
        "US on CN: 50% of probability (25–75%)",
        "US on CN: expected headline rate",
    ]
    texts = {t.get_text() for t in ax.texts}
    assert {"deal 60%", "no deal 40%"} <= texts


def test_both_directions_and_the_effective_column(outlook):
    ax = plot_fan(outlook, column="effective_rate", paths=False, legend=False, source=False)
    assert len(of(ax, EXPECTED_GID)) == 2 and of(ax, PATH_GID) == []
    assert ax.get_ylabel() == "Trade-weighted effective tariff rate" and ax.get_legend() is None
    with pytest.raises(ValueError, match="not a rate column"):
        plot_fan(outlook, column="rate")
    with pytest.raises(ValueError, match="the directions are: US-CN, CN-US"):
        plot_fan(outlook, direction="EU-CN")


def test_the_fan_figure_has_a_panel_per_direction(outlook):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = scenario_figure([outlook], "fan", marks=[("2025-11-10", "truce lapses")])
        assert figure_bytes(fig, "png", dpi=40)[:4] == b"\x89PNG"
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    assert titles == [
        "US tariffs on goods from China: expected headline rate and its range",
        "Chinese tariffs on goods from the US: expected headline rate and its range",
    ]
    with pytest.raises(ValueError, match="a fan chart draws one scenario, not 2"):
        scenario_figure([outlook, outlook], "fan")


def test_plot_kind_fan_from_the_command_line(capsys, tmp_path):
    out = tmp_path / "fan.svg"
    assert main(["plot", "pre-summit", "--kind", "fan", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"<?xml")
    assert main(["plot", "pre-summit", "busan-deal", "--kind", "fan", "-o", str(out)]) == 1
    assert "a fan chart draws one scenario" in capsys.readouterr().err
