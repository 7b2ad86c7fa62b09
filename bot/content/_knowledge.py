"""Build communes and service cards from knowledge/ (shape pass)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ._conditions import parse_phrase
from ._fields import Fields, unknown_value_fix
from ._yaml import load_yaml
from .errors import (
    BadPhone,
    BadValue,
    ContentError,
    DuplicateId,
    MissingField,
    NotAStreetAddress,
    UnknownCommuneCode,
    UnknownField,
    UnknownValue,
    YamlSyntaxError,
)
from .models import Card, Commune, Phrase, Provenance, Source, SourceDate, Territory, Where
from .opening_hours import OpeningHoursError, parse_opening_hours
from .phones import PhoneError, parse_phone
from .street import is_street_address
from .vocabulary import FRAIS, MODES_ACCUEIL, PUBLICS, THEMATIQUES

DEPARTMENT = "93"
MOVED_OUTSIDE = "hors_departement"
"""The towns outside used to be listed in communes.yaml under this key; they now have their own file."""
_NEVER = date(1970, 1, 1)
FACT_FIELDS = (
    "nom", "texte", "pour_qui", "description", "zone_eligibilite", "lieu", "adresse", "complement_adresse",
    "code_postal", "commune", "latitude", "longitude", "telephone", "courriel", "site_web", "horaires_accueil",
    "a_apporter", "prochaine_etape", "frais", "modes_accueil", "publics", "thematiques",
)
"""Fields a source can give (a source's `champs`): a field from an old source shows the source's year."""
CARD_FIELDS = {
    *FACT_FIELDS, "id", "tags", "zone_confirmee", "code_insee", "sources", "verifie_le", "emoji", "nom_court",
    "provenance", "remplace", "actif",
}
CARD_REQUIRED = ("id", "nom", "texte", "pour_qui", "zone_eligibilite", "prochaine_etape", "sources", "verifie_le")
TERRITORY_FIELDS = {"id", "nom"}
COMMUNE_FIELDS = {"code_insee", "nom", "codes_postaux", "territoire", "alias", "deleguee_de"}
_POSTCODE = re.compile(r"^\d{5}$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SOURCE_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def load_communes(
    path: Path, display: str, errors: list[ContentError]
) -> tuple[dict[str, Territory], dict[str, Commune]]:
    territories: dict[str, Territory] = {}
    communes: dict[str, Commune] = {}
    try:
        raw = load_yaml(path, display)
    except YamlSyntaxError as exc:
        errors.append(exc)
        return territories, communes
    top = Fields(raw, display, errors, "the communes file")
    top.allow_only({"source", "territoires", "communes", MOVED_OUTSIDE})
    if MOVED_OUTSIDE in top.block:
        errors.append(UnknownField(display, top.line_of(MOVED_OUTSIDE),
                                   f"'{MOVED_OUTSIDE}' no longer belongs in the communes file",
                                   "move each town to 'villes:' in knowledge/hors_departement.yaml, with its "
                                   "'departement' and 'codes_postaux' (see docs/content-format.md)."))
    for line, item in top.items("territoires", required=True):
        f = Fields(item, display, errors, "a territory", line)
        f.allow_only(TERRITORY_FIELDS)
        tid, nom = f.text("id", required=True), f.text("nom", required=True)
        if tid and nom:
            territories[tid] = Territory(tid, nom)
    for line, item in top.items("communes", required=True):
        f = Fields(item, display, errors, "a commune", line)
        f.allow_only(COMMUNE_FIELDS)
        code, nom = f.text("code_insee", required=True), f.text("nom", required=True)
        territoire = f.text("territoire")
        deleguee_de = f.text("deleguee_de")
        if territoire and territoire not in territories:
            errors.append(BadValue(display, f.line_of("territoire"), f"unknown territory '{territoire}'",
                                   unknown_value_fix(territoire, territories, "territories")))
        if not territoire and not deleguee_de:
            errors.append(BadValue(display, f.line, f"commune {nom} has no 'territoire'",
                                   "add 'territoire:' with one of the territory ids above."))
        postcodes = f.texts("codes_postaux")
        for pc in postcodes:
            if not _POSTCODE.match(pc):
                errors.append(BadValue(display, f.line_of("codes_postaux"), f"'{pc}' is not a postal code",
                                       "write 5 digits between quotes, e.g. \"93140\"."))
        if code and nom:
            if code in communes:
                errors.append(DuplicateId(display, f.line, f"the INSEE code {code} is used twice",
                                          "keep one entry per commune."))
            communes[code] = Commune(code, nom, postcodes, territoire, f.texts("alias"), deleguee_de,
                                     Where(display, f.line))
    for commune in communes.values():
        if commune.deleguee_de and commune.deleguee_de not in communes:
            errors.append(UnknownCommuneCode(commune.where.file, commune.where.line,
                                             f"'deleguee_de: {commune.deleguee_de}' is not a commune of the file",
                                             "use the INSEE code of the commune nouvelle."))
    return territories, communes


def zone_codes(
    zone: tuple[str, ...], f: Fields, territories: dict[str, Territory], communes: dict[str, Commune]
) -> frozenset[str]:
    codes: set[str] = set()
    for value in zone:
        if value == DEPARTMENT:
            codes.update(communes)
        elif value in territories:
            codes.update(c.code_insee for c in communes.values() if c.territoire == value)
        elif value in communes:
            codes.add(value)
            codes.update(c.code_insee for c in communes.values() if c.deleguee_de == value)
        else:
            known = [DEPARTMENT, *territories, *communes]
            f.errors.append(UnknownCommuneCode(
                f.file, f.line_of("zone_eligibilite"),
                f"'{value}' in zone_eligibilite is not '93', a territory id or an INSEE code of the département",
                unknown_value_fix(value, known, "zones")))
    return frozenset(codes)


def load_card(
    path: Path, display: str, errors: list[ContentError],
    territories: dict[str, Territory], communes: dict[str, Commune], *, imported: bool = False,
) -> Card | None:
    try:
        raw = load_yaml(path, display)
    except YamlSyntaxError as exc:
        errors.append(exc)
        return None
    f = Fields(raw, display, errors, f"card {path.stem}")
    f.allow_only(CARD_FIELDS)
    card_id = f.text("id", required=True) or path.stem
    if card_id != path.stem:
        errors.append(BadValue(display, f.line_of("id"), f"the card id '{card_id}' differs from the file name",
                               f"rename the file to '{card_id}.yaml' or write 'id: {path.stem}'."))
    if not _ID.match(card_id):
        errors.append(BadValue(display, f.line_of("id"), f"the card id '{card_id}' has odd characters",
                               "use lowercase letters, digits and '-' only."))
    zone = f.texts("zone_eligibilite", required=True)
    zone_communes = zone_codes(zone, f, territories, communes)
    verifie_le = f.day("verifie_le", required=True) or _NEVER
    sources = _sources(f, verifie_le)
    telephone = f.text("telephone")
    if telephone:
        try:
            parse_phone(telephone)
        except PhoneError as exc:
            errors.append(BadPhone(display, f.line_of("telephone"), f"telephone: {exc}",
                                   "write a French number from the source, e.g. '01 43 93 93 93' or '3949'."))
    adresse = f.text("adresse")
    if adresse and not is_street_address(adresse):
        errors.append(NotAStreetAddress(
            display, f.line_of("adresse"), f"'adresse: {adresse}' is not a street address: a map finds nothing",
            "keep 'adresse:' for a number and a street ('20 bis rue Gabriel-Péri'); describe a building or a "
            "place in 'lieu:'."))
    code_insee = f.text("code_insee")
    if code_insee and code_insee not in communes:
        errors.append(UnknownCommuneCode(display, f.line_of("code_insee"),
                                         f"'{code_insee}' is not an INSEE code of the département",
                                         unknown_value_fix(code_insee, communes, "codes")))
    hours = f.text("horaires_accueil")
    if hours:
        try:
            parse_opening_hours(hours)
        except OpeningHoursError as exc:
            errors.append(exc.at(display, f.line_of("horaires_accueil")))
    latitude, longitude = f.number("latitude"), f.number("longitude")
    if (latitude is None) != (longitude is None):
        errors.append(BadValue(display, f.line, "a card needs both latitude and longitude, or neither",
                               "add the missing one from the same source, or remove both."))

    def phrase(key: str) -> Phrase:
        found = parse_phrase(f.block.get(key), display, f.line_of(key), errors, f"'{key}'")
        if found is None:
            errors.append(MissingField(display, f.line, f"card {path.stem} needs '{key}'",
                                       f"add a line '{key}: …' to card {path.stem}."))
            return Phrase.plain("")
        return found

    return Card(
        id=card_id,
        nom=f.text("nom", required=True) or card_id,
        texte=phrase("texte"),
        pour_qui=phrase("pour_qui"),
        prochaine_etape=phrase("prochaine_etape"),
        tags=f.texts("tags"),
        zone_eligibilite=zone,
        zone_communes=zone_communes,
        sources=sources,
        verifie_le=verifie_le,
        where=Where(display, f.line),
        description=f.text("description"),
        thematiques=f.enum_texts("thematiques", THEMATIQUES, "data·inclusion thématiques"),
        publics=f.enum_texts("publics", PUBLICS, "data·inclusion publics"),
        frais=(f.enum_texts("frais", FRAIS, "data·inclusion frais") or (None,))[0],
        modes_accueil=f.enum_texts("modes_accueil", MODES_ACCUEIL, "data·inclusion modes d'accueil"),
        zone_confirmee=f.flag("zone_confirmee", True),
        lieu=f.text("lieu"),
        adresse=adresse,
        complement_adresse=f.text("complement_adresse"),
        code_postal=f.text("code_postal"),
        code_insee=code_insee,
        commune=f.text("commune"),
        latitude=latitude,
        longitude=longitude,
        telephone=telephone,
        courriel=f.text("courriel"),
        site_web=f.text("site_web"),
        horaires_accueil=hours,
        a_apporter=f.texts("a_apporter"),
        emoji=f.text("emoji", default="") or "",
        nom_court=f.text("nom_court"),
        provenance=_provenance(f),
        remplace=f.texts("remplace"),
        actif=f.flag("actif", True),
        imported=imported,
    )


def _sources(f: Fields, verifie_le: date) -> tuple[Source, ...]:
    sources = []
    for line, item in f.items("sources", required=True):
        s = Fields(item, f.file, f.errors, "a source", line)
        s.allow_only({"titre", "url", "date", "champs"})
        titre = s.text("titre", required=True)
        when = _source_date(s, verifie_le)
        champs = s.texts("champs")
        for name in champs:
            if name not in FACT_FIELDS:
                f.errors.append(UnknownValue(f.file, s.line_of("champs"), f"'{name}' in champs is not a card field "
                                             "a source can give", unknown_value_fix(name, FACT_FIELDS, "fields")))
        if titre:
            sources.append(Source(titre, s.text("url"), when, champs))
    return tuple(sources)


def _source_date(s: Fields, verifie_le: date) -> SourceDate | None:
    raw = s.text("date")
    if raw is None:
        return None
    match = _SOURCE_DATE.match(raw)
    try:
        if not match:
            raise ValueError(raw)
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        found = SourceDate(year, month, day)
        found.first_day()
    except ValueError:
        s.errors.append(BadValue(s.file, s.line_of("date"), f"'date: {raw}' is not a date",
                                 "write the source's own date as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 'date: 2020-12'."))
        return None
    if found.first_day() > verifie_le:
        s.errors.append(BadValue(s.file, s.line_of("date"), f"the source is dated {raw}, after verifie_le",
                                 "write the date the source itself shows (a source cannot be newer than the check)."))
    return found


def _provenance(f: Fields) -> Provenance | None:
    block = f.block_of("provenance", "the provenance")
    if block is None:
        return None
    block.allow_only({"source", "id", "date_maj", "lien"})
    source, ident = block.text("source", required=True), block.text("id", required=True)
    if not source or not ident:
        return None
    return Provenance(source, ident, block.day("date_maj"), block.text("lien"))
