"""Charts. Every function takes `ax=None` and returns the Axes; matplotlib is imported here
only, so the rest of tariffsim never pays for it. Library code never calls `plt.show()`."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from tariffsim.scenario.values import FIRST_DAY, LAST_DAY

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tariffsim.scenario.model import Measure
    from tariffsim.tables.results import SimulationResult

DIRECTION_COLORS = {("US", "CN"): "#c0392b", ("CN", "US"): "#1f5fa8"}
SCENARIO_COLORS = ["#c0392b", "#1f5fa8", "#2e8b57", "#8e44ad", "#d35400", "#34495e"]
# the days a chart's time axis may span: the scenario language's date bounds, well inside
# what matplotlib's date axis can pad and label (years 1 to 9999)
CHART_DAYS = (FIRST_DAY, LAST_DAY)
EVENT_KINDS = (
    "trigger",
    "deadline",
    "impose",
    "set_rate",
    "revoke",
    "extend",
    "suspend",
    "start",
    "step",
)


def _new_axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=(10, 5)).add_subplot()


def _percent_axis(ax: Axes) -> None:
    from matplotlib.ticker import PercentFormatter

    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_ylim(bottom=0)
    ax.grid(True, axis="y", alpha=0.3)


def _step(ax: Axes, frame: pd.DataFrame, column: str, **style: object) -> None:
    ax.step(frame["date"], frame[column], where="post", **style)


def _path(result: SimulationResult) -> pd.DataFrame:
    """Rates on each change day plus the last day: what a step chart needs. Drawing from
    change points, not daily rows, keeps a 300-year horizon as quick as a one-year one."""
    changes = result.changes
    last = changes.groupby(["imposer", "target"], sort=False).tail(1)
    last = last.assign(date=pd.Timestamp(result.end))
    return (
        pd.concat([changes, last], ignore_index=True)
        .drop_duplicates(["imposer", "target", "date"], keep="first")
        .sort_values(["imposer", "target", "date"], kind="stable", ignore_index=True)
    )


def _measures_between(
    result: SimulationResult, imposer: str | None, target: str | None
) -> list[Measure]:
    """The scenario's measures in one direction, in scenario order; a side given as None
    matches any country. Event markers and non-tariff bands pick their measures alike."""
    return [
        x
        for x in result.scenario.spec.measures
        if (imposer is None or x.imposer == imposer) and (target is None or x.target == target)
    ]


def key_events(
    result: SimulationResult, imposer: str | None = None, target: str | None = None
) -> pd.DataFrame:
    """Events worth marking on a chart: triggers that fired, deadlines, and moves, one
    marker per day with labels joined. With a direction, only its measures' events (and
    triggers, which concern both)."""
    ev = result.events
    ev = ev[ev["kind"].isin(EVENT_KINDS) & ev["fired"]]
    if imposer is not None or target is not None:
        spec = result.scenario.spec
        suspensions = {mv.id: mv.measure for mv in spec.moves if mv.kind == "suspend" and mv.id}
        mine = {x.id for x in _measures_between(result, imposer, target)}
        measure = ev["measure"].map(lambda m: suspensions.get(m, m))
        ev = ev[(ev["kind"] == "trigger") | measure.isin(mine)]
    if ev.empty:
        return pd.DataFrame(columns=["date", "label"])
    labels = ev.assign(label=ev["id"].where(ev["id"] != "", ev["measure"]))
    return labels.groupby("date")["label"].agg(lambda s: ", ".join(dict.fromkeys(s))).reset_index()


def mark_events(
    ax: Axes,
    result: SimulationResult,
    imposer: str | None = None,
    target: str | None = None,
    min_gap: float = 0.025,
) -> None:
    """Dotted vertical lines at key events, labelled at the top of the axes; a label closer
    than `min_gap` (share of the time axis) to the previous one is left out."""
    import matplotlib.dates as mdates

    events = key_events(result, imposer, target)
    span = max((result.end - result.start).days, 1)
    last = None
    for row in events.itertuples():
        ax.axvline(row.date, color="0.4", linestyle=":", linewidth=0.8, zorder=0)
        x = mdates.date2num(row.date)
        if last is not None and (x - last) / span < min_gap:
            continue
        last = x
        text = row.label if len(row.label) <= 38 else row.label[:36] + "…"
        ax.annotate(
            f"{row.date:%d %b %Y}: {text}",
            xy=(row.date, 1.0),
            xycoords=("data", "axes fraction"),
            rotation=90,
            fontsize=6.5,
            va="top",
            ha="right",
            color="0.25",
        )


def plot_non_tariff(
    result: SimulationResult,
    ax: Axes,
    imposer: str | None = None,
    target: str | None = None,
    height: float = 0.035,
) -> Axes:
    """Non-tariff measures (export controls, port fees, purchase commitments) as thin bands
    in a strip below the zero line: solid while in force, pale while suspended."""
    import matplotlib.dates as mdates
    from matplotlib.transforms import blended_transform_factory

    measures = [
        x
        for x in _measures_between(result, imposer, target)
        if x.type == "non_tariff" and result.spans(x.id)
    ]
    if not measures:
        return ax
    strip = 0.01 + len(measures) * (height + 0.01)
    top = ax.get_ylim()[1]
    ax.set_ylim(-strip / (1 - strip) * top, top)
    ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= top])
    ax.axhline(0, color="0.3", linewidth=0.8)
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    for row, ms in enumerate(measures):
        spans = result.spans(ms.id)
        y = 0.005 + row * (height + 0.01)
        color = DIRECTION_COLORS.get((ms.imposer, ms.target), "0.4")
        for first, after, state in spans:
            x0 = mdates.date2num(first)
            ax.broken_barh(
                [(x0, mdates.date2num(after) - x0)],
                (y, height),
                transform=trans,
                facecolor=color,
                alpha=0.55 if state == "in force" else 0.15,
                edgecolor="none",
            )
        x0 = mdates.date2num(spans[0][0])
        left, right = ax.get_xlim()
        late = (x0 - left) / (right - left) > 0.5  # label to the left of a late band
        ax.text(
            x0,
            y + height / 2,
            f"{ms.name} " if late else f" {ms.name}",
            transform=trans,
            fontsize=6,
            va="center",
            ha="right" if late else "left",
            color="0.15",
            clip_on=True,
        )
    return ax


def plot_rates(
    result: SimulationResult,
    ax: Axes | None = None,
    *,
    imposer: str | None = None,
    target: str | None = None,
    events: bool = True,
    non_tariff: bool = True,
) -> Axes:
    """Step chart of headline (solid) and effective (dashed) rates for each direction, with
    non-tariff measures as bands along the bottom."""
    ax = _new_axes(ax)
    rates = _path(result)
    for (imp, tgt), frame in rates.groupby(["imposer", "target"], sort=False):
        if (imposer and imp != imposer) or (target and tgt != target):
            continue
        color = DIRECTION_COLORS.get((imp, tgt))
        _step(
            ax, frame, "headline_rate", color=color, linewidth=2, label=f"{imp} on {tgt}: headline"
        )
        _step(
            ax,
            frame,
            "effective_rate",
            color=color,
            linewidth=1.3,
            linestyle="--",
            label=f"{imp} on {tgt}: trade-weighted effective",
        )
    if events:
        mark_events(ax, result, imposer, target)
    _percent_axis(ax)
    if non_tariff:
        plot_non_tariff(result, ax, imposer, target)
    ax.set_title(result.scenario.spec.title, fontsize=10)
    ax.legend(fontsize=8, loc="best")
    return ax


def plot_compare(
    results: list[SimulationResult],
    imposer: str,
    target: str,
    ax: Axes | None = None,
    *,
    column: str = "headline_rate",
) -> Axes:
    """One direction's rate under several scenarios. Earlier scenarios are drawn wider, so
    where paths coincide each stays visible as a stripe."""
    ax = _new_axes(ax)
    n = len(results)
    for i, result in enumerate(results):
        frame = _path(result)
        frame = frame[(frame["imposer"] == imposer) & (frame["target"] == target)]
        color = SCENARIO_COLORS[i % len(SCENARIO_COLORS)]
        width = 1.5 + 2.0 * (n - 1 - i)
        _step(
            ax,
            frame,
            "headline_rate",
            color=color,
            linewidth=width,
            label=f"{result.scenario.name}: headline",
        )
        _step(
            ax,
            frame,
            "effective_rate",
            color=color,
            linewidth=0.6 + (n - 1 - i),
            linestyle="--",
            label=f"{result.scenario.name}: effective",
        )
    _percent_axis(ax)
    ax.set_title(f"{imposer} tariffs on goods from {target}", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def check_span(start: date, end: date) -> None:
    """Refuse, at once, a horizon the time axis cannot draw (ValueError)."""
    lo, hi = CHART_DAYS
    if start < lo or end > hi:
        raise ValueError(
            f"cannot chart {start.isoformat()} to {end.isoformat()}: charts "
            f"cover {lo.isoformat()} to {hi.isoformat()}"
        )


def scenario_figure(results: list[SimulationResult]) -> Figure:
    """The CLI's chart: one panel per direction; one scenario gets event markers too.
    Raises ValueError when no scenario has a tariff rate to draw."""
    from matplotlib.figure import Figure

    directions = sorted(
        dict.fromkeys((d.imposer, d.target) for r in results for d in r.directions),
        key=lambda d: (d != ("US", "CN"), d),
    )
    if not directions:
        raise ValueError("no tariff measures in any scenario: there is no rate to plot")
    for r in results:
        check_span(r.start, r.end)
    fig = Figure(figsize=(11, 3.6 * len(directions) + 0.6), layout="constrained")
    axes = fig.subplots(len(directions), 1, sharex=True, squeeze=False)[:, 0]
    for ax, (imp, tgt) in zip(axes, directions, strict=True):
        if len(results) == 1:
            plot_rates(results[0], ax, imposer=imp, target=tgt)
            ax.set_title(f"{imp} tariffs on goods from {tgt}", fontsize=10)
        else:
            plot_compare(results, imp, tgt, ax)
    title = (
        results[0].scenario.spec.title
        if len(results) == 1
        else "Scenario comparison: " + ", ".join(r.scenario.name for r in results)
    )
    fig.suptitle(
        title + "\nsolid: headline rate (as news reports quote it); dashed: "
        "trade-weighted effective rate incl. MFN",
        fontsize=10,
    )
    return fig


FORMATS = ("png", "svg", "pdf")
# what each backend would otherwise stamp with the time of writing
_NO_DATE = {"png": {}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


def figure_bytes(fig: Figure, fmt: str, dpi: int = 150) -> bytes:
    """The figure as PNG, SVG or PDF bytes that depend only on the figure: no time stamp,
    and SVG clip-path ids from a fixed salt instead of a random one, so the same scenario
    gives the same file on every run."""
    import io

    import matplotlib

    if fmt not in FORMATS:
        raise ValueError(f"format '{fmt}' is not one of {', '.join(FORMATS)}")
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "tariffsim"}):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=_NO_DATE[fmt])
    return buf.getvalue()
