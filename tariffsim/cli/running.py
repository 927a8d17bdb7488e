"""Loading and running the scenarios a command names: its files, its --start/--end/--weights,
its outputs checked before any work, and the refusal of a scenario with no rate to show."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tariffsim.cli import options
from tariffsim.cli.output import Destination, destination
from tariffsim.cli.process import warn
from tariffsim.errors import Diagnostic, ScenarioError

if TYPE_CHECKING:
    from tariffsim.scenario.loading import Scenario
    from tariffsim.tables.results import SimulationResult


def input_paths(files: Sequence[str]) -> list[Path]:
    """The files the scenario names on the command line refer to (bundled ones included)."""
    from tariffsim.resources import resolve_name

    return [resolve_name(f) for f in files]


def destination_of(value: str | None, flag: str, files: Sequence[str]) -> Destination | None:
    """Check an output option before any work: not empty, writable, not an input file."""
    if options.output_path(value, flag) is None:
        return None
    dest = destination(value or "")
    dest.refuse_inputs(input_paths(files))
    return dest


def horizon_flags(args: argparse.Namespace) -> tuple[date | None, date | None, str]:
    """--start, --end and --weights, checked."""
    return (
        options.day(args.start, "--start"),
        options.day(args.end, "--end"),
        options.weights(args.weights),
    )


def load(file: str, args: argparse.Namespace) -> Scenario:
    """Load a scenario named on the command line, with `extends` limited unless
    --allow-any-base was given, and print its warnings: once per file and command, however
    often the command asks for it."""
    from tariffsim.scenario.loading import load_scenario

    loaded: dict[str, Scenario] = vars(args).setdefault("loaded", {})
    if file not in loaded:
        loaded[file] = load_scenario(file, allow_any_base=args.allow_any_base)
        warn(loaded[file].warnings())
    return loaded[file]


def simulate_file(
    file: str,
    args: argparse.Namespace,
    start: date | None,
    end: date | None,
    weights: str,
    dest: Destination | None = None,
    verb: str = "show",
    as_of: date | None = None,
) -> SimulationResult:
    """Run a scenario (as known on `as_of`, if given); refuse one without tariff rates, and
    an output over any file it read. A scenario with branches or uncertain dates gives an
    `UncertainResult` (--paths and --seed, where the command has them, sample it)."""
    from tariffsim.simulation import simulate

    scenario = load(file, args)
    if dest is not None:
        dest.refuse_inputs(scenario.files)
    paths = options.paths(getattr(args, "paths", None))
    seed = getattr(args, "seed", None)
    result = simulate(scenario, start, end, weights=weights, paths=paths, seed=seed, as_of=as_of)
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


def common_horizon(scenarios: list[Scenario]) -> tuple[date | None, date | None]:
    """The span of all the scenarios' horizons, so compared paths share one time axis."""
    horizons = [s.spec.horizon for s in scenarios if s.spec.horizon is not None]
    if not horizons:
        return None, None
    return min(h.start for h in horizons), max(h.end for h in horizons)
