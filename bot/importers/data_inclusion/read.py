"""Read step: the data·inclusion v1 open-data export, record by record, never the whole file in memory.

As published on data.gouv.fr by data·inclusion's pipeline (pipeline/dags/…/publish_opendata/helpers.py):
- JSON: one array of records (pandas `to_json(orient="records")`); JSON lines (one record a line) are read too.
  A date may come as text ("2025-02-14", "2025-02-14T00:00:00") or as epoch milliseconds, as pandas writes it.
- CSV: one record a row with a header (pandas `to_csv`); a list cell is written as a Python or JSON list
  ("['a', 'b']", '["a", "b"]') or a PostgreSQL array ("{a,b}"); an empty cell is no value.
A truncated file or a record of another schema version gives one line; the records before it are kept.
"""

from __future__ import annotations

import ast
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from ..report import Problem

LIST_FIELDS = frozenset({"thematiques", "publics", "modes_accueil", "zone_eligibilite", "modes_mobilisation",
                         "mobilisable_par", "reseaux_porteurs"})
V0_ONLY = frozenset({"presentation_resume", "presentation_detail", "types", "profils", "zone_diffusion_type",
                     "zone_diffusion_code", "typologie", "labels_nationaux", "labels_autres", "antenne",
                     "rna", "prise_rdv", "cumulable", "justificatifs", "pre_requis", "contact_public"})
"""Fields of data·inclusion schema v0 that v1 removed: a record holding them is not v1."""
_CHUNK = 1 << 16
csv.field_size_limit(1 << 24)


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as read, and where: 'services.json', item 12 (or line 12 of a CSV or JSON-lines file)."""

    source: str
    position: int
    data: dict[str, Any]

    @property
    def id(self) -> str:
        value = self.data.get("id")
        return str(value) if value not in (None, "") else f"record {self.position}"


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """A record that cannot be read, or the end of what can be read (truncated, not v1…): one line each."""

    problem: Problem
    ends: bool = False
    """The input stopped early: the records after it are unknown, so no card may be removed."""


def read_file(path: Path) -> Iterator[RawRecord | ReadProblem]:
    """Records of a JSON, JSON-lines or CSV file (by its first character, then its extension)."""
    name = path.name
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield ReadProblem(Problem(name, f"cannot be opened ({exc.strerror or exc})"), ends=True)
        return
    with handle:
        first = _first_character(handle)
        if first == b"[":
            records = _json_array(handle, name)
        elif first == b"{":
            records = _json_lines(handle, name)
        elif first == b"":
            yield ReadProblem(Problem(name, "the file is empty"), ends=True)
            return
        elif path.suffix.lower() in (".json", ".jsonl", ".ndjson"):
            yield ReadProblem(Problem(name, "is not JSON: it should start with '[' (an array of records)"), ends=True)
            return
        else:
            records = _csv_rows(handle, name)
        yield from _check_version(records, name)


def _first_character(handle: BinaryIO) -> bytes:
    start = handle.read(_CHUNK)
    stripped = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    handle.seek(0)
    return stripped[:1]


def _json_array(handle: BinaryIO, name: str) -> Iterator[RawRecord | ReadProblem]:
    position = 0
    try:
        for item in ijson.items(handle, "item", use_float=True):
            position += 1
            if isinstance(item, dict):
                yield RawRecord(name, position, normalise(item))
            else:
                yield ReadProblem(Problem(f"{name}: record {position}", "is not an object: skipped"))
    except ijson.IncompleteJSONError:
        yield ReadProblem(Problem(name, f"the file ends in the middle of a record, after {position} whole "
                                        "records (truncated download?): those are imported"), ends=True)
    except ijson.JSONError as exc:
        yield ReadProblem(Problem(name, f"is not valid JSON after record {position} ({_first_line(exc)}): "
                                        "the records before are imported"), ends=True)


def _json_lines(handle: BinaryIO, name: str) -> Iterator[RawRecord | ReadProblem]:
    position = 0
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        position = number
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            if not line.endswith(b"\n"):
                yield ReadProblem(Problem(f"{name}: line {number}", "the file ends in the middle of this record "
                                          "(truncated download?): the records before are imported"), ends=True)
                return
            yield ReadProblem(Problem(f"{name}: line {number}", "this line is not a JSON record: skipped"))
            continue
        if isinstance(item, dict):
            yield RawRecord(name, position, normalise(item))
        else:
            yield ReadProblem(Problem(f"{name}: line {number}", "is not a JSON object: skipped"))


def _csv_rows(handle: BinaryIO, name: str) -> Iterator[RawRecord | ReadProblem]:
    text = (line.decode("utf-8-sig") for line in handle)
    reader = csv.reader(text, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        yield ReadProblem(Problem(name, "the file is empty"), ends=True)
        return
    except csv.Error as exc:
        yield ReadProblem(Problem(name, f"is not CSV ({exc})"), ends=True)
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield ReadProblem(Problem(f"{name}: line {reader.line_num}", f"the file ends in the middle of a "
                                      f"record ({exc}; truncated download?): the records before are imported"),
                              ends=True)
            return
        if not any(row):
            continue
        if len(row) != len(header):
            yield ReadProblem(Problem(f"{name}: line {reader.line_num}", f"has {len(row)} values for "
                                      f"{len(header)} columns (truncated file?): skipped"))
            continue
        data = {key: _cell(key, value) for key, value in zip(header, row, strict=True)}
        yield RawRecord(name, reader.line_num, normalise(data))


def _cell(key: str, value: str) -> Any:
    value = value.strip()
    if value == "":
        return None
    if key in LIST_FIELDS:
        return _list_cell(value)
    return value


def _list_cell(value: str) -> Any:
    if value.startswith("["):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            try:
                return ast.literal_eval(value)
            except (ValueError, SyntaxError):
                return value  # validation names it
    if value.startswith("{") and value.endswith("}"):
        inner = value[1:-1]
        return [part.strip().strip('"') for part in inner.split(",") if part.strip()] if inner else []
    return [value]


def normalise(data: dict[str, Any]) -> dict[str, Any]:
    """Dates as pandas writes them (epoch milliseconds, or a day with a midnight time) become days."""
    value = data.get("date_maj")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        data["date_maj"] = datetime.fromtimestamp(value / 1000, tz=UTC).date().isoformat()
    elif isinstance(value, str) and "T" in value[10:11]:
        data["date_maj"] = value[:10]
    return data


def _check_version(records: Iterator[RawRecord | ReadProblem], name: str) -> Iterator[RawRecord | ReadProblem]:
    """The first record tells the schema version: a v0 file gives one line and is not read further."""
    first = True
    for record in records:
        if first and isinstance(record, RawRecord):
            first = False
            old = sorted(V0_ONLY & record.data.keys())
            if old:
                yield ReadProblem(Problem(name, f"is data·inclusion schema v0 (fields {', '.join(old[:3])}), not "
                                                "v1: download the v1 export (or read the v1 API)"), ends=True)
                return
        yield record


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
