"""The commands: each checks its options, does its work, writes its outputs, then prints its
report. Heavy libraries (pandas, matplotlib) are imported only inside the commands that need
them, so `list`, `schema` and `validate` start fast."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tariffsim.cli import options, render
from tariffsim.cli.drawing import cmd_plot, cmd_report
from tariffsim.cli.output import Destination, csv_text, destination
from tariffsim.cli.process import Command, show, warn
from tariffsim.cli.running import destination_of, horizon_flags, load, simulate_file
from tariffsim.errors import Diagnostic, ScenarioError

if TYPE_CHECKING:
    from datetime import date

    import pandas as pd

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
    start, end, weights = horizon_flags(args)
    at = [options.day(value, "--at") for value in args.at]
    as_of = _as_of(args)
    if args.trade and args.by is not None:
        raise options.problem("--trade", "shows imports and revenue: leave out --by section")
    dest = destination_of(args.csv, "--csv", [args.file])
    bands = _quantiles_destination(args)
    result = simulate_file(args.file, args, start, end, weights, dest, as_of=as_of)
    options.inside(result, at, "--at")
    from tariffsim.uncertainty.results import UncertainResult

    if isinstance(result, UncertainResult):  # branches or uncertain dates
        from tariffsim.cli.uncertain import run_uncertain

        if args.by is not None:
            raise options.problem("--by", "a scenario with branches gives no section table yet")
        return run_uncertain(result, at, dest, bands, trade=args.trade)
    if args.by == "section":
        table = result.by_section(*(at or [result.start, result.end]))
        return _csv_and_report(lambda: render.by_section_lines(result, table), table, dest)
    if args.trade or bands is not None:  # a plain scenario is one certain path
        from tariffsim.cli.uncertain import report_and_write

        if bands is not None:
            bands.refuse_inputs(result.scenario.files)
        certain = UncertainResult.certain(result)
        from tariffsim.cli.trade import in_dollars

        outputs = [
            (
                dest,
                lambda: in_dollars(result.trade) if args.trade else result.rate_table(),
                "daily rows",
            ),
            (
                bands,
                lambda: in_dollars(certain.trade_quantiles) if args.trade else certain.quantiles,
                "quantile rows",
            ),
        ]
        return report_and_write(lambda: _run_lines(result, at, args), outputs)
    return _csv_and_report(
        lambda: _run_lines(result, at, args), result.rate_table(), dest, "daily rows"
    )


def _run_lines(result: SimulationResult, at: list[date], args: argparse.Namespace) -> list[str]:
    """The report of a plain run: rates and events, with --trade imports and revenue."""
    lines = render.run_lines(result, at, args.no_events)
    if args.as_of:
        from tariffsim.scenario.vintage import left_out

        lines[2:2] = [left_out(load(args.file, args), _as_of(args))]
    if args.trade:
        from tariffsim.cli.trade import trade_lines

        lines += ["", *trade_lines(result.trade, result.scenario.spec.response, at)]
    return lines


def _as_of(args: argparse.Namespace) -> date | None:
    """--as-of, checked: one day at most."""
    if len(args.as_of) > 1:
        raise options.problem(
            "--as-of",
            "run shows the scenario as known on one day: give --as-of once, or compare "
            "days with `tariffsim plot FILE --kind vintages`",
        )
    return options.day(args.as_of[0], "--as-of") if args.as_of else None


def _quantiles_destination(args: argparse.Namespace) -> Destination | None:
    """--quantiles, checked before any work: not with --by, not where --csv writes."""
    if args.quantiles is not None and args.by is not None:
        raise options.problem("--quantiles", "writes rate bands: leave out --by section")
    if args.quantiles is not None and args.quantiles == args.csv:
        raise options.problem("--quantiles", f"'{args.csv}' is where --csv writes: choose another")
    return destination_of(args.quantiles, "--quantiles", [args.file])


def cmd_explain(args: argparse.Namespace) -> int:
    day = options.day(args.date, "--date")
    product = options.product(args.product)
    weights = options.weights(args.weights)
    scenario = load(args.file, args)
    pair = options.direction(args.direction, scenario)
    from tariffsim.simulation import simulate
    from tariffsim.uncertainty.tree import ONE_PATH, is_uncertain

    if is_uncertain(scenario):
        raise ScenarioError([Diagnostic(str(scenario.path), 0, 0, ONE_PATH % "explained")])
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


def cmd_compare(args: argparse.Namespace) -> int:
    from tariffsim.tables.comparison import compare

    start, end, weights = horizon_flags(args)
    day = options.day(args.date, "--date")
    dest = destination_of(args.csv, "--csv", [args.file_a, args.file_b])
    cmp = compare(load(args.file_a, args), load(args.file_b, args), start, end, weights=weights)
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
    scenario = load(options.base_scenario(args.base), args)
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

    dest = destination_of(args.output, "--output", [])
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
    "report": cmd_report,
    "list": cmd_list,
    "new": cmd_new,
    "show": cmd_show,
    "schema": cmd_schema,
}
