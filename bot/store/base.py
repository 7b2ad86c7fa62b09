"""Where conversations live between messages. SQLite today; the interface leaves room for PostgreSQL.

Beside the conversations, the store keeps the requests to be contacted and their outbox: every message a request
causes (to staff, to the person, to the admins) is written as a row in the same transaction as the change that
causes it, then delivered by a sender (bot/contact/sender.py) that marks it done. The store knows the rows, not
their wording: payloads are JSON written and read by bot/contact.

Errors::

    StoreError           the database cannot be used (at start: the bot does not start)
    └── StoreUnavailable  not now (locked by another program, disk full, read-only, disk failure): nothing was
                          written, the person is told to try again, and the next call can work
    RequestConflict      (a ValueError) a second open request: nothing was written
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

RequestStatus = Literal["open", "taken", "closed", "cancelled", "withdrawn", "expired"]
ACTIVE: frozenset[str] = frozenset({"open", "taken"})
"""A chat has at most one request in these statuses."""
FINISHED: frozenset[str] = frozenset({"closed", "cancelled", "withdrawn", "expired"})
Channel = Literal["telegram", "email", "person"]
OutboxKind = Literal["new", "taken", "closed", "cancelled", "withdrawn", "expired", "relay", "admin"]
DAY = 86400.0
MAX_ERROR = 500
"""Characters of a delivery error kept in the outbox (for the admins' alert)."""


@dataclass(frozen=True, slots=True)
class StatEvent:
    """An anonymous count: never a chat id, never a text typed by a person."""

    kind: str
    """'step' (a question reached) or 'orientation' (a card shown)."""
    name: str
    territory: str | None = None
    referent: str | None = None
    lang: str | None = None


@dataclass(frozen=True, slots=True)
class RequestRow:
    """A request to be contacted as stored: its payload is the request's JSON (bot/contact/models.py)."""

    ref: str
    chat_key: str
    destination: str
    status: RequestStatus
    payload: str
    created_at: float
    updated_at: float
    taken_by: str | None = None
    closed_at: float | None = None


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One message to deliver. Written with only the first fields; the store fills in the rest.

    ``key`` makes delivery idempotent: writing an item whose key is already in the outbox does nothing.
    ``chat_key`` is set on every item that says something about a person, so that forget() finds it.
    """

    key: str
    channel: Channel
    target: str
    """A Telegram chat id (as text), an e-mail address, or the person's chat key (channel 'person')."""
    kind: OutboxKind
    payload: str
    ref: str | None = None
    chat_key: str | None = None
    id: int = 0
    created_at: float = 0.0
    attempts: int = 0
    """Sends started (counted before each send, so a crash in the middle still counts)."""
    next_attempt_at: float = 0.0
    delivered_at: float | None = None
    remote_id: str | None = None
    last_error: str | None = None

    @property
    def interrupted(self) -> bool:
        """A send started and was neither confirmed nor refused (the bot stopped in between): the destination
        may already have it, and gets it again (see docs/requests.md, "Exactly once, and its limits")."""
        return self.attempts > 0 and self.last_error is None and self.delivered_at is None


@dataclass(frozen=True, slots=True)
class Purged:
    deleted: int = 0
    """Finished requests deleted after the retention time."""
    expired: int = 0
    """Open requests nobody finished in time: deleted, with a notice to staff."""


class StoreError(RuntimeError):
    """The database cannot be used; str() is one sentence for the operator."""


class StoreUnavailable(StoreError):
    """The database refused a read or a write for a cause outside the bot (another program holds its lock, the disk
    is full, it went read-only, the disk failed): nothing was written, and the same call can work once the cause
    is gone, without a restart. str() names the cause and the file, never a row."""


class RequestConflict(ValueError):
    """A second open request for a chat, or a reference that belongs to another chat: nothing was written."""


class Store(Protocol):
    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def load(self, chat_key: str) -> str | None:
        """The saved state (JSON text), or None."""

    async def save(self, chat_key: str, state_json: str, now: float, events: list[StatEvent] = ...,
                   requests: Iterable[RequestRow] = ..., outbox: Iterable[OutboxItem] = ...) -> None:
        """Save the state, its events, the chat's requests (upserted) and outbox items (an item whose key is
        already there is skipped) in one transaction, durable when this returns. RequestConflict: nothing saved."""

    async def forget(self, chat_key: str, now: float | None = None) -> bool:
        """Erase everything kept about this chat: conversation, channel data, requests, their outbox items and
        staff messages. In the same transaction, staff who received an open request are queued a 'withdrawn'
        notice that holds only its reference (see withdrawal_payload). True if there was a conversation."""

    async def purge_sessions(self, idle_before: float) -> int:
        """Delete the conversations last saved before ``idle_before``, with their channel data (requests have
        their own retention: purge_requests); the number deleted."""

    async def checkpoint(self) -> None:
        """Make deleted bytes leave the files too (SQLite: the WAL is checkpointed and truncated)."""

    async def load_channel_data(self, chat_key: str) -> str | None:
        """What a channel adapter keeps about the chat beside the conversation (JSON text), or None."""

    async def save_channel_data(self, chat_key: str, data: str, now: float) -> None:
        """Replace the channel data of the chat; it is erased with the conversation by forget()."""

    # ---- requests ------------------------------------------------------------------------------------------
    async def reference_in_use(self, ref: str) -> bool:
        """True if a request or an outbox item still carries this reference (so a new one must not)."""

    async def request(self, ref: str) -> RequestRow | None: ...

    async def open_request(self, chat_key: str) -> RequestRow | None:
        """The chat's request that is open or taken, if any (there is at most one)."""

    async def request_by_staff_message(self, chat_id: int, message_id: int) -> RequestRow | None:
        """The request a message of a staff chat belongs to (the request itself, or a relayed message)."""

    async def record_staff_message(self, ref: str, chat_id: int, message_id: int) -> None: ...

    async def staff_messages(self, ref: str) -> list[tuple[int, int]]:
        """(chat id, message id) of the request's messages in staff chats, oldest first."""

    async def update_request(self, ref: str, now: float, status: RequestStatus, *, expect: Collection[str],
                             taken_by: str | None = None, outbox: Iterable[OutboxItem] = ()) -> RequestRow | None:
        """Change the status if it is one of ``expect``, and queue ``outbox``, in one transaction. None (and
        nothing written) if there is no such request or its status is not expected (someone was faster)."""

    async def queue(self, outbox: Iterable[OutboxItem], now: float) -> None:
        """Queue items that no conversation step causes (a staff reply to relay, an alert to the admins)."""

    # ---- the outbox, for the sender ------------------------------------------------------------------------
    async def due_outbox(self, now: float, limit: int = 50) -> list[OutboxItem]:
        """Undelivered items whose time has come, oldest first; an item waits while an older one of the same
        reference and target is undelivered (an edit never overtakes its message, relays keep their order)."""

    async def next_attempt_at(self) -> float | None:
        """When the earliest undelivered item is due (None: the outbox is empty)."""

    async def outbox_item(self, item_id: int) -> OutboxItem | None: ...

    async def start_attempt(self, item_id: int, now: float) -> bool:
        """Count a send before it starts (a crash during the send leaves the item 'interrupted'). False: the item
        is gone (the person erased their data) or already delivered, so it must not be sent."""

    async def mark_delivered(self, item_id: int, now: float, remote_id: str | None,
                             staff_message: tuple[int, int] | None = None) -> None:
        """Done for good; ``staff_message`` (chat id, message id) is recorded in the same transaction. The item
        keeps its key (idempotency) but not its payload: what was sent is not kept twice."""

    async def mark_failed(self, item_id: int, now: float, error: str, next_attempt_at: float) -> None:
        """Keep the error; the item, and every other undelivered item to the same (channel, target), wait until
        ``next_attempt_at``: a destination that failed is not tried again before then."""

    async def mark_abandoned(self, item_id: int, now: float, error: str) -> None:
        """Stop trying an item that can never arrive (a person who blocked the bot): done, with its error. Never
        used for staff destinations: their requests stay queued until the destination works again."""

    async def pending_counts(self) -> dict[tuple[str, str], int]:
        """(channel, target) → undelivered items, for the admins' alert."""

    # ---- retention -----------------------------------------------------------------------------------------
    async def purge_requests(self, now: float, *, closed_days: float = 30, open_days: float = 90) -> Purged:
        """Delete finished requests ``closed_days`` after they finished; delete requests still open after
        ``open_days``, queuing an 'expired' notice (reference only) to the staff who received them; delete
        delivered outbox items of requests that are gone, and delivered alerts, after ``closed_days``."""


def notice_key(ref: str, kind: str, channel: str, target: str) -> str:
    """The idempotency key of a status notice: one per request, kind and destination."""
    return f"{ref}:{kind}:{channel}:{target}"


def withdrawal_payload(ref: str, created_at: float, staff_messages: list[int], was: str | None = None) -> str:
    """The payload of a 'withdrawn' or 'expired' notice: the reference, when it was made (for an e-mail's
    Message-ID), the staff messages to edit and, for a request already finished, its status (``was``: only edit
    those messages, send nothing new). Nothing about the person."""
    return json.dumps({"ref": ref, "created_at": created_at, "staff_messages": staff_messages, "was": was},
                      separators=(",", ":"))
