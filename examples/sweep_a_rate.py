"""Sweep one assumption and chart the result: how the US-China effective rate on
15 January 2026 depends on the reciprocal tariff's rate while it stays suspended (10% under
the Busan deal). `ts.sweep` runs one variant per value of the grid and returns one tidy
frame. Writes sweep-reciprocal.png in the current folder.
Run: python examples/sweep_a_rate.py"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # a file, not a window
import matplotlib.pyplot as plt

import tariffsim as ts

DAY = "2026-01-15"
KEY = "move-rate:us-reciprocal-suspension"  # the rate charged while the suspension holds
grid = {KEY: [f"{residual}%" for residual in range(0, 35, 5)]}
frame = ts.sweep("busan-deal", grid, days=[DAY], executor="inline")
us = frame[frame.imposer == "US"]
columns = zip(us[KEY], us.headline_rate * 100, us.effective_rate * 100, strict=True)
for residual, headline, effective in columns:
    print(f"reciprocal {residual:>3}: headline {headline:5.1f}%, effective {effective:5.1f}%")

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
x = [float(v.rstrip("%")) for v in us[KEY]]
ax.plot(x, us.headline_rate * 100, marker="o", label="headline")
ax.plot(x, us.effective_rate * 100, marker="o", ls="--", label="effective")
ax.set(xlabel="reciprocal tariff while suspended, %", ylabel="US tariff on Chinese goods, %")
ax.set_title(f"US tariffs on goods from China on {DAY}", fontsize=10)
ax.legend()
fig.savefig("sweep-reciprocal.png", dpi=120)
print("wrote sweep-reciprocal.png")
