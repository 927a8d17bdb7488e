"""Builders for small in-memory scenarios used across the tests."""

from __future__ import annotations

from typing import Any

from tariffsim.loader import scenario_from_dict


def measure(ident: str, rate: str | None = "10%", start: str = "2025-01-01", **extra: Any
            ) -> dict[str, Any]:
    out: dict[str, Any] = {"id": ident, "name": ident, "imposer": "US", "target": "CN",
                           "authority": "test", "from": start, "sources": ["src"], **extra}
    if rate is not None:
        out["rate"] = rate
    return out


def scenario(measures: list[dict], moves: list[dict] | None = None, **extra: Any):
    data = {"title": "test", "references": [{"id": "src", "title": "a source"}],
            "horizon": {"start": "2025-01-01", "end": "2025-12-31"},
            "measures": measures, "moves": moves or [], **extra}
    return scenario_from_dict(data)
