"""The command line's charts: one figure per `tariffsim plot` call, of one kind (rates,
layers, sections, attribution, fan, trade or vintages), with a panel per direction (and per
scenario for layers and sections), and the figure written as PNG, SVG or PDF bytes that
depend only on it.

Figures here are `matplotlib.figure.Figure`s, not pyplot's: nothing is kept open."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from tariffsim.charts import bands, style
from tariffsim.charts.compare import plot_compare
from tariffsim.charts.layers import plot_layers
from tariffsim.charts.rates import plot_rates, strip_states
from tariffsim.charts.sections import nice_top, plot_sections
from tariffsim.charts.threats import pending_threats
from tariffsim.tables.results import SimulationResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tariffsim.charts.vintages import Vintages
    from tariffsim.uncertainty.results import UncertainResult

KINDS = ("rates", "layers", "sections", "attribution", "fan", "trade", "vintages")
FORMATS = ("png", "svg", "pdf")
# what each backend would otherwise stamp with the time of writing
_NO_DATE: dict[str, dict[str, None]] = {
    "png": {},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None},
}


def _figure(rows: int, height: float) -> tuple[Figure, list[Axes]]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, height * rows + 1.0), layout="constrained")
    axes = fig.subplots(rows, 1, sharex=True, squeeze=False)[:, 0]
    return fig, list(axes)


def _unique_legend(fig: Figure, axes: Sequence[Axes], extra: Sequence[object] = ()) -> None:
    """One legend for the figure: every panel's entries once, then `extra`."""
    seen: dict[str, object] = {}
    for ax in axes:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            seen.setdefault(label, handle)
    handles = [*seen.values(), *extra]
    fig.legend(handles=handles, loc="outside right upper", frameon=False, fontsize=8)


def rates_figure(results: Sequence[SimulationResult]) -> Figure:
    """A panel per direction: one scenario's rates, events and non-tariff bands, or several
    scenarios' rates (headline solid, effective dashed), with one legend."""
    pairs = style.directions(results)
    fig, axes = _figure(len(pairs), 3.9 if len(results) == 1 else 3.4)
    if len(results) == 1:
        result = results[0]
        threats = pending_threats(result, pairs)
        for ax, pair in zip(axes, pairs, strict=True):
            title = style.direction_title(pair)
            plot_rates(
                result,
                ax=ax,
                direction=pair,
                legend=False,
                source=False,
                non_tariff=False,
                title=title,
            )
        key = bands.band_key(strip_states(result, pairs, threats))
        style.figure_title(fig, result.scenario.spec.title)
    else:
        for ax, pair in zip(axes, pairs, strict=True):
            plot_compare(results, ax=ax, direction=pair, column="both", legend=False, source=False)
        key = []
        names = ", ".join(r.scenario.name for r in results)
        style.figure_title(fig, f"Scenario comparison: {names}")
    _unique_legend(fig, axes, key)
    style.add_figure_source(fig, style.source_line(results))
    if len(results) == 1:
        fig.draw_without_rendering()  # laid out: the strips' rows are sized in pixels
        for ax, pair in zip(axes, pairs, strict=True):
            bands.non_tariff_strip(ax, results[0], [pair], pending_threats(results[0], [pair]))
    return fig


def _grid(
    results: Sequence[SimulationResult], height: float, draw: Callable[..., object]
) -> tuple[Figure, list[Axes]]:
    """A panel per scenario and direction, drawn by `draw(result, ax=, direction=,
    title=)`."""
    cells = [(r, pair) for r in results for pair in style.directions([r])]
    fig, axes = _figure(len(cells), height)
    for ax, (result, pair) in zip(axes, cells, strict=True):
        title = result.scenario.name if len(results) > 1 else None
        draw(result, ax=ax, direction=pair, title=title)
    title = (
        results[0].scenario.spec.title
        if len(results) == 1
        else ", ".join(r.scenario.name for r in results)
    )
    style.figure_title(fig, title)
    style.add_figure_source(fig, style.source_line(results))
    return fig, axes


def layers_figure(results: Sequence[SimulationResult]) -> Figure:
    """Each scenario's effective rate stacked by measure, a panel per direction."""
    fig, _ = _grid(results, 3.6, lambda r, **kw: plot_layers(r, source=False, **kw))
    return fig


def sections_figure(results: Sequence[SimulationResult]) -> Figure:
    """Each scenario's effective rate by HS section, a panel per direction, one colour
    scale for all."""
    top = max(float(r.by_section()["effective_rate"].max()) for r in results)
    vmax = nice_top(top)
    fig, axes = _grid(
        results,
        4.6,
        lambda r, **kw: plot_sections(r, source=False, colorbar=False, vmax=vmax, **kw),
    )
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import BoundaryNorm
    from matplotlib.ticker import FuncFormatter

    from tariffsim.charts.sections import CMAP, color_steps

    steps = color_steps(vmax)
    bar = fig.colorbar(
        ScalarMappable(BoundaryNorm(steps, 256), CMAP), ax=axes, shrink=0.6, pad=0.01, aspect=40
    )
    bar.set_ticks(steps)
    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: style.percent_text(v)))
    bar.set_label("Trade-weighted effective rate", fontsize=9)
    bar.ax.tick_params(labelsize=8)
    return fig


def attribution_figure(results: Sequence[SimulationResult], day: Any = None) -> Figure:
    """What moves the first scenario's effective rate to the second's on `day` (default:
    the last day both describe), a waterfall per direction."""
    from matplotlib.figure import Figure

    from tariffsim.charts.attribution import plot_attribution
    from tariffsim.tables.comparison import Comparison

    if len(results) != 2:
        raise ValueError(f"an attribution chart compares two scenarios, not {len(results)}")
    comparison = Comparison(*results)
    pairs = style.directions(results)
    fig = Figure(figsize=(11, 5.6 * len(pairs)), layout="constrained")
    axes = fig.subplots(len(pairs), 1, squeeze=False)[:, 0]
    when = comparison.key_day if day is None else day
    for ax, pair in zip(axes, pairs, strict=True):
        plot_attribution(comparison, when, direction=pair, ax=ax)
    return fig


def fan_figure(
    results: Sequence[SimulationResult | UncertainResult], marks: Sequence[tuple[Any, str]] = ()
) -> Figure:
    """One uncertain result (a plain one is one certain path) as a fan chart, a panel per
    direction, with `marks` (day, label): branch resolutions, deadlines."""
    from tariffsim.charts.fan import as_uncertain, fan_source, plot_fan

    if len(results) != 1:
        raise ValueError(f"a fan chart draws one scenario, not {len(results)}")
    result = as_uncertain(results[0])
    if not result.pairs:
        raise ValueError("no tariff measures in any scenario: there is no rate to plot")
    fig, axes = _figure(len(result.pairs), 3.9)
    for ax, pair in zip(axes, result.pairs, strict=True):
        title = f"{style.direction_title(pair)}: expected headline rate and its range"
        plot_fan(
            result, ax=ax, direction=pair, marks=marks, legend=False, source=False, title=title
        )
    style.figure_title(fig, result.title)
    _unique_legend(fig, axes)
    style.add_figure_source(fig, fan_source(result))
    return fig


def one_scenario_figure(
    results: Sequence[SimulationResult | UncertainResult],
    kind: str,
    vintages: Vintages | None = None,
) -> Figure:
    """A trade chart of one scenario, or its vintages (`vintages`: its runs as known on
    days; default, for a plain run: the days `charts.vintages.default_days` chooses)."""
    from tariffsim.charts.trade import trade_figure
    from tariffsim.charts.vintages import run_vintages, vintages_figure

    if len(results) != 1:
        raise ValueError(f"a {kind} chart draws one scenario, not {len(results)}")
    if kind == "trade":
        return trade_figure(results[0])
    if vintages is None:
        result = results[0]
        if not isinstance(result, SimulationResult):
            raise ValueError("give the vintages of a scenario with branches (vintages=)")
        vintages = run_vintages(result.scenario, result)
    return vintages_figure(vintages)


def scenario_figure(
    results: Sequence[SimulationResult | UncertainResult],
    kind: str = "rates",
    day: Any = None,
    marks: Sequence[tuple[Any, str]] = (),
    vintages: Vintages | None = None,
) -> Figure:
    """The CLI's chart of `kind` for the scenarios (`day`: the day an attribution chart
    explains; `marks`: the days a fan chart marks; `vintages`: the runs a vintages chart
    draws, `charts.vintages.run_vintages`). Raises ValueError for an unknown kind, a
    horizon the time axis cannot draw, no rate to plot, or an attribution of other than
    two scenarios, or a fan, trade or vintages chart of other than one."""
    if kind not in KINDS:
        raise ValueError(f"chart kind '{kind}' is not one of {', '.join(KINDS)}")
    for r in results:
        style.check_span(r.start, r.end)
    if kind in ("trade", "vintages"):
        return one_scenario_figure(results, kind, vintages)
    uncertain = [r for r in results if not isinstance(r, SimulationResult)]
    if kind == "fan" or (kind == "rates" and uncertain):  # rates of branches: expected, bands
        return fan_figure(results, marks)
    if uncertain:
        raise ValueError(f"a {kind} chart draws one path: a scenario with branches draws fan")
    style.directions(results)  # a ValueError when there is no rate to plot
    if kind == "attribution":
        return attribution_figure(results, day)
    maker = {"rates": rates_figure, "layers": layers_figure, "sections": sections_figure}[kind]
    return maker(results)


def figure_bytes(fig: Figure, fmt: str, dpi: int = 150) -> bytes:
    """The figure as PNG, SVG or PDF bytes that depend only on the figure: no time stamp,
    and SVG clip-path ids from a fixed salt instead of a random one, so the same scenario
    gives the same file on every run."""
    import matplotlib

    if fmt not in FORMATS:
        raise ValueError(f"format '{fmt}' is not one of {', '.join(FORMATS)}")
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "tariffsim"}):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=_NO_DATE[fmt])
    return buf.getvalue()
