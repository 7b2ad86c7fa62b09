"""Read typed fields out of a LineDict, turning every mistake into a ContentError with a fix."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from rapidfuzz import process

from ._yaml import LineDict, LineList
from .errors import BadValue, ContentError, MissingField, UnknownField, UnknownValue, WrongType


def did_you_mean(value: str, known: Iterable[str]) -> str | None:
    found = process.extractOne(value, list(known), score_cutoff=60)
    return str(found[0]) if found else None


def unknown_value_fix(value: str, known: Iterable[str], what: str) -> str:
    known = sorted(known)
    guess = did_you_mean(value, known)
    if guess:
        return f"did you mean '{guess}'?"
    shown = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
    return f"use one of the known {what}: {shown}"


class Fields:
    """One YAML block being read; collects errors instead of stopping at the first."""

    def __init__(self, block: Any, file: str, errors: list[ContentError], what: str, line: int = 1) -> None:
        self.file = file
        self.errors = errors
        self.what = what
        if isinstance(block, LineDict):
            self.block: LineDict = block
        else:
            self.block = LineDict()
            self.block.line = getattr(block, "line", line)
            self.block.key_lines = {}
            errors.append(WrongType(file, self.block.line, f"{what} must be a block of 'name: value' lines",
                                    "write one 'name: value' per line, indented under the item."))
        self.line = self.block.line

    def line_of(self, key: str) -> int:
        return self.block.line_of(key)

    def allow_only(self, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in self.block:
            if key not in allowed:
                self.errors.append(UnknownField(
                    self.file, self.line_of(key), f"{self.what} has an unknown field '{key}'",
                    unknown_value_fix(key, allowed, "fields")))

    def has(self, key: str) -> bool:
        return self.block.get(key) not in (None, "", [])

    def text(self, key: str, *, required: bool = False, default: str | None = None) -> str | None:
        value = self.block.get(key)
        if value is None or value == "":
            if required:
                self.errors.append(MissingField(self.file, self.line, f"{self.what} needs '{key}'",
                                                f"add a line '{key}: …' to {self.what}."))
            return default
        if isinstance(value, (bool, dict, list)):
            self.errors.append(WrongType(self.file, self.line_of(key), f"'{key}' must be text",
                                         f"write '{key}: some text' on one line (use quotes if needed)."))
            return default
        return str(value).strip()

    def flag(self, key: str, default: bool) -> bool:
        value = self.block.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.errors.append(WrongType(self.file, self.line_of(key), f"'{key}' must be true or false",
                                         f"write '{key}: true' or '{key}: false'."))
            return default
        return value

    def number(self, key: str) -> float | None:
        value = self.block.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.errors.append(WrongType(self.file, self.line_of(key), f"'{key}' must be a number",
                                         f"write a decimal number such as '{key}: 48.9'."))
            return None
        return float(value)

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.block.get(key)
        if value is None or value in ("", []):
            if required:
                self.errors.append(MissingField(self.file, self.line, f"{self.what} needs '{key}'",
                                                f"add '{key}: [value, …]' to {self.what}."))
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.errors.append(WrongType(self.file, self.line_of(key), f"'{key}' must be a list",
                                         f"write '{key}: [first, second]' or one '- item' per line."))
            return ()
        items: list[str] = []
        for index, item in enumerate(value):
            if isinstance(item, (dict, list)) or item is None:
                line = value.line_of(index) if isinstance(value, LineList) else self.line_of(key)
                self.errors.append(WrongType(self.file, line, f"an item of '{key}' is not plain text",
                                             "write each item as plain text."))
                continue
            items.append(str(item).strip())
        return tuple(items)

    def enum_texts(self, key: str, known: frozenset[str], what: str, *, required: bool = False) -> tuple[str, ...]:
        values = self.texts(key, required=required)
        for value in values:
            if value not in known:
                self.errors.append(UnknownValue(
                    self.file, self.line_of(key), f"'{value}' is not a known value for '{key}' ({what})",
                    unknown_value_fix(value, known, "values")))
        return tuple(v for v in values if v in known)

    def day(self, key: str, *, required: bool = False) -> date | None:
        raw = self.text(key, required=required)
        if raw is None:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors.append(BadValue(self.file, self.line_of(key), f"'{key}: {raw}' is not a date",
                                        f"write the date as YYYY-MM-DD, e.g. '{key}: 2026-11-26'."))
            return None

    def block_of(self, key: str, what: str) -> Fields | None:
        value = self.block.get(key)
        if value is None:
            return None
        return Fields(value, self.file, self.errors, what, self.line_of(key))

    def items(self, key: str, *, required: bool = False) -> list[tuple[int, Any]]:
        """(line, item) for each item of a list field."""
        value = self.block.get(key)
        if value is None or value == []:
            if required:
                self.errors.append(MissingField(self.file, self.line, f"{self.what} needs '{key}'",
                                                f"add '{key}:' followed by '- …' items."))
            return []
        if not isinstance(value, LineList):
            self.errors.append(WrongType(self.file, self.line_of(key), f"'{key}' must be a list of items",
                                         "start each item on its own line with '- '."))
            return []
        return [(value.line_of(i), item) for i, item in enumerate(value)]

    def mapping(self, key: str) -> tuple[tuple[str, str], ...]:
        value = self.block.get(key)
        if value is None:
            return ()
        if not isinstance(value, LineDict):
            self.errors.append(WrongType(self.file, self.line_of(key), f"'{key}' must be 'name: value' pairs",
                                         f"write '{key}: {{name: value}}'."))
            return ()
        return tuple((str(k), _scalar_text(v)) for k, v in value.items())


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)
