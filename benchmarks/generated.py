"""Generated inputs of the benchmarks: scenarios as plain data (for `ts.scenario_from_dict`)
and larger product universes built from the packaged ones. Public API only: `ProductUniverse`
is the one class named outside `tariffsim`'s top level (tariffsim.products)."""

from __future__ import annotations

import random
from datetime import date, timedelta

REFS = [{"id": "gen", "title": "generated"}]


def one_measure_moves(n_moves: int, start: date = date(2000, 1, 1)) -> dict:
    """One US→CN measure on every product line and `n_moves` dated `set_rate` moves on it, one
    a day, cycling through 0%..30%: n_moves + 1 change points (the horizon ends 10 days after
    the last move; 10,000 moves span 27 years)."""

    def day(i: int) -> str:
        return (start + timedelta(days=i)).isoformat()

    return {
        "title": f"{n_moves} set_rate moves on one measure",
        "references": REFS,
        "horizon": {"start": day(0), "end": day(n_moves + 10)},
        "measures": [
            {
                "id": "m",
                "name": "one measure",
                "imposer": "US",
                "target": "CN",
                "authority": "generated",
                "products": "all",
                "rate": "10%",
                "from": day(0),
                "headline": True,
                "sources": ["gen"],
            }
        ],
        "moves": [
            {"kind": "set_rate", "measure": "m", "rate": f"{5 * (i % 7)}%", "date": day(i + 1)}
            for i in range(n_moves)
        ],
    }


def engine_scenario(
    n_measures: int = 200, n_moves: int = 1000, years: int = 10, seed: int = 7
) -> dict:
    """`n_measures` measures in both directions (a tenth on every line, the rest on 1-8 HS
    chapters), `n_moves` random moves (set_rate, suspend, revoke, impose) and 10 exclusion
    rules over `years` years from 2016."""
    rnd = random.Random(seed)
    start = date(2016, 1, 1)
    chapters = [f"{n:02d}" for n in range(1, 98) if n != 77]
    span = years * 365

    def day() -> str:
        return (start + timedelta(days=rnd.randrange(span))).isoformat()

    measures = []
    for i in range(n_measures):
        imposer, target = ("US", "CN") if i % 2 == 0 else ("CN", "US")
        scope: object = "all" if i % 10 == 0 else {"hs": rnd.sample(chapters, rnd.randint(1, 8))}
        measures.append(
            {
                "id": f"m{i}",
                "name": f"measure {i}",
                "imposer": imposer,
                "target": target,
                "authority": "generated",
                "products": scope,
                "rate": f"{rnd.choice([5, 7.5, 10, 15, 25, 50])}%",
                "from": day(),
                "headline": i % 10 == 0,
                "sources": ["gen"],
            }
        )
    moves, used = [], set()
    while len(moves) < n_moves:
        target, when = f"m{rnd.randrange(n_measures)}", day()
        kind = rnd.choice(["set_rate", "set_rate", "suspend", "revoke", "impose"])
        if kind == "suspend":
            until = (date.fromisoformat(when) + timedelta(days=rnd.randint(30, 400))).isoformat()
            moves.append(
                {
                    "id": f"s{len(moves)}",
                    "kind": "suspend",
                    "measure": target,
                    "from": when,
                    "until": until,
                    "rate": "0%",
                }
            )
            continue
        if (target, when) in used:
            continue
        used.add((target, when))
        move = {"kind": kind, "measure": target, "date": when}
        if kind != "revoke":
            move["rate"] = f"{rnd.choice([0, 10, 20, 34, 100])}%"
        moves.append(move)
    rules = [
        {
            "id": f"r{i}",
            "measure": f"m{2 * i}",
            "description": "generated exclusion",
            "not_where": [f"m{2 * i + 2}"],
        }
        for i in range(10)
    ]
    return {
        "title": "generated benchmark",
        "references": REFS,
        "horizon": {
            "start": start.isoformat(),
            "end": (start + timedelta(days=span - 1)).isoformat(),
        },
        "measures": measures,
        "moves": moves,
        "stacking": rules,
    }


def tiled(universe, k: int):
    """`universe` repeated k times with distinct codes: copy i appends the two digits of i to
    every code, so codes stay digit strings of one length and every scope (HS prefixes and
    list codes of at most the original length) selects the same lines in each copy. Values
    are repeated too, so trade weights keep their proportions and every rate equals the
    original universe's. k == 1 returns the universe itself."""
    import numpy as np

    from tariffsim.products import ProductUniverse

    if k == 1:
        return universe
    if k > 100:
        raise ValueError("two digits tell at most 100 copies apart")
    codes = np.concatenate([np.char.add(universe.codes, f"{i:02d}") for i in range(k)])
    return ProductUniverse(
        universe.imposer,
        universe.target,
        codes=codes,
        descriptions=np.tile(universe.descriptions, k),
        values=np.tile(universe.values, k),
        mfn=np.tile(universe.mfn, k),
        weights_label=universe.weights_label,
        source=f"{universe.source}, tiled {k}x with distinct codes",
    )
