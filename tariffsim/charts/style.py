"""What every chart shares: colours, the percent axis, titles in words, the source line,
the days a time axis can show, and where a chart draws when no Axes is given (a pyplot
figure, so that it shows in a notebook as pandas' charts do)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from tariffsim.arguments import Direction, as_direction, direction_order
from tariffsim.scenario.values import FIRST_DAY, LAST_DAY

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tariffsim.tables.results import SimulationResult

DIRECTION_COLORS = {("US", "CN"): "#c0392b", ("CN", "US"): "#1f5fa8"}
OTHER_DIRECTION = "#555555"
# scenarios compared: the first (often the baseline) dark grey, the others in colours that
# are not the directions' red and blue
SCENARIO_COLORS = ["#3d3d3d", "#e08214", "#1b9e77", "#7570b3", "#b8860b", "#d95f8e"]
# layers of a stack: muted, told apart side by side; MFN and "other" are greys
LAYER_COLORS = [
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#86bcb6",
]
MFN_COLOR = "#d0d0d0"
OTHER_COLOR = "#8c8c8c"
TEXT_COLOR = "#222222"
MUTED = "#5a5a5a"
# the days a chart's time axis may span: the scenario language's date bounds, well inside
# what matplotlib's date axis can pad and label (years 1 to 9999)
CHART_DAYS = (FIRST_DAY, LAST_DAY)
COUNTRIES = {"US": ("US", "the US"), "CN": ("Chinese", "China")}  # adjective, noun
DATA_NOTE = "effective rates weighted by {weights} US–China trade (US Census data)"


def check_span(start: date, end: date) -> None:
    """Refuse, at once, a horizon the time axis cannot draw (ValueError)."""
    lo, hi = CHART_DAYS
    if start < lo or end > hi:
        raise ValueError(
            f"cannot chart {start.isoformat()} to {end.isoformat()}: charts "
            f"cover {lo.isoformat()} to {hi.isoformat()}"
        )


def direction_color(pair: Direction) -> str:
    return DIRECTION_COLORS.get(pair, OTHER_DIRECTION)


def direction_title(pair: Direction) -> str:
    """'US tariffs on goods from China': a direction as a reader says it."""
    imposer = COUNTRIES.get(pair[0], (pair[0], pair[0]))[0]
    target = COUNTRIES.get(pair[1], (pair[1], pair[1]))[1]
    return f"{imposer} tariffs on goods from {target}"


def directions(
    results: Iterable[SimulationResult],
    direction: Any = None,
    imposer: str | None = None,
    target: str | None = None,
) -> list[Direction]:
    """The directions a chart draws: the one asked for (`arguments.as_direction`, a
    ValueError listing the valid ones otherwise), or every direction, US→CN first."""
    valid = direction_order((d.imposer, d.target) for r in results for d in r.directions)
    if not valid:
        raise ValueError("no tariff measures in any scenario: there is no rate to plot")
    pair = as_direction(direction, imposer=imposer, target=target, valid=valid)
    return valid if pair is None else [pair]


def one_direction(
    results: Sequence[SimulationResult],
    direction: Any = None,
    imposer: str | None = None,
    target: str | None = None,
) -> Direction:
    """The one direction a chart of one direction draws; without one asked for, the only
    direction there is, else a ValueError listing them."""
    pairs = directions(results, direction, imposer, target)
    if len(pairs) > 1:
        listed = ", ".join(f"{a}-{b}" for a, b in pairs)
        raise ValueError(f"this chart draws one direction: give direction= one of {listed}")
    return pairs[0]


def new_axes(ax: Axes | None, size: tuple[float, float] = (11, 6.2)) -> Axes:
    """`ax`, or the Axes of a new pyplot figure (shown in a notebook, as pandas does)."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=size, layout="constrained")
    return new


def new_panels(
    count: int, ax: Axes | Sequence[Axes] | None, size: tuple[float, float]
) -> list[Axes]:
    """`count` Axes, one per panel: those given in `ax`, or a new pyplot figure's."""
    if ax is not None:
        given = list(np.ravel(np.asarray(ax, dtype=object)))
        if len(given) != count:
            raise ValueError(
                f"this chart draws {count} panel(s) here but {len(given)} Axes were given; "
                "pass one Axes per direction, or choose one with direction="
            )
        return given
    import matplotlib.pyplot as plt

    _, axes = plt.subplots(count, 1, figsize=size, layout="constrained", squeeze=False)
    return list(axes[:, 0])


def date_axis(ax: Axes) -> None:
    """Dates as a reader writes them: months within a year, the year where it turns."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def root_figure(ax: Axes) -> Figure:
    """The figure an Axes is drawn in (through any subfigures)."""
    return ax.figure.figure  # type: ignore[return-value]


def percent_axis(ax: Axes, label: str | None = "Tariff rate", *, bottom: bool = True) -> None:
    """Percent ticks (rates are fractions), a light grid and the y-axis label."""
    from matplotlib.ticker import PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    if bottom:
        ax.set_ylim(bottom=0)
    ax.grid(True, axis="y", color="#e3e3e3", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if label:
        ax.set_ylabel(label, fontsize=9, color=TEXT_COLOR)
    ax.tick_params(labelsize=8, colors=TEXT_COLOR)


def source_line(results: Sequence[SimulationResult]) -> str:
    """'Source: tariffsim, scenario 'busan-deal'; effective rates weighted by 2024 ...'."""
    names = ", ".join(f"'{r.scenario.name}'" for r in results)
    weights = " and ".join(dict.fromkeys(str(r.weights) for r in results))
    noun = "scenario" if len(results) == 1 else "scenarios"
    return f"Source: tariffsim, {noun} {names}; " + DATA_NOTE.format(weights=weights)


def add_source(ax: Axes, text: str) -> None:
    """The source line under an Axes, left-aligned below its tick labels."""
    ax.set_xlabel(text, loc="left", fontsize=7, color=MUTED, labelpad=6)


def add_figure_source(fig: Figure, text: str) -> None:
    """The source line at the foot of a figure, left-aligned."""
    fig.supxlabel(text, x=0.01, ha="left", fontsize=7.5, color=MUTED)


def figure_title(fig: Figure, text: str) -> None:
    """A figure's title, left-aligned above its panels."""
    fig.suptitle(text, x=0.01, ha="left", fontsize=12, color=TEXT_COLOR)


def percent_text(rate: float) -> str:
    """0.075 → '7.5%', 1.0 → '100%'."""
    return f"{rate * 100:.4g}%"
