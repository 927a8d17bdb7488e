"""From scenario files to one validated, merged scenario, or every problem at once.

A scenario may `extend` a base; items with the same id replace inherited ones. Every item
remembers the file and position it came from, so later checks (and the engine) can point there.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tariffsim.errors import Diagnostic, ScenarioError
from tariffsim.resources import base_allowed, bundled_scenarios, resolve_name
from tariffsim.scenario import model as m
from tariffsim.scenario.checks import check
from tariffsim.scenario.diagnostics import pydantic_diagnostics, unknown
from tariffsim.scenario.files import STDIN
from tariffsim.scenario.yamlio import Path_, Positions, load_file

MAX_EXTENDS_DEPTH = 16


@dataclass(frozen=True)
class Origin:
    """Where an item was written: its file's positions and its path inside that file."""

    positions: Positions
    path: Path_

    def diag(self, message: str, *sub: str | int, key: bool = False) -> Diagnostic:
        return self.positions.diag((*self.path, *sub), message, key=key)


@dataclass
class Scenario:
    """A loaded scenario: the merged spec, the chain of files, and where each item came from."""

    name: str
    path: Path
    spec: m.ScenarioSpec
    files: list[Path] = field(default_factory=list)
    origins: dict[int, Origin] = field(default_factory=dict, repr=False)
    top: Origin | None = field(default=None, repr=False)
    _by_id: dict[str, m.Measure] = field(default_factory=dict, repr=False, compare=False)
    # the scenario this one was derived from in code: kept alive, as origins are keyed by id()
    base: Scenario | None = field(default=None, repr=False, compare=False)

    def origin(self, item: object) -> Origin:
        """Where `item` was written; the top file's root for the scenario header itself."""
        found = self.origins.get(id(item))
        if found is not None:
            return found
        return self.top or Origin(Positions(str(self.path)), ())

    def measure(self, measure_id: str) -> m.Measure:
        """A measure by id: a dict built once, so lookups stay cheap with 10,000 measures."""
        by_id = self._by_id
        if len(by_id) != len(self.spec.measures):
            by_id.clear()
            by_id.update((x.id, x) for x in self.spec.measures)
        return by_id[measure_id]

    @property
    def title(self) -> str:
        return self.spec.title

    def warnings(self, *, bundled: bool = False) -> list[Diagnostic]:
        """What the scenario says that is valid but most likely a slip, each at its position
        (see `lints`): HS codes that match no product line of their direction, no tariff
        measure at all. Reads the packaged product data; bundled files only if `bundled`."""
        from tariffsim.scenario.lints import warnings

        return warnings(self.spec, self.origin, bundled=bundled)


# ---------------------------------------------------------------------------- loading files

_HEADER_KEYS = ("title", "description", "horizon", "response")
_Kept = dict[str, list[int]]  # list name -> original index of each item that validated


@dataclass
class _Loading:
    """What loading a chain of files gathers along the way."""

    origins: dict[int, Origin] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    invalid_ids: set[str] = field(default_factory=set)  # ids of items set aside as invalid
    base_root: Path | None = None  # bases must lie here (or be bundled); None: anywhere


def _parse_file(path: Path, acc: _Loading) -> tuple[m.ScenarioSpec, Positions, _Kept]:
    data, pos = load_file(path)
    if not isinstance(data, dict):
        raise ScenarioError(
            [pos.diag((), "a scenario file must be a mapping with at least a 'title'")]
        )
    spec, kept = _validate(data, pos, acc)
    return spec, pos, kept


def _ids_in(items: Any) -> set[str]:
    """The ids written in a list of raw items, whatever else is wrong with them."""
    if not isinstance(items, Iterable) or isinstance(items, str):
        return set()
    return {str(x["id"]) for x in items if isinstance(x, dict) and "id" in x}


def _validate(data: dict[str, Any], pos: Positions, acc: _Loading) -> tuple[m.ScenarioSpec, _Kept]:
    """Validate a file's data. Items that fail are reported and set aside, so that the rest
    can still be cross-checked and every problem comes out in one pass."""
    try:
        return m.ScenarioSpec.model_validate(data), {}
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems = pydantic_diagnostics(exc, data, pos)
    bad_items: dict[str, set[int]] = {}
    salvaged = dict(data)
    for err in errors:
        loc = tuple(err["loc"])
        head = str(loc[0]) if loc else ""
        if head in m.ITEM_LISTS and len(loc) > 1 and isinstance(loc[1], int):
            bad_items.setdefault(head, set()).add(loc[1])
        elif head == "product_sets" and len(loc) > 1 and isinstance(data.get(head), dict):
            salvaged[head] = {k: v for k, v in salvaged[head].items() if k != loc[1]}
            acc.invalid_ids.add(str(loc[1]))
        elif head in _HEADER_KEYS:
            salvaged[head] = "untitled" if head == "title" else None
        elif err["type"] == "extra_forbidden" and len(loc) == 1:
            items = salvaged.pop(head, None)  # a misspelt list's ids still count as written
            acc.invalid_ids.update(_ids_in(items.values() if isinstance(items, dict) else items))
        else:  # a whole list or the base is unusable: cross-checks would only add noise
            raise ScenarioError(problems)
    kept: _Kept = {}
    for name, bad in bad_items.items():
        items = data[name]
        kept[name] = [i for i in range(len(items)) if i not in bad]
        salvaged[name] = [items[i] for i in kept[name]]
        acc.invalid_ids.update(_ids_in(items[i] for i in bad))
    try:
        spec = m.ScenarioSpec.model_validate(salvaged)
    except ValidationError:
        raise ScenarioError(problems) from None
    acc.problems.extend(problems)
    return spec, kept


def _merge(base: m.ScenarioSpec, child: m.ScenarioSpec) -> m.ScenarioSpec:
    """Child items replace inherited items with the same id; new ones are appended."""
    merged: dict[str, Any] = {}
    removed = set(child.remove)
    for name in m.ITEM_LISTS:
        items: dict[Any, Any] = {}
        for i, item in enumerate(getattr(base, name)):
            key = item.id if item.id is not None else ("#base", i)
            if key not in removed:
                items[key] = item
        mine: set[Any] = set()
        for i, item in enumerate(getattr(child, name)):
            key = item.id if item.id is not None else ("#child", i)
            if key in mine and name == "branches":  # kept, so the check can report both
                key = ("#again", i)
            items[key] = item
            mine.add(key)
        merged[name] = list(items.values())
    merged["product_sets"] = {**base.product_sets, **child.product_sets}
    header = {
        k: getattr(child, k) if getattr(child, k) is not None else getattr(base, k)
        for k in ("description", "horizon", "response")
    }
    return child.model_copy(update={**merged, **header, "extends": child.extends, "remove": []})


def _record_origins(
    spec: m.ScenarioSpec, pos: Positions, origins: dict[int, Origin], kept: _Kept
) -> None:
    for name in m.ITEM_LISTS:
        for i, item in enumerate(getattr(spec, name)):
            where = kept[name][i] if name in kept else i
            origins[id(item)] = Origin(pos, (name, where))
            _record_parts(item, Origin(pos, (name, where)), origins)
    for set_name, scope in spec.product_sets.items():
        origins[id(scope)] = Origin(pos, ("product_sets", set_name))


def _record_parts(item: Any, at: Origin, origins: dict[int, Origin]) -> None:
    """Where the parts of an item were written: a trigger's moves, a branch's options and
    everything inside them."""
    if isinstance(item, m.Trigger):
        for branch, alias in (("then", "then"), ("else_", "else")):
            for j, mv in enumerate(getattr(item, branch)):
                origins[id(mv)] = Origin(at.positions, (*at.path, alias, j))
        return
    parts = {"branch": ("options",), "option": ("moves", "triggers", "flags", "branches")}
    for name in parts.get(type(item).__name__.lower(), ()):
        for j, part in enumerate(getattr(item, name)):
            origins[id(part)] = where = Origin(at.positions, (*at.path, name, j))
            _record_parts(part, where, origins)


def _load_chain(path: Path, seen: list[Path], acc: _Loading) -> tuple[m.ScenarioSpec, Positions]:
    spec, pos, kept = _parse_file(path, acc)
    acc.files.append(path)
    return _with_base(spec, pos, kept, path, seen, acc)


def _with_base(
    spec: m.ScenarioSpec, pos: Positions, kept: _Kept, path: Path, seen: list[Path], acc: _Loading
) -> tuple[m.ScenarioSpec, Positions]:
    """Resolve `extends` (recursively) and merge this file's items over its base."""
    _record_origins(spec, pos, acc.origins, kept)
    if spec.extends is None:
        if spec.remove:
            raise ScenarioError(
                [
                    pos.diag(
                        ("remove",),
                        "'remove' needs 'extends': there is nothing inherited to remove",
                    )
                ]
            )
        return spec, pos
    base_path = resolve_name(spec.extends, relative_to=path)
    where = pos.diag(("extends",), "")
    problem = None
    if base_path.resolve() in seen or base_path.resolve() == path.resolve():
        chain = " -> ".join(p.name for p in [*seen, path.resolve(), base_path.resolve()])
        problem = f"'extends' makes a cycle: {chain}"
    elif len(seen) >= MAX_EXTENDS_DEPTH:
        problem = f"'extends' chain deeper than {MAX_EXTENDS_DEPTH} files"
    elif acc.base_root is not None and not base_allowed(base_path, acc.base_root):
        problem = (
            f"'extends' names '{spec.extends}' ({base_path.resolve()}), which is neither "
            "bundled nor in the scenario's folder or below it; refused (opt in with "
            "allow_any_base=True, or --allow-any-base on the command line)"
        )
    elif not base_path.is_file():
        problem = f"cannot find the base scenario '{spec.extends}' (looked for {base_path})"
    if problem:
        raise ScenarioError([Diagnostic(where.file, where.line, where.col, problem)])
    base, _ = _load_chain(base_path, [*seen, path.resolve()], acc)
    inherited = {item.id for name in m.ITEM_LISTS for item in getattr(base, name)} | acc.invalid_ids
    not_inherited = [
        pos.diag(("remove", i), unknown("inherited id", rid, inherited - {None}))
        for i, rid in enumerate(spec.remove)
        if rid not in inherited
    ]
    if not_inherited:
        raise ScenarioError(not_inherited)
    return _merge(base, spec), pos


def load_scenario(path_or_name: str | Path, *, allow_any_base: bool = False) -> Scenario:
    """Load a scenario file, bundled scenario by name, or `-` (standard input), validated.

    `extends` may name a bundled scenario or seed, or a file in the scenario's folder or
    below it; `allow_any_base=True` lifts that limit. Raises `ScenarioError` listing every
    problem found, each with file, line and column.
    """
    path = resolve_name(str(path_or_name)) if isinstance(path_or_name, str) else path_or_name
    if str(path_or_name) == STDIN:
        path = Path(STDIN)
    elif (
        isinstance(path_or_name, str)
        and not path.exists()
        and path == Path(path_or_name)
        and path.suffix not in (".yaml", ".yml")
        and len(path.parts) == 1
    ):
        names = list(bundled_scenarios())
        hint = difflib.get_close_matches(path_or_name, names, n=1, cutoff=0.5)
        raise ScenarioError(
            [
                Diagnostic(
                    path_or_name,
                    0,
                    0,
                    (
                        "no such file, nor a bundled scenario of that name; "
                        + (f"did you mean '{hint[0]}'?" if hint else f"bundled: {', '.join(names)}")
                    ),
                )
            ]
        )
    acc = _Loading(base_root=None if allow_any_base else path.parent)
    with _reporting_all(acc):
        spec, pos = _load_chain(path, [], acc)
    return _finished(path.stem, path, spec, pos, acc)


def _finished(
    name: str, path: Path, spec: m.ScenarioSpec, pos: Positions, acc: _Loading
) -> Scenario:
    """The loaded scenario, with where each item came from, once every check has passed."""
    scenario = Scenario(
        name=name, path=path, spec=spec, files=acc.files, origins=acc.origins, top=Origin(pos, ())
    )
    return _checked(scenario, acc)


def scenario_from_dict(
    data: dict[str, Any], name: str = "inline", *, allow_any_base: bool = False
) -> Scenario:
    """Build and fully validate a scenario from Python data shaped like a scenario file
    (rates as '25%' strings, dates as 'YYYY-MM-DD' or `date`). `extends` names a bundled
    scenario or a path in or below the working directory (anywhere with allow_any_base)."""
    pos = Positions(f"<{name}>")
    acc = _Loading(base_root=None if allow_any_base else Path.cwd())
    path = Path(f"{name}.yaml")
    with _reporting_all(acc):
        spec, kept = _validate(data, pos, acc)
        spec, pos = _with_base(spec, pos, kept, path, [], acc)
    return _finished(name, path, spec, pos, acc)


def derived(
    base: Scenario,
    spec: m.ScenarioSpec,
    name: str,
    edited: dict[int, Origin] | None = None,
    *,
    rehearsal: bool = True,
) -> Scenario:
    """A scenario made in code from `base` (its spec edited, as `variants.apply` does),
    checked like a loaded one; items it kept still point at the base's files in errors, and
    so do the `edited` copies of base items given with their origins. `rehearsal=False`
    leaves the clock's rehearsal to the run that follows at once (it refuses the same
    things at the same positions)."""
    scenario = Scenario(
        name=name,
        path=base.path,
        spec=spec,
        files=list(base.files),
        origins={**base.origins, **(edited or {})},
        top=base.top,
        base=base,
    )
    return _checked(scenario, _Loading(), rehearsal=rehearsal)


@contextmanager
def _reporting_all(acc: _Loading) -> Iterator[None]:
    """A problem that stops loading is reported with those already found."""
    try:
        yield
    except ScenarioError as exc:
        raise ScenarioError([*acc.problems, *exc.diagnostics]) from None


def _checked(scenario: Scenario, acc: _Loading, *, rehearsal: bool = True) -> Scenario:
    """The scenario, if neither validation, the cross-checks nor a rehearsal of its moves
    found a problem."""
    problems = [*acc.problems, *check(scenario.spec, scenario.origin, acc.invalid_ids)]
    if problems:
        raise ScenarioError(problems)
    if rehearsal:
        rehearse(scenario)
    return scenario


def rehearse(scenario: Scenario) -> None:
    """Step the engine's clock through every move and trigger, as `simulate` will: what it
    refuses only while running (an extension of a window a trigger opened, a suspension
    not started yet, same-day triggers in a cycle) is refused here too, at its position,
    so that whatever loads also runs. The clock costs milliseconds and needs no numpy.
    A branched scenario is rehearsed on its first leaves (see `branching.rehearsals`)."""
    from tariffsim.engine.clock import Clock
    from tariffsim.scenario.branching import located, rehearsals

    for plain, written in rehearsals(scenario.spec):
        Clock(plain, located(scenario.origin, written)).run()
