"""scripts/make_outside_towns.py writes knowledge/hors_departement.yaml again, byte for byte, from the CSV of
shared/domain and the départements' names (here taken from the shipped file, as the package's JSON gives them).

The CSV is kept in tests/fixtures/ (a copy of shared/domain/communes_outside_93.csv, the COG 2026 list), so that
the test runs wherever the repository is cloned; when shared/domain is beside it, the copy must be the same."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bot.content import Content
from tests.conftest import ROOT

TOWNS = ROOT / "tests/fixtures/communes_outside_93.csv"
SHARED = ROOT.parent / "shared/domain/communes_outside_93.csv"
SHIPPED = ROOT / "knowledge/hors_departement.yaml"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_outside_towns", ROOT / "scripts/make_outside_towns.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def departements(tmp_path: Path, content: Content) -> Path:
    path = tmp_path / "departements.json"
    path.write_text(json.dumps([{"code": d.code, "nom": d.nom, "zone": "?"} for d in content.departements.values()]),
                    encoding="utf-8")
    return path


def test_the_shipped_file_is_what_the_script_writes(tmp_path: Path, departements: Path) -> None:
    if SHARED.exists():
        assert TOWNS.read_bytes() == SHARED.read_bytes(), "copy shared/domain/communes_outside_93.csv again"
    output = tmp_path / "hors_departement.yaml"
    assert _script().main(["--towns", str(TOWNS), "--departements", str(departements), "--output", str(output)]) == 0
    assert output.read_text(encoding="utf-8") == SHIPPED.read_text(encoding="utf-8")


def test_paris_holds_the_postal_codes_of_its_arrondissements(content: Content) -> None:
    paris = next(t for t in content.outside if t.nom == "Paris")
    assert {f"750{n:02d}" for n in range(1, 21)} | {"75116"} == set(paris.codes_postaux)
    assert not [t for t in content.outside if "Arrondissement" in t.nom]


def test_the_script_refuses_an_alias_without_its_town_and_a_departement_without_a_name() -> None:
    script = _script()
    towns = [script.Town(code, f"Ville {code}", "94", ()) for code in script.ALIASES]
    assert '{nom: "Ville 92024", departement: "94", codes_postaux: [], alias: ["Clichy-la-Garenne"]}' in script.render(
        towns, {"94": "Val-de-Marne"})
    with pytest.raises(SystemExit, match="ALIASES name towns that are not in the list"):
        script.render(towns[1:], {"94": "Val-de-Marne"})
    with pytest.raises(SystemExit, match="no name for the départements"):
        script.render(towns, {})
