"""What the Busan deal changed: the rate paths of two scenarios side by side, and the
difference on the key dates.  Run: python examples/compare_deal_and_no_deal.py"""

from __future__ import annotations

import pandas as pd

import tariffsim as ts

DAYS = ["2025-10-27", "2025-11-01", "2025-11-10", "2026-03-01"]

frames = []
for name in ("pre-summit", "busan-deal"):
    rates = ts.simulate(name, start="2025-09-01", end="2026-03-31").at(*DAYS)
    frames.append(rates.assign(scenario=name))
table = pd.concat(frames).pivot_table(
    index=["imposer", "target", "date"], columns="scenario", values="headline_rate"
)
table["deal lowers by"] = table["pre-summit"] - table["busan-deal"]
print((table * 100).round(1).to_string())
