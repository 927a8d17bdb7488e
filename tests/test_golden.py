"""Golden outputs of every bundled scenario. Regenerate only on purpose: `make golden`
(pytest --update-golden -m golden), then review the diff of tests/golden/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tariffsim import bundled_scenarios, simulate
from tariffsim.cli.output import csv_text
from tariffsim.uncertainty.results import UncertainResult

GOLDEN = Path(__file__).parent / "golden"
NAMES = sorted(bundled_scenarios())


def render(name: str) -> dict[str, str]:
    result = simulate(name)
    if isinstance(result, UncertainResult):  # the expected path, and the paths' odds
        expected = csv_text(result.rate_table().changes().frame())
        odds = csv_text(result.branches[["label", "probability"]])
        return {f"{name}.rates.csv": expected, f"{name}.paths.csv": odds}
    rates = csv_text(result.changes)
    # the golden files keep the events' first columns, sources joined as they were written
    events = result.events.drop(columns="category")
    events = csv_text(events.assign(sources=events.sources.str.join(", ")))
    return {f"{name}.rates.csv": rates, f"{name}.events.csv": events}


def test_every_bundled_scenario_has_golden_files():
    assert NAMES == ["busan-deal", "history", "nov-2025-outlook", "pre-summit", "talks-collapse"]
    # exactly a rates and an events (or, with branches, paths) file per scenario
    committed = sorted(p.name for p in GOLDEN.glob("*.csv") if ".actual." not in p.name)
    kinds = {"nov-2025-outlook": ("paths", "rates")}
    assert committed == [
        f"{name}.{kind}.csv" for name in NAMES for kind in kinds.get(name, ("events", "rates"))
    ]


@pytest.mark.golden
@pytest.mark.parametrize("name", NAMES)
def test_golden_output(name: str, update_golden: bool):
    for filename, text in render(name).items():
        path = GOLDEN / filename
        if update_golden:
            path.write_text(text, encoding="utf-8")
            continue
        assert path.exists(), f"no golden file {path}; create it with `make golden`"
        expected = path.read_text(encoding="utf-8")
        if text != expected:
            actual = path.with_suffix(".actual.csv")
            actual.write_text(text, encoding="utf-8")
            pytest.fail(
                f"{filename} differs from the golden file; compare with {actual}. "
                "If the change is intended, run `make golden` and commit the diff."
            )
