"""What staff and the person do with a request once it is sent: take it, finish it, cancel it.

Each change is one store transaction with its notices (the outbox), then the sender is woken. Two staff members
pressing « Je m'en occupe » at once: the first wins, the second is told who took it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..store import RequestStatus, Store
from .models import RequestRecord
from .outbox import status_items

Refusal = Literal["unknown", "already-taken", "finished"]


@dataclass(frozen=True, slots=True)
class Outcome:
    record: RequestRecord | None
    """The request after the change, or as it is when the change was refused (None: no such request)."""
    refused: Refusal | None = None

    @property
    def done(self) -> bool:
        return self.refused is None


_ALLOWED: dict[RequestStatus, frozenset[str]] = {
    "taken": frozenset({"open"}),
    "closed": frozenset({"open", "taken"}),
    "cancelled": frozenset({"open", "taken"}),
}


class RequestDesk:
    def __init__(self, store: Store, clock: Callable[[], float] = time.time,
                 wake: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.clock = clock
        self.wake = wake
        """Called after a change queued notices (OutboxSender.wake)."""

    async def get(self, ref: str) -> RequestRecord | None:
        row = await self.store.request(ref)
        return RequestRecord.from_row(row) if row else None

    async def open_request(self, chat_key: str) -> RequestRecord | None:
        row = await self.store.open_request(chat_key)
        return RequestRecord.from_row(row) if row else None

    async def by_staff_message(self, chat_id: int, message_id: int) -> RequestRecord | None:
        row = await self.store.request_by_staff_message(chat_id, message_id)
        return RequestRecord.from_row(row) if row else None

    async def take(self, ref: str, staff_name: str) -> Outcome:
        return await self._change(ref, "taken", staff_name)

    async def close(self, ref: str, staff_name: str | None = None) -> Outcome:
        return await self._change(ref, "closed", staff_name)

    async def cancel(self, chat_key: str) -> Outcome:
        """The person cancels their open request (button or /annuler)."""
        record = await self.open_request(chat_key)
        if record is None:
            return Outcome(None, "unknown")
        return await self._change(record.ref, "cancelled", None)

    async def _change(self, ref: str, status: RequestStatus, staff_name: str | None) -> Outcome:
        before = await self.get(ref)
        if before is None:
            return Outcome(None, "unknown")
        allowed = _ALLOWED[status]
        if before.status in allowed:
            after = before.changed(status, self.clock(), staff_name if status != "cancelled" else None)
            row = await self.store.update_request(ref, after.updated_at, status, expect=allowed,
                                                  taken_by=after.taken_by, outbox=status_items(after))
            if row is not None:
                self.wake()
                return Outcome(RequestRecord.from_row(row))
            before = await self.get(ref)  # someone was faster between the read and the write
            if before is None:
                return Outcome(None, "unknown")
        return Outcome(before, "already-taken" if before.status == "taken" else "finished")
