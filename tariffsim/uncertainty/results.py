"""`UncertainResult`: weighted paths of a scenario (each a plain `SimulationResult` with a
probability, a label and the branch choices that lead to it) summed up as an expected path,
quantile bands, a branch table and the odds that a rate passes a threshold.

Every path covers the same days and directions. The paths' daily rates are stacked once into
numpy arrays of shape (paths, rows), rows being those of `SimulationResult.rates` (direction
by direction, each direction's days in order); every summary is a reduction over axis 0.

The weighted quantile rule (`weighted_quantiles`): the q-quantile of a row is the smallest
value among the paths whose cumulative probability reaches q, that is the smallest v with
P(rate <= v) >= q (the lower inverse of the distribution function, no interpolation: every
quantile is a rate some path has). With 60% of the probability on 55% and 40% on 155%, the
5%, 25% and 50% quantiles are 55% and the 75% and 95% ones 155%. Cumulative sums are
compared with q less 1e-9, so probabilities such as 0.1 + 0.15 reach 0.25. The headline and
effective quantiles are computed each on its own: on one day they may come from different
paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from tariffsim.arguments import Direction, as_day, direction_text
from tariffsim.errors import Diagnostic, ScenarioError
from tariffsim.scenario.values import parse_rate
from tariffsim.tables.rate_table import RateTable, datetimes
from tariffsim.tables.results import SERIES_COLUMNS, SimulationResult, one_direction
from tariffsim.uncertainty.trade import Stacked, expected_trade, stacked_trade, trade_quantiles

if TYPE_CHECKING:
    import pandas as pd

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
QUANTILE_COLUMNS = ["date", "imposer", "target", "quantile", "headline_rate", "effective_rate"]
BRANCH_COLUMNS = ["label", "probability", "choices"]
TOLERANCE = 1e-9

Choices = tuple[tuple[str, str], ...]  # (branch id, option id), outermost first


@dataclass(frozen=True)
class WeightedPath:
    """One leaf of a scenario's branches: how likely it is, its name, the options chosen on
    the way to it, and its simulated rates."""

    probability: float
    label: str
    choices: Choices
    result: SimulationResult


def weighted_quantiles(
    values: np.ndarray, weights: np.ndarray, qs: Sequence[float] = QUANTILES
) -> np.ndarray:
    """Per column of `values` (paths × rows), the smallest value whose cumulative
    probability (weights summing to 1) reaches each q: an array (len(qs) × rows)."""
    order = np.argsort(values, axis=0, kind="stable")
    ranked = np.take_along_axis(values, order, axis=0)
    cumulative = np.cumsum(weights[order], axis=0)
    out = np.empty((len(qs), values.shape[1]))
    for i, q in enumerate(qs):
        first = np.argmax(cumulative >= q - TOLERANCE, axis=0)
        out[i] = np.take_along_axis(ranked, first[None, :], axis=0)[0]
    return out


def _problem(message: str) -> ScenarioError:
    return ScenarioError([Diagnostic("paths", 0, 0, message)])


def _checked(paths: Sequence[WeightedPath]) -> None:
    """Refuse paths that cannot be summed up together: none, bad or unnormalised
    probabilities, repeated labels, or other days or directions than the first path's."""
    if not paths:
        raise _problem("an uncertain result needs at least one path")
    probabilities = np.array([p.probability for p in paths], dtype=float)
    if not np.all(np.isfinite(probabilities)) or np.any(probabilities < 0):
        raise _problem("path probabilities must be finite and not negative")
    if abs(probabilities.sum() - 1.0) > 1e-6:
        raise _problem(f"path probabilities sum to {probabilities.sum():.6g}, not 1")
    labels = [p.label for p in paths]
    if len(set(labels)) != len(labels):
        raise _problem("path labels must differ: " + ", ".join(sorted(labels)))
    first = paths[0].result
    for p in paths[1:]:
        r = p.result
        if (r.start, r.end, r.pairs) != (first.start, first.end, first.pairs):
            raise _problem(
                f"path '{p.label}' covers {r.start} to {r.end} ({len(r.pairs)} directions), "
                f"not {first.start} to {first.end} ({len(first.pairs)}) as the others do"
            )


class UncertainResult:
    """A branched run: `paths` are `WeightedPath`s, or tuples (probability, label,
    choices, SimulationResult), all over the same days and directions, probabilities
    summing to 1.

    - `rates`: the expected path, columns and row order of `SimulationResult.rates`;
    - `quantiles`: date, imposer, target, quantile, headline_rate, effective_rate for the
      5/25/50/75/95% quantiles over the paths (the rule: this module's docstring);
    - `branches`: label, probability, choices (one row per path, in the order given);
    - `prob_exceeds(direction, threshold, by=)`; `branch(label)`; `paths`.
    """

    def __init__(
        self,
        paths: Sequence[WeightedPath | tuple[float, str, Choices, SimulationResult]],
        *,
        title: str | None = None,
        name: str | None = None,
        resolutions: Sequence[tuple[date, str]] = (),
        draws: int | None = None,
    ) -> None:
        self.paths = [p if isinstance(p, WeightedPath) else WeightedPath(*p) for p in paths]
        self.resolutions = sorted(resolutions)  # (day, what): when branches' outcomes are known
        self.draws = draws  # the sample size, when the paths were sampled (None: exact)
        _checked(self.paths)
        first = self.paths[0].result
        self.start: date = first.start
        self.end: date = first.end
        self.weights = first.weights
        self.probabilities = np.array([p.probability for p in self.paths], dtype=float)
        names = {p.result.scenario.name for p in self.paths}
        self.name = name or (names.pop() if len(names) == 1 else f"{len(self.paths)} paths")
        self.title = title or first.scenario.spec.title
        tables = [p.result.rate_table() for p in self.paths]
        self._rows = tables[0]  # days, imposer, target of every row
        self.headline = np.stack([t.headline for t in tables])  # paths × rows
        self.effective = np.stack([t.effective for t in tables])

    @classmethod
    def certain(cls, result: SimulationResult) -> UncertainResult:
        """A plain result as the one path it is (probability 1): its expected path and every
        quantile are its rates."""
        return cls([(1.0, result.scenario.name, (), result)], title=result.scenario.spec.title)

    # ------------------------------------------------------------------ shape
    @property
    def pairs(self) -> list[Direction]:
        """The directions, US-CN first, as in `SimulationResult.pairs`."""
        return self.paths[0].result.pairs

    @property
    def days(self) -> int:
        return self.end.toordinal() - self.start.toordinal() + 1

    def _block(self, pair: Direction) -> slice:
        """The rows of one direction in the stacked arrays."""
        k = self.pairs.index(pair)
        return slice(k * self.days, (k + 1) * self.days)

    def values(self, column: str) -> np.ndarray:
        """The stacked daily `column` (paths × rows); a ValueError for an unknown column."""
        if column not in SERIES_COLUMNS:
            listed = ", ".join(SERIES_COLUMNS)
            raise ValueError(f"'{column}' is not a rate column; the columns are: {listed}")
        return self.headline if column == "headline_rate" else self.effective

    def direction(self, direction: Any = None, **names: str | None) -> Direction:
        """One direction ("US-CN", or `imposer=`/`target=`); left out when there is one."""
        return one_direction(direction, names.get("imposer"), names.get("target"), self.pairs)

    # ------------------------------------------------------------------ tables
    def rate_table(self) -> RateTable:
        """The expected path as numpy columns (what `run --csv` writes, without pandas)."""
        rows = self._rows
        return RateTable(
            rows.days,
            rows.imposer,
            rows.target,
            self.probabilities @ self.headline,
            self.probabilities @ self.effective,
        )

    @cached_property
    def rates(self) -> pd.DataFrame:
        """The expected path: the probability-weighted mean of the paths' daily rates, with
        the columns and row order of `SimulationResult.rates`."""
        return self._label(self.rate_table().frame())

    def at(self, *days: Any) -> pd.DataFrame:
        """The expected rates on chosen days (any date type, inside the horizon), one row per
        direction and day, as `SimulationResult.at` gives a plain run's."""
        first = self.paths[0].result
        wanted = np.array([first.check_day(d).toordinal() for d in days], dtype=np.int64)
        table = self.rate_table()
        keep = np.isin(table.days, wanted)
        return self._label(table.take(keep).frame())

    @cached_property
    def quantile_values(self) -> tuple[np.ndarray, np.ndarray]:
        """(headline, effective) quantiles, each an array (len(QUANTILES) × rows)."""
        return (
            weighted_quantiles(self.headline, self.probabilities),
            weighted_quantiles(self.effective, self.probabilities),
        )

    @cached_property
    def quantiles(self) -> pd.DataFrame:
        """date, imposer, target, quantile, headline_rate, effective_rate: per direction and
        day (in the order of `rates`), one row per quantile in QUANTILES, ascending."""
        import pandas as pd

        headline, effective = self.quantile_values
        rows, n = self._rows, len(QUANTILES)
        frame = pd.DataFrame(
            {
                "date": datetimes(np.repeat(rows.days, n)),
                "imposer": np.repeat(rows.imposer, n).tolist(),
                "target": np.repeat(rows.target, n).tolist(),
                "quantile": np.tile(QUANTILES, len(rows)),
                "headline_rate": headline.T.ravel(),
                "effective_rate": effective.T.ravel(),
            },
            columns=QUANTILE_COLUMNS,
        )
        return self._label(frame)

    def band(self, direction: Any, column: str, q: float) -> np.ndarray:
        """One direction's daily q-quantile of `column` (q one of QUANTILES)."""
        values = self.quantile_values[0 if column == "headline_rate" else 1]
        self.values(column)
        return values[QUANTILES.index(q), self._block(self.direction(direction))]

    def expected(self, direction: Any, column: str = "headline_rate") -> np.ndarray:
        """One direction's daily expected rate."""
        return self.probabilities @ self.values(column)[:, self._block(self.direction(direction))]

    def path_values(self, direction: Any, column: str = "headline_rate") -> np.ndarray:
        """One direction's daily rates of every path (paths × days)."""
        return self.values(column)[:, self._block(self.direction(direction))]

    @cached_property
    def branches(self) -> pd.DataFrame:
        """One row per path, in the order given: label, probability, choices (a tuple of
        (branch id, option id)). `branches_at(day, ...)` adds each path's rates."""
        import pandas as pd

        return self._label(
            pd.DataFrame(
                {
                    "label": [p.label for p in self.paths],
                    "probability": self.probabilities,
                    "choices": [p.choices for p in self.paths],
                },
                columns=BRANCH_COLUMNS,
            )
        )

    def branches_at(self, *days: Any) -> pd.DataFrame:
        """Each path's rates on the days given: label, probability, date, imposer, target,
        headline_rate, effective_rate; path by path, then as `SimulationResult.at`."""
        import pandas as pd

        parts = [
            p.result.at(*days).assign(label=p.label, probability=p.probability) for p in self.paths
        ]
        columns = ["label", "probability", *parts[0].columns[:-2]]
        return self._label(pd.concat(parts, ignore_index=True)[columns])

    def branch(self, label: str) -> SimulationResult:
        """The `SimulationResult` of the path labelled `label` (a KeyError lists them)."""
        for p in self.paths:
            if p.label == label:
                return p.result
        listed = ", ".join(p.label for p in self.paths)
        raise KeyError(f"no path is labelled '{label}'; the paths are: {listed}")

    # ------------------------------------------------------------------ odds
    def prob_exceeds(
        self,
        direction: Any,
        threshold: float | str,
        by: Any = None,
        column: str = "headline_rate",
    ) -> float:
        """The probability that `column` of `direction` is strictly above `threshold` (a
        fraction, 1.0 = 100%, or text such as "100%") on at least one day from the first
        simulated day up to and including `by` (default: the last day): the total
        probability of the paths that pass it by then."""
        limit = _threshold(threshold)
        last = self.end if by is None else self._inside(as_day(by, "by"))
        values = self.path_values(direction, column)[
            :, : last.toordinal() - self.start.toordinal() + 1
        ]
        passed = np.any(values > limit, axis=1)
        return float(self.probabilities[passed].sum())

    @cached_property
    def _trade(self) -> Stacked:
        return stacked_trade([p.result.flows for p in self.paths], self._rows.days[: self.days])

    @cached_property
    def trade(self) -> pd.DataFrame:
        """Daily expected imports and revenue per direction, with the columns of
        `SimulationResult.trade` (`uncertainty.trade.expected_trade`)."""
        days = self._rows.days[: self.days]
        return self._label(expected_trade(self._trade, self.probabilities, days))

    @cached_property
    def trade_quantiles(self) -> pd.DataFrame:
        """Quantile bands of daily imports, duty and post-substitution effective rate over
        the paths (`uncertainty.trade.trade_quantiles`), by the rule of `quantiles`."""
        days = self._rows.days[: self.days]
        return self._label(
            trade_quantiles(
                self._trade,
                days,
                QUANTILES,
                lambda values: weighted_quantiles(values, self.probabilities),
            )
        )

    def _inside(self, day: date) -> date:
        if not self.start <= day <= self.end:
            message = f"{day} is outside the simulated days {self.start} to {self.end}"
            raise ScenarioError([Diagnostic("by", 0, 0, message)])
        return day

    def _label(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame.attrs.update(scenario=self.name, weights=self.weights)
        return frame

    def __repr__(self) -> str:
        return (
            f"UncertainResult({self.name!r}, {len(self.paths)} paths, "
            f"{self.start} to {self.end}, {', '.join(map(direction_text, self.pairs))})"
        )


def _threshold(value: float | str) -> float:
    """A threshold as a fraction: text with a % sign ("95%", read as scenario files read
    rates) or a fraction (0.95, as the tables give rates). A number above 10 (1000%) is
    refused: it is most likely a percentage written without its sign."""
    if isinstance(value, str):
        return parse_rate(value)
    number = float(value)
    if number > 10:
        raise ValueError(
            f"threshold {value} reads as {number * 100:g}%; write '{number:g}%', "
            f"or the fraction {number / 100:g}"
        )
    return number
