"""Small counts are never published, nor any number that would let a reader work one out.

A table here is a grid of counts (categories × periods) published with its row totals, its column totals and its
grand total. Protection runs in two passes, as statistical offices do:

1. **Primary suppression.** Every figure below 5 — a cell or a total, 0 included — is shown as "< 5". A zero is
   shown as "< 5" too: no zero in these tables is known by design (any place can be shown to anyone, from any
   town, on any day), and showing true zeros would turn "< 5" into "between 1 and 4" — "someone did this" — and
   would narrow what the hidden cells can be.
2. **Complementary suppression.** A reader knows the rule: a "< 5" is between 0 and 4, any other hidden figure
   ("caché") is at least 5. With the visible figures and these bounds, a hidden figure must still be able to
   take at least two values. If it cannot, the cheapest visible figures that give it a way to move are hidden
   as well (cost: their values, so small cells go first and the grand total last), and the audit runs again
   until every hidden figure is safe.

The audit is exact, not a rule of thumb such as "two hidden per row": write the grid with its totals as a
table whose every row and column sums to zero (totals counted negatively, the grand total positively). Changing
one hidden figure by 1 while keeping every published sum is then possible exactly when the hidden figures hold
a cycle through it — alternating row, column, row… — along which each figure can move by 1 (up or down in turn)
without leaving its bounds. Such a table's constraints are totally unimodular, so if a figure can take a second
integer value at all, it can along such a cycle. Cycles are found as paths in a directed graph of rows and
columns (_audit).
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from ._audit import Cell, fixed

SMALL = 5
"""Figures below this are never shown."""


class Mark(Enum):
    SMALL = "< 5"
    """Below 5 (0 to 4)."""
    HIDDEN = "caché"
    """5 or more, hidden so that a small figure of the same row or column cannot be worked out."""


@dataclass(frozen=True, slots=True)
class Figure:
    """One published number: its value, or only a mark when it is protected (the value is then not kept)."""

    value: int | None
    mark: Mark | None = None

    @property
    def shown(self) -> bool:
        return self.mark is None

    def __str__(self) -> str:
        return str(self.value) if self.mark is None else self.mark.value

    def json(self) -> int | str:
        return self.value if self.mark is None and self.value is not None else str(self)


@dataclass(frozen=True, slots=True)
class ProtectedGrid:
    cells: tuple[tuple[Figure, ...], ...]
    row_totals: tuple[Figure, ...]
    column_totals: tuple[Figure, ...]
    total: Figure


def protect(values: Sequence[Sequence[int]], columns: int) -> ProtectedGrid:
    """Publish a grid (rows × `columns` counts, all ≥ 0) with its totals, small figures protected."""
    grid = _Extended(values, columns)
    marks = {cell: Mark.SMALL for cell in grid.cells() if grid.value(cell) < SMALL}
    while unsafe := grid.unsafe(marks):
        touched: set[tuple[str, int]] = set()
        added = False
        for cell in unsafe:  # one per row and column a round: a new hidden figure often saves its neighbours too
            if ("row", cell[0]) in touched or ("column", cell[1]) in touched:
                continue
            hidden = _complete_a_cycle(grid, cell, marks)
            touched.update(("row", c[0]) for c in (cell, *hidden))
            touched.update(("column", c[1]) for c in (cell, *hidden))
            added = added or bool(hidden)
        if not added:  # no cycle can be completed (never seen in the property tests): hide everything
            marks.update({cell: Mark.HIDDEN for cell in grid.cells() if cell not in marks})
            break
    return grid.publish(marks)


def _complete_a_cycle(grid: _Extended, cell: Cell, marks: dict[Cell, Mark]) -> list[Cell]:
    """Hide the visible figures that give this one the cheapest cycle (cost: the values hidden, so small
    figures go first and totals last); return them."""
    best: tuple[int, list[Cell]] | None = None
    row_node, column_node = cell[0], grid.rows + 1 + cell[1]
    for step, start, goal in ((+1, column_node, row_node), (-1, row_node, column_node)):
        if grid.can_move(cell, marks[cell], step):
            found = grid.cheapest_path(start, goal, cell, marks)
            if found is not None and (best is None or found[0] < best[0]):
                best = found
    if best is None:
        return []
    for other in best[1]:
        marks[other] = Mark.HIDDEN
    return best[1]


class _Extended:
    """The grid with its totals as an (R+1) × (C+1) table: row R holds column totals, column C row totals."""

    def __init__(self, values: Sequence[Sequence[int]], columns: int) -> None:
        self.rows = len(values)
        self.columns = columns
        inner = [[int(v) for v in row] for row in values]
        if any(len(row) != columns for row in inner) or any(v < 0 for row in inner for v in row):
            raise ValueError("every row needs one count ≥ 0 per column")
        row_totals = [sum(row) for row in inner]
        column_totals = [sum(row[j] for row in inner) for j in range(columns)]
        self._values = [[*row, t] for row, t in zip(inner, row_totals, strict=True)]
        self._values.append([*column_totals, sum(row_totals)])

    def cells(self) -> list[Cell]:
        return [(i, j) for i in range(self.rows + 1) for j in range(self.columns + 1)]

    def value(self, cell: Cell) -> int:
        return self._values[cell[0]][cell[1]]

    def _sign(self, cell: Cell) -> int:
        """+1 for inner cells and the grand total, -1 for row and column totals: then every line sums to 0."""
        return -1 if (cell[0] == self.rows) != (cell[1] == self.columns) else 1

    def can_move(self, cell: Cell, mark: Mark, step: int) -> bool:
        """Can the signed figure move by `step` (+1/-1) and stay within what its mark tells a reader?"""
        new = self.value(cell) + step * self._sign(cell)
        return 0 <= new < SMALL if mark is Mark.SMALL else new >= SMALL

    def unsafe(self, marks: dict[Cell, Mark]) -> list[Cell]:
        """The hidden figures that could not take another value, every published figure and mark staying true."""
        return fixed({cell: (cell[0], self.rows + 1 + cell[1], self.can_move(cell, mark, +1),
                             self.can_move(cell, mark, -1)) for cell, mark in marks.items()})

    def cheapest_path(self, start: int, goal: int, without: Cell,
                      marks: dict[Cell, Mark]) -> tuple[int, list[Cell]] | None:
        """Dijkstra from start to goal through every figure but `without`: hidden figures cost nothing, a visible
        one costs its value (and is usable only in the directions it could move once hidden)."""
        def arcs(node: int) -> list[tuple[int, Cell]]:
            if node <= self.rows:
                return [(self.rows + 1 + j, (node, j)) for j in range(self.columns + 1)]
            return [(i, (i, node - self.rows - 1)) for i in range(self.rows + 1)]

        distance = {start: 0}
        through: dict[int, tuple[int, Cell]] = {}
        heap = [(0, start)]
        while heap:
            cost, node = heapq.heappop(heap)
            if node == goal:
                path = []
                while node != start:
                    node, cell = through[node]
                    if cell not in marks:
                        path.append(cell)
                return cost, path
            if cost > distance[node]:
                continue
            step = +1 if node <= self.rows else -1
            for nxt, cell in arcs(node):
                if cell == without or not self.can_move(cell, marks.get(cell, Mark.HIDDEN), step):
                    continue
                new = cost + (0 if cell in marks else self.value(cell))
                if new < distance.get(nxt, new + 1):
                    distance[nxt] = new
                    through[nxt] = (node, cell)
                    heapq.heappush(heap, (new, nxt))
        return None

    def publish(self, marks: dict[Cell, Mark]) -> ProtectedGrid:
        def figure(cell: Cell) -> Figure:
            mark = marks.get(cell)
            return Figure(None, mark) if mark else Figure(self.value(cell))

        r, c = self.rows, self.columns
        return ProtectedGrid(
            cells=tuple(tuple(figure((i, j)) for j in range(c)) for i in range(r)),
            row_totals=tuple(figure((i, c)) for i in range(r)),
            column_totals=tuple(figure((r, j)) for j in range(c)),
            total=figure((r, c)),
        )
