"""A hand-made product universe for tests whose expected rates are worked out by hand."""
