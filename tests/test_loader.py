"""Every bad input: one clear diagnostic per problem, with file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tariffsim.errors import ScenarioError
from tariffsim.scenario.loading import load_scenario, scenario_from_dict

MEASURE = """\
measures:
  - id: tariff-a
    name: A
    imposer: US
    target: CN
    authority: test
    rate: 25%
    from: 2025-01-01
    sources: [src]
"""


def problems(path) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    return [str(d) for d in exc.value.diagnostics]


def test_minimal_scenario_loads(write_yaml):
    scenario = load_scenario(write_yaml(MEASURE, header=True))
    assert [x.id for x in scenario.spec.measures] == ["tariff-a"]
    assert scenario.measure("tariff-a").rate == 0.25


def test_rate_without_percent_points_at_the_value(write_yaml):
    path = write_yaml(MEASURE.replace("rate: 25%", "rate: 25"), header=True)
    (msg,) = problems(path)
    assert msg == f"{path}:10:11: rate '25' has no unit: write '25%' (rates carry a % sign)"


def test_negative_rate(write_yaml):
    (msg,) = problems(write_yaml(MEASURE.replace("rate: 25%", "rate: -5%"), header=True))
    assert ":10:11:" in msg and "negative" in msg


def test_unknown_key_suggests_the_near_name(write_yaml):
    (msg,) = problems(write_yaml(MEASURE.replace("    from:", "    form:"), header=True))
    assert ":11:5:" in msg and "unknown key 'form'; did you mean 'from'?" in msg


def test_impossible_date(write_yaml):
    (msg,) = problems(write_yaml(MEASURE.replace("2025-01-01", "2025-02-30"), header=True))
    assert ":11:11:" in msg and "not a real date" in msg


def test_until_not_after_from(write_yaml):
    text = MEASURE.replace("    from: 2025-01-01", "    from: 2025-01-01\n    until: 2025-01-01")
    (msg,) = problems(write_yaml(text, header=True))
    assert ":12:12:" in msg and "'until' (2025-01-01) must be after 'from'" in msg


def test_all_problems_are_reported_at_once(write_yaml):
    text = (
        MEASURE.replace("rate: 25%", "rate: 25")
        .replace("imposer: US", "imposer: usa")
        .replace("authority: test", "authority: test\n    colour: red")
    )
    msgs = problems(write_yaml(text, header=True))
    assert len(msgs) == 3
    assert any("unknown key 'colour'" in x for x in msgs)
    assert any("two-letter country code" in x for x in msgs)
    assert any("has no unit" in x for x in msgs)


def test_unknown_measure_flag_and_source(write_yaml):
    text = (
        MEASURE
        + """\
flags:
  - {id: deal, description: a deal}
moves:
  - {kind: set_rate, measure: tarif-a, date: 2025-03-01, rate: 5%, sources: [src]}
  - {kind: set_flag, flag: dael, date: 2025-03-01, sources: [scr]}
"""
    )
    msgs = problems(write_yaml(text, header=True))
    assert any(
        ":16:31:" in x and "unknown measure 'tarif-a'; did you mean 'tariff-a'?" in x for x in msgs
    )
    assert any("unknown flag 'dael'; did you mean 'deal'?" in x for x in msgs)
    assert any("unknown source 'scr'; did you mean 'src'?" in x for x in msgs)


def test_invalid_items_do_not_hide_the_cross_checks_of_the_rest(write_yaml):
    text = (
        MEASURE
        + """\
  - id: tariff-b
    name: B
    imposer: US
    target: CN
    authority: test
    rate: 10
    from: 2025-01-01
    sources: [src]
moves:
  - {kind: set_rate, measure: tariff-b, date: 2025-03-01, rate: 5%}
  - {kind: set_rate, measure: tarif-a, date: 2025-04-01, rate: 5%}
  - {kind: suspend, measure: tariff-a, from: 2025-06-01, until: 2025-05-01}
"""
    )
    msgs = problems(write_yaml(text, header=True))
    assert len(msgs) == 3, msgs  # nothing about 'tariff-b': its own error is reported once
    assert ":18:11:" in msgs[0] and "has no unit" in msgs[0]
    assert ":23:31:" in msgs[1] and "unknown measure 'tarif-a'" in msgs[1]
    assert ":24:65:" in msgs[2] and "'until' (2025-05-01) must be after" in msgs[2]


def test_a_misspelt_list_still_counts_its_ids(write_yaml):
    text = (
        MEASURE
        + """\
flagz:
  - {id: deal, description: a deal}
moves:
  - {kind: set_flag, flag: deal, date: 2025-03-01}
  - {kind: set_flag, flag: deel, date: 2025-04-01}
"""
    )
    msgs = problems(write_yaml(text, header=True))
    assert len(msgs) == 2, msgs
    assert "unknown key 'flagz'; did you mean 'flags'?" in msgs[0]
    assert ":17:28:" in msgs[1] and "unknown flag 'deel'" in msgs[1]


def test_unknown_move_kind(write_yaml):
    text = MEASURE + "moves:\n  - {kind: raise, measure: tariff-a, date: 2025-03-01}\n"
    (msg,) = problems(write_yaml(text, header=True))
    assert ":14:12:" in msg and "unknown move kind 'raise'" in msg


def test_static_move_needs_a_date(write_yaml):
    text = MEASURE + "moves:\n  - {kind: revoke, measure: tariff-a}\n"
    (msg,) = problems(write_yaml(text, header=True))
    assert "needs a 'date'" in msg


def test_conflicting_moves_on_one_day(write_yaml):
    text = (
        MEASURE
        + """\
moves:
  - {kind: set_rate, measure: tariff-a, date: 2025-03-01, rate: 5%}
  - {kind: revoke, measure: tariff-a, date: 2025-03-01}
"""
    )
    (msg,) = problems(write_yaml(text, header=True))
    assert ":15:12:" in msg and "order would be ambiguous" in msg


def test_unknown_product_list_and_set(write_yaml):
    text = MEASURE.replace("    rate: 25%", "    rate: 25%\n    products: {lists: [us-s301-list9]}")
    (msg,) = problems(write_yaml(text, header=True))
    assert "unknown shipped product list 'us-s301-list9'" in msg and "did you mean" in msg


def test_direction_without_data(write_yaml):
    (msg,) = problems(write_yaml(MEASURE.replace("target: CN", "target: DE"), header=True))
    assert "no product data for US→DE" in msg


def test_extends_cycle(write_yaml):
    write_yaml("title: a\nextends: b.yaml\n", "a.yaml")
    b = write_yaml("title: b\nextends: a.yaml\n", "b.yaml")
    (msg,) = problems(b)
    assert "'extends' makes a cycle" in msg and ":2:10:" in msg


def test_missing_base_and_missing_file(write_yaml, tmp_path):
    (msg,) = problems(write_yaml("title: a\nextends: nowhere.yaml\n"))
    assert ":2:10:" in msg and "cannot find the base scenario 'nowhere.yaml'" in msg
    (msg,) = problems(tmp_path / "absent.yaml")
    assert msg.endswith("absent.yaml: file not found")


def test_a_broken_base_keeps_the_problems_found_in_the_child(write_yaml):
    write_yaml("title: [base\n", "base.yaml")
    child = write_yaml("title: child\nextends: base.yaml\ncolour: red\n")
    msgs = problems(child)
    assert len(msgs) == 2, msgs
    assert any("scenario.yaml:3:1: unknown key 'colour'" in x for x in msgs)
    assert any("base.yaml:2:1: invalid YAML" in x for x in msgs)


def test_child_overrides_by_id_and_removes(write_yaml):
    write_yaml(
        MEASURE + "moves:\n  - {id: cut, kind: set_rate, measure: tariff-a, "
        "date: 2025-03-01, rate: 5%}\n",
        "base.yaml",
        header=True,
    )
    child = write_yaml(
        """\
        title: child
        extends: base.yaml
        moves:
          - {id: cut, kind: set_rate, measure: tariff-a, date: 2025-03-01, rate: 15%}
        """,
        "child.yaml",
    )
    scenario = load_scenario(child)
    assert [mv.rate for mv in scenario.spec.moves] == [0.15]
    removed = write_yaml("title: c\nextends: base.yaml\nremove: [cut]\n", "c.yaml")
    assert load_scenario(removed).spec.moves == []
    wrong = write_yaml("title: c\nextends: base.yaml\nremove: [cutt]\n", "d.yaml")
    (msg,) = problems(wrong)
    assert ":3:10:" in msg and "did you mean 'cut'" in msg


def test_errors_in_a_base_point_into_the_base_file(write_yaml):
    base = write_yaml(MEASURE.replace("rate: 25%", "rate: 25"), "base.yaml", header=True)
    child = write_yaml("title: child\nextends: base.yaml\n", "child.yaml")
    (msg,) = problems(child)
    assert msg.startswith(f"{base}:10:11:")


def test_not_a_mapping(write_yaml):
    (msg,) = problems(write_yaml("- just\n- a list\n"))
    assert "must be a mapping" in msg


ROOT = Path(__file__).resolve().parent.parent


def _read_chain(name: str) -> tuple[str, object, set[str]]:
    """Title, horizon and measure ids of a bundled scenario worked out with plain PyYAML:
    the base's measures (less `remove`), then the file's own; the nearest horizon."""
    path = ROOT / (f"{name}.yaml" if "/" in name else f"scenarios/{name}.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    horizon, ids = None, set()
    if data.get("extends"):
        _, horizon, ids = _read_chain(data["extends"])
    ids = (ids - set(data.get("remove", []))) | {x["id"] for x in data.get("measures", [])}
    return data["title"], data.get("horizon") or horizon, ids


@pytest.mark.parametrize(
    "name", ["pre-summit", "busan-deal", "talks-collapse", "history", "seeds/base"]
)
def test_bundled_names_resolve_with_their_bases(name):
    title, horizon, ids = _read_chain(name)
    spec = load_scenario(name).spec
    assert spec.title == title
    assert {x.id for x in spec.measures} == ids
    got = spec.horizon and {"start": spec.horizon.start, "end": spec.horizon.end}
    assert got == horizon


def test_scenario_from_dict_validates():
    with pytest.raises(ScenarioError, match="unknown measure"):
        scenario_from_dict(
            {
                "title": "t",
                "extends": "pre-summit",
                "moves": [{"kind": "revoke", "measure": "nope", "date": "2025-11-01"}],
            }
        )
