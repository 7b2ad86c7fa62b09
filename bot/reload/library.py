"""The one current content of a running bot, replaced as a whole, and the result of the last reload."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..content import Content, collect
from ..engine import Engine
from ..i18n import LOCALES_DIR, Translations
from ..i18n.audit import audit
from ..i18n.sources import needed_messages

log = logging.getLogger(__name__)
MAX_SHOWN = 10
"""Errors listed in an admin's message (the log has them all)."""


@dataclass(frozen=True, slots=True)
class Loaded:
    content: Content
    translations: Translations
    engine: Engine
    loaded_at: float


@dataclass(frozen=True, slots=True)
class ReloadResult:
    at: float
    reason: str
    ok: bool
    version: str
    """The version now served (the new one, or the last good one after a failure)."""
    changed: bool
    errors: tuple[str, ...] = ()
    """Content errors, 'file:line: [rule] what' and 'fix: …' (the reload was refused)."""
    warnings: tuple[str, ...] = ()
    """Translation gaps: people read the French text meanwhile (the reload went on)."""


EngineFactory = Callable[[Content, Translations], Engine]
Listener = Callable[[ReloadResult], Awaitable[None]]


@dataclass
class ContentLibrary:
    """Holds the current Loaded; `reload()` checks new content off the event loop and swaps it in one assignment."""

    root: Path
    current: Loaded
    make_engine: EngineFactory
    locales: Path = LOCALES_DIR
    clock: Callable[[], float] = time.time
    last: ReloadResult | None = None
    listeners: list[Listener] = field(default_factory=list)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @classmethod
    def start(cls, root: Path, content: Content, translations: Translations, make_engine: EngineFactory, *,
              locales: Path = LOCALES_DIR, clock: Callable[[], float] = time.time) -> ContentLibrary:
        loaded = Loaded(content, translations, make_engine(content, translations), clock())
        return cls(root, loaded, make_engine, locales, clock)

    @property
    def engine(self) -> Engine:
        return self.current.engine

    async def reload(self, reason: str) -> ReloadResult:
        """Load, check, then swap; one reload at a time (a burst of file events waits for the one running)."""
        async with self._lock:
            loaded, errors, warnings = await asyncio.to_thread(self._build)
            now = self.clock()
            if loaded is None:
                result = ReloadResult(now, reason, False, self.current.content.version, False, errors, warnings)
                log.error("content reload (%s) refused, %d error(s); still serving %s:\n%s", reason, len(errors),
                          result.version, "\n".join(errors))
            else:
                changed = loaded.content.version != self.current.content.version
                self.current = loaded  # the swap: one reference, between two updates on the event loop
                result = ReloadResult(now, reason, True, loaded.content.version, changed, (), warnings)
                log.info("content reload (%s): serving %s%s", reason, loaded.content.version,
                         f", {len(warnings)} text(s) not translated yet" if warnings else "")
            self.last = result
        for listener in list(self.listeners):
            try:
                await listener(result)
            except Exception as error:  # a listener (an admin's message) must never stop the bot
                log.warning("reload listener failed: %s", type(error).__name__)
        return result

    def _build(self) -> tuple[Loaded | None, tuple[str, ...], tuple[str, ...]]:
        """Runs in a thread: reads and checks everything, touches nothing shared. (new, errors, warnings)."""
        report = collect(self.root)
        if report.content is None or report.errors:
            errors = tuple(str(e) for e in sorted(report.errors, key=lambda e: (e.file, e.line)))
            return None, errors or ("content could not be loaded",), ()
        content = report.content
        translations = Translations(self.locales)
        languages = audit(needed_messages(content, self.root), self.locales, self.locales.parent)
        warnings = tuple(str(p) for p in languages.errors)
        loaded = Loaded(content, translations, self.make_engine(content, translations), self.clock())
        return loaded, (), warnings


def summary(result: ReloadResult, limit: int = MAX_SHOWN) -> str:
    """What an admin reads after a reload (French, plain text: the channel escapes it)."""
    if result.ok:
        lines = [f"✅ Contenu rechargé ({result.reason}) : version {result.version}."]
        if result.warnings:
            lines.append(f"⚠️ {len(result.warnings)} texte(s) pas encore traduit(s) : les personnes lisent le "
                         "français en attendant (python -m bot check).")
        return "\n".join(lines)
    lines = [f"❌ Contenu NON rechargé ({result.reason}) : {len(result.errors)} erreur(s). "
             f"Le bot garde la version {result.version}.", ""]
    lines += list(result.errors[:limit])
    if len(result.errors) > limit:
        lines.append(f"… et {len(result.errors) - limit} autre(s) : python -m bot check")
    return "\n".join(lines)
