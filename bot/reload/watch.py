"""Watch the content folders with watchfiles and reload on a change (debounced: one reload per burst of saves)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from watchfiles import awatch

from .library import ContentLibrary

log = logging.getLogger(__name__)
WATCHED = ("flows", "knowledge", "locales")
DEBOUNCE_MS = 400
"""An editor's save often writes several times; watchfiles groups what comes within this window."""


def _relevant(path: str) -> bool:
    return path.endswith((".yaml", ".yml", ".po"))


async def watch_content(library: ContentLibrary, stop: asyncio.Event, *, locales: Path | None = None) -> None:
    """Reload each time a YAML or .po file under the watched folders changes, until ``stop`` is set."""
    folders = [library.root / name for name in WATCHED[:2]] + [locales or library.locales]
    existing = [str(f) for f in folders if f.exists()]
    if not existing:
        return
    log.info("watching %s for content changes", ", ".join(existing))
    async for changes in awatch(*existing, stop_event=stop, debounce=DEBOUNCE_MS, step=50, recursive=True):
        if any(_relevant(path) for _, path in changes):
            await library.reload("fichiers modifiés")
