"""The traffic of `graph --traffic`: the protected funnel of bot/stats turned into shares per question."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ..content import Content
from ..content.mermaid import Traffic
from ..stats import Catalog, Window, has_events, publish, read_counts
from ..store import SQLiteStore


async def read_traffic(content: Content, database: Path, days: int, now: float) -> dict[str, Traffic]:
    """step key → Traffic over the last `days` days; nothing when the database has no figures yet."""
    store = SQLiteStore(database)
    await store.open()
    try:
        if not await has_events(store):
            return {}
        window = Window.last_days(days, now)
        counts = await read_counts(store, window)
    finally:
        await store.close()
    publication = await asyncio.to_thread(publish, counts, window, by="step", catalog=Catalog.from_content(content))
    started = publication.table("started").total
    traffic: dict[str, Traffic] = {}
    previous: float | None = None
    for row in publication.table("step").rows:
        figure = row.total
        if not (figure.shown and started.shown and started.value and figure.value is not None):
            traffic[row.key] = Traffic(None, mark=str(figure) if not figure.shown else str(started))
            previous = None
            continue
        share = figure.value / started.value
        drop = previous - share if previous is not None and previous > share else None
        traffic[row.key] = Traffic(share, drop)
        previous = share
    return traffic
