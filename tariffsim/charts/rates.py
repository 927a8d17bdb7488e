"""`plot_rates`: one scenario's headline and effective rates, both directions, as step lines
with its events named, pending threats drawn apart, the horizon's end marked and the
non-tariff measures as bands. Rates are drawn from change points, so a three-century
horizon is as quick as a one-year one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from tariffsim.arguments import Direction
from tariffsim.charts import bands, labels, style
from tariffsim.charts.events import day_text, key_events, move_days
from tariffsim.charts.threats import Threat, pending_threats

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

    from tariffsim.tables.results import SimulationResult

EVENT_LINE_GID = "tariffsim-event"
TICK_GID = "tariffsim-tick"
HORIZON_GID = "tariffsim-horizon"
TITLE = {"loc": "left", "fontsize": 10.5, "color": style.TEXT_COLOR}


def rate_path(result: SimulationResult) -> pd.DataFrame:
    """Rates on each change day plus the day after the last: what a step chart needs."""
    changes = result.changes
    last = changes.groupby(["imposer", "target"], sort=False).tail(1)
    last = last.assign(date=pd.Timestamp(result.end + timedelta(days=1)))
    return (
        pd.concat([changes, last], ignore_index=True)
        .drop_duplicates(["imposer", "target", "date"], keep="first")
        .sort_values(["imposer", "target", "date"], kind="stable", ignore_index=True)
    )


def _of(path: pd.DataFrame, pair: Direction) -> pd.DataFrame:
    return path[(path["imposer"] == pair[0]) & (path["target"] == pair[1])]


def _step(ax: Axes, frame: pd.DataFrame, column: str, **style_: Any) -> None:
    ax.step(frame["date"], frame[column], where="post", **style_)


def _threat_extra(result: SimulationResult, pair: Direction, threat: Threat, day: date) -> float:
    """What a pending threat adds to the headline: its rate, or within a named headline
    group (which counts once, at its highest rate) what it adds above the group's rate."""
    group = threat.measure.headline
    if group is True:
        return threat.rate
    d = result.direction(*pair)
    seg = result.segment(min(day, result.end))
    members = [x.id for x in result.scenario.spec.measures if x.headline == group]
    now = max(
        (float(d.rates[seg, d.by_measure[x]].max()) for x in members if x in d.by_measure),
        default=0.0,
    )
    return max(0.0, threat.rate - now)


def threat_path(
    result: SimulationResult, pair: Direction, frame: pd.DataFrame, threats: Sequence[Threat]
) -> tuple[list[date], list[float]]:
    """The headline rate if the pending headline threats were carried out, while they are
    pending (NaN elsewhere: a step line with gaps)."""
    mine = [t for t in threats if t.measure.headline is not False and t.measure.type == "tariff"]
    if not mine:
        return [], []
    lo, hi = min(t.start for t in mine), max(t.after for t in mine)
    days = [d.date() for d in frame["date"]]
    breaks = sorted(
        {*(t.start for t in mine), *(t.after for t in mine), *(d for d in days if lo < d < hi)}
    )
    headline = frame["headline_rate"].to_numpy()
    values = []
    for day in breaks:
        pending = [t for t in mine if t.start <= day < t.after]
        at = headline[max(np.searchsorted(days, day, side="right") - 1, 0)]
        extra = sum(_threat_extra(result, pair, t, day) for t in pending)
        values.append(at + extra if pending else np.nan)
    return breaks, values


def rate_lines(
    ax: Axes, result: SimulationResult, pair: Direction, threats: Sequence[Threat]
) -> None:
    """One direction's headline (solid), effective (dashed) and threatened (dotted) rates."""
    frame = _of(rate_path(result), pair)
    color = style.direction_color(pair)
    who = f"{pair[0]} on {pair[1]}"
    _step(ax, frame, "headline_rate", color=color, linewidth=2.2, label=f"{who}: headline")
    _step(
        ax,
        frame,
        "effective_rate",
        color=color,
        linewidth=1.3,
        linestyle="--",
        label=f"{who}: trade-weighted effective",
    )
    days, values = threat_path(
        result, pair, frame, [t for t in threats if (t.measure.imposer, t.measure.target) == pair]
    )
    if days:
        ax.step(
            days,
            values,
            where="post",
            color=color,
            alpha=0.55,
            linewidth=1.8,
            linestyle=":",
            label=f"{who}: headline if threats are carried out",
        )


def fix_top(ax: Axes, headroom: float = 1.06) -> float:
    """Freeze the y-range from 0 to a little above the highest rate drawn; the top."""
    top = max(ax.dataLim.y1, 0.01) * headroom
    ax.set_ylim(0, top)
    return top


def mark_horizon(ax: Axes, ends: Sequence[date]) -> None:
    """A solid line after each horizon's last day, up from the zero line (named in the
    legend: the lines stop there because the scenario does, not the measures)."""
    top = ax.get_ylim()[1]
    for end in sorted(set(ends)):
        ax.vlines(
            end + timedelta(days=1),
            0,
            top,
            colors="#333333",
            linewidth=0.9,
            zorder=1,
            gid=HORIZON_GID,
            label=f"Horizon ends {day_text(end)}",
        )


def mark_events(ax: Axes, result: SimulationResult, pairs: Sequence[Direction]) -> float:
    """Name the key events in a band above `ax`, each with a dotted line from the zero line
    up; days of other rate moves (and events left unnamed for want of room) get a tick at
    the top. Returns the band's height in points (the title's pad)."""
    ranked = key_events(result, pairs)[: labels.MAX_MARKS]
    marks = [labels.Mark(k.day, k.text, k.color) for k in ranked]
    height, band = labels.label_band(ax, marks)
    top = ax.get_ylim()[1]
    for i, mark in enumerate(marks):
        line = ax.vlines(
            mark.day,
            0,
            top,
            colors="#9a9a9a",
            linestyles=":",
            linewidth=0.8,
            zorder=1,
            gid=EVENT_LINE_GID,
        )
        band.with_label[i].append(line)
        band.without_label[i].append(_tick(ax, mark.day))
    marked = {m.day for m in marks}
    for day in move_days(result, pairs):
        if day not in marked:
            _tick(ax, day)
    band.place()  # the lines and ticks show as the labels do
    return height


def _tick(ax: Axes, day: date) -> Artist:
    return ax.axvline(day, ymin=0.975, ymax=1.0, color="#9a9a9a", linewidth=0.8, gid=TICK_GID)


def plot_rates(
    result: SimulationResult,
    *,
    ax: Axes | None = None,
    direction: Any = None,
    imposer: str | None = None,
    target: str | None = None,
    events: bool = True,
    non_tariff: bool = True,
    legend: bool = True,
    source: bool = True,
    title: str | None = None,
) -> Axes:
    """Headline (solid) and trade-weighted effective (dashed) rates of each direction as
    step lines; pending threats dotted until they fire; key events named in a band above
    (short names from the scenario) and the horizon's end marked; non-tariff measures as
    bands below the zero line; one legend (with a key for the bands) and a source line.

    `direction` ("US-CN") or `imposer=`/`target=` draw one direction; `events`,
    `non_tariff`, `legend` and `source` leave those parts out; `title` replaces the
    scenario's title. Without `ax`, draws on a new pyplot figure. Returns the Axes."""
    pairs = style.directions([result], direction, imposer, target)
    style.check_span(result.start, result.end)
    ax = style.new_axes(ax)
    threats = pending_threats(result, pairs)
    for pair in pairs:
        rate_lines(ax, result, pair, threats)
    style.percent_axis(ax)
    style.date_axis(ax)
    fix_top(ax)
    mark_horizon(ax, [result.end])
    if legend:
        states = strip_states(result, pairs, threats) if non_tariff else set()
        put_legend(ax, list(ax.get_legend_handles_labels()[0]) + bands.band_key(states))
    if source:
        style.add_source(ax, style.source_line([result]))
    text = result.scenario.spec.title if title is None else title
    pad = mark_events(ax, result, pairs) if events else 0.0
    ax.set_title(text, pad=pad + 6, **TITLE)
    if non_tariff:
        style.root_figure(ax).draw_without_rendering()
        bands.non_tariff_strip(ax, result, pairs, threats)
    return ax


def strip_states(
    result: SimulationResult, pairs: Sequence[Direction], threats: Sequence[Threat]
) -> set[str]:
    """The states the non-tariff strip will draw (for the legend's key)."""
    rows = bands.strip_rows(result, pairs, threats)
    return {state for _, spans in rows for _, _, state in spans}


def put_legend(ax: Axes, handles: list[Artist]) -> None:
    """One legend, outside the plot on the right, so it covers no line."""
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        borderaxespad=0.0,
        frameon=False,
        fontsize=8,
    )
