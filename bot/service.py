"""One conversation step end to end, for any channel: load → engine → save (committed) → outputs.

Updates of one chat run one at a time, in order; different chats run concurrently.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from .contact.models import RequestRecord
from .contact.reference import make_reference
from .contact.turns import open_request, writes
from .engine import Engine, Event, Output, Start, State, Turn
from .engine.effects import SendRequest, TurnContext
from .engine.events import Command, RequestUpdate
from .engine.outputs import Ask
from .engine.privacy import Sensitive
from .store import RequestConflict, StatEvent, Store

log = logging.getLogger(__name__)


@dataclass
class Reply:
    outputs: list[Output]
    state: State
    previous: State | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """What the channel knows of the person: only ever sent to a team with their yes (the request screen)."""

    first_name: str | None = None


REFERENCE_TRIES = 5


class EngineSource(Protocol):
    """Where the current engine comes from: a ContentLibrary swaps it on a content reload."""

    @property
    def engine(self) -> Engine: ...


class Conversations:
    def __init__(self, engine: Engine | EngineSource, store: Store, clock: Callable[[], float] = time.time, *,
                 request_days: int = 30, session_days: int = 30,
                 on_outbox: Callable[[], None] = lambda: None) -> None:
        self._source = engine
        self.store = store
        self.clock = clock
        self.request_days = request_days
        """How long a finished request is kept (the request screen says it)."""
        self.session_days = session_days
        """How long a conversation nobody continues is kept (/confidentialite says it)."""
        self.on_outbox = on_outbox
        """Called after a step wrote outbox items (wakes the OutboxSender)."""
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        """One lock per chat with a step running or waiting: whoever holds or awaits a lock keeps it alive, so a
        chat nobody is talking to costs nothing (a dict would keep one lock per chat ever seen)."""

    @property
    def engine(self) -> Engine:
        """The engine now serving: read once per update, so an update in progress ends with the content it began."""
        return self._source if isinstance(self._source, Engine) else self._source.engine

    def lock(self, chat_key: str) -> asyncio.Lock:
        """The chat's lock: keep the returned object for as long as you use it (``async with`` does)."""
        lock = self._locks.get(chat_key)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat_key] = lock
        return lock

    async def load(self, chat_key: str) -> State | None:
        raw = await self.store.load(chat_key)
        if raw is None:
            return None
        state = State.from_json(raw)
        if state is None:
            log.warning("unreadable saved state replaced by a new conversation")
        return state

    async def handle(self, chat_key: str, event: Event, profile: Profile | None = None) -> Reply:
        """One step: the engine, then the state, its counts and its requests saved in one transaction."""
        async with self.lock(chat_key):
            previous = await self.load(chat_key)
            now = self.clock()
            engine = self.engine
            row = await self.store.open_request(chat_key)
            record = RequestRecord.from_row(row) if row else None
            turn = await self._turn(engine, previous, event, now, record, profile)
            found = writes(turn, chat_key, record, engine.handoff.routing, now)
            events = self._stats(previous, event, turn, record, found.sent, engine.sensitive)
            try:
                await self.store.save(chat_key, turn.state.to_json(), now, events, requests=found.requests,
                                      outbox=found.outbox)
            except RequestConflict:  # a request opened meanwhile (another device): show it, write nothing else
                log.warning("a second open request was refused")
                row = await self.store.open_request(chat_key)
                record = RequestRecord.from_row(row) if row else None
                turn = engine.handle(previous, Command("human"), now, self._context(record, profile))
                await self.store.save(chat_key, turn.state.to_json(), now, [])
                return Reply(turn.outputs, turn.state, previous)
            if turn.scrubbed:  # the health answers are gone from the state: let their old bytes go too
                await self.store.checkpoint()
            if found.outbox:
                self.on_outbox()
            return Reply(turn.outputs, turn.state, previous)

    def _context(self, record: RequestRecord | None, profile: Profile | None,
                 reference: str = "") -> TurnContext:
        return TurnContext(reference, profile.first_name if profile else None, open_request(record),
                           self.request_days)

    async def _turn(self, engine: Engine, previous: State | None, event: Event, now: float,
                    record: RequestRecord | None, profile: Profile | None) -> Turn:
        """The engine's turn; a request it sends gets a reference no other request holds."""
        for _ in range(REFERENCE_TRIES):
            turn = engine.handle(previous, event, now, self._context(record, profile, make_reference()))
            sent = [e for e in turn.effects if isinstance(e, SendRequest)]
            if not sent or not await self.store.reference_in_use(sent[0].ref):
                return turn
        return turn

    async def current(self, chat_key: str) -> Reply | None:
        """What to show someone whose conversation was interrupted (the bot restarted)."""
        async with self.lock(chat_key):
            state = await self.load(chat_key)
            if state is None:
                return None
            return Reply(self.engine.current(state), state, state)

    async def forget(self, chat_key: str) -> bool:
        """/oubli: every row about the person goes; an open request is withdrawn (its team is told, through the
        outbox written in the same transaction)."""
        async with self.lock(chat_key):
            found = await self.store.forget(chat_key, self.clock())
        self.on_outbox()
        return found

    def _stats(self, previous: State | None, event: Event, turn: Turn, record: RequestRecord | None = None,
               sent: list[RequestRecord] | None = None, sensitive: Sensitive | None = None) -> list[StatEvent]:
        """Anonymous counts of this turn: never the chat, never what was typed. What tells a health need (a place
        that only a health answer chose, a health theme) is counted alone, without territory, referent code or
        language, so that nobody can be picked out of the counts."""
        state = turn.state
        sensitive = sensitive or Sensitive()
        discreet = sensitive.discreet_cards(state)

        def stat(kind: str, name: str, territory: str | None = None, *, plain: bool = False) -> StatEvent:
            if plain:
                return StatEvent(kind, name, None, None, None)
            return StatEvent(kind, name, territory, state.referent, state.lang)

        territory = state.answers.get("territoire")
        events = []
        if previous is None or isinstance(event, Start) or previous.started_at != state.started_at:
            theme = state.theme  # a theme's health answer is dropped later, at the result list
            events.append(stat("started", theme or "direct", plain=theme in sensitive.themes))
        events += [stat("orientation", card, territory, plain=card in discreet) for card in turn.orientations]
        events += [stat("opened", card, territory, plain=card in discreet) for card in turn.opened]
        asked = any(isinstance(o, Ask) for o in turn.outputs)
        if asked and state.pending is None and (previous is None or previous.step != state.step):
            events.append(stat("step", state.step))
        if state.finished and not (previous is not None and previous.finished):
            events.append(stat("finished", state.step, territory))
        events += [stat("request", r.destination.id, territory) for r in sent or ()]
        if isinstance(event, RequestUpdate) and event.status == "taken" and record is not None:
            events.append(stat("request_taken", record.destination.id, territory))
        return events
