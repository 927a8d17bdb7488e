"""`plot_trade`: imports and duty revenue over time, in US$ billion a year. Imports: the
base year's level (a thin reference line) and imports after they respond to the tariffs
(solid). Revenue: duty at base-year imports, before any substitution (dashed), and duty
collected on the responded imports (solid). For a scenario with branches, the expected
lines with the ranges that hold 90% and 50% of the probability shaded. Drawn from the
days the values change, so a long horizon is as quick as a short one."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tariffsim.arguments import Direction, as_direction
from tariffsim.charts import style
from tariffsim.charts.rates import TITLE, put_legend
from tariffsim.tables.results import SimulationResult
from tariffsim.trade.elasticities import DEFAULTS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tariffsim.uncertainty.results import UncertainResult

BASE_GID = "tariffsim-trade-base"
IMPORTS_GID = "tariffsim-trade-imports"
DUTY_GID = "tariffsim-trade-duty"
DUTY_PRE_GID = "tariffsim-trade-duty-pre"
OUTER_GID = "tariffsim-trade-5-95"
INNER_GID = "tariffsim-trade-25-75"
PANELS = ("imports", "revenue")
PANEL_WORDS = {"imports": "Imports", "revenue": "Duty revenue"}
BILLION = 1e9
BANDS = {"05": 0.05, "25": 0.25, "75": 0.75, "95": 0.95}
OUTER_ALPHA, INNER_ALPHA = 0.13, 0.28
UNIT = "US$ billion a year"


def is_branched(result: SimulationResult | UncertainResult) -> bool:
    return not isinstance(result, SimulationResult)


def trade_table(result: SimulationResult | UncertainResult, pair: Direction) -> pd.DataFrame:
    """One direction's daily trade in $B a year, indexed by date: base_imports, imports,
    duty, duty_pre (for a result with branches: expected values) and, with branches,
    imports_05 ... duty_95, the quantile bands."""
    frame = result.trade
    mine = (frame["imposer"] == pair[0]) & (frame["target"] == pair[1])
    columns = ["base_imports", "imports", "duty", "duty_pre"]
    table = frame.loc[mine].set_index("date")[columns] / BILLION
    if is_branched(result):
        bands = result.trade_quantiles  # type: ignore[union-attr]
        bands = bands[(bands["imposer"] == pair[0]) & (bands["target"] == pair[1])]
        for column in ("imports", "duty"):
            wide = bands.pivot(index="date", columns="quantile", values=column) / BILLION
            for suffix, q in BANDS.items():
                table[f"{column}_{suffix}"] = wide[q].reindex(table.index).to_numpy()
    return table


def step_table(table: pd.DataFrame) -> pd.DataFrame:
    """The rows on which any value changes, and the last row again on the day after the
    last day: what a step line needs (the last step drawn to the end of the horizon)."""
    values = table.to_numpy()
    moved = np.r_[True, np.any(np.abs(np.diff(values, axis=0)) > 1e-9, axis=1)]
    steps = table.loc[moved]
    end = table.iloc[[-1]].copy()
    end.index = end.index + timedelta(days=1)
    return pd.concat([steps, end])


def panel_title(pair: Direction, panel: str) -> str:
    """'US imports from China' or 'US duty revenue on goods from China'."""
    imposer = style.COUNTRIES.get(pair[0], (pair[0], pair[0]))[0]
    target = style.COUNTRIES.get(pair[1], (pair[1], pair[1]))[1]
    if panel == "imports":
        return f"{imposer} imports from {target}"
    return f"{imposer} duty revenue on goods from {target}"


LABELS = {
    BASE_GID: "imports in the base year ({weights})",
    IMPORTS_GID: "imports after the response to tariffs",
    DUTY_PRE_GID: "duty before substitution\n(at base-year imports)",
    DUTY_GID: "duty after substitution\n(on the responded imports)",
    OUTER_GID: "90% of probability (5–95%)",
    INNER_GID: "50% of probability (25–75%)",
}
EXPECTED = "expected "
MAIN_STYLE = {"linewidth": 2.2}
SERIES = {  # panel: its main column and line, the reference column and line and its style
    "imports": ("imports", IMPORTS_GID, "base_imports", BASE_GID, {"linewidth": 1.0, "alpha": 0.6}),
    "revenue": ("duty", DUTY_GID, "duty_pre", DUTY_PRE_GID, {"linewidth": 1.4, "ls": "--"}),
}


def label(gid: str, weights: str, branched: bool, prefix: str = "") -> str:
    text = LABELS[gid].format(weights=weights)
    if branched and gid in (IMPORTS_GID, DUTY_GID, DUTY_PRE_GID):
        text = EXPECTED + text
    return prefix + text


def draw_panel(
    ax: Axes,
    steps: pd.DataFrame,
    pair: Direction,
    panel: str,
    *,
    weights: str,
    branched: bool,
    prefix: str = "",
) -> None:
    """One direction's lines (and bands) of one panel on `ax`."""
    color = style.direction_color(pair)
    days = steps.index.to_numpy()
    main, main_gid, other, other_gid, other_style = SERIES[panel]
    if branched:
        for (lo, hi), gid, alpha in (
            (("05", "95"), OUTER_GID, OUTER_ALPHA),
            (("25", "75"), INNER_GID, INNER_ALPHA),
        ):
            ax.fill_between(
                days,
                steps[f"{main}_{lo}"],
                steps[f"{main}_{hi}"],
                step="post",
                color=color,
                alpha=alpha,
                lw=0,
                gid=gid,
                label=label(gid, weights, branched, prefix),
            )
    ax.step(
        days,
        steps[other],
        where="post",
        color=color,
        gid=other_gid,
        label=label(other_gid, weights, branched, prefix),
        **other_style,
    )
    ax.step(
        days,
        steps[main],
        where="post",
        color=color,
        gid=main_gid,
        label=label(main_gid, weights, branched, prefix),
        **MAIN_STYLE,
    )


def billions_axis(ax: Axes, label: str | None = UNIT) -> None:
    """$B ticks (values are drawn in billions), from zero, a light grid, the label."""
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_ylim(0, max(ax.dataLim.y1, 1.0) * 1.08)
    ax.grid(True, axis="y", color="#e3e3e3", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if label:
        ax.set_ylabel(label, fontsize=9, color=style.TEXT_COLOR)
    ax.tick_params(labelsize=8, colors=style.TEXT_COLOR)


def response_note(result: SimulationResult | UncertainResult) -> str:
    """How imports respond: the scenario's own elasticities, or the published defaults."""
    run = result if isinstance(result, SimulationResult) else result.paths[0].result
    if run.scenario.spec.response is not None:
        return "imports respond to tariffs with the scenario's elasticities"
    given = ", ".join(f"{k} {v:g}" for k, v in DEFAULTS.items())
    return (
        f"imports respond to tariffs with elasticities {given} (Amiti, Redding and Weinstein 2019)"
    )


def trade_source(result: SimulationResult | UncertainResult) -> str:
    """'Source: tariffsim, scenario 'busan-deal'; base year 2024 ...;' and, on a line of its
    own, how imports respond."""
    name = result.scenario.name if isinstance(result, SimulationResult) else result.name
    paths = (
        ""
        if isinstance(result, SimulationResult)
        else f", {len(result.paths)} paths weighted by probability"
    )
    return (
        f"Source: tariffsim, scenario '{name}'{paths}; base year {result.weights} US–China "
        f"trade (US Census data);\n{response_note(result)}"
    )


def plot_trade(
    result: SimulationResult | UncertainResult,
    *,
    ax: Axes | None = None,
    direction: Any = None,
    imposer: str | None = None,
    target: str | None = None,
    panel: str = "revenue",
    legend: bool = True,
    source: bool = True,
    title: str | None = None,
) -> Axes:
    """Imports (`panel="imports"`: the base-year level thin, imports after they respond to
    the tariffs solid) or duty revenue (`panel="revenue"`: before substitution dashed,
    collected solid) over time, in US$ billion a year, as step lines. A result with
    branches draws its expected values with the 5–95% and 25–75% ranges shaded. Both
    directions on one Axes unless `direction` ("US-CN") or `imposer=`/`target=` asks for
    one. `legend` and `source` leave those parts out; `title` replaces the default. Without
    `ax`, draws on a new pyplot figure. Returns the Axes."""
    if panel not in PANELS:
        raise ValueError(f"panel '{panel}' is not one of {', '.join(PANELS)}")
    if not result.pairs:
        raise ValueError("no tariff measures in the scenario: there is no trade to plot")
    chosen = as_direction(direction, imposer=imposer, target=target, valid=result.pairs)
    pairs = [chosen] if chosen else result.pairs
    style.check_span(result.start, result.end)
    ax = style.new_axes(ax)
    for pair in pairs:
        draw_panel(
            ax,
            step_table(trade_table(result, pair)),
            pair,
            panel,
            weights=str(result.weights),
            branched=is_branched(result),
            prefix=f"{pair[0]} on {pair[1]}: " if len(pairs) > 1 else "",
        )
    billions_axis(ax)
    style.date_axis(ax)
    if legend:
        put_legend(ax, list(ax.get_legend_handles_labels()[0]))
    if source:
        style.add_source(ax, trade_source(result))
    if title is None:
        title = panel_title(pairs[0], panel) if len(pairs) == 1 else PANEL_WORDS[panel]
    ax.set_title(title, **TITLE)
    return ax


def _key(branched: bool, weights: str) -> list[Any]:
    """The figure's legend: each line and band once, in a neutral grey (the panels' colours
    are their directions', named in their titles)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    grey = style.MUTED
    lines = [
        line
        for _, main_gid, _, other_gid, other_style in SERIES.values()
        for line in ((other_gid, other_style), (main_gid, MAIN_STYLE))
    ]
    key: list[Any] = [
        Line2D([], [], color=grey, label=label(gid, weights, branched), **kw) for gid, kw in lines
    ]
    if branched:
        key += [
            Patch(color=grey, alpha=alpha * 1.6, lw=0, label=LABELS[gid])
            for gid, alpha in ((OUTER_GID, OUTER_ALPHA), (INNER_GID, INNER_ALPHA))
        ]
    return key


def trade_figure(result: SimulationResult | UncertainResult) -> Figure:
    """A row per direction (US→CN first), imports on the left and duty revenue on the
    right, one legend and the source line."""
    from matplotlib.figure import Figure

    if not result.pairs:
        raise ValueError("no tariff measures in the scenario: there is no trade to plot")
    pairs = result.pairs
    fig = Figure(figsize=(11, 3.3 * len(pairs) + 1.3), layout="constrained")
    axes = fig.subplots(len(pairs), 2, sharex=True, squeeze=False)
    for row, pair in zip(axes, pairs, strict=True):
        for ax, panel in zip(row, PANELS, strict=True):
            plot_trade(result, ax=ax, direction=pair, panel=panel, legend=False, source=False)
    title = result.scenario.spec.title if isinstance(result, SimulationResult) else result.title
    style.figure_title(fig, f"{title}: imports and duty revenue")
    fig.legend(
        handles=_key(is_branched(result), str(result.weights)),
        loc="outside right upper",
        frameon=False,
        fontsize=8,
    )
    style.add_figure_source(fig, trade_source(result))
    return fig
