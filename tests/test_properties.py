"""Invariants of schedules, moves, triggers and stacking, over generated scenarios.

Expected values come from small oracles written here from the rules in the README (plain
Python for rates over time, plain numpy/pandas over the packaged trade table for products),
never from tariffsim's own functions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from helpers import measure, raw_mask, raw_universe, scenario
from hypothesis import example, given
from hypothesis import strategies as st

from tariffsim import simulate
from tariffsim.engine.timeline import Schedule, Timeline

START = date(2025, 1, 1)
YEAR = [START + timedelta(days=n) for n in range(365)]  # the test scenarios' horizon
days = st.integers(0, 364).map(lambda n: START + timedelta(days=n))
rates = st.integers(0, 80).map(lambda n: n * 2.5)  # percent, 0% .. 200%


def pct(x: float) -> str:
    return f"{x:g}%"


# ------------------------------------------------------------------- timelines


@st.composite
def schedules(draw) -> list[tuple[date, float]]:
    points = draw(st.dictionaries(days, rates, min_size=1, max_size=5))
    return sorted((d, r / 100) for d, r in points.items())


def step_value(schedule: list[tuple[date, float]], day: date) -> float | None:
    """A piecewise-constant schedule read by hand: the rate of the last point on or before
    `day`; None before the first point."""
    value = None
    for when, rate in schedule:
        if when <= day:
            value = rate
    return value


PROBE = [START + timedelta(days=n) for n in range(-3, 400)]  # every day, a margin each side


@given(schedules(), days, days, rates)
def test_suspension_charges_the_residual_inside_its_window_only(sched, a, b, residual):
    start, until = min(a, b), max(a, b) + timedelta(days=1)
    tl = Timeline("m", True, Schedule(sched), base=Schedule(sched))
    tl.suspend("s", start, until, residual / 100)
    for day in PROBE:
        legal = step_value(sched, day)
        inside = start <= day < until  # [from, until): half-open
        expected = min(legal, residual / 100) if inside and legal is not None else legal
        assert tl.rate(day) == expected, day
        assert tl.suspended(day) == (inside and legal is not None), day


@given(schedules(), days)
def test_set_rate_changes_only_until_the_next_breakpoint(sched, day):
    tl = Timeline("m", True, Schedule(sched), base=Schedule(sched))
    tl.set_rate(day, 0.42)
    later = [d for d, _ in sched if d > day]
    stop = later[0] if later else date.max
    for d in PROBE:
        assert tl.rate(d) == (0.42 if day <= d < stop else step_value(sched, d)), d


# ---------------------------------------------- scenarios against an independent oracle

# product scopes as written in a scenario, and the same scope read off the trade table
SCOPES: list[tuple[object, np.ndarray]] = [
    ("all", np.ones(len(raw_universe()), dtype=bool)),
    ({"hs": ["84"]}, raw_mask(["84"])),
    ({"hs": ["85", "94"]}, raw_mask(["85", "94"])),
    ({"lists": ["us-s301-list3"]}, raw_mask(lists=["us-s301-list3"])),
    ({"all": True, "exclude": {"hs": ["85"]}}, ~raw_mask(["85"])),
]
WEIGHT = raw_universe()["weight"].to_numpy()
MFN = raw_universe()["mfn"].to_numpy()


@dataclass
class Spec:
    """One generated measure and the moves on it, kept as data for the oracle."""

    id: str
    rate: float  # fractions throughout
    start: date
    scope: int  # index into SCOPES
    headline: bool | str
    threatened: bool
    value_share: float
    set_rate: tuple[date, float] | None = None  # in-force measures only, after `start`
    impose: tuple[date, float | None] | None = None  # threatened measures only
    revoke: date | None = None
    suspend: tuple[date, date, float] | None = None  # [from, until), residual

    # -------------------------------------------------------------- the rules, by hand
    def legal(self, day: date) -> float | None:
        """Own rate on `day` ignoring suspensions; None when not in force. Revoke ends the
        measure and drops later changes; an impose after a revoke brings it back."""
        if self.threatened:
            if self.impose is None or day < self.impose[0]:
                return None
            if self.revoke is not None and self.impose[0] < self.revoke <= day:
                return None
            return self.impose[1] if self.impose[1] is not None else self.rate
        if self.revoke is not None and day >= self.revoke:
            return None
        if day < self.start:
            return None
        if self.set_rate is not None and day >= self.set_rate[0]:
            return self.set_rate[1]
        return self.rate

    def in_window(self, day: date) -> bool:
        return self.suspend is not None and self.suspend[0] <= day < self.suspend[1]

    def charged(self, day: date) -> float | None:
        """A suspension charges its residual, never more than the measure's own rate."""
        legal = self.legal(day)
        if legal is None or not self.in_window(day):
            return legal
        return min(legal, self.suspend[2])

    def in_force(self, day: date) -> bool:
        """In force unless not in force at all or suspended down to nothing."""
        charged = self.charged(day)
        return charged is not None and (charged > 0 or not self.in_window(day))

    def to_yaml(self) -> tuple[dict, list[dict]]:
        ms = measure(
            self.id,
            pct(self.rate * 100),
            self.start.isoformat(),
            products=SCOPES[self.scope][0],
            headline=self.headline,
            status="threatened" if self.threatened else "in_force",
            value_share=pct(self.value_share * 100),
        )
        moves = []
        if self.set_rate:
            moves.append(
                {
                    "kind": "set_rate",
                    "measure": self.id,
                    "date": self.set_rate[0].isoformat(),
                    "rate": pct(self.set_rate[1] * 100),
                }
            )
        if self.impose:
            mv = {"kind": "impose", "measure": self.id, "date": self.impose[0].isoformat()}
            if self.impose[1] is not None:
                mv["rate"] = pct(self.impose[1] * 100)
            moves.append(mv)
        if self.revoke:
            moves.append({"kind": "revoke", "measure": self.id, "date": self.revoke.isoformat()})
        if self.suspend:
            f, u, q = self.suspend
            moves.append(
                {
                    "id": f"s-{self.id}",
                    "kind": "suspend",
                    "measure": self.id,
                    "from": f.isoformat(),
                    "until": u.isoformat(),
                    "rate": pct(q * 100),
                }
            )
        return ms, moves


@dataclass
class World:
    specs: list[Spec]
    rule: tuple[date | None, date | None] | None  # m0 not where m1, active [from, until)

    def build(self):
        measures, moves = [], []
        for spec in self.specs:
            ms, mv = spec.to_yaml()
            measures.append(ms)
            moves.extend(mv)
        stacking = []
        if self.rule is not None:
            rule = {"id": "r", "measure": "m0", "description": "x", "not_where": ["m1"]}
            if self.rule[0]:
                rule["from"] = self.rule[0].isoformat()
            if self.rule[1]:
                rule["until"] = self.rule[1].isoformat()
            stacking.append(rule)
        return scenario(measures, moves, stacking=stacking)

    def rule_on(self, day: date) -> bool:
        if self.rule is None:
            return False
        lo, hi = self.rule
        return (lo is None or lo <= day) and (hi is None or day < hi)

    def reach(self, i: int, day: date) -> np.ndarray:
        """Per product, the share of value measure i reaches on `day` before its own value
        share: 1 on its scope; for m0 under the rule, less m1's value share where m1 is in
        force and covers the product (a derivative's metal content pays m1 instead)."""
        reach = SCOPES[self.specs[i].scope][1].astype(float)
        if (
            i == 0
            and self.rule_on(day)
            and self.specs[0].in_force(day)
            and self.specs[1].in_force(day)
        ):
            m1 = self.specs[1]
            reach = reach * (1 - SCOPES[m1.scope][1] * m1.value_share)
        return reach

    def product_rates(self, day: date) -> np.ndarray:
        total = MFN.copy()
        for i, spec in enumerate(self.specs):
            if spec.in_force(day):
                total += spec.charged(day) * spec.value_share * self.reach(i, day)
        return total

    def layer(self, i: int, day: date) -> tuple[float, float]:
        """(coverage, contribution) of measure i: the trade share it reaches, and that share
        times its rate times its value share."""
        spec = self.specs[i]
        coverage = float(self.reach(i, day) @ WEIGHT)
        return coverage, spec.charged(day) * spec.value_share * coverage

    def headline(self, day: date) -> float:
        """Headline measures add up; the group 'g' counts once, at its highest member."""
        own = [s.charged(day) or 0.0 for s in self.specs if s.headline is True]
        group = [s.charged(day) or 0.0 for s in self.specs if s.headline == "g"]
        return sum(own) + max(group, default=0.0)


def later(draw, after: date) -> date | None:
    """A day after `after` within the year, if there is one."""
    gap = (date(2025, 12, 31) - after).days
    return after + timedelta(days=draw(st.integers(1, gap))) if gap >= 1 else None


@st.composite
def worlds(draw) -> World:
    specs = []
    for i in range(draw(st.integers(1, 4))):
        threatened = draw(st.sampled_from([False, False, True]))
        spec = Spec(
            f"m{i}",
            draw(rates) / 100,
            draw(days),
            draw(st.integers(0, 4)),
            draw(st.sampled_from([False, True, "g"])),
            threatened,
            draw(st.sampled_from([1.0, 1.0, 0.4])),
        )
        static = set()  # one static move per measure and day
        if threatened and draw(st.booleans()):
            rate = draw(st.one_of(st.none(), rates))
            spec.impose = (draw(days), None if rate is None else rate / 100)
            static.add(spec.impose[0])
        if not threatened and draw(st.booleans()):
            day = later(draw, spec.start)
            if day is not None:
                spec.set_rate = (day, draw(rates) / 100)
                static.add(day)
        if draw(st.integers(0, 2)) == 0:
            day = draw(days)
            if day not in static:
                spec.revoke = day
        if draw(st.booleans()):
            f = draw(days)
            spec.suspend = (f, f + timedelta(days=draw(st.integers(1, 200))), draw(rates) / 100)
        specs.append(spec)
    rule = None
    if len(specs) > 1 and draw(st.integers(0, 3)) > 0:
        lo = draw(st.one_of(st.none(), days))
        hi = draw(st.one_of(st.none(), days))
        if lo is not None and hi is not None and hi <= lo:
            lo, hi = hi, lo + timedelta(days=1)
        rule = (lo, hi)
    return World(specs, rule)


D = date
# The rule at work, whatever the generator draws: m0 (10%, 20% from 1 Sep) yields to m1 on
# m1's chapters 85/94 from 15 Feb to 1 Nov, on m1's 40% value share; m1 is suspended to
# nothing in May (no longer in force, so the rule lets go); m2, a threat, is imposed on
# 1 Apr and revoked on 1 Oct; m1 and m2 form the headline group "g".
RULE_AT_WORK = World(
    [
        Spec("m0", 0.10, D(2025, 1, 1), 0, True, False, 1.0, set_rate=(D(2025, 9, 1), 0.20)),
        Spec(
            "m1",
            0.25,
            D(2025, 3, 1),
            2,
            "g",
            False,
            0.4,
            suspend=(D(2025, 5, 1), D(2025, 6, 1), 0.0),
        ),
        Spec(
            "m2",
            0.075,
            D(2025, 2, 1),
            3,
            "g",
            True,
            1.0,
            impose=(D(2025, 4, 1), None),
            revoke=D(2025, 10, 1),
        ),
    ],
    rule=(D(2025, 2, 15), D(2025, 11, 1)),
)
# A partial suspension keeps m0 in force at 5%; m1 (chapter 84, full value) displaces it
# from 1 Apr until its revocation on 1 Jun; its set_rate of 1 Jul comes too late to count.
PARTIAL = World(
    [
        Spec(
            "m0",
            0.25,
            D(2025, 1, 1),
            3,
            True,
            False,
            1.0,
            suspend=(D(2025, 2, 1), D(2025, 8, 1), 0.05),
        ),
        Spec(
            "m1",
            0.50,
            D(2025, 4, 1),
            1,
            True,
            False,
            1.0,
            set_rate=(D(2025, 7, 1), 0.75),
            revoke=D(2025, 6, 1),
        ),
    ],
    rule=(None, None),
)


@example(RULE_AT_WORK)
@example(PARTIAL)
@given(worlds())
def test_daily_rates_and_layers_match_the_rules_worked_by_hand(world):
    r = simulate(world.build())
    us = r.rates[r.rates.imposer == "US"]
    assert us.date.dt.date.tolist() == YEAR
    mfn = float(MFN @ WEIGHT)
    expected_eff, expected_layers = [], []
    for day in YEAR:
        layers = {s.id: world.layer(i, day) for i, s in enumerate(world.specs) if s.in_force(day)}
        expected_eff.append(mfn + sum(c for _, c in layers.values()))
        expected_layers += [(pd.Timestamp(day), k, cov, c) for k, (cov, c) in layers.items()]
    np.testing.assert_allclose(us.effective_rate, expected_eff, rtol=0, atol=1e-9)
    np.testing.assert_allclose(
        us.headline_rate, [world.headline(d) for d in YEAR], rtol=0, atol=1e-12
    )
    # one layer row per measure and day it is in force, with its coverage and contribution
    got = r.layers[r.layers.measure != "mfn"].sort_values(["date", "measure"])
    want = pd.DataFrame(
        expected_layers, columns=["date", "measure", "coverage", "contribution"]
    ).sort_values(["date", "measure"])
    assert list(zip(got.date, got.measure, strict=True)) == list(
        zip(want.date, want.measure, strict=True)
    )
    for column in ("coverage", "contribution"):
        np.testing.assert_allclose(
            got[column].to_numpy(float), want[column].to_numpy(float), rtol=0, atol=1e-9
        )


@example(RULE_AT_WORK, [D(2025, 3, 1), D(2025, 5, 15), D(2025, 9, 1)])
@example(PARTIAL, [D(2025, 3, 1), D(2025, 4, 1), D(2025, 7, 1)])
@given(worlds(), st.lists(days, min_size=1, max_size=3))
def test_product_rates_match_the_rules_worked_by_hand(world, probe):
    r = simulate(world.build())
    for day in probe:
        got = r.product_rates(day, "US-CN")
        assert got["product"].tolist() == raw_universe()["code"].tolist()
        np.testing.assert_allclose(got.rate, world.product_rates(day), rtol=0, atol=1e-12)


# ---------------------------------------------- order of writing never matters

SUSPEND_DAYS = [date(2025, 3, 1), date(2025, 6, 1)]  # few days, so moves collide


@st.composite
def crowded(draw):
    """Few measures and days, several suspensions of one measure from one day, moves of
    every order-sensitive kind on the same days: where written order could leak, it would."""
    measures = [measure(f"m{i}", pct(draw(rates)), "2025-01-01", headline=True) for i in range(2)]
    moves, static = [], set()
    for k in range(draw(st.integers(2, 8))):
        target = f"m{draw(st.integers(0, 1))}"
        day = draw(st.sampled_from(SUSPEND_DAYS))
        kind = draw(st.sampled_from(["suspend", "suspend", "set_rate", "revoke", "extend"]))
        if kind == "suspend":
            until = day + timedelta(days=draw(st.integers(1, 200)))
            moves.append(
                {
                    "id": f"s{k}",
                    "kind": "suspend",
                    "measure": target,
                    "from": day.isoformat(),
                    "until": until.isoformat(),
                    "rate": pct(draw(rates)),
                }
            )
        elif kind == "extend":
            ids = [
                mv
                for mv in moves
                if mv["kind"] == "suspend" and mv["from"] <= day.isoformat() < mv["until"]
            ]
            if ids:
                mv = draw(st.sampled_from(ids))
                until = date.fromisoformat(mv["until"]) + timedelta(days=draw(st.integers(1, 100)))
                moves.append(
                    {
                        "kind": "extend",
                        "suspension": mv["id"],
                        "date": day.isoformat(),
                        "until": until.isoformat(),
                    }
                )
        elif (target, day) not in static:
            static.add((target, day))
            move = {"kind": kind, "measure": target, "date": day.isoformat()}
            if kind == "set_rate":
                move["rate"] = pct(draw(rates))
            moves.append(move)
    seen, kept = set(), []  # one extension per suspension (a second may shorten it)
    for mv in moves:
        if mv["kind"] == "extend":
            if mv["suspension"] in seen:
                continue
            seen.add(mv["suspension"])
        kept.append(mv)
    return measures, kept


@given(crowded(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_moves_are_written(parts, rnd: random.Random):
    measures, moves = parts
    shuffled = list(moves)
    rnd.shuffle(shuffled)
    key = ["date", "id", "measure", "detail"]
    a = simulate(scenario(measures, moves))
    for other in (shuffled, moves[::-1]):
        b = simulate(scenario(measures, other))
        assert a.rates.equals(b.rates)
        assert (
            a.events.drop(columns="sources")
            .sort_values(key)
            .reset_index(drop=True)
            .equals(b.events.drop(columns="sources").sort_values(key).reset_index(drop=True))
        )


# ---------------------------------------------- extensions and unless-triggers


@given(days, st.integers(1, 200), st.data(), st.integers(1, 200), rates, rates)
def test_an_extension_moves_the_end_of_its_suspension_to_the_new_date(
    start, length, data, more, rate, residual
):
    until = start + timedelta(days=length)
    decided = start + timedelta(days=data.draw(st.integers(0, length - 1)))  # while it runs
    new_until = until + timedelta(days=more)
    susp = {
        "id": "sx",
        "kind": "suspend",
        "measure": "m",
        "from": start.isoformat(),
        "until": until.isoformat(),
        "rate": pct(residual),
    }
    ext = {
        "kind": "extend",
        "suspension": "sx",
        "date": decided.isoformat(),
        "until": new_until.isoformat(),
    }
    m = measure("m", pct(rate), "2025-01-01", headline=True)
    plain = simulate(scenario([m], [susp]))
    extended = simulate(scenario([m], [susp, ext]))
    charged = min(rate, residual) / 100  # a suspension never raises the rate
    for result, end in ((plain, until), (extended, new_until)):
        expected = [charged if start <= d < end else rate / 100 for d in YEAR]
        np.testing.assert_allclose(
            result.rates.query("imposer == 'US'").headline_rate, expected, rtol=0, atol=1e-12
        )
        ends = result.events[(result.events.kind == "deadline") & (result.events.id == "sx")]
        assert ends.date.dt.date.tolist() == ([end] if end <= YEAR[-1] else [])


@given(days, days, st.booleans())
def test_unless_trigger_fires_exactly_when_the_flag_is_not_yet_set(flag_day, trigger_day, set_flag):
    threat = measure("threat", "100%", "2025-01-01", status="threatened", headline=True)
    moves = [{"kind": "set_flag", "flag": "deal", "date": flag_day.isoformat()}] if set_flag else []
    trigger = {
        "id": "fire",
        "date": trigger_day.isoformat(),
        "description": "threat",
        "unless": {"flag": "deal"},
        "then": [{"kind": "impose", "measure": "threat"}],
    }
    r = simulate(
        scenario([threat], moves, flags=[{"id": "deal", "description": "deal"}], triggers=[trigger])
    )
    should_fire = not (set_flag and flag_day <= trigger_day)
    logged = r.events[r.events.kind == "trigger"]
    assert logged.fired.tolist() == [should_fire]
    # the threat's 100% from the trigger day on if it fired; nothing on any day otherwise
    expected = [1.0 if should_fire and d >= trigger_day else 0.0 for d in YEAR]
    assert r.rates.query("imposer == 'US'").headline_rate.tolist() == expected
