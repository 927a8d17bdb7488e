"""Uncertain scenarios: the tree of branches and uncertain dates expanded into weighted
paths (`tree`), exactly where it can be, by sampling where it must; and their outcomes
(`results`): the expected path, its bands, the odds of crossing a rate."""
