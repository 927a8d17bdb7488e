"""Charts of results: one module per chart kind, each a function `plot_X(..., ax=None)` that
returns its Axes (matplotlib is imported only by these modules)."""
