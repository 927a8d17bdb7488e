"""Two questions after the October 2025 talks: how much trade and revenue does each path
imply, and what did the path look like to someone standing on a given day?

Imports answer duty line by line with published elasticities (the scenario's `response`
block can replace them); `as_of` runs a scenario with only what had been announced by then.
Run: python examples/revenue_and_expectations.py"""

from __future__ import annotations

import tariffsim as ts

ON = "2026-01-01"
print(f"US imports from China and duty on them, {ON}, US$ billion a year:")
for name in ("pre-summit", "busan-deal"):
    trade = ts.simulate(name).trade
    us = trade[(trade.date == ON) & (trade.imposer == "US")].iloc[0]
    print(
        f"  {name:<11} imports {us.imports / 1e9:6.1f} (2024: {us.base_imports / 1e9:.1f}); "
        f"duty {us.duty_pre / 1e9:6.1f} at 2024 imports, {us.duty / 1e9:6.1f} after they respond"
    )

print("\nUS headline rate on Chinese goods for 15 Nov 2025, as known on each day:")
for as_of in ("2025-10-09", "2025-10-27", "2025-10-30", "2025-11-05"):
    seen = ts.simulate("history", as_of=as_of).at("2025-11-15")
    print(f"  as of {as_of}: {seen.headline_rate.iloc[0] * 100:5.1f}%")
actual = ts.simulate("history").at("2025-11-15")
print(f"  what happened:    {actual.headline_rate.iloc[0] * 100:5.1f}%")
