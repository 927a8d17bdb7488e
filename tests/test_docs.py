"""docs/reference.md: generated from the scenario model's schema, every example valid and
runnable, and the committed page equal to what the generator writes (so it cannot drift)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from tariffsim import scenario_from_dict, simulate
from tariffsim.errors import ScenarioError
from tariffsim.scenario.yamlio import load_text
from tariffsim.uncertainty.tree import exact_paths, is_uncertain, sampled_paths

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("make_reference", ROOT / "tools/make_reference.py")
make_reference = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_reference)

SOURCES = ["report-2025-10-30"]
EXAMPLES = [
    pytest.param(where, text, id=f"{heading}: {what}")
    for heading, _name, where, examples in make_reference.SECTIONS
    for what, text in examples
]


def in_a_file(where: str, value: Any) -> dict[str, Any]:
    """An example placed where it belongs in a file extending `pre-summit`."""
    if where == "file":
        return value
    data: dict[str, Any] = {"title": "example", "extends": "pre-summit"}
    if where in ("horizon", "product_sets", "response"):
        data[where] = value
    elif where == "by-imposer":
        data["response"] = {"by_imposer": {"CN": value}}
    elif where == "steps":
        data["measures"] = [
            {
                "id": "x-stepped",
                "name": "x",
                "imposer": "US",
                "target": "CN",
                "authority": "x",
                "rate": "10%",
                "from": "2025-01-01",
                "steps": [value],
                "sources": SOURCES,
            }
        ]
    elif where == "condition":
        data["triggers"] = [
            {
                "id": "x-test",
                "date": "2025-11-02",
                "description": "x",
                "if": value,
                "then": [{"kind": "set_flag", "flag": "deal-reached"}],
                "sources": SOURCES,
            }
        ]
    elif where in _UNCERTAIN:
        data.update(_UNCERTAIN[where](value))
    else:
        data[where] = [value]
    return data


def _rest(probability: str) -> str:
    """The probability left for the other option or date: 100% minus `probability`."""
    return f"{100 - float(probability.rstrip('%')):g}%"


def _dated(day: Any) -> dict[str, Any]:
    return {"moves": [{"kind": "set_flag", "flag": "deal-reached", "date": day}]}


_UNCERTAIN = {  # where an example of the uncertainty language goes
    "option": lambda opt: {
        "branches": [
            {
                "id": "x-branch",
                "resolves": "2025-10-30",
                "options": [opt, {"id": "x-other", "probability": _rest(opt["probability"])}],
            }
        ]
    },
    "uncertain": _dated,
    "date-choice": lambda choice: _dated(
        {"dates": [choice, {"date": "2025-11-20", "probability": _rest(choice["probability"])}]}
    ),
}


def run_every_path(scenario: Any) -> list[Any]:
    """Each path's result. `simulate` refuses a branched scenario until results for
    uncertain runs land; until then its paths run one by one (exact, else 200 sampled)."""
    if not is_uncertain(scenario):
        return [simulate(scenario)]
    try:
        paths = exact_paths(scenario)
    except ScenarioError:
        paths = sampled_paths(scenario, 200, seed=0)
    assert abs(sum(p.probability for p in paths) - 1) < 1e-9
    return [simulate(p.scenario) for p in paths]


@pytest.mark.parametrize(("where", "text"), EXAMPLES)
def test_every_example_of_the_reference_validates_and_runs(where, text):
    value, _ = load_text(text, "example.yaml")
    for result in run_every_path(scenario_from_dict(in_a_file(where, value))):
        assert len(result.rates) > 0


def test_every_move_kind_and_condition_has_an_example():
    from tariffsim.scenario.model import MOVE_KINDS

    headings = {heading for heading, *_ in make_reference.SECTIONS}
    assert {f"Move: {kind}" for kind in MOVE_KINDS} <= headings
    conditions = [t for h, _, _, ex in make_reference.SECTIONS if h == "Conditions" for _, t in ex]
    keys = {text.split(":")[0].strip("{ ") for text in conditions}
    assert keys == {"flag", "in_force", "suspended", "all", "any", "not"}


def test_every_key_of_every_item_is_in_the_page():
    page = make_reference.render()
    for name, definition in make_reference._definitions().items():
        for key in definition.get("properties", {}):
            assert f"| `{key}` |" in page, f"{name}.{key} is not described"


def test_the_committed_page_is_what_the_generator_writes():
    committed = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    assert committed == make_reference.render(), "run `make docs` and commit docs/reference.md"
