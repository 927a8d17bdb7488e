"""Builders of the measures the hand-worked tests write (one source, `src`, for all)."""

from __future__ import annotations

from typing import Any

US_CN, CN_US = ("US", "CN"), ("CN", "US")


def tariff(
    ident: str,
    rate: str,
    start: str = "2025-01-01",
    hs: list[str] | None = None,
    direction: tuple[str, str] = US_CN,
    **extra: Any,
) -> dict[str, Any]:
    """A tariff measure on `hs` prefixes (all products when None), named `the ID tariff`."""
    return {
        "id": ident,
        "name": f"the {ident} tariff",
        "imposer": direction[0],
        "target": direction[1],
        "authority": "test",
        "rate": rate,
        "from": start,
        "sources": ["src"],
        "products": "all" if hs is None else {"hs": hs},
        **extra,
    }


# pre-summit with the deal flag set on the day of the Busan meeting: the 100% threat never
# fires (the other path of the tests' deal-or-no-deal outlooks is pre-summit itself)
DEAL = {
    "title": "deal",
    "extends": "pre-summit",
    "moves": [{"kind": "set_flag", "flag": "deal-reached", "date": "2025-10-30"}],
}
