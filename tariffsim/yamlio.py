"""Read YAML the way tariffsim needs it: no type guessing, positions for every value.

Only ``null``/``~`` and ``true``/``false`` are resolved; every other scalar stays a string so that
HS code ``0201`` and country ``NO`` survive and pydantic alone decides types. Duplicate keys,
oversized files and alias bombs are rejected with their position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tariffsim.errors import Diagnostic, ScenarioError

MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000

Path_ = tuple[str | int, ...]


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml's parser when available


class _StringLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader whose implicit resolvers know only null and booleans."""


_StringLoader.yaml_implicit_resolvers = {}
_StringLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_StringLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


@dataclass
class Positions:
    """Where each value (and each mapping key) stands in the file, by path from the root."""

    file: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def at(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Best position for `path`: the key or value itself, else its nearest ancestor."""
        path = tuple(path)
        while True:
            table = self.keys if key else self.values
            if path in table:
                return table[path]
            if path in self.values:
                return self.values[path]
            if not path:
                return (1, 1)
            path = path[:-1]

    def diag(self, path: Path_, message: str, *, key: bool = False) -> Diagnostic:
        line, col = self.at(path, key=key)
        return Diagnostic(self.file, line, col, message)


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, positions: Positions) -> None:
        self.positions = positions
        self.count = 0
        self.errors: list[Diagnostic] = []

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            line, col = _pos(node)
            raise ScenarioError([Diagnostic(
                self.positions.file, line, col,
                f"document expands to more than {MAX_NODES:,} values (alias bomb?); refusing")])
        self.positions.values.setdefault(path, _pos(node))
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, col = _pos(key_node)
                    self.errors.append(Diagnostic(self.positions.file, line, col,
                                                  "mapping keys must be plain text"))
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    line, col = _pos(key_node)
                    self.errors.append(Diagnostic(self.positions.file, line, col,
                                                  "merge keys ('<<') are not supported"))
                    continue
                key = str(key_node.value)
                if key in out:
                    line, col = _pos(key_node)
                    first = self.positions.keys[(*path, key)]
                    self.errors.append(Diagnostic(
                        self.positions.file, line, col,
                        f"duplicate key '{key}' (first given at line {first[0]})"))
                    continue
                self.positions.keys[(*path, key)] = _pos(key_node)
                out[key] = self.build(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:null":
            return None
        if node.tag == "tag:yaml.org,2002:bool":
            return node.value.lower() == "true"
        if node.tag not in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:int",
                            "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"):
            line, col = _pos(node)
            self.errors.append(Diagnostic(self.positions.file, line, col,
                                          f"unsupported YAML tag {node.tag}"))
        return str(node.value)


def load_text(text: str, file: str) -> tuple[Any, Positions]:
    """Parse YAML text into plain values (dict/list/str/bool/None) and their positions."""
    positions = Positions(file)
    try:
        node = yaml.compose(text, Loader=_StringLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        raise ScenarioError([Diagnostic(file, line, col, f"invalid YAML: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Diagnostic(file, 0, 0, f"invalid YAML: {exc}")]) from None
    if node is None:
        return None, positions
    builder = _Builder(positions)
    data = builder.build(node, ())
    if builder.errors:
        raise ScenarioError(builder.errors)
    return data, positions


def load_file(path: Path) -> tuple[Any, Positions]:
    """Read and parse one YAML file, refusing missing, unreadable or oversized files."""
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ScenarioError([Diagnostic(name, 0, 0, "file not found")]) from None
    except OSError as exc:
        raise ScenarioError([Diagnostic(name, 0, 0, f"cannot read file: {exc.strerror}")]) from None
    if path.is_dir():
        raise ScenarioError([Diagnostic(name, 0, 0, "is a directory, not a scenario file")])
    if size > MAX_FILE_BYTES:
        raise ScenarioError([Diagnostic(
            name, 0, 0, f"file is {size:,} bytes; scenario files are limited to "
            f"{MAX_FILE_BYTES:,} bytes")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError([Diagnostic(name, 0, 0, "file is not UTF-8 text")]) from None
    except OSError as exc:
        raise ScenarioError([Diagnostic(name, 0, 0, f"cannot read file: {exc.strerror}")]) from None
    return load_text(text, name)
