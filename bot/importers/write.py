"""Write step: one file per card under knowledge/imported/, only when its facts changed.

`decide` is pure (what to do with one card, given the file already there); `CardWriter` applies it as cards
stream in, then removes the files of services gone from the source, except the ones an admin edited.
A file whose only edit is `actif: false` is still the importer's: it is updated and stays disabled.
`verifie_le` is the day the facts were last written: a re-import that finds the same facts keeps the file as it is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml

from .card import ImportedCard, fingerprint, render, split_written
from .report import Report

Action = Literal["add", "change", "unchanged", "kept-edited"]


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Existing:
    """A file already in knowledge/imported/."""

    recorded: str | None
    body: str
    text: str
    data: dict[str, Any]

    @classmethod
    def parse(cls, text: str) -> Existing:
        recorded, body = split_written(text)
        try:
            data = yaml.load(body, Loader=_Loader)  # a safe loader (libyaml's when present)
        except yaml.YAMLError:
            data = None
        return cls(recorded, body, text, data if isinstance(data, dict) else {})

    @property
    def edited(self) -> bool:
        return self.recorded is None or fingerprint(self.body) != self.recorded

    @property
    def disabled(self) -> bool:
        return self.data.get("actif") is False

    @property
    def verifie_le(self) -> date | None:
        value = self.data.get("verifie_le")
        return value if isinstance(value, date) else None


def decide(existing: Existing | None, card: ImportedCard, *, command: str, title: str) -> tuple[Action, str]:
    """What to do with one card, and the text to write (for 'add' and 'change')."""
    if existing is None:
        return "add", render(card, command=command, title=title)
    if existing.edited:
        return "kept-edited", existing.text
    disabled = existing.disabled
    earlier = existing.verifie_le
    if earlier is not None and earlier <= card.verifie_le:
        same_day = render(replace(card, verifie_le=earlier), command=command, title=title, disabled=disabled)
        if same_day == existing.text:
            return "unchanged", existing.text
    return "change", render(card, command=command, title=title, disabled=disabled)


class CardWriter:
    """Writes the cards of one importer (files named `<prefix>…yaml`) into a folder, and counts in the report."""

    def __init__(self, folder: Path, prefix: str, report: Report, *, command: str, title: str) -> None:
        self.folder = folder
        self.prefix = prefix
        self.report = report
        self.command = command
        self.title = title
        self.seen: set[str] = set()

    def write(self, card: ImportedCard) -> None:
        name = card.file_name
        if name in self.seen:
            self.report.problem(card.provenance_id, f"gives the card id {card.id} a second time: left out")
            self.report.dropped["records whose card id was already written"] += 1
            return
        self.seen.add(name)
        path = self.folder / name
        existing = Existing.parse(path.read_text(encoding="utf-8")) if path.exists() else None
        action, text = decide(existing, card, command=self.command, title=self.title)
        if action == "unchanged":
            self.report.unchanged += 1
        elif action == "kept-edited":
            self.report.kept_edited.append(name)
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_atomically(path, text)
            (self.report.added if action == "add" else self.report.changed).append(name)

    def remove_missing(self) -> None:
        """Remove this importer's files that no record gave this time; edited ones stay (and are listed)."""
        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.glob(f"{self.prefix}*.yaml")):
            if path.name in self.seen:
                continue
            existing = Existing.parse(path.read_text(encoding="utf-8"))
            if existing.edited:
                self.report.kept_edited.append(path.name)
                continue
            path.unlink()
            self.report.removed.append(path.name)


def _write_atomically(path: Path, text: str) -> None:
    """The bot may reload the content at any time: it must never read half a card."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
