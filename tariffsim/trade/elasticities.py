"""Elasticities of import demand per product line: published defaults per imposer, and
what a scenario's `response:` block writes over them.

Defaults: Amiti, Redding and Weinstein (2019), "The Impact of the 2018 Tariffs on Prices
and Welfare", Journal of Economic Perspectives 33(4): 187-210, estimated on the 2018 US-China
tariffs themselves, product by product, with full pass-through of duty to the prices buyers
pay (so the response is to 1 + duty, as here):
- US imports (from China): 1.3, the fall in import quantities per unit rise in the log of
  one plus the tariff, over twelve months, for varieties that kept trading (their Table 1);
- US exports facing foreign (chiefly Chinese) retaliation: 3.9, the elasticity of export
  values, with export prices found not to fall.
The source gives one value per side, not per HS section; `by_section` is the scenario's.
"""

from __future__ import annotations

import numpy as np

from tariffsim.errors import DataError
from tariffsim.products import HS_SECTIONS, ProductUniverse
from tariffsim.scenario.response import Response

DEFAULTS = {"US": 1.3, "CN": 3.9}
SOURCE = (
    "Amiti, Redding and Weinstein (2019), Journal of Economic Perspectives 33(4): "
    "US imports 1.3 (Table 1), US exports under retaliation 3.9"
)


def line_elasticities(universe: ProductUniverse, response: Response | None) -> np.ndarray:
    """Per product line of `universe`, its elasticity: the most specific the scenario
    gives (its imposer's value for its HS section, the scenario's for the section, the
    imposer's, the scenario's), else the published default for the imposer."""
    response = response or Response()
    own = response.by_imposer.get(universe.imposer)
    overall = own.elasticity if own and own.elasticity is not None else response.elasticity
    if overall is None:
        if universe.imposer not in DEFAULTS:
            raise DataError(
                f"no default elasticity of import demand for {universe.imposer}: give one in "
                "the scenario's 'response' (elasticity, or by_imposer)"
            )
        overall = DEFAULTS[universe.imposer]
    by_section = {**response.by_section, **(own.by_section if own else {})}
    per_section = np.array([by_section.get(name, overall) for name, *_ in HS_SECTIONS])
    return per_section[universe.sections]


def describe(response: Response | None) -> str:
    """The elasticities a run uses, in a line: the scenario's where it gives them."""
    defaults = ", ".join(f"{k} {v:g}" for k, v in DEFAULTS.items())
    published = f"{defaults} (Amiti, Redding and Weinstein 2019)"
    if response is None or not (response.elasticity or response.by_section or response.by_imposer):
        text = published
    else:
        given = []
        if response.elasticity is not None:
            given.append(f"{response.elasticity:g} for every line")
        for name, value in response.by_section.items():
            given.append(f"section {name} {value:g}")
        for imposer, own in response.by_imposer.items():
            parts = [f"{own.elasticity:g}"] if own.elasticity is not None else []
            parts += [f"section {k} {v:g}" for k, v in own.by_section.items()]
            given.append(f"{imposer}: {', '.join(parts)}")
        text = f"the scenario's ({'; '.join(given)}), else {published}"
    if response is not None and response.phase_in:
        steps = ", ".join(
            f"{v * 100:g}% after {k} months" for k, v in sorted(response.phase_in.items())
        )
        text += f"; phased in: {steps}"
    return text
