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


def count(n: int, noun: str) -> str:
    """`1 measure`, `2 measures`."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


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


def explain_product(table: pd.DataFrame) -> list[str]:
    lines = []
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
    for (imp, tgt), rows in table.groupby(["imposer", "target"], sort=False):
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


def compare_lines(cmp: Comparison) -> list[str]:
    a, b = cmp.a.scenario, cmp.b.scenario
    lines = [
        f"A: {a.name} - {a.spec.title}",
        f"B: {b.name} - {b.spec.title}",
        f"{iso(cmp.a.start)} to {iso(cmp.a.end)}; rates in percent; B minus A",
        "",
    ]
    lines += listing(
        "Rules that differ:", [f"{r.change:<10} {r.kind:<8} {r.id}" for r in cmp.rules.itertuples()]
    )
    lines += ["", "Rates on the first day and on each day the difference changes:"]
    for (imp, tgt), rows in cmp.rates.groupby(["imposer", "target"], sort=False):
        lines.append(f"{imp}→{tgt}      headline: A       B    B-A   effective: A       B    B-A")
        for r in rows.itertuples():
            lines.append(
                f"  {iso(r.date)}  {pct(r.headline_a):>13}{pct(r.headline_b):>8}"
                f"{pct(r.headline_diff):>7}  {pct(r.effective_a):>13}"
                f"{pct(r.effective_b):>8}{pct(r.effective_diff):>7}"
            )
    lines += [
        "",
        *listing(
            "Events in only one scenario:",
            [f"{ev.side}  {event_line(ev)}" for ev in cmp.events.itertuples()],
        ),
    ]
    return lines
