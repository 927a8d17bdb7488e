"""Attribution: how much each measure moves one scenario's rates to another's on a day.

The parts sum to the whole, per direction and in both columns, because each column is split
along the sum that makes it:

- **effective** = MFN + the sum of the layers' contributions (`engine.weighting`), so a
  measure's part is its contribution in B minus its contribution in A (a measure in one
  scenario only, or in force in one only, counts fully). MFN is a row of its own, present
  only when the two runs weigh different product universes.
- **headline** = the sum of headline groups' rates, where a measure with `headline: true`
  is a group of one and a named group (`section-301`) counts once, at its highest member's
  rate. A group's change goes to the member that sets its rate: when one member is the
  highest in both scenarios, it takes the whole change (Section 301 List 3 raised from 25%
  to 50%: List 3 +25); when none is, the member highest in A takes minus A's group rate and
  the member highest in B plus B's (List 1 at 25% revoked and List 3 at 50% kept: List 1
  -25, List 3 +50, net +25). Ties go to the member first in scenario order, so members at
  an equal rate never show changes that cancel out.

A direction with tariff measures in one scenario only is, in the other, MFN alone: headline
0, effective the MFN of the same product universe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from tariffsim.arguments import Direction, direction_order

if TYPE_CHECKING:
    import pandas as pd

    from tariffsim.engine.weighting import DirectionRates
    from tariffsim.tables.results import SimulationResult

MFN = "mfn"
MFN_NAME = "MFN duty (most-favoured-nation)"
COLUMNS = [
    "imposer",
    "target",
    "measure",
    "name",
    "group",
    "rate_a",
    "rate_b",
    "headline_change",
    "effective_change",
]
PAIR_COLUMNS = [  # both runs' rates and B minus A: `Comparison.rates` and `at` rows
    "date",
    "imposer",
    "target",
    "headline_a",
    "headline_b",
    "headline_diff",
    "effective_a",
    "effective_b",
    "effective_diff",
]


@dataclass
class Side:
    """One scenario's figures in one direction on one day."""

    headline: float
    effective: float
    mfn: float
    rates: dict[str, float] = field(default_factory=dict)  # measures in force: rate charged
    contribution: dict[str, float] = field(default_factory=dict)  # every tariff measure
    groups: dict[str, dict[str, float]] = field(default_factory=dict)  # group -> member rates
    names: dict[str, str] = field(default_factory=dict)
    group_of: dict[str, str] = field(default_factory=dict)  # named groups only


def side_of(result: SimulationResult, d: DirectionRates, day: date) -> Side:
    """Read one direction of a run on `day` into per-measure figures."""
    seg = result.segment(day)
    out = Side(float(d.headline[seg]), float(d.effective[seg]), d.mfn)
    spec = {x.id: x for x in result.scenario.spec.measures}
    for measure, cols in d.by_measure.items():
        ms = spec[measure]
        rate = float(d.rates[seg, cols].max())  # one scope version at a time; 0 when not in force
        if d.in_force[seg, cols].any():
            out.rates[measure] = rate
        out.contribution[measure] = float(d.contribution[seg, cols].sum())
        out.names[measure] = ms.name
        if ms.headline is True:
            out.groups.setdefault(f"#{measure}", {})[measure] = rate
        elif isinstance(ms.headline, str):
            out.groups.setdefault(ms.headline, {})[measure] = rate
            out.group_of[measure] = ms.headline
    return out


def mfn_only(other: Side) -> Side:
    """A direction without tariff measures: MFN alone, on the other run's universe."""
    return Side(0.0, other.mfn, other.mfn)


def group_parts(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    """A headline group's change, B minus A, given to the members that set its rate (see
    the module's docstring). Members absent from a side count at 0 there."""
    members = [*a, *(m for m in b if m not in a)]
    ra = {m: a.get(m, 0.0) for m in members}
    rb = {m: b.get(m, 0.0) for m in members}
    ha, hb = max(ra.values()), max(rb.values())
    top_b = {m for m in members if rb[m] == hb}
    top_a = [m for m in members if ra[m] == ha]
    common = [m for m in top_a if m in top_b]
    if common:
        return {common[0]: hb - ha}
    lead_b = next(m for m in members if m in top_b)
    return {top_a[0]: -ha, lead_b: hb}


def headline_parts(a: Side, b: Side) -> dict[str, float]:
    """Each measure's part of the headline change of one direction."""
    parts: dict[str, float] = {}
    for key in [*a.groups, *(g for g in b.groups if g not in a.groups)]:
        for measure, change in group_parts(a.groups.get(key, {}), b.groups.get(key, {})).items():
            parts[measure] = parts.get(measure, 0.0) + change
    return parts


def direction_rows(pair: Direction, a: Side, b: Side) -> list[dict]:
    """The rows of one direction: every measure whose part is not zero, and MFN if the
    universes differ."""
    headline = headline_parts(a, b)
    measures = [*a.contribution, *(m for m in b.contribution if m not in a.contribution)]
    rows = []
    for m in measures:
        row = {
            "imposer": pair[0],
            "target": pair[1],
            "measure": m,
            "name": b.names.get(m) or a.names[m],
            "group": b.group_of.get(m) or a.group_of.get(m, ""),
            "rate_a": a.rates.get(m, np.nan),
            "rate_b": b.rates.get(m, np.nan),
            "headline_change": headline.get(m, 0.0),
            "effective_change": b.contribution.get(m, 0.0) - a.contribution.get(m, 0.0),
        }
        if row["headline_change"] != 0.0 or row["effective_change"] != 0.0:
            rows.append(row)
    if a.mfn != b.mfn:
        rows.append(
            {
                "imposer": pair[0],
                "target": pair[1],
                "measure": MFN,
                "name": MFN_NAME,
                "group": "",
                "rate_a": np.nan,
                "rate_b": np.nan,
                "headline_change": 0.0,
                "effective_change": b.mfn - a.mfn,
            }
        )
    rows.sort(key=lambda r: (-abs(r["effective_change"]), -abs(r["headline_change"]), r["measure"]))
    return rows


def sides(
    a: SimulationResult, b: SimulationResult, day: date, direction: Direction | None
) -> dict[Direction, tuple[Side, Side]]:
    """Both runs' figures on `day`, per direction (in `direction_order`), optionally one."""
    da = {(d.imposer, d.target): d for d in a.directions}
    db = {(d.imposer, d.target): d for d in b.directions}
    out = {}
    for pair in direction_order([*da, *db]):
        if direction is not None and pair != direction:
            continue
        if pair not in da:
            sb = side_of(b, db[pair], day)
            out[pair] = (mfn_only(sb), sb)
        elif pair not in db:
            sa = side_of(a, da[pair], day)
            out[pair] = (sa, mfn_only(sa))
        else:
            out[pair] = (side_of(a, da[pair], day), side_of(b, db[pair], day))
    return out


def attribution_frame(
    a: SimulationResult, b: SimulationResult, day: date, direction: Direction | None
) -> pd.DataFrame:
    """The attribution table (`COLUMNS`), directions in `direction_order`, then by size."""
    import pandas as pd

    rows = [
        r
        for pair, (sa, sb) in sides(a, b, day, direction).items()
        for r in direction_rows(pair, sa, sb)
    ]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame.attrs.update(date=day.isoformat(), a=a.scenario.name, b=b.scenario.name)
    return frame


def totals_frame(
    a: SimulationResult, b: SimulationResult, day: date, direction: Direction | None
) -> pd.DataFrame:
    """Both runs' rates on `day` and B minus A, per direction (`PAIR_COLUMNS`)."""
    import pandas as pd

    rows = [
        {
            "date": pd.Timestamp(day),
            "imposer": pair[0],
            "target": pair[1],
            "headline_a": sa.headline,
            "headline_b": sb.headline,
            "headline_diff": sb.headline - sa.headline,
            "effective_a": sa.effective,
            "effective_b": sb.effective,
            "effective_diff": sb.effective - sa.effective,
        }
        for pair, (sa, sb) in sides(a, b, day, direction).items()
    ]
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)
