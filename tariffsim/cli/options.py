"""Command-line option values checked before any work: each problem is a `ScenarioError`
naming the option (``--date: error: ...``), so the CLI exits 1 with a clear line and
has printed and written nothing. Kept apart from `cli` so the parser stays readable."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING

from tariffsim.errors import Diagnostic, ScenarioError

if TYPE_CHECKING:
    from tariffsim.arguments import Direction
    from tariffsim.scenario.loading import Scenario
    from tariffsim.tables.results import SimulationResult

_WEIGHTS_RE = re.compile(r"[0-9]{4}", re.ASCII)


def problem(flag: str, message: str) -> ScenarioError:
    """A one-line error about an option's value."""
    return ScenarioError([Diagnostic(flag, 0, 0, message)])


def day(value: str | None, flag: str) -> date | None:
    """A date given on the command line (None if not given)."""
    from tariffsim.arguments import as_day

    return None if value is None else as_day(value, flag)


def inside(result: SimulationResult, days: Iterable[date], flag: str) -> None:
    """Every day in `days` lies in the simulated horizon."""
    outside = [d for d in days if not result.start <= d <= result.end]
    if outside:
        listed = ", ".join(d.isoformat() for d in outside)
        raise problem(
            flag,
            f"{listed} {'is' if len(outside) == 1 else 'are'} outside the "
            f"simulated days {result.start.isoformat()} to "
            f"{result.end.isoformat()}",
        )


def direction(value: str | None, scenario: Scenario) -> Direction | None:
    """`US-CN` (any case, `US→CN` too) among the directions of the scenario's measures, read
    as the Python API reads it (`arguments.as_direction`); None when not given."""
    from tariffsim.arguments import as_direction

    valid = {(x.imposer, x.target) for x in scenario.spec.measures}
    try:
        return as_direction(value, valid=valid)
    except ValueError as exc:
        raise problem("--direction", str(exc)) from None


def product(value: str | None) -> str | None:
    """An HS code or prefix (2 to 10 digits, dots allowed); an empty one is an error, not
    'no product'."""
    from tariffsim.scenario.values import parse_hs

    if value is None:
        return None
    try:
        if not value.isascii():  # '８５１７' is not 8517 to a customs officer either
            raise ValueError(value)
        return parse_hs(value)
    except ValueError:
        raise problem(
            "--product",
            f"'{value}' is not an HS code: write 2 to 10 digits, dots allowed, e.g. 8517.13",
        ) from None


def weights(value: str) -> str:
    """A base year with packaged trade weights: a user's choice, so a user's error."""
    from tariffsim.products import available_weights

    known = available_weights()
    if not _WEIGHTS_RE.fullmatch(value) or value not in known:
        raise problem("--weights", f"no '{value}' weights; available: {', '.join(known) or 'none'}")
    return value


def output_path(value: str | None, flag: str) -> str | None:
    """An output path as given; the empty string is refused (it would write nothing)."""
    if value is not None and not value.strip():
        raise problem(flag, "the path is empty: give a file name, or '-' for standard output")
    return value


def new_file(name: str, output: str | None) -> str:
    """Where `tariffsim new NAME` writes: -o's path if given, else NAME.yaml (NAME kept as
    it is if it ends in .yaml or .yml)."""
    if output is not None:
        return output_path(output, "--output") or output
    stem = PurePath(name).name
    if not stem.strip() or stem.startswith(".") or name.endswith(("/", "\\")) or name == "-":
        raise problem("NAME", f"'{name}' is not a file name; give one, e.g. my-scenario")
    return name if name.endswith((".yaml", ".yml")) else f"{name}.yaml"


def title(value: str | None) -> str | None:
    """A title given on the command line: text, not blanks."""
    if value is not None and not value.strip():
        raise problem("--title", "the title is empty: give some words, or leave --title out")
    return value


def base_scenario(value: str) -> str:
    """The scenario a new file extends: a file or a bundled name, never standard input."""
    if value == "-":
        raise problem(
            "--from", "a new file cannot extend standard input: give a file or a bundled name"
        )
    return value


def paths(value: str | int | None) -> int | None:
    """--paths: how many paths to sample (a whole number, at least 1)."""
    if value is None:
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise problem("--paths", f"'{value}' is not a number of paths: a whole number, 1 or more")
    return int(text)
