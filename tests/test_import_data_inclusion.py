"""`python -m bot import data-inclusion` as an admin runs it: the report, the files written, a re-import.

The records are invented (tests/fixtures/data_inclusion/README.md): names say "donnée de test", sites are on
example.org.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.content import collect
from bot.content.gaps import find_gaps, format_gaps
from bot.content.schema import FILES, modeline
from tests.conftest import ROOT
from tests.test_schema import read, validator

FIXTURES = ROOT / "tests" / "fixtures" / "data_inclusion"
WRITTEN = ["di-test-droits-93.yaml", "di-test-entreprise-mgp.yaml", "di-test-francais-bondy.yaml",
           "di-test-handicap-aulnay.yaml", "di-test-numerique-plaine.yaml"]


def run(capsys: pytest.CaptureFixture[str], content: Path, *args: str, services: Path | None = None,
        structures: Path | None = FIXTURES / "structures.json") -> tuple[int, str, str]:
    argv = ["import", "data-inclusion", "--content", str(content), *args]
    if services is not None or not args:
        argv += ["--services", str(services or FIXTURES / "services.json")]
    if structures is not None and "--api" not in args:
        argv += ["--structures", str(structures)]
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def imported(content: Path) -> dict[str, str]:
    folder = content / "knowledge" / "imported"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.yaml"))}


def test_the_import_writes_one_card_per_service_of_the_department(capsys: pytest.CaptureFixture[str],
                                                                  content_copy: Path) -> None:
    code, out, _ = run(capsys, content_copy)
    assert code == 0
    assert sorted(imported(content_copy)) == WRITTEN
    lines = out.splitlines()
    assert "read 10 records from services.json, 7 valid" in lines
    assert "left out: 1 services outside the département" in lines
    assert "left out: 1 services that answer no need of knowledge/import/data-inclusion.yaml" in lines
    assert "left out: 2 invalid services (not data·inclusion v1)" in lines
    assert f"added: 5 ({', '.join(WRITTEN)})" in lines


def test_each_invalid_record_of_the_department_gives_one_line_with_its_id(capsys: pytest.CaptureFixture[str],
                                                                        content_copy: Path) -> None:
    _, out, _ = run(capsys, content_copy)
    lines = out.splitlines()
    assert "services.json: test--invalide-1: thematiques.0: not an official data·inclusion value " \
           "(got 'pas-une-thematique')" in lines
    assert [line for line in lines if line.startswith("services.json: test--invalide-2: date_maj:")]
    assert not [line for line in lines if "test--invalide-paris" in line]  # outside: counted, not listed
    assert "left out: 1 invalid services outside the département (not listed one by one)" in lines


def test_a_phone_or_hours_no_parser_accepts_are_left_out_with_a_line(capsys: pytest.CaptureFixture[str],
                                                                     content_copy: Path) -> None:
    _, out, _ = run(capsys, content_copy)
    assert "test--numerique-plaine: telephone left out: '12345' is not a valid number in France" in out
    assert "test--numerique-plaine: horaires_accueil left out: 'tous les jours' is not OpenStreetMap" in out
    card = imported(content_copy)["di-test-numerique-plaine.yaml"]
    assert "telephone:" not in card and "horaires_accueil:" not in card


def test_every_written_card_loads_with_zero_errors(capsys: pytest.CaptureFixture[str], content_copy: Path) -> None:
    run(capsys, content_copy)
    report = collect(content_copy)
    assert report.errors == []
    assert report.content is not None
    cards = {k: c for k, c in report.content.cards.items() if c.imported}
    assert sorted(f"{k}.yaml" for k in cards) == WRITTEN
    bondy = cards["di-test-francais-bondy"]
    assert bondy.provenance is not None and bondy.provenance.key == "data-inclusion:test--francais-bondy"
    assert bondy.provenance.date_maj == date(2026, 11, 2)
    assert bondy.tags == ("francais",) and bondy.zone_eligibilite == ("93010",)
    # the service has no place of its own: its structure's, with the structure's own source and date
    assert (bondy.adresse, bondy.commune, bondy.telephone) == ("1 rue de l'Essai", "Bondy", "01 99 00 12 34")
    assert [s.date and str(s.date) for s in bondy.sources] == ["2026-11-02", "2026-10-01"]
    assert "telephone" in bondy.sources[1].champs and "telephone" not in bondy.sources[0].champs
    assert bondy.prochaine_etape.default == "Appelez le 01 99 00 12 34. Ou allez à cette adresse : 1 rue de " \
                                           "l'Essai, Bondy."
    assert cards["di-test-numerique-plaine"].zone_eligibilite == ("plaine-commune",)  # the EPT's SIREN code
    assert cards["di-test-numerique-plaine"].lieu == "Bâtiment B, 2e étage"  # not a street: never on a map
    assert cards["di-test-numerique-plaine"].adresse is None
    assert cards["di-test-entreprise-mgp"].zone_eligibilite == ("93",)  # the Métropole du Grand Paris
    assert cards["di-test-entreprise-mgp"].prochaine_etape.default == "Écrivez à contact@example.org."
    assert cards["di-test-droits-93"].adresse is None  # remote: the Paris structure's street is not its place
    aulnay = cards["di-test-handicap-aulnay"]
    assert aulnay.zone_eligibilite == ("93005",) and not aulnay.zone_confirmee  # no zone given: its commune
    assert aulnay.horaires_accueil == "Mo,Th 14:00-17:00; PH off"


def test_every_written_card_names_the_card_schema_and_follows_it(capsys: pytest.CaptureFixture[str],
                                                                  content_copy: Path) -> None:
    """An admin who opens an imported card in an editor gets the same checks as for a card written by hand."""
    run(capsys, content_copy)
    check = validator(FILES["card"])
    for path in sorted((content_copy / "knowledge" / "imported").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert text.splitlines()[0] == modeline(f"knowledge/imported/{path.name}")
        assert not list(check.iter_errors(read(text))), path.name


def test_the_csv_export_gives_the_same_cards(capsys: pytest.CaptureFixture[str], content_copy: Path,
                                             tmp_path: Path) -> None:
    run(capsys, content_copy)
    from_json = imported(content_copy)
    other = tmp_path / "other"
    shutil.copytree(content_copy, other, ignore=shutil.ignore_patterns("imported"))
    code, _, _ = run(capsys, other, services=FIXTURES / "services.csv", structures=FIXTURES / "structures.csv")
    assert code == 0 and imported(other) == from_json


def test_a_reimport_of_the_same_records_changes_no_file(capsys: pytest.CaptureFixture[str],
                                                        content_copy: Path) -> None:
    run(capsys, content_copy)
    before = {p: p.stat().st_mtime_ns for p in (content_copy / "knowledge" / "imported").iterdir()}
    code, out, _ = run(capsys, content_copy)
    assert code == 0
    assert "added: 0" in out and "changed: 0" in out and "removed: 0" in out and "unchanged: 5" in out
    assert {p: p.stat().st_mtime_ns for p in (content_copy / "knowledge" / "imported").iterdir()} == before


def test_a_reimport_on_a_later_day_keeps_the_day_the_facts_were_written(content_copy: Path) -> None:
    from bot.importers.data_inclusion import Inputs, read_file, run_import

    inputs = Inputs(lambda: read_file(FIXTURES / "services.json"), lambda: read_file(FIXTURES / "structures.json"))
    run_import(content_copy, inputs, today=date(2026, 12, 2))
    before = imported(content_copy)
    report = run_import(content_copy, inputs, today=date(2027, 1, 15))
    assert report.unchanged == 5 and imported(content_copy) == before
    assert "verifie_le: 2026-12-02" in before["di-test-droits-93.yaml"]


def _services_without(*ids: str, tmp_path: Path, change: dict[str, dict[str, object]] | None = None) -> Path:
    records = json.loads((FIXTURES / "services.json").read_text(encoding="utf-8"))
    records = [{**r, **(change or {}).get(r["id"], {})} for r in records if r["id"] not in ids]
    path = tmp_path / "services-next.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_service_gone_from_the_source_is_removed_unless_an_admin_edited_it(
        capsys: pytest.CaptureFixture[str], content_copy: Path, tmp_path: Path) -> None:
    run(capsys, content_copy)
    edited = content_copy / "knowledge" / "imported" / "di-test-handicap-aulnay.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Une aide pour remplir", "Aide pour remplir"),
                      encoding="utf-8")
    services = _services_without("test--droits-93", "test--handicap-aulnay", tmp_path=tmp_path)
    code, out, _ = run(capsys, content_copy, services=services)
    assert code == 0
    assert "removed: 1 (di-test-droits-93.yaml)" in out
    assert "kept as edited by hand (not rewritten nor removed; move the changes to a hand card with remplace:): " \
           "di-test-handicap-aulnay.yaml" in out
    assert "di-test-droits-93.yaml" not in imported(content_copy)
    assert "Aide pour remplir" in edited.read_text(encoding="utf-8")


def test_a_card_an_admin_disabled_stays_disabled_after_a_reimport(capsys: pytest.CaptureFixture[str],
                                                                  content_copy: Path, tmp_path: Path) -> None:
    run(capsys, content_copy)
    path = content_copy / "knowledge" / "imported" / "di-test-francais-bondy.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "actif: false\n", encoding="utf-8")
    services = _services_without(tmp_path=tmp_path, change={"test--francais-bondy": {"date_maj": "2026-11-20"}})
    code, out, _ = run(capsys, content_copy, services=services)
    assert code == 0 and "changed: 1 (di-test-francais-bondy.yaml)" in out
    text = path.read_text(encoding="utf-8")
    assert "date_maj: 2026-11-20" in text and text.endswith("actif: false\n")
    content = collect(content_copy).content
    assert content is not None and "di-test-francais-bondy" not in content.cards


def test_a_hand_card_that_replaces_an_imported_one_wins(capsys: pytest.CaptureFixture[str], content_copy: Path,
                                                        edit: object) -> None:
    run(capsys, content_copy)
    platin = content_copy / "knowledge" / "services" / "platin.yaml"
    platin.write_text(platin.read_text(encoding="utf-8").replace(
        "tags: [numerique]", "tags: [numerique]\nremplace: [data-inclusion:test--numerique-plaine]"), encoding="utf-8")
    code, out, _ = run(capsys, content_copy)
    assert code == 0
    assert "replaced by a hand card (not written): di-test-numerique-plaine" in out
    assert "di-test-numerique-plaine.yaml" not in imported(content_copy)
    assert "remplace: [data-inclusion:test--numerique-plaine]" in platin.read_text(encoding="utf-8")


def test_a_hand_card_with_the_same_id_wins(capsys: pytest.CaptureFixture[str], content_copy: Path) -> None:
    shutil.copy(content_copy / "knowledge" / "services" / "platin.yaml",
                content_copy / "knowledge" / "services" / "di-test-droits-93.yaml")
    hand = content_copy / "knowledge" / "services" / "di-test-droits-93.yaml"
    hand.write_text(hand.read_text(encoding="utf-8").replace("id: platin", "id: di-test-droits-93"), encoding="utf-8")
    _, out, _ = run(capsys, content_copy)
    assert "replaced by a hand card (not written): di-test-droits-93" in out
    assert "di-test-droits-93.yaml" not in imported(content_copy)


def test_a_truncated_file_gives_one_line_and_the_records_before_are_imported(
        capsys: pytest.CaptureFixture[str], content_copy: Path, tmp_path: Path) -> None:
    run(capsys, content_copy)
    text = (FIXTURES / "services.json").read_text(encoding="utf-8")
    cut = tmp_path / "services.json"
    cut.write_text(text[: text.index('"id": "test--droits-93"') + 10], encoding="utf-8")
    code, out, _ = run(capsys, content_copy, services=cut)
    assert code == 0
    assert "services.json: the file ends in the middle of a record, after 2 whole records (truncated download?): " \
           "those are imported" in out
    assert "an input ended early: no card was removed (import again once the input is whole)" in out
    assert sorted(imported(content_copy)) == WRITTEN  # nothing removed


def test_a_file_of_the_old_schema_gives_one_line_and_nothing_usable(capsys: pytest.CaptureFixture[str],
                                                                    content_copy: Path, tmp_path: Path) -> None:
    old = tmp_path / "services-v0.json"
    old.write_text(json.dumps([{"id": "test--v0", "source": "test", "structure_id": "test--s1", "nom": "Ancien",
                                "presentation_resume": "Un résumé.", "profils": ["beneficiaires-rsa"],
                                "zone_diffusion_type": "commune", "zone_diffusion_code": "93010"}]))
    code, out, err = run(capsys, content_copy, services=old)
    assert code == 1
    assert "services-v0.json: is data·inclusion schema v0 (fields presentation_resume, profils, zone_diffusion_code)," \
           " not v1: download the v1 export (or read the v1 API)" in out
    assert "Nothing usable was read: no card was written or removed." in err
    assert imported(content_copy) == {}


def test_nothing_usable_removes_nothing(capsys: pytest.CaptureFixture[str], content_copy: Path,
                                        tmp_path: Path) -> None:
    run(capsys, content_copy)
    empty = tmp_path / "empty.json"
    empty.write_text("[]")
    code, _, err = run(capsys, content_copy, services=empty)
    assert code == 1 and "Nothing usable" in err
    assert sorted(imported(content_copy)) == WRITTEN


def test_json_lines_and_epoch_dates_as_pandas_writes_them(capsys: pytest.CaptureFixture[str],
                                                          content_copy: Path, tmp_path: Path) -> None:
    records = json.loads((FIXTURES / "services.json").read_text(encoding="utf-8"))
    lines = tmp_path / "services.jsonl"
    epoch = {"test--francais-bondy": 1793577600000}  # 2026-11-02 at midnight UTC, in milliseconds
    lines.write_text("\n".join(json.dumps({**r, "date_maj": epoch.get(r["id"], r["date_maj"])}) for r in records)
                     + "\n", encoding="utf-8")
    code, _, _ = run(capsys, content_copy, services=lines)
    assert code == 0 and sorted(imported(content_copy)) == WRITTEN
    assert "date_maj: 2026-11-02" in imported(content_copy)["di-test-francais-bondy.yaml"]


def test_check_lists_imported_cards_not_updated_at_their_source_for_a_year(capsys: pytest.CaptureFixture[str],
                                                                          content_copy: Path) -> None:
    run(capsys, content_copy)
    content = collect(content_copy).content
    assert content is not None
    gaps = find_gaps(content, date(2027, 6, 1))
    assert dict(gaps.imported_stale) == {"di-test-droits-93": date(2026, 3, 10)}
    assert "    di-test-droits-93: updated at the source on 2026-03-10" in format_gaps(gaps)
    assert find_gaps(content, date(2026, 12, 2)).imported_stale == ()


def test_a_mistake_in_the_mapping_is_a_content_error_with_its_line(capsys: pytest.CaptureFixture[str],
                                                                   content_copy: Path) -> None:
    path = content_copy / "knowledge" / "import" / "data-inclusion.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("thematiques: [lecture-ecriture-calcul--maitriser-le-francais]",
                                 "thematiques: [lecture-ecriture-calcul--maitriser-le-francai]")
                    .replace("zone: est-ensemble", "zone: est-ensembl"), encoding="utf-8")
    lines = text.splitlines()
    francais = next(i for i, line in enumerate(lines, 1) if "maitriser-le-francais]" in line)
    est = next(i for i, line in enumerate(lines, 1) if "zone: est-ensemble" in line)
    errors = sorted((e.line, e.message, e.fix) for e in collect(content_copy).errors)
    assert [(line, fix) for line, _, fix in errors] == [
        (francais, "did you mean 'lecture-ecriture-calcul--maitriser-le-francais'?"),
        (est, "did you mean 'est-ensemble'?")]
    code, _, err = run(capsys, content_copy)
    assert code == 1 and f"knowledge/import/data-inclusion.yaml:{francais}:" in err
    assert imported(content_copy) == {}


def test_the_command_runs_end_to_end(content_copy: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "import", "data-inclusion", "--content", str(content_copy),
                             "--services", str(FIXTURES / "services.csv"), "--structures",
                             str(FIXTURES / "structures.csv")], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "added: 5" in result.stdout and "Traceback" not in result.stderr
    check = subprocess.run([sys.executable, "-m", "bot", "check", "--content", str(content_copy)], cwd=ROOT,
                           capture_output=True, text=True, timeout=120, check=False)
    assert check.returncode == 0, check.stdout
    assert "Content OK" in check.stdout
