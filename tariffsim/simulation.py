"""Running a scenario: the clock over its days (engine.clock), duty per product line per
direction (engine.stacker), its trade-weighted figures (engine.weighting), and the result
tables (tables.results).

This module joins the engine and the result tables, so that each imports only one way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np

from tariffsim.arguments import as_day, direction_order
from tariffsim.engine.clock import Clock
from tariffsim.engine.events import RunState
from tariffsim.engine.stacker import stack_direction
from tariffsim.engine.weighting import weigh
from tariffsim.errors import Diagnostic, ScenarioError
from tariffsim.products import DEFAULT_WEIGHTS, ProductUniverse, load_universe
from tariffsim.scenario.branching import all_branches
from tariffsim.scenario.loading import Scenario, load_scenario
from tariffsim.scenario.vintage import known_on
from tariffsim.tables.results import SimulationResult
from tariffsim.uncertainty.results import UncertainResult, WeightedPath
from tariffsim.uncertainty.tree import exact_paths, is_uncertain, sampled_paths

DEFAULT_TAIL = timedelta(days=180)


def horizon(
    scenario: Scenario, state: RunState, start: date | None, end: date | None
) -> tuple[date, date]:
    """The days to simulate: those given, else the scenario's horizon, else from the earliest
    `from` of any measure (threatened ones included) to 180 days after the last day on which
    a measure changes once every move and trigger has run (or after `start`, if later)."""
    spec = scenario.spec
    if start is None:
        if spec.horizon is None and not spec.measures:
            # loading refuses such a scenario; a hand-built spec must not depend on today
            raise ScenarioError(
                [scenario.origin(spec).diag("a scenario without measures needs a horizon")]
            )
        start = spec.horizon.start if spec.horizon else min(x.from_ for x in spec.measures)
    if end is None:
        if spec.horizon:
            end = spec.horizon.end
        else:
            days = [d for tl in state.timelines.values() for d in tl.change_days() if d != date.min]
            end = max([*days, start]) + DEFAULT_TAIL
    return start, end


def simulate(
    scenario: Scenario | str,
    start: Any = None,
    end: Any = None,
    *,
    weights: str = DEFAULT_WEIGHTS,
    universes: Mapping[tuple[str, str], ProductUniverse] | None = None,
    paths: int | None = None,
    seed: int | None = None,
    as_of: Any = None,
) -> SimulationResult | UncertainResult:
    """Run a scenario (object, path or bundled name) from `start` to `end` (both included),
    each a day as text (YYYY-MM-DD), `date`, `datetime`, `pd.Timestamp` or `np.datetime64`.

    Defaults come from the scenario's horizon; without one, from the earliest measure's
    `from` to 180 days after the last change. `weights` names the base-year trade weights.
    `universes` maps (imposer, target) to a caller's own `ProductUniverse` (its values are
    the weights) in place of the packaged one, so rules can be checked on data small enough
    to work out by hand; every table and explain of the result then uses it.

    A scenario with branches or uncertain dates gives an `UncertainResult`: its paths
    enumerated exactly when they can be; with `paths=N` (or a date drawn from a window),
    N paths sampled with `seed`, identical draws run once.

    `as_of` (a day) runs the scenario as it was known that day: measures, moves and
    triggers announced later are left out, and known threats and deadlines play out.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if as_of is not None:
        scenario = known_on(scenario, as_day(as_of, "as_of"))
    start = as_day(start, "start") if start is not None else None
    end = as_day(end, "end") if end is not None else None
    if is_uncertain(scenario) or paths is not None:
        return simulate_paths(
            scenario, start, end, weights=weights, universes=universes, n=paths, seed=seed
        )
    return run_scenario(scenario, start, end, weights=weights, universes=universes)


def run_scenario(
    scenario: Scenario,
    start: date | None,
    end: date | None,
    *,
    weights: str = DEFAULT_WEIGHTS,
    universes: Mapping[tuple[str, str], ProductUniverse] | None = None,
    state: RunState | None = None,
) -> SimulationResult:
    """One plain (branch-free) scenario over its days: clock (unless its finished `state`
    is given), stacker, weighting, tables."""
    if state is None:
        state = Clock(scenario.spec, scenario.origin).run()
    first, last = horizon(scenario, state, start, end)
    if last < first:
        given = [name for name, day in (("start", start), ("end", end)) if day is not None]
        why = {True: "given", False: "the scenario's horizon"}
        message = (
            f"the end date {last} ({why[end is not None]}) is before the start date "
            f"{first} ({why[start is not None]})"
        )
        where = scenario.origin(scenario.spec).diag(message)
        raise ScenarioError([Diagnostic(" and ".join(given), 0, 0, message) if given else where])
    lo, hi = first.toordinal(), last.toordinal()
    days = {lo}
    for tl in state.timelines.values():
        days.update(d.toordinal() for d in tl.change_days() if d != date.min)
    for rule in scenario.spec.stacking:
        days.update(d.toordinal() for d in (rule.from_, rule.until) if d is not None)
    starts = np.array(sorted(d for d in days if lo <= d <= hi), dtype=np.int64)
    directions = _directions(scenario)
    own = universes or {}
    spec = scenario.spec
    stacked = [
        weigh(
            stack_direction(
                spec, state.timelines, own.get((a, b)) or load_universe(a, b, weights), a, b, starts
            ),
            spec.measures,
        )
        for a, b in directions
    ]
    labels = sorted({d.universe.weights_label for d in stacked})  # a caller's own may differ
    label = weights if not own or not labels else " / ".join(labels)
    return SimulationResult(scenario, state, first, last, starts, stacked, label)


def _directions(scenario: Scenario) -> list[tuple[str, str]]:
    """The directions with tariff measures, in this scenario or the one it was derived
    from (a scenario as known on an early day keeps its directions, at MFN)."""
    pairs = set()
    at: Scenario | None = scenario
    while at is not None:
        pairs.update((x.imposer, x.target) for x in at.spec.measures if x.type == "tariff")
        at = at.base
    return direction_order(pairs)


def simulate_paths(
    scenario: Scenario,
    start: date | None,
    end: date | None,
    *,
    weights: str,
    universes: Mapping[tuple[str, str], ProductUniverse] | None,
    n: int | None,
    seed: int | None,
) -> UncertainResult:
    """Every path of an uncertain scenario run over one span of days (the given one, else
    from the earliest path's first day to the latest path's last): exact paths unless `n`
    asks for a sample."""
    if n is not None and n < 1:
        raise ScenarioError([Diagnostic("paths", 0, 0, f"paths must be at least 1, not {n}")])
    expanded = sampled_paths(scenario, n, seed) if n is not None else exact_paths(scenario)
    states = [Clock(p.scenario.spec, p.scenario.origin).run() for p in expanded]
    spans = [horizon(p.scenario, st, start, end) for p, st in zip(expanded, states, strict=True)]
    first, last = min(a for a, _ in spans), max(b for _, b in spans)
    from tqdm import tqdm

    # shown on a terminal only, and only once the run has taken a second
    bar = tqdm(expanded, desc="paths", unit="path", disable=None, delay=1.0, leave=False)
    runs = [
        WeightedPath(
            p.probability,
            p.label,
            p.choices,
            run_scenario(
                p.scenario, first, last, weights=weights, universes=universes, state=state
            ),
        )
        for p, state in zip(bar, states, strict=True)
    ]
    resolved = [
        (br.resolves, br.description or br.id) for br in all_branches(scenario.spec.branches)
    ]
    return UncertainResult(
        runs, title=scenario.spec.title, name=scenario.name, resolutions=resolved, draws=n
    )
