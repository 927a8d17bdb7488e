"""The command line: the parser (parser), the commands (commands), what the process owes
its caller (process), option checks (options), text tables (render) and safe output files
(output)."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see `process.run`; 2 for a usage error,
    which argparse reports by raising SystemExit). The work is imported only here, so
    importing the package costs nothing."""
    from tariffsim.cli.commands import COMMANDS
    from tariffsim.cli.parser import build_parser
    from tariffsim.cli.process import run

    args = build_parser().parse_args(argv)
    return run(COMMANDS[args.command], args)
