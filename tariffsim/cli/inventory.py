"""`tariffsim show`: what a scenario holds, item by item with its id and where it was
written, so that a scenario extending it can replace an item (same id) or drop it
(`remove: [id]`) without reading the files it came from. Needs neither numpy nor pandas."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tariffsim.cli.render import count, pct, table
from tariffsim.scenario import model as m

if TYPE_CHECKING:
    from tariffsim.scenario.loading import Scenario

KINDS = ("measures", "moves", "triggers", "stacking", "sets", "flags", "sources")
NO_ID = "-"


def show_lines(scenario: Scenario, kinds: Iterable[str] = KINDS) -> list[str]:
    """The scenario's header, then a table per kind of item asked for."""
    wanted = set(kinds)
    lines = _header(scenario)
    for kind in KINDS:
        if kind in wanted:
            lines += ["", *SECTIONS[kind](scenario)]
    lines += [
        "",
        "In a scenario that extends this one, an item with the same id replaces it and",
        "`remove: [id, ...]` drops it (a product set is replaced, never removed); an item",
        f"without an id ({NO_ID}) can be neither.",
    ]
    return lines


def _header(scenario: Scenario) -> list[str]:
    spec = scenario.spec
    chain = ", extending ".join(shown_path(p) for p in scenario.files)
    lines = [f"{scenario.name}: {spec.title}", f"files: {chain}"]
    if spec.horizon is not None:
        lines.append(f"horizon: {spec.horizon.start} to {spec.horizon.end}")
    return lines


def shown_path(path: Path | str) -> str:
    """A file as a person would name it: bundled files by their place in the package
    (`seeds/base.yaml`), others as given."""
    from tariffsim.resources import bundled_dir, is_within

    path = Path(path)
    for kind in ("scenarios", "seeds"):
        if path.name != "-" and is_within(path, [bundled_dir(kind)]):
            return f"{kind}/{path.resolve().relative_to(bundled_dir(kind).resolve())}"
    return str(path)


def _written(scenario: Scenario, item: object) -> str:
    """`file:line` of an item."""
    d = scenario.origin(item).diag("")
    return f"{shown_path(d.file)}:{d.line}"


def _section(title: str, header: list[str], rows: list[list[str]], align: str) -> list[str]:
    heading = f"{title} ({len(rows):,}):" if rows else f"{title}: none"
    return [heading, *(table(header, rows, align, "  ") if rows else [])]


def measures(scenario: Scenario) -> list[str]:
    rows = [
        [
            ms.id,
            f"{ms.imposer}→{ms.target}",
            "non-tariff" if ms.type == "non_tariff" else f"{pct(ms.rate or 0.0)}%",
            str(ms.from_),
            str(ms.until or ""),
            ms.status.replace("_", " "),
            _written(scenario, ms),
            ms.name,
        ]
        for ms in scenario.spec.measures
    ]
    header = ["id", "direction", "written rate", "from", "until", "status", "written at", "name"]
    return _section("Measures", header, rows, "<<><<<<<")


def _move_target(mv: Any) -> str:
    return (
        getattr(mv, "measure", None) or getattr(mv, "suspension", None) or getattr(mv, "flag", "")
    )


def _move_rows(scenario: Scenario) -> list[list[str]]:
    """The scenario's own moves (a trigger's moves go with their trigger)."""
    return [
        [
            mv.id or NO_ID,
            mv.kind,
            _move_target(mv),
            str(m.move_day(mv) or ""),
            _written(scenario, mv),
        ]
        for mv in scenario.spec.moves
    ]


def moves(scenario: Scenario) -> list[str]:
    header = ["id", "kind", "of", "date", "written at"]
    return _section("Moves", header, _move_rows(scenario), "<<<<<")


def triggers(scenario: Scenario) -> list[str]:
    rows = [
        [t.id, str(t.date), _written(scenario, t), _branches(t), t.description]
        for t in scenario.spec.triggers
    ]
    header = ["id", "date", "written at", "moves", "description"]
    return _section("Triggers", header, rows, "<<<<<")


def _branches(trig: m.Trigger) -> str:
    """What a trigger does: `then: 2, else: 1`."""
    return (
        ", ".join(
            f"{name}: {len(branch)}"
            for name, branch in (("then", trig.then), ("else", trig.else_))
            if branch
        )
        or "none"
    )


def stacking(scenario: Scenario) -> list[str]:
    rows = [[r.id, r.measure, _written(scenario, r), r.description] for r in scenario.spec.stacking]
    header = ["id", "measure", "written at", "description"]
    return _section("Stacking rules", header, rows, "<<<<")


def _scope_text(scope: m.ProductScope) -> str:
    parts = [
        count(len(values), noun)
        for values, noun in ((scope.hs, "HS code"), (scope.lists, "list"), (scope.sets, "set"))
        if values
    ]
    text = "all products" if scope.all else ", ".join(parts)
    return text + (", with exclusions" if scope.exclude is not None else "")


def product_sets(scenario: Scenario) -> list[str]:
    rows = [
        [name, _written(scenario, scope), _scope_text(scope)]
        for name, scope in scenario.spec.product_sets.items()
    ]
    return _section("Product sets", ["id", "written at", "holds"], rows, "<<<")


def flags(scenario: Scenario) -> list[str]:
    rows = [[f.id, _written(scenario, f), f.description] for f in scenario.spec.flags]
    return _section("Flags", ["id", "written at", "description"], rows, "<<<")


def sources(scenario: Scenario) -> list[str]:
    spec = scenario.spec
    refs = [[r.id, str(r.date or ""), _written(scenario, r), r.title] for r in spec.references]
    facts = [[f.id, f.source, _written(scenario, f), f.statement.strip()] for f in spec.facts]
    return [
        *_section("References", ["id", "date", "written at", "title"], refs, "<<<<"),
        "",
        *_section("Facts", ["id", "source", "written at", "statement"], facts, "<<<<"),
    ]


SECTIONS: dict[str, Callable[[Scenario], list[str]]] = {
    "measures": measures,
    "moves": moves,
    "triggers": triggers,
    "stacking": stacking,
    "sets": product_sets,
    "flags": flags,
    "sources": sources,
}
