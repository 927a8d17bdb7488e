"""The command line: parsing and commands (commands), option checks (options), text tables
(render) and safe output files (output)."""

from __future__ import annotations

from typing import Any


def main(argv: Any = None) -> int:
    """Run the command line (the work is imported only when a command runs)."""
    from tariffsim.cli.commands import main as run

    return run(argv)
