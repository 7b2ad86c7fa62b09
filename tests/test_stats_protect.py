"""Small counts: what staff see, and property tests that no hidden figure can be worked out from the rest."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.stats import (
    SMALL,
    Catalog,
    Count,
    Mark,
    ProtectedGrid,
    Publication,
    Table,
    Window,
    by_category_and_period,
    protect,
    publish,
)
from tests.auxil.disclosure import Attacker, small_figures_shown

MONDAY = date(2026, 3, 2)
CATALOG = Catalog(steps=("accueil:francais", "accueil:commune"),
                  labels={"territory": {"plaine-commune": "Plaine Commune", "est-ensemble": "Est Ensemble"},
                          "card": {"platin": "Plat'In", "yookan": "Yookan", "adie": "Adie"}})


def shown(grid: ProtectedGrid) -> list[list[str]]:
    """The table as printed: cells then the row total, and the line of column totals then the grand total."""
    rows = [[str(f) for f in (*cells, total)] for cells, total in zip(grid.cells, grid.row_totals, strict=True)]
    return [*rows, [str(f) for f in (*grid.column_totals, grid.total)]]


def test_figures_of_five_or_more_are_shown_as_they_are() -> None:
    assert shown(protect([[12, 7], [5, 30]], 2)) == [["12", "7", "19"], ["5", "30", "35"], ["17", "37", "54"]]


def test_a_small_cell_and_the_cells_that_would_give_it_away_are_hidden() -> None:
    """3 in a row whose total is shown: 15 - 12 would say 3, so 12 is hidden too, and its column likewise."""
    table = shown(protect([[12, 3], [20, 30]], 2))
    assert table[0][1] == "< 5"
    assert table == [["caché", "< 5", "15"], ["caché", "caché", "50"], ["32", "33", "65"]]
    assert Attacker([[12, 3], [20, 30]], protect([[12, 3], [20, 30]], 2)).recoverable() == []


def test_zero_is_shown_as_less_than_five_like_any_small_count() -> None:
    """A true 0 would tell that a '< 5' elsewhere is 1 to 4: "someone did this"."""
    table = shown(protect([[0, 40], [40, 40]], 2))
    assert "0" not in [cell for row in table for cell in row]
    assert table[0][0] == "< 5"


def test_one_hidden_cell_per_row_is_not_enough_when_the_others_pin_it() -> None:
    """A small cell beside a hidden 5: '< 5' + '≥ 5' = 5 leaves only 0 + 5, so more must be hidden."""
    values = [[0, 5, 20], [30, 30, 30], [30, 30, 30]]
    grid = protect(values, 3)
    assert Attacker(values, grid).recoverable() == []
    assert small_figures_shown(grid) == []


def test_a_row_total_below_five_is_hidden_and_cannot_be_recovered_from_the_grand_total() -> None:
    values = [[1, 2], [30, 40], [25, 35]]
    grid = protect(values, 2)
    assert str(grid.row_totals[0]) == "< 5"
    assert str(grid.total) == "133"
    assert Attacker(values, grid).recoverable() == []


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="≥ 0"):
        protect([[1, -1]], 2)


def test_hidden_figures_keep_no_value_so_no_output_can_leak_it() -> None:
    grid = protect([[3]], 1)
    assert grid.cells[0][0].value is None and grid.cells[0][0].mark is Mark.SMALL
    assert grid.cells[0][0].json() == "< 5"


def grid_of(table: Table) -> ProtectedGrid:
    return ProtectedGrid(tuple(r.periods for r in table.rows), tuple(r.total for r in table.rows),
                         table.period_totals, table.total)


def true_values(counts: list[Count], table: Table, publication: Publication) -> list[list[int]]:
    cells = by_category_and_period(counts, table.kind, table.by, publication.per, publication.window)
    if table.by == "referent":  # codes not named are counted together in '*'
        named = {row.key for row in table.rows}
        grouped: Counter[tuple[str, str]] = Counter()
        for (key, period), n in cells.items():
            grouped[key if key in named else "*", period] += n
        cells = grouped
    return [[cells[row.key, period] for period in table.periods] for row in table.rows]


small_counts = st.one_of(st.integers(0, 4), st.sampled_from([5, 5, 6, 9, 20]))
territories = st.sampled_from(["plaine-commune", "est-ensemble", None])
cards = st.sampled_from(["platin", "yookan", "adie"])
steps = st.sampled_from(["accueil:francais", "accueil:commune", "ancienne:question"])
codes = st.sampled_from(["ALI93-07", "CCAS-BONDY", "X-1", None])


@st.composite
def event_tables(draw: st.DrawFn) -> tuple[list[Count], Window, str, str]:
    """Random counts over up to 4 rows × 4 periods (days, or weeks of a longer window), by any dimension."""
    per = draw(st.sampled_from(["day", "week"]))
    days = draw(st.integers(1, 4)) if per == "day" else draw(st.integers(1, 22))
    by = draw(st.sampled_from(["territory", "card", "referent", "step"]))
    window = Window.ending(MONDAY + timedelta(days=draw(st.integers(0, 6))), days)
    counts = []
    for kind in ("step" if by == "step" else "orientation", "started"):
        for _ in range(draw(st.integers(0, 10))):
            day = window.first + timedelta(days=draw(st.integers(0, days - 1)))
            name = draw(steps if kind == "step" else cards)
            counts.append(Count(day, kind, name, draw(territories), draw(codes), "fr", draw(small_counts)))
    return counts, window, per, by


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event_tables())
def test_no_hidden_figure_of_a_published_table_can_be_worked_out(case: tuple[list[Count], Window, str, str]) -> None:
    counts, window, per, by = case
    publication = publish(counts, window, by=by, per=per, catalog=CATALOG)  # type: ignore[arg-type]
    for table in publication.tables:
        grid = grid_of(table)
        assert small_figures_shown(grid) == [], table.kind
        values = true_values(counts, table, publication)
        assert Attacker(values, grid).recoverable() == [], (table.kind, values, shown(grid))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda c: st.lists(st.lists(st.integers(0, 12), min_size=c, max_size=c),
                                                    min_size=1, max_size=4)))
def test_no_hidden_figure_of_any_small_grid_can_be_worked_out(values: list[list[int]]) -> None:
    grid = protect(values, len(values[0]))
    assert small_figures_shown(grid) == []
    assert Attacker(values, grid).recoverable() == []


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 13), cards, territories, st.integers(1, 3)), max_size=30),
       st.sampled_from(["card", "territory"]), st.sampled_from(["day", "week"]))
def test_without_small_counts_every_figure_is_the_naive_recount(
        events: list[tuple[int, str, str | None, int]], by: str, per: str) -> None:
    """Every (row, period) at least 5: nothing is hidden and every figure equals a plain count of the events."""
    window = Window.ending(MONDAY + timedelta(days=13), 14)
    base = [Count(day, "orientation", card, territory)
            for day in window.each_day() for card in ("platin", "yookan", "adie")
            for territory in ("plaine-commune", "est-ensemble", None)
            for _ in range(SMALL)]  # every cell of either table starts at 5 or more
    extra = [Count(window.first + timedelta(days=d), "orientation", c, t, n=n) for d, c, t, n in events]
    counts = base + extra
    table = publish(counts, window, by=by, per=per, catalog=CATALOG).table("orientation")  # type: ignore[arg-type]

    def naive(row: str | None, period: str | None) -> int:
        return sum(c.n for c in counts
                   if (row is None or (c.name if by == "card" else c.territory or "") == row)
                   and (period is None or (c.day.isoformat() if per == "day" else
                                           f"{c.day.isocalendar()[0]}-W{c.day.isocalendar()[1]:02d}") == period))

    assert all(f.shown for r in table.rows for f in (*r.periods, r.total))
    assert [[f.value for f in r.periods] for r in table.rows] == \
        [[naive(r.key, p) for p in table.periods] for r in table.rows]
    assert [r.total.value for r in table.rows] == [naive(r.key, None) for r in table.rows]
    assert [f.value for f in table.period_totals] == [naive(None, p) for p in table.periods]
    assert table.total.value == naive(None, None) == sum(c.n for c in counts)
