"""The data·inclusion import over generated exports: time and peak memory, 10,000 and 100,000 services side by side.

    .venv/bin/python bench/bench_import.py                    # 10,000 and 100,000 services (docs/benchmarks.md)
    .venv/bin/python bench/bench_import.py --sizes 1000       # a quick look

Each size runs in its own process (so its peak RSS is its own): first timed (read, validate, select, map, write
into a fresh content copy), then a re-import of the same files (everything unchanged), then once more under
tracemalloc for the peak of Python allocations. The generated records are invented (example.org, "donnée de
test"): 10 services per structure, 8 % located in the 93, 2 % located elsewhere but serving an EPT of the 93,
the rest in other départements; a third of them answer a need of the mapping. About 1 KB of JSON per service.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.importers.data_inclusion import Inputs, read_file, run_import  # noqa: E402

COMMUNES_93 = ["93001", "93005", "93006", "93008", "93010", "93027", "93048", "93066", "93070", "93071"]
ELSEWHERE = ["75056", "92050", "94028", "95018", "77288", "69123", "13055", "59350"]
THEMATIQUES = [["numerique--maitriser-les-fondamentaux-du-numerique"], ["logement-hebergement--louer-un-logement"],
               ["lecture-ecriture-calcul--maitriser-le-francais"], ["sante--acces-aux-soins"],
               ["equipement-et-alimentation--alimentation"], ["creer-une-entreprise--developper-son-entreprise"]]
DESCRIPTION = ("Un service inventé pour mesurer l'import (donnée de test). " +
               "Il décrit un accompagnement avec des phrases de longueur ordinaire, comme les vraies fiches. " * 7)


def generate(folder: Path, services: int) -> tuple[Path, Path]:
    """Write the two export files one record at a time (the generator holds no list of them either)."""
    structures_path, services_path = folder / "structures.json", folder / "services.json"
    with structures_path.open("w", encoding="utf-8") as out:
        out.write("[")
        for n in range(services // 10):
            code = COMMUNES_93[n % len(COMMUNES_93)] if n % 10 == 0 else ELSEWHERE[n % len(ELSEWHERE)]
            out.write(("," if n else "") + json.dumps({
                "source": "bench", "id": f"bench--s{n}", "nom": f"Structure {n} (donnée de test)",
                "date_maj": "2026-10-01", "code_insee": code, "commune": "Commune de test",
                "adresse": f"{n % 90 + 1} rue de l'Essai", "code_postal": code[:2] + "000",
                "telephone": f"01 99 00 {n % 100:02d} {(n // 100) % 100:02d}",
                "site_web": f"https://example.org/s/{n}", "horaires_accueil": "Mo-Fr 09:00-12:00",
                "latitude": 48.9, "longitude": 2.4}, ensure_ascii=False))
        out.write("]")
    with services_path.open("w", encoding="utf-8") as out:
        out.write("[")
        for n in range(services):
            share = n % 50
            code = COMMUNES_93[n % len(COMMUNES_93)] if share < 4 else ELSEWHERE[n % len(ELSEWHERE)]
            zone = [code] if share != 4 else ["200057867"]
            out.write(("," if n else "") + json.dumps({
                "source": "bench", "id": f"bench--{n}", "structure_id": f"bench--s{n // 10}",
                "nom": f"Service {n} (donnée de test)", "description": DESCRIPTION, "date_maj": "2026-09-01",
                "thematiques": THEMATIQUES[n % len(THEMATIQUES)], "publics": ["tous-publics"], "frais": "gratuit",
                "modes_accueil": ["en-presentiel"], "zone_eligibilite": zone, "code_insee": code,
                "lien_source": f"https://example.org/services/{n}", "score_qualite": 0.5}, ensure_ascii=False))
        out.write("]")
    return structures_path, services_path


def one(services: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        content = folder / "content"
        for part in ("flows", "knowledge"):
            shutil.copytree(ROOT / part, content / part, ignore=shutil.ignore_patterns("imported"))
        structures, services_file = generate(folder, services)
        inputs = Inputs(lambda: read_file(services_file), lambda: read_file(structures))
        start = time.perf_counter()
        report = run_import(content, inputs, today=date(2026, 12, 2))
        first = time.perf_counter() - start
        start = time.perf_counter()
        again = run_import(content, inputs, today=date(2026, 12, 2))
        second = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        shutil.rmtree(content / "knowledge" / "imported")
        tracemalloc.start()
        run_import(content, inputs, today=date(2026, 12, 2))
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        return {"services": services, "file_mb": services_file.stat().st_size / 2**20, "seconds": first,
                "reimport_seconds": second, "added": len(report.added), "unchanged": again.unchanged,
                "rss_mb": rss, "tracemalloc_peak_mb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    rows = []
    for size in args.sizes:
        result = subprocess.run([sys.executable, __file__, "--one", str(size)], capture_output=True, text=True,
                                check=True)
        rows.append(json.loads(result.stdout))
    print("| services (file) | cards written | import | re-import (unchanged) | peak RSS | tracemalloc peak |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['services']:,} ({r['file_mb']:.0f} MB) | {r['added']:,} | {r['seconds']:.1f} s | "
              f"{r['reimport_seconds']:.1f} s ({r['unchanged']:,}) | {r['rss_mb']:.0f} MB | "
              f"{r['tracemalloc_peak_mb']:.1f} MB |")


if __name__ == "__main__":
    main()
