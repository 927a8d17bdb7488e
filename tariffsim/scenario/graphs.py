"""Cycles in a directed graph of names, found without recursion.

Product sets that name each other and same-day triggers that test each other's changes are
both refused as cycles; a scenario may chain thousands of them, so the search keeps its own
stack (Tarjan's algorithm, iteratively) instead of Python's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field


def cycles(nodes: Iterable[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components that hold a cycle (two or more nodes, or a node with an
    edge to itself), each in the order its nodes were given."""
    order = list(nodes)
    rank = {n: i for i, n in enumerate(order)}
    search = _Search(edges)
    for root in order:
        if root not in search.index:
            search.run(root)
    return [sorted(found, key=lambda n: rank.get(n, len(rank))) for found in search.found]


@dataclass
class _Search:
    """Tarjan's state: each node's visit index and lowest reachable index, the open stack."""

    edges: dict[str, list[str]]
    index: dict[str, int] = field(default_factory=dict)
    low: dict[str, int] = field(default_factory=dict)
    on_stack: set[str] = field(default_factory=set)
    stack: list[str] = field(default_factory=list)
    found: list[list[str]] = field(default_factory=list)

    def run(self, root: str) -> None:
        """Visit every node reachable from `root`, depth first, with an explicit work list."""
        work = [(root, self.enter(root))]
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                self.leave(node, work[-1][0] if work else None)
            elif child not in self.index:
                work.append((child, self.enter(child)))
            elif child in self.on_stack:
                self.low[node] = min(self.low[node], self.index[child])

    def enter(self, node: str) -> Iterator[str]:
        """Number `node`, put it on the stack, and return its children still to visit."""
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        self.on_stack.add(node)
        return iter(self.edges.get(node, ()))

    def leave(self, node: str, parent: str | None) -> None:
        """Done with `node`: pass its low index up, and close its component if it roots one."""
        if parent is not None:
            self.low[parent] = min(self.low[parent], self.low[node])
        if self.low[node] != self.index[node]:
            return
        component = []
        while True:
            top = self.stack.pop()
            self.on_stack.discard(top)
            component.append(top)
            if top == node:
                break
        if len(component) > 1 or node in self.edges.get(node, ()):
            self.found.append(component)
