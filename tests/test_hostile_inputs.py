"""Hostile and impossible inputs (issue 13, input side): each ends in a ScenarioError with one
diagnostic per problem at file:line:col, fast, never a traceback or a hang.

The small files are in tests/hostile/ (one per failure kind); big and deep ones are made here.
Every expected message and position below was worked out by hand from the file's text.
"""

from __future__ import annotations

import io
import os
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from tariffsim.errors import ScenarioError
from tariffsim.scenario.files import MAX_FILE_BYTES
from tariffsim.scenario.loading import load_scenario, scenario_from_dict
from tariffsim.scenario.values import parse_day
from tariffsim.scenario.yamlio import load_file, load_text
from tariffsim.simulation import simulate

HOSTILE = Path(__file__).resolve().parent / "hostile"
DIGITS = "write digits as ASCII 0-9 (it has full-width or other non-ASCII digits)"
RANGE = "is out of range: dates run from 1900-01-01 to 2199-12-31"

CORPUS = {
    "alias-recursive.yaml": ["2:11: recursive alias: '*a' is inside the value it names"],
    "tag-on-sequence.yaml": [
        "2:7: unsupported YAML tag tag:yaml.org,2002:python/object/apply:os.system"
    ],
    "nul-byte.yaml": [
        "2:8: invalid YAML: control characters are not allowed (character U+0000); "
        "a scenario file holds printable text only"
    ],
    "date-out-of-range.yaml": [f"7:79: date 9999-12-31 {RANGE}"],
    "no-measures-no-horizon.yaml": [
        "1:1: a scenario without measures needs a 'horizon' ({start, end}): nothing else "
        "gives it dates"
    ],
    "sets-cycle.yaml": [
        "7:3: product sets include each other in a cycle: 'a' ({path}:7:3), 'b' ({path}:8:3)",
        "9:3: product set 'c' includes itself (through 'sets' or 'exclude')",
    ],
    "triggers-cycle.yaml": [
        "10:10: triggers on 2025-03-01 depend on each other in a cycle (each tests what another "
        "changes), so they have no order: 'ta' ({path}:10:10), "
        "'tb' ({path}:11:10), 'tc' ({path}:12:10)"
    ],
    "impossible-values.yaml": [
        f"5:68: '２５%' is not a valid rate: {DIGITS}",
        "5:119: value_share 500% is not a share of value: it must be more than 0% and at most 100%",
        f"5:141: '８５١٧' is not a valid HS code: {DIGITS}",
    ],
    "extend-impossible.yaml": [
        "10:42: suspension 's1' starts on 2025-03-01; an extension decided on 2025-02-01 comes "
        "before it",
        "11:42: suspension 's1' already ended on 2025-09-01; an extension decided on 2025-10-01 "
        "is too late: add a new suspend move instead",
        "12:32: extending 's2' to 2025-12-01 would shorten it: it has no end (runs until further "
        "notice); give the suspension an 'until' or add a new suspend move",
        "13:29: extending 'm1' to 2025-12-01 would shorten it: it has no expiry (in force until "
        "revoked); use move_expiry to give it one",
        "14:58: extending 'm2' to 2025-06-01 would shorten it (expiry 2025-10-01); use move_expiry",
        "15:63: move_expiry to 2024-12-31 ends 'm2' on or before its first day (2025-01-01), so "
        "it would never be in force; use revoke or remove the measure",
        "17:93: extending 's1' to 2025-05-01 would shorten it (it runs until 2025-09-01); use a "
        "new suspend move",
    ],
    "extends-outside.yaml": [
        "2:10: 'extends' names '../hostile-outside/secret.yaml' ("
        + str(HOSTILE.parent / "hostile-outside" / "secret.yaml")
        + "), which is neither bundled nor in the scenario's folder or below it; refused "
        "(opt in with allow_any_base=True, or --allow-any-base on the command line)"
    ],
}


def problems(source: str | Path, **kwargs: bool) -> list[str]:
    """Every diagnostic of loading `source`, which must fail fast."""
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as exc:
        load_scenario(source, **kwargs)
    assert time.perf_counter() - started < 2
    return [str(d) for d in exc.value.diagnostics]


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_file_gives_each_problem_once_with_its_position(name):
    path = HOSTILE / name
    assert problems(path) == [
        f"{path}:{line}".replace("{path}", str(path)) for line in CORPUS[name]
    ]


def test_corpus_holds_exactly_the_files_listed():
    assert sorted(p.name for p in HOSTILE.glob("*.yaml")) == sorted([*CORPUS, "valid.yaml"])


def test_the_valid_corpus_file_validates_and_runs():
    result = simulate(load_scenario(HOSTILE / "valid.yaml"))
    assert (result.start, result.end) == (date(2025, 1, 1), date(2025, 12, 31))


# ---------------------------------------------------------------- deep and recursive YAML


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("title: x\nnote: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n", "2:70"),
        ("title: x\nnote: " + "{a: " * 300_000 + "x" + "}" * 300_000 + "\n", "2:259"),
        ("title: x\nnote:\n" + "".join(" " * i + "a:\n" for i in range(1, 3000)), "66:65"),
    ],
)
def test_deep_nesting_is_refused_at_the_first_level_too_deep(text, position):
    # the root mapping is level 1, `note`'s value level 2 (block: line k+1, column k for
    # level k): level 65 opens at `position`
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as exc:
        load_text(text, "deep.yaml")
    assert [str(d) for d in exc.value.diagnostics] == [
        f"deep.yaml:{position}: nested more than 64 levels deep; refusing"
    ]
    assert time.perf_counter() - started < 2


def test_recursive_alias_in_a_mapping():
    with pytest.raises(ScenarioError) as exc:
        load_text("title: x\nnote: &a {k: *a}\n", "r.yaml")
    assert str(exc.value) == "r.yaml:2:14: recursive alias: '*a' is inside the value it names"


def test_aliases_may_not_nest_past_the_depth_limit():
    text = "a: &x " + "[" * 60 + "]" * 60 + "\nb: [[[[[[*x]]]]]]\n"
    with pytest.raises(ScenarioError) as exc:
        load_text(text, "a.yaml")
    assert str(exc.value) == (
        "a.yaml:2:10: alias '*x' nests values more than 64 levels deep; refusing"
    )


def test_tags_on_mappings_and_custom_scalar_tags_are_errors():
    with pytest.raises(ScenarioError) as exc:
        load_text("a: !!set {x}\nb: !foo x\nc: !!str 1\n", "t.yaml")
    assert [str(d) for d in exc.value.diagnostics] == [
        "t.yaml:1:4: unsupported YAML tag tag:yaml.org,2002:set",
        "t.yaml:2:4: unsupported YAML tag !foo",
    ]


def test_reader_error_after_multibyte_text_counts_characters():
    with pytest.raises(ScenarioError) as exc:
        load_text("title: x\nnote: é a\x07b\n", "c.yaml")
    assert str(exc.value) == (
        "c.yaml:2:10: invalid YAML: control characters are not allowed "
        "(character U+0007); a scenario file holds printable text only"
    )


def test_aliases_keep_values_and_positions():
    data, pos = load_text("a: &x {k: [1, 2]}\nb: *x\n", "a.yaml")
    assert data == {"a": {"k": ["1", "2"]}, "b": {"k": ["1", "2"]}}
    assert pos.at(("b",)) == (2, 4)  # the alias itself
    assert pos.at(("b", "k", 1)) == (1, 15)  # inside it: where it was written


def test_a_second_document_is_an_error():
    with pytest.raises(ScenarioError) as exc:
        load_text("title: a\n---\ntitle: b\n", "d.yaml")
    assert str(exc.value) == "d.yaml:2:1: a scenario file holds one YAML document; found a second"


# ---------------------------------------------------------------- honest large files


def test_ten_thousand_measures_are_not_an_alias_bomb(tmp_path):
    rows = "".join(
        f"  - {{id: m{i}, name: M, imposer: US, target: CN, authority: t, rate: 25%, "
        f"from: 2025-01-01, sources: [r1]}}\n"
        for i in range(10_000)
    )
    path = tmp_path / "big.yaml"
    path.write_text("title: big\nreferences:\n  - {id: r1, title: r}\nmeasures:\n" + rows)
    assert path.stat().st_size < MAX_FILE_BYTES
    data, pos = load_file(path)
    assert len(data["measures"]) == 10_000
    assert pos.at(("measures", 9999, "rate")) == (10_004, 71)  # 'rate: ' ends at column 70


# ---------------------------------------------------------------- special files


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert problems(fifo) == [
        f"{fifo}: is a pipe (FIFO), not a regular file; only regular "
        "files are read (give '-' for stdin)"
    ]


def test_a_device_and_a_directory_are_refused(tmp_path):
    assert problems(Path("/dev/zero")) == [
        "/dev/zero: is a character device, not a regular file; only regular files are read "
        "(give '-' for stdin)"
    ]
    assert problems(tmp_path) == [f"{tmp_path}: is a directory, not a scenario file"]


def test_stdin_is_read_with_the_same_bound(monkeypatch):
    class Stdin:
        buffer = io.BytesIO(b"title: x\n#" + b"x" * MAX_FILE_BYTES)

    monkeypatch.setattr(sys, "stdin", Stdin)
    assert problems("-") == [
        "<stdin>: more than 2,000,000 bytes; scenario files are limited to 2,000,000 bytes"
    ]
    Stdin.buffer = io.BytesIO(b"title: from stdin\nhorizon: {start: 2025-01-01, end: 2025-02-01}\n")
    assert load_scenario("-").title == "from stdin"


# ---------------------------------------------------------------- dates


def test_date_bounds_apply_to_python_callers_too():
    assert parse_day("1900-01-01") == date(1900, 1, 1)
    assert parse_day("2199-12-31") == date(2199, 12, 31)
    for text in ("1899-12-31", "2200-01-01"):
        with pytest.raises(ValueError, match=f"date {text} {RANGE}"):
            parse_day(text)
    with pytest.raises(ValueError, match=f"date 0001-01-01 {RANGE}"):
        parse_day(date(1, 1, 1))


def test_the_last_allowed_day_runs_without_overflow():
    scenario = scenario_from_dict(
        {
            "title": "late",
            "references": [{"id": "r", "title": "r"}],
            "measures": [
                {
                    "id": "m",
                    "name": "m",
                    "imposer": "US",
                    "target": "CN",
                    "authority": "t",
                    "rate": "25%",
                    "from": "2199-12-31",
                    "sources": ["r"],
                }
            ],
        }
    )
    result = simulate(scenario)
    assert (result.start, result.end) == (date(2199, 12, 31), date(2200, 6, 29))  # +180 days


# ---------------------------------------------------------------- extends


def test_extends_outside_the_folder_is_allowed_only_on_request(tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("title: secret\nhorizon: {start: 2025-01-01, end: 2025-02-01}\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    child = inner / "child.yaml"
    child.write_text("title: child\nextends: ../outside.yaml\n")
    (msg,) = problems(child)
    assert msg.startswith(f"{child}:2:10: 'extends' names '../outside.yaml' ({outside})")
    assert "secret" not in msg
    assert load_scenario(child, allow_any_base=True).title == "child"


def test_a_symlink_out_of_the_folder_is_resolved_and_refused(tmp_path):
    (tmp_path / "outside.yaml").write_text("title: secret\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    child = inner / "child.yaml"
    child.write_text("title: child\nextends: link.yaml\n")
    (msg,) = problems(child)
    assert f"'extends' names 'link.yaml' ({tmp_path / 'outside.yaml'})" in msg


def test_bases_beside_below_and_bundled_are_allowed(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "base.yaml").write_text("title: base\nextends: busan-deal\n")
    child = tmp_path / "child.yaml"
    child.write_text("title: child\nextends: sub/base.yaml\n")
    assert load_scenario(child).title == "child"


# ---------------------------------------------------------------- product set chains


def _chain(n: int) -> dict:
    sets = {f"s{i}": {"sets": [f"s{i + 1}"]} for i in range(n)}
    sets[f"s{n}"] = {"hs": ["01"]}
    return {
        "title": "chain",
        "references": [{"id": "r", "title": "r"}],
        "product_sets": sets,
        "horizon": {"start": "2025-01-01", "end": "2025-02-01"},
        "measures": [
            {
                "id": "m",
                "name": "m",
                "imposer": "US",
                "target": "CN",
                "authority": "t",
                "rate": "25%",
                "from": "2025-01-01",
                "sources": ["r"],
                "products": "s0",
            }
        ],
    }


def test_a_chain_of_sets_longer_than_64_is_refused_where_it_starts():
    simulate(scenario_from_dict(_chain(63)))  # s0 .. s63: 64 levels, resolved
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(_chain(3000))
    assert str(exc.value) == (
        "<inline>:1:1: product set 's0' nests 3001 levels of sets and "
        "excludes (at most 64); name fewer sets in turn"
    )


def test_excludes_inside_a_chain_of_sets_count_toward_its_depth():
    scope: dict = {"sets": ["s1"]}
    for _ in range(40):  # s0: 41 levels before it reaches s1
        scope = {"all": True, "exclude": scope}
    data = _chain(30)  # s1 .. s30: 30 levels, s30 one more
    data["product_sets"]["s0"] = scope
    with pytest.raises(ScenarioError) as exc:
        scenario_from_dict(data)
    assert str(exc.value) == (
        "<inline>:1:1: product set 's0' nests 71 levels of sets and "
        "excludes (at most 64); name fewer sets in turn"
    )
