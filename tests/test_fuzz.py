"""Fuzzing (issue 13): scenarios generated from the schema's shapes, valid and invalid, with
extreme dates, rates, counts and nesting, fed as Python dicts (`scenario_from_dict`) and as
YAML files (`load_scenario`).

Two properties:
- only tariffsim's own errors (`TariffsimError` subclasses) ever escape;
- validate and run agree: a scenario that loads also simulates, without any error.

A few hundred examples in the normal suite; thousands with TARIFFSIM_FUZZ=thorough (the
hypothesis profile of that name, registered in conftest.py). Run with `-s` to see how many
examples ran and which errors they met, by kind.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tariffsim import load_scenario, scenario_from_dict, simulate
from tariffsim.errors import TariffsimError
from tariffsim.scenario.loading import Scenario


def examples(normal: int) -> int:
    """`normal` examples, or the active profile's count when that is larger (thorough)."""
    return max(normal, settings.default.max_examples)


def fuzz(normal: int) -> settings:
    return settings(
        max_examples=examples(normal),
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


# ---------------------------------------------------------------------------- statistics

STATS: Counter[str] = Counter()
ERRORS: Counter[str] = Counter()


def _kind(exc: TariffsimError) -> str:
    """A message without its particulars (quoted values, numbers, positions): its kind."""
    first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    first = re.sub(r"^\S+?:\d+:\d+: |^[^:\s]+\.(yaml|yml|json)?: |^inline: ", "", first)
    first = re.sub(r"'[^']*'|\"[^\"]*\"|\d[\d.,:%-]*", "_", first)
    return f"{type(exc).__name__}: {' '.join(first.split()[:7])}"


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    t0 = time.perf_counter()
    yield
    print(
        f"\nfuzz: {sum(STATS.values())} examples in {time.perf_counter() - t0:.1f} s: "
        + ", ".join(f"{k} {v}" for k, v in sorted(STATS.items()))
    )
    for kind, count in ERRORS.most_common():
        print(f"  {count:5d}  {kind}")


def agree(load: Callable[[], Scenario], where: str) -> None:
    """Load; a load error must be tariffsim's own. What loads must simulate, error-free."""
    try:
        scenario = load()
    except TariffsimError as exc:
        STATS[f"{where} refused"] += 1
        ERRORS[_kind(exc)] += 1
        return
    try:
        result = simulate(scenario)
        _ = result.changes, result.events
    except TariffsimError as exc:
        raise AssertionError(f"validate and run disagree: it loaded, then run said: {exc}") from exc
    STATS[f"{where} ran"] += 1


# ---------------------------------------------------------------------------- values

IDS = ["a", "b", "m1", "m2", "x-y.z"]  # few, so references often resolve
FLAGS = ["deal", "f2"]
SETS = ["s1", "s2", "s3"]
LISTS = ["us-electronics-2025-04", "cn-farm-2025-03-10pct"]

normal_days = st.dates(date(2017, 1, 1), date(2028, 12, 31)).map(date.isoformat)
texts = st.one_of(st.just("text"), st.text(max_size=30))


def junk() -> st.SearchStrategy[Any]:
    """Any YAML-like value: what a careless or hostile writer may put anywhere."""
    return st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), texts, st.floats()),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(texts, inner, max_size=3)
        ),
        max_leaves=8,
    )


def deep(depth: int, make: Callable[[Any], Any], leaf: Any) -> Any:
    """`make` applied `depth` times around `leaf`, built without recursion."""
    node = leaf
    for _ in range(depth):
        node = make(node)
    return node


class Gen:
    """Strategies for every part of a scenario. Clean ones give values the rules accept,
    extremes within bounds included (1900-01-01, 2199-12-31, 10000%); dirty ones mix in
    values the rules refuse (year 9999, full-width digits, 500% value shares, junk)."""

    def __init__(self, dirty: bool) -> None:
        self.dirty = dirty
        bounded = st.dates(date(1900, 1, 1), date(2199, 12, 31)).map(date.isoformat)
        edges = st.sampled_from(["1900-01-01", "2199-12-31", "2024-02-29"])
        bad_days = st.one_of(
            st.sampled_from(
                [
                    "1899-12-31",
                    "2200-01-01",
                    "9999-12-31",
                    "0001-01-01",
                    "2025-02-29",
                    "2025-13-45",
                    "2025-1-1",
                    "xx",
                    "",
                    "２０２５-01-01",
                    "2025-11-10T00:00",
                ]
            ),
            st.dates().map(date.isoformat),
            st.dates(),
            st.integers(-(10**6), 10**6),
            st.none(),
        )
        good_rates = st.one_of(
            st.sampled_from(["0%", "25%", "7.5%", "100%", "0.01%", "10000%", " 25 % "]),
            st.integers(0, 10000).map(lambda n: f"{n}%"),
            st.decimals(0, 200, places=4).map(lambda x: f"{x}%"),
        )
        bad_rates = st.one_of(
            st.sampled_from(
                [
                    "-0%",
                    "10001%",
                    "-5%",
                    "1e3%",
                    "25",
                    "0.25",
                    "２５%",
                    "٢٥%",
                    "abc",
                    "",
                    "500%",
                    "nan%",
                    "inf%",
                    "25%%",
                ]
            ),
            st.integers(10001, 10**9).map(lambda n: f"{n}%"),
            st.integers(-5, 500),
            st.floats(),
            st.booleans(),
            st.none(),
        )
        good_hs = st.one_of(
            st.sampled_from(["85", "8517.13", "01", "72", "8507600020"]),
            st.from_regex(r"[0-9]{2,10}", fullmatch=True),
        )
        bad_hs = st.one_of(
            st.sampled_from(["1", "abc", "８５１７", "12345678901", "", "-85"]),
            st.integers(0, 10**12),
        )
        good_ids = st.sampled_from(IDS)
        bad_ids = st.one_of(
            st.sampled_from(["", "Bad Id", "a" * 81, "ß", "undeclared"]),
            st.from_regex(r"[a-z0-9][a-z0-9._-]{0,8}", fullmatch=True),
        )
        good_dirs = st.sampled_from([("US", "CN"), ("CN", "US")])
        bad_dirs = st.sampled_from([("EU", "US"), ("US", "US"), ("us", "cn")])

        def mix(
            good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any], weight: int = 4
        ) -> st.SearchStrategy[Any]:
            return st.one_of(*[good] * weight, bad) if dirty else good

        self.days = mix(st.one_of(normal_days, normal_days, bounded, edges), bad_days)
        self.rates = mix(good_rates, bad_rates)
        self.hs = mix(good_hs, bad_hs)
        self.ids = mix(good_ids, bad_ids)
        self.directions = mix(good_dirs, bad_dirs, 8)
        self.lists = mix(st.sampled_from(LISTS), st.just("no-such-list"))
        self.shares = mix(
            st.sampled_from(["0.01%", "50%", "100%"]), st.sampled_from(["0%", "500%", "100.01%"])
        )
        self.scopes = st.recursive(
            st.one_of(
                st.just("all"),
                st.sampled_from(SETS),
                st.fixed_dictionaries({"hs": st.lists(self.hs, min_size=1, max_size=3)}),
            ),
            lambda inner: st.fixed_dictionaries(
                {"hs": st.lists(self.hs, min_size=1, max_size=3)},
                optional={
                    "all": st.booleans(),
                    "lists": st.lists(self.lists, max_size=2),
                    "sets": st.lists(st.sampled_from(SETS), max_size=2),
                    "exclude": inner.filter(lambda x: isinstance(x, dict)) if not dirty else inner,
                },
            ),
            max_leaves=6,
        )
        self.deep_scopes = st.integers(1, 3000 if dirty else 60).map(
            lambda n: deep(n, lambda s: {"hs": ["85"], "exclude": s}, {"hs": ["8517"]})
        )
        leaves = [
            st.fixed_dictionaries({"flag": st.sampled_from(FLAGS)}),
            st.fixed_dictionaries({"in_force": self.ids}),
            st.fixed_dictionaries({"suspended": self.ids}),
        ]
        if dirty:
            leaves += [st.just({}), st.just({"flag": "deal", "in_force": "a"})]
        self.conditions = st.recursive(
            st.one_of(*leaves),
            lambda inner: st.one_of(
                st.fixed_dictionaries({"all": st.lists(inner, max_size=3)}),
                st.fixed_dictionaries({"any": st.lists(inner, max_size=3)}),
                st.fixed_dictionaries({"not": inner}),
            ),
            max_leaves=8,
        )
        self.deep_conditions = st.integers(1, 3000 if dirty else 30).map(
            lambda n: deep(n, lambda c: {"not": c}, {"flag": "deal"})
        )
        self.stacking = st.fixed_dictionaries(
            {
                "id": self.ids,
                "measure": self.ids,
                "description": st.just("a rule"),
                "not_where": st.lists(self.ids, min_size=1, max_size=3),
            },
            optional={
                "not_on": self.scopes,
                "from": self.days,
                "until": self.days,
                "sources": st.just(["src"]),
            },
        )

    def move(self) -> st.SearchStrategy[dict[str, Any]]:
        days, ids = self.days, self.ids
        common = {"id": ids, "sources": st.just(["src"]), "note": texts}
        by_kind = {
            "impose": ({"measure": ids}, {"date": days, "rate": self.rates}),
            "set_rate": ({"measure": ids, "rate": self.rates}, {"date": days}),
            "suspend": ({"measure": ids}, {"from": days, "until": days, "rate": self.rates}),
            "extend": ({"until": days}, {"suspension": ids, "measure": ids, "date": days}),
            "move_expiry": ({"measure": ids, "until": st.one_of(days, st.none())}, {"date": days}),
            "revoke": ({"measure": ids}, {"date": days}),
            "change_scope": ({"measure": ids, "products": self.scopes}, {"date": days}),
            "set_flag": ({"flag": st.sampled_from(FLAGS)}, {"date": days}),
        }
        options = [
            st.fixed_dictionaries(
                {"kind": st.just(kind), **required}, optional={**optional, **common}
            )
            for kind, (required, optional) in by_kind.items()
        ]
        if self.dirty:
            options.append(
                st.fixed_dictionaries({"kind": st.sampled_from(["bogus", ""]), "measure": ids})
            )
        return st.one_of(*options)

    def measure(self) -> st.SearchStrategy[dict[str, Any]]:
        @st.composite
        def build(draw: st.DrawFn) -> dict[str, Any]:
            imposer, target = draw(self.directions)
            out: dict[str, Any] = {
                "id": draw(self.ids),
                "name": "a measure",
                "imposer": imposer,
                "target": target,
                "authority": "test",
                "from": draw(self.days),
                "sources": ["src"],
            }
            deep_ok = draw(st.integers(0, 9)) == 0
            optional = {
                "rate": self.rates,
                "until": self.days,
                "status": st.sampled_from(["in_force", "threatened", "suspended", "void"]),
                "value_share": self.shares,
                "headline": st.one_of(st.booleans(), st.just("grp")),
                "type": st.sampled_from(["tariff", "tariff", "non_tariff"]),
                "products": self.deep_scopes if deep_ok else self.scopes,
                "steps": st.lists(
                    st.fixed_dictionaries({"date": self.days, "rate": self.rates}), max_size=3
                ),
            }
            for key, strategy in optional.items():
                if draw(st.booleans()):
                    out[key] = draw(strategy)
            if self.dirty and draw(st.integers(0, 19)) == 0:
                out[draw(st.sampled_from(["bogus", "rate", "from", "id"]))] = draw(junk())
            return out

        return build()

    def trigger(self) -> st.SearchStrategy[dict[str, Any]]:
        @st.composite
        def build(draw: st.DrawFn) -> dict[str, Any]:
            out: dict[str, Any] = {
                "id": draw(self.ids),
                "date": draw(self.days),
                "description": "a trigger",
                "then": draw(st.lists(self.move(), max_size=3)),
                "sources": ["src"],
            }
            which = draw(
                st.sampled_from(
                    ["if", "unless", "none", "both"] if self.dirty else ["if", "unless", "none"]
                )
            )
            cond = self.deep_conditions if draw(st.integers(0, 9)) == 0 else self.conditions
            if which in ("if", "both"):
                out["if"] = draw(cond)
            if which in ("unless", "both"):
                out["unless"] = draw(cond)
            if draw(st.booleans()):
                out["else"] = draw(st.lists(self.move(), max_size=2))
            return out

        return build()


CLEAN, DIRTY = Gen(dirty=False), Gen(dirty=True)


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A scenario dict, clean or dirty, with extreme values, counts and nesting mixed in."""
    gen = draw(st.sampled_from([CLEAN, CLEAN, DIRTY]))
    data: dict[str, Any] = {"title": draw(texts), "references": [{"id": "src", "title": "s"}]}
    if draw(st.booleans()):
        data["horizon"] = draw(st.fixed_dictionaries({"start": gen.days, "end": gen.days}))
    data["flags"] = [{"id": f, "description": "a flag"} for f in FLAGS]
    if draw(st.booleans()):
        data["product_sets"] = draw(st.dictionaries(st.sampled_from(SETS), gen.scopes, max_size=3))
    count = draw(st.sampled_from([0, 1, 2, 3, 5, 8, 300] if gen is DIRTY else [1, 2, 3, 5, 8, 300]))
    if count == 300:  # an honest large input: many measures with their own ids
        template = draw(gen.measure())
        data["measures"] = [{**template, "id": f"gen{i}"} for i in range(count)]
    else:
        data["measures"] = draw(st.lists(gen.measure(), min_size=min(count, 1), max_size=count))
        if gen is CLEAN:  # ids unique, so that references decide what loads
            data["measures"] = list({m["id"]: m for m in data["measures"]}.values())
    data["moves"] = draw(st.lists(gen.move(), max_size=draw(st.sampled_from([0, 2, 6]))))
    n_triggers = draw(st.sampled_from([0, 1, 3, 200]))
    if n_triggers == 200:  # many on one day, each setting the flag the next one tests
        day = draw(normal_days)
        data["flags"] += [{"id": f"c{i}", "description": "a link"} for i in range(n_triggers)]
        data["triggers"] = [
            {
                "id": f"t{n_triggers - i:03d}",
                "date": day,
                "description": "chain",
                "if": {"flag": f"c{i - 1}"},
                "then": [{"kind": "set_flag", "flag": f"c{i}"}],
                "sources": ["src"],
            }
            for i in range(n_triggers)
        ]
        data["triggers"][0]["if"] = {"flag": "deal"}
    else:
        data["triggers"] = draw(st.lists(gen.trigger(), max_size=n_triggers))
    data["stacking"] = draw(st.lists(gen.stacking, max_size=2))
    if gen is CLEAN:
        tidy(data)
    if gen is DIRTY and draw(st.integers(0, 4)) == 0:  # a top-level key broken or unknown
        data[
            draw(
                st.sampled_from(
                    ["measures", "moves", "horizon", "title", "extends", "unknown_key", "remove"]
                )
            )
        ] = draw(junk())
    return data


def tidy(data: dict[str, Any]) -> None:
    """Clean scenarios keep the rules that only relate two dates or two keys (until after
    from, steps in order, one target per extend...), so that more of them load and run."""
    if "horizon" in data:
        data["horizon"] = dict(zip(("start", "end"), sorted(data["horizon"].values()), strict=True))
    for ms in data["measures"]:
        tidy_measure(ms)
    known = [ms["id"] for ms in data["measures"]]

    def known_id(ref: str) -> str:
        return ref if ref in known else known[sum(map(ord, ref)) % len(known)]

    tidy_conditions([t.get(k) for t in data["triggers"] for k in ("if", "unless")], known_id)
    for rule in data["stacking"]:
        rule["measure"] = known_id(rule["measure"])
        rule["not_where"] = [known_id(ref) for ref in rule["not_where"]]
    moves = [
        *data["moves"],
        *(mv for t in data["triggers"] for mv in (*t.get("then", []), *t.get("else", []))),
    ]
    for mv in moves:
        tidy_move(mv, known_id)
    for mv in data["moves"]:
        if mv["kind"] not in ("suspend", "extend"):
            mv.setdefault("date", "2025-06-01")
        if mv["kind"] == "suspend":
            mv.setdefault("from", "2025-06-01")


def tidy_measure(ms: dict[str, Any]) -> None:
    """`until` after `from`, steps in order between them; a tariff has a rate."""
    if ms.get("until") is not None and ms["until"] <= ms["from"]:
        del ms["until"]
    steps = {
        st_["date"]: st_
        for st_ in ms.get("steps", [])
        if ms["from"] < st_["date"] < ms.get("until", "9999")
    }
    ms["steps"] = [steps[d] for d in sorted(steps)]
    if ms.get("type", "tariff") == "tariff":
        ms.setdefault("rate", "10%")
    else:
        ms.pop("rate", None)
        ms.pop("steps", None)


def tidy_conditions(conditions: list[Any], known_id: Any) -> None:
    """Conditions name measures that exist."""
    while conditions:
        cond = conditions.pop()
        if isinstance(cond, dict):
            for key in ("in_force", "suspended"):
                if key in cond:
                    cond[key] = known_id(cond[key])
            conditions.extend([*cond.get("all", []), *cond.get("any", []), cond.get("not")])


def tidy_move(mv: dict[str, Any], known_id: Any) -> None:
    """A move names a measure that exists; an extend names one target; a suspension ends
    after it starts."""
    if "measure" in mv:
        mv["measure"] = known_id(mv["measure"])
    if mv["kind"] == "extend" and "suspension" in mv and "measure" in mv:
        del mv["measure"]
    if mv["kind"] == "extend" and "suspension" not in mv and "measure" not in mv:
        mv["measure"] = "a"
    if mv["kind"] == "suspend" and mv.get("from") and mv.get("until") and mv["until"] <= mv["from"]:
        del mv["until"]


@st.composite
def valid_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """Scenarios that should load: ids resolve, dates and rates in range. They must run."""
    n = draw(st.integers(1, 6))
    mids = [f"m{i}" for i in range(n)]
    good_rate = st.sampled_from(["0%", "2.5%", "10%", "25%", "100%", "10000%"])
    bounded = st.dates(date(1900, 1, 1), date(2199, 12, 31))
    measures = []
    for mid in mids:
        imposer, target = draw(st.sampled_from([("US", "CN"), ("CN", "US")]))
        start = draw(bounded)
        ms = {
            "id": mid,
            "name": mid,
            "imposer": imposer,
            "target": target,
            "authority": "t",
            "rate": draw(good_rate),
            "from": start.isoformat(),
            "sources": ["src"],
            "headline": draw(st.one_of(st.booleans(), st.just("grp"))),
            "products": draw(
                st.sampled_from(
                    [
                        "all",
                        {"hs": ["85"]},
                        {"hs": ["84", "85"], "exclude": {"hs": ["8517"]}},
                        {"lists": ["us-electronics-2025-04"]},
                    ]
                )
            ),
        }
        if draw(st.booleans()):
            ms["status"] = draw(st.sampled_from(["threatened", "suspended", "void"]))
        if draw(st.booleans()):
            ms["value_share"] = draw(st.sampled_from(["0.01%", "50%", "100%"]))
        measures.append(ms)
    day = st.dates(date(1900, 1, 1), date(2199, 12, 31)).map(date.isoformat)
    moves = []
    used: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(0, 6))):
        mid, when = draw(st.sampled_from(mids)), draw(day)
        if (mid, when) in used:
            continue
        used.add((mid, when))
        kind = draw(st.sampled_from(["impose", "set_rate", "revoke", "set_flag"]))
        mv: dict[str, Any] = {"kind": kind, "date": when}
        if kind == "set_flag":
            mv["flag"] = "deal"
        else:
            mv["measure"] = mid
        if kind == "set_rate":
            mv["rate"] = draw(good_rate)
        moves.append(mv)
    # no cycle: a trigger tests the flag (which no trigger sets) or m0 (which none changes)
    triggers = [
        {
            "id": f"t{i}",
            "date": draw(day),
            "description": "t",
            "if": {"in_force": mids[0]} if n > 1 and draw(st.booleans()) else {"flag": "deal"},
            "then": [
                {
                    "kind": "set_rate",
                    "measure": draw(st.sampled_from(mids[1:] or mids)),
                    "rate": draw(good_rate),
                }
            ],
            "sources": ["src"],
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    data = {
        "title": "valid",
        "references": [{"id": "src", "title": "s"}],
        "flags": [{"id": "deal", "description": "d"}],
        "measures": measures,
        "moves": moves,
        "triggers": triggers,
    }
    if draw(st.booleans()):
        a, b = sorted([draw(day), draw(day)])
        data["horizon"] = {"start": a, "end": b}
    return data


# ---------------------------------------------------------------------------- YAML text

_DIR = Path(tempfile.mkdtemp(prefix="tariffsim-fuzz-"))


class _Raw(str):
    """Text already rendered, on the stack of `flow_json`."""


def flow_json(value: Any) -> str:
    """JSON (so YAML) of any depth, rendered with an explicit stack: PyYAML's dumper and
    json.dumps recurse, and the deep structures here are thousands of levels deep."""
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Raw):
            out.append(item)
        elif isinstance(item, dict | list):
            pairs = item.items() if isinstance(item, dict) else ((None, v) for v in item)
            parts: list[Any] = [_Raw("{" if isinstance(item, dict) else "[")]
            for i, (key, sub) in enumerate(pairs):
                if i:
                    parts.append(_Raw(", "))
                if key is not None:
                    parts.append(_Raw(json.dumps(str(key)) + ": "))
                parts.append(sub)
            parts.append(_Raw("}" if isinstance(item, dict) else "]"))
            stack.extend(reversed(parts))
        elif isinstance(item, date):
            out.append(json.dumps(item.isoformat()))
        else:
            out.append(json.dumps(item))
    return "".join(out) + "\n"


def _dump(data: Any) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, RecursionError):
        return flow_json(data)


hostile_texts = st.one_of(
    st.integers(1, 6000).map(lambda n: "title: t\nmeasures: " + "[" * n + "]" * n + "\n"),
    st.integers(1, 6000).map(lambda n: "title: t\nhorizon: " + "{a: " * n + "1" + "}" * n),
    st.integers(1, 1500).map(
        lambda n: "title: t\nx:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(n))
    ),
    st.sampled_from(
        [
            "a: &a [*a]\n",
            "title: &t {x: *t}\n",
            "title: !!python/object:os.system x\n",
            "\ufefftitle: t\n",
            "title: t\x00\n",
            "title: t\ntitle: u\n",
            "- title: x\n",
            "",
            "---\n---\n",
            "title: [\n",
            "\t title: t\n",
            "title: t\n<<: {a: 1}\n",
            "? [a]\n: b\n",
            "title: !custom t\n",
        ]
    ),
    st.integers(1, 30).map(
        lambda n: (
            "a: &a0 [x, x]\n"
            + "".join(f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n" for i in range(1, n))
            + "title: t\n"
        )
    ),
    st.text(max_size=200),
)


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    """A scenario as YAML: generated and dumped, then sometimes cut, spliced or replaced."""
    how = draw(st.sampled_from(["plain", "plain", "plain", "cut", "splice", "hostile"]))
    if how == "hostile":
        return draw(hostile_texts)
    text = _dump(draw(st.one_of(scenarios(), valid_scenarios())))
    if how == "cut":
        return text[: draw(st.integers(0, len(text)))]
    if how == "splice":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.one_of(st.text(max_size=20), hostile_texts)) + text[at:]
    return text


# ---------------------------------------------------------------------------- properties


@fuzz(120)
@given(scenarios())
def test_dicts_get_an_answer_and_what_loads_runs(data: dict[str, Any]) -> None:
    agree(lambda: scenario_from_dict(data, "fuzz"), "dict")


@fuzz(50)
@given(valid_scenarios())
def test_valid_dicts_load_and_run(data: dict[str, Any]) -> None:
    scenario_from_dict(data, "fuzz")  # must load: every reference resolves, values in range
    agree(lambda: scenario_from_dict(data, "fuzz"), "valid dict")


@fuzz(100)
@given(yaml_texts())
def test_yaml_files_get_an_answer_and_what_loads_runs(text: str) -> None:
    path = _DIR / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    agree(lambda: load_scenario(path), "yaml")
