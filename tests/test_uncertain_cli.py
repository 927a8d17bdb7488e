"""`run` on an uncertain result (`cli.uncertain.run_uncertain`, which `cmd_run` will call
once scenarios have branches) and `run --quantiles` on a plain scenario. Expected text and
CSV rows written out by hand for pre-summit (no deal, 40%) against its deal variant (60%)."""

from __future__ import annotations

import pytest
from synthetic.measures import DEAL

import tariffsim as ts
from tariffsim.cli import main
from tariffsim.cli.output import destination
from tariffsim.cli.uncertain import key_days, run_uncertain
from tariffsim.uncertainty.results import UncertainResult


@pytest.fixture(scope="module")
def outlook():
    return UncertainResult(
        [
            (0.4, "no-deal", (("deal", "no-deal"),), ts.simulate("pre-summit")),
            (
                0.6,
                "deal-reached",
                (("deal", "deal-reached"),),
                ts.simulate(ts.scenario_from_dict(DEAL)),
            ),
        ],
        title="Deal or no deal at Busan",
    )


def squeeze(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


def test_the_report_shows_expected_rates_with_bands_and_the_branches(capsys, outlook):
    assert run_uncertain(outlook) == 0
    lines = squeeze(capsys.readouterr().out)
    assert lines[0] == "Deal or no deal at Busan"
    assert "2025-09-01 to 2026-03-31; 2 paths, exact; rates in percent;" in lines[1]
    us = lines.index("US→CN")
    assert lines[us + 1] == "date headline 5–95 25–75 effective 5–95 25–75"
    # 1 Nov: 0.6 × 55 + 0.4 × 155 = 95, both ranges from 55 to 155 (the 25% quantile is 55:
    # 60% of the probability is at 55; the 75% one 155); 10 Nov: 0.6 × 79 + 0.4 × 179 = 119
    assert any(line.startswith("2025-11-01 95.0 55.0–155.0 55.0–155.0 85.0") for line in lines)
    assert any(line.startswith("2025-11-10 119.0 79.0–179.0 79.0–179.0") for line in lines)
    assert "2025-10-14 55.0 55.0 55.0 45.0 45.0 45.0" in lines  # the paths agree: one value
    # the branch table: most likely first, headline / effective on the key days
    start = lines.index("Branches (headline / effective, in percent):")
    assert lines[start + 1 : start + 5] == [
        "US→CN",
        "path probability 2025-09-01 2025-11-01 2026-03-31",
        "deal-reached 60.0% 55.0 / 44.9 55.0 / 45.0 79.0 / 60.2",
        "no-deal 40.0% 55.0 / 44.9 155.0 / 145.0 179.0 / 160.2",
    ]


def test_key_days_are_where_the_paths_part_and_the_ends(outlook):
    # the paths part on 1 Nov (100 points apart) and stay 100 points apart after
    assert [d.isoformat() for d in key_days(outlook)] == ["2025-09-01", "2025-11-01", "2026-03-31"]


def test_csv_is_the_expected_path_and_quantiles_the_bands(capsys, tmp_path, outlook):
    rates, bands = tmp_path / "rates.csv", tmp_path / "bands.csv"
    run_uncertain(outlook, csv=destination(str(rates)), quantiles=destination(str(bands)))
    out = capsys.readouterr().out
    assert "wrote 424 daily rows to" in out and "wrote 2,120 quantile rows to" in out
    lines = rates.read_text().splitlines()
    assert lines[0] == "date,imposer,target,headline_rate,effective_rate"
    assert next(x for x in lines if x.startswith("2025-11-05,US,CN,")).split(",")[3] == "0.950000"
    lines = bands.read_text().splitlines()
    assert lines[0] == "date,imposer,target,quantile,headline_rate,effective_rate"
    nov5 = [x.split(",")[3:5] for x in lines if x.startswith("2025-11-05,US,CN,")]
    assert nov5 == [
        ["0.050000", "0.550000"],
        ["0.250000", "0.550000"],
        ["0.500000", "0.550000"],
        ["0.750000", "1.550000"],
        ["0.950000", "1.550000"],
    ]


def test_quantiles_of_a_plain_scenario_are_its_rates(capsys, tmp_path):
    rates, bands = tmp_path / "rates.csv", tmp_path / "bands.csv"
    assert main(["run", "pre-summit", "--csv", str(rates), "--quantiles", str(bands)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Pre-summit") or "Rates on the first day" in out  # the usual report
    assert "wrote 2,120 quantile rows to" in out
    daily = {tuple(x.split(",")[:3]): x.split(",")[3:] for x in rates.read_text().splitlines()[1:]}
    for line in bands.read_text().splitlines()[1:]:
        day, imposer, target, _, headline, effective = line.split(",")
        assert daily[(day, imposer, target)] == [headline, effective]


def test_quantiles_are_refused_with_by_or_over_the_csv(capsys, tmp_path):
    out = tmp_path / "x.csv"
    assert main(["run", "pre-summit", "--by", "section", "--quantiles", str(out)]) == 1
    assert (
        "--quantiles: error: writes rate bands: leave out --by section" in capsys.readouterr().err
    )
    assert main(["run", "pre-summit", "--csv", str(out), "--quantiles", str(out)]) == 1
    assert "is where --csv writes" in capsys.readouterr().err
    assert not out.exists()
    with pytest.raises(SystemExit):
        main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--quantiles PATH write the 5/25/50/75/95% quantiles" in text
