"""Two tiny product universes with round trade values, so every expected rate in
`test_rules_by_hand.py` can be worked out with pencil and paper.

US→CN (12 lines, total value 1000, MFN duty 23 → trade-weighted MFN 0.023):

    code    what             value   MFN   MFN duty   HS section
    030200  fish                50    4%       2       I
    610100  coats              100   16%      16       XI
    720100  pig iron           100    0%       0       XV
    721000  coated steel        50    0%       0       XV
    731800  screws and bolts    50    4%       2       XV
    760100  aluminium           50    0%       0       XV
    847130  laptops            100    0%       0       XVI
    850760  li-ion batteries   100    2%       2       XVI
    851713  smartphones        200    0%       0       XVI
    870300  cars                50    2%       1       XVII
    940100  seats              100    0%       0       XX
    950300  toys                50    0%       0       XX

Shares used over and over: hs 72 = 150/1000, hs 73 = 50, hs 72+73 = 200, hs 76 = 50,
hs 84 = 100, hs 85 = 300 (8507 100 + 8517 200), hs 61 = 100, hs 87 = 50.

CN→US (4 lines, total value 1000, MFN duty 79 → trade-weighted MFN 0.079):

    code    what             value   MFN   MFN duty
    020300  pork               100   12%      12
    120100  soybeans           400    3%      12
    870300  cars               300   15%      45
    880200  aircraft           200    5%      10

The tables are written here, not read from the package, so they stand apart from the code.
"""

from __future__ import annotations

import numpy as np

from tariffsim.products import ProductUniverse

US_CN_LINES = [
    # code, description, value, MFN
    ("030200", "fish", 50, 0.04),
    ("610100", "coats", 100, 0.16),
    ("720100", "pig iron", 100, 0.0),
    ("721000", "coated steel", 50, 0.0),
    ("731800", "screws and bolts", 50, 0.04),
    ("760100", "aluminium", 50, 0.0),
    ("847130", "laptops", 100, 0.0),
    ("850760", "li-ion batteries", 100, 0.02),
    ("851713", "smartphones", 200, 0.0),
    ("870300", "cars", 50, 0.02),
    ("940100", "seats", 100, 0.0),
    ("950300", "toys", 50, 0.0),
]

CN_US_LINES = [
    ("020300", "pork", 100, 0.12),
    ("120100", "soybeans", 400, 0.03),
    ("870300", "cars", 300, 0.15),
    ("880200", "aircraft", 200, 0.05),
]


def _universe(
    imposer: str, target: str, lines: list[tuple[str, str, int, float]], label: str
) -> ProductUniverse:
    codes, descriptions, values, mfn = zip(*lines, strict=True)
    return ProductUniverse(
        imposer,
        target,
        codes=np.array(codes, dtype=str),
        descriptions=np.array(descriptions, dtype=str),
        values=np.array(values, dtype=float),
        mfn=np.array(mfn, dtype=float),
        weights_label=label,
        source="tests/synthetic/universe.py",
    )


def universes(label: str = "synthetic") -> dict[tuple[str, str], ProductUniverse]:
    """Fresh universes for both directions (fresh, so no mask cache outlives a test);
    `label` names their weights (a year, for the import response's base year)."""
    return {
        ("US", "CN"): _universe("US", "CN", US_CN_LINES, label),
        ("CN", "US"): _universe("CN", "US", CN_US_LINES, label),
    }
