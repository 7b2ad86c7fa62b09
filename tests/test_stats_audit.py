"""The fast audit (components and bridges) says exactly what a plain search for a cycle says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.stats._audit import Cell, Move, fixed, reaches


def plain_search(moves: dict[Cell, Move]) -> list[Cell]:
    """A figure is fixed when no path leads back from its column to its row (or the other way) without it."""
    graph: dict[int, list[tuple[int, Cell]]] = {}
    for cell, (row, column, up, down) in moves.items():
        if up:
            graph.setdefault(row, []).append((column, cell))
        if down:
            graph.setdefault(column, []).append((row, cell))
    return [cell for cell in sorted(moves)
            if not ((moves[cell][2] and reaches(graph, moves[cell][1], moves[cell][0], cell))
                    or (moves[cell][3] and reaches(graph, moves[cell][0], moves[cell][1], cell)))]


@st.composite
def hidden_figures(draw: st.DrawFn) -> dict[Cell, Move]:
    rows, columns = draw(st.integers(1, 6)), draw(st.integers(1, 8))
    ways = st.sampled_from([(True, False), (False, True), (True, True)])
    cells = draw(st.sets(st.tuples(st.integers(0, rows), st.integers(0, columns)), max_size=30))
    return {(i, j): (i, rows + 1 + j, *draw(ways)) for i, j in cells}


@settings(max_examples=400, deadline=None)
@given(hidden_figures())
def test_fast_audit_equals_a_plain_search(moves: dict[Cell, Move]) -> None:
    assert fixed(moves) == plain_search(moves)


def test_a_long_table_needs_no_recursion() -> None:
    """Thousands of columns in one cycle: no RecursionError, every figure can move."""
    columns = 5000
    moves = {(0, j): (0, 2 + j, True, False) for j in range(columns)}
    moves |= {(1, j): (1, 2 + j, False, True) for j in range(columns)}
    moves |= {(0, columns): (0, 2 + columns, False, True), (1, columns): (1, 2 + columns, True, False)}
    assert fixed(moves) == []
