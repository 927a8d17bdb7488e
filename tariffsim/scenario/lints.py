"""Warnings: what a valid scenario says that is most likely not what its author meant. A
warning is reported at its position (``file:line:col: warning: ...``) and the run goes on.

Here: an HS code in a product scope (a tariff measure's `products`, a
`change_scope` move, a product set, a stacking rule's `not_on`, their `exclude` included)
that matches no product line of its direction's packaged data: a typo, a code longer than
the direction's codes, or goods that direction does not trade. The scope then adds (or
excludes) nothing there. `answers` adds those about the import response and announcement
days.

The codes are matched against the packaged universes (numpy, no pandas), so loading does not
run these: every command that loads a scenario file does (`validate`, `run`, `explain`...),
and `Scenario.warnings()` in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tariffsim.arguments import Direction, direction_order
from tariffsim.errors import Diagnostic, Locate
from tariffsim.scenario import model as m
from tariffsim.scenario.answers import response_and_timing
from tariffsim.scenario.chains import scope_sets

if TYPE_CHECKING:
    from tariffsim.products import ProductUniverse

UniverseOf = Callable[[Direction], "ProductUniverse | None"]


def warnings(
    spec: m.ScenarioSpec,
    at: Locate,
    universe_of: UniverseOf | None = None,
    *,
    bundled: bool = False,
) -> list[Diagnostic]:
    """Every warning of a merged scenario, in file order. `universe_of` gives a direction's
    product lines (None where there is no data); the packaged ones by default.

    Warnings about the bundled scenarios and seeds are left out unless `bundled`: their
    legal product lists name goods China did not ship in the base year on purpose (a
    Section 232 list is the law, traded or not), and the suite checks which ones."""

    def wanted(file: str) -> bool:
        return bundled or not _is_bundled(file)

    found = [
        *unmatched_codes(spec, at, universe_of or packaged_universe, wanted),
        *(d for d in response_and_timing(spec, at) if wanted(d.file)),
    ]
    return sorted(d.as_warning() for d in found)


@cache
def _is_bundled(file: str) -> bool:
    from tariffsim.resources import bundled_dir, is_within

    return is_within(Path(file), [bundled_dir("scenarios"), bundled_dir("seeds")])


def packaged_universe(direction: Direction) -> ProductUniverse | None:
    """A direction's packaged product lines (2024 weights: matching ignores weights)."""
    from tariffsim.products import load_universe, supported_directions

    return load_universe(*direction) if direction in supported_directions() else None


@dataclass
class _Scopes:
    """Each scope written in the scenario, with the directions it applies in."""

    spec: m.ScenarioSpec
    written: list[tuple[object, Any, tuple[str, ...], Direction]] = field(default_factory=list)
    set_directions: dict[str, set[Direction]] = field(default_factory=dict)

    def add(self, item: object, scope: Any, sub: tuple[str, ...], direction: Direction) -> None:
        """A scope at `sub` of `item`, applied in `direction`; the sets it names (and the sets
        they name) apply there too."""
        self.written.append((item, scope, sub, direction))
        pending = scope_sets(scope)
        while pending:
            name = pending.pop()
            used = self.set_directions.setdefault(name, set())
            if direction not in used and name in self.spec.product_sets:
                used.add(direction)
                pending.extend(scope_sets(self.spec.product_sets[name]))


def _scopes(spec: m.ScenarioSpec) -> _Scopes:
    """The scopes of tariff measures, of the moves that change them and of the stacking
    rules they yield to; non-tariff measures carry no rates, so their scopes weigh nothing."""
    tariffs = {x.id: x for x in spec.measures if x.type == "tariff"}
    out = _Scopes(spec)
    for ms in tariffs.values():
        out.add(ms, ms.products, ("products",), (ms.imposer, ms.target))
    moves = [*spec.moves, *(mv for t in spec.triggers for mv in (*t.then, *t.else_))]
    for mv in moves:
        ms = tariffs.get(getattr(mv, "measure", None) or "")
        if isinstance(mv, m.ChangeScope) and ms is not None:
            out.add(mv, mv.products, ("products",), (ms.imposer, ms.target))
    for rule in spec.stacking:
        ms = tariffs.get(rule.measure)
        if rule.not_on is not None and ms is not None:
            out.add(rule, rule.not_on, ("not_on",), (ms.imposer, ms.target))
    return out


def _codes(scope: Any, sub: tuple[str | int, ...]) -> Iterator[tuple[str, tuple[str | int, ...]]]:
    """Each HS code of a scope with its path, `exclude` included."""
    while isinstance(scope, m.ProductScope):
        for i, code in enumerate(scope.hs):
            yield code, (*sub, "hs", i)
        scope, sub = scope.exclude, (*sub, "exclude")


def unmatched_codes(
    spec: m.ScenarioSpec,
    at: Locate,
    universe_of: UniverseOf,
    wanted: Callable[[str], bool] = lambda file: True,
) -> Iterator[Diagnostic]:
    """Each HS code that matches no product line in any direction its scope applies in (a
    product set no tariff uses: in any direction with data), in the files `wanted` names.
    Universes are loaded only when a wanted file names a code."""
    scopes = _scopes(spec)
    checks = [(item, scope, sub, [d]) for item, scope, sub, d in scopes.written]
    for name, scope in spec.product_sets.items():
        used = scopes.set_directions.get(name) or _all_directions()
        checks.append((scope, scope, (), direction_order(used)))
    for item, scope, sub, directions in checks:
        codes = list(_codes(scope, sub))
        if not codes or not wanted(at(item).diag("").file):
            continue
        universes = [u for u in map(universe_of, directions) if u is not None]
        for code, path in codes:
            if universes and not any(u.prefix_mask([code]).any() for u in universes):
                yield at(item).diag(_unmatched(code, universes), *path)


def _all_directions() -> set[Direction]:
    from tariffsim.products import supported_directions

    return supported_directions()


def _unmatched(code: str, universes: list[ProductUniverse]) -> str:
    """The warning for a code no line of `universes` starts with."""
    if len(universes) == 1:
        u = universes[0]
        text = f"HS code '{code}' matches none of the {len(u):,} {u.imposer}→{u.target} lines"
    else:
        named = " or ".join(f"{u.imposer}→{u.target} ({len(u):,})" for u in universes)
        text = f"HS code '{code}' matches none of the product lines of {named}"
    text += " with trade data"
    short = [u for u in universes if len(u) and len(code) > len(u.codes[0])]
    if short:
        return (
            text
            + "; "
            + ", ".join(
                f"{u.imposer}→{u.target} codes have {len(u.codes[0])} digits" for u in short
            )
        )
    return text + ": check the code"
