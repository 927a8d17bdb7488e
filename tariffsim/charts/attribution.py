"""The attribution chart: a waterfall from scenario A's rate to scenario B's on one day, one
bar per measure that moves it (`Comparison.attribution`), totals at both ends.

matplotlib is imported inside the function, so importing this module costs nothing."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from tariffsim.arguments import direction_order

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from tariffsim.tables.comparison import Comparison

COLUMNS = ("effective", "headline")
UP, DOWN, TOTAL = "#c0392b", "#2e8b57", "#5d6d7e"  # a rise, a fall, a scenario's rate
MINUS = "\N{MINUS SIGN}"
TICK_SIZE = 8  # points, the bar names


def plot_attribution(
    comparison: Comparison,
    date: Any,
    *,
    direction: Any = None,
    column: str = "effective",
    top: int = 8,
    ax: Axes | None = None,
) -> Axes:
    """Draw what moves A's rate to B's on `date` (any date type) as a waterfall: A's rate,
    one bar per measure (by its name in the scenario, the largest first), B's rate.

    `direction` is "US-CN" (any case) or a (imposer, target) pair; None draws the first
    direction in `direction_order` (US→CN when there is one). `column` is "effective" (the
    trade-weighted rate, MFN included) or "headline". At most `top` measure bars: beyond
    them the smallest changes share one bar ("12 other measures"), so the bars still add up
    to B's rate. Bars are labelled in percentage points, the totals in percent; a source
    line names both scenarios. Without `ax`, draws on a new pyplot figure (so it shows in a
    notebook). Returns the Axes."""
    if column not in COLUMNS:
        raise ValueError(f"column must be one of {', '.join(COLUMNS)}, not {column!r}")
    day, pair = comparison.day_and_direction(date, direction, None, None)
    if pair is None:
        runs = (*comparison.a.directions, *comparison.b.directions)
        pairs = direction_order((d.imposer, d.target) for d in runs)
        if not pairs:
            raise ValueError("neither scenario has tariff measures: there is no rate to draw")
        pair = pairs[0]
    totals = comparison.at(day, pair).iloc[0]
    parts = largest(comparison.attribution(day, pair), f"{column}_change", max(top, 1))
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(10, 5.5), layout="constrained")
    draw_waterfall(ax, comparison, totals, parts, column)
    arrow = f"{pair[0]}\N{RIGHTWARDS ARROW}{pair[1]}"
    title = (
        f"What moves the {arrow} {column} tariff rate from {comparison.a.scenario.name} "
        f"to {comparison.b.scenario.name}, {day.strftime('%d %b %Y').lstrip('0')}"
        + ("" if len(parts) else ": no measure moves it")
    )
    ax.set_title("\n".join(textwrap.wrap(title, axes_chars(ax, 11))), loc="left", fontsize=11)
    what = "trade-weighted, MFN included" if column == "effective" else "as news reports quote it"
    ax.set_ylabel(f"{arrow} {column} rate, % ({what})")
    source_line(ax, comparison, column)
    return ax


def largest(parts: pd.DataFrame, change: str, top: int) -> pd.DataFrame:
    """The rows that move `change`, largest first; past `top` bars, the rest as one row."""
    import pandas as pd

    parts = parts[parts[change] != 0]
    parts = parts.iloc[(-parts[change].abs()).argsort(kind="stable")]
    if len(parts) <= top:
        return parts
    rest = parts.iloc[top - 1 :]
    other = {"name": f"{len(rest)} other measures", "rate_a": float("nan"), "rate_b": float("nan")}
    return pd.concat([parts.iloc[: top - 1], pd.DataFrame([{**other, change: rest[change].sum()}])])


def draw_waterfall(
    ax: Axes, comparison: Comparison, totals: pd.Series, parts: pd.DataFrame, column: str
) -> None:
    """The bars, their value labels, the connectors and the x labels."""
    from matplotlib.ticker import PercentFormatter

    start, end = 100 * totals[f"{column}_a"], 100 * totals[f"{column}_b"]
    changes = (100 * parts[f"{column}_change"]).tolist()
    names = [
        f"A: {comparison.a.scenario.name}",
        *(
            bar_name(r.name, r.rate_a, r.rate_b, wrap_width(ax, len(parts)))
            for r in parts.itertuples()
        ),
        f"B: {comparison.b.scenario.name}",
    ]
    ax.bar(0, start, color=TOTAL, width=0.6)
    level = start
    for i, change in enumerate(changes, start=1):
        ax.bar(i, change, bottom=level, color=UP if change > 0 else DOWN, width=0.6)
        ax.plot([i - 1.3, i + 0.3], [level, level], color="#999999", lw=0.8, ls=":")
        level += change
    n = len(changes) + 1
    ax.plot([n - 1.3, n + 0.3], [level, level], color="#999999", lw=0.8, ls=":")
    ax.bar(n, end, color=TOTAL, width=0.6)
    ax.set_xticks(range(n + 1), names, fontsize=TICK_SIZE)
    levels = [0.0, start, end, *(start + sum(changes[:i]) for i in range(1, n))]
    lo, hi = min(levels), max(levels)
    pad = 0.1 * (hi - lo or 1.0)  # room for the labels; floating bars stop autoscaling
    ax.set_ylim(lo - (pad if lo < 0 else 0), hi + pad)
    label_bars(ax, start, changes, end, floor=lo + pad)
    ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
    ax.axhline(0, color="black", lw=0.8)
    ax.grid(True, axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def wrap_width(ax: Axes, measures: int) -> int:
    """Characters per line of a bar's name, so that names of neighbouring bars keep apart:
    the axes' width shared by the bars, in characters of the tick labels' size."""
    return max(6, axes_chars(ax, TICK_SIZE) // (measures + 2) - 2)


def axes_chars(ax: Axes, size: float) -> int:
    """About how many characters of `size` points fit across the axes."""
    points = ax.get_position().width * ax.figure.get_figwidth() * 72
    return int(points / (size * 0.55))  # an average character of the default font


def bar_name(name: str, rate_a: float, rate_b: float, width: int) -> str:
    """A measure's name, wrapped, and its rate in A and B ('off' where not in force)."""
    lines = textwrap.wrap(name, width, break_long_words=False, max_lines=4, placeholder=" …")
    if rate_a == rate_a or rate_b == rate_b:  # not both NaN (MFN has no rate)
        lines.append(f"{rate_text(rate_a)} \N{RIGHTWARDS ARROW} {rate_text(rate_b)}")
    return "\n".join(lines)


def rate_text(rate: float) -> str:
    return "off" if rate != rate else f"{100 * rate:.4g}%"


def label_bars(ax: Axes, start: float, changes: list[float], end: float, floor: float) -> None:
    """Totals in percent above their bars; changes in percentage points beyond the end
    they move to (above a rise, below a fall, unless that is too close to the floor)."""
    ax.annotate(f"{start:.1f}%", (0, start), **outside(start >= 0), fontweight="bold")
    level = start
    for i, change in enumerate(changes, start=1):
        text = f"{'+' if change > 0 else MINUS}{abs(change):.1f} pp"
        up = change > 0 or level + change < floor
        ax.annotate(text, (i, max(level, level + change) if up else level + change), **outside(up))
        level += change
    n = len(changes) + 1
    ax.annotate(f"{end:.1f}%", (n, end), **outside(end >= 0), fontweight="bold")


def outside(up: bool) -> dict[str, Any]:
    return {
        "xytext": (0, 3 if up else -3),
        "textcoords": "offset points",
        "ha": "center",
        "va": "bottom" if up else "top",
        "fontsize": 8,
    }


def source_line(ax: Axes, comparison: Comparison, column: str) -> None:
    """Under the bar names (as the x-axis label, so layouts make room for it): which
    scenarios, weights and data the figures come from."""
    a, b = comparison.a, comparison.b
    weights = f"Effective rates weighted by {a.weights} trade. " if column == "effective" else ""
    text = (
        f"A: {a.scenario.spec.title}. B: {b.scenario.spec.title}. {weights}"
        f"Source: tariffsim scenarios {a.scenario.name} and {b.scenario.name}."
    )
    ax.set_xlabel("\n".join(textwrap.wrap(text, 140)), loc="left", fontsize=7, color="#555555")
