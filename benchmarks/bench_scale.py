"""How costs grow with the number of measures, moves and same-day triggers (figures printed,
never asserted). Issue 13 asks for near-linear growth in each.

Each line is a generated scenario written to a temporary YAML file, then timed:
- validate: `load_scenario` in this process (parse, pydantic, cross-reference checks);
- simulate: warm `simulate` in this process, median of 3 after a first run;
- cold run: a fresh `python -m tariffsim run FILE --no-events`, median of 3 (imports, load,
  run and the printed table: what a user waits for).

Threads: OMP/OpenBLAS/MKL are set to 1 thread here and in every child process, so figures do
not depend on how many cores are free.

Run: python benchmarks/bench_scale.py [--quick]   (--quick: one cold run, smaller sizes)
"""

from __future__ import annotations

from timing import median_time, one_thread

one_thread()

import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

START = date(2018, 1, 1)
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._%-]*\Z")  # needs no quotes in flow YAML
REFS = [{"id": "gen", "title": "generated"}]
CHAPTERS = [f"{n:02d}" for n in range(1, 98) if n != 77]


def _day(offset: int) -> str:
    return (START + timedelta(days=offset)).isoformat()


def _measure(i: int, rnd: random.Random, start_days: int, **extra: object) -> dict:
    imposer, target = ("US", "CN") if i % 2 == 0 else ("CN", "US")
    scope: object = "all" if i % 10 == 0 else {"hs": rnd.sample(CHAPTERS, rnd.randint(1, 4))}
    return {
        "id": f"m{i}",
        "name": f"measure {i}",
        "imposer": imposer,
        "target": target,
        "authority": "generated",
        "products": scope,
        "rate": f"{rnd.choice([1, 5, 7.5, 10, 25])}%",
        "from": _day(rnd.randrange(start_days)),
        "headline": i % 10 == 0,
        "sources": ["gen"],
        **extra,
    }


def measures_scenario(n: int, days: int) -> dict:
    """`n` measures starting on `days` distinct days (so about `days` change points)."""
    rnd = random.Random(n)
    return {
        "title": f"{n} measures",
        "references": REFS,
        "horizon": {"start": _day(0), "end": _day(3650)},
        "measures": [_measure(i, rnd, days) for i in range(n)],
    }


def moves_scenario(n: int, n_measures: int = 200) -> dict:
    """`n_measures` measures and `n` dated moves over ten years."""
    rnd = random.Random(n)
    moves: list[dict] = []
    used: set[tuple[str, int]] = set()
    while len(moves) < n:
        measure, when = f"m{rnd.randrange(n_measures)}", rnd.randrange(3650)
        kind = rnd.choice(["set_rate", "set_rate", "suspend", "revoke", "impose"])
        if (measure, when) in used:  # two moves on one measure and day are an error
            continue
        used.add((measure, when))
        if kind == "suspend":
            moves.append(
                {
                    "id": f"s{len(moves)}",
                    "kind": "suspend",
                    "measure": measure,
                    "from": _day(when),
                    "until": _day(when + rnd.randint(30, 400)),
                    "rate": "0%",
                }
            )
            continue
        move = {"kind": kind, "measure": measure, "date": _day(when)}
        if kind != "revoke":
            move["rate"] = f"{rnd.choice([0, 10, 20, 34, 100])}%"
        moves.append(move)
    return {
        "title": f"{n} moves",
        "references": REFS,
        "horizon": {"start": _day(0), "end": _day(3650)},
        "measures": [_measure(i, rnd, 3000) for i in range(n_measures)],
        "moves": moves,
    }


def triggers_scenario(n: int) -> dict:
    """`n` triggers on one day in a chain: trigger i fires on the flag trigger i-1 sets and
    imposes a threatened 0.01% measure. Ids run against the chain, so the dependency order
    (not the id order) decides; the headline ends at n x 0.01%."""
    trig_day = _day(400)
    measures = [
        {
            "id": f"m{i}",
            "name": f"threat {i}",
            "imposer": "US",
            "target": "CN",
            "authority": "generated",
            "products": "all",
            "rate": "0.01%",
            "from": trig_day,
            "status": "threatened",
            "headline": True,
            "sources": ["gen"],
        }
        for i in range(n)
    ]
    triggers = []
    for i in range(n):
        trig = {
            "id": f"t{n - i:05d}",
            "date": trig_day,
            "description": f"link {i}",
            "then": [{"kind": "set_flag", "flag": f"f{i}"}, {"kind": "impose", "measure": f"m{i}"}],
            "sources": ["gen"],
        }
        if i:
            trig["if"] = {"flag": f"f{i - 1}"}
        triggers.append(trig)
    return {
        "title": f"{n} same-day triggers",
        "references": REFS,
        "horizon": {"start": _day(0), "end": _day(800)},
        "flags": [{"id": f"f{i}", "description": "link"} for i in range(n)],
        "measures": measures,
        "triggers": triggers,
    }


def flow_yaml(data: dict) -> str:
    """Compact YAML: top-level lists one flow item a line (JSON would pass the 2 MB file limit
    at 10,000 measures)."""

    def flow(value: object) -> str:
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(flow(v) for v in value) + "]"
        if isinstance(value, bool):
            return "true" if value else "false"
        text = str(value)
        return text if _PLAIN.match(text) else json.dumps(text)

    lines = []
    for key, value in data.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(f"  - {flow(item)}" for item in value)
        else:
            lines.append(f"{key}: {flow(value)}")
    return "\n".join(lines) + "\n"


def line(label: str, data: dict, folder: Path, cold_repeat: int) -> None:
    import tariffsim as ts

    path = folder / f"{label.replace(' ', '-')}.yaml"
    path.write_text(flow_yaml(data), encoding="utf-8")
    t0 = time.perf_counter()
    scenario = ts.load_scenario(path)
    t_load = time.perf_counter() - t0
    result = ts.simulate(scenario)
    _ = result.changes
    t_sim = median_time(lambda: ts.simulate(scenario).changes, 3)
    cmd = [sys.executable, "-m", "tariffsim", "run", str(path), "--no-events"]
    t_cold = median_time(lambda: subprocess.run(cmd, check=True, capture_output=True), cold_repeat)
    cells = sum(d.rates.size for d in result.directions)
    print(
        f"  {label:<28}{1000 * t_load:9.0f} ms{1000 * t_sim:10.0f} ms{t_cold:10.2f} s"
        f"   [{len(result.starts):,} change points, {cells:,} layer cells]",
        flush=True,
    )


def main() -> None:
    quick = "--quick" in sys.argv
    cold_repeat = 1 if quick else 3
    sizes = (500, 1000, 2000) if quick else (1250, 2500, 5000, 10000)
    print(
        "threads: OMP/OPENBLAS/MKL_NUM_THREADS=1; simulate = warm median of 3; "
        f"cold run = fresh process, median of {cold_repeat}"
    )
    print(f"  {'scenario':<28}{'validate':>12}{'simulate':>13}{'cold run':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print("measures (on 100 distinct start days: change points fixed):")
        for n in sizes:
            line(f"{n} measures", measures_scenario(n, 100), folder, cold_repeat)
        print("measures (random start days over 8 years: change points grow too):")
        for n in sizes:
            line(f"{n} measures, own days", measures_scenario(n, 2920), folder, cold_repeat)
        print("moves (200 measures over 10 years):")
        for n in (s // 2 for s in sizes):
            line(f"{n} moves", moves_scenario(n), folder, cold_repeat)
        print("same-day triggers (a dependency chain against id order):")
        for n in (s // 5 for s in sizes):
            line(f"{n} triggers", triggers_scenario(n), folder, cold_repeat)


if __name__ == "__main__":
    main()
