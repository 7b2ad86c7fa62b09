"""What a channel shows for /stats: the text lines and the PNG, built off the event loop."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from ..deeplink import CODE
from ._chart import chart_png
from ._counts import Dimension
from ._database import Database, has_events, read_counts
from ._publish import Catalog, Publication, publish
from ._render import text_lines
from ._time import MAX_DAYS, Period, Window

EMPTY = "Aucun chiffre pour l'instant : la base ne contient encore aucune conversation."


@dataclass(frozen=True, slots=True)
class Summary:
    lines: tuple[str, ...]
    """Plain text, one line each (escape them for the channel's markup)."""
    png: bytes | None
    """The chart; None when there is nothing to draw or it was not asked for."""
    publication: Publication | None
    """The protected tables (None when the database has never counted anything)."""


async def summarize(db: Database, days: int = 30, *, referent: str | None = None, by: Dimension = "card",
                    per: Period = "week", catalog: Catalog | None = None, now: float | None = None,
                    chart: bool = True) -> Summary:
    """The figures of the last `days` days (today included, Paris time); with a referent code, only the
    figures of that code: its rows are the only ones read from the database."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"a window is 1 to {MAX_DAYS} days, not {days}")
    if referent is not None and not CODE.match(referent):
        raise ValueError(f"'{referent}' is not a referent code (letters, digits and '-', 40 at most)")
    if not await has_events(db):
        return Summary((EMPTY,), None, None)
    window = Window.last_days(days, time.time() if now is None else now)
    counts = await read_counts(db, window, referent)
    publication = await asyncio.to_thread(publish, counts, window, by=by, per=per, catalog=catalog,
                                          referent=referent)
    png = await asyncio.to_thread(chart_png, publication) if chart else None
    return Summary(tuple(text_lines(publication)), png, publication)
