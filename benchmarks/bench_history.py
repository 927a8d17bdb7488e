"""Benchmark of the full `history` scenario at product level, both directions (figures
printed, never asserted): time and peak memory, then scaling with 2x, 4x and 8x the product
lines and the change points. Targets: under 0.5 s after import, under 300 MB.

Threads: OMP/OpenBLAS/MKL set to 1 (here and in child processes).

Run: python benchmarks/bench_history.py  (or `make bench`)
"""

from __future__ import annotations

from timing import median_time, one_thread

one_thread()

import statistics  # noqa: E402
from datetime import timedelta  # noqa: E402

import numpy as np  # noqa: E402


def tiled(universe, k: int):
    """The same universe with every line repeated k times (codes kept, so scopes match)."""
    from tariffsim.products import ProductUniverse

    return ProductUniverse(
        universe.imposer,
        universe.target,
        np.tile(universe.codes, k),
        np.tile(universe.descriptions, k),
        np.tile(universe.values, k),
        np.tile(universe.mfn, k),
        universe.weights_label,
    )


def with_more_change_points(scenario, k: int):
    """`scenario` plus (k-1) x as many extra dated rate changes on a 0%-1% toggle measure."""
    from tariffsim.scenario.loading import scenario_from_dict

    base = scenario.spec
    n = len({d for tl in ts.simulate(scenario).state.timelines.values() for d in tl.change_days()})
    start, end = base.horizon.start, base.horizon.end
    step = (end - start).days // max(1, (k - 1) * n + 1)
    moves = [
        {
            "kind": "set_rate",
            "measure": "bench-toggle",
            "rate": f"{i % 2}%",
            "date": (start + timedelta(days=step * (i + 1))).isoformat(),
        }
        for i in range((k - 1) * n)
    ]
    toggle = {
        "id": "bench-toggle",
        "name": "benchmark toggle",
        "imposer": "US",
        "target": "CN",
        "authority": "benchmark",
        "rate": "0%",
        "from": start.isoformat(),
        "sources": ["t1"],
    }
    return scenario_from_dict(
        {
            "title": "history with more change points",
            "extends": "history",
            "measures": [toggle],
            "moves": moves,
        },
        "history-more",
    )


COLD = """
import time, sys
t0 = time.perf_counter()
import tariffsim as ts
import numpy, pandas, pydantic, yaml  # what tariffsim imports lazily
import tariffsim.engine.clock, tariffsim.tables.results, tariffsim.simulation
t1 = time.perf_counter()
if "memory" in sys.argv:
    import tracemalloc
    tracemalloc.start()
r = ts.simulate("history")
t2 = time.perf_counter()
if "memory" in sys.argv:
    print(tracemalloc.get_traced_memory()[1])
else:
    import resource
    print(t1 - t0, t2 - t1, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def cold(*args: str) -> list[float]:
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", COLD, *args], capture_output=True, text=True, check=True
    )
    return [float(x) for x in out.stdout.split()]


runs = [cold() for _ in range(3)]
t_import = statistics.median(r[0] for r in runs)
t_cold = statistics.median(r[1] for r in runs)
rss = max(r[2] for r in runs) / 1024
peak = cold("memory")[0] / 2**20
print(f"import tariffsim and its dependencies:           {1000 * t_import:7.1f} ms")
print(
    f"history, cold after import: load 4 files, read tables, run: {1000 * t_cold:6.1f} ms"
    "   target < 500 ms"
)
print(
    f"history, fresh process in all (the two lines above):        "
    f"{1000 * (t_import + t_cold):6.1f} ms"
)
import tariffsim as ts  # noqa: E402
from tariffsim.engine import clock as engine  # noqa: E402

scenario = ts.load_scenario("history")
result = ts.simulate(scenario)
lines = sum(len(d.universe) for d in result.directions)
print(
    f"history, warm simulate (median of 3):            "
    f"{1000 * median_time(lambda: ts.simulate(scenario)):7.1f} ms   "
    f"[{len(result.starts)} change points, {lines:,} product lines, "
    f"{len(scenario.spec.measures)} measures]"
)
print(
    f"history, warm + daily .rates and .layers:        "
    f"{1000 * median_time(lambda: (lambda r: (r.rates, r.layers))(ts.simulate(scenario))):7.1f}"
    f" ms   [{len(result.rates):,} + {len(result.layers):,} rows]"
)
print(f"peak Python/numpy allocations, cold run:         {peak:7.1f} MB   target < 300 MB")
print(f"peak resident set size of the cold process:      {rss:7.1f} MB")

print("\nscaling (warm simulate, median of 3):")
print(f"{'factor':>8}{'lines x k':>14}{'change points x k':>20}")
original = engine.load_universe
for k in (1, 2, 4, 8):
    cache = {}

    def load(imposer, target, weights="2024", k=k, cache=cache):
        key = (imposer, target, weights)
        if key not in cache:
            cache[key] = tiled(original(imposer, target, weights), k)
        return cache[key]

    engine.load_universe = load
    ts.simulate(scenario)
    t_lines = median_time(lambda: ts.simulate(scenario))
    engine.load_universe = original
    more = with_more_change_points(scenario, k)
    ts.simulate(more)
    t_points = median_time(lambda more=more: ts.simulate(more))
    print(
        f"{k:>7}x{1000 * t_lines:>11.1f} ms{1000 * t_points:>17.1f} ms"
        f"   [{lines * k:,} lines; {len(ts.simulate(more).starts):,} change points]"
    )
