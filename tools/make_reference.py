"""Write docs/reference.md: every key of a scenario file, from the JSON Schema of
`tariffsim.scenario.model`, with a short example of each item kind, move kind, condition and
stacking rule. The tables come from the schema and the examples are validated by the test
suite (tests/test_docs.py), which also checks the committed page equals this output, so the
page cannot drift from the code.

Run: python tools/make_reference.py  (or `make docs`)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "reference.md"

# (heading, schema definition, where an example goes in a file, examples as YAML text)
Example = tuple[str, str]  # (what it shows, YAML)
SECTIONS: list[tuple[str, str, str, list[Example]]] = [
    (
        "The scenario file",
        "ScenarioSpec",
        "file",
        [
            (
                "a file that extends a bundled scenario and changes one rate",
                "title: Fentanyl tariff cut earlier\n"
                "extends: pre-summit\n"
                "horizon: {start: 2025-09-01, end: 2026-03-31}\n"
                "moves:\n"
                "  - {kind: set_rate, measure: us-ieepa-fentanyl, date: 2025-11-01, rate: 10%,\n"
                "     sources: [report-2025-10-30]}\n",
            ),
            (
                "dropping inherited items by id",
                "title: No 100% threat\nextends: pre-summit\nremove: [threat-100-on-nov-1]\n",
            ),
        ],
    ),
    (
        "Horizon",
        "Horizon",
        "horizon",
        [("the days to chart, both included", "{start: 2025-09-01, end: 2026-12-31}\n")],
    ),
    (
        "Import response",
        "Response",
        "response",
        [
            (
                "elasticities for every line, one section and one imposer, phased in",
                "elasticity: 2\nby_section: {XI: 3}\nby_imposer: {CN: {elasticity: 1}}\n"
                "phase_in: {0: 50%, 6: 100%}\n",
            )
        ],
    ),
    (
        "Elasticities of one imposer",
        "Elasticities",
        "by-imposer",
        [("China's imports from the US", "elasticity: 1.5\nby_section: {II: 4}\n")],
    ),
    (
        "References",
        "Reference",
        "references",
        [
            (
                "a news report",
                "id: my-report\ntitle: Talks end without a deal\noutlet: Example News\n"
                "date: 2025-10-31\nurl: https://example.org/talks\n",
            )
        ],
    ),
    (
        "Facts",
        "Fact",
        "facts",
        [
            (
                "a fact of a report, in your own words",
                "id: fact-meeting\nstatement: The two leaders met on 30 October 2025.\n"
                "source: report-2025-10-30\n",
            )
        ],
    ),
    (
        "Flags",
        "Flag",
        "flags",
        [
            (
                "a named event moves can set and triggers can test",
                "id: talks-failed\ndescription: Talks broke down\n",
            )
        ],
    ),
    (
        "Product scopes",
        "ProductScope",
        "product_sets",
        [
            (
                "HS prefixes (any length, dots allowed)",
                "steel-and-aluminium:\n  hs: ['72', '73', '76']\n",
            ),
            (
                "a shipped list minus some chapters",
                "list1-but-not-machinery:\n  lists: [us-s301-list1]\n  exclude: {hs: ['84']}\n",
            ),
            ("every product", "everything:\n  all: true\n"),
        ],
    ),
    (
        "Measures",
        "Measure",
        "measures",
        [
            (
                "a tariff with a scheduled step",
                "id: us-extra-duty\nname: An extra duty on steel\nimposer: US\ntarget: CN\n"
                "authority: Section 232\nproducts: {hs: ['72']}\nrate: 25%\nfrom: 2025-12-01\n"
                "steps:\n  - {date: 2026-06-01, rate: 50%}\nheadline: true\n"
                "sources: [report-2025-10-30]\n",
            ),
            (
                "a threatened tariff (not in force until a move imposes it)",
                "id: us-threat-200\nname: Threatened 200% tariff\nimposer: US\ntarget: CN\n"
                "authority: IEEPA\nrate: 200%\nfrom: 2026-01-01\nstatus: threatened\n"
                "headline: true\nsources: [report-2025-10-27]\n",
            ),
            (
                "a non-tariff measure (tracked and explained, no ad-valorem rate)",
                "id: cn-new-controls\nname: New export controls\nimposer: CN\ntarget: US\n"
                "type: non_tariff\nauthority: MOFCOM announcement\nfrom: 2025-12-01\n"
                "sources: [report-2025-10-30]\n",
            ),
        ],
    ),
    (
        "Scheduled steps",
        "Step",
        "steps",
        [("a later rate written into a measure", "{date: 2026-01-01, rate: 50%}\n")],
    ),
    (
        "Move: impose",
        "Impose",
        "moves",
        [
            (
                "a threat takes effect at its planned rate",
                "{kind: impose, measure: us-threat-100, date: 2025-11-01, "
                "sources: [report-2025-10-27]}\n",
            )
        ],
    ),
    (
        "Move: set_rate",
        "SetRate",
        "moves",
        [
            (
                "a rate cut until the next scheduled change",
                "{kind: set_rate, measure: us-ieepa-fentanyl, date: 2025-11-10, rate: 10%, "
                "sources: [report-2025-10-30]}\n",
            )
        ],
    ),
    (
        "Move: suspend",
        "Suspend",
        "moves",
        [
            (
                "a suspension that still charges a residual rate",
                "{kind: suspend, id: my-suspension, measure: cn-farm-15pct, from: 2025-11-10, "
                "until: 2026-11-10, rate: 0%, sources: [report-2025-10-30]}\n",
            )
        ],
    ),
    (
        "Move: extend",
        "Extend",
        "moves",
        [
            (
                "a suspension's end moved later",
                "{kind: extend, suspension: us-reciprocal-suspension, date: 2025-11-05, "
                "until: 2026-11-10, sources: [report-2025-10-30]}\n",
            )
        ],
    ),
    (
        "Move: move_expiry",
        "MoveExpiry",
        "moves",
        [
            (
                "an end date for a measure, earlier or later",
                "{kind: move_expiry, measure: us-port-fees, date: 2025-11-01, until: 2025-11-10, "
                "sources: [report-2025-10-30]}\n",
            )
        ],
    ),
    (
        "Move: revoke",
        "Revoke",
        "moves",
        [
            (
                "a measure ends for good",
                "{kind: revoke, measure: cn-farm-10pct, date: 2025-11-10, "
                "sources: [report-2025-10-30]}\n",
            )
        ],
    ),
    (
        "Move: change_scope",
        "ChangeScope",
        "moves",
        [
            (
                "a measure covers other products from a date",
                "{kind: change_scope, measure: us-s232-copper, date: 2026-01-01, "
                "products: {hs: ['74']}, sources: [report-2025-10-30]}\n",
            )
        ],
    ),
    (
        "Move: set_flag",
        "SetFlag",
        "moves",
        [
            (
                "a named event happens",
                "{kind: set_flag, flag: deal-reached, date: 2025-10-30, "
                "sources: [report-2025-10-30]}\n",
            )
        ],
    ),
    (
        "Triggers",
        "Trigger",
        "triggers",
        [
            (
                "on a date, if a condition holds, apply some moves, else others",
                "id: answer-the-threat\ndate: 2025-11-01\n"
                "description: China answers the threat if it takes effect, else it is withdrawn\n"
                "if: {in_force: us-threat-100}\n"
                "then:\n  - {kind: set_rate, measure: cn-counter-2025, rate: 100%}\n"
                "else:\n  - {kind: revoke, measure: us-threat-100}\n"
                "sources: [report-2025-10-27]\n",
            )
        ],
    ),
    (
        "Conditions",
        "Condition",
        "condition",
        [
            ("a flag was set on or before the trigger's date", "{flag: deal-reached}\n"),
            ("a measure applies on the date", "{in_force: us-threat-100}\n"),
            ("a measure is suspended on the date", "{suspended: us-ieepa-reciprocal}\n"),
            ("all of several hold", "all: [{flag: deal-reached}, {suspended: cn-counter-2025}]\n"),
            ("any of several holds", "any: [{flag: deal-reached}, {in_force: us-threat-100}]\n"),
            ("the opposite of another", "not: {flag: deal-reached}\n"),
        ],
    ),
    (
        "Branches",
        "Branch",
        "branches",
        [
            (
                "a deal before the threat takes effect, or none (probabilities given by hand)",
                "id: deal\nresolves: 2025-10-30\ndescription: is a deal reached at Busan?\n"
                "options:\n"
                "  - id: deal-reached\n    probability: 60%\n"
                "    moves: [{kind: set_flag, flag: deal-reached, date: 2025-10-30}]\n"
                "  - id: no-deal\n    probability: 40%\n"
                "sources: [report-2025-10-30]\n",
            ),
            (
                "an outcome conditional on an earlier one (probabilities multiply: 40% × 70%)",
                "id: deal\nresolves: 2025-10-30\noptions:\n"
                "  - {id: deal-reached, probability: 60%,\n"
                "     moves: [{kind: set_flag, flag: deal-reached, date: 2025-10-30}]}\n"
                "  - id: no-deal\n    probability: 40%\n    branches:\n"
                "      - id: threat\n        resolves: 2025-11-01\n        options:\n"
                "          - {id: threat-fires, probability: 70%}\n"
                "          - id: threat-withdrawn\n            probability: 30%\n"
                "            moves: [{kind: revoke, measure: us-threat-100, date: 2025-11-02}]\n",
            ),
        ],
    ),
    (
        "Options",
        "Option",
        "option",
        [
            (
                "one outcome, with its probability and what happens on its path",
                "id: deal-reached\nprobability: 60%\n"
                "description: both sides announce a framework at Busan\n"
                "moves: [{kind: set_flag, flag: deal-reached, date: 2025-10-30}]\n",
            )
        ],
    ),
    (
        "Uncertain dates",
        "UncertainDay",
        "uncertain",
        [
            (
                "one of listed days, each with its probability (enumerated exactly)",
                "dates: [{date: 2025-10-30, probability: 50%}, "
                "{date: 2025-11-10, probability: 50%}]\n",
            ),
            (
                "any day of a window, both ends included, each equally likely (sampled)",
                "between: [2025-10-30, 2025-11-10]\n",
            ),
        ],
    ),
    (
        "Date choices",
        "DateChoice",
        "date-choice",
        [("a day and how likely it is", "{date: 2025-11-10, probability: 25%}\n")],
    ),
    (
        "Stacking rules",
        "StackingRule",
        "stacking",
        [
            (
                "a measure does not apply where another applies",
                "id: fentanyl-not-on-autos\nmeasure: us-ieepa-fentanyl\n"
                "description: 'Example only: the fentanyl tariff yields to the auto tariff'\n"
                "not_where: [us-s232-autos]\nsources: [report-2025-10-30]\n",
            ),
            (
                "a measure never applies to some products, for a while",
                "id: threat-not-on-pharma\nmeasure: us-threat-100\n"
                "description: 'Example only: no threat tariff on pharmaceuticals'\n"
                "not_on: {hs: ['30']}\nfrom: 2025-11-01\nuntil: 2026-01-01\n"
                "sources: [report-2025-10-27]\n",
            ),
        ],
    ),
]

VALUES = """\
## Values

- **Rates** carry a `%` sign: `25%`, `7.5%`, `0%`. A bare number is an error with a hint.
  Python and CSV outputs give fractions (0.25).
- **Dates** are days written `YYYY-MM-DD`, from 1900-01-01 to 2199-12-31. Intervals are
  half-open: `from` is the first day in force, `until` the first day no longer in force.
- **HS codes** are 2 to 10 digits; dots are allowed and dropped (`8517.13`). A code is a
  prefix: `72` covers every line of chapter 72.
- **Ids** are lowercase letters, digits, `.`, `_` and `-` (at most 80). An item with the id
  of an inherited one replaces it; `remove:` drops inherited ones.
- **Sources** are ids of references or facts, in the file or the files it extends.
- **Probabilities** carry a `%` sign like rates: more than `0%`, at most `100%`. The
  options of a branch, and the `dates` of an uncertain date, sum to 100%.
- **Uncertain dates**: a move's `date` (a suspension's `from`) may be `{dates: [...]}` or
  `{between: [first, last]}` instead of a day; not in a trigger's moves.
"""


def _type_of(node: dict[str, Any]) -> str:
    """A schema node as a person would name its type."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[1]
        return f"[{_TITLES.get(name, name)}](#{_anchor(_TITLES.get(name, name))})"
    if "oneOf" in node and "discriminator" not in node:  # a day, or an uncertain one
        return " or ".join(_type_of(n) for n in node["oneOf"])
    if "oneOf" in node:  # the moves: a union told apart by `kind`
        return "move (one of the `Move:` kinds)"
    if "anyOf" in node:
        kinds = [_type_of(n) for n in node["anyOf"] if n.get("type") != "null"]
        return " or ".join(dict.fromkeys(kinds))
    if "const" in node:
        return f"`{node['const']}`"
    if "enum" in node:
        return " \\| ".join(f"`{v}`" for v in node["enum"])
    kind = node.get("type")
    if kind == "string":
        return _string_type(node)
    if kind == "array":
        return f"list of {_type_of(node.get('items', {}))}"
    if kind == "object" and "patternProperties" in node:
        (inner,) = node["patternProperties"].values()
        return f"mapping of id to {_type_of(inner)}"
    return {"boolean": "true or false", "number": "number"}.get(kind or "", kind or "any")


def _string_type(node: dict[str, Any]) -> str:
    """What a string stands for, told by its format or pattern."""
    pattern = node.get("pattern", "")
    if node.get("format") == "date":
        return "date"
    if "%" in pattern:
        return "probability" if "60%" in node.get("examples", []) else "rate"
    if pattern == "^[A-Z]{2}$":
        return "country code"
    if pattern.startswith("^[0-9.]"):
        return "HS code"
    return "id" if pattern.startswith("^[a-z0-9]") else "text"


def _default(node: dict[str, Any], required: bool) -> str:
    if required:
        return "required"
    if "default" not in node:
        return "optional (empty)" if node.get("type") in ("array", "object") else "optional"
    value = node["default"]
    if value is None:
        return "optional"
    if isinstance(value, float) and "%" in node.get("pattern", ""):
        return f"{value * 100:g}%"  # a rate
    return f"`{json.dumps(value) if not isinstance(value, str) else value}`"


def _anchor(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, spaces to hyphens, other punctuation
    than hyphens and underscores dropped."""
    return "".join(c for c in title.lower().replace(" ", "-") if c.isalnum() or c in "-_")


def _table(definition: dict[str, Any]) -> list[str]:
    required = set(definition.get("required", []))
    rows = ["| key | type | | meaning |", "|---|---|---|---|"]
    for key, node in definition.get("properties", {}).items():
        meaning = node.get("description", "")
        if key == "kind" and "const" in node:
            meaning = "the move kind"
        rows.append(
            f"| `{key}` | {_type_of(node)} | {_default(node, key in required)} | {meaning} |"
        )
    return rows


def _definitions() -> dict[str, dict[str, Any]]:
    from tariffsim.scenario.model import json_schema

    schema = json_schema()
    defs = dict(schema["$defs"])
    defs["ScenarioSpec"] = {k: v for k, v in schema.items() if k != "$defs"}
    return defs


_TITLES = {definition: heading for heading, definition, _, _ in SECTIONS}


def render() -> str:
    """The whole page."""
    defs = _definitions()
    lines = [
        "# Scenario file reference",
        "",
        "Every key a scenario file may hold, with an example of each kind of item. Generated",
        "by `tools/make_reference.py` from the scenario model's JSON Schema (`make docs`);",
        "the test suite validates every example and checks this page is up to date.",
        "",
        "Contents: "
        + " · ".join(f"[{h}](#{_anchor(h)})" for h, _, _, _ in SECTIONS)
        + " · [Values](#values)",
        "",
    ]
    for heading, name, _where, examples in SECTIONS:
        definition = defs[name]
        lines += [f"## {heading}", "", definition.get("description", "").replace("\n", " "), ""]
        lines += [*_table(definition), ""]
        for what, text in examples:
            lines += [f"Example: {what}.", "", "```yaml", text.rstrip("\n"), "```", ""]
    lines.append(VALUES)
    return "\n".join(lines)


def main() -> int:
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
