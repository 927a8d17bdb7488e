"""Warnings (issue 10, item 5): an HS code in a scope that matches no product line of its
direction's packaged data is reported at its position as `file:line:col: warning: ...` on
stderr, by every command that loads the file; the exit code stays 0 and the output is the
same as without it. Expected lines are written out by hand."""

from __future__ import annotations

import pytest

from tariffsim import load_scenario
from tariffsim.cli import main
from tariffsim.errors import WARNING

SCENARIO = """\
title: codes that match nothing
extends: busan-deal
product_sets:
  phones: {hs: ["8517.13", "9898"]}
  inner: {hs: ["3003"]}
  outer: {sets: [inner], hs: ["030"]}
  unused: {hs: ["01", "999999"]}
measures:
  - id: m1
    name: M1
    imposer: US
    target: CN
    authority: x
    rate: 5%
    from: 2025-11-01
    products: {hs: ["8517.13", "0000"], sets: [phones, outer], exclude: {hs: ["85171399"]}}
    sources: [t1]
  - id: m2
    name: M2
    imposer: CN
    target: US
    authority: x
    rate: 5%
    from: 2025-11-01
    products: {hs: ["85171300", "0101"]}
    sources: [t1]
moves:
  - {kind: change_scope, measure: m1, date: 2025-12-01, products: {hs: ["12345"]}, sources: [t1]}
stacking:
  - {id: s1, measure: m1, description: x, not_on: {hs: ["9898", "8517"]}, sources: [t1]}
"""

EXPECTED = [
    "w.yaml:4:28: warning: HS code '9898' matches none of the 14,386 US→CN lines with "
    "trade data: check the code",
    "w.yaml:7:23: warning: HS code '999999' matches none of the product lines of US→CN "
    "(14,386) or CN→US (5,387) with trade data: check the code",
    "w.yaml:16:32: warning: HS code '0000' matches none of the 14,386 US→CN lines with "
    "trade data: check the code",
    "w.yaml:16:79: warning: HS code '85171399' matches none of the 14,386 US→CN lines "
    "with trade data: check the code",
    "w.yaml:25:21: warning: HS code '85171300' matches none of the 5,387 CN→US lines with "
    "trade data; CN→US codes have 6 digits",
    "w.yaml:28:73: warning: HS code '12345' matches none of the 14,386 US→CN lines with "
    "trade data: check the code",
    "w.yaml:30:57: warning: HS code '9898' matches none of the 14,386 US→CN lines with "
    "trade data: check the code",
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def scenario_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w.yaml").write_text(SCENARIO, encoding="utf-8")
    return "w.yaml"


def test_validate_warns_at_each_code_and_exits_0(capsys, scenario_file):
    code, out, err = run(capsys, "validate", scenario_file)
    assert code == 0
    assert out == "ok  w.yaml: codes that match nothing (55 measures, 18 moves, 1 trigger)\n"
    assert err.splitlines() == EXPECTED


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--at", "2025-11-01", "--no-events"],
        ["explain", "--date", "2025-11-01", "--product", "0101"],
    ],
)
def test_commands_that_load_the_file_warn_once_and_go_on(capsys, scenario_file, argv):
    code, out, err = run(capsys, argv[0], scenario_file, *argv[1:])
    assert code == 0 and out.startswith("codes that match nothing\n")
    assert err.splitlines() == EXPECTED


def test_warnings_in_python_carry_their_position_and_severity(scenario_file):
    found = load_scenario(scenario_file).warnings()
    assert [f"{d.file}:{d.line}:{d.col}: {d.severity}: {d.message}" for d in found] == EXPECTED
    assert {d.severity for d in found} == {WARNING}


def test_the_bundled_scenarios_warn_of_nothing(capsys):
    code, out, err = run(
        capsys, "validate", "pre-summit", "busan-deal", "talks-collapse", "history"
    )
    assert code == 0 and out.count("ok  ") == 4 and err == ""


def test_bundled_codes_without_trade_are_the_known_legal_lists():
    # Section 232 lists are the law whether or not China shipped the goods in 2024: these
    # three measures name lines without US imports from China, on purpose; nothing else does
    scenario = load_scenario("history")
    found = scenario.warnings(bundled=True)

    def lines_of_products(ms) -> range:  # from its `products` key to the `rate` after it
        where = scenario.origin(ms)
        first, last = (where.positions.at((*where.path, key))[0] for key in ("products", "rate"))
        return range(first, last)

    named = {
        ms.id
        for d in found
        for ms in scenario.spec.measures
        if scenario.origin(ms).positions.file == d.file and d.line in lines_of_products(ms)
    }
    assert named == {"us-s232-autos", "us-s232-timber", "us-s232-trucks"}
    assert len(found) == 20 and all(d.file.endswith("base.yaml") for d in found)


def test_a_warning_is_not_an_error(capsys, scenario_file, tmp_path):
    target = tmp_path / "rates.csv"
    code, _, err = run(
        capsys,
        "run",
        scenario_file,
        "--csv",
        str(target),
        "--start",
        "2025-11-01",
        "--end",
        "2025-11-02",
    )
    assert code == 0 and target.read_text().count("\n") == 5  # header, 2 days x 2 directions
    assert "problem" not in err and len(err.splitlines()) == len(EXPECTED)
