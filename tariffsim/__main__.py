"""`python -m tariffsim` and the `tariffsim` console script."""

from __future__ import annotations

import contextlib
import os
import sys


def entry_point() -> None:
    from tariffsim.cli import main

    code = main()
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (OSError, ValueError):
        # stdout is gone (a closed pipe, a full device) and main has said so, or a reader
        # closed it early: point it at a sink so the exit-time flush adds no second message
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(code)


if __name__ == "__main__":
    entry_point()
