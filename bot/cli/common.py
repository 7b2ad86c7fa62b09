"""Shared CLI plumbing: where the content is, loading it with readable errors."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..config import Settings
from ..contact.settings import ContactSettings
from ..content import Content, ContentInvalid, load_content
from ..content.routing import with_staff_chat
from ..engine import Engine
from ..i18n import Translations

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


def engine_maker(settings: Settings, contact: ContactSettings) -> Callable[[Content, Translations], Engine]:
    """How `run` and `chat` build the engine of each content (at start and on every reload): the session expiry,
    and the routing of requests (knowledge/routage.yaml, with BOT_STAFF_CHAT as its default)."""

    def make_engine(content: Content, translations: Translations) -> Engine:
        return Engine(content, translations, expiry_seconds=settings.expiry_seconds,
                      routing=with_staff_chat(content.routing, contact.staff_chat))

    return make_engine
