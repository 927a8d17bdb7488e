"""What the benchmark scripts share: one BLAS thread, and the median of repeated timings."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def one_thread() -> None:
    """Hold BLAS and OpenMP to one thread, here and in child processes (call before numpy is
    imported): small matrix products through threaded BLAS vary tenfold on a busy machine."""
    for var in THREAD_VARS:
        os.environ[var] = "1"


def median_time(fn: Callable[[], object], repeat: int = 3) -> float:
    """Median wall time of `repeat` calls, in seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)
