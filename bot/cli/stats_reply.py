"""The figures an admin gets on Telegram with /stats (bot/stats, once merged)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable


def stats_reply(database: str) -> Callable[[int], Awaitable[tuple[str, bytes | None]]] | None:
    """None while the statistics room is not there: /stats then says so."""
    return None
