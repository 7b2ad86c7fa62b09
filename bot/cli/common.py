"""Shared CLI plumbing: where the content is, loading it with readable errors."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..content import Content, ContentInvalid, load_content

SHIPPED_CONTENT = Path(__file__).resolve().parent.parent.parent


def content_dir(arg: str | None) -> Path:
    return Path(arg or os.environ.get("BOT_CONTENT") or SHIPPED_CONTENT)


def load_or_explain(root: Path) -> Content | None:
    try:
        return load_content(root)
    except ContentInvalid as exc:
        print(f"The content in {root} has {len(exc.errors)} error(s):", file=sys.stderr)
        for error in exc.errors:
            print(str(error), file=sys.stderr)
        print("Run 'python -m bot check' for the full report.", file=sys.stderr)
        return None
