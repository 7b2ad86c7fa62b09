"""An in-memory Store for tests."""

from __future__ import annotations

from .base import StatEvent


class MemoryStore:
    def __init__(self) -> None:
        self.sessions: dict[str, str] = {}
        self.events: list[StatEvent] = []

    async def open(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def load(self, chat_key: str) -> str | None:
        return self.sessions.get(chat_key)

    async def save(self, chat_key: str, state_json: str, now: float, events: list[StatEvent] | None = None) -> None:
        self.sessions[chat_key] = state_json
        self.events.extend(events or [])

    async def forget(self, chat_key: str) -> bool:
        return self.sessions.pop(chat_key, None) is not None
