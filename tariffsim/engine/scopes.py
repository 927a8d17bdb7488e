"""The distinct product scopes of a stack's columns, in the two forms duty per line is
computed from: lines grouped by the scopes they are in (few groups, however many lines), and
float (scopes, lines) blocks when there would be too many groups to keep."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Protocol

import numpy as np

if TYPE_CHECKING:
    from tariffsim.products import ProductUniverse

GROUPINGS_KEPT = 16  # sets of scopes whose line groups a universe keeps


class ScopedColumn(Protocol):
    """What a scope grouping reads of a stack column."""

    mask: np.ndarray
    value_share: float


@dataclass
class Scopes:
    """The distinct product scopes of a stack, as float (scopes, lines) blocks for matrix
    products; kept once built unless they would take more than CACHED_MASKS numbers."""

    masks: list[np.ndarray]
    of_column: np.ndarray  # (columns, scopes) 1 where the column has that scope
    value_shares: np.ndarray  # (columns,)
    _blocks: list[tuple[int, np.ndarray]] = field(default_factory=list)
    _grouped: list[tuple[np.ndarray, np.ndarray] | None] = field(default_factory=list)

    CACHED_MASKS: ClassVar[int] = 4_000_000
    BLOCK: ClassVar[int] = 128

    @classmethod
    def of(cls, columns: list[ScopedColumn]) -> Scopes:
        index: dict[int, int] = {}
        masks: list[np.ndarray] = []
        owner = np.empty(len(columns), dtype=np.int64)
        for j, col in enumerate(columns):
            owner[j] = index.setdefault(id(col.mask), len(masks))
            if owner[j] == len(masks):
                masks.append(col.mask)
        of_column = np.zeros((len(columns), len(masks)))
        of_column[np.arange(len(columns)), owner] = 1.0
        shares = np.array([c.value_share for c in columns], dtype=float)
        return cls(masks, of_column, shares)

    def grouped(self, universe: ProductUniverse) -> tuple[np.ndarray, np.ndarray] | None:
        """Lines grouped by the set of scopes they are in: (group of each line, float
        (scopes, groups) membership), kept on the universe for the next run with the same
        scopes; None when the membership would take more than CACHED_MASKS numbers."""
        if self._grouped:
            return self._grouped[0]
        self._grouped.append(self._grouping(universe))
        return self._grouped[0]

    def _grouping(self, universe: ProductUniverse) -> tuple[np.ndarray, np.ndarray] | None:
        if not self.masks:
            return None
        packed = np.packbits(np.array(self.masks), axis=0)
        key = hashlib.blake2b(packed.tobytes(), digest_size=16).digest()
        found = universe._groupings.get(key)
        if found is None:
            cells = np.ascontiguousarray(packed.T).view(np.dtype((np.void, packed.shape[0])))
            _, first, group_of_line = np.unique(
                cells.ravel(), return_index=True, return_inverse=True
            )
            if len(self.masks) * len(first) > self.CACHED_MASKS:
                return None
            members = np.array([mask[first] for mask in self.masks], dtype=float)
            if len(universe._groupings) >= GROUPINGS_KEPT:
                universe._groupings.clear()
            found = universe._groupings[key] = (group_of_line.ravel(), members)
        return found

    def blocks(self) -> Iterator[tuple[int, np.ndarray]]:
        """(first scope, float block of up to BLOCK scopes × lines), in order."""
        if self._blocks:
            yield from self._blocks
            return
        keep = len(self.masks) * (len(self.masks[0]) if self.masks else 0) <= self.CACHED_MASKS
        for lo in range(0, len(self.masks), self.BLOCK):
            block = (lo, np.array(self.masks[lo : lo + self.BLOCK], dtype=float))
            if keep:
                self._blocks.append(block)
            yield block
