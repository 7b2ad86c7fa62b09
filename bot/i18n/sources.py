"""Which French texts the bot needs translated right now: the content's (through the YAML extractor) and the
code's N_() strings (through Babel's Python extractor) — the same two extractors ``pybabel extract`` runs, so
`check` and the catalogs agree without reading the template."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract

from ..content import Content
from . import message_key
from .extract import Found, Kind, yaml_file_texts

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""bot/: its Python files hold the N_() strings."""
COMMENT_TAGS = ("TRANSLATORS:",)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a msgid is used."""

    file: str
    line: int
    comment: str
    kind: Kind

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


Needed = dict[str, list[Origin]]
"""msgid (or context + "\\x04" + msgid, see message_key) → every place that uses it, in file order."""


IMPORTED = "knowledge/imported/"
"""Imported cards (data·inclusion…) are shown as their source wrote them: not in the catalogs."""


def content_messages(content: Content, root: Path) -> Needed:
    needed: Needed = {}
    for name in content.files:
        if name.startswith(IMPORTED):
            continue
        for found in yaml_file_texts(root / name, name):
            _add(needed, found.key, Origin(name, found.line, found.comment, found.kind))
    return needed


def code_messages(package_dir: Path = PACKAGE_DIR) -> Needed:
    """N_() strings of every Python file of the package (Telegram adapter included)."""
    needed: Needed = {}
    base = package_dir.parent
    for path in sorted(package_dir.rglob("*.py")):
        source = path.read_bytes()
        if b"N_(" not in source and b"gettext(" not in source:
            continue
        name = path.relative_to(base).as_posix()
        with path.open("rb") as handle:
            for line, message, comments, context in extract(
                    "python", handle, keywords=DEFAULT_KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True):
                text = message if isinstance(message, str) else message[0]
                if text:
                    kind: Kind = "synonym" if "|" in text else "text"
                    _add(needed, message_key(text, context), Origin(name, line, " ".join(comments), kind))
    return needed


def needed_messages(content: Content, root: Path, package_dir: Path = PACKAGE_DIR) -> Needed:
    """Every msgid the shipped content and code show or match against, with where each is used."""
    needed = code_messages(package_dir)
    for msgid, origins in content_messages(content, root).items():
        needed.setdefault(msgid, []).extend(origins)
    return needed


def is_synonym_list(origins: Iterable[Origin]) -> bool:
    """Only matched against what people type (never shown): its translation may hold several words split by '|'."""
    return all(o.kind == "synonym" for o in origins)


def _add(needed: Needed, message: str, origin: Origin) -> None:
    needed.setdefault(message, []).append(origin)


__all__ = ["Found", "Needed", "Origin", "code_messages", "content_messages", "is_synonym_list", "needed_messages"]
