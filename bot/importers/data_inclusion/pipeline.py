"""The data·inclusion import: read → validate → select → map → write, one record at a time.

1. Services stream through read, validate and select; the few kept (those of the département) are spilled to a
   temporary file with their zone, and the ids of their structures are noted.
2. Structures stream through read and validate; only the ones a kept service uses are kept, small.
3. The spilled services are mapped to cards (with their structure) and written; then the cards of services gone
   from the source are removed, unless an input ended early.
Memory holds one record, the structures in use and the names of the files written: never a whole input.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from data_inclusion.schema import v1

from ...content import IMPORTED_DIR
from ...content.import_mapping import ImportSetting, load_import_setting
from ..report import Dropped, Report
from ..write import CardWriter
from .map import PREFIX, SOURCE, Mapped, StructureFacts, card_id, to_card
from .read import RawRecord, ReadProblem
from .select import Located, concerns_department, locate
from .validate import validate_service, validate_structure

Records = Iterator[RawRecord | ReadProblem]
COMMAND = "data-inclusion"
TITLE = "data·inclusion"
INVALID_ELSEWHERE = "invalid services outside the département (not listed one by one)"
INVALID_UNUSED = "invalid structures that no kept service uses (not listed one by one)"


@dataclass(frozen=True, slots=True)
class Inputs:
    """Where the records come from: each call starts reading again (files, or the API)."""

    services: Callable[[], Records]
    structures: Callable[[], Records]


def run_import(root: Path, inputs: Inputs, *, today: date, setting: ImportSetting | None = None) -> Report:
    """Import into `root`/knowledge/imported/; raises ContentInvalid when the mapping or communes are wrong."""
    setting = setting or load_import_setting(root)
    report = Report()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spill:
        needed = _select_services(inputs.services(), setting, report, spill)
        structures = _read_structures(inputs.structures(), needed, report)
        if not report.usable:
            return report
        spill.seek(0)
        writer = CardWriter(root / IMPORTED_DIR, PREFIX, report, command=COMMAND, title=TITLE)
        for service, located in _spilled(spill):
            structure = structures.get(service.structure_id)
            key, ident = f"{SOURCE}:{service.id}", card_id(service.source, service.id)
            if key in setting.replaced or ident in setting.hand_ids:
                report.skipped_replaced.append(ident)
                continue
            if structure is None:
                report.without_structure += 1
            mapped = to_card(service, structure, located, setting, today)
            if isinstance(mapped, Dropped):
                report.drop(mapped)
                continue
            assert isinstance(mapped, Mapped)
            report.notes.extend(mapped.notes)
            writer.write(mapped.card)
        if report.complete:
            writer.remove_missing()
    return report


def _select_services(records: Records, setting: ImportSetting, report: Report, spill: IO[str]) -> set[str]:
    needed: set[str] = set()
    for record in records:
        if isinstance(record, ReadProblem):
            report.problems.append(record.problem)
            report.complete = report.complete and not record.ends
            continue
        report.read[record.source] += 1
        service = validate_service(record)
        if isinstance(service, Dropped):
            if concerns_department(record.data, setting):
                report.drop(service)
            else:
                report.dropped[INVALID_ELSEWHERE] += 1
            continue
        report.valid[record.source] += 1
        report.services_valid += 1
        located = locate(service, setting)
        if isinstance(located, Dropped):
            report.drop(located)
            continue
        needed.add(service.structure_id)
        spill.write(json.dumps({"service": service.model_dump(mode="json", exclude_none=True),
                                "zone": list(located.zone), "confirmed": located.confirmed,
                                "code_insee": located.code_insee}, ensure_ascii=False) + "\n")
    return needed


def _read_structures(records: Records, needed: set[str], report: Report) -> dict[str, StructureFacts]:
    kept: dict[str, StructureFacts] = {}
    for record in records:
        if isinstance(record, ReadProblem):
            report.problems.append(record.problem)
            continue  # services are still written, without what their structure would add
        report.read[record.source] += 1
        structure = validate_structure(record)
        if isinstance(structure, Dropped):
            if record.id in needed:
                report.drop(structure)
            else:
                report.dropped[INVALID_UNUSED] += 1
            continue
        report.valid[record.source] += 1
        if structure.id in needed:
            kept[structure.id] = StructureFacts.of(structure)
    return kept


def _spilled(spill: IO[str]) -> Iterator[tuple[v1.Service, Located]]:
    for line in spill:
        entry = json.loads(line)
        service = v1.Service.model_validate(entry["service"])
        yield service, Located(tuple(entry["zone"]), entry["confirmed"], entry["code_insee"])
