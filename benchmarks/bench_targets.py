"""The performance targets, each printed with PASS or MISS (figures printed, never asserted).

Targets (2-core machine):
  A. warm `simulate` of `history` (scenario loaded, product tables cached): median < 10 ms;
  B. a whole cold process `tariffsim run history --csv out.csv`, start to file written,
     through the venv's console script: median of 12 runs < 0.5 s;
  C. one measure with 10,000 dated set_rate moves: simulate < 0.2 s (load reported apart);
  D. cost linear in moves per measure (100 to 10,000 change points) and additive in product
     lines (the packaged universes tiled 1x to 16x, injected through `universes=`): the
     marginal cost per move / per line stays flat (largest step within 1.5x of a smaller one);
  and the earlier ones: a generated 200-measure scenario warm < 50 ms, cold `tariffsim
  validate busan-deal` < 0.4 s, `history` in a fresh process after import < 0.5 s and under
  300 MB of allocations.

Threads: OMP/OpenBLAS/MKL_NUM_THREADS are set to 1 before numpy is imported, here and in every
child process, and printed; section 6 reruns the simulations in child processes with the
variables unset and at 2, and compares their results with this process's.

Every timing is the median of repeated runs, printed with its IQR, min and max and the
number of runs: on a shared machine the spread says how far to trust the median. The load
average is printed at the start and end. About a minute in all.

Public API only (`import tariffsim as ts` and tariffsim.products.ProductUniverse), so the
script survives moves of internal modules.

Run: python benchmarks/bench_targets.py  (or `make bench`)
"""

from __future__ import annotations

import os
import sys

from timing import THREAD_VARS, Timings, children_cpu, one_thread

CHILD = "--results-to" in sys.argv  # section 6: a child run under other thread settings
if not CHILD:
    one_thread()  # before numpy is imported, anywhere

import json  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

from generated import engine_scenario, one_measure_moves, tiled  # noqa: E402

HERE = Path(__file__).resolve()
TIERS = (1, 2, 4, 8, 16)
MOVES = (100, 1_000, 3_000, 10_000)
COLD_RUNS = 12
LINEAR = 1.5  # largest marginal cost / a smaller one, above which growth is not linear
verdicts: list[tuple[str, bool]] = []


def verdict(name: str, ok: bool) -> str:
    verdicts.append((name, ok))
    return "PASS" if ok else "MISS"


def say(text: str = "") -> None:
    print(text, flush=True)


def header() -> None:
    import numpy as np
    import pandas as pd

    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    say(
        f"tariffsim benchmark targets: Python {sys.version.split()[0]}, numpy {np.__version__}, "
        f"pandas {pd.__version__}, {os.cpu_count()} CPUs, load average {load} (1/5/15 min)"
    )
    threads = " ".join(f"{v}={os.environ.get(v, 'unset')}" for v in THREAD_VARS)
    say(f"threads: {threads} (set before numpy is imported; every child process inherits them)")
    say(
        "timings: wall-clock median (IQR q1-q3, min, max; n runs; median CPU time): wall far\n"
        "  above CPU means the run waited for a core (other work on the machine)"
    )


# ---------------------------------------------------------------------------------- A
def warm_history(ts) -> None:
    say("\nA. warm simulate of `history`, both directions at product level")
    t0 = time.perf_counter()
    scenario = ts.load_scenario("history")
    t1 = time.perf_counter()
    result = ts.simulate(scenario)
    t2 = time.perf_counter()
    lines = sum(len(d.universe) for d in result.directions)
    say(f"  load_scenario('history'):                     {1000 * (t1 - t0):7.1f} ms  (first)")
    say(f"  first simulate (reads the product tables):    {1000 * (t2 - t1):7.1f} ms")
    warm = Timings.of(lambda: ts.simulate(scenario), 20, budget=1.0)
    say(
        f"  warm simulate(scenario):              {warm.ms()}   "
        f"target < 10 ms: {verdict('A  warm history simulate < 10 ms', warm.median < 0.010)}"
    )
    say(
        f"    [{len(result.starts)} change points, {lines:,} product lines, "
        f"{len(scenario.spec.measures)} measures]"
    )
    by_name = Timings.of(lambda: ts.simulate("history"), 10, budget=0.5)
    say(f"  warm simulate('history'), by name:    {by_name.ms()}   (loads the 4 files again)")
    tables = Timings.of(lambda: (lambda r: (r.rates, r.layers))(ts.simulate(scenario)), 5)
    say(
        f"  warm simulate + daily .rates, .layers: {tables.ms()}"
        f"   [{len(result.rates):,} + {len(result.layers):,} rows]"
    )


# ---------------------------------------------------------------------------------- B
FRESH = """
import resource, sys, time
t0 = time.perf_counter()
import tariffsim as ts
import numpy, pandas, pydantic, yaml
ts.simulate, ts.SimulationResult, ts.load_scenario  # the lazily imported API
t1 = time.perf_counter()
if "memory" in sys.argv:
    import tracemalloc
    tracemalloc.start()
ts.simulate("history")
t2 = time.perf_counter()
if "memory" in sys.argv:
    print(tracemalloc.get_traced_memory()[1])
else:
    print(t1 - t0, t2 - t1, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def cold_processes() -> None:
    import resource

    say(f"\nB. whole cold processes (subprocess, start to exit; median of {COLD_RUNS})")
    cli = Path(sys.executable).with_name("tariffsim")  # the venv's console script
    if not cli.exists():
        sys.exit(f"no console script {cli}: run `make install` first")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.csv"

        def run(*args: str) -> None:
            subprocess.run(args, cwd=tmp, check=True, stdout=subprocess.DEVNULL)

        def run_history() -> None:
            out.unlink(missing_ok=True)
            run(str(cli), "run", "history", "--csv", str(out))
            if not out.exists() or out.stat().st_size == 0:
                sys.exit("`tariffsim run history --csv` wrote no file")

        run_history()  # once untimed: page cache
        history = Timings.of(run_history, COLD_RUNS, cpu_clock=children_cpu)
        rows = out.read_text(encoding="utf-8").count("\n") - 1
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        floor = Timings.of(lambda: run(sys.executable, "-c", "pass"), 10, cpu_clock=children_cpu)
        imports = Timings.of(
            lambda: run(sys.executable, "-c", "import numpy, pandas, pydantic, yaml"),
            10,
            cpu_clock=children_cpu,
        )
        helps = Timings.of(lambda: run(str(cli), "--help"), 10, cpu_clock=children_cpu)
        validate = Timings.of(
            lambda: run(str(cli), "validate", "busan-deal"), 10, cpu_clock=children_cpu
        )
    say(f"  python -c pass (the interpreter alone): {floor.ms()}")
    say(f"  python -c 'import numpy, pandas, pydantic, yaml': {imports.ms()}")
    say(f"  tariffsim --help:                       {helps.ms()}")
    ok = validate.median < 0.4
    say(
        f"  tariffsim validate busan-deal:          {validate.ms()}   target < 400 ms: "
        f"{verdict('   cold `tariffsim validate busan-deal` < 0.4 s', ok)}"
    )
    ok = history.median < 0.5
    say(
        f"  tariffsim run history --csv out.csv:    {history.ms()}   target < 500 ms: "
        f"{verdict('B  cold `tariffsim run history --csv out.csv` < 0.5 s', ok)}"
    )
    say(f"    [{rows:,} rows written; peak resident set of these processes {rss:.0f} MB]")

    def fresh(*args: str) -> list[float]:
        cmd = [sys.executable, "-c", FRESH, *args]
        text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        return [float(x) for x in text.split()]

    runs = [fresh() for _ in range(3)]
    t_import = Timings(tuple(r[0] for r in runs))
    t_run = Timings(tuple(r[1] for r in runs))
    peak = fresh("memory")[0] / 2**20
    say("  in a fresh `python -c` (median of 3):")
    say(f"    import tariffsim, its API and dependencies: {t_import.ms()}")
    ok = t_run.median < 0.5
    say(
        f"    then simulate('history') (loads 4 files, reads tables, runs): {t_run.ms()}"
        f"   target < 500 ms: {verdict('   history after import, fresh process < 0.5 s', ok)}"
    )
    ok = peak < 300
    say(
        f"    peak Python/numpy allocations of that run: {peak:7.1f} MB   target < 300 MB: "
        f"{verdict('   history allocations < 300 MB', ok)}"
    )


# ---------------------------------------------------------------------------------- C
def moves_on_one_measure(ts, n: int, runs: int = 5) -> tuple[Timings, float, Timings, object]:
    """Load time (median of 3 loads), first simulate, warm simulate, and the result."""
    data = one_measure_moves(n)
    holder = []
    load = Timings.of(lambda: holder.append(ts.scenario_from_dict(data, f"moves-{n}")), 3)
    t0 = time.perf_counter()
    result = ts.simulate(holder[-1])
    first = time.perf_counter() - t0
    warm = Timings.of(lambda: ts.simulate(holder[-1]), runs, budget=1.0)
    return load, first, warm, result


def ten_thousand_moves(ts) -> dict:
    n = MOVES[-1]
    say(f"\nC. {n:,} set_rate moves on one measure (US→CN, every line; one move a day)")
    load, first, warm, result = moves_on_one_measure(ts, n)
    say(f"  load (scenario_from_dict: validate, cross-check): {load.ms()}")
    say(f"  first simulate after load:           {1000 * first:7.1f} ms")
    ok = warm.median < 0.2
    say(
        f"  simulate (product tables cached):    {warm.ms()}   target < 200 ms: "
        f"{verdict(f'C  {n:,} moves on one measure: simulate < 0.2 s', ok)}"
    )
    total = load.median + first
    say(
        f"  load + first simulate:               {1000 * total:7.1f} ms   "
        f"(< 200 ms: {'yes' if total < 0.2 else 'no'}; the target is read as simulate alone)"
    )
    say(f"    [{len(result.starts):,} change points]")
    return {n: (load, warm)}


# ---------------------------------------------------------------------------------- D
def marginal(cost: dict, size: dict, key, base) -> float:
    """Cost of each unit beyond `base`'s: flat across keys when cost grows linearly."""
    return (cost[key] - cost[base]) / (size[key] - size[base])


def scaling(ts, done: dict) -> None:
    import numpy as np

    say("\nD. scaling (warm simulate; the shape is judged on CPU time, which waiting for a")
    say("   core on a busy machine does not inflate)")
    say("  moves on one measure (as in C):")
    say(
        f"  {'moves':>8}{'change pts':>12}{'load':>11}{'simulate':>11}{'cpu':>11}"
        "   cpu per move beyond 100"
    )
    cpu, size = {}, {}
    for n in MOVES:
        if n in done:
            load, warm = done[n]
        else:
            load, _, warm, _ = moves_on_one_measure(ts, n)
        cpu[n], size[n] = warm.cpu_median, n
        beyond = f"{1e6 * marginal(cpu, size, n, MOVES[0]):8.1f} µs" if n > MOVES[0] else ""
        say(
            f"  {n:>8,}{n + 1:>12,}{1000 * load.median:>8.1f} ms{1000 * warm.median:>8.1f} ms"
            f"{1000 * warm.cpu_median:>8.1f} ms   {beyond}"
        )
    base, mid, top = MOVES[0], MOVES[1], MOVES[-1]
    ratio = marginal(cpu, size, top, base) / marginal(cpu, size, mid, base)
    say(
        f"  cost per move at {top:,} / at {mid:,}: {ratio:.2f} (linear: <= {LINEAR}): "
        f"{verdict('D  linear in moves per measure', ratio <= LINEAR)}"
    )

    say("  product lines: `history` with both packaged universes tiled k times")
    say(
        f"  {'k':>4}{'lines':>10}{'simulate':>11}{'cpu':>11}   cpu per 1,000 lines beyond 1x"
        "   rates as 1x"
    )
    scenario = ts.load_scenario("history")
    packaged = {
        (d.universe.imposer, d.universe.target): d.universe
        for d in ts.simulate(scenario).directions
    }
    reference = None
    cpu, size = {}, {}
    for k in TIERS:
        own = {key: tiled(u, k) for key, u in packaged.items()}
        result = ts.simulate(scenario, universes=own)  # first run: scope masks of the copies
        rates = result.rates[["headline_rate", "effective_rate"]].to_numpy()
        if reference is None:
            reference = rates
        same = np.allclose(rates, reference, rtol=0, atol=1e-12)
        warm = Timings.of(lambda own=own: ts.simulate(scenario, universes=own), 5, budget=1.0)
        cpu[k], size[k] = warm.cpu_median, sum(len(u) for u in own.values())
        beyond = f"{1e6 * 1000 * marginal(cpu, size, k, 1):8.1f} µs" if k > 1 else " " * 11
        say(
            f"  {k:>3}x{size[k]:>10,}{1000 * warm.median:>8.1f} ms{1000 * warm.cpu_median:>8.1f} ms"
            f"   {beyond}{'':>22}{'yes' if same else 'NO'}"
        )
        if not same:
            verdicts.append((f"   {k}x lines give the 1x rates", False))
    lo, hi = TIERS[2], TIERS[-1]
    ratio = marginal(cpu, size, hi, 1) / marginal(cpu, size, lo, 1)
    say(
        f"  cost per line at {hi}x / at {lo}x: {ratio:.2f} (additive: <= {LINEAR}): "
        f"{verdict('D  additive in product lines', ratio <= LINEAR)}"
    )


# ---------------------------------------------------------------------------------- E
def generated(ts) -> None:
    say("\nE. generated scenario: 200 measures, 1,000 moves, 10 exclusions, 10 years, both ways")
    data = engine_scenario()
    holder = []
    load = Timings.of(lambda: holder.append(ts.scenario_from_dict(data, "generated")), 3)
    scenario = holder[-1]
    t0 = time.perf_counter()
    result = ts.simulate(scenario)
    first = time.perf_counter() - t0
    warm = Timings.of(lambda: ts.simulate(scenario), 10, budget=1.0)
    tables = Timings.of(lambda: ts.simulate(scenario).rates, 3)
    say(f"  load (scenario_from_dict):           {load.ms()}")
    say(f"  first simulate:                      {1000 * first:7.1f} ms")
    ok = warm.median < 0.05
    say(
        f"  warm simulate:                       {warm.ms()}   target < 50 ms: "
        f"{verdict('   generated 200 measures, warm simulate < 50 ms', ok)}"
    )
    say(f"  warm simulate + daily .rates:        {tables.ms()}")
    lines = sum(len(d.universe) for d in result.directions)
    say(f"    [{len(result.starts):,} change points, {lines:,} product lines]")


# ---------------------------------------------------------------------------------- 6
def results_of(ts) -> dict:
    """Arrays whose equality across thread settings section 6 checks."""
    history = ts.simulate("history")
    moves = ts.simulate(ts.scenario_from_dict(one_measure_moves(MOVES[-1]), "moves"))
    generated = ts.simulate(ts.scenario_from_dict(engine_scenario(), "generated"))
    out = {}
    for name, r in (("history", history), ("moves", moves), ("generated", generated)):
        out[f"{name}-rates"] = r.rates[["headline_rate", "effective_rate"]].to_numpy()
    out["history-layers"] = history.layers[["rate", "coverage", "contribution"]].to_numpy()
    return out


def child(path: str) -> None:
    import numpy as np

    import tariffsim as ts

    np.savez(path, **results_of(ts))
    scenario = ts.load_scenario("history")
    warm = Timings.of(lambda: ts.simulate(scenario), 10, budget=0.5)
    print(json.dumps({"warm": warm.median}))


def thread_independence(ts) -> None:
    import numpy as np

    say("\n6. thread settings: the same simulations in child processes (history, C, E)")
    mine = results_of(ts)
    cells = sum(a.size for a in mine.values())
    for setting in ("unset", "2"):
        env = {k: v for k, v in os.environ.items() if k not in THREAD_VARS}
        if setting != "unset":
            env.update(dict.fromkeys(THREAD_VARS, setting))
        with tempfile.TemporaryDirectory() as tmp:
            path = str(Path(tmp) / "results.npz")
            cmd = [sys.executable, str(HERE), "--results-to", path]
            text = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
            theirs = dict(np.load(path))
        warm = json.loads(text)["warm"]
        same = theirs.keys() == mine.keys() and all(
            np.array_equal(theirs[k], mine[k], equal_nan=True) for k in mine
        )
        worst = max(float(np.nanmax(np.abs(theirs[k] - mine[k]), initial=0)) for k in mine)
        say(
            f"  threads {setting:<5}: {cells:,} result cells bit-identical to 1 thread: "
            f"{'yes' if same else f'NO (max |diff| {worst:.2e})'}; warm history "
            f"{1000 * warm:.1f} ms"
        )
        verdicts.append((f"   results identical with threads {setting}", same))


# ---------------------------------------------------------------------------------- F
def sampled_outlook(ts) -> None:
    """Sampled paths of the bundled outlook (two years, both directions, product level):
    time and peak Python/numpy memory per sample size; identical draws run once, so the cost
    follows the distinct paths drawn, not the sample size."""
    import tracemalloc

    say("\nF. sampled paths of nov-2025-outlook (2025-09-01 to 2027-08-31, both directions)")
    outlook = ts.load_scenario("nov-2025-outlook")
    ts.simulate(outlook)  # product tables read
    for n in (1_000, 10_000, 100_000, 1_000_000):
        tracemalloc.start()
        t0 = time.perf_counter()
        result = ts.simulate(outlook, paths=n, seed=1)
        result.quantiles  # noqa: B018 (the bands, timed with the run)
        took = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        distinct = len(result.paths)
        line = f"  {n:>9,} paths: {took:6.2f} s, peak {peak / 1e6:6.0f} MB ({distinct} distinct)"
        if n == 100_000:
            ok = took < 2.0 and peak < 1e9
            line += f"   target < 2 s, < 1 GB: {verdict('F  100,000 sampled outlook paths', ok)}"
        say(line)


# ---------------------------------------------------------------------------------- G
def trade_and_vintages(ts) -> None:
    """The import response and the as-of replay beside a plain run of `history`: warm in
    this process (a fresh simulate each time, so every cache that lives on a run is rebuilt
    as a user's would), then as whole cold processes of the command line."""
    say("\nG. post-substitution and as-of runs of `history`, beside a plain one")
    scenario = ts.load_scenario("history")
    ts.simulate(scenario).trade  # noqa: B018 (product tables read, pandas imported)
    plain = Timings.of(lambda: ts.simulate(scenario), 20, budget=1.0)
    flows = Timings.of(lambda: ts.simulate(scenario).flows, 20, budget=1.0)
    rates = Timings.of(lambda: ts.simulate(scenario).rates, 20, budget=1.0)
    trade = Timings.of(lambda: ts.simulate(scenario).trade, 20, budget=1.0)
    as_of = Timings.of(lambda: ts.simulate(scenario, as_of="2025-10-27"), 20, budget=1.0)
    say(f"  warm simulate:                        {plain.ms()}")
    ratio = flows.median / plain.median
    say(
        f"  warm simulate + import response:      {flows.ms()}   {ratio:.1f}x, target <= 2x: "
        f"{verdict('G  warm post-substitution run <= 2x a plain one', ratio <= 2.0)}"
    )
    say(f"  warm simulate + daily .rates table:   {rates.ms()}")
    say(
        f"  warm simulate + daily .trade table:   {trade.ms()}   "
        f"{trade.median / rates.median:.1f}x the .rates table"
    )
    ratio = as_of.median / plain.median
    say(
        f"  warm simulate(as_of='2025-10-27'):    {as_of.ms()}   {ratio:.2f}x, target <= 1x: "
        f"{verdict('G  warm as-of run no dearer than a plain one', ratio <= 1.0)}"
    )
    cold_trade_and_vintages()


def cold_trade_and_vintages() -> None:
    """`tariffsim run history --csv` plain, with --trade and with --as-of, cold."""
    cli = Path(sys.executable).with_name("tariffsim")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.csv"

        def timed(*flags: str) -> Timings:
            command = [str(cli), "run", "history", "--csv", str(out), *flags]
            subprocess.run(command, cwd=tmp, check=True, stdout=subprocess.DEVNULL)  # cache
            return Timings.of(
                lambda: subprocess.run(command, cwd=tmp, check=True, stdout=subprocess.DEVNULL),
                COLD_RUNS,
                cpu_clock=children_cpu,
            )

        plain, trade, as_of = timed(), timed("--trade"), timed("--as-of", "2025-10-27")
    say(f"  cold `run history --csv`:             {plain.ms()}")
    ratio = trade.median / plain.median
    say(
        f"  cold `run history --trade --csv`:     {trade.ms()}   {ratio:.1f}x, target <= 2x: "
        f"{verdict('G  cold post-substitution run <= 2x a plain one', ratio <= 2.0)}"
    )
    ratio = as_of.median / plain.median
    say(
        f"  cold `run history --as-of ... --csv`: {as_of.ms()}   {ratio:.2f}x, target <= 1x "
        f"(within 5%): {verdict('G  cold as-of run no dearer than a plain one', ratio <= 1.05)}"
    )


def main() -> None:
    if CHILD:
        child(sys.argv[sys.argv.index("--results-to") + 1])
        return
    started = time.perf_counter()
    header()
    t0 = time.perf_counter()
    import tariffsim as ts

    ts.simulate, ts.scenario_from_dict  # noqa: B018 (the lazily imported API, timed here)
    say(f"import tariffsim and its API (this process): {1000 * (time.perf_counter() - t0):.0f} ms")
    warm_history(ts)
    cold_processes()
    done = ten_thousand_moves(ts)
    scaling(ts, done)
    generated(ts)
    thread_independence(ts)
    sampled_outlook(ts)
    trade_and_vintages(ts)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    say(f"\nsummary ({time.perf_counter() - started:.0f} s in all; load average now {load}):")
    for name, ok in verdicts:
        say(f"  {'PASS' if ok else 'MISS'}  {name}")


if __name__ == "__main__":
    main()
