"""`python -m bot check`, translation part: a broken copy of the catalogs gives the right error at the .po line."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.cli.check_languages import check_languages
from bot.content import Content, load_content
from bot.i18n import catalog_paths
from bot.i18n.audit import MAX_WORDS, audit, long_sentences
from bot.i18n.sources import Origin, needed_messages

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
CONTENT = load_content(ROOT)
SHIPPED = sorted(catalog_paths(LOCALES))

Edit = Callable[[str, str, str], Path]


@pytest.fixture
def locales_copy(tmp_path: Path) -> Path:
    target = tmp_path / "locales"
    shutil.copytree(LOCALES, target, ignore=shutil.ignore_patterns("*.mo"))
    return target


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def po_line(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def run(content: Content, root: Path, locales: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    errors = check_languages(content, root, locales)
    return errors, capsys.readouterr().out


def test_shipped_catalogs_pass(capsys: pytest.CaptureFixture[str]) -> None:
    errors, out = run(CONTENT, ROOT, LOCALES, capsys)
    assert errors == 0, out
    total = len(needed_messages(CONTENT, ROOT))
    for code in SHIPPED:
        assert re.search(rf"^  {code} +{total}/{total} \(100 %\)", out, re.MULTILINE), out
    assert "awaiting native speaker review" in out


def test_missing_translation_is_an_error_with_the_po_line(locales_copy: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    po = locales_copy / "ar/LC_MESSAGES/messages.po"
    replace(po, 'msgstr "اختر لغتك."', 'msgstr ""')
    errors, out = run(CONTENT, ROOT, locales_copy, capsys)
    assert errors == 1
    line = po_line(po, 'msgid "Choisissez votre langue."')
    assert f"ar/LC_MESSAGES/messages.po:{line}: [missing-translation] ar: 'Choisissez votre langue.'" in out
    assert "fix: write the translation" in out
    total = len(needed_messages(CONTENT, ROOT))
    assert f"ar  {total - 1}/{total}" in out


def test_fuzzy_entry_is_an_error(locales_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po = locales_copy / "pt/LC_MESSAGES/messages.po"
    replace(po, 'msgid "Choisir dans la liste"', '#, fuzzy\nmsgid "Choisir dans la liste"')
    errors, out = run(CONTENT, ROOT, locales_copy, capsys)
    assert errors == 1
    line = po_line(po, 'msgid "Choisir dans la liste"')
    assert f"pt/LC_MESSAGES/messages.po:{line}: [fuzzy-translation] pt:" in out
    assert "delete the '#, fuzzy' line" in out


def test_placeholder_mismatch_is_an_error(locales_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po = locales_copy / "en/LC_MESSAGES/messages.po"
    replace(po, 'msgstr "checked on {date}"', 'msgstr "checked on {datum}"')
    replace(po, 'msgstr "Noted: {commune}."', 'msgstr "Noted: {commune."')
    errors, out = run(CONTENT, ROOT, locales_copy, capsys)
    assert errors == 2
    line = po_line(po, 'msgid "vérifié le {date}"')
    assert f"en/LC_MESSAGES/messages.po:{line}: [placeholder-mismatch] en:" in out
    assert "has placeholders {datum}; the French has {date}" in out
    assert "broken braces" in out


def test_commands_must_be_kept(locales_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    needed = needed_messages(CONTENT, ROOT)
    msgid = next(m for m in needed if "/start" in m)
    po = locales_copy / "en/LC_MESSAGES/messages.po"
    text = po.read_text(encoding="utf-8")
    translated = re.search(rf'msgid "{re.escape(msgid)}"\nmsgstr "([^"]*)"', text)
    assert translated is not None and "/start" in translated[1]
    replace(po, f'msgstr "{translated[1]}"', f'msgstr "{translated[1].replace("/start", "/begin")}"')
    errors, out = run(CONTENT, ROOT, locales_copy, capsys)
    assert errors == 1
    assert "[command-mismatch] en:" in out and "keep the commands (/start)" in out


def test_bar_in_a_shown_text_and_latin_start_of_an_arabic_line(locales_copy: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    replace(locales_copy / "tr/LC_MESSAGES/messages.po", 'msgstr "Listeden seç"', 'msgstr "Listeden seç|Liste"')
    replace(locales_copy / "ar/LC_MESSAGES/messages.po", 'msgstr "اختر مدينتك."', 'msgstr "Bondy: اختر مدينتك."')
    errors, out = run(CONTENT, ROOT, locales_copy, capsys)
    assert errors == 2
    assert "[bar-in-shown-text] tr:" in out
    assert "[rtl-line-start] ar:" in out


def test_synonym_lists_may_hold_bars(locales_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(locales_copy / "en/LC_MESSAGES/messages.po", 'msgstr "a little|a bit|little"',
            'msgstr "a little|a bit|little|a touch"')
    errors, _ = run(CONTENT, ROOT, locales_copy, capsys)
    assert errors == 0


def test_a_new_yaml_text_is_missing_in_every_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in ("flows", "knowledge"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    flow = tmp_path / "flows/accueil.yaml"
    replace(flow, "question: Vous parlez français ?", "question: Vous parlez un peu le français ?")
    content = load_content(tmp_path)
    errors, out = run(content, tmp_path, LOCALES, capsys)
    assert errors == len(SHIPPED)
    line = po_line(flow, "Vous parlez un peu le français ?")
    assert out.count(f"'Vous parlez un peu le français ?' (used at flows/accueil.yaml:{line})") == len(SHIPPED)
    assert "[warning: unused-translation]" in out  # the old question is no longer used


def test_long_french_sentences_warn_but_do_not_fail(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in ("flows", "knowledge"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    long = ("Vous pouvez venir avec votre conseiller ou avec une personne de votre famille si vous avez besoin "
            "d'aide pour comprendre.")
    replace(tmp_path / "knowledge/services/yookan.yaml",
            "texte: Yookan vous fait essayer des métiers avec des jeux et des simulateurs.", f"texte: {long}")
    no_catalogs = tmp_path / "locales"
    no_catalogs.mkdir()
    errors, out = run(load_content(tmp_path), tmp_path, no_catalogs, capsys)
    assert errors == 0
    assert f"1 French sentence(s) over {MAX_WORDS} words" in out
    assert "knowledge/services/yookan.yaml:5: 20 words: Vous pouvez venir" in out
    assert "only French is offered" in out


def test_long_sentences_are_counted_per_sentence_and_sorted() -> None:
    origin = Origin("flows/x.yaml", 3, "", "text")
    needed = {
        "Un deux trois quatre cinq six sept huit neuf dix. Onze douze treize.": [origin],
        " ".join(["mot"] * 16) + ".": [origin],
        " ".join(["mot"] * 18) + " ! Court.": [origin],
        " ".join(["synonyme"] * 20): [Origin("flows/x.yaml", 4, "", "synonym")],
        "👋 " * 30 + "Bonjour.": [origin],
    }
    found = long_sentences(needed)
    assert [s.words for s in found] == [18, 16]


def test_unused_entries_only_warn(locales_copy: Path) -> None:
    needed = needed_messages(CONTENT, ROOT)
    needed.pop("Choisir dans la liste")
    report = audit(needed, locales_copy)
    assert report.errors == []
    assert {p.rule for p in report.warnings} == {"unused-translation"}


def test_check_command_exits_zero_and_is_fast(capsys: pytest.CaptureFixture[str]) -> None:
    started = time.perf_counter()
    assert main(["check"]) == 0
    assert time.perf_counter() - started < 1.0
    out = capsys.readouterr().out
    assert "Translations:" in out and "Content OK" in out


def test_check_command_fails_on_a_broken_catalog(locales_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    replace(locales_copy / "zh/LC_MESSAGES/messages.po", 'msgstr "请选择您的语言。"', 'msgstr ""')
    assert main(["check", "--locales", str(locales_copy)]) == 1
    assert "1 error(s)" in capsys.readouterr().out
