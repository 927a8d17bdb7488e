"""Branches and uncertain dates, expanded into weighted paths: each expected probability,
date and message is written out by hand, never computed with tariffsim's own functions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import tariffsim as ts
from tariffsim.errors import ScenarioError
from tariffsim.uncertainty.tree import exact_paths, is_uncertain, sampled_paths

DEAL = """\
title: pre-summit with a deal branch
extends: pre-summit
branches:
  - id: deal
    resolves: 2025-10-30
    options:
      - id: deal-reached
        probability: 60%
        moves: [{kind: set_flag, flag: deal-reached, date: 2025-10-30}]
      - id: no-deal
        probability: 40%
"""


def load(tmp_path: Path, text: str, name: str = "outlook.yaml") -> ts.Scenario:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return ts.load_scenario(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ScenarioError) as exc:
        load(tmp_path, text, "bad.yaml")
    return [f"{d.line}:{d.col}: {d.message}" for d in exc.value.diagnostics]


def headline_us_cn(scenario: ts.Scenario, day: str) -> float:
    rates = ts.simulate(scenario, day, day).rates
    row = rates[(rates.imposer == "US") & (rates.target == "CN")]
    return float(row.headline_rate.iloc[0])


# ------------------------------------------------------------------------ exact paths


def test_the_acceptance_shape_gives_two_paths_with_their_own_rates(tmp_path):
    scenario = load(tmp_path, DEAL)
    assert is_uncertain(scenario)
    paths = exact_paths(scenario)
    assert [(p.label, p.probability) for p in paths] == [("deal-reached", 0.6), ("no-deal", 0.4)]
    assert [p.choices for p in paths] == [(("deal", "deal-reached"),), (("deal", "no-deal"),)]
    assert [p.dates for p in paths] == [(), ()]
    # pre-summit on 5 Nov: 20% fentanyl + 10% reciprocal + 25% s301 list 1-3 headline = 55%;
    # the 100% threat fires on 1 Nov unless deal-reached: 155% without the deal
    assert headline_us_cn(paths[0].scenario, "2025-11-05") == pytest.approx(0.55)
    assert headline_us_cn(paths[1].scenario, "2025-11-05") == pytest.approx(1.55)
    for p in paths:
        assert p.scenario.spec.branches == []
        assert not is_uncertain(p.scenario)


NESTED = """\
title: nested
extends: pre-summit
branches:
  - id: deal
    resolves: 2025-10-30
    options:
      - {id: deal-reached, probability: 60%,
         moves: [{kind: set_flag, flag: deal-reached, date: 2025-10-30}]}
      - id: no-deal
        probability: 40%
        branches:
          - id: threat
            resolves: 2025-11-01
            options:
              - {id: threat-fires, probability: 70%}
              - id: threat-withdrawn
                probability: 30%
                moves: [{kind: revoke, measure: us-threat-100, date: 2025-11-02}]
  - id: truce
    resolves: 2025-11-10
    options:
      - {id: truce-extended, probability: 90%}
      - {id: truce-lapses, probability: 10%}
"""


def test_nested_branches_multiply_and_top_level_ones_are_independent(tmp_path):
    paths = exact_paths(load(tmp_path, NESTED))
    got = {p.label: round(p.probability, 12) for p in paths}
    assert got == {
        "deal-reached / truce-extended": 0.54,  # 0.6 × 0.9
        "deal-reached / truce-lapses": 0.06,  # 0.6 × 0.1
        "no-deal / threat-fires / truce-extended": 0.252,  # 0.4 × 0.7 × 0.9
        "no-deal / threat-fires / truce-lapses": 0.028,  # 0.4 × 0.7 × 0.1
        "no-deal / threat-withdrawn / truce-extended": 0.108,  # 0.4 × 0.3 × 0.9
        "no-deal / threat-withdrawn / truce-lapses": 0.012,  # 0.4 × 0.3 × 0.1
    }
    withdrawn = next(p for p in paths if "threat-withdrawn" in p.label)
    assert withdrawn.choices == (
        ("deal", "no-deal"),
        ("threat", "threat-withdrawn"),
        ("truce", "truce-extended"),
    )
    # the threat revoked on 2 Nov, a day after it fired: 55% on 5 Nov without a deal
    assert headline_us_cn(withdrawn.scenario, "2025-11-05") == pytest.approx(0.55)


DATED = """\
title: dated
extends: pre-summit
moves:
  - id: deal-day
    kind: set_flag
    flag: deal-reached
    date: {dates: [{date: 2025-10-30, probability: 25%}, {date: 2025-11-03, probability: 75%}]}
branches:
  - id: court
    resolves: 2025-11-05
    options:
      - {id: upheld, probability: 50%}
      - {id: struck, probability: 50%}
"""


def test_discrete_dates_are_enumerated_with_each_option(tmp_path):
    paths = exact_paths(load(tmp_path, DATED))
    got = [(p.label, p.dates, p.probability) for p in paths]
    assert got == [
        ("upheld, deal-day 2025-10-30", (("deal-day", date(2025, 10, 30)),), 0.125),
        ("upheld, deal-day 2025-11-03", (("deal-day", date(2025, 11, 3)),), 0.375),
        ("struck, deal-day 2025-10-30", (("deal-day", date(2025, 10, 30)),), 0.125),
        ("struck, deal-day 2025-11-03", (("deal-day", date(2025, 11, 3)),), 0.375),
    ]
    early, late = paths[0].scenario, paths[1].scenario
    # a deal on 30 Oct stops the threat of 1 Nov; a deal on 3 Nov comes too late for it
    assert headline_us_cn(early, "2025-11-05") == pytest.approx(0.55)
    assert headline_us_cn(late, "2025-11-05") == pytest.approx(1.55)


def test_a_plain_scenario_is_one_path_of_probability_one():
    scenario = ts.load_scenario("pre-summit")
    assert not is_uncertain(scenario)
    (path,) = exact_paths(scenario)
    assert (path.probability, path.choices, path.dates) == (1.0, (), ())
    assert path.label == "pre-summit"
    assert path.scenario is scenario
    (drawn,) = sampled_paths(scenario, 10, seed=1)
    assert drawn.probability == 1.0 and drawn.scenario is scenario


WINDOW = DEAL.replace(
    "        probability: 40%\n",
    "        probability: 40%\n"
    "        moves:\n"
    "          - {kind: set_rate, measure: us-threat-100, rate: 50%,\n"
    "             date: {between: [2025-11-02, 2025-11-04]}}\n",
)


def test_a_window_or_too_many_paths_cannot_be_enumerated(tmp_path):
    with pytest.raises(ScenarioError) as exc:
        exact_paths(load(tmp_path, WINDOW))
    assert str(exc.value) == (
        f"{tmp_path / 'outlook.yaml'}:14:20: a date drawn from a window ('between') cannot "
        "be enumerated exactly; sample the scenario (sampled_paths, --paths N)"
    )
    with pytest.raises(ScenarioError, match="makes 6 exact paths, more than the limit of 5"):
        exact_paths(load(tmp_path, NESTED), limit=5)


# ------------------------------------------------------------------------ sampling


def test_sampling_groups_identical_draws_and_repeats_with_its_seed(tmp_path):
    scenario = load(tmp_path, WINDOW)
    paths = sampled_paths(scenario, 1000, seed=7)
    # deal-reached (no window) is one state; no-deal draws one of 3 days: at most 4 paths
    assert 2 <= len(paths) <= 4
    counts = [p.probability * 1000 for p in paths]
    assert all(c == round(c) and c > 0 for c in counts)
    assert sum(round(c) for c in counts) == 1000
    assert len({(p.choices, p.dates) for p in paths}) == len(paths)  # grouped: all distinct
    by_label = {p.label: p.probability for p in paths}
    assert 0.55 < by_label["deal-reached"] < 0.65  # 60% ± 5 standard errors (0.0155)
    for p in paths:
        if p.choices == (("deal", "no-deal"),):
            (label, day) = p.dates[0]
            assert label == "set_rate us-threat-100"
            assert date(2025, 11, 2) <= day <= date(2025, 11, 4)
            assert p.scenario.spec.moves[-1].date == day
    again = sampled_paths(scenario, 1000, seed=7)
    assert [(p.choices, p.dates, p.probability) for p in again] == [
        (p.choices, p.dates, p.probability) for p in paths
    ]
    other = sampled_paths(scenario, 1000, seed=8)
    assert [(p.choices, p.dates, p.probability) for p in other] != [
        (p.choices, p.dates, p.probability) for p in paths
    ]


def test_a_sampled_path_runs_and_its_errors_point_at_the_option(tmp_path):
    scenario = load(tmp_path, WINDOW)
    for p in sampled_paths(scenario, 50, seed=0):
        if p.choices == (("deal", "no-deal"),):
            move = p.scenario.spec.moves[-1]
            where = p.scenario.origin(move).diag("here")
            assert (where.line, where.col) == (13, 13)  # the option's move, as written
            assert headline_us_cn(p.scenario, "2025-11-05") == pytest.approx(1.05)


def test_simulate_runs_every_path_and_asks_for_a_sample_where_it_must(tmp_path):
    result = ts.simulate(load(tmp_path, DEAL))
    assert [p.label for p in result.paths] == ["deal-reached", "no-deal"]
    with pytest.raises(ScenarioError, match="cannot be enumerated exactly; sample the scenario"):
        ts.simulate(load(tmp_path, WINDOW))
    # a sample of a window: every drawn day (2, 3 or 4 Nov) is a path of its own
    sampled = ts.simulate(load(tmp_path, WINDOW), paths=300, seed=1)
    assert len(sampled.paths) == 1 + 3


# ------------------------------------------------------------------------ validation

BAD = """\
title: bad
extends: pre-summit
branches:
  - id: deal
    resolves: 2025-10-30
    options:
      - {id: yes, probability: 60%, moves: [{kind: set_flag, flag: deal-reachd, date: 2025-10-30}]}
      - {id: yes, probability: 30%}
  - id: deal
    resolves: 2025-10-30
    options:
      - id: later
        probability: 100%
        moves:
          - {kind: revoke, measure: us-nope, date: {between: [2025-11-05, 2025-11-01]}}
          - {kind: set_flag, flag: deal-reached, date: {dates: [{date: 2025-11-01, probability: 50%}, {date: 2025-11-02, probability: 40%}]}}
        branches:
          - id: deal
            resolves: 2025-11-01
            options: [{id: again, probability: 100%}]
"""  # noqa: E501


def test_every_problem_of_the_branches_at_its_position(tmp_path):
    assert problems(tmp_path, BAD) == [
        "6:5: the options of branch 'deal' sum to 90% (60% + 30%); they must sum to 100%",
        "7:68: unknown flag 'deal-reachd'; did you mean 'deal-reached'?",
        "8:14: duplicate option id 'yes' in branch 'deal' (first at line 7)",
        "9:9: duplicate branch id 'deal' (first at line 4)",
        "15:37: unknown measure 'us-nope'",
        "15:75: the window runs backwards: 2025-11-01 is before 2025-11-05; write the "
        "first possible day, then the last",
        "16:64: the probabilities of these dates sum to 90% (50% + 40%); they must sum to 100%",
        "18:17: duplicate branch id 'deal' (first at line 4)",
    ]


def test_probabilities_out_of_range_and_uncertain_dates_in_triggers(tmp_path):
    text = """\
title: bad
extends: pre-summit
branches:
  - id: deal
    resolves: 2025-10-30
    options:
      - {id: never, probability: 0%}
      - {id: more, probability: 120%}
      - {id: bare, probability: 60}
triggers:
  - id: later
    date: 2025-11-01
    description: a trigger's move with an uncertain date
    then: [{kind: set_flag, flag: deal-reached, date: {between: [2025-11-01, 2025-11-02]}}]
"""
    assert problems(tmp_path, text) == [
        "7:34: probability 0% is out of range: more than 0% and at most 100%",
        "8:33: probability 120% is out of range: more than 0% and at most 100%",
        "9:33: '60' is not a probability; write '60%'",
        "14:55: a move of trigger 'later' takes a fixed date (or none: the trigger's); an "
        "uncertain one belongs to a move of its own",
    ]


def test_a_child_adds_branches_and_removes_inherited_ones(tmp_path):
    load(tmp_path, DEAL, "outlook.yaml")
    child = load(
        tmp_path,
        "title: child\nextends: outlook.yaml\nremove: [deal]\nbranches:\n"
        "  - {id: truce, resolves: 2025-11-10, options: [{id: a, probability: 100%}]}\n",
        "child.yaml",
    )
    assert [br.id for br in child.spec.branches] == ["truce"]
    (path,) = exact_paths(child)
    assert (path.label, path.probability) == ("a", 1.0)
