"""python -m bot stats, as staff run it: a French table, JSON, CSV, a chart, and one sentence when it cannot."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import time
from pathlib import Path

import pytest

from bot.content import load_content
from bot.stats import SMALL, Catalog, Mark
from bot.store import SQLiteStore
from tests.auxil.events import demo_events, insert
from tests.conftest import ROOT
from tests.test_cli import bot

MARKS = {m.value for m in Mark}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("stats") / "bot.sqlite3"
    asyncio.run(insert(path, demo_events(time.time(), days=40, people=300)))
    return path


def one_sentence(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_default_is_a_short_french_table(database: Path) -> None:
    result = bot("stats", "--database", str(database))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Statistiques de l'assistant RSA 93 : 30 derniers jours, du ")
    assert "« < 5 » : moins de 5." in out
    assert re.search(r"^Conversations commencées +\d+$", out, re.MULTILINE)
    assert "Lieux montrés, par lieu" in out and "  Plat'In " in out and "  France Travail " in out
    assert "Conversations commencées, par semaine" in out
    assert len(out.splitlines()) < 70


def test_by_step_is_the_funnel_in_flow_order(database: Path) -> None:
    out = bot("stats", "--database", str(database), "--by", "step", "--since", "7d").stdout
    section = out.split("Questions atteintes, par question, dans l'ordre du parcours\n")[1].split("\n\n")[0]
    assert section.splitlines()[0].split() == ["fois", "%", "de", "la", "1re", "question"]
    shown = [line.strip().split("  ")[0] for line in section.splitlines()[1:]]
    catalog = Catalog.from_content(load_content(ROOT))
    expected = [catalog.label("step", key) for key in catalog.steps]
    assert len(shown) >= len(expected)
    assert all(e.startswith(s.rstrip("…")) for s, e in zip(shown, expected, strict=False)), shown
    assert "7 derniers jours" in out


def test_json_is_for_tools_and_carries_the_marks_not_the_small_numbers(database: Path) -> None:
    result = bot("stats", "--database", str(database), "--json", "--by", "territory", "--per", "day")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["protection"] == {"threshold": 5, "small": "< 5", "hidden": "caché"}
    assert (doc["by"], doc["per"], doc["window"]["days"]) == ("territory", "day", 30)
    assert set(doc["headline"]) == {"started", "finished", "orientation", "opened", "request", "request_taken"}
    table = next(t for t in doc["tables"] if t["by"] == "territory")
    assert [r["key"] for r in table["rows"]][-1] == ""
    assert len(table["periods"]) == 30
    for row in table["rows"]:
        for figure in (row["total"], *row["periods"]):
            assert figure in MARKS if isinstance(figure, str) else figure >= SMALL


def test_csv_has_one_published_figure_per_line(database: Path) -> None:
    result = bot("stats", "--database", str(database), "--csv", "--by", "lang")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert set(rows[0]) == {"table", "by", "row", "label", "period", "value"}
    assert {r["label"] for r in rows if r["by"] == "lang"} >= {"français", "arabe", "Langue non choisie", "Total"}
    assert all(r["value"] in MARKS or int(r["value"]) >= SMALL for r in rows)


def test_chart_is_written_as_a_png(database: Path, tmp_path: Path) -> None:
    chart = tmp_path / "charts" / "stats.png"
    result = bot("stats", "--database", str(database), "--chart", str(chart), "--by", "referent")
    assert result.returncode == 0, result.stderr
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert f"Chart written to {chart}" in result.stderr
    assert "Lieux montrés, par code de référent" in result.stdout


def test_a_referent_sees_only_their_code(database: Path) -> None:
    result = bot("stats", "--database", str(database), "--referent", "ALI93-07", "--by", "referent", "--json")
    doc = json.loads(result.stdout)
    assert doc["referent"] == "ALI93-07"
    assert "ALI93-12" not in result.stdout and "CCAS-BONDY" not in result.stdout
    table = next(t for t in doc["tables"] if t["by"] == "referent")
    assert [r["key"] for r in table["rows"]] == ["ALI93-07"]


def test_an_empty_database_is_one_clear_sentence_and_success(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"

    async def create() -> None:
        store = SQLiteStore(path)
        await store.open()
        await store.close()

    asyncio.run(create())
    result = bot("stats", "--database", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Aucun chiffre pour l'instant : la base ne contient encore aucune conversation.\n"


def test_an_unreadable_database_is_one_sentence_and_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    result = bot("stats", "--database", str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert one_sentence(result.stderr).startswith(f"Cannot use the database {path}")


def test_a_missing_database_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.sqlite3"
    result = bot("stats", "--database", str(path))
    assert result.returncode == 1
    assert one_sentence(result.stderr) == (f"There is no database at {path}: give the bot's file with --database or "
                                           "BOT_DATABASE.")
    assert not path.exists()


@pytest.mark.parametrize(("args", "said"), [
    (("--since", "1w"), "'1w' is not a window"),
    (("--referent", "Jean Dupont"), "'Jean Dupont' is not a referent code"),
])
def test_wrong_options_are_one_sentence_and_exit_2(database: Path, args: tuple[str, ...], said: str) -> None:
    result = bot("stats", "--database", str(database), *args)
    assert result.returncode == 2
    assert said in one_sentence(result.stderr)
