"""The README is executable documentation: every YAML block validates and runs, every
`tariffsim` command in it runs, from a fresh folder, as a newcomer would type it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

import tariffsim
from tariffsim.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    """The README's fenced blocks of one language."""
    return [part.split("```", 1)[0] for part in README.split(f"```{language}\n")[1:]]


def commands() -> list[str]:
    """Every `tariffsim ...` line of the README's shell blocks, without its comment."""
    lines = (line.split("  #")[0].strip() for block in blocks("sh") for line in block.splitlines())
    return [line for line in lines if line.startswith("tariffsim ")]


def files_named_before_their_block() -> dict[str, str]:
    """YAML blocks the README tells the reader to save under a name (`save it as NAME`)."""
    found = {}
    for match in re.finditer(r"save it as `([\w.-]+\.yaml)`.*?```yaml\n(.*?)```", README, re.S):
        found[match.group(1)] = match.group(2)
    return found


def test_the_readme_scenario_examples_validate(tmp_path, monkeypatch):
    yaml_blocks = blocks("yaml")
    assert len(yaml_blocks) >= 2  # the IEEPA switch and "Writing a scenario"
    monkeypatch.chdir(tmp_path)
    for i, block in enumerate(yaml_blocks):
        path = tmp_path / f"readme-{i}.yaml"
        path.write_text(block, encoding="utf-8")
        tariffsim.simulate(tariffsim.load_scenario(str(path)))  # loads, validates and runs


def test_the_readme_shows_commands_to_run():
    # an empty list would leave the parametrised test below with nothing to check
    assert len(commands()) >= 10
    assert "my-scenario.yaml" in files_named_before_their_block()


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory):
    """One folder for every command, as a newcomer following the README has: a command may
    use what an earlier one wrote (`new my-deal` before `validate my-deal.yaml`)."""
    folder = tmp_path_factory.mktemp("readme")
    for name, text in files_named_before_their_block().items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", commands())
def test_every_command_in_the_readme_runs(command, newcomer, monkeypatch, capsys):
    monkeypatch.chdir(newcomer)
    before = {p.name: p.stat().st_mtime_ns for p in newcomer.iterdir()}
    code = main(shlex.split(command)[1:])
    out, err = capsys.readouterr()
    assert code == 0, f"{command}\n{err}"
    after = {p.name: p.stat().st_mtime_ns for p in newcomer.iterdir()}
    assert out or after != before  # it said or wrote something


@pytest.mark.parametrize("number", range(len(blocks("python"))))
def test_every_python_example_in_the_readme_runs(number, tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")  # charts drawn, not shown
    monkeypatch.chdir(tmp_path)
    exec(compile(blocks("python")[number], f"README.md python block {number}", "exec"), {})


def test_the_readme_has_python_examples():
    assert len(blocks("python")) >= 2  # plotting and "Importing the model"
