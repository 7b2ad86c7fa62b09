"""Talk to the engine like a person: start, press, type; read what the bot said (for tests and golden files)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..engine import (
    Ask,
    Command,
    Engine,
    Event,
    Finished,
    Output,
    Press,
    RequestUpdate,
    Say,
    SharedContact,
    ShowCard,
    StaffReply,
    Start,
    StartPayload,
    State,
    Text,
    Turn,
)
from ..engine.effects import EndRequest, OpenRequest, SendRequest, TurnContext


class GoldenError(AssertionError):
    """A golden conversation asked for something the bot did not offer (a button, a place)."""


@dataclass
class Clock:
    now: float = 1_796_202_000.0
    """2026-12-02 09:00 UTC, a Wednesday: cards compare their sources' dates with it."""

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Client:
    """One person's conversation; the state goes through JSON at every turn, like the real store."""

    engine: Engine
    clock: Clock = field(default_factory=Clock)
    saved: str | None = None
    outputs: list[Output] = field(default_factory=list)
    last_ask: Ask | None = None
    turns: list[Turn] = field(default_factory=list)
    """Every turn of the conversation, with what it visited, chose, listed and opened."""
    first_name: str | None = "Samira"
    """The first name the channel knows (invented test data)."""
    request: OpenRequest | None = None
    """The open request, as the store would hold it (the effects of the turns, applied)."""
    sent: list[SendRequest] = field(default_factory=list)
    """Every request the person confirmed."""

    @property
    def state(self) -> State:
        state = State.from_json(self.saved) if self.saved is not None else None
        if state is None:
            raise GoldenError("the conversation has not started")
        return state

    def send(self, event: Event) -> list[Output]:
        state = State.from_json(self.saved) if self.saved else None
        context = TurnContext(reference=f"R-T{len(self.turns) + 1:03d}", first_name=self.first_name,
                              request=self.request)
        turn = self.engine.handle(state, event, self.clock(), context)
        for effect in turn.effects:
            if isinstance(effect, SendRequest):
                self.sent.append(effect)
                destination = self.engine.handoff.routing.destinations.get(effect.destination_id)
                self.request = OpenRequest(effect.ref, "open", effect.reach, destination.nom if destination else "")
            elif isinstance(effect, EndRequest) and self.request and self.request.ref == effect.ref:
                self.request = None
        self.turns.append(turn)
        self.saved = turn.state.to_json()
        self.outputs = list(turn.outputs)
        asks = [o for o in self.outputs if isinstance(o, Ask)]
        if asks:
            self.last_ask = asks[-1]
        return self.outputs

    def start(self, *, referent: str | None = None, lang: str | None = None, theme: str | None = None,
              lang_hint: str | None = "fr") -> list[Output]:
        payload = StartPayload(referent, lang, theme) if (referent or lang or theme) else None
        return self.send(Start(payload, lang_hint))

    def open(self, card_id: str) -> list[Output]:
        """Press the button of a place of the result list, by its card id."""
        state = self.state
        ids = [entry.partition("|")[0] for entry in state.places]
        if card_id not in ids[:state.shown]:
            raise GoldenError(f"{card_id!r} is not among the places shown: {ids[:state.shown]}")
        return self.press(f"~{ids.index(card_id)}")

    def press(self, what: str) -> list[Output]:
        """Press a button of the last question, by its value (choice id) or its visible label."""
        ask = self.last_ask
        if ask is None:
            raise GoldenError("no question on screen")
        for button in (*ask.buttons, *ask.nav):
            if what in (button.value, button.label, button.text):
                return self.send(Press(ask.token, button.value))
        shown = [b.value for b in ask.buttons] + [b.value for b in ask.nav]
        raise GoldenError(f"no button {what!r} on screen; buttons: {shown}; question: {ask.text!r}")

    def type(self, text: str) -> list[Output]:
        return self.send(Text(text))

    def command(self, name: str) -> list[Output]:
        return self.send(Command(name))

    def share_contact(self, phone: str, *, own: bool = True) -> list[Output]:
        """Telegram's « share my number » (own=False: someone else's contact card)."""
        return self.send(SharedContact(phone, own))

    def staff(self, *, status: str | None = None, reply: str | None = None) -> list[Output]:
        """Staff act on the open request: take or close it (status), or answer through the bot (reply)."""
        if self.request is None:
            raise GoldenError("no open request for staff to act on")
        ref = self.request.ref
        if reply is not None:
            return self.send(StaffReply(ref, reply))
        self.request = None if status == "closed" else OpenRequest(ref, status or "taken", self.request.reach,
                                                                   self.request.team)
        return self.send(RequestUpdate(ref, status or "taken"))

    # ---- reading ----
    @property
    def said(self) -> str:
        parts = []
        for o in self.outputs:
            if isinstance(o, (Say, Ask)):
                parts.append(o.text)
            elif isinstance(o, ShowCard):
                parts.extend([o.title, o.summary, *(f"{line.label} {line.value}" for line in o.lines)])
        return "\n".join(parts)

    @property
    def cards(self) -> list[str]:
        """Cards opened during the last turn."""
        return [o.card_id for o in self.outputs if isinstance(o, ShowCard)]

    @property
    def places(self) -> list[str]:
        """The places of the result list shown so far (card ids, ranked), when the bot shows a list."""
        state = self.state
        return [entry.partition("|")[0] for entry in state.places[:state.shown]]

    @property
    def all_places(self) -> list[str]:
        return [entry.partition("|")[0] for entry in self.state.places]

    @property
    def card_views(self) -> list[ShowCard]:
        return [o for o in self.outputs if isinstance(o, ShowCard)]

    @property
    def step(self) -> str:
        return self.state.step.split(":", 1)[1]

    @property
    def asking(self) -> str | None:
        """The step id being asked, or the pending side question ('confirm', 'pick-commune'…)."""
        if not any(isinstance(o, Ask) for o in self.outputs):
            return None
        state = self.state
        return state.pending.kind if state.pending else self.step

    @property
    def choices(self) -> list[str]:
        return [b.value for b in self.last_ask.buttons] if self.last_ask else []

    @property
    def finished(self) -> bool:
        return any(isinstance(o, Finished) for o in self.outputs)


def play_turn(client: Client, turn: dict[str, Any], lang: str) -> bool:
    """Play one turn of a golden conversation (tests/golden/*.yaml); True when the person sent something."""
    if "start" in turn:
        presets = turn["start"] or {}
        client.start(referent=presets.get("referent"), lang=presets.get("lang", lang),
                     theme=presets.get("theme"), lang_hint=presets.get("lang_hint", lang))
        return False
    if "wait" in turn:
        client.clock.advance(float(turn["wait"]))
        return False
    if "press" in turn:
        client.press(str(turn["press"]))
    elif "open" in turn:
        client.open(str(turn["open"]))
    elif "type" in turn:
        client.type(str(turn["type"]))
    elif "command" in turn:
        client.command(str(turn["command"]))
    elif "share_contact" in turn:
        contact = turn["share_contact"]
        phone, own = (contact, True) if isinstance(contact, str) else (str(contact["phone"]), bool(contact["own"]))
        client.share_contact(phone, own=own)
    elif "staff" in turn:
        action = turn["staff"] or {}
        client.staff(status=action.get("status"), reply=action.get("reply"))
    else:
        raise GoldenError(f"unknown turn {turn}")
    return True
