"""The command line against hostile options and output paths (issue 13): every problem is one
clear message naming the option or path, exit 1, nothing printed to stdout, nothing written or
replaced, no temporary file left. Expected messages are written out by hand.

Device nodes are private `mknod` copies in a temporary folder (never the real /dev/null or
/dev/full); those cases, the immutable folder and the full tmpfs need root and skip otherwise.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tariffsim.cli import main, output
from tariffsim.cli.render import iso

ROOT = Path(__file__).resolve().parent.parent
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT_USER, reason="mknod, chattr and mount need root")

MINIMAL = """\
title: ok
horizon: {start: 2025-01-01, end: 2025-12-31}
references:
  - {id: r1, title: a reference}
measures:
  - {id: m1, name: M m1, imposer: US, target: CN, authority: test, rate: 25%,
     from: 2025-01-01, sources: [r1], headline: true, products: all}
"""
NO_MEASURES = "title: nothing\nhorizon: {start: 2025-01-01, end: 2025-12-31}\n"
NON_TARIFF_ONLY = """\
title: nt
horizon: {start: 2025-01-01, end: 2025-12-31}
references:
  - {id: r1, title: a reference}
measures:
  - {id: n1, name: Export controls, imposer: CN, target: US, type: non_tariff,
     authority: x, from: 2025-01-01, sources: [r1]}
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cli(*argv: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    """The real entry point in a fresh process (signals, closed or full stdout)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    return subprocess.run(
        [sys.executable, "-m", "tariffsim", *argv],
        cwd=cwd,
        env=env,
        capture_output="stdout" not in kw,
        timeout=120,
        **kw,
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -------------------------------------------------------------------- 1. option values


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["explain", "busan-deal", "--date", "xx"],
            "--date: error: 'xx' is not a date; write YYYY-MM-DD",
        ),
        (
            ["explain", "busan-deal", "--date", "2025-13-45"],
            "--date: error: '2025-13-45' is not a real date",
        ),
        (
            ["explain", "busan-deal", "--date", "2025-02-30"],
            "--date: error: '2025-02-30' is not a real date",
        ),
        (
            ["explain", "busan-deal", "--date", "2025-11-10", "--direction", "XX-YY"],
            "--direction: error: 'XX-YY' is not a direction here; the directions are: US-CN, CN-US",
        ),
        (
            ["explain", "busan-deal", "--date", "2025-11-10", "--direction", "us-jp"],
            "--direction: error: 'US-JP' is not a direction here; the directions are: US-CN, CN-US",
        ),
        (
            ["explain", "busan-deal", "--date", "2025-11-10", "--direction", "U-S-CN"],
            "--direction: error: 'U-S-CN' is not a direction; "
            "write it as IMPOSER-TARGET, one of: US-CN, CN-US",
        ),
        (
            ["explain", "busan-deal", "--date", "2025-11-10", "--product", "abc"],
            "--product: error: 'abc' is not an HS code: write 2 to 10 digits, dots allowed, "
            "e.g. 8517.13",
        ),
        (
            ["explain", "busan-deal", "--date", "2025-11-10", "--product", ""],
            "--product: error: '' is not an HS code: "
            "write 2 to 10 digits, dots allowed, e.g. 8517.13",
        ),
        (
            ["explain", "busan-deal", "--date", "2025-11-10", "--product", "８５１７"],
            "--product: error: '８５１７' is not an HS code: write 2 to 10 digits, dots allowed, "
            "e.g. 8517.13",
        ),
        (
            ["run", "busan-deal", "--csv", ""],
            "--csv: error: the path is empty: give a file name, or '-' for standard output",
        ),
        (
            ["compare", "pre-summit", "busan-deal", "--csv", " "],
            "--csv: error: the path is empty: give a file name, or '-' for standard output",
        ),
        (
            ["plot", "busan-deal", "-o", ""],
            "--output: error: the path is empty: give a file name, or '-' for standard output",
        ),
        (
            ["schema", "-o", ""],
            "--output: error: the path is empty: give a file name, or '-' for standard output",
        ),
        (
            ["run", "busan-deal", "--weights", "1999"],
            "--weights: error: no '1999' weights; available: 2017, 2024",
        ),
        (
            ["explain", "busan-deal", "--date", "2025-11-10", "--weights", "../../etc/passwd"],
            "--weights: error: no '../../etc/passwd' weights; available: 2017, 2024",
        ),
        (
            ["run", "busan-deal", "--at", "2025-11-10", "--at", "1990-01-01", "--at", "2030-01-01"],
            "--at: error: 1990-01-01, 2030-01-01 are outside the simulated days "
            "2025-09-01 to 2026-12-31",
        ),
        (
            ["run", "busan-deal", "--by", "section", "--at", "1990-01-01"],
            "--at: error: 1990-01-01 is outside the simulated days 2025-09-01 to 2026-12-31",
        ),
        (
            ["explain", "busan-deal", "--date", "1990-01-01"],
            "--date: error: 1990-01-01 is outside the simulated days 2025-09-01 to 2026-12-31",
        ),
        (
            ["run", "busan-deal", "--start", "2025-1-1"],
            "--start: error: '2025-1-1' is not a date; write YYYY-MM-DD",
        ),
        (
            ["plot", "busan-deal", "-o", "x.png", "--end", "31/12/2025"],
            "--end: error: '31/12/2025' is not a date; write YYYY-MM-DD",
        ),
        (
            ["plot", "busan-deal", "-o", "chart.jpg"],
            "--output: error: 'chart.jpg' must end in .png, .svg or .pdf",
        ),
    ],
)
def test_bad_option_is_one_line_naming_it(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith(message) and lines[1:] == ["1 problem found"]
    assert list(tmp_path.iterdir()) == []


def test_a_failing_run_leaves_the_previous_output_alone(capsys, tmp_path):
    keep = tmp_path / "keep.csv"
    keep.write_text("previous content\n")
    for argv in (
        ["run", "busan-deal", "--csv", str(keep), "--at", "1990-01-01"],
        ["run", "busan-deal", "--csv", str(keep), "--weights", "1999"],
        ["compare", "busan-deal", "pre-summit", "--csv", str(keep), "--end", "xx"],
    ):
        code, out, _ = run(capsys, *argv)
        assert code == 1 and out == ""
        assert keep.read_text() == "previous content\n"
    assert leftovers(tmp_path) == []


def test_dates_print_as_iso_whatever_the_year():
    assert iso(date(1, 1, 1)) == "0001-01-01"
    assert iso(date(999, 12, 31)) == "0999-12-31"
    assert iso(pd.Timestamp("2025-11-10")) == "2025-11-10"  # not 2025-11-10T00:00:00


def test_result_methods_turn_a_bad_day_into_a_scenario_error():
    from tariffsim import ScenarioError, simulate

    result = simulate("busan-deal")
    for call in (result.explain, result.at, result.by_section):
        with pytest.raises(ScenarioError) as caught:
            call("2025-02-30")
        assert str(caught.value).startswith("day: '2025-02-30' is not a real date")


def test_explain_with_a_valid_direction_and_product_still_works(capsys):
    code, out, err = run(
        capsys,
        "explain",
        "busan-deal",
        "--date",
        "2025-11-10",
        "--direction",
        "us→cn",
        "--product",
        "8517.13",
    )
    assert code == 0 and err == ""
    assert out.splitlines()[1] == "Layers on 2025-11-10"
    assert "CN→US" not in out and "US→CN 8517130000" in out


# -------------------------------------------------------------------- 2. no tariff measures


@pytest.mark.parametrize(
    ("argv", "verb"),
    [(["run"], "show"), (["run", "--by", "section"], "show"), (["plot", "-o", "x.png"], "plot")],
)
def test_no_tariff_measures_is_a_clear_error(capsys, tmp_path, monkeypatch, write_yaml, argv, verb):
    monkeypatch.chdir(tmp_path)
    for text, name in ((NO_MEASURES, "none.yaml"), (NON_TARIFF_ONLY, "nt.yaml")):
        path = write_yaml(text, name)
        code, out, err = run(capsys, argv[0], str(path), *argv[1:])
        assert (code, out) == (1, "")
        assert err.splitlines() == [
            f"{path}: error: the scenario has no tariff measures: there are no rates to {verb}",
            "1 problem found",
        ]
    assert not (tmp_path / "x.png").exists()


def test_explain_without_measures_says_so_and_lists_non_tariff_ones(capsys, write_yaml):
    path = write_yaml(NO_MEASURES)
    code, out, err = run(capsys, "explain", str(path), "--date", "2025-06-01")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{path}: error: the scenario has no measures: there is nothing to explain",
        "1 problem found",
    ]
    path = write_yaml(NON_TARIFF_ONLY, "nt.yaml")
    code, out, err = run(capsys, "explain", str(path), "--date", "2025-06-01")
    assert code == 0 and err == ""
    assert out.splitlines()[:4] == ["nt", "Layers on 2025-06-01", "", "CN→US"]
    assert out.splitlines()[5].split()[:3] == ["n1", "in", "force"]


# -------------------------------------------------------------------- 3. output paths


def test_missing_directory_and_directory_as_output(capsys, tmp_path):
    code, out, err = run(capsys, "run", "busan-deal", "--csv", str(tmp_path / "no" / "x.csv"))
    assert (code, out) == (1, "")
    assert err == (
        f"tariffsim: error: cannot write {tmp_path / 'no' / 'x.csv'}: directory "
        f"'{tmp_path / 'no'}' does not exist\n"
    )
    code, out, err = run(capsys, "plot", "busan-deal", "-o", str(tmp_path))
    assert code == 1 and "must end in .png, .svg or .pdf" in err
    (tmp_path / "d.png").mkdir()
    code, out, err = run(capsys, "plot", "busan-deal", "-o", str(tmp_path / "d.png"))
    assert (code, out) == (1, "")
    assert err == f"tariffsim: error: cannot write {tmp_path / 'd.png'}: it is a directory\n"


@pytest.fixture
def read_only_dir(tmp_path):
    """A folder nobody may write in: immutable for root (root ignores chmod), 0555 else."""
    folder = tmp_path / "ro"
    folder.mkdir()
    if ROOT_USER:
        if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode:
            pytest.skip("chattr +i not supported here")
    else:
        folder.chmod(0o555)
    yield folder
    if ROOT_USER:
        subprocess.run(["chattr", "-i", str(folder)], check=True)
    folder.chmod(0o755)


def test_read_only_directory_fails_before_the_work(capsys, read_only_dir, monkeypatch):
    import tariffsim.simulation

    def no_work(*a, **k):
        raise AssertionError("simulated before checking the output")

    monkeypatch.setattr(tariffsim.simulation, "simulate", no_work)
    target = read_only_dir / "x.csv"
    code, out, err = run(capsys, "run", "history", "--csv", str(target))
    why = os.strerror(1 if ROOT_USER else 13)  # EPERM (immutable) or EACCES
    assert (code, out, err) == (1, "", f"tariffsim: error: cannot write {target}: {why}\n")
    assert list(read_only_dir.iterdir()) == []


def test_output_that_is_an_input_scenario_is_refused(capsys, tmp_path, write_yaml):
    base = write_yaml(MINIMAL, "base.yaml")
    child = write_yaml("title: child\nextends: base.yaml\n", "child.yaml")
    before = base.read_bytes(), child.read_bytes()
    for argv, target in (
        (["run", str(child), "--csv", str(child)], child),
        (["run", str(child), "--csv", str(base)], base),
        (["plot", str(child), "-o", str(child)], child),
        (["compare", "busan-deal", str(child), "--csv", str(base)], base),
    ):
        code, out, err = run(capsys, *argv)
        assert (code, out) == (1, "")
        if argv[0] != "plot":
            assert err.endswith(f"cannot write {target}: it is the input scenario {target}\n")
    assert (base.read_bytes(), child.read_bytes()) == before


def test_symlink_at_the_output_path_is_refused_and_kept(capsys, tmp_path):
    target = tmp_path / "target.csv"
    target.write_text("original\n")
    link = tmp_path / "link.csv"
    link.symlink_to("target.csv")
    code, out, err = run(capsys, "run", "busan-deal", "--csv", str(link))
    assert (code, out) == (1, "")
    assert err == (
        f"tariffsim: error: cannot write {link}: it is a symbolic link; give the "
        "path of the file it points to\n"
    )
    assert link.is_symlink() and target.read_text() == "original\n"


def test_replaced_file_keeps_its_mode_and_new_file_follows_umask(capsys, tmp_path):
    old = tmp_path / "old.csv"
    old.write_text("x\n")
    old.chmod(0o640)
    code, _, _ = run(capsys, "run", "busan-deal", "--csv", str(old), "--no-events")
    assert code == 0 and stat.S_IMODE(old.stat().st_mode) == 0o640
    assert old.read_text().startswith("date,imposer,target,headline_rate,effective_rate\n")
    mask = os.umask(0o027)
    try:
        code, _, _ = run(capsys, "schema", "-o", str(tmp_path / "new.json"))
    finally:
        os.umask(mask)
    assert code == 0 and stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_fifo_is_written_as_a_stream_not_replaced(capsys, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    code, out, _ = run(
        capsys,
        "run",
        "busan-deal",
        "--csv",
        str(fifo),
        "--start",
        "2025-11-09",
        "--end",
        "2025-11-10",
        "--no-events",
    )
    reader.join(timeout=30)
    assert code == 0 and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got[0].decode().splitlines()[:2] == [
        "date,imposer,target,headline_rate,effective_rate",
        "2025-11-09,US,CN,0.550000,0.449942",
    ]  # README: US→CN 55.0 / 44.9 (US→CN first, as everywhere)
    assert out.endswith(f"wrote 4 daily rows to {fifo}\n")


@needs_root
def test_device_nodes_are_streams_never_replaced(capsys, tmp_path):
    null, full = tmp_path / "null.png", tmp_path / "full.csv"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    code, out, _ = run(capsys, "plot", "busan-deal", "-o", str(null))
    assert (code, out) == (0, f"wrote {null}\n") and stat.S_ISCHR(null.lstat().st_mode)
    code, out, err = run(capsys, "run", "busan-deal", "--csv", str(full))
    assert (code, out) == (1, "")
    assert err == f"tariffsim: error: cannot write {full}: No space left on device\n"
    assert stat.S_ISCHR(full.lstat().st_mode)
    assert leftovers(tmp_path) == []


@needs_root
def test_full_disk_is_one_line_and_leaves_no_temporary(capsys, tmp_path):
    small = tmp_path / "small"
    small.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)], capture_output=True
    ).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        code, out, err = run(capsys, "run", "history", "--csv", str(small / "x.csv"))
        assert (code, out) == (1, "")
        assert err == f"tariffsim: error: cannot write {small / 'x.csv'}: No space left on device\n"
        assert list(small.iterdir()) == []
    finally:
        subprocess.run(["umount", str(small)], check=True)


def test_file_size_limit_is_one_line_and_leaves_no_temporary(tmp_path):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, resource.RLIM_INFINITY))

    proc = cli("run", "history", "--csv", "big.csv", cwd=tmp_path, preexec_fn=limit)
    assert proc.returncode == 1 and proc.stdout == b""
    assert proc.stderr.decode() == "tariffsim: error: cannot write big.csv: File too large\n"
    assert list(tmp_path.iterdir()) == []


def test_closed_stdout_is_an_error_not_silence(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [
            "sh",
            "-c",
            f"exec 1>&-; exec '{sys.executable}' -m tariffsim run busan-deal --csv out.csv",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=False,
        stderr=subprocess.PIPE,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.decode() == (
        "tariffsim: error: cannot write standard output: it is closed\n"
    )
    assert list(tmp_path.iterdir()) == []


@needs_root
def test_full_stdout_is_one_line(tmp_path):
    full = tmp_path / "full"
    os.mknod(full, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    for argv in (["run", "busan-deal"], ["run", "busan-deal", "--csv", "-"], ["schema"]):
        with full.open("wb") as sink:
            proc = cli(*argv, cwd=tmp_path, stdout=sink, stderr=subprocess.PIPE)
        assert proc.returncode == 1
        assert proc.stderr.decode() == (
            "tariffsim: error: cannot write standard output: No space left on device\n"
        )


def test_stdout_write_error_in_process(capsys, monkeypatch):
    class Full:
        def write(self, text: str) -> int:
            raise OSError(28, os.strerror(28))

        def flush(self) -> None:
            pass

    monkeypatch.setattr(sys, "stdout", Full())
    assert main(["list"]) == 1
    assert capsys.readouterr().err == (
        "tariffsim: error: cannot write standard output: No space left on device\n"
    )


def test_ctrl_c_during_the_write_exits_130_and_cleans_up(capsys, tmp_path, monkeypatch):
    keep = tmp_path / "keep.csv"
    keep.write_text("previous\n")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", interrupted)
    code, out, err = run(capsys, "run", "busan-deal", "--csv", str(keep))
    assert (code, out, err) == (130, "", "tariffsim: interrupted\n")
    assert keep.read_text() == "previous\n" and leftovers(tmp_path) == []


def test_sigterm_during_the_write_exits_143_and_cleans_up(capsys, tmp_path, monkeypatch):
    def terminated(src, dst):
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)  # the handler raises long before this ends

    monkeypatch.setattr(output.os, "replace", terminated)
    previous = signal.getsignal(signal.SIGTERM)
    code, out, err = run(capsys, "run", "busan-deal", "--csv", str(tmp_path / "x.csv"))
    assert (code, out, err) == (143, "", "tariffsim: terminated\n")
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(signal.SIGTERM) is previous  # handler restored


def test_real_sigterm_in_a_fresh_process_leaves_no_temporary(tmp_path):
    """A child whose write stalls half-way gets a real SIGTERM from outside."""
    script = (
        "import time, tariffsim.cli.output as o\n"
        "real = o.os.replace\n"
        "def slow(a, b):\n    time.sleep(60)\n"
        "o.os.replace = slow\n"
        "from tariffsim.__main__ import entry_point\nentry_point()\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-c", script, "run", "busan-deal", "--csv", "x.csv"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 60
    while not [p for p in tmp_path.iterdir() if not p.name.endswith(".probe")]:
        assert time.time() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 143 and out == b""
    assert err.decode() == "tariffsim: terminated\n"
    assert list(tmp_path.iterdir()) == []


# -------------------------------------------------------------------- 4. reproducible charts


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_chart_bytes_do_not_depend_on_the_run(capsys, tmp_path, write_yaml, fmt):
    scenario = write_yaml(MINIMAL)
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    assert run(capsys, "plot", str(scenario), "-o", str(first))[0] == 0
    assert cli("plot", str(scenario), "-o", str(second), cwd=tmp_path).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    assert {"png": b"\x89PNG", "svg": b"<?xm", "pdf": b"%PDF"}[fmt] == first.read_bytes()[:4]


# -------------------------------------------------------------------- 5. long horizons


def test_plot_of_three_centuries_is_drawn_quickly(capsys, tmp_path):
    out = tmp_path / "long.png"
    started = time.perf_counter()
    code, text, err = run(
        capsys, "plot", "history", "--start", "1900-01-01", "--end", "2199-12-31", "-o", str(out)
    )
    assert (code, text, err) == (0, f"wrote {out}\n", "")
    assert time.perf_counter() - started < 8  # drawn from change points, not days
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_beyond_the_chartable_days_fails_at_once(capsys, tmp_path, write_yaml):
    out = tmp_path / "x.png"
    started = time.perf_counter()
    code, text, err = run(capsys, "plot", "history", "--end", "9999-12-31", "-o", str(out))
    assert (code, text) == (1, "") and err.startswith("--end: error: ")
    assert "9999-12-31" in err.splitlines()[0] and err.endswith("1 problem found\n")
    # a horizon in the file: refused by validation (date bounds) or, failing that, by the
    # chart's own check; either way at once and with the date named
    far = write_yaml(MINIMAL.replace("end: 2025-12-31", "end: 9999-12-31"), "far.yaml")
    code, text, err = run(capsys, "plot", str(far), "-o", str(out))
    assert (code, text) == (1, "") and "9999-12-31" in err and "Traceback" not in err
    assert time.perf_counter() - started < 3 and not out.exists()


# -------------------------------------------------------------------- 6. --allow-any-base


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{child}"],
        ["run", "{child}", "--no-events"],
        ["explain", "{child}", "--date", "2025-06-01"],
        ["plot", "{child}", "-o", "{tmp}/x.png"],
        ["compare", "busan-deal", "{child}"],
    ],
)
def test_base_outside_the_folder_needs_allow_any_base(capsys, tmp_path, write_yaml, argv):
    write_yaml(MINIMAL, "base.yaml")
    (tmp_path / "sub").mkdir()
    child = write_yaml("title: child\nextends: ../base.yaml\n", "sub/child.yaml")
    call = [a.replace("{child}", str(child)).replace("{tmp}", str(tmp_path)) for a in argv]
    code, out, err = run(capsys, *call)
    assert (code, out) == (1, "")
    assert err.startswith(f"{child}:2:") and "--allow-any-base" in err
    assert "Traceback" not in err and not (tmp_path / "x.png").exists()
    code, out, err = run(capsys, *call, "--allow-any-base")
    assert (code, err) == (0, "") and out
