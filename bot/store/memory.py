"""An in-memory Store for tests."""

from __future__ import annotations

from .base import StatEvent


class MemoryStore:
    def __init__(self) -> None:
        self.sessions: dict[str, str] = {}
        self.events: list[StatEvent] = []
        self.channel_data: dict[str, str] = {}

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
        self.channel_data.pop(chat_key, None)
        return self.sessions.pop(chat_key, None) is not None

    async def load_channel_data(self, chat_key: str) -> str | None:
        return self.channel_data.get(chat_key)

    async def save_channel_data(self, chat_key: str, data: str, now: float) -> None:
        self.channel_data[chat_key] = data
