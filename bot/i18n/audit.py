"""Compare what the bot needs translated with the catalogs in locales/: coverage, errors with a fix, warnings.

Errors (``check`` fails): a needed French text missing in a shipped language, a fuzzy entry, placeholders or
/commands that differ from the French, a '|' in a text that is shown, a right-to-left line that starts with a
Latin letter.
Warnings: French sentences over 15 words (FALC), catalog entries nothing uses any more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from babel.messages.catalog import Catalog, Message

from . import catalog_paths, language_info, message_key, read_catalog, split_key
from .sources import Needed, Origin, is_synonym_list
from .text import first_strong, placeholders, strip_bidi

MAX_WORDS = 15
REVIEW_MARK = "Review-Status:"
UPDATE_FIX = ("run the two commands of docs/translations.md ('pybabel extract …' then 'pybabel update …'), "
              "then write the translation in msgstr")
_COMMAND = re.compile(r"(?<![\w/])/[a-z]+\b")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_WORD = re.compile(r"\w", re.UNICODE)


@dataclass(frozen=True, slots=True)
class TranslationProblem:
    level: Literal["error", "warning"]
    rule: str
    file: str
    line: int
    message: str
    fix: str = ""

    def __str__(self) -> str:
        tag = self.rule if self.level == "error" else f"warning: {self.rule}"
        text = f"{self.file}:{self.line}: [{tag}] {self.message}"
        return f"{text}\n    fix: {self.fix}" if self.fix else text


@dataclass(frozen=True, slots=True)
class Coverage:
    code: str
    name: str
    translated: int
    total: int
    review: str
    """The catalog's review status ('machine-drafted, awaiting native speaker review'), or ''."""

    def __str__(self) -> str:
        percent = 100 * self.translated // self.total if self.total else 100
        review = f" — {self.review}" if self.review else ""
        return f"{self.code:<3} {self.translated}/{self.total} ({percent} %)  {self.name}{review}"


@dataclass(frozen=True, slots=True)
class LongSentence:
    words: int
    sentence: str
    origin: Origin


@dataclass
class LanguagesReport:
    coverage: list[Coverage] = field(default_factory=list)
    problems: list[TranslationProblem] = field(default_factory=list)
    long_sentences: list[LongSentence] = field(default_factory=list)

    @property
    def errors(self) -> list[TranslationProblem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[TranslationProblem]:
        return [p for p in self.problems if p.level == "warning"]


def audit(needed: Needed, locales_dir: Path, display_root: Path | None = None) -> LanguagesReport:
    report = LanguagesReport()
    for code, po in catalog_paths(locales_dir).items():
        shown = _display(po, display_root)
        catalog = read_catalog(po)
        problems, translated = _audit_catalog(code, shown, catalog, needed)
        report.problems += problems
        report.coverage.append(Coverage(code, language_info(code).name, translated, len(needed),
                                        review_status(catalog)))
    report.long_sentences = long_sentences(needed)
    return report


def review_status(catalog: Catalog) -> str:
    """The 'Review-Status: …' line of the catalog's header comment (kept by ``pybabel update``)."""
    for line in (catalog.header_comment or "").splitlines():
        text = line.lstrip("# ").strip()
        if text.startswith(REVIEW_MARK):
            return text.removeprefix(REVIEW_MARK).strip()
    return ""


def _audit_catalog(code: str, po: str, catalog: Catalog, needed: Needed) -> tuple[list[TranslationProblem], int]:
    rtl = language_info(code).rtl
    entries: dict[str, Message] = {message_key(m.id, m.context): m for m in catalog if m.id and isinstance(m.id, str)}
    problems: list[TranslationProblem] = []
    translated = 0

    def error(rule: str, entry: Message | None, message: str, fix: str) -> None:
        line = entry.lineno if entry is not None and entry.lineno else 1
        problems.append(TranslationProblem("error", rule, po, line, f"{code}: {message}", fix))

    for key, origins in needed.items():
        entry = entries.get(key)
        msgid = split_key(key)[1]
        used = f"used at {origins[0]}" + (f" and {len(origins) - 1} more place(s)" if len(origins) > 1 else "")
        string = entry.string if entry is not None and isinstance(entry.string, str) else ""
        if entry is None:
            error("missing-translation", None, f"no entry for {_quote(msgid)} ({used})", UPDATE_FIX + ".")
            continue
        if not string:
            error("missing-translation", entry, f"{_quote(msgid)} is not translated ({used})",
                  "write the translation in its msgstr.")
            continue
        if entry.fuzzy:
            error("fuzzy-translation", entry, f"the translation of {_quote(msgid)} is marked fuzzy (a guess by "
                  "pybabel update; the bot ignores it and shows French)",
                  "correct the translation (the old French is in the '#| msgid' line, if any), then delete the "
                  "'#, fuzzy' line above it.")
            continue
        expected, found = placeholders(msgid), placeholders(string)
        if found != expected:
            want = ", ".join("{" + p + "}" for p in expected or ()) or "none"
            error("placeholder-mismatch", entry, f"the translation of {_quote(msgid)} has placeholders "
                  f"{_names(found)}; the French has {want}",
                  f"keep exactly {want}, spelled as in French (they are replaced by a value; never translate them).")
            continue
        if commands(string) != commands(msgid):
            want = ", ".join(sorted(commands(msgid))) or "none"
            error("command-mismatch", entry, f"the translation of {_quote(msgid)} names the commands "
                  f"{', '.join(sorted(commands(string))) or 'none'}; the French names {want}",
                  f"keep the commands ({want}) exactly as in French: people type them as they are.")
            continue
        if "|" in string and "|" not in msgid and not is_synonym_list(origins):
            error("bar-in-shown-text", entry, f"the translation of {_quote(msgid)} contains '|', but this text "
                  "is shown to people (only synonyms are lists split by '|')",
                  "write one text without '|'.")
            continue
        if rtl and not is_synonym_list(origins) and string != msgid:
            bad = [line for line in string.splitlines() if first_strong(line) == "L"]
            if bad:
                error("rtl-line-start", entry, f"a line of the translation of {_quote(msgid)} starts with a Latin "
                      f"word or a placeholder ({_quote(bad[0])}): the app would lay it out left to right",
                      "start each line with a word of the language (for example move the name or the "
                      "placeholder after the first word).")
                continue
        translated += 1
    unused = [m for key, m in entries.items() if key not in needed and m.string]
    if unused:
        first = min(unused, key=lambda m: m.lineno or 0)
        problems.append(TranslationProblem(
            "warning", "unused-translation", po, first.lineno or 1,
            f"{code}: {len(unused)} translated entr{'y is' if len(unused) == 1 else 'ies are'} no longer used by "
            f"the content or the code (first: {_quote(str(first.id))})",
            "run 'pybabel update' (docs/translations.md); it moves them to the end as obsolete '#~' entries."))
    return problems, translated


def commands(text: str) -> set[str]:
    """Telegram commands a text tells people to type ('/start'): a translation must keep them as they are."""
    return set(_COMMAND.findall(text))


def long_sentences(needed: Needed, limit: int = MAX_WORDS) -> list[LongSentence]:
    """French sentences over ``limit`` words, longest first (synonyms are words, not sentences)."""
    found: list[LongSentence] = []
    for key, origins in needed.items():
        if is_synonym_list(origins):
            continue
        for sentence in _SENTENCE_END.split(split_key(key)[1]):
            words = sum(1 for token in sentence.split() if _WORD.search(token))
            if words > limit:
                found.append(LongSentence(words, sentence.strip(), origins[0]))
    return sorted(found, key=lambda s: (-s.words, s.origin.file, s.origin.line))


def _display(path: Path, root: Path | None) -> str:
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return str(path)


def _quote(text: str, width: int = 60) -> str:
    text = strip_bidi(text).replace("\n", " ")
    return f"'{text if len(text) <= width else text[:width - 1] + '…'}'"


def _names(found: tuple[str, ...] | None) -> str:
    if found is None:
        return "with broken braces '{' '}'"
    return ", ".join("{" + p + "}" for p in found) or "none"
