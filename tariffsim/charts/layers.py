"""`plot_layers`: the trade-weighted effective rate stacked by measure over time, MFN at the
bottom, from `result.layers` (each layer's contribution; they sum to the effective rate).
The measures that contribute most are named; the rest share one grey layer on top."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tariffsim.arguments import Direction
from tariffsim.charts import style
from tariffsim.charts.events import legend_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tariffsim.tables.results import SimulationResult

LAYER_GID = "tariffsim-layer"
TOTAL_GID = "tariffsim-total"


def contributions(result: SimulationResult, pair: Direction) -> pd.DataFrame:
    """One direction's contribution of each layer on every change day, plus the day after
    the horizon (what a step area needs): days × layers ('mfn' first), 0 where a layer is
    not in force."""
    layers = result.layers
    layers = layers[(layers["imposer"] == pair[0]) & (layers["target"] == pair[1])]
    change_days = result.changes["date"].unique()
    table = (
        layers[layers["date"].isin(change_days)]
        .pivot_table(index="date", columns="measure", values="contribution", sort=False)
        .fillna(0.0)
        .sort_index()
    )
    last = table.iloc[[-1]].set_axis([pd.Timestamp(result.end + timedelta(days=1))])
    table = pd.concat([table, last])
    return table[["mfn", *[c for c in table.columns if c != "mfn"]]]


def _stack_order(table: pd.DataFrame, top: int) -> tuple[list[str], list[str]]:
    """The measures named (the `top` largest at their peak, stacked in the order they
    first apply) and the rest."""
    measures = [c for c in table.columns if c != "mfn"]
    peaks = table[measures].max().sort_values(ascending=False, kind="stable")
    named = set(peaks.index[:top][peaks.iloc[:top] > 0])
    first = {m: table.index[np.argmax(table[m].to_numpy() > 0)] for m in measures}
    ordered = sorted(named, key=lambda m: (first[m], measures.index(m)))
    return ordered, [m for m in measures if m not in named]


def _draw_stack(ax: Axes, result: SimulationResult, pair: Direction, top: int) -> None:
    table = contributions(result, pair)
    named, rest = _stack_order(table, top)
    names = {x.id: x.name for x in result.scenario.spec.measures}
    layers = [("mfn", "MFN (most-favoured-nation duty)", style.MFN_COLOR, table["mfn"])]
    for i, m in enumerate(named):
        color = style.LAYER_COLORS[i % len(style.LAYER_COLORS)]
        layers.append((m, legend_name(names.get(m, m)), color, table[m]))
    if rest and table[rest].to_numpy().any():
        label = f"Other measures ({len(rest)})"
        layers.append(("other", label, style.OTHER_COLOR, table[rest].sum(axis=1)))
    x = table.index.to_numpy()
    base = np.zeros(len(table))
    for measure, label, color, values in layers:
        ax.fill_between(
            x,
            base,
            base + values.to_numpy(),
            step="post",
            facecolor=color,
            edgecolor="white",
            linewidth=0.3,
            label=label,
            gid=f"{LAYER_GID}:{measure}",
        )
        base = base + values.to_numpy()
    ax.step(
        x, base, where="post", color="#222222", linewidth=1.0, label="Effective rate", gid=TOTAL_GID
    )


def plot_layers(
    result: SimulationResult,
    *,
    ax: Axes | Sequence[Axes] | None = None,
    direction: Any = None,
    imposer: str | None = None,
    target: str | None = None,
    top: int = 8,
    legend: bool = True,
    source: bool = True,
    title: str | None = None,
) -> Any:
    """The trade-weighted effective rate stacked by measure over time: MFN at the bottom,
    then the `top` measures that contribute most (in the order they started), the rest as
    one grey layer; the stack's top is the effective rate. One direction (`direction`
    "US-CN" or `imposer=`/`target=`) on one Axes, or every direction as panels (one Axes
    each, given in `ax` or made on a new pyplot figure). Returns the Axes, or an array of
    them for panels."""
    pairs = style.directions([result], direction, imposer, target)
    style.check_span(result.start, result.end)
    axes = (
        [style.new_axes(ax)]  # type: ignore[arg-type]
        if len(pairs) == 1 and (ax is None or not isinstance(ax, Sequence | np.ndarray))
        else style.new_panels(len(pairs), ax, (11, 3.8 * len(pairs) + 0.6))
    )
    for i, (panel, pair) in enumerate(zip(axes, pairs, strict=True)):
        _draw_stack(panel, result, pair, top)
        style.percent_axis(panel, "Contribution to the effective rate")
        style.date_axis(panel)
        panel.set_ylim(0, panel.dataLim.y1 * 1.06)
        panel.margins(x=0.01)
        heading = f"{style.direction_title(pair)}: effective rate by measure"
        if title is not None:
            heading = title if len(pairs) == 1 else f"{title}: {heading}"
        panel.set_title(heading, loc="left", fontsize=10.5, color=style.TEXT_COLOR)
        if legend:
            handles, labels = panel.get_legend_handles_labels()
            panel.legend(
                handles[::-1],
                labels[::-1],
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
                borderaxespad=0.0,
                frameon=False,
                fontsize=8,
            )
        if source and i == len(pairs) - 1:
            style.add_source(panel, style.source_line([result]))
    if ax is None:
        style.figure_title(style.root_figure(axes[0]), result.scenario.spec.title)
    return axes[0] if len(axes) == 1 else np.array(axes, dtype=object)
