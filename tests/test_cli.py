"""The command line as a user meets it: exit codes, messages, files written or not."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tariffsim.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_bundled_scenarios(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    for name in ("pre-summit", "busan-deal", "talks-collapse", "history"):
        assert name in out


def test_validate_ok_and_errors(capsys, write_yaml):
    code, out, _ = run(capsys, "validate", "pre-summit", "busan-deal")
    assert code == 0 and out.count("ok  ") == 2
    bad = write_yaml("title: x\nmeasures:\n  - id: a\n    rate: 25\n")
    code, out, err = run(capsys, "validate", "busan-deal", str(bad))
    assert code == 1
    assert f"{bad}:3:5: error: missing required key" in err
    assert f"{bad}:4:11: error: rate '25' has no unit" in err
    assert "Traceback" not in err and err.strip().endswith("problems found")


def test_run_prints_rates_and_events(capsys):
    code, out, _ = run(capsys, "run", "pre-summit")
    assert code == 0
    # 10 Nov 2025: US 25 + 20 + 34 + 100 = 179%, China 10 + 24 = 34% (columns: date, US
    # headline, US effective, CN headline, CN effective)
    row = next(x.split() for x in out.splitlines() if x.startswith("2025-11-10"))
    assert (row[0], row[1], row[3]) == ("2025-11-10", "179.0", "34.0")
    assert "trigger FIRED" in out and "threat-100-on-nov-1" in out


def test_run_at_dates(capsys):
    code, out, _ = run(
        capsys, "run", "busan-deal", "--at", "2025-10-27", "--at", "2025-11-10", "--no-events"
    )
    lines = [x for x in out.splitlines() if x[:4] == "2025" and x.split()[1] != "to"]
    assert code == 0 and len(lines) == 2
    assert lines[0].split()[1] == "55.0" and lines[1].split()[1] == "45.0"


def test_run_csv_to_stdout_has_the_rates_columns(capsys):
    code, out, _ = run(
        capsys, "run", "busan-deal", "--csv", "-", "--start", "2025-11-09", "--end", "2025-11-10"
    )
    assert code == 0
    assert out.splitlines()[0] == "date,imposer,target,headline_rate,effective_rate"
    assert "2025-11-10,US,CN,0.450000," in out


def test_run_csv_file_is_written_whole(capsys, tmp_path):
    target = tmp_path / "rates.csv"
    code, _, _ = run(capsys, "run", "history", "--csv", str(target))
    lines = target.read_text().splitlines()
    # history runs from 2018-01-01 to 2026-11-09, both included: a header, then one row a
    # day for each of the two directions
    days = (date(2026, 11, 9) - date(2018, 1, 1)).days + 1  # 3,235
    assert code == 0 and len(lines) == 1 + 2 * days
    assert lines[-1].startswith("2026-11-09,")  # nothing cut short
    assert not list(tmp_path.glob(".rates.csv.*"))  # no temporary left behind


def test_bad_input_writes_nothing(capsys, tmp_path, write_yaml):
    bad = write_yaml("title: x\nextends: nowhere\n")
    target = tmp_path / "out.csv"
    code, _, err = run(capsys, "run", str(bad), "--csv", str(target))
    assert code == 1 and not target.exists() and "cannot find the base scenario" in err
    code, _, err = run(capsys, "plot", str(bad), "-o", str(tmp_path / "x.png"))
    assert code == 1 and not (tmp_path / "x.png").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["run", "pre-summit", "--start", "2025-13-01"],
            "--start: error: '2025-13-01' is not a real",
        ),
        (["run", "pre-summit", "--at", "soon"], "--at: error: 'soon' is not a date"),
        (
            ["run", "pre-summit", "--at", "2030-01-01"],
            "--at: error: 2030-01-01 is outside the simulated days 2025-09-01 to 2026-03-31",
        ),
        (["run", "no-such-scenario"], "no-such-scenario: error: no such file, nor a bundled"),
        (
            ["run", "busan"],
            "busan: error: no such file, nor a bundled scenario of that name; "
            "did you mean 'busan-deal'?",
        ),
        (["run", "missing.yaml"], "missing.yaml: error: file not found"),
        (
            ["run", "busan-deal", "--start", "2030-01-01"],
            "--start: error: the end date 2026-12-31 "
            "(the scenario's horizon) is before the start date 2030-01-01 (given)",
        ),
        (
            ["run", "busan-deal", "--end", "2020-01-01"],
            "--end: error: the end date 2020-01-01 (given) is before the start date "
            "2025-09-01 (the scenario's horizon)",
        ),
        (
            ["run", "busan-deal", "--start", "2025-10-01", "--end", "2025-09-30"],
            "--start and --end: error: the end date 2025-09-30 (given) is before the start "
            "date 2025-10-01 (given)",
        ),
        (
            ["run", "pre-summit", "--csv", "/nonexistent/dir/x.csv"],
            "tariffsim: error: cannot write /nonexistent/dir/x.csv: directory "
            "'/nonexistent/dir' does not exist",
        ),
        (
            ["run", "pre-summit", "--weights", "1999"],
            "--weights: error: no '1999' weights; available: 2017, 2024",
        ),
        (
            ["plot", "pre-summit", "-o", "chart.jpg"],
            "--output: error: 'chart.jpg' must end in .png, .svg or .pdf",
        ),
        (
            ["explain", "pre-summit", "--date", "2025-11-01", "--direction", "USCN"],
            "--direction: error: 'USCN' is not a direction; write it as IMPOSER-TARGET, "
            "one of: US-CN, CN-US",
        ),
        (
            ["explain", "pre-summit", "--date", "2025-11-01", "--product", "0000"],
            "--product: error: no product line matches '0000'",
        ),
    ],
)
def test_user_errors_exit_1_with_one_clear_line(capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 1
    assert err.splitlines()[0].startswith(message) and "Traceback" not in err


def test_explain_lists_layers_with_rules_and_sources(capsys):
    code, out, _ = run(capsys, "explain", "pre-summit", "--date", "2025-11-01")
    assert code == 0
    assert "us-threat-100" in out and "us-ieepa-reciprocal" in out and "suspended" in out
    assert "reciprocal-not-on-s232" in out and "t52" in out


def test_explain_one_product(capsys):
    code, out, _ = run(
        capsys,
        "explain",
        "busan-deal",
        "--date",
        "2025-11-10",
        "--product",
        "8517.13",
        "--direction",
        "US-CN",
    )
    assert code == 0
    assert "reciprocal-not-on-electronics" in out and "excluded by" in out


def test_plot_writes_a_png(capsys, tmp_path):
    out = tmp_path / "chart.png"
    code, _, _ = run(capsys, "plot", "pre-summit", "busan-deal", "-o", str(out))
    assert code == 0 and out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_schema_matches_the_committed_file(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    committed = json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text())
    assert json.loads(out) == committed, (
        "scenario.schema.json is stale: run `make schema` and commit it"
    )
    # the eight move kinds of the README, each with its own definition
    kinds = committed["properties"]["moves"]["items"]["discriminator"]["mapping"]
    assert sorted(kinds) == [
        "change_scope",
        "extend",
        "impose",
        "move_expiry",
        "revoke",
        "set_flag",
        "set_rate",
        "suspend",
    ]


def _modules_after(code: str) -> set[str]:
    probe = (
        f"import sys\n{code}\n"
        "print('MODULES:' + ','.join(m for m in ('pandas', 'matplotlib', 'numpy') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT / "tests",
    )
    line = out.stdout.strip().splitlines()[-1]
    return set(filter(None, line.removeprefix("MODULES:").split(",")))


def test_help_and_validate_stay_light():
    assert _modules_after("import tariffsim") == set()
    assert (
        _modules_after(
            "from tariffsim.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass"
        )
        == set()
    )
    # a bundled scenario has no warnings to look for: not even numpy is needed
    for command in ("validate", "show"):
        heavy = _modules_after(f"from tariffsim.cli import main\nmain([{command!r}, 'busan-deal'])")
        assert heavy == set(), command


def test_run_prints_and_writes_rates_without_pandas(tmp_path):
    # pandas is a third of a cold start: `run` (text, --at and --csv) never needs it
    csv = tmp_path / "rates.csv"
    heavy = _modules_after(
        "from tariffsim.cli import main\n"
        f"main(['run', 'history', '--csv', {str(csv)!r}])\n"
        "main(['run', 'pre-summit', '--at', '2025-11-10'])"
    )
    assert csv.read_text().startswith("date,imposer,target,headline_rate,effective_rate\n")
    assert not heavy & {"pandas", "matplotlib"}


def test_console_script_and_module_entry(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "tariffsim", "--version"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0 and out.stdout.startswith("tariffsim ")


OWN_BRANCH: set[tuple[str, str]] = set()  # (command, argument) allowed without help: none


def test_every_option_of_every_command_has_help():
    import argparse

    from tariffsim.cli.parser import build_parser

    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    listed = {choice.dest for choice in sub._choices_actions}
    assert listed == set(sub.choices), "a command without a line in `tariffsim --help`"
    missing = [
        f"{name} {action.option_strings or action.dest}"
        for name, command in sub.choices.items()
        for action in command._actions
        if not action.help and (name, action.dest) not in OWN_BRANCH
    ]
    assert missing == []
    assert all(a.help for a in parser._actions)
