"""Which hidden figures could take another value? Cycles in a graph of rows and columns (why: see _protect).

Each hidden figure is an edge between its row node and its column node: an arc row → column if it can go up
by 1, column → row if it can go down by 1. A figure that moves one way only is safe exactly when its two nodes
are in the same strongly connected component (a path back closes the cycle, and cannot use the figure itself).
A figure that moves both ways is safe when it lies on a cycle of such figures (it is not a bridge of their
undirected graph); otherwise a search looks for a path back that avoids it. All linear in the table's size but
the last case, which is rare.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping

Cell = tuple[int, int]
Move = tuple[int, int, bool, bool]
"""(row node, column node, can go up, can go down)."""
Graph = dict[int, list[tuple[int, Cell]]]


def fixed(moves: Mapping[Cell, Move]) -> list[Cell]:
    """The hidden figures that no cycle lets move: a reader could work them out."""
    graph: Graph = {}
    both: Graph = {}
    for cell, (row, column, up, down) in moves.items():
        if up:
            graph.setdefault(row, []).append((column, cell))
        if down:
            graph.setdefault(column, []).append((row, cell))
        if up and down:
            both.setdefault(row, []).append((column, cell))
            both.setdefault(column, []).append((row, cell))
    nodes = {node for row, column, _, _ in moves.values() for node in (row, column)}
    component = strong_components(graph, nodes)
    bridges = undirected_bridges(both)
    result = []
    for cell in sorted(moves):
        row, column, up, down = moves[cell]
        if up and down:
            if cell not in bridges or reaches(graph, column, row, cell) or reaches(graph, row, column, cell):
                continue
        elif (up or down) and component[row] == component[column]:
            continue
        result.append(cell)
    return result


def strong_components(graph: Graph, nodes: Iterable[int]) -> dict[int, int]:
    """Tarjan's algorithm, without recursion (tables can have thousands of columns)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    component: dict[int, int] = {}
    count = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, position = work[-1]
            if position == 0 and node not in index:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            arcs = graph.get(node, [])
            if position < len(arcs):
                work[-1] = (node, position + 1)
                nxt = arcs[position][0]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = count
                    if member == node:
                        break
                count += 1
    return component


def undirected_bridges(graph: Graph) -> set[Cell]:
    """The edges on no cycle (Tarjan's bridges, without recursion); one edge per (row, column) pair."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    bridges: set[Cell] = set()
    for root in graph:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        work: list[tuple[int, Cell | None, int]] = [(root, None, 0)]
        while work:
            node, via, position = work[-1]
            edges = graph[node]
            if position < len(edges):
                work[-1] = (node, via, position + 1)
                nxt, cell = edges[position]
                if cell == via:
                    continue
                if nxt in index:
                    low[node] = min(low[node], index[nxt])
                else:
                    index[nxt] = low[nxt] = len(index)
                    work.append((nxt, cell, 0))
                continue
            work.pop()
            if work and via is not None:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > index[parent]:
                    bridges.add(via)
    return bridges


def reaches(graph: Graph, start: int, goal: int, without: Cell) -> bool:
    """Is there a path from start to goal that does not go through the figure `without`?"""
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt, cell in graph.get(node, ()):
            if cell == without:
                continue
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return False
