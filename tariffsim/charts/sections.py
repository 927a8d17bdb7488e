"""`plot_sections`: the trade-weighted effective rate of each HS section over time, as a
heatmap (sections down, time across, a colour bar in percent), from `result.by_section()`
at the change points."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tariffsim.arguments import Direction
from tariffsim.charts import style

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.collections import QuadMesh

    from tariffsim.tables.results import SimulationResult

CMAP = "YlOrRd"
# colour steps: fine where most rates are, coarse up where only spikes reach
STEPS = (0.0, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
MESH_GID = "tariffsim-sections"


def section_table(result: SimulationResult, pair: Direction) -> pd.DataFrame:
    """Sections × change days of one direction's effective rate, sections in HS order,
    labelled 'XVI Machinery and electrical equipment (31%)' (their share of trade)."""
    rows = result.by_section()
    rows = rows[(rows["imposer"] == pair[0]) & (rows["target"] == pair[1])]
    label = (
        rows["section"] + "  " + rows["name"] + rows["trade_share"].map(lambda s: f" ({_share(s)})")
    )
    table = rows.assign(label=label).pivot_table(
        index="label", columns="date", values="effective_rate", sort=False
    )
    return table.sort_index(axis=1)


def _share(share: float) -> str:
    return "<0.1%" if share < 0.001 else f"{share * 100:.1f}%" if share < 0.1 else f"{share:.0%}"


def nice_top(value: float) -> float:
    """The colour scale's top: the highest rate, rounded up to the next colour step."""
    return next((b for b in STEPS if b >= value - 1e-9 and b > 0), float(np.ceil(value)))


def color_steps(vmax: float) -> list[float]:
    """The bounds of the colour steps up to `vmax`."""
    return [b for b in STEPS if b < vmax] + [vmax]


def _mesh(ax: Axes, result: SimulationResult, pair: Direction, vmax: float, cmap: str) -> QuadMesh:
    import matplotlib.dates as mdates
    from matplotlib.colors import BoundaryNorm

    table = section_table(result, pair)
    days = [*table.columns, pd.Timestamp(result.end + timedelta(days=1))]
    edges = mdates.date2num(np.array(days, dtype="datetime64[D]"))
    mesh = ax.pcolormesh(
        edges,
        np.arange(len(table) + 1),
        table.to_numpy(),
        cmap=cmap,
        norm=BoundaryNorm(color_steps(vmax), 256),
        shading="flat",
        edgecolors="face",
        linewidth=0.0,
        gid=MESH_GID,
    )
    ax.xaxis_date()
    style.date_axis(ax)
    ax.set_yticks(np.arange(len(table)) + 0.5, list(table.index), fontsize=7.5)
    ax.set_ylim(len(table), 0)  # section I at the top
    ax.tick_params(axis="y", length=0)
    ax.tick_params(axis="x", labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return mesh


def plot_sections(
    result: SimulationResult,
    *,
    ax: Axes | Sequence[Axes] | None = None,
    direction: Any = None,
    imposer: str | None = None,
    target: str | None = None,
    vmax: float | None = None,
    cmap: str = CMAP,
    colorbar: bool = True,
    source: bool = True,
    title: str | None = None,
) -> Any:
    """The trade-weighted effective rate of each HS section over time, as a heatmap:
    sections (with their share of trade) down, time across, one colour bar in percent
    (from 0 to `vmax`, by default the highest rate drawn). One direction on one Axes, or
    every direction as panels sharing the colour scale (one Axes each, given in `ax` or
    made on a new pyplot figure). Returns the Axes, or an array of them for panels."""
    from matplotlib.ticker import FuncFormatter

    pairs = style.directions([result], direction, imposer, target)
    style.check_span(result.start, result.end)
    axes = (
        [style.new_axes(ax, (11, 6))]  # type: ignore[arg-type]
        if len(pairs) == 1 and (ax is None or not isinstance(ax, Sequence | np.ndarray))
        else style.new_panels(len(pairs), ax, (11, 5.2 * len(pairs)))
    )
    if vmax is None:
        rates = result.by_section()
        chosen = rates[
            [(i, t) in pairs for i, t in zip(rates["imposer"], rates["target"], strict=True)]
        ]
        vmax = nice_top(float(chosen["effective_rate"].max()))
    for i, (panel, pair) in enumerate(zip(axes, pairs, strict=True)):
        mesh = _mesh(panel, result, pair, vmax, cmap)
        heading = f"{style.direction_title(pair)}: effective rate by HS section"
        if title is not None:
            heading = title if len(pairs) == 1 else f"{title}: {heading}"
        panel.set_title(heading, loc="left", fontsize=10.5, color=style.TEXT_COLOR)
        if source and i == len(pairs) - 1:
            style.add_source(panel, style.source_line([result]))
    if colorbar:
        bar = style.root_figure(axes[0]).colorbar(
            mesh, ax=axes, shrink=0.9, pad=0.015, spacing="uniform"
        )
        bar.set_ticks(color_steps(vmax))
        bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: style.percent_text(v)))
        bar.set_label("Trade-weighted effective rate", fontsize=9)
        bar.ax.tick_params(labelsize=8)
    if ax is None:
        style.figure_title(style.root_figure(axes[0]), result.scenario.spec.title)
    return axes[0] if len(axes) == 1 else np.array(axes, dtype=object)
