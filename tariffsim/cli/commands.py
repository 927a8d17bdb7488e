"""The `tariffsim` command line. Heavy libraries (pandas, matplotlib) are imported only inside
the commands that need them, so `--help`, `list`, `schema` and `validate` start fast."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tariffsim import __version__
from tariffsim.cli import options, render
from tariffsim.cli.output import OutputError
from tariffsim.errors import DataError, Diagnostic, ScenarioError
from tariffsim.products import DEFAULT_WEIGHTS

if TYPE_CHECKING:
    from tariffsim.cli.output import Destination
    from tariffsim.scenario.loading import Scenario
    from tariffsim.tables.results import SimulationResult

EPILOG = """\
FILE is a scenario YAML file or the name of a bundled scenario (see `tariffsim list`).
Dates are YYYY-MM-DD; --start and --end are both included. Rates print in percent;
CSV output holds fractions (0.25 = 25%).

Outputs (--csv, -o) are checked before any work and written last, so a failed run leaves
the previous file alone. A regular file is replaced whole and keeps its mode; '-', a device
or a FIFO is written as a stream, never replaced; a symbolic link or an input scenario file
is refused. Exit status: 0 done, 1 error (one line each, no traceback), 2 usage,
130 interrupted (Ctrl-C), 143 terminated (SIGTERM); temporary files are removed on each.

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
        prog="tariffsim",
        description="US–China tariff and deadline scenario simulator.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tariffsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def any_base(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--allow-any-base",
            action="store_true",
            help="let `extends` name a file outside the scenario's folder "
            "(by default: bundled, beside or below it only)",
        )

    p = sub.add_parser("validate", help="check scenario files; report every problem")
    p.add_argument("files", nargs="+", metavar="FILE")
    any_base(p)

    def horizon(p: argparse.ArgumentParser) -> None:
        p.add_argument("--start", metavar="DATE", help="first day (default: scenario horizon)")
        p.add_argument("--end", metavar="DATE", help="last day (default: scenario horizon)")
        p.add_argument(
            "--weights",
            default=DEFAULT_WEIGHTS,
            metavar="YEAR",
            help="base-year trade weights: 2024 (default) or 2017",
        )
        any_base(p)

    p = sub.add_parser("run", help="simulate a scenario and print its rate path and events")
    p.add_argument("file", metavar="FILE")
    horizon(p)
    p.add_argument(
        "--at",
        action="append",
        metavar="DATE",
        default=[],
        help="show rates on this day (repeatable)",
    )
    p.add_argument("--csv", metavar="PATH", help="write daily rates as CSV ('-' for stdout)")
    p.add_argument("--no-events", action="store_true", help="leave out the event log")
    p.add_argument(
        "--by",
        choices=["section"],
        help="effective rate by HS section (on --at days, else start and end)",
    )

    p = sub.add_parser("explain", help="every layer on one day: rate, rule, source")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--date", required=True, metavar="DATE")
    p.add_argument("--direction", metavar="US-CN", help="only this direction (imposer-target)")
    p.add_argument("--product", metavar="HS", help="one product line, e.g. 8517.13")
    p.add_argument("--weights", default=DEFAULT_WEIGHTS, metavar="YEAR")
    any_base(p)
    p.add_argument(
        "--all",
        action="store_true",
        help="also list measures not in force that day (void, revoked, not yet...)",
    )

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
    """Run the CLI; returns the exit code: 0 success, 1 user error or an output that cannot be
    written, 2 usage error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM). Every failure
    is reported on stderr without a traceback, and leaves no temporary file behind."""
    args = _parser().parse_args(argv)
    if sys.stdout is None:
        _error("cannot write standard output: it is closed")
        return 1
    with _sigterm_raises():
        try:
            code = int(COMMANDS[args.command](args) or 0)
            _flush_stdout()
            return code
        except ScenarioError as exc:
            for diag in exc.diagnostics:
                _error_line(
                    f"{diag.file}:{diag.line}:{diag.col}: error: {diag.message}"
                    if diag.line
                    else f"{diag.file}: error: {diag.message}"
                )
            count = len(exc.diagnostics)
            _error_line(f"{count} problem{'s' if count != 1 else ''} found")
            return 1
        except OutputError as exc:
            _error(str(exc))
            return 1
        except DataError as exc:
            _error(f"data error: {exc}")
            return 1
        except BrokenPipeError:
            return 0
        except KeyboardInterrupt:
            _error_line("tariffsim: interrupted")
            return 130
        except Terminated:
            _error_line("tariffsim: terminated")
            return 143


# ------------------------------------------------------------------------ process plumbing


class Terminated(SystemExit):
    """Raised by the SIGTERM handler so `finally` blocks (temporary files) run."""

    def __init__(self) -> None:
        super().__init__(143)


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into `Terminated` while a command runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _error_line(text: str) -> None:
    if sys.stderr is not None:
        print(text, file=sys.stderr)


def _error(message: str) -> None:
    _error_line(f"tariffsim: error: {message}")


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError("standard output", exc.strerror or str(exc)) from None


def _show(lines: list[str]) -> None:
    """Print a command's report, all at once after its work and writes are done."""
    try:
        sys.stdout.write("".join(f"{line}\n" for line in lines))
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError("standard output", exc.strerror or str(exc)) from None


# ------------------------------------------------------------------------------ commands


def cmd_validate(args: argparse.Namespace) -> int:
    from tariffsim.scenario.loading import load_scenario

    problems: list[Diagnostic] = []
    for name in args.files:
        try:
            scenario = load_scenario(name, allow_any_base=args.allow_any_base)
        except ScenarioError as exc:
            problems.extend(exc.diagnostics)
            continue
        spec = scenario.spec
        _show(
            [
                f"ok  {name}: {spec.title} ({len(spec.measures)} measures, {len(spec.moves)} "
                f"moves, {len(spec.triggers)} triggers)"
            ]
        )
    if problems:
        raise ScenarioError(problems)
    return 0


def _input_paths(files: Sequence[str]) -> list[Path]:
    """The files the scenario names on the command line refer to (bundled ones included)."""
    from tariffsim.resources import resolve_name

    return [resolve_name(f) for f in files]


def _destination(value: str | None, flag: str, files: Sequence[str]) -> Destination | None:
    """Check an output option before any work: not empty, writable, not an input file."""
    if options.output_path(value, flag) is None:
        return None
    from tariffsim.cli.output import destination

    dest = destination(value or "")
    dest.refuse_inputs(_input_paths(files))
    return dest


def _horizon(args: argparse.Namespace) -> tuple[date | None, date | None, str]:
    """--start, --end and --weights, checked."""
    return (
        options.day(args.start, "--start"),
        options.day(args.end, "--end"),
        options.weights(args.weights),
    )


def _load(file: str, args: argparse.Namespace) -> Scenario:
    """Load a scenario named on the command line, with `extends` limited unless
    --allow-any-base was given."""
    from tariffsim.scenario.loading import load_scenario

    return load_scenario(file, allow_any_base=args.allow_any_base)


def _simulate(
    file: str,
    args: argparse.Namespace,
    start: date | None,
    end: date | None,
    weights: str,
    dest: Destination | None = None,
    verb: str = "show",
) -> SimulationResult:
    """Run a scenario; refuse one without tariff rates, and an output over any file it read."""
    from tariffsim.simulation import simulate

    result = simulate(_load(file, args), start, end, weights=weights)
    if dest is not None:
        dest.refuse_inputs(result.scenario.files)
    if not result.directions:
        raise ScenarioError(
            [
                Diagnostic(
                    str(result.scenario.path),
                    0,
                    0,
                    f"the scenario has no tariff measures: there are no rates to {verb}",
                )
            ]
        )
    return result


def cmd_run(args: argparse.Namespace) -> int:
    start, end, weights = _horizon(args)
    at = [options.day(value, "--at") for value in args.at]
    dest = _destination(args.csv, "--csv", [args.file])
    result = _simulate(args.file, args, start, end, weights, dest)
    options.inside(result, at, "--at")
    if args.by == "section":
        table = result.by_section(*(at or [result.start, result.end]))
        lines = [] if dest and dest.path is None else render.by_section_lines(result, table)
    else:
        table = result.rates
        lines = [] if dest and dest.path is None else render.run_lines(result, at, args.no_events)
    if dest is not None:
        from tariffsim.cli.output import csv_text

        dest.write(csv_text(table).encode())
        if dest.path is None:
            return 0  # the CSV is the whole output
        rows = "daily rows" if args.by is None else "rows"
        lines += ["", f"wrote {len(table):,} {rows} to {args.csv}"]
    _show(lines)
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    day = options.day(args.date, "--date")
    pair = options.direction(args.direction)
    product = options.product(args.product)
    weights = options.weights(args.weights)
    from tariffsim.simulation import simulate

    result = simulate(_load(args.file, args), weights=weights)
    if day is None or not result.scenario.spec.measures:
        raise ScenarioError(
            [
                Diagnostic(
                    str(result.scenario.path),
                    0,
                    0,
                    "the scenario has no measures: there is nothing to explain",
                )
            ]
        )
    options.inside(result, [day], "--date")
    options.direction_in(result, pair)
    imposer, target = pair or (None, None)
    table = result.explain(day, imposer, target, product=product)
    if product and table.empty:
        raise options.problem("--product", f"no product line matches '{args.product}'")
    lines = [result.scenario.spec.title, f"Layers on {render.iso(day)}", ""]
    lines += (
        render.explain_product(table)
        if product
        else render.explain_layers(result, table, day, args.all)
    )
    _show(lines)
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    options.output_path(args.output, "--output")
    fmt = Path(args.output).suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise options.problem("--output", f"'{args.output}' must end in .png, .svg or .pdf")
    start, end, weights = _horizon(args)
    dest = _destination(args.output, "--output", args.files)
    assert dest is not None
    from tariffsim.plotting import CHART_DAYS, check_span

    for flag, day in (("--start", start), ("--end", end)):
        if day is not None and not CHART_DAYS[0] <= day <= CHART_DAYS[1]:
            raise options.problem(
                flag,
                f"{day.isoformat()} is outside the days a chart can "
                f"show: {CHART_DAYS[0]} to {CHART_DAYS[1]}",
            )
    if len(args.files) > 1 and start is None and end is None:
        start, end = _common_horizon([_load(f, args) for f in args.files])
    results = [_simulate(f, args, start, end, weights, dest, "plot") for f in args.files]
    for r in results:
        try:
            check_span(r.start, r.end)
        except ValueError as exc:
            raise ScenarioError(
                [
                    Diagnostic(
                        str(r.scenario.path), 0, 0, f"{exc}; choose the days with --start and --end"
                    )
                ]
            ) from None
    from tariffsim.plotting import figure_bytes, scenario_figure

    dest.write(figure_bytes(scenario_figure(results), fmt))
    _show([f"wrote {args.output}"])
    return 0


def _common_horizon(scenarios: list[Scenario]) -> tuple[date | None, date | None]:
    """The span of all the scenarios' horizons, so compared paths share one time axis."""
    horizons = [s.spec.horizon for s in scenarios if s.spec.horizon is not None]
    if not horizons:
        return None, None
    return min(h.start for h in horizons), max(h.end for h in horizons)


def cmd_compare(args: argparse.Namespace) -> int:
    from tariffsim.tables.comparison import compare

    start, end, weights = _horizon(args)
    dest = _destination(args.csv, "--csv", [args.file_a, args.file_b])
    cmp = compare(_load(args.file_a, args), _load(args.file_b, args), start, end, weights=weights)
    if dest is not None:
        dest.refuse_inputs([*cmp.a.scenario.files, *cmp.b.scenario.files])
    rates = cmp.rates
    lines = [] if dest and dest.path is None else render.compare_lines(cmp)
    if dest is not None:
        from tariffsim.cli.output import csv_text

        dest.write(csv_text(rates).encode())
        if dest.path is None:
            return 0
        lines += ["", f"wrote {len(rates):,} rows to {args.csv}"]
    _show(lines)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from tariffsim.resources import bundled_scenarios
    from tariffsim.scenario.loading import load_scenario

    lines = []
    for name, path in bundled_scenarios().items():
        try:
            title = load_scenario(path).spec.title
        except ScenarioError:
            title = "(invalid: run tariffsim validate)"
        lines.append(f"{name:<16} {title}")
    _show(lines)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from tariffsim.scenario.model import json_schema

    dest = _destination(args.output, "--output", [])
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if dest is None:
        _show([text.rstrip("\n")])
    else:
        dest.write(text.encode())
    return 0


COMMANDS = {
    "validate": cmd_validate,
    "run": cmd_run,
    "explain": cmd_explain,
    "plot": cmd_plot,
    "compare": cmd_compare,
    "list": cmd_list,
    "schema": cmd_schema,
}
