from __future__ import annotations

import time

import pytest

from tariffsim.errors import ScenarioError
from tariffsim.scenario.files import MAX_FILE_BYTES
from tariffsim.scenario.yamlio import load_file, load_text


def test_scalars_are_never_guessed():
    data, _ = load_text(
        "hs: 0201\ncountry: NO\ntime: 1:30\ncode: 8703.20\nday: 2025-04-09\nyes: yes\n", "f.yaml"
    )
    assert data == {
        "hs": "0201",
        "country": "NO",
        "time": "1:30",
        "code": "8703.20",
        "day": "2025-04-09",
        "yes": "yes",
    }


def test_null_and_booleans_are_resolved():
    data, _ = load_text("a: null\nb: ~\nc: true\nd: false\ne:\n", "f.yaml")
    assert data == {"a": None, "b": None, "c": True, "d": False, "e": None}


def test_positions_of_keys_and_values():
    _, pos = load_text("title: x\nmeasures:\n  - id: a\n    rate: 25%\n", "f.yaml")
    assert pos.at(("measures", 0, "rate")) == (4, 11)
    assert pos.at(("measures", 0, "rate"), key=True) == (4, 5)
    assert pos.at(("measures", 0, "missing")) == (3, 5)  # nearest ancestor


def test_duplicate_keys_are_reported_with_both_lines():
    with pytest.raises(ScenarioError) as exc:
        load_text("title: a\nhorizon: 1\ntitle: b\n", "f.yaml")
    (diag,) = exc.value.diagnostics
    assert (diag.line, diag.col) == (3, 1)
    assert "duplicate key 'title'" in diag.message and "line 1" in diag.message


def test_syntax_error_has_position():
    with pytest.raises(ScenarioError) as exc:
        load_text("title: x\nmeasures: [a, b\n", "bad.yaml")
    (diag,) = exc.value.diagnostics
    # the unclosed '[' of line 2 is noticed where the input ends: line 3, column 1
    assert (diag.file, diag.line, diag.col) == ("bad.yaml", 3, 1)
    assert str(diag).startswith("bad.yaml:3:1: invalid YAML")


def test_alias_bomb_is_refused_quickly():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(
            f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, "
            f"*{prev}, *{prev}, *{prev}, *{prev}]"
        )
    started = time.perf_counter()
    with pytest.raises(ScenarioError, match="alias bomb"):
        load_text("\n".join(lines) + "\n", "bomb.yaml")
    assert time.perf_counter() - started < 5  # bounded work, not 10**9 nodes


def test_oversized_missing_and_binary_files(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ScenarioError, match="limited to"):
        load_file(big)
    with pytest.raises(ScenarioError, match="file not found"):
        load_file(tmp_path / "nope.yaml")
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_file(binary)
    with pytest.raises(ScenarioError, match="directory"):
        load_file(tmp_path)


def test_unsupported_tags_are_errors():
    with pytest.raises(ScenarioError, match="unsupported YAML tag"):
        load_text("a: !!python/object:os.system x\n", "f.yaml")
