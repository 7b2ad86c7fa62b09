"""One conversation step end to end, for any channel: load → engine → save (committed) → outputs.

Updates of one chat run one at a time, in order; different chats run concurrently.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from .engine import Engine, Event, Output, Start, State, Turn
from .engine.outputs import Ask
from .store import StatEvent, Store

log = logging.getLogger(__name__)


@dataclass
class Reply:
    outputs: list[Output]
    state: State
    previous: State | None = None


class EngineSource(Protocol):
    """Where the current engine comes from: a ContentLibrary swaps it on a content reload."""

    @property
    def engine(self) -> Engine: ...


class Conversations:
    def __init__(self, engine: Engine | EngineSource, store: Store, clock: Callable[[], float] = time.time) -> None:
        self._source = engine
        self.store = store
        self.clock = clock
        self._locks: dict[str, asyncio.Lock] = {}

    @property
    def engine(self) -> Engine:
        """The engine now serving: read once per update, so an update in progress ends with the content it began."""
        return self._source if isinstance(self._source, Engine) else self._source.engine

    def lock(self, chat_key: str) -> asyncio.Lock:
        lock = self._locks.get(chat_key)
        if lock is None:
            lock = self._locks[chat_key] = asyncio.Lock()
        return lock

    async def load(self, chat_key: str) -> State | None:
        raw = await self.store.load(chat_key)
        if raw is None:
            return None
        state = State.from_json(raw)
        if state is None:
            log.warning("unreadable saved state replaced by a new conversation")
        return state

    async def handle(self, chat_key: str, event: Event) -> Reply:
        async with self.lock(chat_key):
            previous = await self.load(chat_key)
            now = self.clock()
            engine = self.engine
            turn = engine.handle(previous, event, now)
            await self.store.save(chat_key, turn.state.to_json(), now, self._stats(previous, event, turn))
            return Reply(turn.outputs, turn.state, previous)

    async def current(self, chat_key: str) -> Reply | None:
        """What to show someone whose conversation was interrupted (the bot restarted)."""
        async with self.lock(chat_key):
            state = await self.load(chat_key)
            if state is None:
                return None
            return Reply(self.engine.current(state), state, state)

    async def forget(self, chat_key: str) -> bool:
        async with self.lock(chat_key):
            return await self.store.forget(chat_key)

    def _stats(self, previous: State | None, event: Event, turn: Turn) -> list[StatEvent]:
        """Anonymous counts of this turn: never the chat, never what was typed."""
        state = turn.state

        def stat(kind: str, name: str, territory: str | None = None) -> StatEvent:
            return StatEvent(kind, name, territory, state.referent, state.lang)

        territory = state.answers.get("territoire")
        events = []
        if previous is None or isinstance(event, Start) or previous.started_at != state.started_at:
            events.append(stat("started", state.theme or "direct"))
        events += [stat("orientation", card, territory) for card in turn.orientations]
        events += [stat("opened", card, territory) for card in turn.opened]
        asked = any(isinstance(o, Ask) for o in turn.outputs)
        if asked and state.pending is None and (previous is None or previous.step != state.step):
            events.append(stat("step", state.step))
        if state.finished and not (previous is not None and previous.finished):
            events.append(stat("finished", state.step, territory))
        return events
