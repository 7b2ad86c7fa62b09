"""The shipped catalogs are current: every text the shipped content and code use is translated, usable and
marked as awaiting review. This is what makes `python -m bot check` pass; when it fails, follow
docs/translations.md (extract, update, translate)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from bot.content import load_content
from bot.engine import texts as T
from bot.i18n import SOURCE_LANGUAGE, Translations, catalog_paths, read_catalog
from bot.i18n.audit import audit, review_status
from bot.i18n.sources import is_synonym_list, needed_messages
from bot.i18n.text import placeholders
from bot.matching import normalize

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
CONTENT = load_content(ROOT)
NEEDED = needed_messages(CONTENT, ROOT)
SHIPPED = Translations()
LANGUAGES = [code for code in SHIPPED.codes if code != SOURCE_LANGUAGE]


def test_every_needed_text_is_translated_in_every_shipped_language() -> None:
    report = audit(NEEDED, LOCALES)
    assert [str(e) for e in report.errors] == []
    assert {c.code for c in report.coverage} == set(LANGUAGES)
    for coverage in report.coverage:
        assert coverage.translated == coverage.total == len(NEEDED)


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalog_is_marked_awaiting_review_and_has_no_fuzzy(code: str) -> None:
    catalog = read_catalog(catalog_paths(LOCALES)[code])
    assert review_status(catalog) == "machine-drafted, awaiting native speaker review"
    assert not catalog.fuzzy
    entries = [m for m in catalog if m.id]
    assert [m.id for m in entries if m.fuzzy] == []
    for message in entries:
        assert isinstance(message.id, str) and isinstance(message.string, str)
        assert placeholders(message.string) == placeholders(message.id), message.id


@pytest.mark.parametrize("code", LANGUAGES)
def test_runtime_serves_every_needed_text(code: str) -> None:
    assert [m for m in NEEDED if not SHIPPED.has(code, m)] == []


def test_the_language_question_reads_in_every_language() -> None:
    lines = {SHIPPED.gettext(code, T.ASK_LANGUAGE) for code in SHIPPED.codes}
    assert len(lines) == len(SHIPPED.codes)


@pytest.mark.parametrize("code", LANGUAGES)
def test_emoji_are_kept(code: str) -> None:
    for msgid in NEEDED:
        emoji = [ch for ch in msgid if ord(ch) >= 0x2190 and not ch.isalnum() and ch not in "«»’…"]
        translated = SHIPPED.gettext(code, msgid)
        assert all(e in translated for e in emoji), (msgid, translated)


@pytest.mark.parametrize("code", LANGUAGES)
def test_no_two_answers_of_a_question_share_a_word(code: str) -> None:
    """A translated synonym that also names another answer of the same question would make both unclear."""
    for step in CONTENT.steps.values():
        owner: dict[str, set[str]] = defaultdict(set)
        for choice in step.choices:
            phrases = [choice.label, SHIPPED.gettext(code, choice.label), *choice.synonyms]
            for synonym in choice.synonyms:
                phrases += SHIPPED.gettext(code, synonym).split("|")
            for phrase in phrases:
                owner[normalize(phrase)].add(choice.id)
        shared = {phrase: ids for phrase, ids in owner.items() if len(ids) > 1}
        assert shared == {}, f"{code}, step {step.key}: {shared}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_words_that_work_everywhere_stay_distinct(code: str) -> None:
    owner: dict[str, set[str]] = defaultdict(set)
    for name, intent in CONTENT.intents.items():
        for word in (intent.label, *intent.synonyms):
            for phrase in (word, *SHIPPED.gettext(code, word).split("|")):
                owner[normalize(phrase)].add(name)
    assert {phrase: names for phrase, names in owner.items() if len(names) > 1} == {}


def test_synonym_translations_are_lists_and_shown_texts_are_not() -> None:
    for msgid, origins in NEEDED.items():
        for code in LANGUAGES:
            translated = SHIPPED.gettext(code, msgid)
            if is_synonym_list(origins):
                assert all(part.strip() for part in translated.split("|")), (code, msgid, translated)
            else:
                assert "|" not in translated, (code, msgid)
