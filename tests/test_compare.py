"""Comparing two scenarios: rules, paths and events that differ, and the command line's
report of them (the attribution itself: test_attribution.py)."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import tariffsim as ts
from tariffsim.cli import main


@pytest.fixture(scope="module")
def cmp():
    return ts.compare("pre-summit", "busan-deal")


def test_common_horizon_and_differences(cmp):
    # horizons: pre-summit 2025-09-01..2026-03-31, busan-deal 2025-09-01..2026-12-31;
    # both runs cover the span of the two: the earliest start and the latest end
    span = (date(2025, 9, 1), date(2026, 12, 31))
    assert (cmp.a.start, cmp.a.end) == span and (cmp.b.start, cmp.b.end) == span
    us = cmp.rates[(cmp.rates.imposer == "US")].set_index("date")
    # 10 Nov 2025: pre-summit 25 + 20 + 34 + 100 = 179%, busan-deal 25 + 10 + 10 = 45%
    assert us.loc["2025-11-10", "headline_a"] == pytest.approx(1.79)
    assert us.loc["2025-11-10", "headline_b"] == pytest.approx(0.45)
    assert us.loc["2025-11-10", "headline_diff"] == pytest.approx(0.45 - 1.79)
    assert us.loc["2025-09-01", "headline_diff"] == pytest.approx(0.0)


def test_rules_that_differ(cmp):
    rules = cmp.rules.set_index("id")
    assert rules.loc["us-reciprocal-suspension-busan", "change"] == "only in b"
    assert rules.loc["(set_rate us-ieepa-fentanyl 2025-11-10)", "change"] == "only in b"
    assert "us-ieepa-fentanyl" not in rules.index  # the measure itself is the same


def test_events_that_differ_include_the_trigger_both_ways(cmp):
    trig = cmp.events[cmp.events.id == "threat-100-on-nov-1"]
    assert sorted(zip(trig.side, trig.fired, strict=True)) == [("a", True), ("b", False)]


def test_compare_a_copy_finds_nothing():
    # a scenario that only extends busan-deal: other objects, other file positions, same rules
    copy = ts.scenario_from_dict({"title": "copy", "extends": "busan-deal"})
    same = ts.compare("busan-deal", copy)
    assert same.rules.empty and same.events.empty
    # no difference ever changes, so only each direction's first day is listed, US→CN first
    assert same.rates[["imposer", "target"]].values.tolist() == [["US", "CN"], ["CN", "US"]]
    assert same.rates.date.dt.strftime("%Y-%m-%d").tolist() == ["2025-09-01"] * 2
    assert (same.rates[["headline_diff", "effective_diff"]] == 0).all().all()
    # and no measure moves anything on any day
    assert same.attribution("2025-11-15").empty and same.attribution("2026-12-31").empty
    assert (same.at("2025-11-15")[["headline_diff", "effective_diff"]] == 0).all().all()


def test_compare_sees_one_added_move():
    # busan-deal plus a fentanyl rise from 10% to 15% on 1 Jun 2026: one rule only in b, and
    # from that day the US headline is 5 points higher (25 + 15 + 10 = 50% against 45%)
    rise = {"kind": "set_rate", "measure": "us-ieepa-fentanyl", "date": "2026-06-01", "rate": "15%"}
    cmp = ts.compare(
        "busan-deal",
        ts.scenario_from_dict({"title": "x", "extends": "busan-deal", "moves": [rise]}),
    )
    assert cmp.rules[["kind", "id", "change"]].values.tolist() == [
        ["move", "(set_rate us-ieepa-fentanyl 2026-06-01)", "only in b"]
    ]
    us = cmp.rates[cmp.rates.imposer == "US"]
    assert us.date.dt.strftime("%Y-%m-%d").tolist() == ["2025-09-01", "2026-06-01"]
    assert us.headline_diff.tolist() == pytest.approx([0.0, 0.05])
    assert us.headline_b.iloc[1] == pytest.approx(0.50)
    assert cmp.events[["side", "kind"]].values.tolist() == [["b", "set_rate"]]


def test_compare_cli(capsys):
    assert main(["compare", "pre-summit", "talks-collapse"]) == 0
    out = capsys.readouterr().out
    assert "only in b  trigger  cn-mirrors-threat" in out
    # China's matching 100% from 3 Nov 2025: headline 10% in A, 10 + 100 = 110% in B
    rows = [line.split() for line in out.splitlines() if line.startswith("  20")]
    assert [r[:4] for r in rows] == [
        ["2025-09-01", "55.0", "55.0", "0.0"],
        ["2025-09-01", "10.0", "10.0", "0.0"],
        ["2025-11-03", "10.0", "110.0", "100.0"],
    ]
    assert main(["compare", "pre-summit", "busan-deal", "--start", "2025-02-30"]) == 1
    assert "--start: error" in capsys.readouterr().err


def attribution_section(out: str) -> list[str]:
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("What moves"))
    last = lines.index("Events in only one scenario:")
    return lines[first : last - 1]


def test_compare_cli_attributes_the_difference(capsys):
    assert main(["compare", "pre-summit", "busan-deal", "--date", "2025-11-15"]) == 0
    section = attribution_section(capsys.readouterr().out)
    assert section[0].startswith("What moves A's rates to B's on 2025-11-15")
    # per direction, US→CN first: the levels, a header, a row per measure, the total
    assert section[1] == "US→CN: headline 179.0 → 45.0, effective 159.3 → 35.0"
    cn = section.index("CN→US: headline 34.0 → 10.0, effective 56.3 → 30.7")
    for table, total in (
        (section[2:cn], ("-134.0", "-124.3")),
        (section[cn + 1 :], ("-24.0", "-25.7")),
    ):
        header, *rows = table
        assert header.split() == [
            "measure",
            "name",
            "rate",
            "A",
            "rate",
            "B",
            "headline",
            "effective",
        ]
        assert rows[-1].split() == ["total", *total]  # the total is B minus A
        parts = (
            [float(row.split()[-2]) for row in rows[:-1]],
            [float(row.split()[-1]) for row in rows[:-1]],
        )
        for column, want in zip(parts, total, strict=True):  # parts add up (1-decimal rounding)
            assert sum(column) == pytest.approx(float(want), abs=0.05 * len(column))
        # right-aligned numbers end under their headers
        for word in ("headline", "effective", "A", "B"):
            end = (
                header.rindex(word) + len(word) if word in "AB" else header.index(word) + len(word)
            )
            for row in rows[:-1]:
                assert row[end - 1] != " " and (end == len(row) or row[end] == " "), (word, row)
    rows = {line.split()[0]: line for line in section if line.startswith("  ")}
    assert rows["us-threat-100"].split()[-4:] == ["100.0", "-", "-100.0", "-100.0"]
    assert rows["us-ieepa-fentanyl"].split()[-4:] == ["20.0", "10.0", "-10.0", "-10.0"]
    assert rows["us-ieepa-reciprocal"].split()[-4:] == ["34.0", "10.0", "-24.0", "-14.3"]
    assert rows["cn-counter-2025"].split()[-4:] == ["34.0", "10.0", "-24.0", "-24.0"]
    assert rows["cn-farm-10pct"].split()[-3:] == ["-", "0.0", "-1.3"]
    assert "Threatened additional 100% tariff" in rows["us-threat-100"]  # the human name


def test_compare_cli_default_date_and_events(capsys):
    assert main(["compare", "pre-summit", "busan-deal"]) == 0
    out = capsys.readouterr().out
    # the last day both horizons cover: pre-summit ends 2026-03-31, busan-deal 2026-12-31
    assert "What moves A's rates to B's on 2026-03-31" in out
    events = out[out.index("Events in only one scenario:") :].splitlines()
    a, b = events.index("  only in A (pre-summit):"), events.index("  only in B (busan-deal):")
    only_a = [line.split()[:3] for line in events[a + 2 : b]]
    only_b = [line.split()[:3] for line in events[b + 2 :]]
    assert ["2025-11-01", "impose", "us-threat-100"] in only_a
    assert ["2025-11-10", "deadline", "us-reciprocal-suspension"] in only_a
    assert ["2025-10-30", "revoke", "us-threat-100"] in only_b
    assert ["2025-11-04", "extend", "us-reciprocal-suspension-busan"] in only_b
    assert ["2025-11-10", "set_rate", "us-ieepa-fentanyl"] in only_b
    assert events[a + 1].split() == ["date", "event", "id", "what"]
    # on the last day China's rates are the same in both: nothing to split
    assert main(["compare", "busan-deal", "history", "--date", "2026-11-09"]) == 0
    section = attribution_section(capsys.readouterr().out)
    cn = section.index("CN→US: headline 10.0 → 10.0, effective 30.7 → 30.7")
    assert section[cn + 1 :] == ["  no measure differs on this day"]
    assert main(["compare", "pre-summit", "busan-deal", "--date", "2027-01-01"]) == 1
    assert "--date: error: 2027-01-01 is outside" in capsys.readouterr().err
    assert main(["compare", "pre-summit", "busan-deal", "--date", "2025-11-31"]) == 1
    assert "--date: error" in capsys.readouterr().err


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def test_compare_csv_covers_the_days_run_csv_does(tmp_path, capsys):
    # busan-deal's horizon is the span of both scenarios, so `run busan-deal --csv` and
    # `compare pre-summit busan-deal --csv` cover the same days: every day, each direction
    ran, cmp = tmp_path / "run.csv", tmp_path / "compare.csv"
    assert main(["run", "busan-deal", "--csv", str(ran)]) == 0
    assert main(["compare", "pre-summit", "busan-deal", "--csv", str(cmp)]) == 0
    out = capsys.readouterr().out
    run_rows, cmp_rows = read_csv(ran), read_csv(cmp)
    assert f"wrote {len(cmp_rows):,} daily rows" in out
    key = lambda r: (r["date"], r["imposer"], r["target"])  # noqa: E731
    assert sorted(map(key, cmp_rows)) == sorted(map(key, run_rows))
    assert len(cmp_rows) == 2 * ((date(2026, 12, 31) - date(2025, 9, 1)).days + 1)
    b = {key(r): (r["headline_rate"], r["effective_rate"]) for r in run_rows}
    assert all((r["headline_b"], r["effective_b"]) == b[key(r)] for r in cmp_rows)
    # with the same --start/--end, the same days again
    span = ["--start", "2025-10-01", "--end", "2025-12-31"]
    assert main(["run", "pre-summit", "--csv", str(ran), *span]) == 0
    assert main(["compare", "pre-summit", "busan-deal", "--csv", str(cmp), *span]) == 0
    run_rows, cmp_rows = read_csv(ran), read_csv(cmp)
    assert sorted(map(key, cmp_rows)) == sorted(map(key, run_rows))
    a = {key(r): (r["headline_rate"], r["effective_rate"]) for r in run_rows}
    assert all((r["headline_a"], r["effective_a"]) == a[key(r)] for r in cmp_rows)
    row = next(r for r in cmp_rows if key(r) == ("2025-11-15", "US", "CN"))
    assert (row["headline_a"], row["headline_b"], row["headline_diff"]) == (
        "1.790000",
        "0.450000",
        "-1.340000",
    )


def test_compare_text_does_not_import_matplotlib():
    probe = (
        "import sys\nfrom tariffsim.cli import main\n"
        "main(['compare', 'pre-summit', 'busan-deal', '--date', '2025-11-15'])\n"
        "print('MATPLOTLIB' if 'matplotlib' in sys.modules else 'LIGHT')"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "LIGHT"
