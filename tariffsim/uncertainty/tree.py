"""A scenario with branches or uncertain dates, expanded into weighted plain paths.

`exact_paths` enumerates every leaf of the tree times every listed date of each uncertain
move, probabilities multiplied; it raises `ScenarioError` when a date is drawn from a window
or the paths would number more than `limit`. `sampled_paths` draws paths with numpy's
`Generator(seed)` and groups identical draws into one path (probability: count / n), so a
path costs its distinct states, not its draws. A plain scenario is one path of probability 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import product
from typing import Any

import numpy as np

from tariffsim.errors import ScenarioError
from tariffsim.scenario import branching as b
from tariffsim.scenario import model as m
from tariffsim.scenario.fields import UncertainDay
from tariffsim.scenario.loading import Scenario

EXACT_LIMIT = 10_000


@dataclass(frozen=True)
class Path:
    """One way the scenario can turn out: the options chosen (branch id, option id) in
    order, the day drawn for each uncertain move (its label, the day), its probability and
    the plain scenario it makes, whose items keep their origins."""

    probability: float
    choices: tuple[tuple[str, str], ...]
    dates: tuple[tuple[str, date], ...]
    label: str
    scenario: Scenario


ONE_PATH = (
    "the scenario has branches or uncertain dates: it is %s one path at a time; "
    "`tariffsim run` shows its expected path, bands and paths, `plot` its fan chart"
)


def is_uncertain(scenario: Scenario) -> bool:
    """Whether a scenario has branches or a move whose date is uncertain."""
    return b.is_uncertain(scenario.spec)


def exact_paths(scenario: Scenario, limit: int = EXACT_LIMIT) -> list[Path]:
    """Every path of the scenario with its exact probability (they sum to 1), in the order
    the options and dates are written. Raises `ScenarioError` when a move's date is drawn
    from a window (`between`) or there would be more than `limit` paths: sample those."""
    spec = scenario.spec
    if not b.is_uncertain(spec):
        return [Path(1.0, (), (), scenario.name, scenario)]
    count = b.count_exact(spec.branches, spec.moves)
    if count > limit:
        window = next((mv for mv in _moves_of(spec) if _is_window(mv)), None)
        if window is not None:
            raise ScenarioError(
                [
                    scenario.origin(window).diag(
                        "a date drawn from a window ('between') cannot be enumerated "
                        "exactly; sample the scenario (sampled_paths, --paths N)",
                        "from" if isinstance(window, m.Suspend) else "date",
                    )
                ]
            )
        raise ScenarioError(
            [
                scenario.origin(spec).diag(
                    f"the scenario makes {count:.0f} exact paths, more than the limit of "
                    f"{limit}; sample it (sampled_paths, --paths N) or raise the limit"
                )
            ]
        )
    paths = []
    for leaf in b.leaves(spec.branches):
        moves = b.path_moves(spec, leaf.options)
        listed = [b.day_choices(m.move_day(mv)) or [] for mv in moves]
        for combo in product(*listed):
            prob = leaf.probability
            for _day, p in combo:
                prob *= p
            days = [day for day, _p in combo]
            paths.append(_path(scenario, prob, leaf, moves, days))
    return paths


def sampled_paths(scenario: Scenario, n: int, seed: int | None) -> list[Path]:
    """`n` paths drawn with `numpy.random.default_rng(seed)`, identical draws grouped into
    one path of probability count / n, in the order each was first drawn. The same seed
    gives the same paths; another seed, another sample."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    rng = np.random.default_rng(seed)
    spec = scenario.spec
    columns: list[np.ndarray] = []  # one per branch (option index, -1 unreached) or move
    slots: list[Any] = []
    _draw_branches(spec.branches, np.arange(n), n, rng, columns, slots)
    for mv in spec.moves:
        if b.is_uncertain_move(mv):
            columns.append(_draw_days(m.move_day(mv), np.arange(n), n, rng))
            slots.append(mv)
    if not columns:
        return exact_paths(scenario)
    keys = np.stack(columns, axis=1)
    unique, first, counts = np.unique(keys, axis=0, return_index=True, return_counts=True)
    paths = []
    for row in np.argsort(first, kind="stable"):
        paths.append(_sampled(scenario, unique[row], slots, float(counts[row]) / n))
    return paths


def _moves_of(spec: m.ScenarioSpec) -> list[Any]:
    return b.flattened(spec).moves


def _is_window(mv: Any) -> bool:
    day = m.move_day(mv)
    return isinstance(day, UncertainDay) and day.between is not None


def _draw_branches(
    branches: Sequence[m.Branch],
    rows: np.ndarray,
    n: int,
    rng: np.random.Generator,
    columns: list[np.ndarray],
    slots: list[Any],
) -> None:
    """Draw an option of each branch for `rows`, then, on each option's rows, the days of
    its uncertain moves and its own branches; depth first, in written order."""
    for br in branches:
        column = np.full(n, -1, dtype=np.int64)
        cumulative = np.cumsum([o.probability for o in br.options])
        cumulative[-1] = 1.0
        picks = np.searchsorted(cumulative, rng.random(len(rows)), side="right")
        column[rows] = np.minimum(picks, len(br.options) - 1)
        columns.append(column)
        slots.append(br)
        for i, opt in enumerate(br.options):
            mine = rows[column[rows] == i]
            for mv in opt.moves:
                if b.is_uncertain_move(mv):
                    columns.append(_draw_days(m.move_day(mv), mine, n, rng))
                    slots.append(mv)
            _draw_branches(opt.branches, mine, n, rng, columns, slots)


def _draw_days(day: UncertainDay, rows: np.ndarray, n: int, rng: np.random.Generator) -> Any:
    """The ordinal of the day drawn for each of `rows` (-1 elsewhere)."""
    column = np.full(n, -1, dtype=np.int64)
    if day.between is not None:
        first, last = day.between[0].toordinal(), day.between[1].toordinal()
        column[rows] = rng.integers(first, last + 1, size=len(rows))
        return column
    choices = b.day_choices(day) or []
    cumulative = np.cumsum([p for _d, p in choices])
    cumulative[-1] = 1.0
    picks = np.searchsorted(cumulative, rng.random(len(rows)), side="right")
    ordinals = np.array([d.toordinal() for d, _p in choices], dtype=np.int64)
    column[rows] = ordinals[np.minimum(picks, len(choices) - 1)]
    return column


def _sampled(scenario: Scenario, key: np.ndarray, slots: list[Any], prob: float) -> Path:
    options: list[m.Option] = []
    choices: list[tuple[str, str]] = []
    days: dict[int, date] = {}
    for value, slot in zip(key.tolist(), slots, strict=True):
        if value < 0:
            continue
        if isinstance(slot, m.Branch):
            options.append(slot.options[value])
            choices.append((slot.id, slot.options[value].id))
        else:
            days[id(slot)] = date.fromordinal(value)
    moves = b.path_moves(scenario.spec, options)
    leaf = b.Leaf(prob, tuple(choices), tuple(options))
    return _path(scenario, prob, leaf, moves, [days[id(mv)] for mv in moves])


def _path(
    scenario: Scenario, prob: float, leaf: b.Leaf, moves: list[Any], days: list[date]
) -> Path:
    spec, written = b.plain_spec(
        scenario.spec, leaf.options, {id(mv): d for mv, d in zip(moves, days, strict=True)}
    )
    origins = scenario.origins
    if written:
        origins = {**origins, **{c: scenario.origin(mv) for c, mv in written.items()}}
    plain = Scenario(
        name=scenario.name,
        path=scenario.path,
        spec=spec,
        files=scenario.files,
        origins=origins,  # type: ignore[arg-type]
        top=scenario.top,
    )
    dated = tuple((b.move_label(mv), d) for mv, d in zip(moves, days, strict=True))
    return Path(prob, leaf.choices, dated, _label(scenario, leaf.choices, dated), plain)


def _label(scenario: Scenario, choices: Sequence[tuple[str, str]], dated: Sequence[Any]) -> str:
    """'deal-reached', 'no-deal / truce-lapses', 'no-deal, threat 2025-11-03'; the
    scenario's name when nothing is uncertain."""
    parts = [" / ".join(opt for _br, opt in choices)] if choices else []
    parts += [f"{label} {day.isoformat()}" for label, day in dated]
    return ", ".join(parts) or scenario.name
