"""Sweep one assumption and chart the result: how the US-China effective rate on
15 January 2026 depends on the reciprocal tariff's rate while it stays suspended (10% under
the Busan deal). Writes sweep-reciprocal.png in the current folder.
Run: python examples/sweep_a_rate.py"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # a file, not a window
import matplotlib.pyplot as plt

import tariffsim as ts

DAY = "2026-01-15"
rows = []
for residual in range(0, 35, 5):
    variant = ts.scenario_from_dict(
        {
            "title": f"reciprocal at {residual}% while suspended",
            "extends": "busan-deal",
            "references": [{"id": "sweep", "title": "A swept assumption, not a fact"}],
            "moves": [
                {
                    "kind": "suspend",
                    "id": "swept-residual",  # laid over the Busan suspension: the latest wins
                    "measure": "us-ieepa-reciprocal",
                    "from": "2025-11-10",
                    "until": "2026-11-10",
                    "rate": f"{residual}%",
                    "sources": ["sweep"],
                }
            ],
        }
    )
    at = ts.simulate(variant).at(DAY)
    us = at[at.imposer == "US"].iloc[0]
    rows.append((residual, us.headline_rate * 100, us.effective_rate * 100))
    print(f"reciprocal {residual:>2}%: headline {rows[-1][1]:5.1f}%, effective {rows[-1][2]:5.1f}%")

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
ax.plot([r[0] for r in rows], [r[1] for r in rows], marker="o", label="headline")
ax.plot([r[0] for r in rows], [r[2] for r in rows], marker="o", ls="--", label="effective")
ax.set(xlabel="reciprocal tariff while suspended, %", ylabel="US tariff on Chinese goods, %")
ax.set_title(f"US tariffs on goods from China on {DAY}", fontsize=10)
ax.legend()
fig.savefig("sweep-reciprocal.png", dpi=120)
print("wrote sweep-reciprocal.png")
