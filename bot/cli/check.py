"""`python -m bot check`: every content error with file:line and a fix, then the gap report."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ..content import collect
from ..content.gaps import find_gaps, format_gaps
from .common import content_dir


def run_check(args: argparse.Namespace) -> int:
    root = content_dir(args.content)
    report = collect(root)
    errors = sorted(report.errors, key=lambda e: (e.file, e.line))
    for error in errors:
        print(str(error))
    extra_errors = 0
    if report.content is not None:
        from .check_languages import check_languages

        extra_errors = check_languages(report.content, root, Path(args.locales) if args.locales else None)
    total = len(errors) + extra_errors
    if report.content is not None and not errors:
        content = report.content
        print(f"Content OK: {len(content.flows)} flow(s), {len(content.steps)} steps, {len(content.cards)} cards, "
              f"{len(content.communes)} communes, {len(content.outside)} towns outside (version {content.version}).")
        print()
        print(format_gaps(find_gaps(content, date.today())))
        if args.coverage:
            from ..engine import Engine
            from ..golden import GOLDEN_DIR, coverage, format_coverage
            from ..i18n import Translations

            print()
            found = coverage(content, Engine(content, Translations()), Path(args.goldens) if args.goldens
                             else GOLDEN_DIR)
            print(format_coverage(found))
    if total:
        print(f"\n{total} error(s). Fix them, then run 'python -m bot check' again.")
        return 1
    return 0
