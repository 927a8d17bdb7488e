"""`simulate` on a scenario with branches: the issue's hand-computable case end to end, from
a YAML file through the public API and the command line."""

from __future__ import annotations

import textwrap

import pytest

import tariffsim as ts
from tariffsim.cli import main
from tariffsim.errors import ScenarioError

DEAL = textwrap.dedent(
    """\
    title: Pre-summit with a deal branch
    extends: pre-summit
    references:
      - {id: my-odds, title: "Our odds, not a reported fact"}
    branches:
      - id: deal
        description: Xi and Trump agree in Busan
        resolves: 2025-10-30
        sources: [my-odds]
        options:
          - id: deal-reached
            probability: 60%
            moves: [{kind: set_flag, flag: deal-reached, date: 2025-10-30, sources: [my-odds]}]
          - {id: no-deal, probability: 40%}
    """
)


@pytest.fixture
def deal_file(tmp_path):
    path = tmp_path / "deal.yaml"
    path.write_text(DEAL, encoding="utf-8")
    return path


def test_the_expected_path_and_its_quantiles_are_those_worked_by_hand(deal_file):
    result = ts.simulate(ts.load_scenario(str(deal_file)))
    # pre-summit: the 100% threat fires on 1 Nov 2025 unless deal-reached is set; 55% before.
    # 5 Nov: 0.6 × 55% + 0.4 × 155% = 95%; 5% quantile 55%, 95% quantile 155%
    on = result.rates[(result.rates.date == "2025-11-05") & (result.rates.imposer == "US")]
    assert on.headline_rate.iloc[0] == pytest.approx(0.95)
    bands = result.quantiles
    bands = bands[(bands.date == "2025-11-05") & (bands.imposer == "US")]
    assert dict(zip(bands["quantile"], bands.headline_rate, strict=True)) == pytest.approx(
        {0.05: 0.55, 0.25: 0.55, 0.5: 0.55, 0.75: 1.55, 0.95: 1.55}
    )
    assert result.branches[["label", "probability"]].values.tolist() == [
        ["deal-reached", 0.6],
        ["no-deal", 0.4],
    ]
    assert result.prob_exceeds("US-CN", "100%", by="2025-11-05") == pytest.approx(0.4)
    assert result.resolutions == [
        (ts.load_scenario(str(deal_file)).spec.branches[0].resolves, "Xi and Trump agree in Busan")
    ]


def test_sampling_is_the_same_for_the_same_seed(deal_file):
    scenario = ts.load_scenario(str(deal_file))
    a = ts.simulate(scenario, paths=200, seed=7)
    b = ts.simulate(scenario, paths=200, seed=7)
    c = ts.simulate(scenario, paths=200, seed=8)
    assert a.branches.values.tolist() == b.branches.values.tolist()
    assert a.branches.probability.tolist() != c.branches.probability.tolist()
    assert sum(a.branches.probability) == pytest.approx(1.0)
    with pytest.raises(ScenarioError, match="paths must be at least 1, not 0"):
        ts.simulate(scenario, paths=0)


def test_run_prints_the_expected_path_bands_and_branches(deal_file, tmp_path, capsys):
    bands = tmp_path / "bands.csv"
    assert main(["run", str(deal_file), "--quantiles", str(bands)]) == 0
    out = capsys.readouterr().out
    assert "  2025-11-01      95.0  55.0–155.0  55.0–155.0" in out
    assert "  deal-reached        60.0%" in out and "  no-deal             40.0%" in out
    lines = bands.read_text().splitlines()
    assert lines[0] == "date,imposer,target,quantile,headline_rate,effective_rate"
    assert main(["run", str(deal_file), "--paths", "ten"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "--paths: error: 'ten' is not a number of paths: a whole number, 1 or more"
    )


def test_plot_fan_of_a_branched_file(deal_file, tmp_path, capsys):
    out = tmp_path / "fan.svg"
    assert main(["plot", str(deal_file), "--kind", "fan", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"<?xml")


@pytest.mark.parametrize(
    ("argv", "verb"),
    [
        (["explain", "nov-2025-outlook", "--date", "2025-11-15"], "explained"),
        (["compare", "pre-summit", "nov-2025-outlook"], "compared"),
        (["plot", "pre-summit", "nov-2025-outlook", "-o", "two.png"], "compared"),
    ],
)
def test_commands_of_one_path_refuse_a_scenario_with_branches(argv, verb, tmp_path, capsys):
    # one clear line, no traceback: these commands take plain scenarios
    argv = [str(tmp_path / a) if a.endswith(".png") else a for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"the scenario has branches or uncertain dates: it is {verb} one path at a time" in err


def test_run_says_whether_its_paths_were_enumerated_or_sampled(capsys):
    assert main(["run", "nov-2025-outlook", "--no-events"]) == 0
    assert "; 5 paths, exact;" in capsys.readouterr().out
    assert main(["run", "nov-2025-outlook", "--paths", "1000", "--seed", "3"]) == 0
    assert "; 5 paths sampled from 1,000 draws;" in capsys.readouterr().out
