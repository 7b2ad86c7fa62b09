"""Each step of the importer alone: read, validate, select, map, write (and the texts it builds)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.content.import_mapping import load_import_setting
from bot.importers.card import fingerprint, render, split_written
from bot.importers.data_inclusion import Located, RawRecord, ReadProblem, card_id, locate, read_file, to_card
from bot.importers.data_inclusion.map import NO_NEED, NO_WAY
from bot.importers.data_inclusion.select import NO_ZONE_HERE, OUTSIDE, card_zone
from bot.importers.data_inclusion.validate import validate_service
from bot.importers.report import Dropped
from bot.importers.text import first_sentence, next_step
from bot.importers.write import Existing, decide
from tests.conftest import ROOT

SETTING = load_import_setting(ROOT)
TODAY = date(2026, 12, 2)


def service(**fields: object) -> object:
    base = {"source": "test", "id": "test--1", "structure_id": "test--s1", "nom": "Atelier (donnée de test)",
            "description": "Un atelier de test.", "date_maj": "2026-10-01"}
    result = validate_service(RawRecord("t", 1, {**base, **fields}))
    assert not isinstance(result, Dropped), result
    return result


# read


def test_csv_list_cells_are_read_in_every_form_pandas_or_postgres_write(tmp_path: Path) -> None:
    path = tmp_path / "services.csv"
    path.write_text("id,thematiques,publics,zone_eligibilite,nom\n"
                    "a,\"['numerique--acquerir-un-equipement', 'numerique--acceder-a-une-connexion-internet']\","
                    "\"[\"\"tous-publics\"\"]\",\"{93010,93048}\",\n", encoding="utf-8")
    [record] = list(read_file(path))
    assert isinstance(record, RawRecord)
    assert record.data == {"id": "a", "thematiques": ["numerique--acquerir-un-equipement",
                                                      "numerique--acceder-a-une-connexion-internet"],
                           "publics": ["tous-publics"], "zone_eligibilite": ["93010", "93048"], "nom": None}


def test_a_csv_cut_in_the_middle_of_a_quoted_value_ends_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "services.csv"
    path.write_text('id,nom\na,"Atelier\nb,"Un nom coupé', encoding="utf-8")
    *_, last = list(read_file(path))
    assert isinstance(last, ReadProblem) and last.ends
    assert "the file ends in the middle of a record" in str(last.problem)


def test_an_empty_file_says_so(tmp_path: Path) -> None:
    path = tmp_path / "services.json"
    path.write_text("\n")
    [problem] = list(read_file(path))
    assert isinstance(problem, ReadProblem) and str(problem.problem) == "services.json: the file is empty"


# validate


def test_an_invalid_record_is_one_line_naming_each_wrong_field() -> None:
    verdict = validate_service(RawRecord("services.json", 3, {"id": "test--x", "source": "test", "nom": "ab"}))
    assert isinstance(verdict, Dropped) and verdict.problem is not None
    line = str(verdict.problem)
    assert line.startswith("services.json: test--x: ") and "\n" not in line
    assert "structure_id: Field required" in line and "nom: String should have at least 3 characters" in line


# select


def test_zone_codes_become_the_zones_of_the_cards() -> None:
    assert card_zone(["200057867", "75056"], SETTING) == ("plaine-commune",)
    assert card_zone(["93010", "93048"], SETTING) == ("93010", "93048")
    assert card_zone(["93", "93010"], SETTING) == ("93",)
    assert card_zone(["200054781"], SETTING) == ("93",)  # the Métropole du Grand Paris holds the 39 communes
    assert card_zone(["75056", "92", "france"], SETTING) == ()


def test_a_service_is_kept_for_where_it_is_or_where_it_serves() -> None:
    assert locate(service(code_insee="93010", zone_eligibilite=["93010"]), SETTING) == Located(("93010",), True,
                                                                                              "93010")
    assert locate(service(code_insee="75056", zone_eligibilite=["200058790"]), SETTING) == \
        Located(("grand-paris-grand-est",), True, None)
    assert locate(service(code_insee="93005"), SETTING) == Located(("93005",), False, "93005")
    assert locate(service(code_insee="93005", zone_eligibilite=["france"]), SETTING) == Located(("93",), True,
                                                                                               "93005")
    assert locate(service(code_insee="75056", zone_eligibilite=["france"]), SETTING) == Dropped(OUTSIDE)
    assert locate(service(code_insee="93005", zone_eligibilite=["75056"]), SETTING) == Dropped(NO_ZONE_HERE)


# map


def test_a_service_that_answers_no_need_or_gives_no_way_to_reach_it_is_left_out() -> None:
    located = Located(("93",), True, None)
    assert to_card(service(thematiques=["logement-hebergement--louer-un-logement"], telephone="01 99 00 12 34"),
                   None, located, SETTING, TODAY) == Dropped(NO_NEED)
    assert to_card(service(thematiques=["numerique--acquerir-un-equipement"]), None, located, SETTING,
                   TODAY) == Dropped(NO_WAY)


def test_a_text_with_a_number_no_phone_can_call_is_not_said() -> None:
    mapped = to_card(service(thematiques=["numerique--acquerir-un-equipement"], telephone="01 99 00 12 34",
                             description="Appelez le 01 23 45 67 8 pour venir."), None,
                     Located(("93",), True, None), SETTING, TODAY)
    assert not isinstance(mapped, Dropped)
    assert mapped.card.texte == "Un service référencé par data·inclusion."
    assert "holds a phone number that is not valid" in str(mapped.notes[0])


@given(st.text(min_size=1, max_size=80), st.sampled_from(["dora", "soliguide", "Mes Aides", "x"]))
def test_card_ids_are_valid_file_names_and_stable(raw: str, source: str) -> None:
    ident = card_id(source, f"{source}--{raw}")
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident) and ident == card_id(source, f"{source}--{raw}")


def test_card_ids_keep_a_plain_id_as_it_is_and_tell_apart_the_ones_they_had_to_change() -> None:
    assert card_id("dora", "dora--abc-123") == "di-dora-abc-123"
    assert card_id("dora", "dora--AidantsConnect:2024") != card_id("dora", "dora--aidantsconnect-2024")
    assert card_id("dora", "dora--AidantsConnect:2024").startswith("di-dora-aidantsconnect-2024-")


def test_the_short_text_is_the_first_sentence_cut_cleanly() -> None:
    assert first_sentence("**Cours** de français.\n\nLe mardi.") == "Cours de français."
    assert first_sentence("Aide [en ligne](https://example.org) pour tous") == "Aide en ligne pour tous."
    long = first_sentence("mot " * 80)
    assert long.endswith("mot…") and len(long) <= 160


def test_the_next_step_says_the_easiest_ways_first() -> None:
    assert next_step(telephone="01 99 00 12 34", adresse="1 rue de l'Essai", commune="Bondy", site="https://e.org",
                     courriel=None) == "Appelez le 01 99 00 12 34. Ou allez à cette adresse : 1 rue de l'Essai, Bondy."
    assert next_step(telephone=None, adresse=None, commune=None, site="https://example.org/a",
                     courriel="a@example.org") == "Allez sur le site https://example.org/a. Ou écrivez à a@example.org."
    assert next_step(telephone=None, adresse=None, commune=None, site=None, courriel=None) is None


# write


def _card() -> object:
    mapped = to_card(service(thematiques=["numerique--acquerir-un-equipement"], telephone="01 99 00 12 34"), None,
                     Located(("93",), True, None), SETTING, TODAY)
    assert not isinstance(mapped, Dropped)
    return mapped.card


def test_write_decides_from_the_file_already_there() -> None:
    card = _card()
    action, text = decide(None, card, command="data-inclusion", title="data·inclusion")
    assert action == "add"
    assert decide(Existing.parse(text), card, command="data-inclusion", title="data·inclusion")[0] == "unchanged"
    edited = Existing.parse(text.replace("Un atelier de test.", "Un atelier."))
    assert edited.edited and decide(edited, card, command="data-inclusion", title="data·inclusion")[0] == \
        "kept-edited"
    disabled = Existing.parse(text + "actif: false\n")
    assert not disabled.edited and disabled.disabled
    assert decide(disabled, card, command="data-inclusion", title="data·inclusion")[0] == "unchanged"


def test_the_fingerprint_covers_the_body_but_not_an_actif_line() -> None:
    text = render(_card(), command="data-inclusion", title="data·inclusion")
    recorded, body = split_written(text)
    assert recorded == fingerprint(body) == fingerprint(body + "actif: false\n")
    assert body.startswith("id: di-test-1\n")
