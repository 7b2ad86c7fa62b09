"""An imported card as the importer writes it: a frozen record, rendered to YAML the same way every time.

The file starts with a header that says where it comes from and how to change it, and a fingerprint of what the
importer wrote: a file whose text no longer matches it was edited by hand, and the importer leaves it alone.
`actif: false` is the one edit that keeps the file the importer's: it is left out of the fingerprint and kept.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import yaml

from ..content.schema import FILES, MODELINE, SCHEMA_DIR


@dataclass(frozen=True, slots=True)
class CardSource:
    titre: str
    url: str | None
    date: date
    champs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportedCard:
    """The fields of knowledge/imported/<id>.yaml, in the order they are written."""

    id: str
    nom: str
    texte: str
    pour_qui: str
    description: str | None
    tags: tuple[str, ...]
    thematiques: tuple[str, ...]
    publics: tuple[str, ...]
    frais: str | None
    modes_accueil: tuple[str, ...]
    zone_eligibilite: tuple[str, ...]
    zone_confirmee: bool
    lieu: str | None
    adresse: str | None
    complement_adresse: str | None
    code_postal: str | None
    code_insee: str | None
    commune: str | None
    latitude: float | None
    longitude: float | None
    telephone: str | None
    courriel: str | None
    site_web: str | None
    horaires_accueil: str | None
    prochaine_etape: str
    sources: tuple[CardSource, ...]
    verifie_le: date
    provenance_source: str
    provenance_id: str
    provenance_date_maj: date
    provenance_lien: str | None

    @property
    def key(self) -> str:
        """What a hand card writes in `remplace:` to replace this one."""
        return f"{self.provenance_source}:{self.provenance_id}"

    @property
    def file_name(self) -> str:
        return f"{self.id}.yaml"


HEADER = (
    "# Imported by `python -m bot import {command}` from {title}: a re-import rewrites this file.\n"
    "# To hide this place, add `actif: false` (a re-import keeps it). To change it, write a card in\n"
    "# knowledge/services/ with `remplace: [{key}]`:\n"
    "# this file then stays out of the bot (docs/import.md).\n"
)
FINGERPRINT = "# empreinte: "
_ACTIF_LINE = re.compile(r"^actif:.*$\n?", re.MULTILINE)


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # a date written twice stays a date, not '&id001' and '*id001'


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def _body(card: ImportedCard) -> dict[str, Any]:
    data: dict[str, Any] = {}
    skip = {"sources", "verifie_le", "zone_confirmee"}
    for f in fields(card):
        name = f.name
        value = getattr(card, name)
        if name in skip or name.startswith("provenance_"):
            continue
        if name == "prochaine_etape":
            if not card.zone_confirmee:
                data["zone_confirmee"] = False
            data[name] = value
            data["sources"] = [{"titre": s.titre, **({"url": s.url} if s.url else {}), "date": s.date,
                                "champs": list(s.champs)} for s in card.sources]
            data["verifie_le"] = card.verifie_le
            continue
        if value is None or value == ():
            continue
        data[name] = list(value) if isinstance(value, tuple) else value
    provenance: dict[str, Any] = {"source": card.provenance_source, "id": card.provenance_id,
                                  "date_maj": card.provenance_date_maj}
    if card.provenance_lien:
        provenance["lien"] = card.provenance_lien
    data["provenance"] = provenance
    return data


def render_body(card: ImportedCard) -> str:
    """The YAML of the card (no header): what the fingerprint covers."""
    return yaml.dump(_body(card), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110,
                     default_flow_style=None)


def fingerprint(body: str) -> str:
    """Of the text the importer wrote, without an `actif:` line an admin may have added."""
    return hashlib.sha256(_ACTIF_LINE.sub("", body).encode("utf-8")).hexdigest()[:16]


SCHEMA_LINE = f"{MODELINE}../../{SCHEMA_DIR}/{FILES['card']}\n"
"""The imported cards follow the card schema too (an editor checks an admin's `actif: false`)."""


def render(card: ImportedCard, *, command: str, title: str, disabled: bool = False) -> str:
    body = render_body(card)
    header = HEADER.format(command=command, title=title, key=card.key)
    actif = "actif: false\n" if disabled else ""
    return f"{SCHEMA_LINE}{header}{FINGERPRINT}{fingerprint(body)}\n{body}{actif}"


def split_written(text: str) -> tuple[str | None, str]:
    """(recorded fingerprint, body) of an imported file; no fingerprint: not written by an importer."""
    recorded: str | None = None
    lines = text.splitlines(keepends=True)
    start = 0
    for index, line in enumerate(lines):
        if not line.startswith("#"):
            start = index
            break
        if line.startswith(FINGERPRINT):
            recorded = line[len(FINGERPRINT):].strip()
    else:
        start = len(lines)
    return recorded, "".join(lines[start:])
