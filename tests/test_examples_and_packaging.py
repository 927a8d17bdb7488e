"""Examples are executable documentation; the installed package carries its data."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import tariffsim
from tariffsim.resources import bundled_dir, bundled_scenarios, data_dir

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def test_there_are_examples_to_run():
    # an empty folder would leave the parametrised test below with nothing to check
    assert EXAMPLES, f"no examples/*.py under {ROOT}"
    assert all(p.with_suffix(".out").is_file() for p in EXAMPLES)


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_output_is_current(script: Path, tmp_path: Path):
    # run from an empty folder, as an analyst would from their own: what a script writes
    # lands there, and its printed output is the committed one
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert out.stdout == script.with_suffix(".out").read_text()
    written = {p.name for p in tmp_path.iterdir()}
    assert written == set(re.findall(r"wrote (\S+\.png)", out.stdout))


def test_bundled_files_ship_inside_the_installed_package():
    """`make test` installs a wheel: the files must be inside it. From a source checkout
    (PYTHONPATH=.) they are found beside the package instead."""
    package = Path(tariffsim.__file__).resolve().parent
    home = package.parent if (package.parent / "pyproject.toml").exists() else package
    for kind in ("scenarios", "seeds"):
        assert bundled_dir(kind) == home / kind
    assert set(bundled_scenarios()) >= {"pre-summit", "busan-deal", "talks-collapse", "history"}
    assert (data_dir() / "universe-US-CN.csv.gz").is_file()
    assert (bundled_dir("scenarios") / "scenario.schema.json").is_file()
