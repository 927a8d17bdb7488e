"""`plot_fan`: an uncertain result as a fan chart. Per direction the expected rate (a solid
step line), the ranges that hold 90% and 50% of the probability (5–95% and 25–75%
quantiles, shaded, the inner one darker), each path as a faint line (the likelier, the
darker) named at its end with its probability, and dated marks (branch resolutions,
deadlines) as dashed lines named at the top. Everything is drawn from the days the rates
change, so a long horizon is as quick as a short one."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tariffsim.arguments import Direction, as_day, as_direction
from tariffsim.charts import labels, style
from tariffsim.charts.rates import TITLE, fix_top, put_legend
from tariffsim.tables.rate_table import UNIX_EPOCH
from tariffsim.tables.results import SimulationResult
from tariffsim.uncertainty.results import UncertainResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes

OUTER_GID = "tariffsim-fan-5-95"
INNER_GID = "tariffsim-fan-25-75"
EXPECTED_GID = "tariffsim-fan-expected"
PATH_GID = "tariffsim-fan-path"
MARK_GID = "tariffsim-fan-mark"
OUTER_ALPHA, INNER_ALPHA = 0.13, 0.28
MAX_NAMED_PATHS = 8
COLUMN_WORDS = {"headline_rate": "headline", "effective_rate": "trade-weighted effective"}


def as_uncertain(result: UncertainResult | SimulationResult) -> UncertainResult:
    """A plain result is one certain path."""
    if isinstance(result, SimulationResult):
        return UncertainResult.certain(result)
    return result


def fan_source(result: UncertainResult) -> str:
    paths = "one path" if len(result.paths) == 1 else f"{len(result.paths)} paths"
    return f"Source: tariffsim, scenario '{result.name}', {paths} weighted by probability; " + (
        style.DATA_NOTE.format(weights=result.weights)
    )


def _steps(result: UncertainResult, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The change days of `rows` (series × days) and the day after the last, as dates, and
    the values on those days (the last repeated): what a step chart needs."""
    moved = np.any(np.abs(np.diff(rows, axis=1)) > 1e-12, axis=0)
    index = np.concatenate([[0], np.flatnonzero(moved) + 1])
    first = result.start.toordinal() - UNIX_EPOCH
    days = np.append(index, rows.shape[1]) + first
    values = np.concatenate([rows[:, index], rows[:, -1:]], axis=1)
    return days.astype("datetime64[D]"), values


def fan_series(result: UncertainResult, pair: Direction, column: str) -> np.ndarray:
    """Rows: expected, 5%, 25%, 75%, 95% quantiles, then each path; columns: days."""
    return np.vstack(
        [
            result.expected(pair, column),
            *(result.band(pair, column, q) for q in (0.05, 0.25, 0.75, 0.95)),
            result.path_values(pair, column),
        ]
    )


def draw_fan(ax: Axes, result: UncertainResult, pair: Direction, column: str, paths: bool) -> None:
    """One direction's bands, paths and expected line on `ax`."""
    days, values = _steps(result, fan_series(result, pair, column))
    color = style.direction_color(pair)
    who = f"{pair[0]} on {pair[1]}"
    expected, q05, q25, q75, q95 = values[:5]
    ax.fill_between(
        days,
        q05,
        q95,
        step="post",
        color=color,
        alpha=OUTER_ALPHA,
        lw=0,
        gid=OUTER_GID,
        label=f"{who}: 90% of probability (5–95%)",
    )
    ax.fill_between(
        days,
        q25,
        q75,
        step="post",
        color=color,
        alpha=INNER_ALPHA,
        lw=0,
        gid=INNER_GID,
        label=f"{who}: 50% of probability (25–75%)",
    )
    if paths:
        for p, row in zip(result.paths, values[5:], strict=True):
            ax.step(
                days,
                row,
                where="post",
                color=color,
                linewidth=0.9,
                alpha=0.15 + 0.6 * p.probability,
                gid=PATH_GID,
            )
    ax.step(
        days,
        expected,
        where="post",
        color=color,
        linewidth=2.2,
        gid=EXPECTED_GID,
        label=f"{who}: expected {COLUMN_WORDS[column]} rate",
    )
    if paths and len(result.paths) <= MAX_NAMED_PATHS:
        name_paths(ax, result, days[-1], values[5:, -1], color)


MAX_NAMED = 3  # paths named at one level; the rest counted, so the note stays beside the plot
NAME_WIDTH = 32  # characters a line of a path's note holds


def name_paths(ax: Axes, result: UncertainResult, end: Any, last: np.ndarray, color: str) -> None:
    """Each path's label and probability beside its last value (paths that end level share
    one note, likeliest first)."""
    notes: dict[float, list[str]] = {}
    for i in np.argsort(-result.probabilities, kind="stable"):
        p = result.paths[i]
        notes.setdefault(round(float(last[i]), 9), []).append(
            f"{p.label} {style.percent_text(round(p.probability, 4))}"
        )
    for value, names in notes.items():
        shown = (
            names
            if len(names) <= MAX_NAMED
            else [*names[: MAX_NAMED - 1], f"+{len(names) - MAX_NAMED + 1} more"]
        )
        ax.annotate(
            "\n".join(textwrap.fill(name, NAME_WIDTH) for name in shown),
            (end, value),
            xytext=(4, 0),
            textcoords="offset points",
            fontsize=7,
            color=color,
            va="center",
            annotation_clip=False,
        )


def mark_days(ax: Axes, marks: Sequence[tuple[Any, str]]) -> float:
    """A dashed line for each (day, label), named in a band above the Axes (the labels
    never overlap: `charts.labels`); the band's height in points, the title's pad."""
    if not marks:
        return 0.0
    days = [labels.Mark(as_day(day, "marks"), text, style.MUTED) for day, text in marks]
    for mark in days:
        ax.axvline(mark.day, color="#6b6b6b", linestyle="--", linewidth=0.8, zorder=1, gid=MARK_GID)
    height, _ = labels.label_band(ax, days)
    return height


def plot_fan(
    result: UncertainResult | SimulationResult,
    *,
    ax: Axes | None = None,
    direction: Any = None,
    imposer: str | None = None,
    target: str | None = None,
    column: str = "headline_rate",
    marks: Sequence[tuple[Any, str]] = (),
    paths: bool = True,
    legend: bool = True,
    source: bool = True,
    title: str | None = None,
) -> Axes:
    """A fan chart of an uncertain result (a plain result is one certain path): per
    direction the expected `column` ("headline_rate" or "effective_rate") as a solid step
    line, the 5–95% and 25–75% quantile ranges shaded, each path faint (alpha grows with
    its probability) and named at its end. Both directions on one Axes unless `direction`
    ("US-CN") or `imposer=`/`target=` asks for one. `marks`: (day, label) pairs drawn as
    dashed lines, e.g. when branches resolve. `paths`, `legend` and `source` leave those
    parts out; `title` replaces the result's. Without `ax`, draws on a new pyplot figure.
    Returns the Axes."""
    result = as_uncertain(result)
    result.values(column)  # a ValueError naming the columns
    chosen = as_direction(direction, imposer=imposer, target=target, valid=result.pairs)
    pairs = [chosen] if chosen else result.pairs
    style.check_span(result.start, result.end)
    ax = style.new_axes(ax)
    for pair in pairs:
        draw_fan(ax, result, pair, column, paths)
    style.percent_axis(ax, f"{COLUMN_WORDS[column].capitalize()} tariff rate")
    style.date_axis(ax)
    fix_top(ax)
    if legend:
        put_legend(ax, list(ax.get_legend_handles_labels()[0]))
    if source:
        style.add_source(ax, fan_source(result))
    pad = mark_days(ax, marks)
    ax.set_title(result.title if title is None else title, pad=pad + 6, **TITLE)
    return ax
