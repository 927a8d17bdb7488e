"""Rates per direction and day as plain numpy columns: the one place the rate table is put
together. The command line prints and writes it without importing pandas (a third of a cold
start); `frame()` gives the DataFrame the Python API returns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from tariffsim.engine.weighting import DirectionRates

if TYPE_CHECKING:
    import pandas as pd

RATE_COLUMNS = ["date", "imposer", "target", "headline_rate", "effective_rate"]
UNIX_EPOCH = date(1970, 1, 1).toordinal()


def datetimes(ordinals: np.ndarray) -> pd.DatetimeIndex:
    """Proleptic ordinals to pandas datetimes (days)."""
    import pandas as pd

    return pd.to_datetime((ordinals - UNIX_EPOCH).astype("int64"), unit="D")


@dataclass(frozen=True)
class RateTable:
    """Rows of (day, imposer, target, headline, effective), direction by direction, each
    direction's days in order."""

    days: np.ndarray  # int64 proleptic ordinals
    imposer: np.ndarray  # str
    target: np.ndarray  # str
    headline: np.ndarray  # fraction
    effective: np.ndarray  # fraction

    def __len__(self) -> int:
        return len(self.days)

    def rows(self) -> Iterator[tuple[date, str, str, float, float]]:
        for day, a, b, h, e in zip(
            self.days.tolist(),
            self.imposer.tolist(),
            self.target.tolist(),
            self.headline.tolist(),
            self.effective.tolist(),
            strict=True,
        ):
            yield date.fromordinal(day), a, b, h, e

    def changes(self) -> RateTable:
        """The first row of each direction and the rows where a rate differs from the row
        before it (in that direction) by more than rounding."""
        keep = np.ones(len(self), dtype=bool)
        same = (self.imposer[1:] == self.imposer[:-1]) & (self.target[1:] == self.target[:-1])
        moved = (np.abs(np.diff(self.headline)) > 1e-12) | (np.abs(np.diff(self.effective)) > 1e-12)
        keep[1:] = ~same | moved
        return self.take(keep)

    def take(self, rows: np.ndarray) -> RateTable:
        return RateTable(
            self.days[rows],
            self.imposer[rows],
            self.target[rows],
            self.headline[rows],
            self.effective[rows],
        )

    def frame(self) -> pd.DataFrame:
        import pandas as pd

        if not len(self):
            return pd.DataFrame(columns=RATE_COLUMNS)
        return pd.DataFrame(
            {
                "date": datetimes(self.days),
                "imposer": self.imposer.tolist(),
                "target": self.target.tolist(),
                "headline_rate": self.headline,
                "effective_rate": self.effective,
            }
        )


def rate_table(
    directions: list[DirectionRates], starts: np.ndarray, ordinals: np.ndarray
) -> RateTable:
    """The rates of every direction on the days `ordinals` (sorted within a call or not)."""
    seg = np.searchsorted(starts, ordinals, side="right") - 1
    n = len(ordinals)
    if not directions:
        empty = np.array([], dtype=np.int64)
        return RateTable(
            empty, np.array([], dtype=str), np.array([], dtype=str), empty * 0.0, empty * 0.0
        )
    return RateTable(
        np.tile(ordinals.astype(np.int64), len(directions)),
        np.repeat(np.array([d.imposer for d in directions]), n),
        np.repeat(np.array([d.target for d in directions]), n),
        np.concatenate([d.headline[seg] for d in directions]),
        np.concatenate([d.effective[seg] for d in directions]),
    )
