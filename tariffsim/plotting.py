"""Moved: the charts live in `tariffsim.charts` (one module per chart kind). This module
keeps the old import paths working."""

from __future__ import annotations

from tariffsim.charts.compare import plot_compare
from tariffsim.charts.figure import FORMATS, figure_bytes, scenario_figure
from tariffsim.charts.layers import plot_layers
from tariffsim.charts.rates import plot_rates
from tariffsim.charts.sections import plot_sections
from tariffsim.charts.style import CHART_DAYS, check_span

__all__ = [
    "CHART_DAYS",
    "FORMATS",
    "check_span",
    "figure_bytes",
    "plot_compare",
    "plot_layers",
    "plot_rates",
    "plot_sections",
    "scenario_figure",
]
