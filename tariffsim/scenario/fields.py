"""The value types of the scenario language: how each scalar of a scenario file is parsed
(by the parsers in `values`) and how it shows in the JSON Schema editors read."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tariffsim.scenario.values import (
    parse_day,
    parse_elasticity,
    parse_hs,
    parse_probability,
    parse_rate,
)


def share(value: float) -> float:
    """A share of customs value: more than nothing, at most the whole value."""
    if not 0 < value <= 1:
        raise PydanticCustomError(
            "value_share",
            "value_share {v}% is not a share of value: it must be more than 0% and at most 100%",
            {"v": f"{value * 100:g}"},
        )
    return value


Rate = Annotated[
    float,
    BeforeValidator(parse_rate),
    WithJsonSchema(
        {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?%$", "examples": ["25%", "7.5%"]}
    ),
]
Probability = Annotated[
    float,
    BeforeValidator(parse_probability),
    WithJsonSchema(
        {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?%$", "examples": ["60%", "12.5%"]}
    ),
]
Elasticity = Annotated[
    float,
    BeforeValidator(parse_elasticity),
    WithJsonSchema({"type": "number", "minimum": 0, "examples": [2.5, 1.5]}),
]
Day = Annotated[
    date,
    BeforeValidator(parse_day),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "description": "a day from 1900-01-01 to 2199-12-31",
            "examples": ["2025-11-10"],
        }
    ),
]
HSCode = Annotated[
    str,
    BeforeValidator(parse_hs),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9.]{2,13}$", "examples": ["72", "8517.13"]}),
]
Id = Annotated[
    str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=80, examples=["us-s301-list1"])
]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", examples=["US", "CN"])]
Sources = Annotated[
    list[str],
    Field(
        default_factory=list,
        description="ids of references or facts (in this file or the files it extends)",
    ),
]
SingleSource = Annotated[
    bool, Field(False, description="true when only one weak source supports it")
]


class DateChoice(BaseModel):
    """One possible day of an uncertain date, with its probability."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: Day = Field(description="the day")
    probability: Probability = Field(description="how likely this day is, e.g. '30%'")


class UncertainDay(BaseModel):
    """A day not known in advance: one of `dates` (their probabilities sum to 100%), or any
    day `between` two days, both included, each equally likely. Give exactly one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    dates: list[DateChoice] | None = Field(None, description="the possible days")
    between: list[Day] | None = Field(
        None, min_length=2, max_length=2, description="first and last possible day"
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> UncertainDay:
        if (self.dates is None) == (self.between is None):
            raise PydanticCustomError(
                "uncertain_day", "an uncertain date takes exactly one of: dates, between"
            )
        return self


def _day_or_uncertain(value: object) -> str:
    return "uncertain" if isinstance(value, dict | UncertainDay) else "day"


When = Annotated[
    Annotated[Day, Tag("day")] | Annotated[UncertainDay, Tag("uncertain")],
    Discriminator(_day_or_uncertain),
]
"""A move's day: a date, or an uncertain one (`{dates: [...]}` or `{between: [D1, D2]}`)."""
