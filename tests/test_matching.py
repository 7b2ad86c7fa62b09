"""Normalisation and matching: examples people really type, and properties that must always hold."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.content import Content, load_content
from bot.engine import Engine
from bot.i18n import Translations
from bot.matching import CommuneIndex, Grade, Option, find_postcode, fold_commune, match_choice, normalize
from bot.matching._spelling import queries
from bot.matching.communes import _score
from tests.conftest import ROOT

FRANCAIS = [
    Option("bien", ("Oui, bien", "oui", "couramment")),
    Option("un-peu", ("Un peu", "moyen", "pas trop")),
    Option("pas-du-tout", ("Non, pas du tout", "non", "rien")),
]


CONTENT = load_content(ROOT)
PLAIN = CommuneIndex(CONTENT.communes.values(), CONTENT.outside)
"""Module-level for the property tests (hypothesis and function fixtures do not mix)."""


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


# ---- towns outside the département ---------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "town", "departement"), [
    ("Clichy", "Clichy", "92"), ("clichy la garenne", "Clichy", "92"), ("Neuilly-sur-Seine", "Neuilly-sur-Seine", "92"),
    ("Neuilly sur Sene", "Neuilly-sur-Seine", "92"), ("Noisy-le-Roi", "Noisy-le-Roi", "78"),
    ("Villeneuve-la-Garenne", "Villeneuve-la-Garenne", "92"),
    ("villeneuve st georges", "Villeneuve-Saint-Georges", "94"),
    ("Saint-Maur-des-Fossés", "Saint-Maur-des-Fossés", "94"), ("st maur", "Saint-Maur-des-Fossés", "94"),
    ("Le Mesnil-Saint-Denis", "Le Mesnil-Saint-Denis", "78"), ("Roinville", "Roinville", "91"), ("Osny", "Osny", "95"),
    ("Nanterr", "Nanterre", "92"), ("j'habite à Villeneuve-la-Garenne depuis 2 ans", "Villeneuve-la-Garenne", "92"),
    ("Paris 11e", "Paris", "75"), ("je vis à Marseille", "Marseille", "13"),
])
def test_a_town_outside_is_outside_even_when_it_resembles_a_93_town(index: CommuneIndex, text: str, town: str,
                                                                    departement: str) -> None:
    found = index.resolve(text)
    assert (found.kind, found.outside, found.departement) == ("outside", town, departement)
    assert found.candidates == ()  # no town of the 93 is proposed in its place


@pytest.mark.parametrize(("text", "code"), [
    ("Saint-Denis", "93066"), ("saint deniss", "93066"), ("Clichy-sous-Bois", "93014"), ("Neuilly-sur-Marne", "93050"),
    ("Montreuil", "93048"), ("Romainvile", "93063"), ("je suis chez ma mère à Bondy", "93010"),
])
def test_a_93_name_stays_the_93_commune(index: CommuneIndex, text: str, code: str) -> None:
    """Saint-Denis is also in La Réunion, Romainville looks like Roinville, Méré (78) is a word of the sentence."""
    found = index.resolve(text)
    assert found.kind == "found" and found.best is not None and found.best.code_insee == code, found


@pytest.mark.parametrize(("text", "code"), [
    ("clichy s bois", "93014"), ("Clichy-sous-Boi", "93014"), ("Pr-Saint-Gervais", "93061"),
    ("osny-sous-Bois", "93064"),
])
def test_the_longer_words_win_a_93_typo_holding_a_town_outside(index: CommuneIndex, text: str, code: str) -> None:
    """Clichy (92), Saint-Gervais (95) and Osny (95) are in these typos: the commune they belong to wins."""
    found = index.resolve(text)
    assert found.kind == "found" and found.best is not None and found.best.code_insee == code, found


@pytest.mark.parametrize(("text", "code", "outside"), [
    ("Bourge", "93013", "Bourges"), ("Rominville", "93063", "Roinville"),
])
def test_a_typo_as_close_to_a_town_outside_asks(index: CommuneIndex, text: str, code: str, outside: str) -> None:
    found = index.resolve(text)
    assert found.kind == "close" and found.best is not None and found.best.code_insee == code
    assert found.outside == outside


def test_two_towns_outside_with_one_name_do_not_name_a_departement(index: CommuneIndex) -> None:
    found = index.resolve("Blandy")  # Seine-et-Marne and Essonne
    assert (found.kind, found.outside, found.departement) == ("outside", "Blandy", None)


def test_every_town_outside_typed_as_written_is_outside(index: CommuneIndex) -> None:
    ours = {fold_commune(name) for c in CONTENT.communes.values() for name in (c.nom, *c.alias)}
    for town in CONTENT.outside:
        found = index.resolve(town.nom)
        if fold_commune(town.nom) in ours:  # Saint-Denis (La Réunion): the 93 one
            assert found.kind == "found", town
        else:
            assert found.kind == "outside" and found.outside == town.nom, (town, found)
        for pc in town.codes_postaux:
            assert index.resolve(pc).kind == "outside", (town, pc)


@pytest.mark.parametrize(("text", "town", "departement"), [
    ("75011", "Paris", "75"), ("75116", "Paris", "75"), ("75 020", "Paris", "75"), ("92110", "Clichy", "92"),
    ("95140", "Garges-lès-Gonesse", "95"), ("CP 94000", "Créteil", "94"), ("97400", "Saint-Denis", "974"),
    ("77120", "77120", "77"),  # one code, several towns of Seine-et-Marne: the code, and the département
    ("01000", "01000", None),  # a town not in the list: outside all the same, no département guessed
])
def test_a_postal_code_outside_names_the_town(index: CommuneIndex, text: str, town: str,
                                              departement: str | None) -> None:
    found = index.resolve(text)
    assert (found.kind, found.outside, found.departement) == ("outside", town, departement)


@pytest.mark.parametrize("text", ["93999", "93 999", "CP 93.999"])
def test_an_unknown_93_postal_code_stays_unknown(index: CommuneIndex, text: str) -> None:
    assert index.resolve(text).kind == "unknown"


@pytest.mark.parametrize("text", [
    "93140", "93 140", "93.140", "93-140", "CP 93140", "C.P. 93140", "cp:93140", "code postal 93140",
    "code postal : 93 140", "j'habite au 93-140, à Bondy", "CP93140", "93140 tel 01 48 95 60 00", "٩٣١٤٠",
])
def test_postal_codes_however_they_are_typed(index: CommuneIndex, text: str) -> None:
    assert find_postcode(text) == "93140"
    found = index.resolve(text)
    assert found.kind == "found" and found.best is not None and found.best.nom == "Bondy"


@pytest.mark.parametrize("text", [
    "01 48 95 60 00", "0148956000", "01.48.95.60.00", "+33 1 48 95 60 00", "06-12-34-56-78", "06 12 345 678",
    "12 rue de la République", "931400", "93 1400", "9 3140", "le 12/05/2026", "2 enfants 3 ans",
])
def test_other_numbers_are_never_a_postal_code(text: str) -> None:
    assert find_postcode(text) is None


SEPARATORS = st.sampled_from(["", " ", ".", "-"])
PREFIXES = st.sampled_from(["", "CP ", "cp", "C.P. ", "c.p.", "cp:", "CP : ", "code postal ", "Code postal : "])


@given(st.sampled_from(sorted({(pc, c.nom) for c in CONTENT.communes.values() for pc in c.codes_postaux})),
       PREFIXES, SEPARATORS, st.sampled_from(["", " Bondy", " svp", "."]))
def test_any_93_postal_code_typed_with_separators_finds_its_commune(code: tuple[str, str], prefix: str, sep: str,
                                                                    tail: str) -> None:
    postcode, nom = code
    found = PLAIN.resolve(f"{prefix}{postcode[:2]}{sep}{postcode[2:]}{tail}")
    assert found.kind == "found" and found.best is not None and found.best.nom == nom, found


@given(st.lists(st.integers(0, 99), min_size=5, max_size=5), SEPARATORS)
def test_a_phone_number_is_never_a_postal_code(pairs: list[int], sep: str) -> None:
    assert find_postcode(sep.join(f"{n:02d}" for n in pairs)) is None


def _reference_ranking(index: CommuneIndex, text: str) -> list[tuple[str, float]]:
    """Every run of words against every spelling, one pair at a time: what _scores computes in bulk."""
    runs = queries(fold_commune(text))
    best = {code: max((_score(q, v, whole) for q, whole in runs for v in names), default=0.0)
            for code, names in index._names.items()}
    found = [(code, score) for code, score in best.items() if score > 0]
    return sorted(found, key=lambda item: (-item[1], index.communes[item[0]].nom))


ARABIC_INDEX = Engine(CONTENT, Translations()).commune_index("ar")


@settings(max_examples=300)
@given(st.one_of(words, st.sampled_from(["Clichy sous", "pavillons sous", "le pré st gervais", "saint", "noisy le",
                                          "j'habite à bondi", "بوندي", "أسكن في سان دوني", "نويي"])))
def test_bulk_scores_are_the_pair_by_pair_scores(text: str) -> None:
    for index in (PLAIN, ARABIC_INDEX):
        assert [(c.code_insee, c.score) for c in index.rank(fold_commune(text))] == _reference_ranking(index, text)
