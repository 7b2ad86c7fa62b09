"""Normalisation and matching: examples people really type, and properties that must always hold."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import Content
from bot.matching import CommuneIndex, Grade, Option, match_choice, normalize

FRANCAIS = [
    Option("bien", ("Oui, bien", "oui", "couramment")),
    Option("un-peu", ("Un peu", "moyen", "pas trop")),
    Option("pas-du-tout", ("Non, pas du tout", "non", "rien")),
]


@pytest.fixture(scope="module")
def index(content: Content) -> CommuneIndex:
    return CommuneIndex(content.communes.values(), content.outside)


@pytest.mark.parametrize(("text", "code"), [
    ("Bondy", "93010"), ("bondy", "93010"), ("BONDY", "93010"), ("j'habite à Bondy", "93010"),
    ("Epinay sur Seine", "93031"), ("épinay-s/-seine", "93031"), ("st ouen", "93070"), ("Saint-Ouen", "93070"),
    ("93200", "93066"), ("93210", "93066"), ("93380", "93066"), ("Pierrefitte", "93059"),
    ("l'ile st denis", "93039"), ("Aubervilier", "93001"), ("noisy-le-sec", "93053"), ("Le Pré-Saint-Gervais", "93061"),
    ("pre st gervais", "93061"), ("aulnay ss bois", "93005"), ("je vis à Montreuil 93100", "93048"),
])
def test_communes_people_type(index: CommuneIndex, text: str, code: str) -> None:
    found = index.resolve(text)
    assert found.kind == "found", (text, found)
    assert found.best is not None and found.best.code_insee == code


@pytest.mark.parametrize(("text", "codes"), [("Noisy", {"93051", "93053"}), ("Neuilly", {"93049", "93050"})])
def test_ambiguous_communes_ask(index: CommuneIndex, text: str, codes: set[str]) -> None:
    found = index.resolve(text)
    assert found.kind == "ambiguous"
    assert {c.code_insee for c in found.candidates} == codes


@pytest.mark.parametrize("text", ["Paris", "75011", "Créteil", "94000", "Argenteuil"])
def test_outside_the_departement(index: CommuneIndex, text: str) -> None:
    assert index.resolve(text).kind == "outside"


@pytest.mark.parametrize("text", ["je suis perdue", "bonjour", "???", "", "93999", "le la les"])
def test_not_a_commune(index: CommuneIndex, text: str) -> None:
    assert index.resolve(text).kind == "unknown"


@pytest.mark.parametrize(("text", "grade", "choice"), [
    ("un peu", Grade.CLEAR, "un-peu"), ("UN PEU !", Grade.CLEAR, "un-peu"), ("2", Grade.CLEAR, "un-peu"),
    ("je parle un peu", Grade.CLEAR, "un-peu"), ("unpeux", Grade.CLOSE, "un-peu"), ("banane", Grade.POOR, None),
])
def test_choice_grades(text: str, grade: Grade, choice: str | None) -> None:
    match = match_choice(text, FRANCAIS)
    assert match.grade is grade
    if choice:
        assert match.best is not None and match.best.id == choice


def test_arabic_diacritics_and_alef_forms_fold() -> None:
    assert normalize("قَلِيلًا") == normalize("قليلا")
    assert normalize("أنا") == normalize("انا") == normalize("إنا")
    assert normalize("٩٣٢٠٠") == "93200"


words = st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs", "S", "M"]), max_size=40)


@given(words)
def test_normalize_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@given(words)
def test_normalize_ignores_case_and_latin_accents(text: str) -> None:
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not "\u0300" <= ch <= "\u036f")
    assert normalize(text.upper()) == normalize(text.lower()) or not text.isascii()
    assert normalize(stripped) == normalize(text)


@given(words)
def test_normalize_output_is_single_spaced_without_punctuation(text: str) -> None:
    out = normalize(text)
    assert out == out.strip()
    assert "  " not in out
    assert not any(unicodedata.category(ch).startswith("P") for ch in out)


@settings(max_examples=200)
@given(words)
def test_matching_never_raises_and_scores_are_bounded(text: str) -> None:
    match = match_choice(text, FRANCAIS)
    assert all(0.0 <= s.score <= 100.0 for s in match.ranking)
    if match.grade is not Grade.POOR:
        assert match.best is not None


@settings(max_examples=200)
@given(words)
def test_commune_resolution_never_raises(index: CommuneIndex, text: str) -> None:
    found = index.resolve(text)
    assert found.kind in {"found", "close", "ambiguous", "outside", "unknown"}
    if found.kind == "ambiguous":
        assert len(found.candidates) >= 2


@given(st.sampled_from(["Bondy", "Bobigny", "Montreuil", "Stains", "Drancy", "Pantin", "Sevran"]),
       st.sampled_from(["", "!", " ", "."]), st.booleans())
def test_names_resolve_whatever_the_case_and_punctuation(index: CommuneIndex, name: str, punct: str,
                                                        upper: bool) -> None:
    text = (name.upper() if upper else name.lower()) + punct
    found = index.resolve(text)
    assert found.kind == "found" and found.best is not None and found.best.nom == name
