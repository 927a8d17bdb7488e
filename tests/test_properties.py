"""Invariants of schedules, moves, triggers and stacking, over generated scenarios."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
from helpers import measure, scenario
from hypothesis import given
from hypothesis import strategies as st

from tariffsim import simulate
from tariffsim.timeline import Timeline

START = date(2025, 1, 1)
days = st.integers(0, 364).map(lambda n: START + timedelta(days=n))
rates = st.integers(0, 80).map(lambda n: n * 2.5)          # percent, 0% .. 200%
SCOPES = ["all", {"hs": ["84"]}, {"hs": ["85", "94"]}, {"lists": ["us-s301-list3"]},
          {"all": True, "exclude": {"hs": ["85"]}}]


def pct(x: float) -> str:
    return f"{x:g}%"


@st.composite
def schedules(draw) -> list[tuple[date, float]]:
    points = draw(st.dictionaries(days, rates, min_size=1, max_size=5))
    return sorted((d, r / 100) for d, r in points.items())


# ------------------------------------------------------------------- timelines

@given(schedules(), days, days, rates)
def test_suspension_restores_the_prior_value_outside_its_window(sched, a, b, residual):
    start, until = min(a, b), max(a, b) + timedelta(days=1)
    plain = Timeline("m", True, sched, base=list(sched))
    suspended = Timeline("m", True, sched, base=list(sched))
    suspended.suspend("s", start, until, residual / 100)
    for n in range(0, 400, 7):
        day = START + timedelta(days=n)
        if start <= day < until:
            legal = plain.rate(day)
            assert suspended.rate(day) == (None if legal is None else min(legal, residual / 100))
        else:
            assert suspended.rate(day) == plain.rate(day)


@given(schedules(), days)
def test_set_rate_changes_only_until_the_next_breakpoint(sched, day):
    tl = Timeline("m", True, sched, base=list(sched))
    before = {n: tl.rate(START + timedelta(days=n)) for n in range(0, 400, 5)}
    tl.set_rate(day, 0.42)
    later = [d for d, _ in sched if d > day]
    stop = later[0] if later else date.max
    for n, old in before.items():
        d = START + timedelta(days=n)
        assert tl.rate(d) == (0.42 if day <= d < stop else old)


# ------------------------------------------------------------------- scenarios

@st.composite
def scenarios(draw, with_rules: bool = True):
    n = draw(st.integers(1, 4))
    measures = []
    for i in range(n):
        measures.append(measure(
            f"m{i}", pct(draw(rates)), draw(days).isoformat(),
            products=draw(st.sampled_from(SCOPES)), headline=draw(st.booleans()),
            status=draw(st.sampled_from(["in_force", "in_force", "threatened"]))))
    moves, used = [], set()
    for k in range(draw(st.integers(0, 6))):
        target = f"m{draw(st.integers(0, n - 1))}"
        day = draw(days)
        kind = draw(st.sampled_from(["set_rate", "suspend", "revoke", "impose"]))
        if kind == "suspend":
            moves.append({"id": f"s{k}", "kind": "suspend", "measure": target,
                          "from": day.isoformat(), "rate": pct(draw(rates)),
                          "until": (day + timedelta(days=draw(st.integers(1, 200)))).isoformat()})
            continue
        if (target, day) in used:
            continue
        used.add((target, day))
        move = {"kind": kind, "measure": target, "date": day.isoformat()}
        if kind == "set_rate":
            move["rate"] = pct(draw(rates))
        moves.append(move)
    stacking = []
    if with_rules and n > 1 and draw(st.booleans()):
        stacking.append({"id": "r", "measure": "m0", "description": "x", "not_where": ["m1"]})
    return measures, moves, stacking


def build(measures, moves, stacking):
    return scenario(measures, moves, stacking=stacking)


@given(scenarios())
def test_rates_are_never_negative_and_layers_sum_to_the_total(parts):
    r = simulate(build(*parts))
    assert (r.rates[["headline_rate", "effective_rate"]] >= -1e-12).all().all()
    d = r.direction("US", "CN")
    assert np.allclose(d.effective, d.mfn + d.contribution.sum(axis=1))
    assert (d.coverage >= -1e-12).all() and (d.coverage <= 1 + 1e-9).all()
    layers = r.layers.groupby("date")["contribution"].sum()
    eff = r.rates[r.rates.imposer == "US"].set_index("date")["effective_rate"]
    assert np.allclose(layers.reindex(eff.index).to_numpy(), eff.to_numpy())


@given(scenarios(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_moves_are_written(parts, rnd: random.Random):
    measures, moves, stacking = parts
    shuffled = list(moves)
    rnd.shuffle(shuffled)
    a, b = simulate(build(measures, moves, stacking)), simulate(build(measures, shuffled,
                                                                      stacking))
    assert a.rates.equals(b.rates)
    assert a.events.drop(columns="sources").sort_values(["date", "id", "measure", "detail"]) \
        .reset_index(drop=True).equals(b.events.drop(columns="sources").sort_values(
            ["date", "id", "measure", "detail"]).reset_index(drop=True))


@given(scenarios(), days)
def test_effective_rate_lies_between_the_smallest_and_largest_product_rate(parts, day):
    r = simulate(build(*parts))
    products = r.product_rates(day, "US", "CN")
    eff = float(r.at(day).query("imposer == 'US'").effective_rate.iloc[0])
    assert products.rate.min() - 1e-9 <= eff <= products.rate.max() + 1e-9
    assert np.isclose((products.rate * products.weight).sum(), eff)


@given(scenarios(with_rules=False), rates, days, st.sampled_from(SCOPES))
def test_adding_a_measure_never_lowers_a_product_rate(parts, extra_rate, start, scope):
    measures, moves, stacking = parts
    before = simulate(build(measures, moves, stacking))
    extra = measure("extra", pct(extra_rate), start.isoformat(), products=scope)
    after = simulate(build([*measures, extra], moves, stacking))
    for day in ("2025-03-01", "2025-09-01", "2025-12-31"):
        a = before.product_rates(day, "US", "CN").rate.to_numpy()
        b = after.product_rates(day, "US", "CN").rate.to_numpy()
        assert (b >= a - 1e-12).all()


@given(scenarios(), days, st.integers(1, 300), st.integers(1, 300))
def test_extending_a_suspension_never_shortens_it(parts, day, length, more):
    measures, moves, stacking = parts
    until = day + timedelta(days=length)
    susp = {"id": "sx", "kind": "suspend", "measure": "m0", "from": day.isoformat(),
            "until": until.isoformat()}
    ext = {"kind": "extend", "suspension": "sx", "date": day.isoformat(),
           "until": (until + timedelta(days=more)).isoformat()}
    a = simulate(build(measures, [*moves, susp], stacking))
    b = simulate(build(measures, [*moves, susp, ext], stacking))
    for n in range(0, 365, 3):
        d = START + timedelta(days=n)
        if a.state.timelines["m0"].suspended(d):
            assert b.state.timelines["m0"].suspended(d)


@given(days, days, st.booleans())
def test_unless_trigger_fires_exactly_when_the_flag_is_not_yet_set(flag_day, trigger_day,
                                                                    set_flag):
    threat = measure("threat", "100%", "2025-01-01", status="threatened", headline=True)
    moves = ([{"kind": "set_flag", "flag": "deal", "date": flag_day.isoformat()}]
             if set_flag else [])
    trigger = {"id": "fire", "date": trigger_day.isoformat(), "description": "threat",
               "unless": {"flag": "deal"}, "then": [{"kind": "impose", "measure": "threat"}]}
    r = simulate(scenario([threat], moves, flags=[{"id": "deal", "description": "deal"}],
                          triggers=[trigger]))
    should_fire = not (set_flag and flag_day <= trigger_day)
    logged = r.events[r.events.kind == "trigger"]
    assert logged.fired.tolist() == [should_fire]
    before = (trigger_day - timedelta(days=1)).isoformat()
    if trigger_day > START:
        assert r.at(before).query("imposer == 'US'").headline_rate.iloc[0] == 0
    after = r.at(trigger_day.isoformat()).query("imposer == 'US'").headline_rate.iloc[0]
    assert after == (1.0 if should_fire else 0.0)
