"""Conversations: one chat's steps one after the other, other chats meanwhile, and no lock kept per chat ever seen."""

from __future__ import annotations

import asyncio
import gc

from bot.engine import Engine, Start, Text
from bot.service import Conversations
from bot.store import MemoryStore

CHATS = 1_000


class GatedStore(MemoryStore):
    """Holds the saves of one chat until the test opens the gate; notes every load and save."""

    def __init__(self, gated: str) -> None:
        super().__init__()
        self.gated = gated
        self.gate = asyncio.Event()
        self.gate.set()
        self.saving = asyncio.Event()
        self.log: list[tuple[str, str]] = []

    async def load(self, chat_key: str) -> str | None:
        self.log.append(("load", chat_key))
        return await super().load(chat_key)

    async def save(self, chat_key: str, *args: object, **kwargs: object) -> None:
        self.log.append(("save", chat_key))
        if chat_key == self.gated:
            self.saving.set()
            await self.gate.wait()
        await super().save(chat_key, *args, **kwargs)  # type: ignore[arg-type]
        self.log.append(("saved", chat_key))


async def test_locks_of_finished_chats_are_not_kept(engine: Engine) -> None:
    conversations = Conversations(engine, MemoryStore())
    for n in range(CHATS):
        await conversations.handle(f"test:{n}", Start(lang_hint="fr"))
        await conversations.handle(f"test:{n}", Text("un peu"))
    gc.collect()
    assert len(conversations._locks) == 0  # a dict of locks would hold one per chat: 1,000
    assert await conversations.load(f"test:{CHATS - 1}") is not None


async def test_two_steps_of_one_chat_still_run_one_after_the_other(engine: Engine) -> None:
    store = GatedStore("test:a")
    conversations = Conversations(engine, store)
    await conversations.handle("test:a", Start(lang_hint="fr"))
    store.log.clear()
    store.saving.clear()
    store.gate.clear()
    first = asyncio.create_task(conversations.handle("test:a", Text("je ne sais pas")))
    await asyncio.wait_for(store.saving.wait(), 5)  # the first step is in the middle of its save
    second = asyncio.create_task(conversations.handle("test:a", Text("un peu")))
    other = await conversations.handle("test:b", Start(lang_hint="fr"))  # another chat is not held up
    for _ in range(20):
        await asyncio.sleep(0)
    assert store.log.count(("load", "test:a")) == 1  # the second step waits for the first
    assert len(conversations._locks) == 1  # the busy chat only, held and awaited by the same lock
    store.gate.set()
    one, two = await asyncio.wait_for(asyncio.gather(first, second), 5)
    assert two.previous is not None and two.previous.to_json() == one.state.to_json()  # it saw the first step
    assert one.state.answers == {"besoin": "questions"}
    assert two.state.answers == {"besoin": "questions", "francais": "un-peu"}
    assert other.state.step != two.state.step
    gc.collect()
    assert len(conversations._locks) == 0
