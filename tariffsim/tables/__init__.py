"""Tables a person reads: the rates, layers and events of a run (results), explanations of a
day or a product line (explain), and the differences between two runs (comparison)."""
