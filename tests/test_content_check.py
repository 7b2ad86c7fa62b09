"""One test per content rule: a broken copy of the shipped content gives that error, at file:line, with a fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.content import collect, errors
from bot.content.errors import ContentError

Edit = Callable[[str, str, str], Path]


def only_errors(root: Path) -> list[ContentError]:
    report = collect(root)
    assert report.content is None, "broken content must be refused"
    return report.errors


def find(found: list[ContentError], rule: type[ContentError]) -> ContentError:
    matching = [e for e in found if isinstance(e, rule)]
    assert matching, f"expected a {rule.__name__}; got: {[str(e) for e in found]}"
    return matching[0]


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_shipped_content_has_no_error() -> None:
    report = collect(Path(__file__).resolve().parent.parent)
    assert report.errors == []
    assert report.content is not None


def test_yaml_syntax_error_names_file_and_line(content_copy: Path, edit: Edit) -> None:
    path = edit("flows/accueil.yaml", "    next: lecture\n", "    next: lecture\n   bad: [unclosed\n")
    error = find(only_errors(content_copy), errors.YamlSyntaxError)
    assert error.file == "flows/accueil.yaml"
    assert abs(error.line - line_of(path, "bad: [unclosed")) <= 1
    assert error.fix


def test_tab_indentation_is_explained(content_copy: Path, edit: Edit) -> None:
    edit("knowledge/services/platin.yaml", "tags: [numerique]", "tags:\n\t- numerique")
    error = find(only_errors(content_copy), errors.YamlSyntaxError)
    assert error.file == "knowledge/services/platin.yaml"
    assert "tab" in (error.message + error.fix).lower()


def test_duplicate_key_is_reported(content_copy: Path, edit: Edit) -> None:
    edit("knowledge/services/platin.yaml", "tags: [numerique]", "tags: [numerique]\ntags: [ali]")
    error = find(only_errors(content_copy), errors.YamlSyntaxError)
    assert "twice" in error.message


def test_missing_required_field(content_copy: Path) -> None:
    path = content_copy / "knowledge/services/reseau-entreprendre-93.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("prochaine_etape:")
    path.write_text(text[:start] + text[text.index("sources:"):], encoding="utf-8")
    error = find(only_errors(content_copy), errors.MissingField)
    assert error.file == "knowledge/services/reseau-entreprendre-93.yaml"
    assert "prochaine_etape" in error.message and "prochaine_etape" in error.fix


def test_unknown_field_suggests_the_right_one(content_copy: Path, edit: Edit) -> None:
    path = edit("knowledge/services/platin.yaml", "tags: [numerique]", "tags: [numerique]\ntelefone: '01'")
    error = find(only_errors(content_copy), errors.UnknownField)
    assert error.line == line_of(path, "telefone")
    assert "telephone" in error.fix


def test_unknown_data_inclusion_value_suggests(content_copy: Path, edit: Edit) -> None:
    edit("knowledge/services/handiforum.yaml", "publics:", "frais: gratuitt\npublics:")
    error = find(only_errors(content_copy), errors.UnknownValue)
    assert "gratuitt" in error.message
    assert "did you mean 'gratuit'" in error.fix


def test_wrong_type(content_copy: Path, edit: Edit) -> None:
    edit("knowledge/services/platin.yaml", "tags: [numerique]", "tags: [numerique]\nzone_confirmee: peut-etre")
    error = find(only_errors(content_copy), errors.WrongType)
    assert "true or false" in error.message


def test_bad_date(content_copy: Path, edit: Edit) -> None:
    edit("knowledge/services/platin.yaml", "verifie_le: 2026-12-02", "verifie_le: 02/12/2026")
    error = find(only_errors(content_copy), errors.BadValue)
    assert "YYYY-MM-DD" in error.fix


@pytest.mark.parametrize("number", ["appelez-nous", "01 23", "06 12 34 56 7", "+33 1 43"])
def test_bad_phone_number(content_copy: Path, edit: Edit, number: str) -> None:
    """phonenumbers decides: only a number people can call (and Telegram can make tappable) is accepted."""
    path = edit("knowledge/services/platin.yaml", "tags: [numerique]", f"tags: [numerique]\ntelephone: '{number}'")
    error = find(only_errors(content_copy), errors.BadPhone)
    assert error.line == line_of(path, "telephone:") and "3949" in error.fix


@pytest.mark.parametrize("number", ["01 43 93 93 93", "+33 1 43 93 93 93", "0143939393", "3949", "3230"])
def test_real_numbers_and_short_numbers_are_accepted(content_copy: Path, edit: Edit, number: str) -> None:
    edit("knowledge/services/platin.yaml", "tags: [numerique]", f"tags: [numerique]\ntelephone: '{number}'")
    assert collect(content_copy).errors == []


def test_a_phone_number_written_in_a_text_must_be_real(content_copy: Path, edit: Edit) -> None:
    path = edit("knowledge/services/caf.yaml", "prochaine_etape: Appelez le 3230.",
                "prochaine_etape: Appelez le 01 43 93 93 9 ou le 3230.")
    error = find(only_errors(content_copy), errors.BadPhone)
    assert error.line == line_of(path, "prochaine_etape:") and "01 43 93 93 9" in error.message


def test_a_description_is_not_a_street_address(content_copy: Path, edit: Edit) -> None:
    """A map search needs a street: '2e étage de l'antenne…' belongs in lieu."""
    path = edit("knowledge/services/ali-clichy-sous-bois.yaml", "lieu: 2e étage",
                "adresse: 2e étage de l'antenne\nlieu: 2e étage")
    error = find(only_errors(content_copy), errors.NotAStreetAddress)
    assert error.line == line_of(path, "adresse:") and "lieu" in error.fix


def test_bad_opening_hours(content_copy: Path, edit: Edit) -> None:
    edit("knowledge/services/platin.yaml", "tags: [numerique]", "tags: [numerique]\nhoraires_accueil: lundi 9h-12h")
    error = find(only_errors(content_copy), errors.BadOpeningHours)
    assert "Mo-Fr" in error.fix


def test_unknown_commune_code_in_zone(content_copy: Path, edit: Edit) -> None:
    edit("knowledge/services/ali-sevran.yaml", '"93071"', '"93072x"')
    error = find(only_errors(content_copy), errors.UnknownCommuneCode)
    assert error.file == "knowledge/services/ali-sevran.yaml"


def test_card_id_must_match_file_name(content_copy: Path, edit: Edit) -> None:
    edit("knowledge/services/platin.yaml", "id: platin", "id: plat-in")
    error = find(only_errors(content_copy), errors.BadValue)
    assert "platin.yaml" in error.fix or "plat-in.yaml" in error.fix


def test_duplicate_step_id(content_copy: Path, edit: Edit) -> None:
    edit("flows/accueil.yaml", "  - id: lecture\n", "  - id: francais\n")
    error = find(only_errors(content_copy), errors.DuplicateId)
    assert "francais" in error.message


def test_unknown_target_suggests_step(content_copy: Path, edit: Edit) -> None:
    path = edit("flows/accueil.yaml", "    next: handicap\n", "    next: handicapp\n")
    error = find(only_errors(content_copy), errors.UnknownTarget)
    assert error.line == line_of(path, "question: Vous utilisez facilement") - 1  # the step numerique
    assert "did you mean 'handicap'" in error.fix


def test_unreachable_step(content_copy: Path, edit: Edit) -> None:
    edit("flows/accueil.yaml", "  - id: au-revoir\n", "  - id: oublie\n    message: Personne ne vient ici.\n"
         "    end: true\n\n  - id: au-revoir\n")
    error = find(only_errors(content_copy), errors.UnreachableStep)
    assert "oublie" in error.message


def test_dead_end(content_copy: Path, edit: Edit) -> None:
    edit("flows/accueil.yaml", "    end: true\n", "\n")
    error = find(only_errors(content_copy), errors.DeadEnd)
    assert "end: true" in error.fix


def test_choice_without_branch(content_copy: Path, edit: Edit) -> None:
    edit("flows/accueil.yaml", "    next: referent\n", "\n")
    error = find(only_errors(content_copy), errors.ChoiceWithoutBranch)
    assert "of step 'entreprise' leads nowhere" in error.message


def test_branch_without_default(content_copy: Path, edit: Edit) -> None:
    edit("flows/accueil.yaml", "  - id: perdu-de-vue\n", "  - id: perdu-de-vue\n    branch:\n"
         "      - when: {referent: non}\n        next: commune\n  - id: perdu-ancien\n")
    error = find(only_errors(content_copy), errors.NoDefaultBranch)
    assert "without 'when'" in error.fix


def test_result_rule_that_can_select_no_card(content_copy: Path, edit: Edit) -> None:
    edit("flows/accueil.yaml", "        tags: [handicap]\n", "        publics: [seniors]\n")
    error = find(only_errors(content_copy), errors.EmptyResult)
    assert "otherwise" in error.fix


def test_unknown_card_and_tag(content_copy: Path, edit: Edit) -> None:
    edit("flows/accueil.yaml", "cards: [yookan]", "cards: [yokan]")
    edit("flows/accueil.yaml", "tags: [entreprise]", "tags: [entreprises]")
    found = only_errors(content_copy)
    assert "did you mean 'yookan'" in find(found, errors.UnknownCard).fix
    assert "did you mean 'entreprise'" in find(found, errors.UnknownTag).fix


def test_when_uses_unknown_answer_or_value(content_copy: Path, edit: Edit) -> None:
    edit("flows/accueil.yaml", "{handicap: oui}", "{handicape: oui}")
    edit("flows/accueil.yaml", "{lecture: difficile}", "{lecture: dificile}")
    found = only_errors(content_copy)
    assert "did you mean 'handicap'" in find(found, errors.UnknownVariable).fix
    assert "did you mean 'difficile'" in find(found, errors.UnknownValue).fix


def test_question_without_answers(content_copy: Path, edit: Edit) -> None:
    edit("flows/accueil.yaml", "    input: commune\n", "\n")
    error = find(only_errors(content_copy), errors.MissingField)
    assert "choices" in error.fix


def test_missing_intent(content_copy: Path, edit: Edit) -> None:
    edit("flows/_global.yaml", "  back:\n", "  bak:\n")
    found = only_errors(content_copy)
    assert "did you mean 'back'" in find(found, errors.BadValue).fix
    assert any(isinstance(e, errors.MissingField) and "back" in e.message for e in found)


@pytest.mark.parametrize("garbage", [b"\xff\xfe\x00bad", b"- just\n- a list\n", b"", b"id: [1, 2"])
def test_any_garbage_file_is_an_error_not_a_crash(content_copy: Path, garbage: bytes) -> None:
    (content_copy / "knowledge/services/platin.yaml").write_bytes(garbage)
    found = only_errors(content_copy)
    assert any(e.file == "knowledge/services/platin.yaml" for e in found)


def test_errors_print_file_line_and_fix(content_copy: Path, edit: Edit) -> None:
    edit("flows/accueil.yaml", "    next: handicap\n", "    next: handicapp\n")
    text = str(find(only_errors(content_copy), errors.UnknownTarget))
    assert text.startswith("flows/accueil.yaml:")
    assert "fix:" in text


# ---- knowledge/hors_departement.yaml: the towns outside and their départements --------------------------------
OUTSIDE = "knowledge/hors_departement.yaml"
CLICHY = '{nom: "Clichy", departement: "92", codes_postaux: ["92110"]'


def test_unknown_field_of_a_town_outside_suggests(content_copy: Path, edit: Edit) -> None:
    path = edit(OUTSIDE, 'codes_postaux: ["92110"]', 'code_postal: ["92110"]')
    error = find(only_errors(content_copy), errors.UnknownField)
    assert (error.file, error.line) == (OUTSIDE, line_of(path, '"Clichy"'))
    assert "codes_postaux" in error.fix


def test_a_town_outside_needs_its_departement(content_copy: Path, edit: Edit) -> None:
    path = edit(OUTSIDE, CLICHY, '{nom: "Clichy", codes_postaux: ["92110"]')
    error = find(only_errors(content_copy), errors.MissingField)
    assert (error.file, error.line) == (OUTSIDE, line_of(path, '"Clichy"'))
    assert "departement" in error.fix


def test_a_bad_departement_code(content_copy: Path, edit: Edit) -> None:
    path = edit(OUTSIDE, CLICHY, '{nom: "Clichy", departement: "9", codes_postaux: ["92110"]')
    error = find(only_errors(content_copy), errors.BadValue)
    assert (error.file, error.line) == (OUTSIDE, line_of(path, '"Clichy"'))
    assert "'9' is not a département code" in error.message and '"92"' in error.fix


def test_a_town_outside_cannot_be_in_the_93(content_copy: Path, edit: Edit) -> None:
    edit(OUTSIDE, CLICHY, '{nom: "Clichy", departement: "93", codes_postaux: ["92110"]')
    error = find(only_errors(content_copy), errors.BadValue)
    assert "knowledge/communes.yaml" in error.fix


def test_a_bad_postal_code_of_a_town_outside(content_copy: Path, edit: Edit) -> None:
    edit(OUTSIDE, CLICHY, '{nom: "Clichy", departement: "92", codes_postaux: ["9211"]')
    error = find(only_errors(content_copy), errors.BadValue)
    assert "'9211' is not a postal code" in error.message and "5 digits" in error.fix


def test_a_town_outside_cannot_take_a_postal_code_of_the_93(content_copy: Path, edit: Edit) -> None:
    path = edit(OUTSIDE, CLICHY, '{nom: "Clichy", departement: "92", codes_postaux: ["92110", "93390"]')
    error = find(only_errors(content_copy), errors.BadValue)
    assert (error.file, error.line) == (OUTSIDE, line_of(path, '"Clichy"'))
    assert "Clichy-sous-Bois" in error.message and "remove it" in error.fix


def test_a_town_outside_listed_twice(content_copy: Path, edit: Edit) -> None:
    edit(OUTSIDE, f"  - {CLICHY}", f'  - {{nom: "Clichy", departement: "92"}}\n  - {CLICHY}')
    error = find(only_errors(content_copy), errors.DuplicateId)
    assert "Clichy (92)" in error.message and "alias" in error.fix


def test_a_departement_named_twice_or_with_a_bad_code(content_copy: Path, edit: Edit) -> None:
    edit(OUTSIDE, '  - {code: "92", nom: "Hauts-de-Seine"}',
         '  - {code: "92", nom: "Hauts-de-Seine"}\n  - {code: "92", nom: "Seine"}\n  - {code: "20", nom: "Corse"}')
    found = only_errors(content_copy)
    assert "named twice" in find(found, errors.DuplicateId).message
    assert "'20' is not a département code" in find(found, errors.BadValue).message


def test_the_former_list_in_the_communes_file_is_explained(content_copy: Path) -> None:
    path = content_copy / "knowledge/communes.yaml"
    path.write_text(path.read_text(encoding="utf-8") + '\nhors_departement:\n  - nom: "Paris"\n', encoding="utf-8")
    error = find(only_errors(content_copy), errors.UnknownField)
    assert (error.file, error.line) == ("knowledge/communes.yaml", line_of(path, "hors_departement:"))
    assert "knowledge/hors_departement.yaml" in error.fix


def test_a_broken_file_of_towns_outside_names_its_line(content_copy: Path, edit: Edit) -> None:
    path = edit(OUTSIDE, CLICHY, '{nom: "Clichy", departement: "92", codes_postaux: ["92110"')
    error = find(only_errors(content_copy), errors.YamlSyntaxError)
    assert error.file == OUTSIDE and abs(error.line - line_of(path, '"Clichy"')) <= 1


def test_without_the_file_no_town_is_known_outside(content_copy: Path) -> None:
    (content_copy / OUTSIDE).unlink()
    report = collect(content_copy)
    assert report.errors == [] and report.content is not None
    assert report.content.outside == () and dict(report.content.departements) == {}


# ---- texts that depend on the answers, and the walk over every path ------------------------------------------

def test_a_variant_without_when_must_come_last(content_copy: Path, edit: Edit) -> None:
    path = edit("knowledge/services/yookan.yaml", "  - when: {referent: oui}\n    texte: Demandez les horaires",
                "  - texte: Une première variante.\n  - when: {referent: oui}\n    texte: Demandez les horaires")
    error = find(only_errors(content_copy), errors.BadValue)
    assert error.line == line_of(path, "texte: Une première variante.") and "end" in error.fix


def test_a_variant_with_an_unknown_answer_is_named(content_copy: Path, edit: Edit) -> None:
    edit("knowledge/services/yookan.yaml", "  - when: {referent: oui}", "  - when: {referant: oui}")
    error = find(only_errors(content_copy), errors.UnknownVariable)
    assert error.file == "knowledge/services/yookan.yaml" and "did you mean 'referent'" in error.fix


def test_a_path_without_a_next_step_is_found(content_copy: Path, edit: Edit) -> None:
    """Only people with a referent get a next step: every other path is named, with an example."""
    path = edit("knowledge/services/yookan.yaml",
                "  - texte: Allez à Yookan, dans le centre commercial Westfield Rosny 2. C'est gratuit.\n", "")
    error = find(only_errors(content_copy), errors.NoNextStep)
    assert error.file == "knowledge/services/yookan.yaml" and error.line == line_of(path, "when: {referent: oui}")
    assert "card yookan has no next step in" in error.message and "referent=non" in error.message
    assert "without 'when'" in error.fix


def test_telling_a_person_without_a_referent_to_ask_them_is_refused(content_copy: Path, edit: Edit) -> None:
    path = edit("knowledge/services/caf.yaml", "prochaine_etape: Appelez le 3230.",
                "prochaine_etape: Demandez à votre référent. Ou appelez le 3230.")
    error = find(only_errors(content_copy), errors.GuardBroken)
    assert error.line == line_of(path, "prochaine_etape:")
    assert "referent=non" in error.message or "referent=plus-de-contact" in error.message
    assert "flows/_global.yaml:" in error.message and "when" in error.fix


def test_a_conversation_that_ends_before_any_place_is_found(content_copy: Path, edit: Edit) -> None:
    edit("flows/accueil.yaml", "        next: perdu-de-vue\n      - id: emploi",
         "        next: au-revoir\n      - id: emploi")
    error = find(only_errors(content_copy), errors.NoNextStep)
    assert "before any place is shown" in error.message and "besoin=referent" in error.message


def test_a_result_that_shows_nothing_on_some_path_is_found(content_copy: Path, edit: Edit) -> None:
    text = (content_copy / "flows/accueil.yaml").read_text(encoding="utf-8")
    start, end = text.index("      - cards: [france-travail]\n"), text.index("    next: au-revoir\n")
    (content_copy / "flows/accueil.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    error = find(only_errors(content_copy), errors.EmptyResult)
    assert "shows no place in" in error.message and "otherwise" in error.fix


# ---- sources and the dates they carry --------------------------------------------------------------------------

@pytest.mark.parametrize("written", ["2014-13", "hier", "20-02-2014", "2026-12-31"])
def test_a_source_date_is_the_sources_own_and_well_written(content_copy: Path, edit: Edit, written: str) -> None:
    path = edit("knowledge/services/adie.yaml", "    date: 2014-02-07", f"    date: '{written}'")
    error = find(only_errors(content_copy), errors.BadValue)
    assert error.line == line_of(path, "    date:")
    assert "YYYY" in error.fix or "newer than the check" in error.fix


def test_a_source_can_only_give_card_fields(content_copy: Path, edit: Edit) -> None:
    edit("knowledge/services/adie.yaml", "    champs: [telephone, site_web]", "    champs: [telefone, site_web]")
    error = find(only_errors(content_copy), errors.UnknownValue)
    assert "did you mean 'telephone'" in error.fix


# ---- imported cards ------------------------------------------------------------------------------------------

IMPORTED = """\
id: di-dora-test-1
nom: Atelier de test (donnée de test, inventée)
texte: Un atelier de test.
pour_qui: Personne (donnée de test).
tags: [numerique]
zone_eligibilite: ["93010"]
adresse: 1 rue de l'Essai
commune: Bondy
code_insee: "93010"
prochaine_etape: Ceci est une donnée de test.
provenance: {source: dora, id: test-1, date_maj: 2026-10-01, lien: https://example.org/test-1}
sources:
  - titre: Donnée de test inventée pour les tests
    date: 2026-10-01
    champs: [adresse]
verifie_le: 2026-12-02
"""


def _imported(content_copy: Path, text: str = IMPORTED) -> Path:
    folder = content_copy / "knowledge" / "imported"
    folder.mkdir(exist_ok=True)
    path = folder / "di-dora-test-1.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_imported_card_is_checked_and_used_like_the_others(content_copy: Path) -> None:
    _imported(content_copy)
    report = collect(content_copy)
    assert report.errors == [] and report.content is not None
    card = report.content.cards["di-dora-test-1"]
    assert card.imported and card.provenance is not None and card.provenance.key == "dora:test-1"


def test_an_imported_card_gets_the_same_errors(content_copy: Path) -> None:
    path = _imported(content_copy, IMPORTED.replace("adresse: 1 rue de l'Essai", "adresse: Au fond de la cour"))
    error = find(only_errors(content_copy), errors.NotAStreetAddress)
    assert error.file == "knowledge/imported/di-dora-test-1.yaml" and error.line == line_of(path, "adresse:")


def test_a_hand_card_replaces_an_imported_one(content_copy: Path, edit: Edit) -> None:
    _imported(content_copy)
    edit("knowledge/services/platin.yaml", "tags: [numerique]", "tags: [numerique]\nremplace: [dora:test-1]")
    content = collect(content_copy).content
    assert content is not None and "di-dora-test-1" not in content.cards


def test_an_imported_card_an_admin_disabled_stays_out(content_copy: Path) -> None:
    _imported(content_copy, IMPORTED + "actif: false\n")
    content = collect(content_copy).content
    assert content is not None and "di-dora-test-1" not in content.cards


def test_an_imported_card_needs_its_provenance(content_copy: Path) -> None:
    _imported(content_copy, IMPORTED.replace("provenance: {source: dora, id: test-1, date_maj: 2026-10-01, "
                                             "lien: https://example.org/test-1}\n", ""))
    error = find(only_errors(content_copy), errors.MissingField)
    assert "provenance" in error.message
