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
  tariffsim report pre-summit busan-deal -o report.html
  tariffsim show busan-deal --only moves
  tariffsim new my-deal --from busan-deal
"""


def _any_base(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--allow-any-base",
        action="store_true",
        help="let `extends` name a file outside the scenario's folder "
        "(by default: bundled, beside or below it only)",
    )


PLOT_EXAMPLES = """\
examples:
  tariffsim plot busan-deal -o busan.png
  tariffsim plot busan-deal --kind trade -o trade.png
  tariffsim plot nov-2025-outlook --kind trade -o trade-outlook.png
  tariffsim plot history --kind vintages --as-of 2025-04-03 --as-of 2025-10-27 -o v.png
  tariffsim plot history --as-of 2025-10-27 --start 2025-06-01 -o as-known.png
"""
PLOT_KINDS = ["rates", "layers", "sections", "attribution", "fan", "trade", "vintages"]
SHOW_KINDS = ("measures", "moves", "triggers", "stacking", "sets", "flags", "sources")
FILE_HELP = "a scenario YAML file, a bundled scenario's name (tariffsim list), or '-' for stdin"


def _weights(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--weights",
        default=DEFAULT_WEIGHTS,
        metavar="YEAR",
        help="base-year trade weights: 2024 (default) or 2017",
    )


def _files_to_one_output(p: argparse.ArgumentParser, files: str, output: str) -> None:
    """Scenarios in, one file out (plot, report)."""
    p.add_argument(
        "files", nargs="+", metavar="FILE", help=f"scenario files or bundled names ({files})"
    )
    p.add_argument("-o", "--output", required=True, metavar="PATH", help=output)


def _sampling(p: argparse.ArgumentParser) -> None:
    """How a scenario with branches or uncertain dates is run: exactly, or sampled."""
    p.add_argument(
        "--paths",
        metavar="N",
        help="branches or uncertain dates: sample N paths (default: every path, exactly; "
        "a date drawn from a window needs a sample)",
    )
    p.add_argument(
        "--seed", type=int, metavar="S", help="the seed of --paths sampling (same seed, same bytes)"
    )


def _explained_day(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--date",
        metavar="DAY",
        help=f"{what} (default: the last day both scenarios describe)",
    )


def _as_of(p: argparse.ArgumentParser, help_text: str) -> None:
    """--as-of DATE, collected as a list: each command says how many days it takes."""
    p.add_argument("--as-of", action="append", default=[], metavar="DATE", help=help_text)


def _horizon(p: argparse.ArgumentParser) -> None:
    """The options of every command that simulates a span of days."""
    p.add_argument("--start", metavar="DATE", help="first day (default: scenario horizon)")
    p.add_argument("--end", metavar="DATE", help="last day (default: scenario horizon)")
    _weights(p)
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
    sub = parser.add_subparsers(
        dest="command",
        metavar="COMMAND",
        required=True,
        help="the command (`tariffsim COMMAND --help` for its options):",
    )

    p = sub.add_parser("validate", help="check scenario files; report every problem")
    p.add_argument("files", nargs="+", metavar="FILE", help=f"{FILE_HELP} (one or more)")
    _any_base(p)

    p = sub.add_parser("run", help="simulate a scenario and print its rate path and events")
    p.add_argument("file", metavar="FILE", help=FILE_HELP)
    _horizon(p)
    p.add_argument(
        "--at",
        action="append",
        metavar="DATE",
        default=[],
        help="show rates on this day (repeatable)",
    )
    p.add_argument("--csv", metavar="PATH", help="write daily rates as CSV ('-' for stdout)")
    p.add_argument(
        "--quantiles",
        metavar="PATH",
        help="write the 5/25/50/75/95%% quantiles of the rates over the scenario's "
        "branches as CSV: date, imposer, target, quantile, headline_rate, effective_rate "
        "('-' for stdout); a scenario without branches is one certain path, so every "
        "quantile is its rate",
    )
    p.add_argument("--no-events", action="store_true", help="leave out the event log")
    _as_of(
        p,
        "the scenario as it was known on this day: measures, moves and triggers "
        "announced later are left out; known threats and deadlines play out (once; "
        "`plot --kind vintages` compares several days)",
    )
    p.add_argument(
        "--trade",
        action="store_true",
        help="show imports and duty revenue (imports answering duty with the scenario's "
        "elasticities); --csv then writes the daily trade table and --quantiles its bands",
    )
    _sampling(p)
    p.add_argument(
        "--by",
        choices=["section"],
        help="effective rate by HS section (on --at days, else start and end)",
    )

    p = sub.add_parser("explain", help="every layer on one day: rate, rule, source")
    p.add_argument("file", metavar="FILE", help=FILE_HELP)
    p.add_argument("--date", required=True, metavar="DATE", help="the day to explain (required)")
    p.add_argument("--direction", metavar="US-CN", help="only this direction (imposer-target)")
    p.add_argument("--product", metavar="HS", help="one product line or HS prefix, e.g. 8517.13")
    _weights(p)
    _any_base(p)
    p.add_argument(
        "--all",
        action="store_true",
        help="also list measures not in force that day (void, revoked, not yet...)",
    )

    p = sub.add_parser(
        "plot",
        help="chart scenarios: rates, layers, sections, attribution, fan, trade or vintages "
        "(PNG, SVG, PDF)",
        epilog=PLOT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _files_to_one_output(
        p,
        "attribution: two, A then B",
        "the chart file; its suffix (.png, .svg or .pdf) is the format written",
    )
    p.add_argument(
        "--kind",
        choices=PLOT_KINDS,  # charts.figure.KINDS, written out so --help stays light
        default="rates",
        help="rates: headline and effective rates with events named (several scenarios: "
        "compared); layers: the effective rate stacked by measure; sections: the effective "
        "rate by HS section, a heatmap; attribution: a waterfall of what moves A's "
        "effective rate to B's on --date; fan: the expected headline rate with the ranges "
        "that hold 50%% and 90%% of the probability over the scenario's branches, each "
        "branch faint; trade: imports (base-year level and after the response to tariffs) "
        "and duty revenue (before and after substitution) in US$ billion a year, a row per "
        "direction, bands for a scenario with branches; vintages: the headline rate as "
        "known on each --as-of day against the full scenario (default: rates)",
    )
    _as_of(
        p,
        "draw the scenarios as they were known that day (anything announced later left "
        "out), for any kind; with --kind vintages repeatable, a line per day against the "
        "full scenario (without --as-of: of the days on which something was announced "
        "ahead of taking effect, the six whose news moved the path most)",
    )
    _explained_day(p, "attribution: the day explained")
    _sampling(p)
    _horizon(p)

    p = sub.add_parser(
        "report",
        help="one self-contained HTML report: charts, rates at key dates, trade and revenue, "
        "events, attribution",
        description="Write one HTML file that opens offline: each scenario's charts (rates, "
        "layers, sections), its rates at key dates, its trade and revenue (imports and duty "
        "before and after substitution, in US$ billion a year, on key days) and its event "
        "log with sources as links; with two scenarios, what moves the first one's rates to "
        "the second's.",
    )
    _files_to_one_output(
        p,
        "two: also compared, A then B",
        "the report file (.html), or '-' for standard output",
    )
    _explained_day(p, "two scenarios: the day attributed")
    _horizon(p)
    _as_of(p, "the scenarios as they were known on this day (anything announced later left out)")

    p = sub.add_parser(
        "compare",
        help="what differs between two scenarios, how much each measure adds, and why",
        description="Compare scenario B with scenario A over one span of days: the rules "
        "that differ, both rate paths, each measure's part of B minus A on one day (the "
        "parts add up to the difference), and the events that happen in one only.",
    )
    p.add_argument("file_a", metavar="A", help="the scenario compared from (FILE or bundled name)")
    p.add_argument("file_b", metavar="B", help="the scenario compared with A (B minus A)")
    _horizon(p)
    p.add_argument(
        "--date",
        metavar="DATE",
        help="the day on which to split the difference by measure (default: the last day "
        "both scenarios' horizons cover, e.g. 2026-03-31 for pre-summit and busan-deal)",
    )
    p.add_argument(
        "--csv",
        metavar="PATH",
        help="write both rate paths as CSV, a row per direction and day of the compared "
        "days, as `run --csv` does: date, imposer, target, headline_a, headline_b, "
        "headline_diff, effective_a, effective_b, effective_diff ('-': stdout)",
    )

    sub.add_parser("list", help="list the bundled scenarios")

    p = sub.add_parser("new", help="write a starter scenario file that extends SCENARIO")
    p.add_argument(
        "name",
        metavar="NAME",
        help="the new scenario: written to NAME.yaml (a NAME ending in .yaml is kept)",
    )
    p.add_argument(
        "--from",
        dest="base",
        required=True,
        metavar="SCENARIO",
        help="the scenario it extends: a bundled name, or a file in the new file's folder "
        "or below (required)",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write it here instead ('-': standard output); an existing file is never replaced",
    )
    p.add_argument("--title", help="its title (default: 'NAME, a variant of SCENARIO')")
    _any_base(p)

    p = sub.add_parser(
        "show",
        help="list a scenario's items with their ids: measures, moves, triggers, sources...",
    )
    p.add_argument("file", metavar="FILE", help=FILE_HELP)
    p.add_argument(
        "--only",
        action="append",
        choices=SHOW_KINDS,
        metavar="KIND",
        help=f"only these items (repeatable): {', '.join(SHOW_KINDS)}",
    )
    _any_base(p)
    p = sub.add_parser("schema", help="print the JSON Schema of scenario files")
    p.add_argument("--output", "-o", metavar="PATH", help="write it to a file instead")
    return parser
