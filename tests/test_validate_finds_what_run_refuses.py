"""`validate` refuses whatever `run` would refuse, at the same position with the same words
(issue 10, item 5). The cases below passed `validate` and failed only in `run` before the
loader rehearsed the clock: each refusal the engine makes while stepping through moves and
triggers (`engine/moves.py` MoveRefused, `engine/clock.py` trigger cycles) that the static
checks cannot see, because a trigger opens or moves what a later move extends.

Expected messages are written out by hand.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tariffsim import ScenarioError, load_scenario
from tariffsim.cli import main

BASE = """\
title: base
horizon: {start: 2025-01-01, end: 2025-12-31}
references:
  - {id: r, title: a reference}
measures:
  - {id: a, name: A, imposer: US, target: CN, authority: x, rate: 10%, from: 2025-01-01,
     until: 2025-06-01, sources: [r]}
  - {id: b, name: B, imposer: US, target: CN, authority: x, rate: 10%, from: 2025-01-01,
     sources: [r]}
"""

CASES = {
    "a trigger opens a suspension that a written move then shortens": (
        """\
        extends: base.yaml
        triggers:
          - id: t1
            date: 2025-02-01
            description: suspend b
            then: [{kind: suspend, id: s1, measure: b, from: 2025-02-01, until: 2025-08-01}]
            sources: [r]
        moves:
          - {kind: extend, suspension: s1, date: 2025-03-01, until: 2025-04-01, sources: [r]}
        """,
        "case.yaml:10:61: error: extending 's1' to 2025-04-01 would shorten it (it runs "
        "until 2025-08-01); use a move_expiry or a new suspend move",
    ),
    "an extension decided before a trigger opens the suspension": (
        """\
        extends: base.yaml
        triggers:
          - id: t1
            date: 2025-05-01
            description: suspend b
            then: [{kind: suspend, id: s1, measure: b, from: 2025-05-01, until: 2025-08-01}]
            sources: [r]
        moves:
          - {kind: extend, suspension: s1, date: 2025-03-01, until: 2025-09-01, sources: [r]}
        """,
        "case.yaml:10:32: error: suspension 's1' has not started by 2025-03-01",
    ),
    "a trigger moves an expiry later, then a written extend would shorten it": (
        """\
        extends: base.yaml
        triggers:
          - id: t1
            date: 2025-02-01
            description: move a's expiry
            then: [{kind: move_expiry, measure: a, date: 2025-02-01, until: 2025-09-01}]
            sources: [r]
        moves:
          - {kind: extend, measure: a, date: 2025-03-01, until: 2025-07-01, sources: [r]}
        """,
        "case.yaml:10:57: error: extending 'a' to 2025-07-01 would shorten it (expiry "
        "2025-09-01); use move_expiry",
    ),
    "a trigger extends a suspension another trigger opened, after it ended": (
        """\
        extends: base.yaml
        triggers:
          - id: t1
            date: 2025-02-01
            description: suspend b
            then: [{kind: suspend, id: s1, measure: b, from: 2025-02-01, until: 2025-03-01}]
            sources: [r]
          - id: t2
            date: 2025-04-01
            description: extend it
            then: [{kind: extend, suspension: s1, until: 2025-05-01}]
            sources: [r]
        """,
        "case.yaml:12:12: error: suspension 's1' already ended on 2025-03-01; an extension "
        "decided on 2025-04-01 is too late: add a new suspend move instead",
    ),
}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("case", CASES)
def test_validate_refuses_what_run_refuses(capsys, tmp_path, monkeypatch, case):
    text, expected = CASES[case]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "case.yaml").write_text("title: case\n" + textwrap.dedent(text))
    for command in ("validate", "run"):
        code, out, err = run(capsys, command, "case.yaml")
        assert (code, out) == (1, ""), command
        assert err.splitlines() == [expected, "1 problem found"], command
    with pytest.raises(ScenarioError) as caught:
        load_scenario("case.yaml")  # the Python API's validation is the same
    assert str(caught.value) == expected.replace(" error:", "")


def test_same_day_triggers_in_a_cycle_are_refused_by_validate(capsys):
    path = Path(__file__).parent / "hostile" / "triggers-cycle.yaml"
    _, _, validated = run(capsys, "validate", str(path))
    _, _, ran = run(capsys, "run", str(path))
    assert validated == ran and "depend on each other in a cycle" in validated


def test_the_bundled_scenarios_pass_the_rehearsal():
    for name in ("pre-summit", "busan-deal", "talks-collapse", "history"):
        load_scenario(name)  # the clock ran through every move and trigger
