"""The commands: each checks its options, does its work, writes its outputs, then prints its
report. Heavy libraries (pandas, matplotlib) are imported only inside the commands that need
them, so `list`, `schema` and `validate` start fast."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tariffsim.cli import options, render
from tariffsim.cli.output import Destination, csv_text, destination
from tariffsim.cli.process import Command, show
from tariffsim.errors import Diagnostic, ScenarioError

if TYPE_CHECKING:
    import pandas as pd

    from tariffsim.scenario.loading import Scenario
    from tariffsim.tables.rate_table import RateTable
    from tariffsim.tables.results import SimulationResult


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
        show(
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


def _csv_and_report(
    lines: Callable[[], list[str]],
    table: pd.DataFrame | RateTable,
    dest: Destination | None,
    rows: str = "rows",
) -> int:
    """Write `table` as CSV if asked, then print the report and a line saying where it went.
    A CSV on standard output is the whole output, so the report is not even rendered; else
    it is rendered before the write, so a failure there leaves the file alone."""
    text = [] if dest and dest.path is None else lines()
    if dest is not None:
        dest.write(csv_text(table).encode())
        if dest.path is None:
            return 0
        text += ["", f"wrote {len(table):,} {rows} to {dest.target}"]
    show(text)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    start, end, weights = _horizon(args)
    at = [options.day(value, "--at") for value in args.at]
    dest = _destination(args.csv, "--csv", [args.file])
    result = _simulate(args.file, args, start, end, weights, dest)
    options.inside(result, at, "--at")
    if args.by == "section":
        table = result.by_section(*(at or [result.start, result.end]))
        return _csv_and_report(lambda: render.by_section_lines(result, table), table, dest)
    return _csv_and_report(
        lambda: render.run_lines(result, at, args.no_events),
        result.rate_table(),
        dest,
        "daily rows",
    )


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
    show(lines)
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    options.output_path(args.output, "--output")
    fmt = Path(args.output).suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise options.problem("--output", f"'{args.output}' must end in .png, .svg or .pdf")
    start, end, weights = _horizon(args)
    dest = _destination(args.output, "--output", args.files)
    assert dest is not None
    from tariffsim.charts.style import CHART_DAYS, check_span

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
    from tariffsim.charts.figure import figure_bytes, scenario_figure

    dest.write(figure_bytes(scenario_figure(results, args.kind), fmt))
    show([f"wrote {args.output}"])
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
    return _csv_and_report(lambda: render.compare_lines(cmp), cmp.rates, dest)


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
    show(lines)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from tariffsim.scenario.model import json_schema

    dest = _destination(args.output, "--output", [])
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if dest is None:
        show([text.rstrip("\n")])
    else:
        dest.write(text.encode())
    return 0


COMMANDS: dict[str, Command] = {
    "validate": cmd_validate,
    "run": cmd_run,
    "explain": cmd_explain,
    "plot": cmd_plot,
    "compare": cmd_compare,
    "list": cmd_list,
    "schema": cmd_schema,
}
