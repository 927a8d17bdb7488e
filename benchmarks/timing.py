"""What the benchmark scripts share: one BLAS thread, and repeated timings summarised by their
median (with the spread, so that a figure taken on a busy machine shows it)."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def one_thread() -> None:
    """Hold BLAS and OpenMP to one thread, here and in child processes (call before numpy is
    imported): small matrix products through threaded BLAS vary tenfold on a busy machine."""
    for var in THREAD_VARS:
        os.environ[var] = "1"


def median_time(fn: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time of `repeat` calls, in seconds."""
    return Timings.of(fn, repeat).median


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished child processes."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Timings:
    """Wall times of repeated runs, in seconds, and the CPU seconds they used: on a shared
    machine, wall time well above CPU time means the runs waited for a core."""

    times: tuple[float, ...]
    cpu: tuple[float, ...] = ()

    @classmethod
    def of(
        cls,
        fn: Callable[[], object],
        runs: int = 5,
        *,
        budget: float = 0.0,
        max_runs: int = 200,
        cpu_clock: Callable[[], float] = time.process_time,
    ) -> Timings:
        """Time at least `runs` calls of `fn`, and more (up to `max_runs`) while the calls
        so far took less than `budget` seconds in all. `cpu_clock`: this process's CPU time,
        or `children_cpu` when `fn` runs a child process."""
        times: list[float] = []
        cpu: list[float] = []
        while len(times) < runs or (sum(times) < budget and len(times) < max_runs):
            c0, t0 = cpu_clock(), time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
            cpu.append(cpu_clock() - c0)
        return cls(tuple(times), tuple(cpu))

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def iqr(self) -> tuple[float, float]:
        """First and third quartiles (both the median when there are fewer than 4 runs)."""
        if len(self.times) < 4:
            return self.median, self.median
        q = statistics.quantiles(self.times, n=4)
        return q[0], q[2]

    def ms(self) -> str:
        """'12.3 ms (IQR 12.0-12.9, min 11.8, max 14.1; n=50; cpu 11.9)'."""
        q1, q3 = self.iqr
        cpu = f"; cpu {1000 * self.cpu_median:.1f}" if self.cpu else ""
        return (
            f"{1000 * self.median:7.1f} ms  (IQR {1000 * q1:.1f}-{1000 * q3:.1f}, "
            f"min {1000 * min(self.times):.1f}, max {1000 * max(self.times):.1f}; "
            f"n={len(self.times)}{cpu})"
        )
