"""Explanations a person can check against the law: every layer of a direction on a day
(rate, coverage, contribution, the rule that stacked it, its sources), or every layer on
one product line. The duty itself comes from the stacker; this module only shapes rows.

Both forms have the columns of `COLUMNS`, in its order; a column that does not apply to a
row holds its blank ("" for text, NaN for numbers and `applies`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from tariffsim.engine.stacker import LineLayer
from tariffsim.engine.weighting import DirectionRates
from tariffsim.scenario import model as m

if TYPE_CHECKING:
    import pandas as pd

    from tariffsim.arguments import Direction
    from tariffsim.tables.results import SimulationResult

Row = dict[str, Any]

# The one column set of `explain`, in order, with each column's blank: who imposes on whom,
# the product line (product form only), the layer and its authority, its state, the numbers
# (coverage and contribution: trade-weighted, layers form only), why, and where from.
COLUMNS: dict[str, Any] = {
    "imposer": "",
    "target": "",
    "product": "",
    "description": "",
    "measure": "",
    "name": "",
    "authority": "",
    "legal": "",
    "status": "",
    "applies": np.nan,
    "rate": np.nan,
    "coverage": np.nan,
    "contribution": np.nan,
    "rule": "",
    "sources": "",
}


def table(
    result: SimulationResult, day: date, pairs: list[Direction], product: str | None
) -> pd.DataFrame:
    """The explain table of `day` for the directions `pairs` (in that order): each
    direction's layers, then its non-tariff measures; or, with `product` (an HS code or
    prefix), each matching line's layers and total."""
    import pandas as pd

    seg = result.segment(day)
    stacked = {(d.imposer, d.target): d for d in result.directions}
    rows: list[Row] = []
    for pair in pairs:
        d = stacked.get(pair)  # None: a direction of non-tariff measures only
        if product:
            rows += layers_on_product(result, d, seg, day, product) if d else []
            continue
        rows += layers_on(result, d, seg, day) if d else []
        rows += non_tariff_rows(result, day, pair)
    return pd.DataFrame([{**COLUMNS, **row} for row in rows], columns=list(COLUMNS))


MFN = {"measure": "mfn", "name": "Most-favoured-nation duty"}


def _measure_row(ms: m.Measure, status: str) -> Row:
    return {
        "imposer": ms.imposer,
        "target": ms.target,
        "measure": ms.id,
        "name": ms.name,
        "authority": ms.authority,
        "legal": ms.legal or "",
        "status": status,
    }


def layers_on(result: SimulationResult, d: DirectionRates, seg: int, day: date) -> list[Row]:
    """Every layer of a direction on `day`: MFN, then each measure in force or in scope."""
    rows = [
        {
            "imposer": d.imposer,
            "target": d.target,
            **MFN,
            "authority": "tariff schedule",
            "legal": "",
            "status": "in force",
            "rate": np.nan,
            "coverage": 1.0,
            "contribution": d.mfn,
            "rule": f"trade-weighted over {len(d.universe):,} lines "
            f"({d.universe.weights_label} weights)",
            "sources": d.universe.source,
        }
    ]
    for j, col in enumerate(d.columns):
        if not (d.in_force[seg, j] or col.active[seg]):
            continue
        ms = result.scenario.measure(col.measure)
        rules = d.stack.rules_at(seg, j)
        rule = "additive" + (
            f" on {100 * col.value_share:g}% of value" if col.value_share < 1 else ""
        )
        rule += f"; not where {', '.join(r.id for r in rules)}" if rules else ""
        rows.append(
            {
                **_measure_row(ms, result.status(ms.id, day)),
                "imposer": d.imposer,
                "target": d.target,
                "rate": d.rates[seg, j],
                "coverage": d.coverage[seg, j],
                "contribution": d.contribution[seg, j],
                "rule": rule,
                "sources": ", ".join(ms.sources),
            }
        )
    return rows


def non_tariff_rows(result: SimulationResult, day: date, pair: Direction) -> list[Row]:
    """Non-tariff measures (export controls, port fees...) of a direction: tracked, with no
    ad-valorem rate."""
    rows = []
    for ms in result.scenario.spec.measures:
        if ms.type != "non_tariff" or (ms.imposer, ms.target) != pair:
            continue
        rows.append(
            {
                **_measure_row(ms, result.status(ms.id, day)),
                "rate": np.nan,
                "coverage": np.nan,
                "contribution": np.nan,
                "rule": "non-tariff measure: adds no ad-valorem rate",
                "sources": ", ".join(ms.sources),
            }
        )
    return rows


def _line_rule(layer: LineLayer, status: str, day: date, in_force: bool, share: float) -> str:
    """Why a layer does or does not bear on a line, in words."""
    if not in_force:
        return f"{status} on {day}"
    if not layer.applies and not layer.hits:
        return "product not in the measure's scope"
    why = "; ".join(f"{r.id} ({r.description})" for r, _ in layer.hits)
    if not layer.hits:
        rule = "in scope; stacks additively"
        return rule + (f"; on {100 * share:g}% of value" if share < 1 else "")
    if layer.applies:
        return f"applies to {100 * (1 - layer.excluded):g}% of value; rest under {why}"
    return f"excluded by {why}"


def layers_on_product(
    result: SimulationResult, d: DirectionRates, seg: int, day: date, code: str
) -> list[Row]:
    """One row per product line matching `code` and layer, then the line's total."""
    rows = []
    for p in d.universe.find(code):
        base = {
            "imposer": d.imposer,
            "target": d.target,
            "product": str(d.universe.codes[p]),
            "description": str(d.universe.descriptions[p]),
        }
        total = float(d.universe.mfn[p])
        rows.append(
            {
                **base,
                **MFN,
                "authority": "tariff schedule",
                "status": "in force",
                "applies": True,
                "rate": total,
                "rule": "MFN column of the tariff schedule",
                "sources": d.universe.source,
            }
        )
        for j, col in enumerate(d.columns):
            if not col.active[seg]:
                continue
            ms = result.scenario.measure(col.measure)
            status = result.status(ms.id, day)
            layer = d.stack.on_line(seg, j, p)
            in_force = bool(d.in_force[seg, j])
            total += layer.rate
            sources = dict.fromkeys([*ms.sources, *(s for r, _ in layer.hits for s in r.sources)])
            rows.append(
                {
                    **_measure_row(ms, status),
                    **base,
                    "applies": layer.applies,
                    "rate": layer.rate,
                    "rule": _line_rule(layer, status, day, in_force, col.value_share),
                    "sources": ", ".join(sources),
                }
            )
        rows.append(
            {
                **base,
                "measure": "total",
                "name": "Total duty",
                "status": "",
                "applies": True,
                "rate": total,
                "rule": "sum of the layers that apply",
                "sources": "",
            }
        )
    return rows
