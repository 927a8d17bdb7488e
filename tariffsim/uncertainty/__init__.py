"""Uncertain outcomes: weighted paths of a scenario, their expected path, bands and odds."""
