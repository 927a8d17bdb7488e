"""`plot_vintages`: a scenario's headline rate as it was known on several days. The full
scenario (every announcement) is a thick dark step line; each vintage (`simulate(as_of=)`,
for a scenario with branches its expected path) a thinner coloured line from its day on,
with a dot on that day. Without days given, the days inside the horizon on which something
was announced ahead of taking effect (of more than six, the six whose news moved the
headline path most; with none, the eve of each change of the headline rate)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from tariffsim.arguments import Direction, as_day, as_direction
from tariffsim.charts import style
from tariffsim.charts.events import day_text
from tariffsim.charts.fan import as_uncertain
from tariffsim.charts.rates import TITLE, fix_top, put_legend
from tariffsim.products import DEFAULT_WEIGHTS
from tariffsim.scenario import model as m
from tariffsim.scenario.fields import UncertainDay
from tariffsim.tables.results import SimulationResult

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from tariffsim.scenario.loading import Scenario
    from tariffsim.uncertainty.results import UncertainResult

    Result = SimulationResult | UncertainResult

ACTUAL_GID = "tariffsim-vintage-actual"
VINTAGE_GID = "tariffsim-vintage"
DOT_GID = "tariffsim-vintage-dot"
MAX_DEFAULT = 6
LEAD = timedelta(days=92)  # a chart of vintages starts about three months before the first
ACTUAL_COLOR = "#222222"
VINTAGE_COLORS = [*style.SCENARIO_COLORS[1:], *style.LAYER_COLORS]
ACTUAL_LABEL = "the full scenario (every announcement)"
EXPECTED_LABEL = "the full scenario's expected path (every announcement)"
ANNOUNCED_NOTE = "those on which a measure, move or trigger was announced ahead of taking effect"
EVE_NOTE = "the eve of each change of the headline rate (nothing was announced ahead)"


@dataclass(frozen=True)
class Vintages:
    """A scenario run in full (`actual`) and as it was known on each day of `runs`;
    `chosen` says how the days were chosen when they were not given ('' when given)."""

    actual: Result
    runs: list[tuple[date, Result]]
    chosen: str = ""

    @property
    def name(self) -> str:
        return self.actual.scenario.name if is_plain(self.actual) else self.actual.name  # type: ignore[union-attr]

    @property
    def title(self) -> str:
        a = self.actual
        return a.scenario.spec.title if is_plain(a) else a.title  # type: ignore[union-attr]


def is_plain(result: Result) -> bool:
    return isinstance(result, SimulationResult)


def _earliest(when: Any) -> date | None:
    """The first day a written day allows (an uncertain one: its earliest)."""
    if isinstance(when, UncertainDay):
        return min(c.date for c in when.dates) if when.dates else when.between[0]
    return when


def _items(spec: m.ScenarioSpec) -> Iterator[tuple[date | None, date | None]]:
    """(announced, takes effect) of every measure, move and trigger, in triggers and
    branch options too (a trigger's move without a day of its own takes the trigger's)."""
    for x in spec.measures:
        yield x.announced, x.from_
    moves = [(mv, None) for mv in spec.moves]
    triggers = list(spec.triggers)
    branches = list(spec.branches)
    while branches:
        for option in branches.pop().options:
            moves += [(mv, None) for mv in option.moves]
            triggers += option.triggers
            branches += option.branches
    for trig in triggers:
        yield trig.announced, trig.date
        moves += [(mv, trig.date) for mv in [*trig.then, *trig.else_]]
    for mv, default in moves:
        yield mv.announced, _earliest(m.move_day(mv)) or default


def announced_days(scenario: Scenario, start: date, end: date) -> list[date]:
    """The days inside `start`..`end` on which something was announced ahead of the day it
    takes effect, in order."""
    days = {
        said
        for said, effect in _items(scenario.spec)
        if said is not None and effect is not None and said < effect and start <= said <= end
    }
    return sorted(days)


def thin(days: Sequence[date], limit: int = MAX_DEFAULT) -> list[date]:
    """At most `limit` of `days`, spread evenly, the first and last kept."""
    if len(days) <= limit:
        return list(days)
    picks = np.unique(np.round(np.linspace(0, len(days) - 1, limit)).astype(int))
    return [days[i] for i in picks]


def eves(result: Result) -> list[date]:
    """The day before each day the headline rate changes in any direction (after the
    first day)."""
    paths = as_uncertain(result)
    days: set[date] = set()
    for pair in paths.pairs:
        moved = np.abs(np.diff(paths.expected(pair, "headline_rate"))) > 1e-12
        days.update(result.start + timedelta(days=int(i)) for i in np.flatnonzero(moved))
    return sorted(days)


def default_days(scenario: Scenario, actual: Result) -> tuple[list[date], str]:
    """The days a vintages chart draws when none are given, and how they were chosen: the
    days something was announced ahead of taking effect; of more than MAX_DEFAULT, those
    whose news moved the headline path most (`news`)."""
    days = announced_days(scenario, actual.start, actual.end)
    if not days:
        return thin(eves(actual)), EVE_NOTE
    if len(days) <= MAX_DEFAULT:
        return days, ANNOUNCED_NOTE
    moved = [news(scenario, actual, day) for day in days]
    top = sorted(np.argsort(moved, kind="stable")[::-1][:MAX_DEFAULT])
    note = (
        f"the {MAX_DEFAULT} of the {len(days)} days on which something was announced ahead "
        "of taking effect whose news moved the headline path most"
    )
    return [days[i] for i in top], note


def news(scenario: Scenario, actual: Result, day: date) -> float:
    """How far what became known on `day` moved the headline path from `day` on: the mean
    absolute change, over both directions and the days left, from the path known the day
    before (expected paths for a scenario with branches)."""
    from tariffsim.simulation import simulate

    def path(known: date) -> np.ndarray:
        run = as_uncertain(
            simulate(scenario, day, actual.end, weights=str(actual.weights), as_of=known)
        )
        return np.concatenate([run.expected(pair, "headline_rate") for pair in run.pairs])

    return float(np.mean(np.abs(path(day) - path(day - timedelta(days=1)))))


def run_vintages(
    scenario: Scenario,
    actual: Result,
    days: Sequence[Any] | Any = (),
    *,
    paths: int | None = None,
    seed: int | None = None,
    focus: bool = False,
) -> Vintages:
    """`scenario` as known on each of `days` (one day, or default: `default_days`), run over
    the days and with the weights of `actual` (its full run). With `focus`, a full run that
    starts more than LEAD before the first day is run again from then, so the chart shows
    the vintages, not years before them."""
    from tariffsim.simulation import simulate

    if isinstance(days, str) or not isinstance(days, Sequence):
        days = [days]
    chosen = ""
    wanted = sorted({as_day(d, "as_of") for d in days})
    if not days:
        wanted, chosen = default_days(scenario, actual)
    if focus and wanted and wanted[0] - LEAD > actual.start:
        actual = simulate(
            scenario,
            wanted[0] - LEAD,
            actual.end,
            weights=str(actual.weights),
            paths=paths,
            seed=seed,
        )
    runs = [
        (
            day,
            simulate(
                scenario,
                actual.start,
                actual.end,
                weights=str(actual.weights),
                paths=paths,
                seed=seed,
                as_of=day,
            ),
        )
        for day in wanted
    ]
    return Vintages(actual, runs, chosen)


def vintages(
    scenario: Scenario | str,
    as_of: Sequence[Any] | Any = (),
    start: Any = None,
    end: Any = None,
    *,
    weights: str = DEFAULT_WEIGHTS,
    paths: int | None = None,
    seed: int | None = None,
) -> Vintages:
    """Run `scenario` (object, path or bundled name) in full from `start` to `end`, and as
    it was known on each day of `as_of` (one day, several, or by default `default_days`).
    Without `start`, the chart starts about three months before the first day."""
    from tariffsim.scenario.loading import Scenario as Loaded
    from tariffsim.scenario.loading import load_scenario
    from tariffsim.simulation import simulate

    loaded = scenario if isinstance(scenario, Loaded) else load_scenario(scenario)
    actual = simulate(loaded, start, end, weights=weights, paths=paths, seed=seed)
    return run_vintages(loaded, actual, as_of, paths=paths, seed=seed, focus=start is None)


def headline_steps(result: Result, pair: Direction, first: date) -> tuple[np.ndarray, np.ndarray]:
    """The (expected) headline rate from `first` on: the days it changes and the day after
    the last, and its values on them (the last repeated)."""
    daily = as_uncertain(result).expected(pair, "headline_rate")
    daily = daily[(first - result.start).days :]
    moved = np.r_[True, np.abs(np.diff(daily)) > 1e-12]
    index = np.flatnonzero(moved)
    days = np.append(index, len(daily)) + np.datetime64(first, "D")
    return days, np.append(daily[index], daily[-1])


def vintage_width(i: int, count: int) -> float:
    """Earlier vintages a little wider, so a later one drawn over the same rates leaves them
    showing at its edges (the full scenario, widest of all, under every one)."""
    return 1.4 + 1.2 * (count - 1 - i) / max(count - 1, 1)


def draw_vintages(ax: Axes, v: Vintages, pair: Direction) -> None:
    """One direction's full path and each vintage from its day on."""
    days, values = headline_steps(v.actual, pair, v.actual.start)
    ax.step(
        days,
        values,
        where="post",
        color=ACTUAL_COLOR,
        lw=3.4,
        clip_on=False,  # a rate of 0% shows over the axis line
        gid=ACTUAL_GID,
        label=ACTUAL_LABEL if is_plain(v.actual) else EXPECTED_LABEL,
    )
    for i, (day, run) in enumerate(v.runs):
        if pair not in run.pairs or not run.start <= day <= run.end:
            continue  # nothing known of this direction that day, or the day is not drawn
        color = VINTAGE_COLORS[i % len(VINTAGE_COLORS)]
        days, values = headline_steps(run, pair, day)
        ax.step(
            days,
            values,
            where="post",
            color=color,
            lw=vintage_width(i, len(v.runs)),
            zorder=3,
            clip_on=False,
            gid=VINTAGE_GID,
            label=f"as known on {day_text(day)}",
        )
        ax.plot(
            [days[0]],
            [values[0]],
            "o",
            color=color,
            ms=6.5,
            mec="white",
            mew=1.0,
            zorder=4,
            clip_on=False,
            gid=DOT_GID,
        )


def vintage_source(v: Vintages) -> str:
    """The source line, with how the days were chosen when they were not given."""
    kind = "" if is_plain(v.actual) else " (expected paths over its branches)"
    text = (
        f"Source: tariffsim, scenario '{v.name}'{kind}, run as known on each day shown; "
        "headline rates as news reports quote them"
    )
    return text + (f"\nDays shown: {v.chosen}" if v.chosen else "")


def plot_vintages(
    data: Vintages | Scenario | str,
    *,
    as_of: Sequence[Any] | Any = (),
    start: Any = None,
    end: Any = None,
    ax: Axes | None = None,
    direction: Any = None,
    imposer: str | None = None,
    target: str | None = None,
    legend: bool = True,
    source: bool = True,
    title: str | None = None,
) -> Axes:
    """The headline rate as it was known on each day of `as_of`: `data` is a `Vintages`
    (from `vintages`), or a scenario (object, path or bundled name) run in full from
    `start` to `end` and as known on each day (default: the days something was announced
    ahead of taking effect, at most six). The full scenario thick and dark, each vintage
    coloured from its day on with a dot on that day. Both directions on one Axes unless
    `direction` ("US-CN") or `imposer=`/`target=` asks for one. `legend` and `source`
    leave those parts out; `title` replaces the default. Without `ax`, draws on a new
    pyplot figure. Returns the Axes."""
    v = data if isinstance(data, Vintages) else vintages(data, as_of, start, end)
    pairs = v.actual.pairs
    if not pairs:
        raise ValueError("no tariff measures in the scenario: there is no rate to plot")
    chosen = as_direction(direction, imposer=imposer, target=target, valid=pairs)
    style.check_span(v.actual.start, v.actual.end)
    ax = style.new_axes(ax)
    for pair in [chosen] if chosen else pairs:
        draw_vintages(ax, v, pair)
    style.percent_axis(ax, "Headline tariff rate")
    style.date_axis(ax)
    fix_top(ax)
    if legend:
        put_legend(ax, list(legend_handles([ax]).values()))
    if source:
        style.add_source(ax, vintage_source(v))
    shown = f"{style.direction_title(chosen)}: " if chosen else ""
    text = title if title is not None else f"{v.title}: {shown}headline rate as known on each day"
    ax.set_title(text, **TITLE)
    return ax


def legend_handles(axes: Sequence[Axes]) -> dict[str, Any]:
    """Each label of the Axes once, with its first handle."""
    seen: dict[str, Any] = {}
    for ax in axes:
        for handle, text in zip(*ax.get_legend_handles_labels(), strict=True):
            seen.setdefault(text, handle)
    return seen


def vintages_figure(v: Vintages) -> Figure:
    """A panel per direction (US→CN first), one legend and the source line."""
    from matplotlib.figure import Figure

    pairs = v.actual.pairs
    if not pairs:
        raise ValueError("no tariff measures in the scenario: there is no rate to plot")
    fig = Figure(figsize=(11, 3.9 * len(pairs) + 1.0), layout="constrained")
    axes = fig.subplots(len(pairs), 1, sharex=True, squeeze=False)[:, 0]
    for ax, pair in zip(axes, pairs, strict=True):
        title = f"{style.direction_title(pair)}: headline rate as known on each day"
        plot_vintages(v, ax=ax, direction=pair, legend=False, source=False, title=title)
    style.figure_title(fig, v.title)
    handles = list(legend_handles(axes).values())
    fig.legend(handles=handles, loc="outside right upper", frameon=False, fontsize=8)
    style.add_figure_source(fig, vintage_source(v))
    return fig
