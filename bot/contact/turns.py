"""A conversation turn's requests (engine effects) as store writes: the rows and outbox items saved with the step."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..content.routing import Routing
from ..engine.effects import EndRequest, OpenRequest, RelayToStaff, SendRequest
from ..engine.engine import Turn
from ..store import OutboxItem, RequestRow
from .models import ContactRequest, RequestRecord
from .outbox import relay_to_staff, status_items, submission
from .routing import STAFF_TEAM


@dataclass
class Writes:
    requests: list[RequestRow] = field(default_factory=list)
    outbox: list[OutboxItem] = field(default_factory=list)
    sent: list[RequestRecord] = field(default_factory=list)
    """Requests this turn created (for the anonymous counts)."""


def open_request(record: RequestRecord | None) -> OpenRequest | None:
    """What the engine is told of the person's open request."""
    if record is None or not record.active:
        return None
    return OpenRequest(record.ref, record.status, record.request.reach, record.destination.nom)


def writes(turn: Turn, chat_key: str, record: RequestRecord | None, routing: Routing, now: float) -> Writes:
    """The store writes of the turn's effects: a new request and its notices to staff, a cancellation or an end
    with theirs, the person's messages for the team's thread."""
    found = Writes()
    for effect in turn.effects:
        if isinstance(effect, SendRequest):
            destination = routing.destinations.get(effect.destination_id)
            if destination is None:  # the routing changed under the person: the engine re-offers next time
                continue
            request = ContactRequest(
                ref=effect.ref, chat_key=chat_key, destination_id=destination.id, first_name=effect.first_name,
                lang=effect.lang, french=effect.french, commune=effect.commune, needs=effect.needs,
                referent=effect.referent, health=effect.health, reach=effect.reach, phone=effect.phone,
                when=effect.when, created_at=now)
            sent = submission(request, destination)
            found.requests.append(sent.row)
            found.outbox.extend(sent.outbox)
            found.sent.append(sent.record)
        elif isinstance(effect, EndRequest) and record is not None and record.ref == effect.ref and record.active:
            after = record.changed(effect.status, now)
            found.requests.append(after.to_row())
            found.outbox.extend(status_items(after))
        elif isinstance(effect, RelayToStaff) and record is not None and record.ref == effect.ref:
            item = relay_to_staff(record, effect.text, f"p{turn.state.turn}")
            if item is not None:
                found.outbox.append(item)
    return found


def is_staff_team(name: str) -> bool:
    return name == STAFF_TEAM


__all__: Sequence[str] = ("Writes", "is_staff_team", "open_request", "writes")
