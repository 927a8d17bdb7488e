"""`tariffsim run` on an uncertain result (a scenario with branches): the expected path with
its 5–95% and 25–75% bands, per direction, on the days they change; the branch table (each
path's probability and rates on key days); `--csv` the expected path and `--quantiles` the
bands. `run_uncertain` does it all, given the outputs `cmd_run` checked before the run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from tariffsim.cli import render
from tariffsim.cli.output import Destination, csv_text
from tariffsim.cli.process import show

if TYPE_CHECKING:
    from tariffsim.uncertainty.results import UncertainResult

MAX_KEY_DAYS = 5
BANDS = (0.05, 0.25, 0.75, 0.95)  # the quantiles that bound the two ranges shown
Output = tuple["Destination | None", Callable[[], Any], str]  # where, what (made late), rows


def _days(result: UncertainResult) -> np.ndarray:
    return np.arange(result.start.toordinal(), result.end.toordinal() + 1)


def changing_days(result: UncertainResult, pair: Any) -> np.ndarray:
    """Indexes (into the horizon's days) of the first day and of the days on which the
    expected rate or any band of `pair` changes."""
    columns = [result.expected(pair, c) for c in ("headline_rate", "effective_rate")]
    columns += [result.band(pair, c, q) for c in ("headline_rate", "effective_rate") for q in BANDS]
    stacked = np.vstack(columns)
    moved = np.any(np.abs(np.diff(stacked, axis=1)) > 1e-12, axis=0)
    return np.concatenate([[0], np.flatnonzero(moved) + 1])


def _span(lo: float, hi: float) -> str:
    return render.pct(lo) if abs(hi - lo) < 1e-12 else f"{render.pct(lo)}–{render.pct(hi)}"


def band_rows(result: UncertainResult, pair: Any, index: np.ndarray) -> list[list[str]]:
    days = _days(result)
    cells: list[list[str]] = [[render.iso(date.fromordinal(int(d)))] for d in days[index]]
    for column in ("headline_rate", "effective_rate"):
        mean = result.expected(pair, column)[index]
        q05, q25, q75, q95 = (result.band(pair, column, q)[index] for q in BANDS)
        for i, row in enumerate(cells):
            row += [render.pct(mean[i]), _span(q05[i], q95[i]), _span(q25[i], q75[i])]
    return cells


def band_lines(result: UncertainResult, at: Sequence[date] = ()) -> list[str]:
    """Per direction: the expected headline and effective rates with their 5–95% and
    25–75% ranges, on the `at` days, else on the first day and each day one changes."""
    lines = ["Expected rates and the ranges the paths span (5–95%, 25–75% of probability):"]
    header = ["date", "headline", "5–95", "25–75", "effective", "5–95", "25–75"]
    start = result.start.toordinal()
    for pair in result.pairs:
        index = np.array([d.toordinal() - start for d in at]) if at else changing_days(result, pair)
        rows = band_rows(result, pair, index)
        lines += [f"{pair[0]}→{pair[1]}", *render.table(header, rows, "<>>>>>>", "  ")]
    return lines


def key_days(result: UncertainResult) -> list[date]:
    """The days a branch table shows: the first day, the days on which the paths' headline
    rates start or stop differing or differ by another amount (any direction), and the
    last day; at most MAX_KEY_DAYS (the earliest, and the last day)."""
    spread = np.ptp(result.headline, axis=0).reshape(len(result.pairs), -1)
    moved = np.any(np.abs(np.diff(spread, axis=1)) > 1e-12, axis=0)
    index = [0, *(np.flatnonzero(moved) + 1).tolist()]
    index = sorted(set(index[: MAX_KEY_DAYS - 1]) | {len(_days(result)) - 1})
    return [date.fromordinal(result.start.toordinal() + i) for i in index]


def branch_lines(result: UncertainResult, days: Sequence[date] = ()) -> list[str]:
    """Per direction, each path's probability and its headline / effective rates on
    `days` (default: `key_days`), most likely path first."""
    days = list(days) or key_days(result)
    offsets = np.array([d.toordinal() - result.start.toordinal() for d in days])
    order = np.argsort(-result.probabilities, kind="stable")
    lines = ["Branches (headline / effective, in percent):"]
    header = ["path", "probability", *(render.iso(d) for d in days)]
    for pair in result.pairs:
        h = result.path_values(pair, "headline_rate")[:, offsets]
        e = result.path_values(pair, "effective_rate")[:, offsets]
        rows = [
            [
                result.paths[i].label,
                f"{render.pct(result.probabilities[i])}%",
                *(f"{render.pct(a)} / {render.pct(b)}" for a, b in zip(h[i], e[i], strict=True)),
            ]
            for i in order
        ]
        lines += [f"{pair[0]}→{pair[1]}", *render.table(header, rows, "<>" + ">" * len(days), "  ")]
    return lines


def paths_text(result: UncertainResult) -> str:
    """How many paths, and whether they were enumerated or sampled."""
    paths = render.count(len(result.paths), "path")
    if result.draws is None:
        return f"{paths}, exact"
    return f"{paths} sampled from {result.draws:,} draws"


def uncertain_lines(
    result: UncertainResult, at: Sequence[date] = (), days: Sequence[date] = ()
) -> list[str]:
    """The report `run` prints for an uncertain result."""
    return [
        result.title,
        f"{render.iso(result.start)} to {render.iso(result.end)}; "
        f"{paths_text(result)}; rates in percent; "
        f"effective rates weighted by {result.weights} trade",
        "",
        *band_lines(result, at),
        "",
        *branch_lines(result, days or at),
    ]


def report_and_write(lines: Callable[[], list[str]], outputs: Sequence[Output]) -> int:
    """Write each output asked for (a table made only then), then print the report and
    where each went. An output on standard output is the whole output: no report."""
    asked = [(dest, make, rows) for dest, make, rows in outputs if dest is not None]
    streamed = any(dest.path is None for dest, _, _ in asked)
    text = [] if streamed else lines()
    notes = []
    for dest, make, rows in asked:
        table = make()
        dest.write(csv_text(table).encode())
        notes.append(f"wrote {len(table):,} {rows} to {dest.target}")
    if not streamed:
        show([*text, *([""] if notes else []), *notes])
    return 0


def run_uncertain(
    result: UncertainResult,
    at: Sequence[date] = (),
    csv: Destination | None = None,
    quantiles: Destination | None = None,
    days: Sequence[date] = (),
    *,
    trade: bool = False,
) -> int:
    """`tariffsim run` on an uncertain result: the report (`uncertain_lines`), `--csv` the
    expected path (the columns of a plain run's), `--quantiles` the bands (date, imposer,
    target, quantile, headline_rate, effective_rate). `days`: the branch table's days.
    With `trade`, the report adds expected imports and revenue on the key days, and the
    outputs are the expected trade table and its bands."""

    def lines() -> list[str]:
        text = uncertain_lines(result, at, days)
        if trade:
            from tariffsim.cli.trade import trade_lines

            spec = result.paths[0].result.scenario.spec
            # on the --at days, else on each day the expected trade changes
            text += ["", "Expected values:", *trade_lines(result.trade, spec.response, at)]
        return text

    from tariffsim.cli.trade import in_dollars

    return report_and_write(
        lines,
        [
            (csv, lambda: in_dollars(result.trade) if trade else result.rate_table(), "daily rows"),
            (
                quantiles,
                lambda: in_dollars(result.trade_quantiles) if trade else result.quantiles,
                "quantile rows",
            ),
        ],
    )
