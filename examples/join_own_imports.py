"""Join tariffsim's rates with your own import data: what duty would a company's 2026
imports from China bear, line by line, under the Busan deal as implemented? Your file needs
only HTS codes and values (examples/data/my_imports.csv is an illustrative one; codes may
keep their dots).  Run: python examples/join_own_imports.py"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import tariffsim as ts

mine = pd.read_csv(Path(__file__).parent / "data" / "my_imports.csv", dtype={"hts": str})
mine["product"] = mine["hts"].str.replace(".", "", regex=False)

result = ts.simulate("busan-deal")
for day in ("2025-11-01", "2026-01-15"):
    rates = result.product_rates(day, "US-CN")[["product", "rate"]]
    bill = mine.merge(rates, on="product", how="left", validate="one_to_one")
    missing = bill[bill.rate.isna()]
    if not missing.empty:
        print("not in the 2024 tariff lines:", ", ".join(missing.hts))
    bill["duty_usd"] = bill.value_usd * bill.rate
    print(f"\nDuty on {day} (rates include MFN; US tariffs on goods from China)")
    print(
        bill[["hts", "item", "value_usd", "rate", "duty_usd"]]
        .assign(rate=lambda t: (t.rate * 100).round(1))
        .rename(columns={"rate": "rate_%"})
        .to_string(index=False)
    )
    total = bill.duty_usd.sum() / bill.value_usd.sum()
    print(f"total duty ${bill.duty_usd.sum():,.0f} on ${bill.value_usd.sum():,.0f}: {total:.1%}")
