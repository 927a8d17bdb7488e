"""The commands: each checks its options, does its work, writes its outputs, then prints its
report. Heavy libraries (pandas, matplotlib) are imported only inside the commands that need
them, so `list`, `schema` and `validate` start fast."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tariffsim.cli import options, render
from tariffsim.cli.output import Destination, csv_text, destination
from tariffsim.cli.process import Command, show, warn
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
        warn(scenario.warnings())
        spec = scenario.spec
        kinds = ((spec.measures, "measure"), (spec.moves, "move"), (spec.triggers, "trigger"))
        counts = ", ".join(render.count(len(items), noun) for items, noun in kinds)
        if not any(x.type == "tariff" for x in spec.measures):
            counts += "; no tariff measures: no rates to show"
        show([f"ok  {name}: {spec.title} ({counts})"])
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
    --allow-any-base was given, and print its warnings: once per file and command, however
    often the command asks for it."""
    from tariffsim.scenario.loading import load_scenario

    loaded: dict[str, Scenario] = vars(args).setdefault("loaded", {})
    if file not in loaded:
        loaded[file] = load_scenario(file, allow_any_base=args.allow_any_base)
        warn(loaded[file].warnings())
    return loaded[file]


def _simulate(
    file: str,
    args: argparse.Namespace,
    start: date | None,
    end: date | None,
    weights: str,
    dest: Destination | None = None,
    verb: str = "show",
) -> SimulationResult:
    """Run a scenario; refuse one without tariff rates, and an output over any file it read.
    A scenario with branches or uncertain dates gives an `UncertainResult` (--paths and
    --seed, where the command has them, sample it)."""
    from tariffsim.simulation import simulate

    scenario = _load(file, args)
    if dest is not None:
        dest.refuse_inputs(scenario.files)
    paths = options.paths(getattr(args, "paths", None))
    result = simulate(
        scenario, start, end, weights=weights, paths=paths, seed=getattr(args, "seed", None)
    )
    if not result.pairs:
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
    bands = _quantiles_destination(args)
    result = _simulate(args.file, args, start, end, weights, dest)
    options.inside(result, at, "--at")
    from tariffsim.uncertainty.results import UncertainResult

    if isinstance(result, UncertainResult):  # branches or uncertain dates
        from tariffsim.cli.uncertain import run_uncertain

        if args.by is not None:
            raise options.problem("--by", "a scenario with branches gives no section table yet")
        return run_uncertain(result, at, dest, bands)
    if args.by == "section":
        table = result.by_section(*(at or [result.start, result.end]))
        return _csv_and_report(lambda: render.by_section_lines(result, table), table, dest)
    if bands is not None:  # a plain scenario is one certain path: every quantile its rate
        from tariffsim.cli.uncertain import report_and_write
        from tariffsim.uncertainty.results import UncertainResult

        bands.refuse_inputs(result.scenario.files)
        outputs = [
            (dest, result.rate_table, "daily rows"),
            (bands, lambda: UncertainResult.certain(result).quantiles, "quantile rows"),
        ]
        return report_and_write(lambda: render.run_lines(result, at, args.no_events), outputs)
    return _csv_and_report(
        lambda: render.run_lines(result, at, args.no_events),
        result.rate_table(),
        dest,
        "daily rows",
    )


def _quantiles_destination(args: argparse.Namespace) -> Destination | None:
    """--quantiles, checked before any work: not with --by, not where --csv writes."""
    if args.quantiles is not None and args.by is not None:
        raise options.problem("--quantiles", "writes rate bands: leave out --by section")
    if args.quantiles is not None and args.quantiles == args.csv:
        raise options.problem("--quantiles", f"'{args.csv}' is where --csv writes: choose another")
    return _destination(args.quantiles, "--quantiles", [args.file])


def cmd_explain(args: argparse.Namespace) -> int:
    day = options.day(args.date, "--date")
    product = options.product(args.product)
    weights = options.weights(args.weights)
    scenario = _load(args.file, args)
    pair = options.direction(args.direction, scenario)
    from tariffsim.simulation import simulate

    result = simulate(scenario, weights=weights)
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
    table = result.explain(day, pair, product=product)
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
    fmt, start, end, weights, explained = _plot_options(args)
    dest = _destination(args.output, "--output", args.files)
    assert dest is not None
    if len(args.files) > 1 and start is None and end is None:
        start, end = _common_horizon([_load(f, args) for f in args.files])
    results = [_simulate(f, args, start, end, weights, dest, "plot") for f in args.files]
    _chartable(results, args.kind)
    if explained is not None:
        options.inside(results[0], [explained], "--date")
    from tariffsim.charts.figure import figure_bytes, scenario_figure

    marks = [m for r in results for m in getattr(r, "resolutions", ())]
    dest.write(figure_bytes(scenario_figure(results, args.kind, explained, marks), fmt))
    show([f"wrote {args.output}"])
    return 0


def _plot_options(args: argparse.Namespace) -> tuple[str, Any, Any, str, Any]:
    """plot's options, checked before any work: the format, the days, the kind's files."""
    options.output_path(args.output, "--output")
    fmt = Path(args.output).suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise options.problem("--output", f"'{args.output}' must end in .png, .svg or .pdf")
    start, end, weights = _horizon(args)
    explained = options.day(args.date, "--date")
    if args.kind == "attribution" and len(args.files) != 2:
        raise options.problem("--kind", "attribution compares two scenarios: give A and B")
    if args.kind == "fan" and len(args.files) != 1:
        raise options.problem("--kind", "a fan chart draws one scenario (and its branches)")
    from tariffsim.charts.style import CHART_DAYS

    for flag, day in (("--start", start), ("--end", end)):
        if day is not None and not CHART_DAYS[0] <= day <= CHART_DAYS[1]:
            raise options.problem(
                flag,
                f"{day.isoformat()} is outside the days a chart can "
                f"show: {CHART_DAYS[0]} to {CHART_DAYS[1]}",
            )
    return fmt, start, end, weights, explained


def _chartable(results: Sequence[Any], kind: str) -> None:
    """Every run's days fit the time axis, and a run with branches gets a kind it can draw."""
    from tariffsim.charts.style import check_span

    for r in results:
        file = str(r.scenario.path) if hasattr(r, "scenario") else r.name
        try:
            check_span(r.start, r.end)
        except ValueError as exc:
            message = f"{exc}; choose the days with --start and --end"
            raise ScenarioError([Diagnostic(file, 0, 0, message)]) from None
    branched = any(hasattr(r, "paths") for r in results)  # an UncertainResult
    if branched and kind in ("layers", "sections", "attribution"):
        raise options.problem(
            "--kind", f"a {kind} chart draws one path: a scenario with branches draws fan"
        )


def _common_horizon(scenarios: list[Scenario]) -> tuple[date | None, date | None]:
    """The span of all the scenarios' horizons, so compared paths share one time axis."""
    horizons = [s.spec.horizon for s in scenarios if s.spec.horizon is not None]
    if not horizons:
        return None, None
    return min(h.start for h in horizons), max(h.end for h in horizons)


def cmd_compare(args: argparse.Namespace) -> int:
    from tariffsim.tables.comparison import compare

    start, end, weights = _horizon(args)
    day = options.day(args.date, "--date")
    dest = _destination(args.csv, "--csv", [args.file_a, args.file_b])
    cmp = compare(_load(args.file_a, args), _load(args.file_b, args), start, end, weights=weights)
    if dest is not None:
        dest.refuse_inputs([*cmp.a.scenario.files, *cmp.b.scenario.files])
    if day is not None:
        options.inside(cmp.a, [day], "--date")
    when = day or cmp.key_day
    return _csv_and_report(lambda: render.compare_lines(cmp, when), cmp.daily, dest, "daily rows")


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


def cmd_show(args: argparse.Namespace) -> int:
    from tariffsim.cli.inventory import KINDS, show_lines
    from tariffsim.scenario.loading import load_scenario

    scenario = load_scenario(args.file, allow_any_base=args.allow_any_base)
    show(show_lines(scenario, args.only or KINDS))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from tariffsim.cli.starter import starter_text

    target = options.new_file(args.name, args.output)
    given_title = options.title(args.title)
    dest = destination(target, new=True)
    scenario = _load(options.base_scenario(args.base), args)
    base_ref, outside = _base_reference(args.base, dest, args.allow_any_base)
    title = given_title or f"{Path(target).stem}, a variant of {scenario.name}"
    shown = Path(target).name if dest.path is not None else f"{Path(args.name).stem}.yaml"
    dest.write(starter_text(scenario, base_ref, shown, title, outside).encode())
    if dest.path is not None:
        show([f"wrote {target}: it extends {base_ref}; check it with: tariffsim validate {target}"])
    return 0


def _base_reference(base: str, dest: Destination, any_base: bool) -> tuple[str, bool]:
    """How the new file names its base in `extends` (a bundled name as given, else a path
    relative to the new file), and whether that lies outside the new file's folder."""
    from tariffsim.resources import resolve_name

    path = resolve_name(base)
    if path != Path(base):  # a bundled name, which `extends` reads the same way
        return base, False
    folder = (dest.path or Path("new.yaml")).resolve().parent
    relative = Path(os.path.relpath(path.resolve(), folder)).as_posix()
    outside = relative.startswith("../")
    if outside and not any_base:
        raise options.problem(
            "--from",
            f"'{base}' lies outside the folder of {dest.label}, so the new file could extend "
            "it only with --allow-any-base; give --allow-any-base to write it anyway, or "
            "write the new file beside it",
        )
    return relative, outside


def cmd_schema(args: argparse.Namespace) -> int:
    from tariffsim.scenario.model import json_schema

    dest = _destination(args.output, "--output", [])
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if dest is None:
        show([text.rstrip("\n")])
    else:
        dest.write(text.encode())
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    options.output_path(args.output, "--output")
    if args.output != "-" and Path(args.output).suffix.lower() not in (".html", ".htm"):
        raise options.problem("--output", f"'{args.output}' must end in .html")
    start, end, weights = _horizon(args)
    explained = options.day(args.date, "--date")
    dest = _destination(args.output, "--output", args.files)
    assert dest is not None
    if len(args.files) > 1 and start is None and end is None:
        start, end = _common_horizon([_load(f, args) for f in args.files])
    results = [_simulate(f, args, start, end, weights, dest, "report") for f in args.files]
    if explained is not None:
        options.inside(results[0], [explained], "--date")
    from tariffsim.report.html import render_report

    dest.write(render_report(results, day=explained).encode("utf-8"))
    if dest.path is not None:
        show([f"wrote {args.output}"])
    return 0


COMMANDS: dict[str, Command] = {
    "validate": cmd_validate,
    "run": cmd_run,
    "explain": cmd_explain,
    "plot": cmd_plot,
    "compare": cmd_compare,
    "report": cmd_report,
    "list": cmd_list,
    "new": cmd_new,
    "show": cmd_show,
    "schema": cmd_schema,
}
