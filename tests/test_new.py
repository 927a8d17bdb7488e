"""`tariffsim new NAME --from SCENARIO` (issue 10, item 5): a starter file that extends
SCENARIO and validates as written; its commented hints (a remove, a move, a trigger) validate
and run once uncommented; it never replaces a file and is written with the user's normal
permissions. Expected lines written by hand."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tariffsim import load_scenario, simulate
from tariffsim.cli import main
from tariffsim.resources import bundled_scenarios


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def uncommented(text: str) -> str:
    """The starter with its examples switched on: `# remove:`, `# moves:` and
    `# triggers:` and the lines under them lose their `# `."""
    out, active = [], False
    for line in text.splitlines():
        if line.startswith(("# remove:", "# moves:", "# triggers:")):
            active = True
        elif not line.startswith("#   ") and not line.startswith("#     "):
            active = False
        out.append(line[2:] if active else line)
    return "\n".join(out) + "\n"


def test_new_writes_a_starter_that_validates(capsys, here):
    code, out, err = run(capsys, "new", "my-deal", "--from", "busan-deal")
    assert (code, err) == (0, "")
    assert out == (
        "wrote my-deal.yaml: it extends busan-deal; check it with: "
        "tariffsim validate my-deal.yaml\n"
    )
    text = (here / "my-deal.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[:16] == [
        "# yaml-language-server: $schema=scenario.schema.json",
        "# my-deal.yaml: a variant of busan-deal (Busan deal - the outcome of 30 October 2025 "
        "as implemented).",
        "# `tariffsim schema -o scenario.schema.json` beside it gives your editor completion;",
        "# `tariffsim validate my-deal.yaml` checks it, `tariffsim run my-deal.yaml` runs it, and",
        "# `tariffsim show busan-deal` lists every id you can replace or remove.",
        'title: "my-deal, a variant of busan-deal"',
        'extends: "busan-deal"',
        "references:",
        '  - {id: my-assumption, title: "My assumption, not a reported fact"}',
        "",
        "# An item with an inherited id replaces it; `remove` drops inherited items by id:",
        "# remove: [threat-100-on-nov-1]",
        "",
        "# A move: the rate of us-s301-list1 from 2026-05-02 (uncomment to use).",
        "# moves:",
        "#   - {kind: set_rate, measure: us-s301-list1, date: 2026-05-02, rate: 10%, "
        "sources: [my-assumption]}",
    ]
    # every measure id of the base is listed, in a comment, US→CN first
    listed = [line.split()[1] for line in text.splitlines() if line.startswith("#   us-")]
    assert listed[0] == "us-s301-list1" and "cn-counter-2025" in text
    assert text.index("US→CN:") < text.index("CN→US:")
    code, out, err = run(capsys, "validate", "my-deal.yaml")
    assert (code, err) == (0, "") and out.startswith("ok  my-deal.yaml: my-deal, a variant")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE((here / "my-deal.yaml").stat().st_mode) == 0o666 & ~mask


def test_the_hints_validate_and_run_once_uncommented(capsys, here):
    run(capsys, "new", "my-deal", "--from", "busan-deal")
    (here / "on.yaml").write_text(uncommented((here / "my-deal.yaml").read_text()))
    scenario = load_scenario("on.yaml")
    assert [mv.kind for mv in scenario.spec.moves][-1] == "set_rate"
    assert "my-trigger" in {t.id for t in scenario.spec.triggers}
    assert "threat-100-on-nov-1" not in {t.id for t in scenario.spec.triggers}
    events = simulate(scenario).events
    fired = events[(events.kind == "trigger") & (events.id == "my-trigger")]
    assert fired.fired.tolist() == [True]


@pytest.mark.parametrize("name", sorted(bundled_scenarios()))
def test_a_starter_from_every_bundled_scenario_validates(capsys, here, name):
    assert run(capsys, "new", "mine", "--from", name)[0] == 0
    assert run(capsys, "validate", "mine.yaml")[0] == 0
    (here / "on.yaml").write_text(uncommented((here / "mine.yaml").read_text()))
    assert run(capsys, "validate", "on.yaml")[0] == 0


def test_new_never_replaces_a_file(capsys, here):
    (here / "mine.yaml").write_text("my own work\n")
    code, out, err = run(capsys, "new", "mine", "--from", "busan-deal")
    assert (code, out) == (1, "")
    assert err == (
        "tariffsim: error: cannot write mine.yaml: it already exists, and is never replaced: "
        "choose another name\n"
    )
    assert (here / "mine.yaml").read_text() == "my own work\n"
    assert sorted(p.name for p in here.iterdir()) == ["mine.yaml"]


def test_output_path_and_standard_output(capsys, here):
    (here / "sub").mkdir()
    code, out, _ = run(capsys, "new", "x", "--from", "pre-summit", "-o", "sub/other.yaml")
    assert code == 0 and (here / "sub" / "other.yaml").is_file()
    assert 'title: "other, a variant of pre-summit"' in (here / "sub" / "other.yaml").read_text()
    code, out, _ = run(capsys, "new", "x", "--from", "pre-summit", "-o", "-")
    assert code == 0 and out.startswith("# yaml-language-server: $schema=scenario.schema.json\n")
    assert 'extends: "pre-summit"' in out and sorted(p.name for p in here.iterdir()) == ["sub"]


def test_a_file_base_is_named_relative_to_the_new_file(capsys, here):
    (here / "bases").mkdir()
    run(capsys, "new", "bases/mid", "--from", "busan-deal", "--title", "Mid")
    code, _, _ = run(capsys, "new", "top", "--from", "bases/mid.yaml")
    assert code == 0 and 'extends: "bases/mid.yaml"' in (here / "top.yaml").read_text()
    assert 'title: "Mid"' in (here / "bases" / "mid.yaml").read_text()
    assert run(capsys, "validate", "top.yaml")[0] == 0


def test_a_base_outside_the_new_files_folder_needs_allow_any_base(capsys, here):
    (here / "deep").mkdir()
    run(capsys, "new", "base", "--from", "busan-deal")
    code, out, err = run(capsys, "new", "deep/child", "--from", "base.yaml")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "--from: error: 'base.yaml' lies outside the folder of deep/child.yaml, so the new "
        "file could extend it only with --allow-any-base; give --allow-any-base to write it "
        "anyway, or write the new file beside it",
        "1 problem found",
    ]
    assert not (here / "deep" / "child.yaml").exists()
    argv = ["new", "deep/child", "--from", "base.yaml", "--allow-any-base"]
    assert run(capsys, *argv)[0] == 0
    text = (here / "deep" / "child.yaml").read_text()
    assert 'extends: "../base.yaml"' in text and "with --allow-any-base." in text
    assert run(capsys, "validate", "deep/child.yaml", "--allow-any-base")[0] == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["new", "", "--from", "busan-deal"],
            "NAME: error: '' is not a file name; give one, e.g. my-scenario",
        ),
        (
            ["new", ".", "--from", "busan-deal"],
            "NAME: error: '.' is not a file name; give one, e.g. my-scenario",
        ),
        (
            ["new", "..", "--from", "busan-deal"],
            "NAME: error: '..' is not a file name; give one, e.g. my-scenario",
        ),
        (
            ["new", "sub/", "--from", "busan-deal"],
            "NAME: error: 'sub/' is not a file name; give one, e.g. my-scenario",
        ),
        (
            ["new", "x", "--from", "busan-deal", "--title", " "],
            "--title: error: the title is empty: give some words, or leave --title out",
        ),
        (
            ["new", "x", "--from", "-"],
            "--from: error: a new file cannot extend standard input: give a file or a bundled name",
        ),
        (
            ["new", "x", "--from", "busan"],
            "busan: error: no such file, nor a bundled scenario "
            "of that name; did you mean 'busan-deal'?",
        ),
        (
            ["new", "x", "--from", "busan-deal", "-o", ""],
            "--output: error: the path is empty: give a file name, or '-' for standard output",
        ),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(capsys, here, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (1, "")
    assert err.splitlines() == [message, "1 problem found"]
    assert list(here.iterdir()) == []


def test_an_invalid_base_is_reported_and_nothing_written(capsys, here):
    (here / "bad.yaml").write_text("title: bad\nmeasures:\n  - id: a\n")
    code, out, err = run(capsys, "new", "x", "--from", "bad.yaml")
    assert (code, out) == (1, "") and err.startswith("bad.yaml:3:5: error: missing required key")
    assert sorted(p.name for p in here.iterdir()) == ["bad.yaml"]


def test_a_base_without_tariffs_gets_a_starter_without_examples(capsys, here):
    (here / "nt.yaml").write_text(
        "title: nt\nhorizon: {start: 2025-01-01, end: 2025-12-31}\n"
        "references:\n  - {id: r1, title: a reference}\n"
        "measures:\n  - {id: n1, name: Export controls, imposer: CN, target: US, "
        "type: non_tariff, authority: x, from: 2025-01-01, sources: [r1]}\n"
    )
    assert run(capsys, "new", "x", "--from", "nt.yaml")[0] == 0
    text = (here / "x.yaml").read_text()
    assert "# moves:" not in text and "#   n1 " in text and "# remove: [ID, ...]" in text
    assert run(capsys, "validate", "x.yaml")[0] == 0


def test_ctrl_c_while_naming_the_file_leaves_nothing(capsys, here, monkeypatch):
    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "link", interrupted)
    code, out, err = run(capsys, "new", "x", "--from", "busan-deal")
    assert (code, out, err) == (130, "", "tariffsim: interrupted\n")
    assert list(here.iterdir()) == []  # neither x.yaml nor a temporary file


def test_without_hard_links_the_file_is_still_written_whole(capsys, here, monkeypatch):
    def no_links(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    assert run(capsys, "new", "x", "--from", "busan-deal")[0] == 0
    assert sorted(p.name for p in here.iterdir()) == ["x.yaml"]
    assert run(capsys, "validate", "x.yaml")[0] == 0
