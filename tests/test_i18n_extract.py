"""The YAML extractor and babel.cfg: YAML and Python texts in one template, each with its line and a comment."""

from __future__ import annotations

import io
import tomllib
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_mapping_cfg
from babel.messages.pofile import read_po

from bot.content import load_content
from bot.i18n import COMMUNE_CONTEXT, message_key
from bot.i18n.extract import COMMUNE_NOTE, SYNONYM_NOTE, extract_yaml, yaml_texts
from bot.i18n.sources import code_messages, content_messages, is_synonym_list, needed_messages

ROOT = Path(__file__).resolve().parent.parent

FLOW = """\
flow: essai
steps:
  - id: bonjour
    message: >-
      Bonjour.
      Deux lignes pliées.
    next: question

  - id: question
    question: Vous allez bien ?
    emoji: "🙂"
    choices:
      - id: oui
        label: Oui, merci
        synonyms: [oui, très bien]
      - id: non
        label: Pas trop
        synonyms:
          - non
          - bof
    next: fin
"""

CARD = """\
id: exemple
nom: Lieu d'exemple
texte: Un lieu qui aide.
pour_qui: Tout le monde.
description: Long texte de data·inclusion, jamais montré.
adresse: 1 rue de la Paix
commune: Bondy
a_apporter:
  - Une pièce d'identité
  - Votre attestation RSA
prochaine_etape: Allez-y.
sources:
  - titre: Un article
    url: https://example.org
verifie_le: 2026-11-26
"""

GLOBAL = """\
start: essai
intents:
  help:
    label: Aide
    emoji: "❓"
    synonyms: [aide, au secours]
    message: Appuyez sur un bouton.
themes:
  francais:
    set: {theme: francais}
"""


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_flow_texts_have_their_lines_and_comments() -> None:
    found = {(f.message, f.line): f for f in yaml_texts(FLOW, "flows/essai.yaml")}
    assert set(found) == {
        ("Bonjour. Deux lignes pliées.", line_of(FLOW, "message:")),
        ("Vous allez bien ?", line_of(FLOW, "question:")),
        ("Oui, merci", line_of(FLOW, "label: Oui, merci")),
        ("oui", line_of(FLOW, "synonyms: [oui")),
        ("très bien", line_of(FLOW, "synonyms: [oui")),
        ("Pas trop", line_of(FLOW, "label: Pas trop")),
        ("non", line_of(FLOW, "- non")),
        ("bof", line_of(FLOW, "- bof")),
    }
    question = found["Vous allez bien ?", line_of(FLOW, "question:")]
    assert question.comments == ["flows/essai.yaml: question of step question"]
    synonym = found["bof", line_of(FLOW, "- bof")]
    assert synonym.kind == "synonym"
    assert synonym.comments == ["flows/essai.yaml: synonym of answer 'non' of step question", SYNONYM_NOTE]
    assert "|" in SYNONYM_NOTE


def test_card_texts_but_never_ids_addresses_sources_or_description() -> None:
    found = {f.message: f for f in yaml_texts(CARD, "knowledge/services/exemple.yaml")}
    assert set(found) == {"Lieu d'exemple", "Un lieu qui aide.", "Tout le monde.", "Une pièce d'identité",
                          "Votre attestation RSA", "Allez-y."}
    assert found["Votre attestation RSA"].line == line_of(CARD, "- Votre attestation RSA")
    assert found["Allez-y."].line == line_of(CARD, "prochaine_etape:")
    assert "card exemple" in found["Lieu d'exemple"].comment


def test_global_intents() -> None:
    found = {f.message: f for f in yaml_texts(GLOBAL, "flows/_global.yaml")}
    assert set(found) == {"Aide", "aide", "au secours", "Appuyez sur un bouton."}
    assert found["Appuyez sur un bouton."].line == line_of(GLOBAL, "message:")
    assert found["au secours"].kind == "synonym"


COMMUNES = """\
territoires:
  - id: est-ensemble
    nom: "Est Ensemble"
communes:
  - code_insee: "93010"
    nom: "Bondy"
    codes_postaux: ["93140"]
    alias: ["Bondy centre"]
hors_departement:
  - nom: "Paris"
"""


def test_commune_names_are_synonyms_in_the_commune_context() -> None:
    """Only the names of the communes: their translations are the spellings people type in their script.
    Territories, aliases and towns outside the département are not translated."""
    found = list(yaml_texts(COMMUNES, "knowledge/communes.yaml"))
    assert [(f.message, f.line, f.kind, f.context) for f in found] == [
        ("Bondy", line_of(COMMUNES, 'nom: "Bondy"'), "synonym", COMMUNE_CONTEXT)]
    assert found[0].key == message_key("Bondy", "commune") == "commune\x04Bondy"
    assert found[0].comments == ["knowledge/communes.yaml: name of the commune 93010", COMMUNE_NOTE]
    assert "copy the name unchanged" in COMMUNE_NOTE


def test_babel_gets_the_commune_context_through_pgettext() -> None:
    handle = io.BytesIO(COMMUNES.encode())
    handle.name = "/somewhere/knowledge/communes.yaml"  # type: ignore[attr-defined]
    results = list(extract_yaml(handle, DEFAULT_KEYWORDS, (), {}))
    assert [(r[1], r[2]) for r in results] == [("pgettext", ("commune", "Bondy"))]


def test_broken_or_foreign_yaml_yields_nothing() -> None:
    assert list(yaml_texts("steps: [unclosed", "flows/x.yaml")) == []
    assert list(yaml_texts("hors_departement:\n  - nom: Paris\n", "knowledge/communes.yaml")) == []


def test_babel_extractor_interface() -> None:
    handle = io.BytesIO(FLOW.encode())
    handle.name = "/somewhere/flows/essai.yaml"  # type: ignore[attr-defined]
    results = list(extract_yaml(handle, DEFAULT_KEYWORDS, (), {}))
    assert (line_of(FLOW, "question:"), None, "Vous allez bien ?",
            ["flows/essai.yaml: question of step question"]) in results


def test_extractor_is_registered_in_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["entry-points"]["babel.extractors"]["bot_yaml"] == "bot.i18n.extract:extract_yaml"


def _babel_cfg_extraction() -> dict[str, list[tuple[str, int, list[str]]]]:
    """What `pybabel extract -F babel.cfg` collects, run in-process (the entry point replaced by its target)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    method_map = [(pattern, "bot.i18n.extract:extract_yaml" if method == "bot_yaml" else method)
                  for pattern, method in method_map]
    found: dict[str, list[tuple[str, int, list[str]]]] = {}
    for filename, line, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=DEFAULT_KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True):
        found.setdefault(message_key(str(message), context), []).append((filename, line, comments))
    return found


def test_babel_cfg_puts_yaml_and_python_in_one_template_with_right_lines() -> None:
    found = _babel_cfg_extraction()
    texts = (ROOT / "bot/engine/texts.py").read_text(encoding="utf-8")
    assert ("bot/engine/texts.py", line_of(texts, "ASK_LANGUAGE = N_("), [
        "shown in every language at once when the bot does not know the language."]) in found[
        "Choisissez votre langue."]
    flow = (ROOT / "flows/accueil.yaml").read_text(encoding="utf-8")
    assert ("flows/accueil.yaml", line_of(flow, "question: Vous parlez français ?"),
            ["flows/accueil.yaml: question of step francais"]) in found["Vous parlez français ?"]
    card = (ROOT / "knowledge/services/yookan.yaml").read_text(encoding="utf-8")
    assert ("knowledge/services/yookan.yaml", line_of(card, "texte:"),
            ["knowledge/services/yookan.yaml: card yookan, one-sentence summary"]) in found[
        "Yookan vous fait essayer des métiers avec des jeux et des simulateurs."]
    assert "Centre commercial Westfield Rosny 2" in found  # a place described in words is translated
    assert "93110" not in " ".join(found)  # postal codes and street addresses are not
    communes = (ROOT / "knowledge/communes.yaml").read_text(encoding="utf-8")
    assert found[message_key("Bondy", COMMUNE_CONTEXT)] == [("knowledge/communes.yaml", line_of(
        communes, 'nom: "Bondy"'), ["knowledge/communes.yaml: name of the commune 93010", COMMUNE_NOTE])]
    assert "Paris" not in found and message_key("Paris", COMMUNE_CONTEXT) not in found  # outside: not translated


def test_check_needs_exactly_what_pybabel_extracts() -> None:
    content = load_content(ROOT)
    assert set(_babel_cfg_extraction()) == set(needed_messages(content, ROOT))


def test_extracted_yaml_texts_are_the_texts_the_engine_translates() -> None:
    """The extractor reads raw YAML; the engine translates model fields: both must name the same texts."""
    content = load_content(ROOT)
    model: set[str] = set()
    for step in content.steps.values():
        model.update(t for t in (step.text,) if t)
        model.update(step.phrase.texts if step.phrase else ())
        model.update(rule.raison for rule in step.card_rules if rule.raison)
        for choice in step.choices:
            model.update((choice.label, *choice.synonyms))
    for intent in content.intents.values():
        model.update(t for t in (intent.label, intent.message, *intent.synonyms) if t)
    for card in content.cards.values():
        model.update((card.nom, *card.texte.texts, *card.pour_qui.texts, *card.prochaine_etape.texts,
                      *card.a_apporter))
        model.update(t for t in (card.lieu, card.nom_court) if t)
    model.update(message_key(commune.nom, COMMUNE_CONTEXT) for commune in content.communes.values())
    assert set(content_messages(content, ROOT)) == model


def test_python_strings_carry_translator_comments_and_synonym_lists() -> None:
    needed = code_messages()
    yes = needed["oui|ouais|d'accord|ok|exact|c'est ça"]
    assert is_synonym_list(yes)
    assert "separated by |" in yes[0].comment
    assert not is_synonym_list(needed["Choisissez votre langue."])


def test_pybabel_extract_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert any(e.name == "bot_yaml" for e in entry_points(group="babel.extractors")), \
        "the project is not installed: run ./scripts/setup (it installs it with .[dev])"
    monkeypatch.chdir(ROOT)
    output = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "N_", "-c", "TRANSLATORS:",
                                "-o", str(output), "."])
    with output.open("rb") as handle:
        template = read_po(handle)
    ids = {message_key(m.id, m.context) for m in template if isinstance(m.id, str) and m.id}
    assert ids == set(needed_messages(load_content(ROOT), ROOT))
    town = template.get("Bondy", context=COMMUNE_CONTEXT)
    assert town is not None and " ".join(town.auto_comments).endswith(COMMUNE_NOTE)  # wrapped in the file
    entry = template["Vous parlez français ?"]
    assert entry is not None
    assert entry.auto_comments == ["flows/accueil.yaml: question of step francais"]


def test_imported_cards_are_not_extracted_for_the_catalogs() -> None:
    import io

    from bot.i18n.extract import extract_yaml

    card = io.BytesIO(b"id: di-test-1\nnom: Atelier\ntexte: Un atelier.\n")
    card.name = "/repo/knowledge/imported/di-test-1.yaml"  # type: ignore[attr-defined]
    assert list(extract_yaml(card, {}, [], {})) == []
    card = io.BytesIO(b"id: atelier\nnom: Atelier\ntexte: Un atelier.\n")
    card.name = "/repo/knowledge/services/atelier.yaml"  # type: ignore[attr-defined]
    assert [message for _, _, message, _ in extract_yaml(card, {}, [], {})] == ["Atelier", "Un atelier."]
