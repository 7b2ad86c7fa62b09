"""A request to be contacted, and the record of it kept in the store (its payload is this JSON)."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from typing import Any, Literal, get_args

from ..content.routing import Destination
from ..store import RequestRow, RequestStatus

Reach = Literal["phone", "telegram"]
"""How staff reach the person: call the phone, or answer through the bot in the staff chat."""
CallTime = Literal["matin", "apres-midi", "indifferent"]
PAYLOAD_FORMAT = 1
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactRequest:
    """What the person agreed to send, nothing more: the health answer only if they ticked it."""

    ref: str
    chat_key: str
    destination_id: str
    first_name: str | None = None
    lang: str
    """The language the person speaks with the bot ('fr', 'ar', …)."""
    french: str | None = None
    """Their answer to « Vous parlez français ? » ('bien', 'un-peu', 'pas-du-tout'), when they gave one."""
    commune: str | None = None
    """The town's name, as staff read it ('Clichy-sous-Bois')."""
    needs: tuple[str, ...] = ()
    """What they look for, in French words for staff ('Apprendre le français')."""
    referent: str | None = None
    """Their answer about a referent ('oui', 'plus-de-contact', 'non')."""
    health: str | None = None
    """Their health answer ('oui'), only when they chose to send it."""
    reach: Reach
    phone: str | None = None
    """E.164 ('+33612345678'), required when reach is 'phone'."""
    when: CallTime | None = None
    created_at: float

    def __post_init__(self) -> None:
        if self.reach not in get_args(Reach):
            raise ValueError(f"reach must be one of {get_args(Reach)}, not {self.reach!r}")
        if self.when is not None and self.when not in get_args(CallTime):
            raise ValueError(f"when must be one of {get_args(CallTime)}, not {self.when!r}")
        if self.phone is not None and not _E164.match(self.phone):
            raise ValueError("phone must be written in E.164 (+33612345678): see bot.contact.check_phone")
        if self.reach == "phone" and self.phone is None:
            raise ValueError("a request to be called needs a phone number")

    def to_dict(self) -> dict[str, Any]:
        raw = dataclasses.asdict(self)
        raw["needs"] = list(self.needs)
        return raw

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ContactRequest:
        names = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in raw.items() if key in names}
        values["needs"] = tuple(str(n) for n in values.get("needs") or ())
        return cls(**values)


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """A request as it is now: what was asked, where it went (as it was then), what happened since."""

    request: ContactRequest
    destination: Destination
    status: RequestStatus = "open"
    updated_at: float = 0.0
    taken_by: str | None = None
    """The staff member who took it, as Telegram names them."""
    closed_at: float | None = None

    @property
    def ref(self) -> str:
        return self.request.ref

    @property
    def active(self) -> bool:
        return self.status in ("open", "taken")

    def to_dict(self) -> dict[str, Any]:
        return {"format": PAYLOAD_FORMAT, "request": self.request.to_dict(),
                "destination": dataclasses.asdict(self.destination), "status": self.status,
                "updated_at": self.updated_at, "taken_by": self.taken_by, "closed_at": self.closed_at}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> RequestRecord:
        request = ContactRequest.from_dict(raw["request"])
        return cls(request, Destination(**raw["destination"]), raw.get("status", "open"),
                   float(raw.get("updated_at") or request.created_at), raw.get("taken_by"), raw.get("closed_at"))

    def to_row(self) -> RequestRow:
        return RequestRow(self.ref, self.request.chat_key, self.destination.id, self.status,
                          json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")),
                          self.request.created_at, self.updated_at or self.request.created_at, self.taken_by,
                          self.closed_at)

    @classmethod
    def from_row(cls, row: RequestRow) -> RequestRecord:
        """The columns are the truth for what changed since (status, who took it, when)."""
        record = cls.from_dict(json.loads(row.payload))
        return dataclasses.replace(record, status=row.status, updated_at=row.updated_at, taken_by=row.taken_by,
                                   closed_at=row.closed_at)

    def changed(self, status: RequestStatus, now: float, taken_by: str | None = None) -> RequestRecord:
        finished = status not in ("open", "taken")
        return dataclasses.replace(self, status=status, updated_at=now, taken_by=taken_by or self.taken_by,
                                   closed_at=now if finished else self.closed_at)
