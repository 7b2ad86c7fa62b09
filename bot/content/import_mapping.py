"""The importers' mapping files (knowledge/import/*.yaml): admins edit them, `check` validates them.

knowledge/import/data-inclusion.yaml says which bot needs (card `tags`) a data·inclusion service answers, from its
`thematiques` and `publics`, and which intercommunal zone codes (EPT, Métropole) name which zone of the cards.
The importer reads it through `load_import_setting`, with the communes and the hand-written cards it must respect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml
from data_inclusion.schema import v1

from ._fields import Fields, unknown_value_fix
from ._knowledge import DEPARTMENT, load_communes
from ._yaml import load_yaml
from .errors import BadValue, ContentError, ContentInvalid, DuplicateId, MissingField, YamlSyntaxError
from .models import Commune, Territory, Where
from .vocabulary import PUBLICS, THEMATIQUES

IMPORT_DIR = "knowledge/import"
DATA_INCLUSION_FILE = "data-inclusion.yaml"
CATEGORIES: frozenset[str] = frozenset(c.value for c in v1.Categorie)
_TAG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_ZONE_CODE = re.compile(r"^\d{9}$")
"""An intercommunal zone in data·inclusion is a SIREN code (schema v1: CodeEPCI = CodeSiren, 9 digits)."""


@dataclass(frozen=True, slots=True)
class NeedRule:
    """A service with one of these thematiques (and, when listed, one of these publics) gets the tag."""

    tag: str
    thematiques: frozenset[str]
    publics: frozenset[str]
    where: Where

    def holds(self, thematiques: frozenset[str], publics: frozenset[str]) -> bool:
        return bool(self.thematiques & thematiques) and (not self.publics or bool(self.publics & publics))


@dataclass(frozen=True, slots=True)
class ImportMapping:
    needs: tuple[NeedRule, ...]
    zones: MappingProxyType[str, str]
    """Intercommunal zone code (SIREN) → the card zone: '93' or a territory id of communes.yaml."""
    zones_source: str
    where: Where

    def tags_for(self, thematiques: frozenset[str], publics: frozenset[str]) -> tuple[str, ...]:
        tags = {rule.tag for rule in self.needs if rule.holds(thematiques, publics)}
        return tuple(sorted(tags))


@dataclass(frozen=True, slots=True)
class HandCard:
    """What an importer must know of a hand-written card: it wins over the imported one it names."""

    id: str
    remplace: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportSetting:
    mapping: ImportMapping
    communes: MappingProxyType[str, Commune]
    territories: MappingProxyType[str, Territory]
    hand_cards: tuple[HandCard, ...]

    @property
    def replaced(self) -> frozenset[str]:
        return frozenset(key for card in self.hand_cards for key in card.remplace)

    @property
    def hand_ids(self) -> frozenset[str]:
        return frozenset(card.id for card in self.hand_cards)


def _expand(values: tuple[str, ...]) -> frozenset[str]:
    """A category ('numerique') stands for all its thematiques ('numerique--…'), as in the data·inclusion API."""
    found: set[str] = set()
    for value in values:
        if value in CATEGORIES:
            found.update(t for t in THEMATIQUES if t.startswith(f"{value}--"))
        else:
            found.add(value)
    return frozenset(found)


def load_import_mapping(path: Path, display: str, errors: list[ContentError],
                        territories: dict[str, Territory] | MappingProxyType[str, Territory]) -> ImportMapping | None:
    try:
        raw = load_yaml(path, display)
    except YamlSyntaxError as exc:
        errors.append(exc)
        return None
    top = Fields(raw, display, errors, "the data·inclusion mapping")
    top.allow_only({"besoins", "zones"})
    needs: list[NeedRule] = []
    for line, item in top.items("besoins", required=True):
        f = Fields(item, display, errors, "a need rule", line)
        f.allow_only({"tag", "thematiques", "publics"})
        tag = f.text("tag", required=True)
        if tag and not _TAG.match(tag):
            errors.append(BadValue(display, f.line_of("tag"), f"the tag '{tag}' has odd characters",
                                   "use lowercase letters, digits and '-' only, as in the cards' tags."))
        thematiques = f.enum_texts("thematiques", THEMATIQUES | CATEGORIES, "data·inclusion thématiques or "
                                   "catégories", required=True)
        publics = f.enum_texts("publics", PUBLICS, "data·inclusion publics")
        if tag and thematiques:
            needs.append(NeedRule(tag, _expand(thematiques), frozenset(publics), Where(display, f.line)))
    zones: dict[str, str] = {}
    zones_source = ""
    block = top.block_of("zones", "the zones")
    if block is None:
        errors.append(MissingField(display, top.line, "the mapping needs 'zones'",
                                   "add 'zones:' with 'source:' and 'codes:' (see docs/import.md)."))
    else:
        block.allow_only({"source", "codes"})
        zones_source = block.text("source", required=True) or ""
        for line, item in block.items("codes"):
            z = Fields(item, display, errors, "a zone code", line)
            z.allow_only({"code", "zone", "nom"})
            code, zone = z.text("code", required=True), z.text("zone", required=True)
            z.text("nom", required=True)
            if code and not _ZONE_CODE.match(code):
                errors.append(BadValue(display, z.line_of("code"), f"'{code}' is not a SIREN code",
                                       "write the 9 digits of the intercommunality's SIREN between quotes."))
            if zone and zone != DEPARTMENT and zone not in territories:
                errors.append(BadValue(display, z.line_of("zone"), f"'zone: {zone}' is not '93' nor a territory id",
                                       unknown_value_fix(zone, [DEPARTMENT, *territories], "zones")))
            if code and code in zones:
                errors.append(DuplicateId(display, z.line_of("code"), f"the zone code {code} is listed twice",
                                          "keep one line per code."))
            if code and zone:
                zones[code] = zone
    return ImportMapping(tuple(needs), MappingProxyType(zones), zones_source, Where(display, top.line))


def check_import_mappings(root: Path, errors: list[ContentError],
                          territories: dict[str, Territory]) -> None:
    """Validate every mapping file of knowledge/import/ (called by the content check)."""
    for path in sorted((root / IMPORT_DIR).glob("*.yaml")):
        display = path.relative_to(root).as_posix()
        if path.name != DATA_INCLUSION_FILE:
            errors.append(BadValue(display, 1, f"no importer reads {path.name}",
                                   f"the data·inclusion mapping is {IMPORT_DIR}/{DATA_INCLUSION_FILE}; remove or "
                                   "rename this file."))
            continue
        load_import_mapping(path, display, errors, territories)


def load_import_setting(root: Path) -> ImportSetting:
    """The mapping, the communes and the hand cards, or ContentInvalid with every error (file:line)."""
    errors: list[ContentError] = []
    communes_path = root / "knowledge" / "communes.yaml"
    territories, communes = load_communes(communes_path, "knowledge/communes.yaml", errors) \
        if communes_path.exists() else ({}, {})
    if not communes_path.exists():
        errors.append(MissingField("knowledge/communes.yaml", 1, "the communes file is missing",
                                   f"point --content at a folder holding knowledge/communes.yaml (not {root})."))
    path = root / IMPORT_DIR / DATA_INCLUSION_FILE
    mapping = None
    if path.exists():
        mapping = load_import_mapping(path, f"{IMPORT_DIR}/{DATA_INCLUSION_FILE}", errors, territories)
    else:
        errors.append(MissingField(f"{IMPORT_DIR}/{DATA_INCLUSION_FILE}", 1, "the data·inclusion mapping is missing",
                                   "copy it from the shipped content (knowledge/import/data-inclusion.yaml)."))
    if errors or mapping is None:
        raise ContentInvalid(errors)
    return ImportSetting(mapping, MappingProxyType(communes), MappingProxyType(territories), _hand_cards(root))


def _hand_cards(root: Path) -> tuple[HandCard, ...]:
    """Ids and `remplace` of the hand cards; a card the content check would refuse still protects its ids."""
    found = []
    for path in sorted((root / "knowledge" / "services").glob("*.yaml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            raw = None
        raw = raw if isinstance(raw, dict) else {}
        remplace = raw.get("remplace") or []
        remplace = [remplace] if isinstance(remplace, str) else remplace
        card_id = str(raw.get("id") or path.stem)
        found.append(HandCard(card_id, tuple(str(r).strip() for r in remplace if isinstance(r, (str, int)))))
    return tuple(found)
