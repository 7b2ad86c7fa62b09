"""The figures an admin gets on Telegram with /stats: the protected summary of bot/stats, and its chart."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from ..reload import ContentLibrary
from ..stats import Catalog, summarize
from ..store import SQLiteStore


def stats_reply(store: SQLiteStore, library: ContentLibrary) -> Callable[[int], Awaitable[tuple[str, bytes | None]]]:
    """(days) → the summary text and its PNG, with the rows and labels of the content now serving."""

    async def reply(days: int) -> tuple[str, bytes | None]:
        current = library.current
        catalog = Catalog.from_content(current.content, current.translations.codes)
        summary = await summarize(store, days, catalog=catalog)
        return "\n".join(summary.lines), summary.png

    return reply
