"""The commands that draw: `plot` (a chart of one kind) and `report` (one HTML file)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from tariffsim.cli import options
from tariffsim.cli.process import show
from tariffsim.cli.running import common_horizon, destination_of, horizon_flags, load, simulate_file
from tariffsim.errors import Diagnostic, ScenarioError

ONE_SCENARIO = {  # the kinds that chart one scenario, and why
    "fan": "a fan chart draws one scenario (and its branches)",
    "trade": "a trade chart draws one scenario (its imports and revenue)",
    "vintages": "a vintages chart draws one scenario (as known on several days)",
}


def cmd_plot(args: argparse.Namespace) -> int:
    fmt, start, end, weights, explained = _plot_options(args)
    as_of = _as_of_days(args)
    dest = destination_of(args.output, "--output", args.files)
    assert dest is not None
    if len(args.files) > 1 and start is None and end is None:
        start, end = common_horizon([load(f, args) for f in args.files])
    results = [simulate_file(f, args, start, end, weights, dest, "plot") for f in args.files]
    _chartable(results, args.kind)
    if explained is not None:
        options.inside(results[0], [explained], "--date")
    vintages = None
    if args.kind == "vintages":
        vintages = _vintages(args, results[0], as_of)
    elif as_of:
        results = [
            _known_on(f, args, r, as_of[0]) for f, r in zip(args.files, results, strict=True)
        ]
    from tariffsim.charts.figure import figure_bytes, scenario_figure

    marks = [m for r in results for m in getattr(r, "resolutions", ())]
    figure = scenario_figure(results, args.kind, explained, marks, vintages)
    dest.write(figure_bytes(figure, fmt))
    show([f"wrote {args.output}"])
    return 0


def _as_of_days(args: argparse.Namespace) -> list[date]:
    """--as-of, checked before any work: days, and more than one only for vintages."""
    days = [options.day(value, "--as-of") for value in args.as_of]
    if len(days) > 1 and args.kind != "vintages":
        raise options.problem(
            "--as-of",
            f"{article(args.kind)} {args.kind} chart draws the scenario as known on one day: "
            "give --as-of once, or compare days with --kind vintages",
        )
    return [d for d in days if d is not None]


def _vintages(args: argparse.Namespace, actual: Any, days: list[date]) -> Any:
    """The scenario as known on each --as-of day (each inside the simulated days), or on
    the days the chart chooses."""
    from tariffsim.charts.vintages import run_vintages

    options.inside(actual, days, "--as-of")
    scenario = load(args.files[0], args)
    paths = options.paths(args.paths)
    focus = args.start is None
    return run_vintages(scenario, actual, days, paths=paths, seed=args.seed, focus=focus)


def _known_on(file: str, args: argparse.Namespace, result: Any, day: date) -> Any:
    """The scenario of `file` as known on `day`, over the days and weights of its full run
    `result`."""
    from tariffsim.simulation import simulate

    run = simulate(
        load(file, args),
        result.start,
        result.end,
        weights=str(result.weights),
        paths=options.paths(args.paths),
        seed=args.seed,
        as_of=day,
    )
    cut = run.scenario if hasattr(run, "scenario") else run.paths[0].result.scenario
    if not any(x.type == "tariff" for x in cut.spec.measures):
        raise options.problem(
            "--as-of",
            f"no tariff of {file} was known on {day.isoformat()}: there is no rate to plot",
        )
    return run


def _plot_options(args: argparse.Namespace) -> tuple[str, Any, Any, str, Any]:
    """plot's options, checked before any work: the format, the days, the kind's files."""
    options.output_path(args.output, "--output")
    fmt = Path(args.output).suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise options.problem("--output", f"'{args.output}' must end in .png, .svg or .pdf")
    start, end, weights = horizon_flags(args)
    explained = options.day(args.date, "--date")
    if args.kind == "attribution" and len(args.files) != 2:
        raise options.problem("--kind", "attribution compares two scenarios: give A and B")
    if args.kind in ONE_SCENARIO and len(args.files) != 1:
        raise options.problem("--kind", ONE_SCENARIO[args.kind])
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
    branched = [r for r in results if hasattr(r, "paths")]  # UncertainResults
    if branched and kind in ("layers", "sections", "attribution"):
        raise options.problem(
            "--kind",
            f"{article(kind)} {kind} chart draws one path: a scenario with branches draws fan",
        )
    if branched and len(results) > 1:
        from tariffsim.uncertainty.tree import ONE_PATH

        raise ScenarioError([Diagnostic(branched[0].name, 0, 0, ONE_PATH % "compared")])


def article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def cmd_report(args: argparse.Namespace) -> int:
    options.output_path(args.output, "--output")
    if args.output != "-" and Path(args.output).suffix.lower() not in (".html", ".htm"):
        raise options.problem("--output", f"'{args.output}' must end in .html")
    start, end, weights = horizon_flags(args)
    explained = options.day(args.date, "--date")
    if len(args.as_of) > 1:
        raise options.problem("--as-of", "a report shows the scenarios as known on one day")
    as_of = options.day(args.as_of[0], "--as-of") if args.as_of else None
    dest = destination_of(args.output, "--output", args.files)
    assert dest is not None
    if len(args.files) > 1 and start is None and end is None:
        start, end = common_horizon([load(f, args) for f in args.files])
    results = [
        simulate_file(f, args, start, end, weights, dest, "report", as_of=as_of) for f in args.files
    ]
    if explained is not None:
        options.inside(results[0], [explained], "--date")
    from tariffsim.report.html import render_report

    dest.write(render_report(results, day=explained).encode("utf-8"))
    if dest.path is not None:
        show([f"wrote {args.output}"])
    return 0
