"""What the Telegram /stats command will get: text lines and a PNG whose protected figures are never numbers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.content import Content
from bot.stats import EMPTY, SMALL, Catalog, Mark, as_csv, as_json, draw, summarize
from bot.store import SQLiteStore
from tests.auxil.events import at, demo_events, insert

NOW = at("2026-06-06", 18)
MARKS = {m.value for m in Mark}


async def test_summary_gives_french_lines_and_a_png(content: Content, tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await insert(path, demo_events(NOW))
    store = SQLiteStore(path)
    await store.open()
    try:
        summary = await summarize(store, 30, now=NOW, catalog=Catalog.from_content(content, ["fr", "ar"]))
    finally:
        await store.close()
    assert summary.lines[0] == "Statistiques de l'assistant RSA 93 : 30 derniers jours, du 08/05/2026 au 06/06/2026."
    assert any(re.match(r"^Conversations commencées +\d+$", line) for line in summary.lines)
    assert "Lieux montrés, par lieu" in summary.lines
    assert "Conversations commencées, par semaine" in summary.lines
    assert summary.png is not None and summary.png.startswith(b"\x89PNG\r\n\x1a\n")


async def test_an_empty_database_says_so_in_one_sentence(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "bot.sqlite3")
    await store.open()
    try:
        summary = await summarize(store, 30, now=NOW)
    finally:
        await store.close()
    assert summary.lines == (EMPTY,)
    assert (summary.png, summary.publication) == (None, None)


def figures_of(document: dict[str, Any]) -> list[int | str]:
    found = list(document["headline"].values())
    for table in document["tables"]:
        found += [table["total"], *table.get("period_totals", [])]
        for row in table["rows"]:
            found += [row["total"], *row["periods"]]
    return found


def text_figures(lines: tuple[str, ...]) -> list[str]:
    """Every figure of the text: the fields after a row's label (columns are 2+ spaces apart)."""
    fields = [re.split(r" {2,}", line.strip()) for line in lines[3:] if line.strip() and "fois" not in line]
    return [f for row in fields if len(row) > 1 for f in row[1:] if not f.endswith(" %") and f != "–"]


async def test_no_output_ever_shows_a_count_below_five(content: Content, tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await insert(path, demo_events(NOW, people=120))
    store = SQLiteStore(path)
    await store.open()
    try:
        for by in ("step", "card", "territory", "referent", "lang"):
            summary = await summarize(store, 30, by=by, per="day", now=NOW, chart=False,
                                      catalog=Catalog.from_content(content, ["fr", "ar", "en"]))
            assert summary.publication is not None
            figures = figures_of(as_json(summary.publication))
            assert all(f in MARKS if isinstance(f, str) else f >= SMALL for f in figures), by
            assert any(isinstance(f, int) for f in figures) and any(f == "< 5" for f in figures)
            values = [line.rsplit(",", 1)[1] for line in as_csv(summary.publication).splitlines()[1:]]
            assert all(v in MARKS or int(v) >= SMALL for v in values), by
            shown = text_figures(summary.lines)
            assert shown and all(f in MARKS or int(f) >= SMALL for f in shown), (by, shown)
    finally:
        await store.close()


async def test_the_chart_draws_protected_figures_as_hatched_marks_of_one_length(content: Content,
                                                                                tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await insert(path, demo_events(NOW, people=80))
    store = SQLiteStore(path)
    await store.open()
    try:
        summary = await summarize(store, 30, by="card", now=NOW, chart=False, catalog=Catalog.from_content(content))
    finally:
        await store.close()
    assert summary.publication is not None
    table = summary.publication.details[0]
    drawing = draw(summary.publication)
    bars, line = drawing.axes
    patches = bars.patches
    assert len(patches) == len(table.rows)
    for row, patch, label in zip(table.rows, patches, bars.texts, strict=True):
        if row.total.shown:
            assert patch.get_width() == row.total.value and label.get_text() == str(row.total.value)
        else:
            assert patch.get_width() == SMALL and patch.get_hatch() == "///"
            assert label.get_text() == str(row.total) and label.get_text() in MARKS
    protected = [t.get_text() for t in line.texts if not t.get_text().strip().isdigit()]
    assert set(protected) <= MARKS
    assert all(int(t.get_text()) >= SMALL for t in line.texts if t.get_text().strip().isdigit())


async def test_a_window_or_a_dimension_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await insert(path, demo_events(NOW, people=5))
    store = SQLiteStore(path)
    await store.open()
    try:
        with pytest.raises(ValueError, match="1 to 3660 days"):
            await summarize(store, 0, now=NOW)
        with pytest.raises(ValueError, match="by must be one of step, card"):
            await summarize(store, 7, by="town", now=NOW)  # type: ignore[arg-type]
    finally:
        await store.close()
