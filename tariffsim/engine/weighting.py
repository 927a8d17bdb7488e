"""Weighting: from the duty on each product line (`stacker.Stack`) to the figures of a
direction per change point: the trade-weighted effective rate, each layer's coverage and
contribution, and the headline rate news reports quote.

Only `rates` and `in_force` are (segments, columns) arrays; coverage and contribution are
derived on first use, and the effective rate is one matrix-vector product, so a scenario
with thousands of measures and change points never holds several such arrays at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from tariffsim.engine.stacker import Column, Stack
from tariffsim.products import ProductUniverse
from tariffsim.scenario import model as m


@dataclass
class DirectionRates:
    """Rates of one direction at change points: everything the result tables derive from."""

    stack: Stack
    cover: np.ndarray  # (columns,) trade share of each column's product scope
    shares: np.ndarray  # (columns,) value share of each column
    excluded: dict[int, np.ndarray]  # column -> (segments,) trade share excluded by stacking
    #                                  rules; only columns that yield to a rule
    headline: np.ndarray  # (segments,)
    mfn: float  # trade-weighted MFN

    @property
    def imposer(self) -> str:
        return self.stack.imposer

    @property
    def target(self) -> str:
        return self.stack.target

    @property
    def universe(self) -> ProductUniverse:
        return self.stack.universe

    @property
    def columns(self) -> list[Column]:
        return self.stack.columns

    @property
    def rates(self) -> np.ndarray:
        """(segments, columns) rate charged, 0 where the layer is not in force."""
        return self.stack.rates

    @property
    def in_force(self) -> np.ndarray:
        return self.stack.in_force

    @property
    def by_measure(self) -> dict[str, list[int]]:
        return self.stack.by_measure

    @cached_property
    def coverage(self) -> np.ndarray:
        """(segments, columns) trade share each layer applies to (a partly excluded product
        counts by its included share), 0 where the layer is not in force."""
        cov = np.zeros(self.rates.shape)
        np.copyto(cov, self.cover[None, :], where=self.in_force)
        for j, excluded in self.excluded.items():
            cov[:, j] = np.where(self.in_force[:, j], self.cover[j] - excluded, 0.0)
        return cov

    @cached_property
    def contribution(self) -> np.ndarray:
        """(segments, columns) rate × value share × coverage."""
        return self.rates * self.shares[None, :] * self.coverage

    @cached_property
    def effective(self) -> np.ndarray:
        """MFN plus every layer's contribution, per segment: one matrix-vector product over
        the rates (a rate is 0 wherever its layer is not in force), less what stacking rules
        exclude; equal to MFN plus the row sums of `contribution` up to rounding. Products go
        through einsum's own loops, not BLAS: small products through threaded BLAS make the
        timing depend on the machine's load, and the last bits on its thread count."""
        total = np.einsum("ij,j->i", self.rates, self.shares * self.cover)
        for j, excluded in self.excluded.items():
            total -= self.rates[:, j] * self.shares[j] * excluded
        return self.mfn + total


def weigh(stack: Stack, measures: list[m.Measure]) -> DirectionRates:
    """The direction's figures per change point, weighted by its universe's trade."""
    w = stack.universe.weights
    # a scope's mask is one cached array: its coverage is summed once however many measures
    # share it, instead of a (columns x products) matrix product
    cover_of: dict[int, float] = {}
    for c in stack.columns:
        if id(c.mask) not in cover_of:
            cover_of[id(c.mask)] = float(w[c.mask].sum())
    cover = np.array([cover_of[id(c.mask)] for c in stack.columns], dtype=float)
    shares = np.array([c.value_share for c in stack.columns], dtype=float)
    return DirectionRates(
        stack,
        cover,
        shares,
        _excluded_shares(stack),
        headline_rate(measures, stack.columns, stack.rates),
        float(np.einsum("i,i->", stack.universe.mfn, w)),
    )


def _excluded_shares(stack: Stack) -> dict[int, np.ndarray]:
    """Trade share of each column excluded by stacking rules, per segment: computed once per
    distinct state of the rules, then spread over the segments in that state."""
    w = stack.universe.weights
    weighted: dict[int, np.ndarray] = {}  # a scope's trade weights (0 off it), once per scope
    out: dict[int, np.ndarray] = {}
    for j, states in stack.rule_states.items():
        mask = stack.columns[j].mask
        if id(mask) not in weighted:
            weighted[id(mask)] = np.where(mask, w, 0.0)
        shares = np.zeros(len(states.rules))
        for u, (rules, force_row) in enumerate(zip(states.rules, states.force_rows, strict=True)):
            if rules:
                fraction = stack.excluded_fraction(rules, force_row)
                shares[u] = np.einsum("i,i->", fraction, weighted[id(mask)])
        out[j] = shares[states.state_of_segment]
    return out


def headline_rate(
    measures: list[m.Measure], columns: list[Column], rates: np.ndarray
) -> np.ndarray:
    """Sum of headline measures' rates; a named group counts once, at its highest rate."""
    measure_of = {x.id: x for x in measures}  # not a scan per column
    groups: dict[str, list[int]] = {}
    for j, col in enumerate(columns):
        flag = measure_of[col.measure].headline
        if flag is True:
            groups.setdefault(f"#{col.measure}", []).append(j)
        elif isinstance(flag, str):
            groups.setdefault(flag, []).append(j)
    total = np.zeros(rates.shape[0])
    for cols in groups.values():
        total += rates[:, cols[0]] if len(cols) == 1 else rates[:, cols].max(axis=1)
    return total
