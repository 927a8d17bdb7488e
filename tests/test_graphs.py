"""The cycle finder behind product-set and trigger cycles, on graphs small enough to read."""

from __future__ import annotations

from tariffsim.scenario.graphs import cycles


def test_cycles_come_in_the_order_their_nodes_were_given():
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["d"], "e": ["a"]}
    assert cycles(["e", "c", "b", "a", "d"], edges) == [["c", "b", "a"], ["d"]]


def test_no_cycle_no_component():
    assert cycles(["a", "b", "c"], {"a": ["b"], "b": ["c"]}) == []


def test_a_long_chain_needs_no_recursion():
    n = 50_000
    edges = {str(i): [str(i + 1)] for i in range(n)}
    edges[str(n)] = ["0"]
    (found,) = cycles([str(i) for i in range(n + 1)], edges)
    assert len(found) == n + 1 and found[0] == "0"
