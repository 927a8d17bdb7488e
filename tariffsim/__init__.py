"""tariffsim: US–China tariff and deadline scenarios as rules.

    >>> import tariffsim as ts
    >>> result = ts.simulate("busan-deal")
    >>> result.rates.head()          # date, imposer, target, headline_rate, effective_rate
    >>> result.at("2025-11-10")      # the rates that day, one row per direction
    >>> result.series("US-CN")       # daily effective rate on a DatetimeIndex
    >>> result.explain("2025-11-10", "US-CN")    # every layer, its rule and sources

The API is loaded lazily so that `import tariffsim` and the CLI's light commands stay fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = {
    "load_scenario": "tariffsim.scenario.loading",
    "Scenario": "tariffsim.scenario.loading",
    "scenario_from_dict": "tariffsim.scenario.loading",
    "simulate": "tariffsim.simulation",
    "sweep": "tariffsim.uncertainty.sweep",
    "compare": "tariffsim.tables.comparison",
    "SimulationResult": "tariffsim.tables.results",
    "ScenarioError": "tariffsim.errors",
    "TariffsimError": "tariffsim.errors",
    "DataError": "tariffsim.errors",
    "bundled_scenarios": "tariffsim.resources",
    "load_universe": "tariffsim.products",
    "plot_rates": "tariffsim.charts.rates",
    "plot_compare": "tariffsim.charts.compare",
    "plot_layers": "tariffsim.charts.layers",
    "plot_sections": "tariffsim.charts.sections",
    "plot_attribution": "tariffsim.charts.attribution",
    "plot_trade": "tariffsim.charts.trade",
    "plot_vintages": "tariffsim.charts.vintages",
}

__all__ = ["__version__", *_API]

if TYPE_CHECKING:
    from tariffsim.charts.attribution import plot_attribution
    from tariffsim.charts.compare import plot_compare
    from tariffsim.charts.layers import plot_layers
    from tariffsim.charts.rates import plot_rates
    from tariffsim.charts.sections import plot_sections
    from tariffsim.charts.trade import plot_trade
    from tariffsim.charts.vintages import plot_vintages
    from tariffsim.errors import DataError, ScenarioError, TariffsimError
    from tariffsim.products import load_universe
    from tariffsim.resources import bundled_scenarios
    from tariffsim.scenario.loading import Scenario, load_scenario, scenario_from_dict
    from tariffsim.simulation import simulate
    from tariffsim.tables.comparison import compare
    from tariffsim.tables.results import SimulationResult
    from tariffsim.uncertainty.sweep import sweep


def __getattr__(name: str) -> Any:
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'tariffsim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
