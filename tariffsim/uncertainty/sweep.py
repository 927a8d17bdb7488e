"""`sweep`: one scenario run over every combination of a grid of assumptions, as one tidy
DataFrame, in this process, in local processes, on any `concurrent.futures.Executor`, or
on a Dask cluster, with the same frame whichever runs it.

The grid maps assumption keys (the vocabulary of `tariffsim.scenario.variants`) to lists
of values. Each combination is one variant: the base scenario with those assumptions laid
over it and checked like any loaded scenario. Workers get only picklable data (the base's
name, path, dict or Scenario, and the variant's (key, value) pairs) and rebuild the variant
themselves; each process loads a base named by text once.

Where it runs (`executor`):
- None: in this process when the grid has fewer than INLINE_BELOW variants (a variant runs
  in tens of milliseconds; a fresh worker process takes about a second to import numpy,
  pandas and the product data); otherwise in a `ProcessPoolExecutor` ("spawn" start, safe
  beside threads) with one worker per core, at most one per variant;
- "inline" or "processes": that, whatever the grid's size;
- a `concurrent.futures.Executor`: its `submit`;
- a Dask distributed `Client` (anything with `submit` and `gather`): the variants run on
  its cluster, whose workers need tariffsim installed (`pip install tariffsim[distributed]`).
Rows come back in the grid's order whatever order the variants finish in.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tariffsim.arguments import as_day
from tariffsim.errors import Diagnostic, ScenarioError
from tariffsim.scenario import variants
from tariffsim.scenario.loading import Scenario, derived, load_scenario, scenario_from_dict
from tariffsim.simulation import simulate

if TYPE_CHECKING:
    import pandas as pd

INLINE_BELOW = 16
RATE_COLUMNS = ["date", "imposer", "target", "headline_rate", "effective_rate"]
Source = str | dict | Scenario


@dataclass(frozen=True)
class Variant:
    """What a worker needs to run one variant: the base, the assumptions, the options."""

    source: Source
    assumptions: tuple[tuple[str, Any], ...]
    days: tuple[date, ...] | None = None
    options: dict[str, Any] = field(default_factory=dict)


def sweep(
    scenario: Scenario | str | Path | Mapping[str, Any],
    grid: Mapping[str, Sequence[Any]],
    *,
    executor: Any = None,
    days: Any = None,
    start: Any = None,
    end: Any = None,
    weights: str | None = None,
    paths: int | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Run `scenario` (a bundled name, a path, a Scenario, or a dict as for
    `scenario_from_dict`) once per combination of `grid`'s values, and return one frame:
    a column per grid key (the value as given), then date, imposer, target, headline_rate,
    effective_rate (a branched scenario's expected path); the variants in the grid's order
    (the last key varying fastest), each as `simulate(...).rates` orders its rows.

    `days` (one day or several, any type `as_day` reads) keeps only those dates; `start`,
    `end`, `weights`, `paths` and `seed` go to `simulate`. `executor`: see the module's
    docstring. A grid key or value that does not apply is a ScenarioError naming the key,
    raised before anything runs; a variant that fails the scenario checks names its values.
    """
    source = portable(scenario)
    base = base_scenario(source)
    keys, combos = combinations(grid)
    for key in keys:  # every value of every key, alone over the base
        for value in grid[key]:
            variants.apply(base.spec, [(key, value)])
    if combos:
        variants.apply(base.spec, list(zip(keys, combos[0], strict=True)))
    options = {"start": start, "end": end, "weights": weights, "paths": paths, "seed": seed}
    tasks = [
        Variant(
            source,
            tuple(zip(keys, combo, strict=True)),
            chosen_days(days),
            {k: v for k, v in options.items() if v is not None},
        )
        for combo in combos
    ]
    return assembled(keys, combos, run_all(tasks, executor), base.name)


def portable(scenario: Any) -> Source:
    """The base as a worker can rebuild it: a bundled name or an absolute path as text, a
    dict, or a Scenario (they pickle)."""
    if isinstance(scenario, Scenario | dict):
        return scenario
    if isinstance(scenario, Mapping):
        return dict(scenario)
    if isinstance(scenario, Path | str):
        path = Path(scenario)
        return (
            str(path.resolve())
            if path.suffix in (".yaml", ".yml") and path.exists()
            else str(scenario)
        )
    raise TypeError(
        f"a scenario is a name, a path, a Scenario or a dict, not {type(scenario).__name__}"
    )


def base_scenario(source: Source) -> Scenario:
    if isinstance(source, Scenario):
        return source
    if isinstance(source, dict):
        return scenario_from_dict(source)
    return loaded(source)


@lru_cache(maxsize=8)
def loaded(source: str) -> Scenario:
    """A base named by text, loaded once per process."""
    return load_scenario(source)


def combinations(grid: Mapping[str, Sequence[Any]]) -> tuple[list[str], list[tuple]]:
    """The grid's keys and every combination of their values, the last key fastest."""
    if not isinstance(grid, Mapping):
        raise TypeError(
            f"the grid is a mapping of key to a list of values, not {type(grid).__name__}"
        )
    keys = list(grid)
    for key in keys:
        variants.Assumption.parse(key)
        values = grid[key]
        if isinstance(values, str | bytes) or not isinstance(values, Iterable):
            raise variants.problem(key, f"give a list of values, not {values!r}")
        if not list(values):
            raise variants.problem(key, "give at least one value")
    return keys, list(itertools.product(*(list(grid[k]) for k in keys)))


def chosen_days(days: Any) -> tuple[date, ...] | None:
    if days is None:
        return None
    several = isinstance(days, Iterable) and not isinstance(days, str | bytes | date)
    several = several and getattr(days, "ndim", 1) != 0
    return tuple(as_day(d, "days") for d in (days if several else [days]))


def run_variant(task: Variant) -> pd.DataFrame:
    """One variant's rates (a worker's job): the base rebuilt, the assumptions laid over it,
    the variant checked and run, only the days asked for kept."""
    base = base_scenario(task.source)
    name = f"{base.name} [" + ", ".join(f"{k}={v}" for k, v in task.assumptions) + "]"
    try:
        scenario = derived(base, variants.apply(base.spec, task.assumptions), name)
    except ScenarioError as exc:
        note = Diagnostic("sweep", 0, 0, f"in the variant {name}")
        raise ScenarioError([note, *exc.diagnostics]) from None
    rates = simulate(scenario, **task.options).rates
    if task.days is None:
        return rates.reset_index(drop=True)
    first, last = rates.date.iloc[0].date(), rates.date.iloc[-1].date()
    outside = [d for d in task.days if not first <= d <= last]
    if outside:
        message = f"{outside[0]} is outside the simulated days {first} to {last}"
        raise ScenarioError([Diagnostic("days", 0, 0, message)])
    wanted = {d.toordinal() for d in task.days}
    keep = [d.toordinal() in wanted for d in rates.date.dt.date]
    return rates[keep].reset_index(drop=True)


def run_all(tasks: list[Variant], executor: Any) -> list[pd.DataFrame]:
    """Each task's frame, in the tasks' order, run where `executor` says."""
    if executor == "inline" or (executor is None and len(tasks) < INLINE_BELOW):
        return [run_variant(t) for t in tasks]
    if executor in (None, "processes"):
        workers = max(1, min(len(tasks), os.cpu_count() or 1))
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            chunk = max(1, len(tasks) // (4 * workers))
            return list(pool.map(run_variant, tasks, chunksize=chunk))
    if callable(getattr(executor, "submit", None)) and callable(getattr(executor, "gather", None)):
        return list(executor.gather([executor.submit(run_variant, t) for t in tasks]))
    if isinstance(executor, Executor) or callable(getattr(executor, "submit", None)):
        return [f.result() for f in [executor.submit(run_variant, t) for t in tasks]]
    raise TypeError(
        "executor is None, 'inline', 'processes', a concurrent.futures.Executor or a Dask "
        f"Client, not {executor!r}"
    )


def assembled(
    keys: list[str], combos: list[tuple], frames: list[pd.DataFrame], name: str
) -> pd.DataFrame:
    """One frame: each variant's rows under its grid values, variants in the grid's order."""
    import pandas as pd

    parts = []
    for combo, frame in zip(combos, frames, strict=True):
        grid = pd.DataFrame({k: [v] * len(frame) for k, v in zip(keys, combo, strict=True)})
        parts.append(pd.concat([grid, frame[RATE_COLUMNS].reset_index(drop=True)], axis=1))
    out = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=[*keys, *RATE_COLUMNS])
    )
    out.attrs = {"scenario": name, "grid": list(keys)}
    return out
