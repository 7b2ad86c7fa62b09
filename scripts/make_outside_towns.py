"""Write knowledge/hors_departement.yaml: the towns outside Seine-Saint-Denis a person may type, and the names of
their départements. Standard library only, so that anyone can re-run it.

    (cd /tmp && npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz)
    python3 scripts/make_outside_towns.py --departements /tmp/package/data/departements.json

Inputs, both from the npm package @etalab/decoupage-administratif 6.0.0 (COG 2026, Licence Ouverte):
- ``--towns`` (default ../shared/domain/communes_outside_93.csv): every commune and arrondissement of
  Île-de-France outside the 93 and the 100 largest towns of France, taken from its data/communes.json;
- ``--departements``: its data/departements.json (the two commands above).

The 20 arrondissements of Paris are not written: their postal codes are all Paris' own, and nobody types
"Paris 11e Arrondissement" as a town name ("Paris 11e" finds Paris anyway).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_TITLE = "@etalab/decoupage-administratif 6.0.0 (COG 2026)"
SOURCE_URL = "https://github.com/datagouv/decoupage-administratif"
VERIFIED = "2026-12-02"
ALIASES: Mapping[str, tuple[str, ...]] = {
    # Other ways people write a town (INSEE code → spellings); they carry no facts. The first ones come from the
    # former list of knowledge/communes.yaml; each new one starts the name of a single commune of France
    # (checked in the package's data/communes.json).
    "92024": ("Clichy-la-Garenne",),
    "94017": ("Champigny",),
    "94068": ("Saint-Maur",),
    "95268": ("Garges", "Garges-les-Gonesse"),
    "92044": ("Levallois",),
    "94043": ("Kremlin",),
}
ARRONDISSEMENT = "arrondissement-municipal"
PARIS = "75056"
ILE_DE_FRANCE = frozenset({"75", "77", "78", "91", "92", "94", "95"})
"""Listed first: the towns people near the 93 are most likely to name."""


@dataclass(frozen=True, slots=True)
class Town:
    code_insee: str
    nom: str
    departement: str
    codes_postaux: tuple[str, ...]


def read_towns(path: Path) -> list[Town]:
    """The rows of the CSV (code_insee, nom, type, departement, codes_postaux, population), arrondissements out,
    Île-de-France first."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    towns = [Town(r["code_insee"], r["nom"], r["departement"], tuple(r["codes_postaux"].split()))
             for r in rows if r["type"] != ARRONDISSEMENT]
    paris = {pc for t in towns if t.code_insee == PARIS for pc in t.codes_postaux}
    lost = {pc for r in rows if r["type"] == ARRONDISSEMENT for pc in r["codes_postaux"].split()} - paris
    if lost:
        raise SystemExit(f"arrondissement postal codes missing from Paris: {sorted(lost)}")
    return sorted(towns, key=lambda t: (t.departement not in ILE_DE_FRANCE, t.code_insee))


def read_departements(path: Path) -> dict[str, str]:
    """Code → name, from data/departements.json ([{"code": "92", "nom": "Hauts-de-Seine", …}, …])."""
    return {str(d["code"]): str(d["nom"]) for d in json.loads(path.read_text(encoding="utf-8"))}


def _quoted(values: Iterable[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def town_line(town: Town) -> str:
    """One flow-style line: JSON strings are valid YAML and keep every name exactly as written."""
    fields = [f"nom: {json.dumps(town.nom, ensure_ascii=False)}", f'departement: "{town.departement}"',
              f"codes_postaux: {_quoted(town.codes_postaux)}"]
    if town.code_insee in ALIASES:
        fields.append(f"alias: {_quoted(ALIASES[town.code_insee])}")
    return "  - {" + ", ".join(fields) + "}"


def render(towns: Sequence[Town], departements: Mapping[str, str]) -> str:
    codes = {t.code_insee for t in towns}
    unknown = sorted(set(ALIASES) - codes)
    if unknown:
        raise SystemExit(f"ALIASES name towns that are not in the list: {unknown}")
    used = sorted({t.departement for t in towns})
    missing = [code for code in used if code not in departements]
    if missing:
        raise SystemExit(f"no name for the départements {missing} in the départements file")
    header = [
        "# Towns outside Seine-Saint-Denis that people may type, and the names of their départements.",
        "# GENERATED: do not edit by hand. Regenerate (aliases live in the script's ALIASES) with",
        "#   (cd /tmp && npm pack @etalab/decoupage-administratif@6.0.0 \\",
        "#       && tar xzf etalab-decoupage-administratif-6.0.0.tgz)",
        "#   python3 scripts/make_outside_towns.py --towns ../shared/domain/communes_outside_93.csv \\",
        "#       --departements /tmp/package/data/departements.json",
        "# Source: npm package @etalab/decoupage-administratif 6.0.0 (COG 2026; data/communes.json and",
        "# data/departements.json), repository datagouv/decoupage-administratif. Data licence: Licence Ouverte.",
        f"# {len(towns)} towns: every commune of Île-de-France outside the 93 and the 100 largest towns of France.",
        "# The arrondissements of Paris are not listed: their postal codes belong to Paris.",
        "source:",
        f"  titre: {json.dumps(SOURCE_TITLE)}",
        f"  url: {SOURCE_URL}",
        f"  verifie_le: {VERIFIED}",
        "",
        "departements:",
        *(f'  - {{code: "{code}", nom: {json.dumps(departements[code], ensure_ascii=False)}}}' for code in used),
        "",
        "villes:",
    ]
    return "\n".join([*header, *(town_line(t) for t in towns)]) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--towns", type=Path, default=ROOT.parent / "shared/domain/communes_outside_93.csv")
    parser.add_argument("--departements", type=Path, required=True)
    parser.add_argument("--output", type=Path, default=ROOT / "knowledge/hors_departement.yaml")
    args = parser.parse_args(argv)
    text = render(read_towns(args.towns), read_departements(args.departements))
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output} ({text.count(chr(10))} lines)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
