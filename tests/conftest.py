"""Shared fixtures: headless matplotlib, hypothesis profiles, the golden-file switch."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("MPLBACKEND", "Agg")

settings.register_profile(
    "dev", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# TARIFFSIM_FUZZ=thorough: thousands of examples per property (tests/test_fuzz.py's switch)
settings.register_profile(
    "thorough", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    "thorough"
    if os.environ.get("TARIFFSIM_FUZZ") == "thorough"
    else "ci"
    if os.environ.get("CI")
    else "dev"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/* from the current outputs",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


HEADER = """\
title: test scenario
references:
  - {id: src, title: a source}
"""


@pytest.fixture
def write_yaml(tmp_path: Path):
    """Write a scenario file (dedented) into tmp_path; returns its path."""

    def write(text: str, name: str = "scenario.yaml", header: bool = False) -> Path:
        path = tmp_path / name
        body = textwrap.dedent(text)
        path.write_text((HEADER + body) if header else body, encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True)
def _close_figures():
    """Charts a test drew with pyplot are closed after it (only if pyplot was used)."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.fixture(scope="session")
def plain_results():
    """Every bundled scenario without branches, run once for the session's chart tests (a
    scenario with branches, the outlook, draws a fan)."""
    import tariffsim as ts
    from tariffsim.uncertainty.tree import is_uncertain

    names = sorted(ts.bundled_scenarios())
    return {n: ts.simulate(n) for n in names if not is_uncertain(ts.load_scenario(n))}
