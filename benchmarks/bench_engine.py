"""Benchmarks of the engine (figures printed, never asserted).

1. A generated scenario of 200 measures and 1,000 moves over 10 years, both directions at
   product level: validation, then simulation (first run loads the packaged universes; the
   target, under 50 ms after import, is for the warm run), then the daily tables.
2. The cold start of `tariffsim validate` on a bundled scenario (target under 0.4 s).

Threads: OMP/OpenBLAS/MKL set to 1 (here and in child processes).

Run: python benchmarks/bench_engine.py  (or `make bench`)
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta

N_MEASURES, N_MOVES, YEARS = 200, 1000, 10
START = date(2016, 1, 1)


def generated_scenario(seed: int = 7) -> dict:
    rnd = random.Random(seed)
    chapters = [f"{n:02d}" for n in range(1, 98) if n != 77]
    span = YEARS * 365

    def day() -> str:
        return (START + timedelta(days=rnd.randrange(span))).isoformat()

    measures = []
    for i in range(N_MEASURES):
        imposer, target = ("US", "CN") if i % 2 == 0 else ("CN", "US")
        scope: object = "all" if i % 10 == 0 else {"hs": rnd.sample(chapters, rnd.randint(1, 8))}
        measures.append(
            {
                "id": f"m{i}",
                "name": f"measure {i}",
                "imposer": imposer,
                "target": target,
                "authority": "generated",
                "products": scope,
                "rate": f"{rnd.choice([5, 7.5, 10, 15, 25, 50])}%",
                "from": day(),
                "headline": i % 10 == 0,
                "sources": ["gen"],
            }
        )
    moves, used = [], set()
    while len(moves) < N_MOVES:
        target, when = f"m{rnd.randrange(N_MEASURES)}", day()
        kind = rnd.choice(["set_rate", "set_rate", "suspend", "revoke", "impose"])
        if kind == "suspend":
            until = (date.fromisoformat(when) + timedelta(days=rnd.randint(30, 400))).isoformat()
            moves.append(
                {
                    "id": f"s{len(moves)}",
                    "kind": "suspend",
                    "measure": target,
                    "from": when,
                    "until": until,
                    "rate": "0%",
                }
            )
            continue
        if (target, when) in used:
            continue
        used.add((target, when))
        move = {"kind": kind, "measure": target, "date": when}
        if kind != "revoke":
            move["rate"] = f"{rnd.choice([0, 10, 20, 34, 100])}%"
        moves.append(move)
    rules = [
        {
            "id": f"r{i}",
            "measure": f"m{2 * i}",
            "description": "generated exclusion",
            "not_where": [f"m{2 * i + 2}"],
        }
        for i in range(10)
    ]
    return {
        "title": "generated benchmark",
        "references": [{"id": "gen", "title": "generated"}],
        "horizon": {
            "start": START.isoformat(),
            "end": (START + timedelta(days=span - 1)).isoformat(),
        },
        "measures": measures,
        "moves": moves,
        "stacking": rules,
    }


def timed(fn, repeat: int = 1):
    times, value = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return value, times


def main() -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"  # one BLAS thread, here and in child processes (before numpy)
    t0 = time.perf_counter()
    import tariffsim as ts
    from tariffsim.scenario.loading import scenario_from_dict

    print(f"import tariffsim and its loader:        {1000 * (time.perf_counter() - t0):7.1f} ms")
    data = generated_scenario()
    scenario, t = timed(lambda: scenario_from_dict(data, "generated"))
    print(f"validate {N_MEASURES} measures, {N_MOVES} moves:      {1000 * t[0]:7.1f} ms")
    result, t = timed(lambda: ts.simulate(scenario))
    print(f"simulate, first run (loads universes):   {1000 * t[0]:7.1f} ms")
    result, t = timed(lambda: ts.simulate(scenario), repeat=5)
    print(
        f"simulate, warm (median of 5):            {1000 * statistics.median(t):7.1f} ms"
        f"   target < 50 ms   [{len(result.starts)} change points, "
        f"{sum(len(d.universe) for d in result.directions):,} product lines]"
    )
    _, t = timed(lambda: ts.simulate(scenario).rates, repeat=3)
    print(
        f"simulate + daily .rates (median of 3):   {1000 * statistics.median(t):7.1f} ms"
        f"   [{len(result.rates):,} rows]"
    )

    cmd = [sys.executable, "-m", "tariffsim", "validate", "busan-deal"]
    _, t = timed(lambda: subprocess.run(cmd, check=True, capture_output=True), repeat=5)
    print(
        f"cold start `tariffsim validate busan-deal` (median of 5): "
        f"{1000 * statistics.median(t):6.0f} ms   target < 400 ms"
    )
    cmd = [sys.executable, "-m", "tariffsim", "--help"]
    _, t = timed(lambda: subprocess.run(cmd, check=True, capture_output=True), repeat=5)
    print(
        f"cold start `tariffsim --help` (median of 5):              "
        f"{1000 * statistics.median(t):6.0f} ms"
    )


if __name__ == "__main__":
    main()
