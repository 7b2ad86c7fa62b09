"""The outbox items a request causes, with their idempotency keys, and how a deliverer reads one back.

| kind | channel | payload |
|---|---|---|
| new, taken, closed, cancelled | telegram, email | the request as it is now (``record``) |
| taken, closed | person | ``ref``, ``lang``: tell the person in their language |
| withdrawn, expired | telegram, email | ``ref``, ``created_at``, ``staff_messages`` to edit, ``was`` (store-made) |
| relay | person | ``ref``, ``lang``, ``text``: a staff reply |
| relay | telegram | ``ref``, ``first_name``, ``text``: the person's message, into the request's thread |
| admin | telegram | ``text``: an alert for an admin (target: their user id) |
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..content.routing import Destination
from ..store import Channel, OutboxItem, OutboxKind, RequestRow, notice_key
from .models import ContactRequest, RequestRecord

PERSON: Channel = "person"


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def staff_targets(destination: Destination) -> list[tuple[Channel, str]]:
    targets: list[tuple[Channel, str]] = []
    if destination.telegram_chat is not None:
        targets.append(("telegram", str(destination.telegram_chat)))
    if destination.email:
        targets.append(("email", destination.email))
    return targets


@dataclass(frozen=True, slots=True)
class Submission:
    """What to pass to Store.save with the step that confirms the request: ``requests=[row]``, ``outbox=items``."""

    record: RequestRecord
    row: RequestRow
    outbox: tuple[OutboxItem, ...]


def submission(request: ContactRequest, destination: Destination) -> Submission:
    if request.destination_id != destination.id:
        raise ValueError(f"the request names {request.destination_id}, not {destination.id}")
    if request.reach == "telegram" and not destination.can_relay:
        raise ValueError(f"{destination.id} has no Telegram group: staff could not answer through the bot")
    record = RequestRecord(request, destination, "open", request.created_at)
    return Submission(record, record.to_row(), tuple(_staff_items(record, "new")))


def _staff_items(record: RequestRecord, kind: OutboxKind) -> list[OutboxItem]:
    payload = _json({"record": record.to_dict()})
    return [OutboxItem(notice_key(record.ref, kind, channel, target), channel, target, kind, payload,
                       ref=record.ref, chat_key=record.request.chat_key)
            for channel, target in staff_targets(record.destination)]


def status_items(record: RequestRecord) -> list[OutboxItem]:
    """The notices of a change of status (``record`` as it is after the change): the request, updated, to every
    channel of its destination (Telegram edits its message; e-mail sends a short follow-up), and the person is
    told when staff take or finish it."""
    kind: OutboxKind
    if record.status in ("taken", "closed", "cancelled"):
        kind = record.status
    else:
        raise ValueError(f"no notice for the status {record.status!r}: withdrawn and expired are made by the store")
    items = _staff_items(record, kind)
    if kind in ("taken", "closed"):
        chat_key = record.request.chat_key
        items.append(OutboxItem(notice_key(record.ref, kind, PERSON, chat_key), PERSON, chat_key, kind,
                                _json({"ref": record.ref, "lang": record.request.lang}), ref=record.ref,
                                chat_key=chat_key))
    return items


def relay_to_person(record: RequestRecord, text: str, source: str) -> OutboxItem:
    """A staff reply for the person; ``source`` names the staff message ('chat id:message id'), so that the
    same reply handled twice is relayed once."""
    chat_key = record.request.chat_key
    return OutboxItem(f"{record.ref}:relay:{PERSON}:{source}", PERSON, chat_key, "relay",
                      _json({"ref": record.ref, "lang": record.request.lang, "text": text}), ref=record.ref,
                      chat_key=chat_key)


def relay_to_staff(record: RequestRecord, text: str, source: str) -> OutboxItem | None:
    """The person's message for the request's thread in the staff chat (None: the destination has no group)."""
    chat = record.destination.telegram_chat
    if chat is None:
        return None
    return OutboxItem(f"{record.ref}:relay:telegram:{source}", "telegram", str(chat), "relay",
                      _json({"ref": record.ref, "first_name": record.request.first_name, "text": text}),
                      ref=record.ref, chat_key=record.request.chat_key)


def admin_item(admin_id: int, text: str, key: str) -> OutboxItem:
    return OutboxItem(f"admin:{admin_id}:{key}", "telegram", str(admin_id), "admin", _json({"text": text}))


@dataclass(frozen=True, slots=True)
class Notice:
    """An outbox item's payload, read back for a deliverer."""

    kind: OutboxKind
    ref: str | None
    record: RequestRecord | None = None
    """new, taken, closed, cancelled to staff: the request as it was when the item was written."""
    created_at: float | None = None
    staff_messages: tuple[int, ...] = ()
    """withdrawn, expired: the messages of this staff chat to edit (the request's first)."""
    was: str | None = None
    """withdrawn: the status of a request that was already finished (edit its messages, send nothing new)."""
    lang: str | None = None
    text: str | None = None
    first_name: str | None = None


def read_notice(item: OutboxItem) -> Notice:
    raw = json.loads(item.payload)
    record = RequestRecord.from_dict(raw["record"]) if "record" in raw else None
    created = raw.get("created_at", record.request.created_at if record else None)
    return Notice(item.kind, item.ref or raw.get("ref"), record, created,
                  tuple(int(m) for m in raw.get("staff_messages") or ()), raw.get("was"), raw.get("lang"),
                  raw.get("text"), raw.get("first_name"))
