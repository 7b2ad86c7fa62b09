"""Validate step: each record against the official models of the data-inclusion-schema package (v1)."""

from __future__ import annotations

from typing import Any

import pydantic
from data_inclusion.schema import v1

from ..report import Dropped, Problem
from .read import RawRecord

SHOWN_ERRORS = 3
MESSAGE_LIMIT = 120


def validate_service(record: RawRecord) -> v1.Service | Dropped:
    return _validate(v1.Service, record, "services")


def validate_structure(record: RawRecord) -> v1.Structure | Dropped:
    return _validate(v1.Structure, record, "structures")


def _validate(model: Any, record: RawRecord, what: str) -> Any:
    try:
        return model.model_validate(record.data)
    except pydantic.ValidationError as exc:
        return Dropped(f"invalid {what} (not data·inclusion v1)",
                       Problem(f"{record.source}: {record.id}", describe(exc)))


def describe(exc: pydantic.ValidationError) -> str:
    """The record's errors on one line: 'code_postal: String should match pattern …; date_maj: …'."""
    parts = []
    for error in exc.errors()[:SHOWN_ERRORS]:
        field = ".".join(str(p) for p in error["loc"]) or "record"
        value = error.get("input")
        shown = f" (got {value!r:.40})" if error["type"] != "missing" and not isinstance(value, dict) else ""
        message = "not an official data·inclusion value" if error["type"] in ("enum", "literal_error") else \
            error["msg"]
        parts.append(f"{field}: {message[:MESSAGE_LIMIT]}{shown}")
    more = exc.error_count() - SHOWN_ERRORS
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
