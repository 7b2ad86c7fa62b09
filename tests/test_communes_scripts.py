"""Towns typed in the person's own script: the spellings come from each catalog's translations of the commune
names (msgctxt "commune", see docs/translations.md); Arabic, Persian and Chinese spellings are matched exactly,
never by a typo distance, so a word that is no town is never taken for one. French is unchanged."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import load_content
from bot.engine import Engine, Output, Say, Text
from bot.engine import texts as T
from bot.engine.engine import commune_spellings
from bot.engine.prompts import CONFIRM_COMMUNE, PICK_COMMUNE
from bot.engine.state import HistoryEntry, State
from bot.i18n import COMMUNE_CONTEXT, SOURCE_LANGUAGE, Translations
from bot.matching import CommuneIndex, fold_commune
from bot.matching.communes import is_latin

ROOT = Path(__file__).resolve().parent.parent
CONTENT = load_content(ROOT)
SHIPPED = Translations()
ENGINE = Engine(CONTENT, SHIPPED)
PLAIN = CommuneIndex(CONTENT.communes.values(), CONTENT.outside)
LANGUAGES = [code for code in SHIPPED.codes if code != SOURCE_LANGUAGE]
OWN_SCRIPT = ["ar", "fa", "zh"]
LATIN = [code for code in LANGUAGES if code not in OWN_SCRIPT]
SPELLINGS = {lang: commune_spellings(CONTENT, SHIPPED, lang) for lang in LANGUAGES}


def at_commune(lang: str) -> State:
    state = ENGINE.new_state(1000.0)
    state.step, state.lang, state.lang_chosen = "accueil:commune", lang, True
    state.history = [HistoryEntry("accueil:francais", {})]
    return state


def said(outputs: Sequence[Output]) -> list[str]:
    return [o.text for o in outputs if isinstance(o, Say)]


# ---- the catalogs ----------------------------------------------------------------------------------------
def test_own_script_languages_spell_every_commune_and_latin_ones_copy_the_names() -> None:
    for lang in OWN_SCRIPT:
        assert set(SPELLINGS[lang]) == set(CONTENT.communes), lang
    for lang in LATIN:
        # Written in Latin letters: the name is copied unchanged, so it adds nothing to the French names.
        assert SPELLINGS[lang] == {}, lang
        for commune in CONTENT.communes.values():
            assert SHIPPED.pgettext(lang, COMMUNE_CONTEXT, commune.nom) == commune.nom


@pytest.mark.parametrize("lang", OWN_SCRIPT)
def test_spellings_are_in_the_script_and_name_one_commune_only(lang: str) -> None:
    owner: dict[str, set[str]] = defaultdict(set)
    for commune in CONTENT.communes.values():
        for name in (commune.nom, *commune.alias):
            owner[fold_commune(name)].add(commune.code_insee)
    for code, words in SPELLINGS[lang].items():
        for word in words:
            assert not is_latin(fold_commune(word)), (lang, code, word)
            owner[fold_commune(word)].add(code)
    assert {word: codes for word, codes in owner.items() if len(codes) > 1} == {}


# ---- matching ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", OWN_SCRIPT)
def test_every_spelling_finds_its_commune(lang: str) -> None:
    index = ENGINE.commune_index(lang)
    for code, words in SPELLINGS[lang].items():
        for word in words:
            found = index.resolve(word)
            assert found.kind == "found" and found.best is not None, (lang, word, found)
            assert found.best.code_insee == code, (lang, word, found)


@pytest.mark.parametrize(("lang", "text", "code"), [
    ("ar", "بوندي", "93010"), ("ar", "بوندى", "93010"), ("ar", "بُونْدِي", "93010"), ("ar", "أسكن في سان دوني", "93066"),
    ("ar", "ليل سان دوني", "93039"), ("ar", "Bondy", "93010"), ("fa", "بوندی", "93010"), ("fa", "بوندي", "93010"),
    ("fa", "سن دنی", "93066"), ("zh", "蒙特勒伊", "93048"), ("zh", "我住在蒙特勒伊", "93048"),
    ("zh", "蒙特 勒伊", "93048"), ("zh", "圣·但尼", "93066"), ("zh", "圣但尼岛", "93039"), ("zh", "93100", "93048"),
])
def test_towns_typed_in_their_script(lang: str, text: str, code: str) -> None:
    found = ENGINE.commune_index(lang).resolve(text)
    assert found.kind == "found" and found.best is not None and found.best.code_insee == code, found


@pytest.mark.parametrize(("lang", "text"), [
    ("ar", "كتاب"), ("ar", "مرحبا"), ("ar", "سان"), ("ar", "لا أعرف"), ("fa", "سلام"), ("fa", "نمی‌دانم"),
    ("zh", "你好"), ("zh", "巴基斯坦"), ("zh", "蒙特勒"), ("zh", "不知道"), ("zh", "圣"),
])
def test_words_that_are_no_town_are_not_taken_for_one(lang: str, text: str) -> None:
    assert ENGINE.commune_index(lang).resolve(text).kind == "unknown"


@pytest.mark.parametrize(("lang", "text"), [("ar", "نويي"), ("fa", "نویی")])
def test_a_first_word_shared_by_two_towns_asks(lang: str, text: str) -> None:
    found = ENGINE.commune_index(lang).resolve(text)
    assert found.kind == "ambiguous" and {c.code_insee for c in found.candidates} == {"93049", "93050"}


ARABIC_LETTERS = st.sampled_from("ابتثجحخدذرزسشصضطظعغفقكلمنهويءةىأإآ")
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@settings(max_examples=300, deadline=None)
@given(st.text(ARABIC_LETTERS, min_size=1, max_size=9))
def test_an_arabic_word_is_found_only_when_it_is_a_spelling(word: str) -> None:
    found = ENGINE.commune_index("ar").resolve(word)
    spellings = {fold_commune(w): code for code, words in SPELLINGS["ar"].items() for w in words}
    if found.kind == "found":
        assert found.best is not None and spellings.get(fold_commune(word)) == found.best.code_insee
    else:
        assert fold_commune(word) not in spellings


@settings(max_examples=300, deadline=None)
@given(st.text(HAN, min_size=1, max_size=8))
def test_chinese_text_is_found_only_when_it_holds_a_spelling(text: str) -> None:
    found = ENGINE.commune_index("zh").resolve(text)
    if found.kind != "unknown":
        assert found.best is not None
        assert any(w in text for w in SPELLINGS["zh"][found.best.code_insee]), (text, found)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="latin-1"), max_size=30))
def test_latin_text_resolves_as_in_french_in_every_language(text: str) -> None:
    """Spellings in another script never change what Latin text finds (the phrase behind an equal score may be
    another variant: sets have no order)."""
    def outcome(index: CommuneIndex) -> tuple[object, ...]:
        found = index.resolve(text)
        return found.kind, found.outside, [(c.code_insee, c.score) for c in found.candidates]

    expected = outcome(PLAIN)
    for lang in LANGUAGES:
        assert outcome(ENGINE.commune_index(lang)) == expected


def test_french_needs_no_spelling_and_has_its_own_index() -> None:
    assert commune_spellings(CONTENT, SHIPPED, SOURCE_LANGUAGE) == {}
    assert ENGINE.commune_index(None) is ENGINE.commune_index(SOURCE_LANGUAGE)
    assert ENGINE.commune_index("fr").resolve("بوندي").kind == "unknown"


# ---- the conversation ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "typed", "code", "name"), [
    ("ar", "بوندي", "93010", "Bondy"), ("zh", "蒙特勒伊", "93048", "Montreuil"),
    ("fa", "مونتروی", "93048", "Montreuil"),
])
def test_a_person_types_the_town_in_their_script(lang: str, typed: str, code: str, name: str) -> None:
    turn = ENGINE.handle(at_commune(lang), Text(typed), 1001.0)
    assert turn.state.answers["commune"] == code
    assert SHIPPED.format(lang, T.COMMUNE_NOTED, commune=name) in said(turn.outputs)


@pytest.mark.parametrize(("lang", "typed"), [("ar", "كتاب"), ("zh", "你好"), ("zh", "斯坦福大学在哪里")])
def test_a_word_that_is_no_town_gets_the_town_not_found_answer(lang: str, typed: str) -> None:
    turn = ENGINE.handle(at_commune(lang), Text(typed), 1001.0)
    assert "commune" not in turn.state.answers
    assert SHIPPED.gettext(lang, T.COMMUNE_UNKNOWN) in said(turn.outputs)


def test_a_first_word_in_arabic_asks() -> None:
    turn = ENGINE.handle(at_commune("ar"), Text("بلان"), 1001.0)
    assert turn.state.pending is not None and turn.state.pending.kind == CONFIRM_COMMUNE
    assert turn.state.pending.value == "93007"
    ambiguous = ENGINE.handle(at_commune("ar"), Text("نويي"), 1001.0).state
    assert ambiguous.pending is not None and ambiguous.pending.kind == PICK_COMMUNE
    # pressing one of the buttons: tests/golden/commune-in-own-script.yaml
    assert set(ambiguous.pending.options) == {"93049", "93050"}


def test_french_conversation_is_unchanged() -> None:
    turn = ENGINE.handle(at_commune("fr"), Text("j'habite à Bondy"), 1001.0)
    assert turn.state.answers["commune"] == "93010"
    assert "C'est noté : Bondy." in said(turn.outputs)
