"""Text reports of results for the terminal: the tables `tariffsim run`, `explain` and
`compare` print. Kept out of `cli` so the command code reads as checks, work, writes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from tariffsim.arguments import Direction, direction_order
from tariffsim.engine.timeline import LIVE

if TYPE_CHECKING:
    import pandas as pd

    from tariffsim.tables.comparison import Comparison
    from tariffsim.tables.rate_table import RateTable
    from tariffsim.tables.results import SimulationResult

LIVE_STATUSES = {state.value for state in LIVE}  # what explain lists without --all


def iso(value: date) -> str:
    """A day as YYYY-MM-DD whatever its year (strftime's %Y drops leading zeros)."""
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def event_line(ev: Any) -> str:
    """One event of a result's event table, as a line of text."""
    mark = {"trigger": "FIRED" if ev.fired else "not fired"}.get(ev.kind, "")
    label = f"{ev.kind} {mark}".strip()
    return f"{iso(ev.date)}  {label:<18} {ev.id or ev.measure:<30} {ev.detail}"


def listing(heading: str, lines: list[str]) -> list[str]:
    """A heading and its indented lines, or `none` so an empty section reads as checked."""
    return [heading, *(f"  {line}" for line in lines or ["none"])]


def count(n: int, noun: str) -> str:
    """`1 measure`, `2 measures`."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def pct(value: float) -> str:
    return f"{value * 100:.1f}"


def table(
    header: Sequence[str], rows: Iterable[Sequence[str]], align: str, indent: str = ""
) -> list[str]:
    """A header over its rows, each column as wide as its widest cell (header included) and
    two spaces apart, so every header sits over its column. `align` has one character per
    column: '<' for text, '>' for numbers. Blanks at the ends of lines are dropped."""
    lines = [list(header), *(list(r) for r in rows)]
    widths = [max(len(cell) for cell in column) for column in zip(*lines, strict=True)]
    out = []
    for cells in lines:
        text = "  ".join(f"{c:{a}{w}}" for c, a, w in zip(cells, align, widths, strict=True))
        out.append((indent + text).rstrip())
    return out


def in_order(groups: Any, direction: Callable[[Any], Direction]) -> list[tuple[Any, Any]]:
    """A pandas groupby's groups, directions in the order every command lists them."""
    keyed = list(groups)
    rank = {d: i for i, d in enumerate(direction_order(direction(k) for k, _ in keyed))}
    return sorted(keyed, key=lambda item: rank[direction(item[0])])


def wide(rates: RateTable) -> list[str]:
    """Rates with one column pair per direction, in percent; a direction without a row on a
    day shows its rates of the day before."""
    by_day: dict[date, dict[Direction, tuple[float, float]]] = {}
    for day, imposer, target, headline, effective in rates.rows():
        by_day.setdefault(day, {})[(imposer, target)] = (headline, effective)
    directions = direction_order(d for row in by_day.values() for d in row)
    header = ["date"]
    for imposer, target in directions:
        header += [f"{imposer}→{target} headline", "effective"]
    rows = []
    last: dict[Direction, tuple[float, float]] = {}
    for day in sorted(by_day):
        last.update(by_day[day])
        rows.append([iso(day), *(pct(x) for d in directions for x in last[d])])
    return table(header, rows, "<" + ">>" * len(directions))


def event_rows(result: SimulationResult) -> list[str]:
    """The event log as a table: date, what happened, to which item, the detail."""
    rows = []
    for ev in result.event_log():
        mark = {"trigger": "FIRED" if ev.fired else "not fired"}.get(ev.kind, "")
        rows.append([iso(ev.date), f"{ev.kind} {mark}".strip(), ev.id or ev.measure, ev.detail])
    return table(["date", "event", "id", "detail"], rows, "<<<<")


def run_lines(result: SimulationResult, at: list[date], no_events: bool) -> list[str]:
    spec = result.scenario.spec
    lines = [
        spec.title,
        f"{iso(result.start)} to {iso(result.end)}; rates in percent; "
        f"effective rates weighted by {result.weights} trade",
        "",
    ]
    if at:
        lines += wide(result.rate_table(result.ordinals(*at)))
    else:
        changes = result.rate_table(result.starts).changes()
        lines += ["Rates on the first day and on each day they change:", *wide(changes)]
    if not no_events:
        lines += ["", "Events:", *event_rows(result)]
    return lines


def by_section_lines(result: SimulationResult, rates: pd.DataFrame) -> list[str]:
    lines = [
        result.scenario.spec.title,
        f"Effective rate (MFN included) by HS section, in percent; {result.weights} trade weights",
        "",
    ]
    groups = rates.groupby(["imposer", "target"], sort=False)
    for (imp, tgt), rows in in_order(groups, lambda key: key):
        by_day = rows.pivot_table(
            index=["section", "name", "trade_share"],
            columns="date",
            values="effective_rate",
            sort=False,
        )
        cells = [
            [sec, name[:36], f"{pct(share)}%", *(pct(v) for v in values)]
            for (sec, name, share), values in by_day.iterrows()
        ]
        header = ["section", "", "share", *(iso(d) for d in by_day.columns)]
        lines += [f"{imp}→{tgt}", *table(header, cells, "<<>" + ">" * len(by_day.columns), "  ")]
        lines.append("")
    return lines[:-1] if lines[-1] == "" else lines


def explain_product(layers: pd.DataFrame) -> list[str]:
    lines = []
    groups = layers.groupby(["product", "imposer", "target"], sort=False)
    for (code, imp, tgt), rows in in_order(groups, lambda key: key[1:]):
        lines.append(f"{imp}→{tgt} {code} {rows['description'].iloc[0]}")
        cells = [
            [
                "=" if r.measure == "total" else ("+" if r.applies else "-"),
                r.measure,
                f"{pct(r.rate)}%",
                f"{r.rule}; {r.sources}" if r.sources else r.rule,
            ]
            for r in rows.itertuples()
        ]
        lines += [*table(["", "measure", "rate", "rule; sources"], cells, "<<><", "  "), ""]
    return lines


def explain_layers(
    result: SimulationResult, layers: pd.DataFrame, day: date, show_all: bool
) -> list[str]:
    lines = []
    totals = result.at(day).set_index(["imposer", "target"])
    groups = layers.groupby(["imposer", "target"], sort=False)
    for (imp, tgt), rows in in_order(groups, lambda key: key):
        header = f"{imp}→{tgt}"
        if (imp, tgt) in totals.index:
            row = totals.loc[(imp, tgt)]
            header += (
                f": headline {pct(row['headline_rate'])}%, effective "
                f"{pct(row['effective_rate'])}% (MFN included)"
            )
        shown = rows if show_all else rows[rows.status.isin(LIVE_STATUSES)]
        lines += [header, *layer_table(shown)]
        hidden = len(rows) - len(shown)
        if hidden:
            lines.append(
                f"  ({hidden} more measures not in force on {iso(day)}: "
                f"{', '.join(sorted(set(rows.status) - LIVE_STATUSES))}; "
                "--all lists them)"
            )
        lines.append("")
    return lines


def layer_table(rows: pd.DataFrame) -> list[str]:
    """The layers of one direction: rate, share of trade covered, points added."""
    import pandas as pd

    def cell(value: float, unit: str = "%") -> str:
        return "" if pd.isna(value) else f"{pct(value)}{unit}"

    cells = [
        [
            r.measure,
            r.status,
            cell(r.rate),
            cell(r.coverage),
            cell(r.contribution, ""),
            f"{r.rule}; {r.sources}",
        ]
        for r in rows.itertuples()
    ]
    header = ["measure", "status", "rate", "covers", "adds", "rule; sources"]
    return table(header, cells, "<<>>><", "  ")


def compare_lines(cmp: Comparison, day: date) -> list[str]:
    """The comparison: rules that differ, both rate paths where their difference changes,
    what each measure contributes to the difference on `day`, events in one run only."""
    a, b = cmp.a.scenario, cmp.b.scenario
    lines = [
        f"A: {a.name} - {a.spec.title}",
        f"B: {b.name} - {b.spec.title}",
        f"Compared over {iso(cmp.a.start)} to {iso(cmp.a.end)}; rates in percent; B minus A",
        "",
    ]
    lines += listing(
        "Rules that differ:", [f"{r.change:<10} {r.kind:<8} {r.id}" for r in cmp.rules.itertuples()]
    )
    lines += ["", "Rates on the first day and on each day the difference changes:"]
    for (imp, tgt), rows in cmp.rates.groupby(["imposer", "target"], sort=False):
        cells = [
            [iso(r.date), *(pct(v) for v in (r[4], r[5], r[6], r[7], r[8], r[9]))]
            for r in rows.itertuples()
        ]
        header = ["date", "headline A", "B", "B-A", "effective A", "B", "B-A"]
        lines += [f"{imp}→{tgt}", *table(header, cells, "<>>>>>>", "  ")]
    lines += ["", *attribution_lines(cmp, day), "", *compare_events(cmp)]
    return lines


def short(text: str, width: int = 44) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def attribution_lines(cmp: Comparison, day: date) -> list[str]:
    """Per direction, each measure's part of B minus A on `day`, and the total."""
    parts = cmp.attribution(day)
    lines = [f"What moves A's rates to B's on {iso(day)} (percentage points, B minus A):"]
    for t in cmp.at(day).itertuples():
        rows = parts[(parts.imposer == t.imposer) & (parts.target == t.target)]
        lines.append(
            f"{t.imposer}→{t.target}: headline {pct(t.headline_a)} → {pct(t.headline_b)}, "
            f"effective {pct(t.effective_a)} → {pct(t.effective_b)}"
        )
        cells = [
            [
                r.measure,
                short(r.name),
                rate_cell(r.rate_a),
                rate_cell(r.rate_b),
                pct(r.headline_change),
                pct(r.effective_change),
            ]
            for r in rows.itertuples()
        ]
        if not cells:
            lines.append("  no measure differs on this day")
            continue
        cells.append(["total", "", "", "", pct(t.headline_diff), pct(t.effective_diff)])
        header = ["measure", "name", "rate A", "rate B", "headline", "effective"]
        lines += table(header, cells, "<<>>>>", "  ")
    return lines


def rate_cell(value: float) -> str:
    """A measure's rate, or '-' where it is not in force."""
    return "-" if value != value else pct(value)


def compare_events(cmp: Comparison) -> list[str]:
    """Events logged in one run only, under the scenario they happen in, with their dates."""
    lines = ["Events in only one scenario:"]
    for side, result in (("a", cmp.a), ("b", cmp.b)):
        events = cmp.events[cmp.events.side == side]
        lines.append(f"  only in {side.upper()} ({result.scenario.name}):")
        cells = [
            [iso(e.date), event_label(e), e.id or e.measure, e.detail] for e in events.itertuples()
        ]
        lines += (
            table(["date", "event", "id", "what"], cells, "<<<<", "    ") if cells else ["    none"]
        )
    return lines


def event_label(ev: Any) -> str:
    mark = {"trigger": "FIRED" if ev.fired else "not fired"}.get(ev.kind, "")
    return f"{ev.kind} {mark}".strip()
