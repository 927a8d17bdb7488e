"""Read YAML the way tariffsim needs it: no type guessing, positions for every value.

Only ``null``/``~`` and ``true``/``false`` are resolved; every other scalar stays a string so that
HS code ``0201`` and country ``NO`` survive and pydantic alone decides types. Duplicate keys,
tags, deep nesting, recursive aliases and alias bombs are refused with their position (special
and oversized files, by `files`).

The document is built from the parser's event stream with an explicit stack, not composed
into nodes first: composing recurses (a deep enough file crashes the interpreter) and is
several times slower on large honest files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tariffsim.errors import Diagnostic, ScenarioError
from tariffsim.scenario.files import read_file

MAX_NODES = 1_000_000  # plain values written in the file (the size limit bounds them too)
MAX_ALIAS_NODES = 100_000  # values added by expanding aliases (alias bombs)
MAX_DEPTH = 64  # nesting of lists and mappings, aliases expanded

Path_ = tuple[str | int, ...]

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when available


class _StringLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader whose implicit resolvers know only null and booleans."""


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_StringLoader.yaml_implicit_resolvers = {}
_StringLoader.add_implicit_resolver("tag:yaml.org,2002:null", _NULL, ["~", "n", "N", ""])
_StringLoader.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))

_RESOLVED_FIRST = ("", "~", "n", "N", "t", "T", "f", "F")
_TAG = "tag:yaml.org,2002:"
_TEXT_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "timestamp")}


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


def _pos(event: yaml.Event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


@dataclass
class _Anchor:
    """An anchored value and the positions inside it, relative to it, for its aliases."""

    value: Any = None
    scalar: bool = True
    raw: str = ""
    height: int = 0
    values: list[tuple[Path_, tuple[int, int]]] = field(default_factory=list)
    keys: list[tuple[Path_, tuple[int, int]]] = field(default_factory=list)
    done: bool = False


@dataclass
class _Frame:
    """An open list or mapping."""

    value: dict[str, Any] | list[Any]
    path: Path_
    anchor: _Anchor | None
    height: int = 0
    key: tuple[str, tuple[int, int]] | None = None  # mapping: the key awaiting its value
    key_ok: bool = True
    awaiting_key: bool = True
    mapping: bool = True


_SKIP = "\0skipped"  # path segment for values of refused keys (never looked up)


class _Builder:
    """Turns parser events into plain values, recording positions; never recurses."""

    def __init__(self, positions: Positions) -> None:
        self.positions = positions
        self.errors: list[Diagnostic] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Anchor] = {}
        self.capturing: list[tuple[int, _Anchor]] = []  # open anchors: (path length, anchor)
        self.nodes = 0
        self.expanded = 0
        self.root: Any = None
        self.skipped = 0
        self.documents = 0

    # ------------------------------------------------------------------ helpers
    def fail(self, event: yaml.Event, message: str) -> None:
        line, col = _pos(event)
        raise ScenarioError([Diagnostic(self.positions.file, line, col, message)])

    def error(self, where: tuple[int, int], message: str) -> None:
        self.errors.append(Diagnostic(self.positions.file, *where, message))

    def record(self, path: Path_, pos: tuple[int, int], *, key: bool = False) -> None:
        if key:
            self.positions.keys[path] = pos
        else:
            self.positions.values.setdefault(path, pos)
        if self.capturing:
            for length, anchor in self.capturing:
                (anchor.keys if key else anchor.values).append((path[length:], pos))

    def next_path(self, event: yaml.Event) -> Path_:
        """The path of the value `event` starts, inside the innermost open collection."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if not top.mapping:
            return (*top.path, len(top.value))
        if top.key is None or not top.key_ok:
            self.skipped += 1
            return (*top.path, f"{_SKIP}{self.skipped}")
        return (*top.path, top.key[0])

    # ------------------------------------------------------------------ values
    def scalar(self, event: yaml.ScalarEvent) -> None:
        self.count(event)
        mark = event.start_mark
        pos = (mark.line + 1, mark.column + 1)
        top = self.stack[-1] if self.stack else None
        if top is not None and top.awaiting_key:
            merge = event.value == "<<" and (
                (event.tag is None and event.implicit[0]) or event.tag == f"{_TAG}merge"
            )
            self.take_key(event.value, True, pos, merge)
            if event.anchor is not None:
                self.anchors[event.anchor] = _Anchor(
                    event.value, True, event.value, 0, [((), pos)], [], True
                )
            return
        value = self.resolve(event)
        path = self.next_path(event)
        self.record(path, pos)
        if event.anchor is not None:
            anchor = self.open_anchor(event, path)
            anchor.value, anchor.raw, anchor.done = value, event.value, True
            self.close_anchor(anchor)
        self.add(value, 0)

    def resolve(self, event: yaml.ScalarEvent) -> Any:
        tag, text = event.tag, event.value
        if tag is None:
            if event.implicit[0] and text[:1] in _RESOLVED_FIRST:
                if _NULL.match(text):
                    return None
                if _BOOL.match(text):
                    return text.lower() == "true"
            return text
        if tag == "!":
            return text
        if tag == f"{_TAG}null":
            return None
        if tag == f"{_TAG}bool":
            return text.lower() == "true"
        if tag not in _TEXT_TAGS:
            self.error(_pos(event), f"unsupported YAML tag {tag}")
        return text

    def start(self, event: yaml.CollectionStartEvent, mapping: bool) -> None:
        self.count(event)
        expected = f"{_TAG}{'map' if mapping else 'seq'}"
        if event.tag not in (None, "!", expected):
            self.error(_pos(event), f"unsupported YAML tag {event.tag}")
        if self.stack and self.stack[-1].awaiting_key:
            self.take_key("", False, _pos(event), False)
        path = self.next_path(event)
        if len(self.stack) + 1 > MAX_DEPTH:
            self.fail(event, f"nested more than {MAX_DEPTH} levels deep; refusing")
        self.record(path, _pos(event))
        anchor = self.open_anchor(event, path)
        self.stack.append(
            _Frame({} if mapping else [], path, anchor, awaiting_key=mapping, mapping=mapping)
        )

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            anchor = frame.anchor
            anchor.value, anchor.scalar, anchor.height = frame.value, False, frame.height + 1
            anchor.done = True
            self.close_anchor(anchor)
        self.add(frame.value, frame.height + 1)

    def alias(self, event: yaml.AliasEvent) -> None:
        anchor = self.anchors.get(event.anchor)
        if anchor is None:
            self.fail(event, f"alias '*{event.anchor}' names no anchor defined before it")
        if not anchor.done:
            self.fail(event, f"recursive alias: '*{event.anchor}' is inside the value it names")
        if len(self.stack) + anchor.height > MAX_DEPTH:
            self.fail(
                event,
                f"alias '*{event.anchor}' nests values more than {MAX_DEPTH} levels deep; refusing",
            )
        self.expanded += len(anchor.values) + len(anchor.keys)
        if self.expanded > MAX_ALIAS_NODES:
            self.fail(
                event,
                f"aliases expand to more than {MAX_ALIAS_NODES:,} values (alias bomb?); refusing",
            )
        if self.stack and self.stack[-1].awaiting_key:
            self.take_key(anchor.raw, anchor.scalar, _pos(event), False)
            return
        path = self.next_path(event)
        self.record(path, _pos(event))
        for rel, pos in anchor.values:
            self.record((*path, *rel), pos)
        for rel, pos in anchor.keys:
            self.record((*path, *rel), pos, key=True)
        self.add(anchor.value, anchor.height)

    def take_key(self, raw: str, scalar: bool, pos: tuple[int, int], merge: bool) -> None:
        top = self.stack[-1]
        top.awaiting_key = False
        top.key, top.key_ok = (raw, pos), False
        if not scalar:
            self.error(pos, "mapping keys must be plain text")
        elif merge:
            self.error(pos, "merge keys ('<<') are not supported")
        elif raw in top.value:
            first = self.positions.keys[(*top.path, raw)]
            self.error(pos, f"duplicate key '{raw}' (first given at line {first[0]})")
        else:
            top.key_ok = True
            self.record((*top.path, raw), pos, key=True)

    def add(self, value: Any, height: int) -> None:
        """Put a finished value into the open collection (or make it the document)."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if height > top.height:
            top.height = height
        if not top.mapping:
            top.value.append(value)
            return
        if top.key_ok and top.key is not None:
            top.value[top.key[0]] = value
        top.key, top.key_ok, top.awaiting_key = None, True, True

    def count(self, event: yaml.Event) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.fail(event, f"more than {MAX_NODES:,} values in one file; refusing")

    # ------------------------------------------------------------------ anchors
    def open_anchor(self, event: yaml.NodeEvent, path: Path_) -> _Anchor | None:
        if event.anchor is None:
            return None
        anchor = _Anchor()
        self.anchors[event.anchor] = anchor
        self.capturing.append((len(path), anchor))
        anchor.values.append(((), _pos(event)))
        return anchor

    def close_anchor(self, anchor: _Anchor) -> None:
        self.capturing = [(n, a) for n, a in self.capturing if a is not anchor]

    # ------------------------------------------------------------------ the stream
    def feed(self, events: Any) -> Any:
        handlers: dict[type, Callable[[Any], None]] = {
            yaml.ScalarEvent: self.scalar,
            yaml.AliasEvent: self.alias,
            yaml.MappingStartEvent: lambda e: self.start(e, True),
            yaml.SequenceStartEvent: lambda e: self.start(e, False),
            yaml.MappingEndEvent: lambda _e: self.end(),
            yaml.SequenceEndEvent: lambda _e: self.end(),
            yaml.DocumentStartEvent: self.document,
        }
        for event in events:
            handler = handlers.get(type(event))
            if handler is not None:
                handler(event)
        return self.root

    def document(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            self.fail(event, "a scenario file holds one YAML document; found a second")


def _reader_position(text: str, exc: yaml.reader.ReaderError, loader: type) -> tuple[int, int]:
    """Line and column of a reader error (libyaml counts bytes, PyYAML characters)."""
    before = (
        text.encode("utf-8")[: exc.position].decode("utf-8", "replace")
        if loader is not yaml.SafeLoader
        else text[: exc.position]
    )
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


def load_text(text: str, file: str) -> tuple[Any, Positions]:
    """Parse YAML text into plain values (dict/list/str/bool/None) and their positions."""
    try:
        builder, data = _build(text, file, _StringLoader)
    except yaml.MarkedYAMLError as exc:
        if _Base is yaml.SafeLoader or "nesting depth" not in str(exc.problem):
            raise
        # libyaml (PyYAML >= 6.0.3) refuses 1000 levels while it scans ahead, before the
        # builder sees level 65; PyYAML's own parser has no such limit, so the builder
        # names the first level too deep
        builder, data = _build(text, file, yaml.SafeLoader)
    return data, builder.positions


def _build(text: str, file: str, loader: type) -> tuple[_Builder, Any]:
    """The document built from the event stream of `loader`'s parser, or every problem."""
    builder = _Builder(Positions(file))
    try:
        data = builder.feed(yaml.parse(text, Loader=loader))
    except yaml.reader.ReaderError as exc:
        line, col = _reader_position(text, exc, loader)
        raise ScenarioError(
            [
                Diagnostic(
                    file,
                    line,
                    col,
                    (
                        f"invalid YAML: {exc.reason} (character U+{exc.character:04X}); "
                        "a scenario file holds printable text only"
                    ),
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        if "nesting depth" in str(exc.problem) and loader is not yaml.SafeLoader:
            raise
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "invalid YAML"
        raise ScenarioError([Diagnostic(file, line, col, f"invalid YAML: {problem}")]) from None
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        raise ScenarioError([Diagnostic(file, 0, 0, f"invalid YAML: {message}")]) from None
    if builder.errors:
        raise ScenarioError(builder.errors)
    return builder, data


def load_file(path: Path) -> tuple[Any, Positions]:
    """Read one YAML file (`-`: standard input; see `files.read_file` for what is refused)
    and parse it."""
    text, name = read_file(path)
    return load_text(text, name)
