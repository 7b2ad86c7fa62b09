"""Translation part of `python -m bot check`: coverage per language, errors with a fix, FALC warnings.

What must be translated is computed from the loaded content and the code (the extractors `pybabel extract`
uses), not from the template: a new YAML text is reported missing in every language at once.
"""

from __future__ import annotations

from pathlib import Path

from ..content import Content
from ..i18n import LOCALES_DIR, SOURCE_LANGUAGE
from ..i18n.audit import MAX_WORDS, audit
from ..i18n.sources import needed_messages

SHOWN_LONG_SENTENCES = 5


def check_languages(content: Content, root: Path, locales: Path | None) -> int:
    """Print the translation report; return the number of errors."""
    locales_dir = locales or LOCALES_DIR
    needed = needed_messages(content, root)
    report = audit(needed, locales_dir, display_root=locales_dir.parent)
    for problem in report.errors + report.warnings:
        print(problem)
    print(f"Translations: {len(needed)} French texts (source language {SOURCE_LANGUAGE}) to translate in "
          f"{_shown(locales_dir)}:")
    for coverage in report.coverage:
        print(f"  {coverage}")
    if not report.coverage:
        print("  no catalog found: only French is offered")
    if report.long_sentences:
        print(f"Warning: {len(report.long_sentences)} French sentence(s) over {MAX_WORDS} words (FALC: "
              f"one idea per sentence, {MAX_WORDS} words or fewer). The longest:")
        for sentence in report.long_sentences[:SHOWN_LONG_SENTENCES]:
            print(f"  {sentence.origin}: {sentence.words} words: {sentence.sentence}")
    return len(report.errors)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
