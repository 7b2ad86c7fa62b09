"""JSON Schemas of the content files, generated from the models and the loader's own field lists (never by hand).

`python -m bot schema` writes them to schemas/; each shipped YAML file names its schema in a first-line
yaml-language-server modeline, so an editor (VS Code with the YAML extension) completes and checks as admins type.
The loader stays the authority (it also checks what a schema cannot say: the graph, the paths, the sources'
dates); the schemas are its first, friendly echo. The data·inclusion values come from the data-inclusion-schema
package, as enums.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from ._flows import CARD_RULE_FIELDS, CHOICE_FIELDS, GLOBAL_FIELDS, GUARD_FIELDS, INTENT_FIELDS, STEP_FIELDS
from ._knowledge import CARD_FIELDS, CARD_REQUIRED, COMMUNE_FIELDS, FACT_FIELDS, TERRITORY_FIELDS
from .models import INTENT_NAMES, Card, Phrase, Provenance, Source
from .vocabulary import FRAIS, MODES_ACCUEIL, PUBLICS, THEMATIQUES

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = "schemas"
FILES = {"card": "card.schema.json", "flow": "flow.schema.json", "global": "global.schema.json",
         "communes": "communes.schema.json"}
MODELINE = "# yaml-language-server: $schema="
Schema = dict[str, Any]

TEXT: Schema = {"type": "string", "minLength": 1}
TEXTS: Schema = {"anyOf": [TEXT, {"type": "array", "items": TEXT}]}
NAME_PATTERN = "^[a-z0-9][a-z0-9_-]*$"
CARD_ID = "^[a-z0-9][a-z0-9-]*$"
INSEE = "^(2[AB]|[0-9]{2})[0-9]{3}$"
WHEN: Schema = {
    "description": "{answer: value} or {answer: [v1, v2]}; a list of such maps means 'any of them'.",
    "anyOf": [{"$ref": "#/$defs/condition"}, {"type": "array", "items": {"$ref": "#/$defs/condition"}}],
}
CONDITION: Schema = {"type": "object", "minProperties": 1, "additionalProperties": {
    "anyOf": [{"type": ["string", "boolean", "number"]}, {"type": "array", "items": {"type": ["string", "boolean",
                                                                                               "number"]}}]}}
PHRASE: Schema = {
    "description": "One text, or variants said in order: the first whose 'when' holds (the last without 'when').",
    "anyOf": [TEXT, {"type": "array", "minItems": 1, "items": {
        "type": "object", "required": ["texte"], "additionalProperties": False,
        "properties": {"when": {"$ref": "#/$defs/when"}, "texte": TEXT}}}],
}
ENUMS: dict[str, frozenset[str]] = {"thematiques": THEMATIQUES, "publics": PUBLICS, "modes_accueil": MODES_ACCUEIL}
INTERNAL = {"zone_communes", "where", "imported"}
"""Card fields the loader computes; not written in YAML."""


def _enum_list(values: Iterable[str]) -> Schema:
    return {"type": "array", "items": {"enum": sorted(values)}, "uniqueItems": True}


def _source() -> Schema:
    hints = get_type_hints(Source)
    properties: Schema = {"titre": TEXT, "url": {"type": "string", "format": "uri"},
                          "date": {"description": "the source's own date", "anyOf": [
                              {"type": "string", "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
                              {"type": "integer", "minimum": 1900}]},
                          "champs": _enum_list(FACT_FIELDS)}
    assert set(properties) == set(hints), "the Source model and its schema differ"
    return {"type": "object", "required": ["titre"], "additionalProperties": False, "properties": properties}


def _provenance() -> Schema:
    hints = get_type_hints(Provenance)
    properties: Schema = {"source": TEXT, "id": TEXT, "date_maj": {"type": "string", "format": "date"},
                          "lien": {"type": "string"}}
    assert set(properties) == set(hints), "the Provenance model and its schema differ"
    return {"type": "object", "required": ["source", "id"], "additionalProperties": False, "properties": properties}


def _from_type(name: str, kind: Any) -> Schema:
    """The JSON Schema of one Card field, from its type in the model."""
    if name in ENUMS:
        return {"anyOf": [{"enum": sorted(ENUMS[name])}, _enum_list(ENUMS[name])]}
    if name == "frais":
        return {"anyOf": [{"enum": sorted(FRAIS)}, _enum_list(FRAIS)]}
    if name == "zone_eligibilite":
        return {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": f"^93$|{INSEE}|{NAME_PATTERN}"}}
    if name in ("code_insee",):
        return {"type": "string", "pattern": INSEE}
    if name == "code_postal":
        return {"type": "string", "pattern": "^[0-9]{5}$"}
    if name == "id":
        return {"type": "string", "pattern": CARD_ID}
    if name == "remplace":
        return {"type": "array", "items": {"type": "string", "pattern": "^[^:]+:.+$"}}
    origin, args = get_origin(kind), get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return _from_type(name, next(a for a in args if a is not type(None)))
    if kind is Phrase:
        return {"$ref": "#/$defs/phrase"}
    if kind is Provenance:
        return {"$ref": "#/$defs/provenance"}
    if kind is bool:
        return {"type": "boolean"}
    if kind is float:
        return {"type": "number"}
    if kind is date:
        return {"type": "string", "format": "date"}
    if origin is tuple and args and args[0] is Source:
        return {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/source"}}
    if origin is tuple:
        return TEXTS
    return TEXT if kind is str else {"type": "string"}


def card_schema() -> Schema:
    hints = get_type_hints(Card)
    fields = [name for name in hints if name not in INTERNAL]
    assert set(fields) == set(CARD_FIELDS), f"the Card model and the loader differ: {set(fields) ^ set(CARD_FIELDS)}"
    return {
        "$schema": DRAFT, "title": "A service card (knowledge/services/<id>.yaml)",
        "description": "Field names follow data·inclusion v1 where one exists. See docs/content-format.md.",
        "type": "object", "required": sorted(CARD_REQUIRED), "additionalProperties": False,
        "properties": {name: _from_type(name, hints[name]) for name in sorted(fields)},
        "$defs": {"phrase": PHRASE, "when": WHEN, "condition": CONDITION, "source": _source(),
                  "provenance": _provenance()},
    }


def _step() -> Schema:
    properties: Schema = {
        "id": {"type": "string", "pattern": NAME_PATTERN}, "message": {"$ref": "#/$defs/phrase"},
        "question": TEXT, "emoji": {"type": "string"}, "choices": {"type": "array", "minItems": 1,
                                                                  "items": {"$ref": "#/$defs/choice"}},
        "input": {"enum": ["commune"]}, "save": {"type": "string", "pattern": NAME_PATTERN},
        "next": {"type": "string"}, "end": {"type": "boolean"}, "sensible": {"type": "boolean"},
        "branch": {"type": "array", "minItems": 1, "items": {
            "type": "object", "required": ["next"], "additionalProperties": False,
            "properties": {"when": {"$ref": "#/$defs/when"}, "next": {"type": "string"}}}},
        "cards": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/card_rule"}},
    }
    assert set(properties) == set(STEP_FIELDS), "the step fields of the loader and the schema differ"
    return {"type": "object", "required": ["id"], "additionalProperties": False, "properties": properties}


def _choice() -> Schema:
    properties: Schema = {"id": {"type": "string", "pattern": NAME_PATTERN}, "label": TEXT,
                          "emoji": {"type": "string"}, "synonyms": {"type": "array", "items": TEXT},
                          "next": {"type": "string"}, "sensible": {"type": "boolean"},
                          "set": {"type": "object", "additionalProperties": {
                              "type": ["string", "boolean", "number"]}}}
    assert set(properties) == set(CHOICE_FIELDS), "the choice fields of the loader and the schema differ"
    return {"type": "object", "required": ["id", "label"], "additionalProperties": False, "properties": properties}


def _card_rule() -> Schema:
    properties: Schema = {"when": {"$ref": "#/$defs/when"}, "tags": TEXTS,
                          "thematiques": {"anyOf": [{"enum": sorted(THEMATIQUES)}, _enum_list(THEMATIQUES)]},
                          "publics": {"anyOf": [{"enum": sorted(PUBLICS)}, _enum_list(PUBLICS)]},
                          "cards": {"type": "array", "items": {"type": "string", "pattern": CARD_ID}},
                          "otherwise": {"type": "string", "pattern": CARD_ID}, "emoji": {"type": "string"},
                          "raison": TEXT, "besoin": {"type": "string", "pattern": NAME_PATTERN}}
    assert set(properties) == set(CARD_RULE_FIELDS), "the card rule fields of the loader and the schema differ"
    return {"type": "object", "additionalProperties": False, "properties": properties}


def flow_schema() -> Schema:
    return {
        "$schema": DRAFT, "title": "A conversation flow (flows/<name>.yaml)",
        "description": "Questions, choices, branches and the result step. See docs/content-format.md.",
        "type": "object", "required": ["flow", "steps"], "additionalProperties": False,
        "properties": {"flow": {"type": "string", "pattern": NAME_PATTERN}, "start": {"type": "string"},
                       "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}}},
        "$defs": {"step": _step(), "choice": _choice(), "card_rule": _card_rule(), "phrase": PHRASE, "when": WHEN,
                  "condition": CONDITION},
    }


def global_schema() -> Schema:
    intent_properties: Schema = {"label": TEXT, "emoji": {"type": "string"},
                                 "synonyms": {"type": "array", "items": TEXT}, "message": TEXT}
    guard_properties: Schema = {"when": {"$ref": "#/$defs/when"}, "never": {"type": "array", "items": TEXT},
                                "why": TEXT}
    properties: Schema = {
        "start": {"type": "string"},
        "intents": {"type": "object", "additionalProperties": False, "properties": {
            name: {"type": "object", "required": ["label"], "additionalProperties": False,
                   "properties": intent_properties} for name in INTENT_NAMES}},
        "themes": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": False,
                                                               "properties": {"set": {"type": "object"},
                                                                              "start": {"type": "string"}}}},
        "guards": {"type": "array", "items": {"type": "object", "required": ["when", "never", "why"],
                                              "additionalProperties": False, "properties": guard_properties}},
    }
    assert set(intent_properties) == set(INTENT_FIELDS) and set(guard_properties) == set(GUARD_FIELDS)
    assert set(properties) == set(GLOBAL_FIELDS), "the global fields of the loader and the schema differ"
    return {"$schema": DRAFT, "title": "Words that work at every step, themes, guards (flows/_global.yaml)",
            "type": "object", "required": ["start", "intents"], "additionalProperties": False,
            "properties": properties, "$defs": {"when": WHEN, "condition": CONDITION}}


def communes_schema() -> Schema:
    territory: Schema = {"id": {"type": "string", "pattern": NAME_PATTERN}, "nom": TEXT}
    commune: Schema = {"code_insee": {"type": "string", "pattern": INSEE}, "nom": TEXT,
                       "codes_postaux": {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{5}$"}},
                       "territoire": {"type": "string"}, "alias": {"type": "array", "items": TEXT},
                       "deleguee_de": {"type": "string", "pattern": INSEE}}
    assert set(territory) == set(TERRITORY_FIELDS) and set(commune) == set(COMMUNE_FIELDS)
    return {
        "$schema": DRAFT, "title": "The communes of the département (knowledge/communes.yaml)",
        "type": "object", "required": ["territoires", "communes"], "additionalProperties": False,
        "properties": {
            "source": {"type": "object"},
            "territoires": {"type": "array", "items": {"type": "object", "required": ["id", "nom"],
                                                       "additionalProperties": False, "properties": territory}},
            "communes": {"type": "array", "items": {"type": "object", "required": ["code_insee", "nom"],
                                                    "additionalProperties": False, "properties": commune}},
        },
    }


def all_schemas() -> dict[str, Schema]:
    return {FILES["card"]: card_schema(), FILES["flow"]: flow_schema(), FILES["global"]: global_schema(),
            FILES["communes"]: communes_schema()}


def render(schema: Schema) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        path = folder / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


def schema_for(relative: str) -> str | None:
    """Which schema a content file follows ('knowledge/services/x.yaml' → card.schema.json), or None."""
    if relative.startswith(("knowledge/services/", "knowledge/imported/")):
        return FILES["card"]
    if relative == "flows/_global.yaml":
        return FILES["global"]
    if relative.startswith("flows/"):
        return FILES["flow"]
    if relative == "knowledge/communes.yaml":
        return FILES["communes"]
    return None


def modeline(relative: str) -> str | None:
    """The first line of a content file: its schema, relative to the file."""
    name = schema_for(relative)
    if name is None:
        return None
    up = "../" * (relative.count("/"))
    return f"{MODELINE}{up}{SCHEMA_DIR}/{name}"
