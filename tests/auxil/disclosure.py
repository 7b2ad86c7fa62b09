"""An attacker's view of a published table: which hidden figures can be worked out from what is shown?

Independent of bot/stats/_protect.py's audit (cycles in a graph): here we search, by brute force, for a second
whole table that agrees with every published figure and every mark ("< 5" is 0 to 4, "caché" is 5 or more).
Each hidden figure for which such a table gives another value is safe: the reader is left with at least two
candidates that differ by 1 or more. The search moves inner cells by -1, 0 or +1 (totals follow); any table found
is a genuine alternative, so a passing check never overstates the protection.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.stats import Figure, Mark, ProtectedGrid

SMALL = 5


def fits(value: int, figure: Figure, true_value: int) -> bool:
    """Would a reader accept `value` for this published figure?"""
    if figure.mark is None:
        return value == true_value
    if figure.mark is Mark.SMALL:
        return 0 <= value < SMALL
    return value >= SMALL


@dataclass
class Attacker:
    values: Sequence[Sequence[int]]
    grid: ProtectedGrid

    def __post_init__(self) -> None:
        self.rows = len(self.values)
        self.columns = len(self.grid.column_totals)
        self.row_sums = [sum(r) for r in self.values]
        self.column_sums = [sum(r[j] for r in self.values) for j in range(self.columns)]
        self.total = sum(self.row_sums)
        self.hidden = [(i, j) for i in range(self.rows) for j in range(self.columns)
                       if not self.grid.cells[i][j].shown]

    def alternative(self, differs: Callable[[dict[tuple[int, int], int], list[int]], bool]) -> bool:
        """Is there another table, agreeing with everything published, for which `differs(moves, column_moves)`?"""
        moves: dict[tuple[int, int], int] = {}
        by_row = [[c for c in self.hidden if c[0] == i] for i in range(self.rows)]
        hidden = set(self.hidden)

        def row_fits(i: int) -> bool:
            moved = self.row_sums[i] + sum(moves.get((i, j), 0) for j in range(self.columns))
            return fits(moved, self.grid.row_totals[i], self.row_sums[i])

        def finish() -> bool:
            column_moves = [sum(moves.get((i, j), 0) for i in range(self.rows)) for j in range(self.columns)]
            return (all(fits(self.column_sums[j] + column_moves[j], self.grid.column_totals[j], self.column_sums[j])
                        for j in range(self.columns))
                    and fits(self.total + sum(column_moves), self.grid.total, self.total)
                    and differs(moves, column_moves))

        def columns_can_close(i: int) -> bool:
            """After rows < i, each column with a shown total must still be able to come back to it."""
            for j in range(self.columns):
                if self.grid.column_totals[j].shown:
                    moved = sum(moves.get((r, j), 0) for r in range(i))
                    if abs(moved) > sum(1 for r in range(i, self.rows) if (r, j) in moves or (r, j) in hidden):
                        return False
            return True

        def search(i: int) -> bool:
            if i == self.rows:
                return finish()
            if not columns_can_close(i):
                return False
            for combo in itertools.product((0, 1, -1), repeat=len(by_row[i])):
                moves.update(zip(by_row[i], combo, strict=True))
                cells_fit = all(fits(self.values[r][c] + moves[r, c], self.grid.cells[r][c], self.values[r][c])
                                for r, c in by_row[i])
                if cells_fit and row_fits(i) and search(i + 1):
                    return True
            for cell in by_row[i]:
                moves.pop(cell, None)
            return False

        return search(0)

    def recoverable(self) -> list[str]:
        """Every hidden figure that the published figures pin down to one value (empty when the table is safe)."""
        g = self.grid
        found = [f"cell {c}" for c in self.hidden
                 if not self.alternative(lambda moves, _, c=c: moves.get(c, 0) != 0)]
        found += [f"row total {i}" for i in range(self.rows) if not g.row_totals[i].shown and not self.alternative(
            lambda moves, _, i=i: sum(moves.get((i, j), 0) for j in range(self.columns)) != 0)]
        found += [f"column total {j}" for j in range(self.columns) if not g.column_totals[j].shown
                  and not self.alternative(lambda _, column_moves, j=j: column_moves[j] != 0)]
        if not g.total.shown and not self.alternative(lambda _, column_moves: sum(column_moves) != 0):
            found.append("grand total")
        return found


def small_figures_shown(grid: ProtectedGrid) -> list[int]:
    figures = [*itertools.chain.from_iterable(grid.cells), *grid.row_totals, *grid.column_totals, grid.total]
    return [f.value for f in figures if f.shown and f.value is not None and f.value < SMALL]
