"""Text reports of results for the terminal: the tables `tariffsim run`, `explain` and
`compare` print. Kept out of `cli` so the command code reads as checks, work, writes."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

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


def pct(value: float) -> str:
    return f"{value * 100:.1f}"


def wide(table: RateTable) -> list[str]:
    """Rates with one column pair per direction, in percent; a direction without a row on a
    day shows its rates of the day before."""
    by_day: dict[date, dict[str, tuple[float, float]]] = {}
    for day, imposer, target, headline, effective in table.rows():
        by_day.setdefault(day, {})[f"{imposer}→{target}"] = (headline, effective)
    directions = sorted(
        {d for row in by_day.values() for d in row}, key=lambda d: (d != "US→CN", d)
    )
    lines = [
        "date        " + "".join(f"{d + ' headline':>16}{'effective':>11}" for d in directions)
    ]
    last: dict[str, tuple[float, float]] = {}
    for day in sorted(by_day):
        last.update(by_day[day])
        cells = "".join(f"{pct(last[d][0]):>16}{pct(last[d][1]):>11}" for d in directions)
        lines.append(f"{iso(day)}  {cells}")
    return lines


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
        lines += ["", "Events:", *(event_line(ev) for ev in result.event_log())]
    return lines


def by_section_lines(result: SimulationResult, table: pd.DataFrame) -> list[str]:
    lines = [
        result.scenario.spec.title,
        f"Effective rate (MFN included) by HS section, in percent; {result.weights} trade weights",
        "",
    ]
    for (imp, tgt), rows in table.groupby(["imposer", "target"], sort=False):
        wide = rows.pivot_table(
            index=["section", "name", "trade_share"],
            columns="date",
            values="effective_rate",
            sort=False,
        )
        lines.append(f"{imp}→{tgt}")
        lines.append(
            f"  {'section':<7}{'':<37}{'share':>7}"
            + "".join(iso(d).rjust(12) for d in wide.columns)
        )
        for (sec, name, share), values in wide.iterrows():
            lines.append(
                f"  {sec:<7}{name[:36]:<37}{pct(share):>6}%"
                + "".join(f"{pct(v):>12}" for v in values)
            )
        lines.append("")
    return lines[:-1] if lines[-1] == "" else lines


def alphabetical(table: pd.DataFrame) -> pd.DataFrame:
    """Explain's rows with the directions alphabetical, as this command has printed them
    (the API lists US-CN first)."""
    return table.sort_values(["imposer", "target"], kind="stable")


def explain_product(table: pd.DataFrame) -> list[str]:
    lines = []
    table = alphabetical(table)
    for (code, imp, tgt), rows in table.groupby(["product", "imposer", "target"], sort=False):
        lines.append(f"{imp}→{tgt} {code} {rows['description'].iloc[0]}")
        width = max(len(m) for m in rows.measure) + 1
        for r in rows.itertuples():
            mark = "  =" if r.measure == "total" else ("  +" if r.applies else "  -")
            lines.append(
                f"{mark} {r.measure:<{width}} {pct(r.rate):>6}%  {r.rule}"
                + (f"  [{r.sources}]" if r.sources else "")
            )
        lines.append("")
    return lines


def explain_layers(
    result: SimulationResult, table: pd.DataFrame, day: date, show_all: bool
) -> list[str]:
    import pandas as pd

    lines = []
    totals = result.at(day).set_index(["imposer", "target"])
    for (imp, tgt), rows in alphabetical(table).groupby(["imposer", "target"], sort=False):
        header = f"{imp}→{tgt}"
        if (imp, tgt) in totals.index:
            row = totals.loc[(imp, tgt)]
            header += (
                f": headline {pct(row['headline_rate'])}%, effective "
                f"{pct(row['effective_rate'])}% (MFN included)"
            )
        lines.append(header)
        shown = rows if show_all else rows[rows.status.isin(LIVE_STATUSES)]
        width = max(len("measure"), *(len(m) for m in shown.measure)) + 2
        lines.append(
            f"  {'measure':<{width}}{'status':<18}{'rate':>7}{'covers':>8}{'adds':>7}"
            "  rule; sources"
        )
        for r in shown.itertuples():
            rate = "" if pd.isna(r.rate) else f"{pct(r.rate)}%"
            cov = "" if pd.isna(r.coverage) else f"{pct(r.coverage)}%"
            add = "" if pd.isna(r.contribution) else pct(r.contribution)
            lines.append(
                f"  {r.measure:<{width}}{r.status:<18}{rate:>7}{cov:>8}{add:>7}  "
                f"{r.rule}; {r.sources}"
            )
        hidden = len(rows) - len(shown)
        if hidden:
            lines.append(
                f"  ({hidden} more measures not in force on {iso(day)}: "
                f"{', '.join(sorted(set(rows.status) - LIVE_STATUSES))}; "
                "--all lists them)"
            )
        lines.append("")
    return lines


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
        lines += [f"{imp}→{tgt}", *aligned(header, cells, "<>>>>>>")]
    lines += ["", *attribution_lines(cmp, day), "", *compare_events(cmp)]
    return lines


def aligned(header: list[str], cells: list[list[str]], align: str, indent: str = "  ") -> list[str]:
    """Rows of text cells under a header, each column as wide as its widest cell; `align`
    gives each column's alignment ('<' or '>')."""
    widths = [max(len(x) for x in col) for col in zip(header, *cells, strict=True)]
    return [
        indent
        + "  ".join(f"{x:{al}{w}}" for x, al, w in zip(row, align, widths, strict=True)).rstrip()
        for row in (header, *cells)
    ]


def short(text: str, width: int = 44) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def attribution_lines(cmp: Comparison, day: date) -> list[str]:
    """Per direction, each measure's part of B minus A on `day`, and the total."""
    table = cmp.attribution(day)
    lines = [f"What moves A's rates to B's on {iso(day)} (percentage points, B minus A):"]
    for t in cmp.at(day).itertuples():
        rows = table[(table.imposer == t.imposer) & (table.target == t.target)]
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
        lines += aligned(header, cells, "<<>>>>")
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
            aligned(["date", "event", "id", "what"], cells, "<<<<", "    ")
            if cells
            else ["    none"]
        )
    return lines


def event_label(ev: Any) -> str:
    mark = {"trigger": "FIRED" if ev.fired else "not fired"}.get(ev.kind, "")
    return f"{ev.kind} {mark}".strip()
