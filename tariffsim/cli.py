"""The `tariffsim` command line. Heavy libraries (pandas, matplotlib) are imported only inside
the commands that need them, so `--help`, `list`, `schema` and `validate` start fast."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tariffsim import __version__
from tariffsim.errors import DataError, Diagnostic, ScenarioError

if TYPE_CHECKING:
    import pandas as pd

    from tariffsim.results import SimulationResult

EPILOG = """\
FILE is a scenario YAML file or the name of a bundled scenario (see `tariffsim list`).
Dates are YYYY-MM-DD; --start and --end are both included. Rates print in percent;
CSV output holds fractions (0.25 = 25%).

examples:
  tariffsim run busan-deal
  tariffsim run pre-summit --at 2025-10-27 --at 2025-11-10
  tariffsim run history --csv rates.csv
  tariffsim explain busan-deal --date 2025-11-10
  tariffsim explain history --date 2025-05-01 --product 8517.13
  tariffsim plot pre-summit busan-deal -o busan.png
  tariffsim compare pre-summit busan-deal
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tariffsim", description="US–China tariff and deadline scenario simulator.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"tariffsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", help="check scenario files; report every problem")
    p.add_argument("files", nargs="+", metavar="FILE")

    def horizon(p: argparse.ArgumentParser) -> None:
        p.add_argument("--start", metavar="DATE", help="first day (default: scenario horizon)")
        p.add_argument("--end", metavar="DATE", help="last day (default: scenario horizon)")
        p.add_argument("--weights", default="2024", metavar="YEAR",
                       help="base-year trade weights: 2024 (default) or 2017")

    p = sub.add_parser("run", help="simulate a scenario and print its rate path and events")
    p.add_argument("file", metavar="FILE")
    horizon(p)
    p.add_argument("--at", action="append", metavar="DATE", default=[],
                   help="show rates on this day (repeatable)")
    p.add_argument("--csv", metavar="PATH", help="write daily rates as CSV ('-' for stdout)")
    p.add_argument("--no-events", action="store_true", help="leave out the event log")
    p.add_argument("--by", choices=["section"],
                   help="effective rate by HS section (on --at days, else start and end)")

    p = sub.add_parser("explain", help="every layer on one day: rate, rule, source")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--date", required=True, metavar="DATE")
    p.add_argument("--direction", metavar="US-CN", help="only this direction (imposer-target)")
    p.add_argument("--product", metavar="HS", help="one product line, e.g. 8517.13")
    p.add_argument("--weights", default="2024", metavar="YEAR")
    p.add_argument("--all", action="store_true",
                   help="also list measures not in force that day (void, revoked, not yet...)")

    p = sub.add_parser("plot", help="draw the rate paths of one or more scenarios to a PNG")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-o", "--output", required=True, metavar="PNG")
    horizon(p)

    p = sub.add_parser("compare", help="what differs between two scenarios, and why")
    p.add_argument("file_a", metavar="A")
    p.add_argument("file_b", metavar="B")
    horizon(p)
    p.add_argument("--csv", metavar="PATH", help="write the compared rates as CSV ('-': stdout)")

    sub.add_parser("list", help="list the bundled scenarios")
    p = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    p.add_argument("--output", "-o", metavar="PATH", help="write it to a file instead")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 success, 1 user error, 2 usage error)."""
    args = _parser().parse_args(argv)
    try:
        return int(COMMANDS[args.command](args) or 0)
    except ScenarioError as exc:
        for diag in exc.diagnostics:
            print(f"{diag.file}:{diag.line}:{diag.col}: error: {diag.message}"
                  if diag.line else f"{diag.file}: error: {diag.message}", file=sys.stderr)
        count = len(exc.diagnostics)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return 1
    except DataError as exc:
        print(f"tariffsim: data error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


# ------------------------------------------------------------------------------ commands

def cmd_validate(args: argparse.Namespace) -> int:
    from tariffsim.loader import load_scenario

    problems: list[Diagnostic] = []
    for name in args.files:
        try:
            scenario = load_scenario(name)
        except ScenarioError as exc:
            problems.extend(exc.diagnostics)
            continue
        spec = scenario.spec
        print(f"ok  {name}: {spec.title} ({len(spec.measures)} measures, {len(spec.moves)} "
              f"moves, {len(spec.triggers)} triggers)")
    if problems:
        raise ScenarioError(problems)
    return 0


def _day(value: str | None, flag: str) -> Any:
    """A date given on the command line, or a one-line error naming the option."""
    from tariffsim.model import parse_day

    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise ScenarioError([Diagnostic(flag, 0, 0, str(exc).split("\n")[0])]) from None


def _simulate(file: str, args: argparse.Namespace) -> SimulationResult:
    from tariffsim.engine import simulate

    return simulate(file, _day(args.start, "--start"), _day(args.end, "--end"),
                    weights=args.weights)


def _emit_csv(frame: pd.DataFrame, target: str) -> bool:
    """Write `frame` as CSV to a file (atomically) or, for '-', to stdout; True for stdout,
    where the CSV is the whole output."""
    from tariffsim.output import csv_text, write_atomic

    text = csv_text(frame)
    if target == "-":
        sys.stdout.write(text)
        return True
    write_atomic(Path(target), text.encode())
    return False


def _event_line(ev: Any) -> str:
    """One event of a result's event table, as a line of text."""
    mark = {"trigger": "FIRED" if ev.fired else "not fired"}.get(ev.kind, "")
    label = f"{ev.kind} {mark}".strip()
    return f"{ev.date:%Y-%m-%d}  {label:<18} {ev.id or ev.measure:<30} {ev.detail}"


def _print_list(heading: str, lines: list[str]) -> None:
    """A heading and its indented lines, or `none` so an empty section reads as checked."""
    print(heading)
    for line in lines or ["none"]:
        print(f"  {line}")


def _pct(value: float) -> str:
    return f"{value * 100:.1f}"


def _wide(frame: pd.DataFrame) -> str:
    """Rates with one column pair per direction, in percent."""
    frame = frame.assign(direction=frame["imposer"] + "→" + frame["target"])
    table = frame.pivot_table(index="date", columns="direction",
                              values=["headline_rate", "effective_rate"], sort=True)
    table = table.ffill()
    lines = []
    directions = sorted(frame["direction"].unique(), key=lambda d: (d != "US→CN", d))
    head = "date        " + "".join(f"{d + ' headline':>16}{'effective':>11}" for d in directions)
    lines.append(head)
    for when, row in table.iterrows():
        cells = "".join(f"{_pct(row[('headline_rate', d)]):>16}"
                        f"{_pct(row[('effective_rate', d)]):>11}" for d in directions)
        lines.append(f"{when:%Y-%m-%d}  {cells}")
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> int:
    from tariffsim.output import check_writable

    if args.csv and args.csv != "-":
        check_writable(Path(args.csv))
    for value in args.at:
        _day(value, "--at")
    result = _simulate(args.file, args)
    if args.by == "section":
        return _run_by_section(result, args)
    if args.csv and _emit_csv(result.rates, args.csv):
        return 0
    spec = result.scenario.spec
    print(f"{spec.title}\n{result.start} to {result.end}; rates in percent; effective rates "
          f"weighted by {result.weights} trade\n")
    if args.at:
        print(_wide(result.at(*args.at)))
    else:
        print("Rates on the first day and on each day they change:")
        print(_wide(result.changes))
    if not args.no_events:
        events = result.events
        print("\nEvents:")
        for ev in events.itertuples():
            print(_event_line(ev))
    if args.csv and args.csv != "-":
        print(f"\nwrote {len(result.rates):,} daily rows to {args.csv}")
    return 0


def _run_by_section(result: SimulationResult, args: argparse.Namespace) -> int:

    days = args.at or [result.start.isoformat(), result.end.isoformat()]
    table = result.by_section(*days)
    if args.csv and _emit_csv(table, args.csv):
        return 0
    print(f"{result.scenario.spec.title}\nEffective rate (MFN included) by HS section, in "
          f"percent; {result.weights} trade weights\n")
    for (imp, tgt), rows in table.groupby(["imposer", "target"], sort=False):
        wide = rows.pivot_table(index=["section", "name", "trade_share"], columns="date",
                                values="effective_rate", sort=False)
        print(f"{imp}→{tgt}")
        print(f"  {'section':<7}{'':<37}{'share':>7}" + "".join(f"{d:%Y-%m-%d}".rjust(12)
                                                              for d in wide.columns))
        for (sec, name, share), values in wide.iterrows():
            print(f"  {sec:<7}{name[:36]:<37}{_pct(share):>6}%"
                  + "".join(f"{_pct(v):>12}" for v in values))
        print()
    if args.csv and args.csv != "-":
        print(f"wrote {len(table):,} rows to {args.csv}")
    return 0


LIVE_STATUSES = {"in force", "suspended", "partly suspended", "threatened"}


def cmd_explain(args: argparse.Namespace) -> int:
    import pandas as pd

    imposer = target = None
    if args.direction:
        parts = args.direction.replace("→", "-").split("-")
        if len(parts) != 2:
            raise ScenarioError([Diagnostic("--direction", 0, 0,
                                            "write the direction as IMPOSER-TARGET, e.g. US-CN")])
        imposer, target = (p.upper() for p in parts)
    args.start = args.end = None
    result = _simulate(args.file, args)
    table = result.explain(args.date, imposer, target, product=args.product)
    if args.product and table.empty:
        raise ScenarioError([Diagnostic("--product", 0, 0,
                                        f"no product line matches '{args.product}'")])
    print(f"{result.scenario.spec.title}\nLayers on {args.date}\n")
    if args.product:
        for (code, imp, tgt), rows in table.groupby(["product", "imposer", "target"],
                                                    sort=False):
            print(f"{imp}→{tgt} {code} {rows['description'].iloc[0]}")
            width = max(len(m) for m in rows.measure) + 1
            for r in rows.itertuples():
                mark = "  =" if r.measure == "total" else ("  +" if r.applies else "  -")
                print(f"{mark} {r.measure:<{width}} {_pct(r.rate):>6}%  {r.rule}"
                      + (f"  [{r.sources}]" if r.sources else ""))
            print()
        return 0
    totals = result.at(args.date).set_index(["imposer", "target"])
    for (imp, tgt), rows in table.groupby(["imposer", "target"], sort=False):
        header = f"{imp}→{tgt}"
        if (imp, tgt) in totals.index:
            row = totals.loc[(imp, tgt)]
            header += (f": headline {_pct(row['headline_rate'])}%, effective "
                       f"{_pct(row['effective_rate'])}% (MFN included)")
        print(header)
        shown = rows if args.all else rows[rows.status.isin(LIVE_STATUSES)]
        width = max(len("measure"), *(len(m) for m in shown.measure)) + 2
        print(f"  {'measure':<{width}}{'status':<18}{'rate':>7}{'covers':>8}{'adds':>7}"
              "  rule; sources")
        for r in shown.itertuples():
            rate = "" if pd.isna(r.rate) else f"{_pct(r.rate)}%"
            cov = "" if pd.isna(r.coverage) else f"{_pct(r.coverage)}%"
            add = "" if pd.isna(r.contribution) else _pct(r.contribution)
            print(f"  {r.measure:<{width}}{r.status:<18}{rate:>7}{cov:>8}{add:>7}  {r.rule}; "
                  f"{r.sources}")
        hidden = len(rows) - len(shown)
        if hidden:
            print(f"  ({hidden} more measures not in force on {args.date}: "
                  f"{', '.join(sorted(set(rows.status) - LIVE_STATUSES))}; --all lists them)")
        print()
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    from tariffsim.output import check_writable, write_atomic

    out = Path(args.output)
    if out.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise ScenarioError([Diagnostic(str(out), 0, 0,
                                        "the output must end in .png, .svg or .pdf")])
    check_writable(out)
    if len(args.files) > 1 and args.start is None and args.end is None:
        args.start, args.end = _common_horizon(args.files)
    results = [_simulate(f, args) for f in args.files]
    from tariffsim.plotting import scenario_figure

    fig = scenario_figure(results)
    buf = io.BytesIO()
    fig.savefig(buf, format=out.suffix.lower().lstrip("."), dpi=150)
    write_atomic(out, buf.getvalue())
    print(f"wrote {out}")
    return 0


def _common_horizon(files: list[str]) -> tuple[str | None, str | None]:
    """The span of all the scenarios' horizons, so compared paths share one time axis."""
    from tariffsim.loader import load_scenario

    horizons = [h for h in (load_scenario(f).spec.horizon for f in files) if h is not None]
    if not horizons:
        return None, None
    return (min(h.start for h in horizons).isoformat(), max(h.end for h in horizons).isoformat())


def cmd_compare(args: argparse.Namespace) -> int:
    from tariffsim.comparison import compare
    from tariffsim.output import check_writable

    if args.csv and args.csv != "-":
        check_writable(Path(args.csv))
    cmp = compare(args.file_a, args.file_b, _day(args.start, "--start"),
                  _day(args.end, "--end"), weights=args.weights)
    rates = cmp.rates
    if args.csv and _emit_csv(rates, args.csv):
        return 0
    a, b = cmp.a.scenario, cmp.b.scenario
    print(f"A: {a.name} - {a.spec.title}\nB: {b.name} - {b.spec.title}\n"
          f"{cmp.a.start} to {cmp.a.end}; rates in percent; B minus A\n")
    _print_list("Rules that differ:",
                [f"{r.change:<10} {r.kind:<8} {r.id}" for r in cmp.rules.itertuples()])
    print("\nRates on the first day and on each day the difference changes:")
    for (imp, tgt), rows in rates.groupby(["imposer", "target"], sort=False):
        print(f"{imp}→{tgt}      headline: A       B    B-A   effective: A       B    B-A")
        for r in rows.itertuples():
            print(f"  {r.date:%Y-%m-%d}  {_pct(r.headline_a):>13}{_pct(r.headline_b):>8}"
                  f"{_pct(r.headline_diff):>7}  {_pct(r.effective_a):>13}"
                  f"{_pct(r.effective_b):>8}{_pct(r.effective_diff):>7}")
    _print_list("\nEvents in only one scenario:",
                [f"{ev.side}  {_event_line(ev)}" for ev in cmp.events.itertuples()])
    if args.csv and args.csv != "-":
        print(f"\nwrote {len(rates):,} rows to {args.csv}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from tariffsim.loader import load_scenario
    from tariffsim.resources import bundled_scenarios

    for name, path in bundled_scenarios().items():
        try:
            title = load_scenario(path).spec.title
        except ScenarioError:
            title = "(invalid: run tariffsim validate)"
        print(f"{name:<16} {title}")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from tariffsim.model import json_schema
    from tariffsim.output import write_atomic

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        write_atomic(Path(args.output), text.encode())
    else:
        sys.stdout.write(text)
    return 0


COMMANDS = {"validate": cmd_validate, "run": cmd_run, "explain": cmd_explain,
            "plot": cmd_plot, "compare": cmd_compare, "list": cmd_list, "schema": cmd_schema}
