"""The argument parser: every command, option and help text of `tariffsim`. Kept apart from
the commands so `--help` builds it without importing any of their work."""

from __future__ import annotations

import argparse

from tariffsim import __version__
from tariffsim.products import DEFAULT_WEIGHTS

EPILOG = """\
FILE is a scenario YAML file or the name of a bundled scenario (see `tariffsim list`).
Dates are YYYY-MM-DD; --start and --end are both included. Rates print in percent;
CSV output holds fractions (0.25 = 25%).

Outputs (--csv, -o) are checked before any work and written last, so a failed run leaves
the previous file alone. A regular file is replaced whole and keeps its mode; '-', a device
or a FIFO is written as a stream, never replaced; a symbolic link or an input scenario file
is refused. Exit status: 0 done, 1 error (one line each, no traceback), 2 usage,
130 interrupted (Ctrl-C), 143 terminated (SIGTERM); temporary files are removed on each.

examples:
  tariffsim run busan-deal
  tariffsim run pre-summit --at 2025-10-27 --at 2025-11-10
  tariffsim run history --csv rates.csv
  tariffsim explain busan-deal --date 2025-11-10
  tariffsim explain history --date 2025-05-01 --product 8517.13
  tariffsim plot pre-summit busan-deal -o busan.png
  tariffsim compare pre-summit busan-deal
"""


def _any_base(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-any-base",
        action="store_true",
        help="let `extends` name a file outside the scenario's folder "
        "(by default: bundled, beside or below it only)",
    )


def _horizon(p: argparse.ArgumentParser) -> None:
    """The options of every command that simulates a span of days."""
    p.add_argument("--start", metavar="DATE", help="first day (default: scenario horizon)")
    p.add_argument("--end", metavar="DATE", help="last day (default: scenario horizon)")
    p.add_argument(
        "--weights",
        default=DEFAULT_WEIGHTS,
        metavar="YEAR",
        help="base-year trade weights: 2024 (default) or 2017",
    )
    _any_base(p)


def build_parser() -> argparse.ArgumentParser:
    """`tariffsim`'s parser; building it imports nothing heavy."""
    parser = argparse.ArgumentParser(
        prog="tariffsim",
        description="US–China tariff and deadline scenario simulator.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"tariffsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", help="check scenario files; report every problem")
    p.add_argument("files", nargs="+", metavar="FILE")
    _any_base(p)

    p = sub.add_parser("run", help="simulate a scenario and print its rate path and events")
    p.add_argument("file", metavar="FILE")
    _horizon(p)
    p.add_argument(
        "--at",
        action="append",
        metavar="DATE",
        default=[],
        help="show rates on this day (repeatable)",
    )
    p.add_argument("--csv", metavar="PATH", help="write daily rates as CSV ('-' for stdout)")
    p.add_argument("--no-events", action="store_true", help="leave out the event log")
    p.add_argument(
        "--by",
        choices=["section"],
        help="effective rate by HS section (on --at days, else start and end)",
    )

    p = sub.add_parser("explain", help="every layer on one day: rate, rule, source")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--date", required=True, metavar="DATE")
    p.add_argument("--direction", metavar="US-CN", help="only this direction (imposer-target)")
    p.add_argument("--product", metavar="HS", help="one product line, e.g. 8517.13")
    p.add_argument("--weights", default=DEFAULT_WEIGHTS, metavar="YEAR")
    _any_base(p)
    p.add_argument(
        "--all",
        action="store_true",
        help="also list measures not in force that day (void, revoked, not yet...)",
    )

    p = sub.add_parser(
        "plot", help="chart one or more scenarios: rates, layers or sections (PNG, SVG, PDF)"
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="the chart file; its suffix (.png, .svg or .pdf) is the format written",
    )
    p.add_argument(
        "--kind",
        choices=["rates", "layers", "sections"],  # charts.figure.KINDS (not imported: light)
        default="rates",
        help="rates: headline and effective rates with events named (several scenarios: "
        "compared); layers: the effective rate stacked by measure; sections: the effective "
        "rate by HS section, a heatmap (default: rates)",
    )
    _horizon(p)

    p = sub.add_parser("compare", help="what differs between two scenarios, and why")
    p.add_argument("file_a", metavar="A")
    p.add_argument("file_b", metavar="B")
    _horizon(p)
    p.add_argument("--csv", metavar="PATH", help="write the compared rates as CSV ('-': stdout)")

    sub.add_parser("list", help="list the bundled scenarios")
    p = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    p.add_argument("--output", "-o", metavar="PATH", help="write it to a file instead")
    return parser
