"""Test data and doubles for requests to be contacted.

Everything here is INVENTED for the tests: the chat ids (-100999…), the addresses (example.org), the people.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import Any

from bot.contact import ContactRequest, DeliveryError, Destination
from bot.store import OutboxItem

TEST_GROUP = -1009990000001
"""An invented Telegram group id (test data)."""
TEST_ADMIN = 999000111
"""An invented admin's Telegram user id (test data)."""
CREATED = 1_796_202_000.0
"""2026-12-02 09:00 UTC, as tests/auxil/conversation.Clock."""

ALI_TEST = Destination("ali-test", "l'Agence locale d'insertion de test", telegram_chat=TEST_GROUP,
                       email="ali-test@example.org")
EMAIL_ONLY = Destination("equipe-test", "l'équipe de test", email="equipe-test@example.org")


def a_request(ref: str = "R-7K3Q", chat_key: str = "telegram:424242", destination: Destination = ALI_TEST,
              **changes: Any) -> ContactRequest:
    values: dict[str, Any] = {
        "ref": ref, "chat_key": chat_key, "destination_id": destination.id, "first_name": "Samira", "lang": "ar",
        "french": "un-peu", "commune": "Clichy-sous-Bois", "needs": ("Apprendre le français",),
        "referent": "plus-de-contact", "reach": "phone", "phone": "+33612345678", "when": "matin",
        "created_at": CREATED,
    }
    values.update(changes)
    return ContactRequest(**values)


class FakeDeliverer:
    """Records what it delivers; fails while ``failing`` says so (an exception to raise, or None)."""

    def __init__(self, channel: str = "telegram") -> None:
        self.channel = channel
        self.sent: list[OutboxItem] = []
        self.failing: Callable[[OutboxItem], DeliveryError | None] = lambda _: None
        self.arrived = asyncio.Event()
        self._next_id = 100

    async def deliver(self, item: OutboxItem) -> str:
        error = self.failing(item)
        if error is not None:
            raise error
        self.sent.append(item)
        self.arrived.set()
        self._next_id += 1
        return str(self._next_id) if self.channel == "telegram" else f"<{item.key}@example.org>"

    def kinds(self) -> list[tuple[str, str | None]]:
        return [(item.kind, item.ref) for item in self.sent]


def down(temporary: bool = True) -> Callable[[OutboxItem], DeliveryError | None]:
    return lambda _: DeliveryError("test: the destination is down", temporary=temporary)


def replace(request: ContactRequest, **changes: Any) -> ContactRequest:
    return dataclasses.replace(request, **changes)
