"""The commands admins and developers run: python -m bot check|match|graph|chat."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.auxil.events import demo_events, insert
from tests.conftest import ROOT


def bot(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=60, env={**os.environ, **(env or {})}, check=False)


def test_check_passes_on_shipped_content_and_prints_gap_report() -> None:
    result = bot("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Content OK" in result.stdout
    assert "communes with no known Agence locale d'insertion" in result.stdout
    assert "Bondy (93010)" in result.stdout
    assert "cards without telephone" in result.stdout


def test_check_fails_with_file_line_on_broken_yaml(content_copy: Path) -> None:
    path = content_copy / "flows" / "accueil.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    next: handicap\n", "    next: [handicap\n", 1),
                    encoding="utf-8")
    result = bot("check", "--content", str(content_copy))
    assert result.returncode == 1
    assert "flows/accueil.yaml:" in result.stdout
    assert "fix:" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_check_reads_bot_content_from_the_environment(content_copy: Path) -> None:
    (content_copy / "knowledge" / "services" / "platin.yaml").write_text("id: platin\n", encoding="utf-8")
    result = bot("check", env={"BOT_CONTENT": str(content_copy)})
    assert result.returncode == 1
    assert "knowledge/services/platin.yaml:" in result.stdout


def test_match_commune_json_one_document_per_line() -> None:
    result = bot("match", "commune", "-", "--json", stdin="Bondy\nNoisy\nParis\n")
    assert result.returncode == 0, result.stderr
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(docs) == 3
    assert docs[0]["candidates"][0] == {**docs[0]["candidates"][0], "code_insee": "93010", "nom": "Bondy"}
    assert docs[0]["candidates"][0]["score"] == 100.0
    assert {c["nom"] for c in docs[1]["candidates"]} == {"Noisy-le-Grand", "Noisy-le-Sec"}
    assert docs[2]["result"] == "outside"


def test_match_commune_names_the_departement_of_a_town_outside() -> None:
    doc = json.loads(bot("match", "commune", "Clichy", "--json").stdout)
    assert (doc["result"], doc["outside"], doc["departement"], doc["candidates"]) == ("outside", "Clichy", "92", [])
    assert "'Clichy' → outside (Clichy, Hauts-de-Seine)" in bot("match", "commune", "Clichy").stdout


def test_match_commune_in_a_language_uses_its_town_spellings() -> None:
    docs = [json.loads(bot("match", "commune", "بوندي", "--json", *extra).stdout) for extra in ((), ("--lang", "ar"))]
    assert docs[0]["result"] == "unknown"
    assert docs[1]["result"] == "found" and docs[1]["candidates"][0]["nom"] == "Bondy"


def test_match_choice_shows_scores() -> None:
    result = bot("match", "choice", "unpeux", "--step", "accueil:francais", "--json")
    doc = json.loads(result.stdout)
    assert doc["result"] == "close"
    assert doc["candidates"][0]["id"] == "un-peu"


def test_graph_is_mermaid_and_docs_are_current() -> None:
    result = bot("graph")
    assert result.returncode == 0
    assert result.stdout.startswith("flowchart TD")
    assert "accueil__francais" in result.stdout
    page = bot("graph", "--markdown").stdout
    assert result.stdout in page
    assert (ROOT / "docs" / "flows.md").read_text(encoding="utf-8") == page, \
        "docs/flows.md is stale: run the command written at its top"


def test_piped_chat_answers_every_odd_line_and_exits_zero(tmp_path: Path) -> None:
    odd = ["", "   ", "🙂🙂🙂", "x" * 5000, "/unknown", "/start extra", "0", "999", "-1", "\x00\x01", "' OR 1=1 --",
           "<b>bold</b>", "عربي", "2", "/retour", "/aide", "/contact", "/recommencer", "/langue", "1"]
    result = bot("chat", "--database", str(tmp_path / "c.sqlite3"), "--lang", "fr", stdin="\n".join(odd) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    answers = result.stdout.split("\n> ")
    assert len(answers) == len(odd) + 1
    assert all(part.strip() for part in answers[1:]), "every line gets an answer"


def test_chat_goes_from_hello_to_cards_by_numbers(tmp_path: Path) -> None:
    result = bot("chat", "--database", str(tmp_path / "c.sqlite3"), "--lang", "fr", stdin="1\n2\nBondy\n1\n")
    assert result.returncode == 0
    assert "1. 🗣️ Apprendre le français (Est Ensemble) — pour apprendre le français" in result.stdout
    assert "┌─ Apprendre le français (Est Ensemble)" in result.stdout
    assert "❔ Pas encore connu : le téléphone, l'adresse et les horaires" in result.stdout


def test_chat_with_broken_content_says_so_without_traceback(content_copy: Path, tmp_path: Path) -> None:
    (content_copy / "flows" / "_global.yaml").write_text("start: [", encoding="utf-8")
    result = bot("chat", "--content", str(content_copy), "--database", str(tmp_path / "c.sqlite3"))
    assert result.returncode == 1
    assert "flows/_global.yaml:1" in result.stderr
    assert "Traceback" not in result.stderr


def test_piped_chat_survives_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "chat", "--database", str(tmp_path / "c.sqlite3"), "--lang",
                             "fr"], cwd=ROOT, input=b"\xff\xfe\xc3\n7\n2\n", capture_output=True, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert "téléphone ou un ordinateur".encode() in result.stdout


def test_chat_on_a_file_that_is_not_a_database_says_so_and_exits(tmp_path: Path) -> None:
    broken = tmp_path / "notes.sqlite3"
    broken.write_text("these are not SQLite pages\n" * 100, encoding="utf-8")
    result = bot("chat", "--database", str(broken), "--lang", "fr")
    assert result.returncode == 1
    assert "Cannot use the database" in result.stderr and "Traceback" not in result.stderr


def test_check_coverage_names_what_no_golden_conversation_reaches(tmp_path: Path) -> None:
    goldens = tmp_path / "goldens"
    goldens.mkdir()
    (goldens / "only-emploi.yaml").write_text("conversation: test data\nturns:\n  - press: emploi\n"
                                              "  - type: Drancy\n", encoding="utf-8")
    result = bot("check", "--coverage", "--goldens", str(goldens))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "- step accueil:lecture: add a golden conversation" in result.stdout
    assert "- choice accueil:francais → un-peu" in result.stdout and "- card mdaa" in result.stdout


def test_graph_traffic_colours_the_questions_and_labels_the_drop_off(tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    asyncio.run(insert(database, demo_events(time.time(), days=20, people=300)))
    result = bot("graph", "--traffic", "--since", "30d", "--database", str(database))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    besoin = next(line for line in lines if line.strip().startswith("accueil__besoin{"))
    assert re.search(r"— \d+ %", besoin)  # the share of the conversations that reach the first question
    commune = next(line for line in lines if line.strip().startswith("accueil__commune{"))
    assert " %" in commune and "(−" in result.stdout  # where people leave shows as a drop
    assert any(line.startswith("  classDef many fill:") for line in lines)
    assert any(line.startswith("  class accueil__besoin many") for line in lines)


def test_graph_traffic_on_an_empty_database_is_the_plain_diagram(tmp_path: Path) -> None:
    result = bot("graph", "--traffic", "--database", str(tmp_path / "empty.sqlite3"))
    assert result.returncode == 0 and "classDef" not in result.stdout and "accueil__besoin" in result.stdout
