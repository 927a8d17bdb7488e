"""Builders for small in-memory scenarios used across the tests, and the packaged tables read
with plain pandas, so expected values never go through tariffsim's own code."""

from __future__ import annotations

import gzip
import io
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tariffsim.scenario.loading import scenario_from_dict

DATA = Path(__file__).resolve().parent.parent / "tariffsim" / "data"


def measure(
    ident: str, rate: str | None = "10%", start: str = "2025-01-01", **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": ident,
        "name": ident,
        "imposer": "US",
        "target": "CN",
        "authority": "test",
        "from": start,
        "sources": ["src"],
        **extra,
    }
    if rate is not None:
        out["rate"] = rate
    return out


def scenario(measures: list[dict], moves: list[dict] | None = None, **extra: Any):
    data = {
        "title": "test",
        "references": [{"id": "src", "title": "a source"}],
        "horizon": {"start": "2025-01-01", "end": "2025-12-31"},
        "measures": measures,
        "moves": moves or [],
        **extra,
    }
    return scenario_from_dict(data)


# ------------------------------------------------ packaged tables, read independently


def _table(path: Path) -> pd.DataFrame:
    """A packaged CSV (gzipped or not) without its '#' comment lines, every code a string."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        text = "".join(line for line in fh if not line.startswith("#"))
    return pd.read_csv(io.StringIO(text), dtype={"code": str}, keep_default_na=False)


@cache
def raw_universe(imposer: str = "US", target: str = "CN", weights: str = "2024") -> pd.DataFrame:
    """code, weight (share of base-year trade), mfn: straight from the packaged file."""
    table = _table(DATA / f"universe-{imposer}-{target}.csv.gz")
    values = table[f"value_{weights}"].astype(float)
    return pd.DataFrame(
        {"code": table["code"], "weight": values / values.sum(), "mfn": table["mfn"].astype(float)}
    )


@cache
def raw_list(name: str) -> tuple[str, ...]:
    """The codes of a shipped product list, straight from its file."""
    return tuple(_table(DATA / "lists" / f"{name}.csv")["code"])


def raw_mask(
    hs: tuple[str, ...] | list[str] = (),
    lists: tuple[str, ...] | list[str] = (),
    imposer: str = "US",
    target: str = "CN",
) -> np.ndarray:
    """Products whose code starts with one of the HS prefixes or list codes (string prefixes
    compared length by length, unlike the package's integer matching)."""
    codes = raw_universe(imposer, target)["code"]
    prefixes = set(hs) | {c for name in lists for c in raw_list(name)}
    mask = np.zeros(len(codes), dtype=bool)
    for length in {len(p) for p in prefixes}:
        mask |= codes.str[:length].isin({p for p in prefixes if len(p) == length}).to_numpy()
    return mask


def raw_share(
    hs: tuple[str, ...] | list[str] = (),
    lists: tuple[str, ...] | list[str] = (),
    imposer: str = "US",
    target: str = "CN",
) -> float:
    """Share of base-year trade on the products `raw_mask` selects."""
    weight = raw_universe(imposer, target)["weight"].to_numpy()
    return float(weight[raw_mask(hs, lists, imposer, target)].sum())


def raw_mfn(imposer: str = "US", target: str = "CN") -> float:
    """Trade-weighted MFN rate of a direction."""
    u = raw_universe(imposer, target)
    return float((u["mfn"] * u["weight"]).sum())
