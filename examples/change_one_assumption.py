"""Change one assumption in code and see what it does: what if the fentanyl tariff had been
cut to 10% on 1 November 2025 instead of 10 November? The variant extends the bundled
`busan-deal` scenario with one move, and the comparison says what moves the rates, measure
by measure.  Run: python examples/change_one_assumption.py"""

from __future__ import annotations

import tariffsim as ts

earlier_cut = ts.scenario_from_dict(
    {
        "title": "Busan deal, fentanyl cut from 1 November",
        "extends": "busan-deal",
        "references": [{"id": "my-assumption", "title": "Our assumption, not a reported fact"}],
        "moves": [
            {
                "kind": "set_rate",
                "measure": "us-ieepa-fentanyl",
                "date": "2025-11-01",
                "rate": "10%",
                "sources": ["my-assumption"],
            }
        ],
    }
)
cmp = ts.compare("busan-deal", earlier_cut)
on = "2025-11-05"
parts = cmp.attribution(on, "US-CN")
print(f"US tariffs on Chinese goods on {on}, busan-deal -> earlier cut (percentage points):")
for row in parts.itertuples():
    print(
        f"  {row.name:<40} headline {row.headline_change * 100:+6.1f}"
        f"   effective {row.effective_change * 100:+6.1f}"
    )
print(
    f"  {'total':<40} headline {parts.headline_change.sum() * 100:+6.1f}"
    f"   effective {parts.effective_change.sum() * 100:+6.1f}"
)
days = cmp.daily
moved = days[(days.imposer == "US") & (days.headline_diff != 0)]
print(f"The paths differ from {moved.date.min():%Y-%m-%d} to {moved.date.max():%Y-%m-%d}.")
