"""`python -m tariffsim` and the `tariffsim` console script."""

from __future__ import annotations

import sys


def entry_point() -> None:
    from tariffsim.cli import main

    sys.exit(main())


if __name__ == "__main__":
    entry_point()
