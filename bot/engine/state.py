"""Conversation state: plain JSON-serialisable data, versioned, saved after every step."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

STATE_FORMAT = 1


@dataclass
class Pending:
    """A side question asked before the step can go on (confirm a guess, pick a commune, …)."""

    kind: str
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class HistoryEntry:
    step: str
    answers: dict[str, str]


@dataclass
class State:
    step: str
    content_version: str
    answers: dict[str, str] = field(default_factory=dict)
    history: list[HistoryEntry] = field(default_factory=list)
    pending: Pending | None = None
    lang: str | None = None
    lang_chosen: bool = False
    referent: str | None = None
    theme: str | None = None
    finished: bool = False
    started_at: float = 0.0
    updated_at: float = 0.0
    turn: int = 0
    places: list[str] = field(default_factory=list)
    """The result list shown: 'card-id|rule index', ranked."""
    shown: int = 0
    """How many places of the list are shown so far."""
    near: str | None = None
    """Where the person said they are, 'lat,lon' rounded to about 100 m: only to order places by distance."""
    request: dict[str, str] = field(default_factory=dict)
    """A request being prepared (how to reach, the number, when, health ticked): emptied once sent or dropped."""
    thread: str | None = None
    """The reference of a request whose team writes to the person here: their messages go back to the team."""
    format: int = STATE_FORMAT

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> State | None:
        """Rebuild a saved state; anything unreadable gives None (the person starts again, nothing crashes)."""
        try:
            raw = json.loads(text)
            return cls.from_dict(raw)
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> State | None:
        if not isinstance(raw, dict) or raw.get("format") != STATE_FORMAT:
            return None
        pending = raw.get("pending")
        return cls(
            step=str(raw["step"]),
            content_version=str(raw["content_version"]),
            answers={str(k): str(v) for k, v in dict(raw.get("answers") or {}).items()},
            history=[HistoryEntry(str(h["step"]), {str(k): str(v) for k, v in h["answers"].items()})
                     for h in raw.get("history") or []],
            pending=Pending(str(pending["kind"]), str(pending.get("value", "")),
                            [str(o) for o in pending.get("options", [])]) if pending else None,
            lang=raw.get("lang"),
            lang_chosen=bool(raw.get("lang_chosen")),
            referent=raw.get("referent"),
            theme=raw.get("theme"),
            finished=bool(raw.get("finished")),
            started_at=float(raw.get("started_at", 0.0)),
            updated_at=float(raw.get("updated_at", 0.0)),
            turn=int(raw.get("turn", 0)),
            places=[str(p) for p in raw.get("places") or []],
            shown=int(raw.get("shown", 0)),
            near=str(raw["near"]) if raw.get("near") else None,
            request={str(k): str(v) for k, v in dict(raw.get("request") or {}).items()},
            thread=str(raw["thread"]) if raw.get("thread") else None,
        )
