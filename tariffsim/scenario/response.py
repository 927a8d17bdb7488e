"""The `response:` block of a scenario: how imports answer duty (elasticities of import
demand, per HS section and imposer) and how fast (a phase-in), for `result.trade`.

Defaults, with their source, live in `tariffsim.trade.elasticities`; what a scenario writes
here replaces them line by line: a section's value over the imposer's, over the scenario's.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from tariffsim.products import HS_SECTIONS
from tariffsim.scenario.fields import Country, Elasticity, Rate

SECTION_NAMES = tuple(name for name, *_ in HS_SECTIONS)
MAX_PHASE_IN_MONTHS = 600


def _section(name: str) -> str:
    if name not in SECTION_NAMES:
        raise PydanticCustomError(
            "hs_section",
            "'{v}' is not an HS section; write one of {names}",
            {"v": name, "names": ", ".join(SECTION_NAMES)},
        )
    return name


def _whole_months(value: object) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise PydanticCustomError(
            "phase_in_months",
            "'{v}' is not a number of months; write a whole number such as 6",
            {"v": text},
        )
    return int(text)


def _months(months: int) -> int:
    if not 0 <= months <= MAX_PHASE_IN_MONTHS:
        raise PydanticCustomError(
            "phase_in_months",
            "{v} months is out of range: a phase-in step comes 0 to {top} months after a change",
            {"v": months, "top": MAX_PHASE_IN_MONTHS},
        )
    return months


def _reached(share: float) -> float:
    if not 0 <= share <= 1:
        raise PydanticCustomError(
            "phase_in_share",
            "{v}% is not a share of the response: from 0% to 100%",
            {"v": f"{share * 100:g}"},
        )
    return share


Section = Annotated[str, AfterValidator(_section)]
Reached = Annotated[Rate, AfterValidator(_reached)]
Months = Annotated[int, BeforeValidator(_whole_months), AfterValidator(_months)]


class Elasticities(BaseModel):
    """Elasticities of import demand: one for every line, and per HS section."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    elasticity: Elasticity | None = Field(
        None, description="every product line's (not named by section), e.g. 2.53"
    )
    by_section: dict[Section, Elasticity] = Field(
        default_factory=dict, description="per HS section (I to XXI, 98-99), e.g. {XI: 3}"
    )


class Response(Elasticities):
    """How imports respond to duty: `imports = base × ((1 + τ) / (1 + τ_base))^−ε`."""

    by_imposer: dict[Country, Elasticities] = Field(
        default_factory=dict,
        description="per imposing country, over the values above, e.g. {CN: {elasticity: 1}}",
    )
    phase_in: dict[Months, Reached] = Field(
        default_factory=dict,
        description="months after a change: share of the long-run response reached by "
        "then, e.g. {0: 40%, 6: 80%, 12: 100%} (default: all of it at once)",
    )

    @model_validator(mode="after")
    def _rising(self) -> Response:
        shares = [self.phase_in[k] for k in sorted(self.phase_in)]
        if any(b < a for a, b in pairwise(shares)):
            raise PydanticCustomError(
                "phase_in_order", "a phase-in's shares must not fall as the months go on"
            )
        return self
