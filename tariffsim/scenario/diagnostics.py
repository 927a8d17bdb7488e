"""Pydantic's validation errors, said in the terms of the file the person wrote.

Each error becomes one `Diagnostic` at the key or value it is about: unknown keys suggest the
closest allowed one, a misspelt required key is one problem rather than two, and union and
type errors name what was expected instead of pydantic's internals.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from tariffsim.errors import Diagnostic
from tariffsim.scenario import model as m
from tariffsim.scenario.yamlio import Path_, Positions

_Loc = tuple[Any, ...]
_ID_HELP = "ids are lowercase letters, digits, '.', '_' and '-'"
_PATTERN_HELP = {
    "imposer": "use a two-letter country code such as US or CN",
    "target": "use a two-letter country code such as US or CN",
    "by_imposer": "use a two-letter country code such as US or CN",
    **dict.fromkeys(("id", "measure", "flag", "suspension", "source", "product_sets"), _ID_HELP),
}
_EXPECTED = {  # error type -> what the value should have been
    "model_type": "a mapping",
    "dict_type": "a mapping",
    "list_type": "a list",
    "string_type": "text",
}


def unknown(kind: str, name: str, known: Iterable[str]) -> str:
    """'unknown <kind> <name>', with the closest known name as a suggestion."""
    hint = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"unknown {kind} '{name}'" + (f"; did you mean '{hint[0]}'?" if hint else "")


def pydantic_diagnostics(exc: ValidationError, data: Any, pos: Positions) -> list[Diagnostic]:
    """One diagnostic per problem; a misspelt required key is one problem, not two."""
    errors = exc.errors(include_url=False)
    redundant = _misspelt(errors) | _scope_alternatives(errors)
    return [
        _diagnostic(err, data, pos)
        for err in errors
        if (err["type"], tuple(err["loc"])) not in redundant
    ]


def _misspelt(errors: list[Any]) -> set[tuple[str, _Loc]]:
    """'missing' errors of required keys that an unknown key near them misspells."""
    found = set()
    for err in errors:
        loc = tuple(err["loc"])
        hint = _key_hint(loc) if err["type"] == "extra_forbidden" else None
        if hint:
            found.add(("missing", (*loc[:-1], hint)))
    return found


def _scope_alternatives(errors: list[Any]) -> set[tuple[str, _Loc]]:
    """'not text' errors where a mapping was given for text-or-scope: the scope's own errors
    say what is wrong with it."""
    scoped = {
        tuple(e["loc"])[:i]
        for e in errors
        for i, seg in enumerate(e["loc"])
        if "ProductScope" in str(seg)
    }
    return {
        ("string_type", tuple(e["loc"]))
        for e in errors
        if e["type"] == "string_type" and e["loc"][-1] == "str" and tuple(e["loc"])[:-1] in scoped
    }


def _diagnostic(err: Any, data: Any, pos: Positions) -> Diagnostic:
    loc = tuple(err["loc"])
    path = _data_path(data, loc)
    if err["type"] == "extra_forbidden":
        return pos.diag(path, _unknown_key(loc), key=True)
    if err["type"] == "union_tag_invalid":
        return pos.diag((*path, "kind"), _unknown_kind(err))
    return pos.diag(path, _message(err, loc))


def _message(err: Any, loc: _Loc) -> str:
    kind = err["type"]
    if kind == "missing":
        return f"missing required key '{loc[-1]}'"
    if kind == "union_tag_not_found":
        return f"a move needs a 'kind': one of {', '.join(m.MOVE_KINDS)}"
    msg = err["msg"].removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        is_key = len(loc) >= 3 and loc[-1] == "[key]"  # (..., mapping, key, "[key]")
        names = [s for s in (loc[:-2] if is_key else loc) if isinstance(s, str)]
        field_name = names[-1] if names else "value"
        help_text = _PATTERN_HELP.get(field_name, msg)
        what = f"{field_name} key" if is_key else field_name
        return f"'{err['input']}' is not a valid {what}: {help_text}"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]} here, got {_describe(err['input'])}"
    if kind in ("bool_type", "bool_parsing"):
        return "expected true or false"
    return msg


def _key_hint(loc: _Loc) -> str | None:
    """The allowed key closest to the unknown key at `loc`, if one is close."""
    hint = difflib.get_close_matches(str(loc[-1]), _allowed_keys(loc), n=1, cutoff=0.6)
    return hint[0] if hint else None


def _unknown_key(loc: _Loc) -> str:
    key = str(loc[-1])
    hint = _key_hint(loc)
    if hint:
        return f"unknown key '{key}'; did you mean '{hint}'?"
    allowed = _allowed_keys(loc)
    return f"unknown key '{key}'" + (f"; expected one of: {', '.join(allowed)}" if allowed else "")


def _unknown_kind(err: Any) -> str:
    given = err.get("ctx", {}).get("tag", "?")
    hint = difflib.get_close_matches(str(given), m.MOVE_KINDS, n=1)
    kinds = ", ".join(m.MOVE_KINDS)
    return f"unknown move kind '{given}'" + (
        f"; did you mean '{hint[0]}'?" if hint else f"; expected one of: {kinds}"
    )


def _model_fields(cls: type[BaseModel]) -> dict[str, Any]:
    return {(f.alias or name): f.annotation for name, f in cls.model_fields.items()}


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        found.extend(_models_in(arg))
    return found


def _allowed_keys(loc: _Loc) -> list[str]:
    """The keys the model accepts at the mapping that holds `loc[-1]` (for suggestions)."""
    models: list[type[BaseModel]] = [m.ScenarioSpec]
    for seg in loc[:-1]:
        if not isinstance(seg, int):
            models = _models_at(models, seg)
        if not models:
            return []
    return sorted({k for cls in models for k in _model_fields(cls)})


def _models_at(models: list[type[BaseModel]], seg: str) -> list[type[BaseModel]]:
    """The models that may stand at key `seg` of any of `models`; a move kind (a union's
    tag in pydantic's `loc`) picks its own model."""
    by_tag = {
        c.model_fields["kind"].annotation.__args__[0]: c for c in models if "kind" in c.model_fields
    }
    if seg in by_tag:
        return [by_tag[seg]]
    found: list[type[BaseModel]] = []
    for cls in models:
        fields = _model_fields(cls)
        if seg in fields:
            found.extend(_models_in(fields[seg]))
    return found


def _data_path(data: Any, loc: _Loc) -> Path_:
    """Map a pydantic `loc` onto the data's own path, dropping union tags and type names."""
    path: list[str | int] = []
    node = data
    for seg in loc:
        is_key = isinstance(node, dict) and seg in node
        is_index = isinstance(node, list) and isinstance(seg, int) and 0 <= seg < len(node)
        if is_key or is_index:
            path.append(seg)
            node = node[seg]
    return tuple(path)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"
