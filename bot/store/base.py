"""Where conversations live between messages. SQLite today; the interface leaves room for PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class StatEvent:
    """An anonymous count: never a chat id, never a text typed by a person."""

    kind: str
    """'step' (a question reached) or 'orientation' (a card shown)."""
    name: str
    territory: str | None = None
    referent: str | None = None
    lang: str | None = None


class Store(Protocol):
    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def load(self, chat_key: str) -> str | None:
        """The saved state (JSON text), or None."""

    async def save(self, chat_key: str, state_json: str, now: float, events: list[StatEvent] = ...) -> None:
        """Save the state and its events in one transaction, durable when this returns."""

    async def forget(self, chat_key: str) -> bool:
        """Erase everything kept about this chat (conversation and channel data); True if there was a conversation."""

    async def load_channel_data(self, chat_key: str) -> str | None:
        """What a channel adapter keeps about the chat beside the conversation (JSON text), or None."""

    async def save_channel_data(self, chat_key: str, data: str, now: float) -> None:
        """Replace the channel data of the chat; it is erased with the conversation by forget()."""
