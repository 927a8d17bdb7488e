"""`tariffsim show FILE` (issue 10, item 5): a scenario's items with their ids and where they
were written, so a user can write `remove:` and overrides. Expected output written by hand."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from tariffsim import load_scenario, scenario_from_dict, simulate
from tariffsim.cli import main

BASE = """\
title: Small base
horizon: {start: 2025-01-01, end: 2025-12-31}
references:
  - {id: r1, title: A notice, date: 2025-01-02}
facts:
  - {id: f1, statement: The notice says 25%., source: r1}
flags:
  - {id: deal, description: a deal is signed}
product_sets:
  phones: {hs: ["8517.13"]}
measures:
  - {id: m1, name: Tariff one, imposer: US, target: CN, authority: x, rate: 25%,
     from: 2025-01-01, headline: true, sources: [r1]}
  - {id: m2, name: Controls, imposer: CN, target: US, type: non_tariff, authority: x,
     from: 2025-02-01, until: 2025-09-01, sources: [f1]}
moves:
  - {id: cut, kind: set_rate, measure: m1, date: 2025-06-01, rate: 10%, sources: [r1]}
  - {kind: set_flag, flag: deal, date: 2025-05-01, sources: [r1]}
triggers:
  - {id: t1, date: 2025-07-01, description: raise unless a deal, unless: {flag: deal},
     then: [{kind: set_rate, measure: m1, rate: 50%}], sources: [r1]}
stacking:
  - {id: s1, measure: m1, description: not on phones, not_on: phones, sources: [r1]}
"""

MINE = """\
title: Mine
extends: base.yaml
moves:
  - {id: cut, kind: set_rate, measure: m1, date: 2025-07-01, rate: 5%, sources: [r1]}
"""

EXPECTED = """\
mine: Mine
files: mine.yaml, extending base.yaml
horizon: 2025-01-01 to 2025-12-31

Measures (2):
  id  direction  written rate  from        until       status    written at    name
  m1  US→CN             25.0%  2025-01-01              in force  base.yaml:12  Tariff one
  m2  CN→US        non-tariff  2025-02-01  2025-09-01  in force  base.yaml:14  Controls

Moves (2):
  id   kind      of    date        written at
  cut  set_rate  m1    2025-07-01  mine.yaml:4
  -    set_flag  deal  2025-05-01  base.yaml:18

Triggers (1):
  id  date        written at    moves    description
  t1  2025-07-01  base.yaml:20  then: 1  raise unless a deal

Stacking rules (1):
  id  measure  written at    description
  s1  m1       base.yaml:23  not on phones

Product sets (1):
  id      written at    holds
  phones  base.yaml:10  1 HS code

Flags (1):
  id    written at   description
  deal  base.yaml:8  a deal is signed

References (1):
  id  date        written at   title
  r1  2025-01-02  base.yaml:4  A notice

Facts (1):
  id  source  written at   statement
  f1  r1      base.yaml:6  The notice says 25%.

In a scenario that extends this one, an item with the same id replaces it and
`remove: [id, ...]` drops it (a product set is replaced, never removed); an item
without an id (-) can be neither.
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "mine.yaml").write_text(MINE)
    return tmp_path


def test_show_lists_every_item_with_its_id_and_where_it_was_written(capsys, folder):
    assert run(capsys, "show", "mine.yaml") == (0, EXPECTED, "")


def test_show_only_some_kinds(capsys, folder):
    code, out, _ = run(capsys, "show", "mine.yaml", "--only", "triggers", "--only", "flags")
    assert code == 0
    assert "Triggers (1):" in out and "Flags (1):" in out
    assert "Measures" not in out and "Moves" not in out and "References" not in out


def test_an_id_that_show_lists_can_be_removed(capsys, folder):
    _, out, _ = run(capsys, "show", "mine.yaml", "--only", "moves")
    move = out.split("Moves (2):")[1].splitlines()[2].split()[0]
    assert move == "cut"
    (folder / "uncut.yaml").write_text(
        textwrap.dedent(f"""\
            title: No cut
            extends: mine.yaml
            remove: [{move}]
            """)
    )
    assert run(capsys, "validate", "uncut.yaml")[0] == 0
    assert "Moves (1):" in run(capsys, "show", "uncut.yaml")[1]
    for name, rate in (("mine.yaml", 0.05), ("uncut.yaml", 0.25)):
        assert simulate(load_scenario(name)).at("2025-07-02").headline_rate.tolist() == [rate]


def test_show_of_a_bundled_scenario_names_bundled_files_by_their_place(capsys):
    code, out, err = run(capsys, "show", "busan-deal")
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert lines[:3] == [
        "busan-deal: Busan deal - the outcome of 30 October 2025 as implemented",
        "files: scenarios/busan-deal.yaml, extending seeds/base.yaml, extending seeds/reports.yaml",
        "horizon: 2025-09-01 to 2026-12-31",
    ]
    assert "Measures (53):" in lines and "Moves (17):" in lines
    row = next(x for x in lines if x.startswith("  us-reciprocal-suspension-busan "))
    assert row.split() == [
        "us-reciprocal-suspension-busan",
        "extend",
        "us-reciprocal-suspension",
        "2025-11-04",
        "scenarios/busan-deal.yaml:40",
    ]


def test_show_of_a_bad_file_is_one_message_per_problem(capsys, folder):
    (folder / "bad.yaml").write_text("title: bad\nextends: base.yaml\nremove: [nope]\n")
    code, out, err = run(capsys, "show", "bad.yaml")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "bad.yaml:3:10: error: unknown inherited id 'nope'",
        "1 problem found",
    ]


README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_remove_example_drops_what_it_names():
    text = README.read_text(encoding="utf-8")
    blocks = [b.split("```", 1)[0] for b in text.split("```yaml\n")[1:]]
    (block,) = [b for b in blocks if "remove:" in b]
    assert "remove: [us-reciprocal-suspension-busan]" in block
    lapse = scenario_from_dict(yaml.safe_load(block))
    assert "us-reciprocal-suspension-busan" not in {mv.id for mv in lapse.spec.moves}
    for scenario, headline in ((lapse, 0.69), (load_scenario("busan-deal"), 0.45)):
        at = simulate(scenario).at("2025-11-10").set_index(["imposer", "target"])
        assert at.loc[("US", "CN"), "headline_rate"] == pytest.approx(headline)
