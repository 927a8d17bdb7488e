"""`tariffsim new NAME --from SCENARIO`: the text of a starter scenario file that extends
SCENARIO and validates as written, with commented hints built from SCENARIO's own items (a
move, a trigger and a `remove:` that validate when uncommented, its measure ids by direction).
The text comes from a Jinja2 template (`templates/starter.yaml.j2`), imported only here."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tariffsim.arguments import direction_order
from tariffsim.cli.render import pct, table
from tariffsim.scenario import model as m

if TYPE_CHECKING:
    from tariffsim.scenario.loading import Scenario


def quoted(value: str) -> str:
    """A YAML scalar that reads back as `value` exactly: a JSON string is valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def oneline(value: str) -> str:
    """Text that stays inside a comment line."""
    return " ".join(str(value).split())


def starter_text(
    scenario: Scenario, base_ref: str, file: str, title: str, outside: bool = False
) -> str:
    """The starter file `file` extending `scenario` (named `base_ref` in `extends`)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("tariffsim", "templates"),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # YAML, not HTML: values are quoted by the `quoted` filter
    )
    env.filters.update(quoted=quoted, oneline=oneline)
    example = example_measure(scenario.spec)
    return env.get_template("starter.yaml.j2").render(
        file=file,
        title=title,
        base_ref=base_ref,
        base_title=scenario.spec.title,
        outside=outside,
        removable=removable_id(scenario.spec),
        example=example,
        day=example_day(scenario.spec, example) if example else None,
        rate="5%" if example and example.rate == 0.10 else "10%",
        measures=measure_tables(scenario.spec),
    )


def example_measure(spec: m.ScenarioSpec) -> m.Measure | None:
    """The measure the examples change: a tariff in force, in the first direction."""
    tariffs = [x for x in spec.measures if x.type == "tariff" and x.status == "in_force"]
    if not tariffs:
        return None
    first = direction_order((x.imposer, x.target) for x in tariffs)[0]
    return next(x for x in tariffs if (x.imposer, x.target) == first)


def example_day(spec: m.ScenarioSpec, ms: m.Measure) -> date:
    """A day for the example move: mid-horizon (else after the last measure starts), after
    the measure starts, and not a day a written move already changes it (that would be an
    error once uncommented)."""
    if spec.horizon is not None:
        day = spec.horizon.start + timedelta(days=(spec.horizon.end - spec.horizon.start).days // 2)
    else:
        day = max(x.from_ for x in spec.measures) + timedelta(days=30)
    taken = {m.move_day(mv) for mv in spec.moves if getattr(mv, "measure", None) == ms.id}
    day = max(day, ms.from_ + timedelta(days=1))
    while day in taken:
        day += timedelta(days=1)
    return day


def removable_id(spec: m.ScenarioSpec) -> str | None:
    """An inherited id whose removal leaves the scenario valid: nothing names a trigger or
    a stacking rule; a move that is not a suspension (an extend may name that) will do.
    None when there is none."""
    for items in (spec.triggers, spec.stacking):
        if items:
            return items[0].id
    ids = [mv.id for mv in spec.moves if mv.id and not isinstance(mv, m.Suspend)]
    return ids[0] if ids else None


def measure_tables(spec: m.ScenarioSpec) -> list[tuple[str, list[str]]]:
    """Per direction, the measures as an aligned table: id, rate from its first day, that
    day, status and name."""
    by_direction: dict[tuple[str, str], list[list[str]]] = {}
    for ms in spec.measures:
        rate = "non-tariff" if ms.type == "non_tariff" else f"{pct(ms.rate or 0.0)}%"
        row = [ms.id, rate, str(ms.from_), ms.status.replace("_", " "), oneline(ms.name)]
        by_direction.setdefault((ms.imposer, ms.target), []).append(row)
    return [
        (
            f"{a}→{b}",
            table(["id", "written rate", "from", "status", "name"], by_direction[(a, b)], "<><<<"),
        )
        for a, b in direction_order(by_direction)
    ]
