"""The scenario language: pydantic models of exactly what a scenario YAML file may say.

Values arrive as strings (see `yamlio`); the value types of `fields` turn them into fractions,
days and ids, with messages written for the person editing the file.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tariffsim.scenario.fields import (
    Country,
    Day,
    HSCode,
    Id,
    Probability,
    Rate,
    SingleSource,
    Sources,
    When,
    share,
)
from tariffsim.scenario.response import Response


class Strict(BaseModel):
    """Every model forbids unknown keys, so a typo is an error, not a silent no-op."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Reference(Strict):
    """A citable source: a legal act, an official notice or a news report."""

    id: Id = Field(description="the name sources refer to it by")
    title: str = Field(description="title of the act, notice or article")
    outlet: str | None = Field(None, description="publisher, for news reports")
    date: Day | None = Field(None, description="day of publication")
    url: str | None = Field(None, description="where to read it")
    note: str | None = Field(None, description="anything a reader should know about it")


class Fact(Strict):
    """One fact of a source report, stated in the project's own words."""

    id: Id = Field(description="the name sources refer to it by")
    statement: str = Field(description="the fact, in tariffsim's own words")
    source: Id = Field(description="id of the reference that reports it")
    single_source: SingleSource


class Flag(Strict):
    """A named event (such as 'deal signed') that moves can set and triggers can test."""

    id: Id = Field(description="the name moves and conditions use")
    description: str = Field(description="what happening means")


class ProductScope(Strict):
    """Which products a measure covers: the union of its parts, minus `exclude`."""

    all: bool = Field(False, description="every product of the direction")
    hs: list[HSCode] = Field(default_factory=list, description="HS code prefixes")
    lists: list[Id] = Field(default_factory=list, description="product lists shipped in tariffsim")
    sets: list[Id] = Field(default_factory=list, description="product sets named in the scenario")
    exclude: ProductScope | None = Field(None, description="products taken out of the rest")

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


Announced = Annotated[
    Day | None,
    Field(None, description="the day it became known (default: the day it takes effect)"),
]


class Step(Strict):
    """A scheduled rate change of a measure."""

    date: Day = Field(description="first day of the new rate")
    rate: Rate = Field(description="the new rate")
    announced: Announced = Field(
        None, description="the day it became known (default: its measure's)"
    )
    sources: Sources
    note: str | None = Field(None, description="a remark for readers; not computed with")


class Measure(Strict):
    """One legal layer: who charges whom, on what, at what rate, from when."""

    id: Id = Field(description="the name moves, triggers and stacking rules use")
    name: str = Field(description="a short human name, shown in tables and charts")
    imposer: Country = Field(description="the country that charges it")
    target: Country = Field(description="the country whose goods it applies to")
    type: Literal["tariff", "non_tariff"] = Field(
        "tariff", description="non_tariff: export controls, port fees... (no ad-valorem rate)"
    )
    authority: str = Field(description="the legal authority, e.g. 'Section 301'")
    legal: str | None = Field(None, description="legal act or notice, e.g. 'EO 14195'")
    products: ScopeField = Field("all", description="the products it covers")
    rate: Rate | None = Field(None, description="the rate from `from` (tariffs only)")
    from_: Day = Field(alias="from", description="first day in force (or planned)")
    until: Day | None = Field(None, description="first day no longer in force")
    steps: list[Step] = Field(default_factory=list, description="scheduled later rate changes")
    announced: Announced
    status: Literal["in_force", "threatened", "suspended", "void"] = Field(
        "in_force",
        description="threatened: announced, not in force until a move imposes it; "
        "suspended: written suspended from `from`; void: never in force",
    )
    value_share: Annotated[Rate, AfterValidator(share)] = Field(
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
    note: str | None = Field(None, description="a remark for readers; not computed with")


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
    announced: Announced
    single_source: SingleSource
    sources: Sources
    note: str | None = Field(None, description="a remark for readers; not computed with")


class _MeasureMove(_MoveBase):
    """A move on one measure, on its `date` (or its trigger's day when none is given)."""

    kind: str  # each move narrows it to its own literal, in this place of the fields
    measure: Id = Field(description="id of the measure it changes")
    date: When | None = Field(None, description="day it takes effect (in a trigger: its day)")


class Impose(_MeasureMove):
    """Put a (threatened) measure in force from a date, at its planned rate or a given one."""

    kind: Literal["impose"]
    rate: Rate | None = Field(None, description="the rate, if not the planned one")


class SetRate(_MeasureMove):
    """Change a measure's rate from a date until its next scheduled change."""

    kind: Literal["set_rate"]
    rate: Rate = Field(description="the new rate")


class Suspend(_MoveBase):
    """Suspend a measure for a window; its earlier value returns after `until`."""

    kind: Literal["suspend"]
    measure: Id = Field(description="id of the measure suspended")
    from_: When | None = Field(
        None, alias="from", description="first day suspended (in a trigger: its day)"
    )
    until: Day | None = Field(None, description="first day the measure applies again")
    rate: Rate = Field(0.0, description="rate still charged during the suspension")


class Extend(_MoveBase):
    """Move a suspension's end, or a measure's expiry, to a later date."""

    kind: Literal["extend"]
    suspension: Id | None = Field(None, description="id of a suspend move")
    measure: Id | None = Field(None, description="id of a measure whose expiry moves")
    date: When | None = Field(None, description="day the extension was decided")
    until: Day = Field(description="the new end: the first day no longer suspended or in force")


class MoveExpiry(_MeasureMove):
    """Set a measure's expiry to any date, earlier or later (null: no expiry)."""

    kind: Literal["move_expiry"]
    until: Day | None = Field(description="the new first day no longer in force (null: none)")


class Revoke(_MeasureMove):
    """End a measure from a date on (revoked, voided by a court, lapsed)."""

    kind: Literal["revoke"]


class ChangeScope(_MeasureMove):
    """Give a measure a new product scope from a date on."""

    kind: Literal["change_scope"]
    products: ScopeField = Field(description="the products it covers from the date on")


class SetFlag(_MoveBase):
    """Record that a named event happened on a date."""

    kind: Literal["set_flag"]
    flag: Id = Field(description="id of the flag")
    date: When | None = Field(None, description="day it happens (in a trigger: its day)")


Move = Annotated[
    Impose | SetRate | Suspend | Extend | MoveExpiry | Revoke | ChangeScope | SetFlag,
    Field(discriminator="kind"),
]


def move_day(mv: Any) -> Any:
    """The day a move takes effect as written (a suspension's `from`, else its `date`): a
    date, an `UncertainDay`, or None when it takes its trigger's day."""
    return mv.from_ if isinstance(mv, Suspend) else mv.date


MOVE_KINDS = ("impose", "set_rate", "suspend", "extend", "move_expiry", "revoke")
MOVE_KINDS += ("change_scope", "set_flag")


class Condition(Strict):
    """A test on the state of the world on a trigger's date. Give exactly one key."""

    flag: Id | None = Field(None, description="the flag was set on or before the date")
    in_force: Id | None = Field(None, description="the measure applies on the date")
    suspended: Id | None = Field(None, description="the measure is suspended on the date")
    all_: list[Condition] | None = Field(None, alias="all", description="every one holds")
    any_: list[Condition] | None = Field(None, alias="any", description="at least one holds")
    not_: Condition | None = Field(None, alias="not", description="the condition does not hold")

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

    id: Id = Field(description="the name it is logged and replaced by")
    date: Day = Field(description="the day the condition is tested")
    description: str = Field(description="what it stands for, shown in the event log")
    announced: Announced
    if_: Condition | None = Field(None, alias="if", description="fire when this holds")
    unless: Condition | None = Field(None, description="fire unless this holds")
    then: list[Move] = Field(default_factory=list, description="moves when it fires")
    else_: list[Move] = Field(
        default_factory=list, alias="else", description="moves when it does not fire"
    )
    sources: Sources

    @model_validator(mode="after")
    def _one_condition(self) -> Trigger:
        if self.if_ is not None and self.unless is not None:
            raise PydanticCustomError("trigger", "give either 'if' or 'unless', not both")
        return self


class StackingRule(Strict):
    """A named exception to additive stacking: `measure` does not apply where stated."""

    id: Id = Field(description="the name explain shows it by")
    measure: Id = Field(description="the measure that yields")
    description: str = Field(description="the rule in words, with its legal basis")
    not_where: list[Id] = Field(
        default_factory=list, description="measures: where any of these applies, it does not"
    )
    not_on: ScopeField | None = Field(None, description="products it never applies to")
    from_: Day | None = Field(None, alias="from", description="first day the rule holds")
    until: Day | None = Field(None, description="first day it no longer holds")
    sources: Sources

    @model_validator(mode="after")
    def _says_something(self) -> StackingRule:
        if not self.not_where and self.not_on is None:
            raise PydanticCustomError("stacking", "a stacking rule needs 'not_where' or 'not_on'")
        return self


class Horizon(Strict):
    """The days a scenario is charted over, first and last day included."""

    start: Day = Field(description="the first day")
    end: Day = Field(description="the last day")


class Option(Strict):
    """One outcome of a branch: its probability and what happens on its path."""

    id: Id = Field(description="the name paths and results show it by")
    probability: Probability = Field(description="how likely, given its branch is reached")
    description: str | None = Field(None, description="what it means, and why this likely")
    moves: list[Move] = Field(default_factory=list, description="moves on this path")
    triggers: list[Trigger] = Field(default_factory=list, description="triggers on this path")
    flags: list[Flag] = Field(default_factory=list, description="flags this path's moves set")
    branches: list[Branch] = Field(
        default_factory=list, description="later outcomes, their probabilities given this one"
    )


class Branch(Strict):
    """An uncertain outcome: mutually exclusive options whose probabilities sum to 100%."""

    id: Id = Field(description="the name paths and results show it by")
    description: str | None = Field(None, description="the question it answers")
    resolves: Day = Field(description="the day the outcome becomes known")
    options: list[Option] = Field(description="the possible outcomes")
    sources: Sources


ITEM_LISTS = ("references", "facts", "flags", "measures", "moves", "triggers", "stacking")
ITEM_LISTS += ("branches",)
"""The lists of a scenario whose items carry ids: a file replaces or removes inherited ones."""


class ScenarioSpec(Strict):
    """A scenario file. `extends` names a base (bundled name or relative path) whose items
    this file adds to; an item with the same id as an inherited one replaces it."""

    title: str = Field(description="shown on tables and charts")
    description: str | None = Field(None, description="what the scenario assumes, and why")
    extends: str | None = Field(
        None, description="a bundled scenario's name, or a file in this folder or below"
    )
    horizon: Horizon | None = Field(None, description="the days to simulate and chart")
    response: Response | None = Field(None, description="how imports respond to duty")
    references: list[Reference] = Field(default_factory=list, description="sources cited")
    facts: list[Fact] = Field(default_factory=list, description="facts of the sources")
    flags: list[Flag] = Field(default_factory=list, description="named events")
    product_sets: dict[Id, ProductScope] = Field(
        default_factory=dict, description="named product scopes measures can use"
    )
    measures: list[Measure] = Field(default_factory=list, description="the legal layers")
    moves: list[Move] = Field(default_factory=list, description="dated policy moves")
    triggers: list[Trigger] = Field(default_factory=list, description="conditional moves")
    stacking: list[StackingRule] = Field(
        default_factory=list, description="exceptions to additive stacking"
    )
    branches: list[Branch] = Field(
        default_factory=list, description="uncertain outcomes, each with its options"
    )
    remove: list[Id] = Field(
        default_factory=list,
        description="ids of inherited measures, moves, triggers or branches to drop",
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files, for editors and `tariffsim schema`."""
    schema = ScenarioSpec.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/tariffsim/tariffsim/scenario.schema.json",
        **schema,
    }
