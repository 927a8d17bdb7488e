"""`plot_compare`: one direction's rate under several scenarios, one colour each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tariffsim.charts import style
from tariffsim.charts.rates import TITLE, fix_top, mark_horizon, put_legend, rate_path

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from tariffsim.tables.results import SimulationResult

COLUMNS = {
    "headline_rate": ("headline_rate",),
    "effective_rate": ("effective_rate",),
    "both": ("headline_rate", "effective_rate"),
}


def plot_compare(
    results: Sequence[SimulationResult],
    *,
    ax: Axes | None = None,
    direction: Any = None,
    imposer: str | None = None,
    target: str | None = None,
    column: str = "headline_rate",
    legend: bool = True,
    source: bool = True,
    title: str | None = None,
) -> Axes:
    """One direction's rate under several scenarios, one colour each. `column` is
    "headline_rate", "effective_rate" or "both" (headline solid, effective dashed).
    Earlier scenarios are drawn wider, so where paths coincide each stays visible as a
    stripe. The direction may be left out when the scenarios have only one. Without
    `ax`, draws on a new pyplot figure. Returns the Axes."""
    if column not in COLUMNS:
        raise ValueError(f"column '{column}' is not one of {', '.join(COLUMNS)}")
    if not results:
        raise ValueError("no scenario to compare")
    pair = style.one_direction(results, direction, imposer, target)
    for r in results:
        style.check_span(r.start, r.end)
    ax = style.new_axes(ax)
    n = len(results)
    for i, result in enumerate(results):
        path = rate_path(result)
        frame = path[(path["imposer"] == pair[0]) & (path["target"] == pair[1])]
        color = style.SCENARIO_COLORS[i % len(style.SCENARIO_COLORS)]
        wider = n - 1 - i
        for col in COLUMNS[column]:
            headline = col == "headline_rate"
            what = ("headline" if headline else "effective") if column == "both" else ""
            ax.step(
                frame["date"],
                frame[col],
                where="post",
                color=color,
                linewidth=(1.6 + 1.8 * wider) if headline else (1.0 + wider),
                linestyle="--" if column == "both" and not headline else "-",
                label=f"{result.scenario.name}: {what}" if what else result.scenario.name,
            )
    ylabel = {"headline_rate": "Headline rate", "effective_rate": "Effective rate"}
    style.percent_axis(ax, ylabel.get(column, "Tariff rate"))
    style.date_axis(ax)
    fix_top(ax)
    mark_horizon(ax, [r.end for r in results])
    if legend:
        put_legend(ax, list(ax.get_legend_handles_labels()[0]))
    if source:
        style.add_source(ax, style.source_line(results))
    ax.set_title(style.direction_title(pair) if title is None else title, pad=6, **TITLE)
    return ax
