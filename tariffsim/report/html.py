"""The HTML report: results shaped into the context of one Jinja template
(`templates/report.html.j2`, autoescaped), with every chart inline as SVG so the file opens
offline and shows the same bytes for the same inputs."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from tariffsim import __version__
from tariffsim.arguments import as_day, direction_order

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from tariffsim.engine.events import Event
    from tariffsim.tables.comparison import Comparison
    from tariffsim.tables.rate_table import RateTable
    from tariffsim.tables.results import SimulationResult
    from tariffsim.uncertainty.results import UncertainResult

Context = dict[str, Any]


def render_report(
    results: list[SimulationResult | UncertainResult], *, day: date | str | None = None
) -> str:
    """The report of one or more runs as HTML text. With two runs, the comparison section
    attributes the difference on `day` (default: the last day both runs cover)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("tariffsim.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2").render(**report_context(results, day))


def report_context(
    results: list[SimulationResult | UncertainResult], day: date | str | None
) -> Context:
    """Everything the template shows, as plain values. Runs with branches are shown on
    their own (a fan and their paths); plain runs are also compared, two at a time."""
    scenarios = [_scenario(r) for r in results]
    plain = [r for r in results if hasattr(r, "scenario")]
    comparison = _comparison(plain, day) if len(plain) > 1 else None
    sections = [{"anchor": s["anchor"], "heading": s["title"]} for s in scenarios]
    if comparison:
        sections.append({"anchor": "comparison", "heading": comparison["heading"]})
    runs = [r.paths[0].result if not hasattr(r, "scenario") else r for r in results]
    names = ", ".join(s["title"] for s in scenarios)
    sources = dict.fromkeys(d.universe.source for r in runs for d in r.directions)
    return {
        "title": (
            scenarios[0]["title"]
            if len(results) == 1
            else ("Scenarios compared" if comparison else "Scenarios")
        ),
        "lede": f"Tariff rates between the United States and China under: {names}.",
        "version": __version__,
        "sections": sections,
        "scenarios": scenarios,
        "comparison": comparison,
        "data_note": "Product data: " + "; ".join(sources) + ".",
    }


def pct(value: float) -> str:
    return f"{value * 100:.1f}"


SCENARIO_CHARTS = {  # chart kind: (alt text, caption)
    "rates": (
        "Headline and effective tariff rates over time, %s",
        "Headline rates (solid, as news reports quote them) and trade-weighted effective rates "
        "(dashed, MFN included), with the events that move them and non-tariff measures below.",
    ),
    "layers": (
        "Effective tariff rate stacked by measure, %s",
        "What each measure adds to the effective rate over time, MFN at the bottom.",
    ),
    "sections": (
        "Effective tariff rate by HS section over time, %s",
        "The trade-weighted effective rate of each HS section (share of trade in brackets).",
    ),
}


def _scenario(result: SimulationResult | UncertainResult) -> Context:
    if not hasattr(result, "scenario"):  # an UncertainResult: branches and their odds
        return _uncertain(result)
    from tariffsim.charts.figure import scenario_figure

    spec = result.scenario.spec
    directions, rows = key_rates(result.rate_table(result.starts).changes())
    return {
        "anchor": f"scenario-{result.scenario.name}",
        "title": spec.title,
        "description": spec.description or "",
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "weights": result.weights,
        "charts": [
            chart(scenario_figure([result], kind), alt % spec.title, caption)
            for kind, (alt, caption) in SCENARIO_CHARTS.items()
        ],
        "directions": [f"{a}→{b}" for a, b in directions],
        "key_rates": rows,
        "events": [_event(result, ev) for ev in result.event_log()],
        "rates_heading": "Rates at key dates",
        "trade": _trade(result),
        "paths": [],
    }


def _uncertain(result: UncertainResult) -> Context:
    """A scenario with branches: its fan chart, its expected rates at key dates, and each
    path with its probability (the paths' own events are in their runs)."""
    from tariffsim.charts.figure import scenario_figure

    directions, rows = key_rates(result.rate_table().changes())
    fan = scenario_figure([result], "fan", marks=result.resolutions)
    first = result.paths[0].result.scenario
    return {
        "anchor": f"scenario-{result.name}",
        "title": result.title,
        "description": first.spec.description or "",
        "start": result.start.isoformat(),
        "end": result.end.isoformat(),
        "weights": result.weights,
        "charts": [
            chart(
                fan,
                f"Expected headline tariff rates and their range, {result.title}",
                "The expected headline rate (the paths weighted by their probability), the "
                "ranges holding 50% and 90% of the probability, each path faint, and the days "
                "the branches resolve.",
            )
        ],
        "directions": [f"{a}→{b}" for a, b in directions],
        "key_rates": rows,
        "events": [],
        "rates_heading": "Expected rates at key dates",
        "trade": _trade(result),
        "paths": [
            {"label": p.label, "probability": f"{100 * p.probability:.1f}%"} for p in result.paths
        ],
    }


TRADE_CAPTION = (
    "Imports: the base-year level (thin) and imports after they respond to the tariffs "
    "(solid). Duty revenue: before substitution, at base-year imports (dashed), and after "
    "substitution, on the responded imports (solid). US$ billion a year, a row per direction."
)


def _trade(result: SimulationResult | UncertainResult) -> Context:
    """The trade and revenue chart, and its table on key days (expected values for a
    scenario with branches)."""
    from tariffsim.charts.figure import scenario_figure
    from tariffsim.charts.trade import response_note
    from tariffsim.report.trade import trade_rows

    branched = not hasattr(result, "scenario")
    title = result.title if branched else result.scenario.spec.title  # type: ignore[union-attr]
    caption = TRADE_CAPTION
    if branched:
        caption = (
            "Expected values over the paths, with the ranges holding 50% and 90% of the "
            "probability shaded. " + caption
        )
    table = trade_rows(result)
    expected = "expected values over the paths; " if branched else ""
    note = (
        f"US$ billion a year at each day's rates, on the first day, each day a headline rate "
        f"changes and the last day; {expected}base-year ({result.weights}) imports: "
        f"{', '.join(table['base'])}; {response_note(result)}."
    )
    figure = scenario_figure([result], "trade")
    return {
        "chart": chart(figure, f"Imports and duty revenue over time, {title}", caption),
        "note": note,
        **table,
    }


def key_rates(table: RateTable) -> tuple[list[tuple[str, str]], list[Context]]:
    """Rates on the days of `table` (a run's changes), one column pair per direction (a
    direction without a row that day shows its rates of the day before)."""
    directions = direction_order(zip(table.imposer.tolist(), table.target.tolist(), strict=True))
    by_day: dict[date, dict[tuple[str, str], tuple[float, float]]] = {}
    for when, a, b, headline, effective in table.rows():
        by_day.setdefault(when, {})[(a, b)] = (headline, effective)
    rows, last = [], {}
    for when in sorted(by_day):
        last.update(by_day[when])
        cells = [pct(x) for d in directions for x in last.get(d, (float("nan"),) * 2)]
        rows.append({"date": when.isoformat(), "cells": cells})
    return directions, rows


def _event(result: SimulationResult, ev: Event) -> Context:
    spec = result.scenario.spec
    names = {x.id: x.name for x in spec.measures}
    return {
        "date": ev.date.isoformat(),
        "kind": ev.kind.replace("_", " "),
        "name": names.get(ev.measure) or ev.id or ev.measure,
        "detail": ev.detail,
        "sources": list(_sources(result, ev.sources)),
    }


def _sources(result: SimulationResult, ids: Iterable[str]) -> Iterable[Context]:
    """Each source id with its title and, where the reference gives one, its address (a
    fact links to the reference that reports it)."""
    spec = result.scenario.spec
    refs = {r.id: r for r in spec.references}
    facts = {f.id: f for f in spec.facts}
    for ident in ids:
        fact = facts.get(ident)
        ref = refs.get(fact.source if fact else ident)
        title = fact.statement if fact else (ref.title if ref else "")
        yield {"id": ident, "title": title, "url": ref.url if ref and ref.url else ""}


def _comparison(results: list[SimulationResult], day: date | str | None) -> Context:
    from tariffsim.charts.figure import scenario_figure

    context: Context = {
        "heading": "Scenarios compared",
        "charts": [
            chart(
                scenario_figure(results, "rates"),
                "Rates under each scenario",
                "Each scenario's headline and effective rates, a direction per panel.",
            )
        ],
        "attribution": [],
        "date": "",
        "a": results[0].scenario.spec.title,
        "b": results[1].scenario.spec.title,
    }
    if len(results) == 2:
        attribution = _attribution(results, day)
        context["charts"].append(attribution.pop("chart"))
        context.update(attribution)
    return context


def _attribution(results: list[SimulationResult], day: date | str | None) -> Context:
    """What moves the rates from the first run to the second on `day` (default: the last day
    both describe), measure by measure, with totals and the waterfall chart."""
    from tariffsim.charts.figure import scenario_figure
    from tariffsim.tables.comparison import Comparison

    cmp = Comparison(*results)
    when = as_day(day, "--date") if day is not None else cmp.key_day
    waterfall = chart(
        scenario_figure(results, "attribution", when),
        f"What moves the effective rate from one scenario to the other on {when}",
        "From the first scenario's effective rate to the second's, one bar per measure.",
    )
    return {
        "date": when.isoformat(),
        "attribution": attribution_rows(cmp, when),
        "chart": waterfall,
    }


def attribution_rows(cmp: Comparison, when: date) -> list[Context]:
    table = cmp.attribution(when)
    rows: list[Context] = []
    for (imposer, target), part in table.groupby(["imposer", "target"], sort=False):
        for row in part.itertuples():
            rows.append(
                {
                    "direction": f"{imposer}→{target}",
                    "name": row.name,
                    "headline": f"{row.headline_change * 100:+.1f}",
                    "effective": f"{row.effective_change * 100:+.1f}",
                    "total": False,
                }
            )
        rows.append(
            {
                "direction": f"{imposer}→{target}",
                "name": "total",
                "headline": f"{part.headline_change.sum() * 100:+.1f}",
                "effective": f"{part.effective_change.sum() * 100:+.1f}",
                "total": True,
            }
        )
    return rows


def chart(fig: Figure, alt: str, caption: str) -> Context:
    """A figure as inline SVG (base64 in an <img>: the page holds no markup of matplotlib's)."""
    from tariffsim.charts.figure import figure_bytes

    svg = figure_bytes(fig, "svg")
    return {"svg": base64.b64encode(svg).decode("ascii"), "alt": alt, "caption": caption}
