"""The package's import graph: no cycle between modules, and no private name (`_x`) used
from another module. Parsed from the source, so imports inside functions count; imports
under `if TYPE_CHECKING:` (annotations only) do not."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tariffsim"


def runtime_nodes(tree: ast.AST):
    """Every node, except those inside `if TYPE_CHECKING:` blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and ast.unparse(child.test) == "TYPE_CHECKING":
                stack.extend(child.orelse)
                continue
            stack.append(child)


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def imported(tree: ast.AST) -> tuple[set[str], dict[str, str], list[str]]:
    """The tariffsim modules a module imports, the names it binds to modules, and the
    private names it imports from them."""
    modules: set[str] = set()
    aliases: dict[str, str] = {}
    private: list[str] = []
    for node in runtime_nodes(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("tariffsim."):
                    modules.add(alias.name)
                    aliases[alias.asname or alias.name] = alias.name
        if not (isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tariffsim")):
            continue
        folder = PACKAGE.joinpath(*node.module.split(".")[1:])
        for alias in node.names:
            if (folder / f"{alias.name}.py").exists():  # a module taken from its package
                modules.add(f"{node.module}.{alias.name}")
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                continue
            modules.add(node.module)
            if is_private(alias.name):
                private.append(f"{node.module}.{alias.name} (line {node.lineno})")
    return modules, aliases, private


def imports_of(path: Path) -> tuple[set[str], list[str]]:
    """The tariffsim modules `path` imports, and the private names it takes from them."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules, aliases, private = imported(tree)
    for node in runtime_nodes(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            base = ast.unparse(node.value)
            if base in aliases:
                private.append(f"{aliases[base]}.{node.attr} (line {node.lineno})")
    return {m for m in modules if m != "tariffsim"}, private


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its `__init__`)."""
    out = {}
    for p in sorted(PACKAGE.rglob("*.py")):
        parts = p.relative_to(PACKAGE.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    return out


def graph() -> dict[str, set[str]]:
    return {name: imports_of(p)[0] - {name} for name, p in modules().items() if name != "tariffsim"}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """A cycle among the modules, if there is one (its members sorted), by the standard
    library's topological sorter."""
    try:
        TopologicalSorter(edges).prepare()
    except CycleError as exc:
        return [sorted(set(exc.args[1]))]
    return []


def test_the_cycle_finder_finds_cycles():
    # the check must be able to fail: a hand-made graph with one cycle of three
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_between_the_package_modules():
    edges = graph()
    assert len(edges) >= 15 and "tariffsim.engine.clock" in edges["tariffsim.simulation"]
    assert cycles(edges) == []


def test_no_private_name_is_used_across_modules(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from tariffsim.products import _read_lines\n"
        "from tariffsim.engine import clock\nclock._field(1, 'x')\n"
    )
    assert len(imports_of(sample)[1]) == 2  # the check sees both kinds of use
    used = {name: imports_of(p)[1] for name, p in modules().items()}
    assert {name: names for name, names in used.items() if names} == {}


MAX_LINES = 400


def test_every_module_is_short_enough_to_read(tmp_path):
    # a module of more than MAX_LINES lines holds more than one job: split it
    long = tmp_path / "long.py"
    long.write_text("x = 1\n" * (MAX_LINES + 1))
    assert len(long.read_text().splitlines()) > MAX_LINES  # the measure can fail
    sizes = {name: len(p.read_text(encoding="utf-8").splitlines()) for name, p in modules().items()}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
