"""The scenario language: pydantic models of exactly what a scenario YAML file may say.

Values arrive as strings (see `yamlio`); the annotated types below turn them into fractions,
days and ids (parsers in `values`), with messages written for the person editing the file.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tariffsim.scenario.values import parse_day, parse_hs, parse_rate


def _share(value: float) -> float:
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


class Strict(BaseModel):
    """Every model forbids unknown keys, so a typo is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Reference(Strict):
    """A citable source: a legal act, an official notice or a news report."""

    id: Id
    title: str
    outlet: str | None = Field(None, description="publisher, for news reports")
    date: Day | None = None
    url: str | None = None
    note: str | None = None


class Fact(Strict):
    """One fact of a source report, stated in the project's own words."""

    id: Id
    statement: str = Field(description="the fact, in tariffsim's own words")
    source: Id = Field(description="id of the reference that reports it")
    single_source: SingleSource


class Flag(Strict):
    """A named event (such as 'deal signed') that moves can set and triggers can test."""

    id: Id
    description: str


class ProductScope(Strict):
    """Which products a measure covers: the union of its parts, minus `exclude`."""

    all: bool = Field(False, description="every product of the direction")
    hs: list[HSCode] = Field(default_factory=list, description="HS code prefixes")
    lists: list[Id] = Field(default_factory=list, description="product lists shipped in tariffsim")
    sets: list[Id] = Field(default_factory=list, description="product sets named in the scenario")
    exclude: ProductScope | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> ProductScope:
        if not (self.all or self.hs or self.lists or self.sets):
            raise PydanticCustomError(
                "scope_empty", "a product scope needs 'all: true', 'hs', 'lists' or 'sets'"
            )
        return self


ScopeField = Annotated[
    str | ProductScope,
    Field(description="'all', the name of a product set, or a product scope mapping"),
]


class Step(Strict):
    """A scheduled rate change of a measure."""

    date: Day
    rate: Rate
    sources: Sources
    note: str | None = None


class Measure(Strict):
    """One legal layer: who charges whom, on what, at what rate, from when."""

    id: Id
    name: str
    imposer: Country
    target: Country
    type: Literal["tariff", "non_tariff"] = "tariff"
    authority: str = Field(description="the legal authority, e.g. 'Section 301'")
    legal: str | None = Field(None, description="legal act or notice, e.g. 'EO 14195'")
    products: ScopeField = "all"
    rate: Rate | None = Field(None, description="the rate from `from` (tariffs only)")
    from_: Day = Field(alias="from", description="first day in force (or planned)")
    until: Day | None = Field(None, description="first day no longer in force")
    steps: list[Step] = Field(default_factory=list, description="scheduled later rate changes")
    status: Literal["in_force", "threatened", "suspended", "void"] = "in_force"
    value_share: Annotated[Rate, AfterValidator(_share)] = Field(
        1.0,
        description="share of customs value the rate applies to, e.g. the metal content "
        "of a Section 232 derivative (default 100%)",
    )
    headline: bool | Id = Field(
        False,
        description="counts toward the headline rate news reports quote: true, or a "
        "group name (a group counts once, at the highest rate of its members in force)",
    )
    single_source: SingleSource
    sources: Sources
    note: str | None = None


MoveId = Annotated[
    Id | None,
    Field(
        None,
        description="name, so a scenario that extends this one can "
        "replace it, or an extend move can target it",
    ),
]


class _MoveBase(Strict):
    """What every move may carry besides its kind: a name and its sources."""

    id: MoveId
    single_source: SingleSource
    sources: Sources
    note: str | None = None


class _MeasureMove(_MoveBase):
    """A move on one measure, on its `date` (or its trigger's day when none is given)."""

    kind: str  # each move narrows it to its own literal, in this place of the fields
    measure: Id
    date: Day | None = None


class Impose(_MeasureMove):
    """Put a (threatened) measure in force from a date, at its planned rate or a given one."""

    kind: Literal["impose"]
    rate: Rate | None = None


class SetRate(_MeasureMove):
    """Change a measure's rate from a date until its next scheduled change."""

    kind: Literal["set_rate"]
    rate: Rate


class Suspend(_MoveBase):
    """Suspend a measure for a window; its earlier value returns after `until`."""

    kind: Literal["suspend"]
    measure: Id
    from_: Day | None = Field(None, alias="from")
    until: Day | None = Field(None, description="first day the measure applies again")
    rate: Rate = Field(0.0, description="rate still charged during the suspension")


class Extend(_MoveBase):
    """Move a suspension's end, or a measure's expiry, to a later date."""

    kind: Literal["extend"]
    suspension: Id | None = Field(None, description="id of a suspend move")
    measure: Id | None = Field(None, description="id of a measure whose expiry moves")
    date: Day | None = Field(None, description="day the extension was decided")
    until: Day


class MoveExpiry(_MeasureMove):
    """Set a measure's expiry to any date, earlier or later (null: no expiry)."""

    kind: Literal["move_expiry"]
    until: Day | None


class Revoke(_MeasureMove):
    """End a measure from a date on (revoked, voided by a court, lapsed)."""

    kind: Literal["revoke"]


class ChangeScope(_MeasureMove):
    """Give a measure a new product scope from a date on."""

    kind: Literal["change_scope"]
    products: ScopeField


class SetFlag(_MoveBase):
    """Record that a named event happened on a date."""

    kind: Literal["set_flag"]
    flag: Id
    date: Day | None = None


Move = Annotated[
    Impose | SetRate | Suspend | Extend | MoveExpiry | Revoke | ChangeScope | SetFlag,
    Field(discriminator="kind"),
]


def move_day(mv: Any) -> date | None:
    """The day a move takes effect as written (a suspension's `from`, else its `date`);
    None when it takes its trigger's day."""
    return mv.from_ if isinstance(mv, Suspend) else mv.date


MOVE_KINDS = (
    "impose",
    "set_rate",
    "suspend",
    "extend",
    "move_expiry",
    "revoke",
    "change_scope",
    "set_flag",
)


class Condition(Strict):
    """A test on the state of the world on a trigger's date. Give exactly one key."""

    flag: Id | None = Field(None, description="the flag was set on or before the date")
    in_force: Id | None = Field(None, description="the measure applies on the date")
    suspended: Id | None = Field(None, description="the measure is suspended on the date")
    all_: list[Condition] | None = Field(None, alias="all")
    any_: list[Condition] | None = Field(None, alias="any")
    not_: Condition | None = Field(None, alias="not")

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        given = [
            k
            for k in ("flag", "in_force", "suspended", "all_", "any_", "not_")
            if getattr(self, k) is not None
        ]
        if len(given) != 1:
            raise PydanticCustomError(
                "condition",
                "a condition takes exactly one of: flag, in_force, suspended, all, any, not",
            )
        return self


class Trigger(Strict):
    """A dated rule: on `date`, if the condition holds, apply `then`, otherwise `else`."""

    id: Id
    date: Day
    description: str
    if_: Condition | None = Field(None, alias="if")
    unless: Condition | None = None
    then: list[Move] = Field(default_factory=list)
    else_: list[Move] = Field(default_factory=list, alias="else")
    sources: Sources

    @model_validator(mode="after")
    def _one_condition(self) -> Trigger:
        if self.if_ is not None and self.unless is not None:
            raise PydanticCustomError("trigger", "give either 'if' or 'unless', not both")
        return self


class StackingRule(Strict):
    """A named exception to additive stacking: `measure` does not apply where stated."""

    id: Id
    measure: Id = Field(description="the measure that yields")
    description: str
    not_where: list[Id] = Field(
        default_factory=list, description="measures: where any of these applies, it does not"
    )
    not_on: ScopeField | None = Field(None, description="products it never applies to")
    from_: Day | None = Field(None, alias="from")
    until: Day | None = None
    sources: Sources

    @model_validator(mode="after")
    def _says_something(self) -> StackingRule:
        if not self.not_where and self.not_on is None:
            raise PydanticCustomError("stacking", "a stacking rule needs 'not_where' or 'not_on'")
        return self


class Horizon(Strict):
    """The days a scenario is charted over, first and last day included."""

    start: Day
    end: Day


ITEM_LISTS = ("references", "facts", "flags", "measures", "moves", "triggers", "stacking")
"""The lists of a scenario whose items carry ids: a file replaces or removes inherited ones."""


class ScenarioSpec(Strict):
    """A scenario file. `extends` names a base (bundled name or relative path) whose items
    this file adds to; an item with the same id as an inherited one replaces it."""

    title: str
    description: str | None = None
    extends: str | None = None
    horizon: Horizon | None = None
    references: list[Reference] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    product_sets: dict[Id, ProductScope] = Field(default_factory=dict)
    measures: list[Measure] = Field(default_factory=list)
    moves: list[Move] = Field(default_factory=list)
    triggers: list[Trigger] = Field(default_factory=list)
    stacking: list[StackingRule] = Field(default_factory=list)
    remove: list[Id] = Field(
        default_factory=list, description="ids of inherited measures, moves or triggers to drop"
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files, for editors and `tariffsim schema`."""
    schema = ScenarioSpec.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/tariffsim/tariffsim/scenario.schema.json",
        **schema,
    }
