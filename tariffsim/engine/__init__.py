"""From a checked scenario to rates at change points: each measure's timeline (timeline),
the moves and triggers applied in day order (clock, conditions), duty per product line
(stacker) and its trade-weighted aggregates (weighting)."""
