"""Non-tariff measures (export controls, port fees, purchase commitments) as thin bands in a
strip below a rate chart's zero line: solid while in force, pale while suspended, hatched
while only threatened. Each band is named beside it, inside its own row, so no name
touches a rate line or another band; `band_key` gives the legend entries that say so."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tariffsim.arguments import Direction
from tariffsim.charts.events import short_name
from tariffsim.charts.style import TEXT_COLOR, direction_color, root_figure
from tariffsim.charts.threats import Threat

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes

    from tariffsim.scenario.model import Measure
    from tariffsim.tables.results import SimulationResult

FONT_SIZE = 7.0
IN_FORCE_ALPHA = 0.55
SUSPENDED_ALPHA = 0.15
HATCH = "////"
BAND_GID = "tariffsim-band"
NAME_GID = "tariffsim-band-name"

Span = tuple[date, date, str]  # first day, first day after, state


def strip_rows(
    result: SimulationResult, pairs: Sequence[Direction], threats: Sequence[Threat]
) -> list[tuple[Measure, list[Span]]]:
    """One row per non-tariff measure of `pairs` in effect within the horizon, and per
    pending threat not drawn as a rate (non-tariff, or outside the headline), in order."""
    pending = {t.measure.id: t for t in threats}
    rows = []
    for ms in result.scenario.spec.measures:
        if (ms.imposer, ms.target) not in pairs:
            continue
        spans: list[Span] = list(result.spans(ms.id)) if ms.type == "non_tariff" else []
        threat = pending.get(ms.id)
        if threat is not None and (ms.type == "non_tariff" or ms.headline is False):
            spans.insert(0, (threat.start, threat.after, "threatened"))
        if spans:
            rows.append((ms, spans))
    return rows


def _band_style(state: str, color: str) -> dict[str, object]:
    if state == "threatened":
        return {"facecolor": "none", "edgecolor": color, "hatch": HATCH, "linewidth": 0.6}
    alpha = IN_FORCE_ALPHA if state == "in force" else SUSPENDED_ALPHA
    return {"facecolor": color, "alpha": alpha, "edgecolor": "none"}


def non_tariff_strip(
    ax: Axes, result: SimulationResult, pairs: Sequence[Direction], threats: Sequence[Threat]
) -> set[str]:
    """Draw the strip under the zero line of `ax` (lay the figure out first: its rows are
    sized in pixels); the states drawn, for the key."""
    import matplotlib.dates as mdates
    from matplotlib.transforms import blended_transform_factory

    rows = strip_rows(result, pairs, threats)
    if not rows:
        return set()
    px_high = max(ax.get_window_extent().height, 1.0)
    line = FONT_SIZE * root_figure(ax).dpi / 72.0
    height = max(0.025, 1.6 * line / px_high)  # a row: the name's height and some air
    gap = 0.2 * height
    strip = gap + len(rows) * (height + gap)
    top = ax.get_ylim()[1]
    ax.set_ylim(-strip / (1 - strip) * top, top)
    ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= top])
    ax.axhline(0, color="#444444", linewidth=0.8, zorder=1.5)
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    states: set[str] = set()
    end = mdates.date2num(result.end + timedelta(days=1))
    for i, (ms, spans) in enumerate(reversed(rows)):  # the first measure on top
        y = gap + i * (height + gap)
        color = direction_color((ms.imposer, ms.target))
        for first, after, state in spans:
            x0 = mdates.date2num(first)
            ax.broken_barh(
                [(x0, mdates.date2num(after) - x0)],
                (y, height),
                transform=trans,
                gid=BAND_GID,
                **_band_style(state, color),
            )
            states.add(state)
        _name(ax, ms, mdates.date2num(spans[0][0]), end, y + height / 2, trans)
    return states


def _name(ax: Axes, ms: Measure, x0: float, end: float, y: float, trans: object) -> None:
    """The band's name (shortened if need be) right of its start if it fits before the
    horizon's end, else left of it, else over the band from the left edge of the Axes."""
    import matplotlib.patheffects as pe

    text = ax.text(
        x0,
        y,
        ms.name,
        transform=trans,
        fontsize=FONT_SIZE,
        va="center_baseline",
        ha="left",
        color=TEXT_COLOR,
        gid=NAME_GID,
        path_effects=[pe.withStroke(linewidth=2.2, foreground="white", alpha=0.85)],
    )
    pad = 4.0
    at, stop = (ax.transData.transform((v, 0))[0] for v in (x0, end))
    left = ax.get_window_extent().x0
    to_data = ax.transData.inverted()
    for name in (ms.name, short_name(ms.name)):
        text.set_text(name)
        width = text.get_window_extent().width
        if at + pad + width <= stop:
            text.set_x(to_data.transform((at + pad, 0))[0])
            return
        if at - pad - width >= left:
            text.set_x(to_data.transform((at - pad, 0))[0])
            text.set_horizontalalignment("right")
            return
    text.set_x(to_data.transform((left + pad, 0))[0])


def band_key(states: set[str]) -> list[Artist]:
    """Legend entries for the band states drawn."""
    from matplotlib.patches import Patch

    key = []
    if "in force" in states:
        key.append(
            Patch(facecolor="#777777", alpha=IN_FORCE_ALPHA, label="Non-tariff measure in force")
        )
    if "suspended" in states or "partly suspended" in states:
        key.append(
            Patch(facecolor="#777777", alpha=SUSPENDED_ALPHA, label="Non-tariff measure suspended")
        )
    if "threatened" in states:
        key.append(
            Patch(
                facecolor="none", edgecolor="#777777", hatch=HATCH, label="Threatened, not in force"
            )
        )
    return key
