"""Asking to be contacted: the consent screen, how to be reached, when, then a request that a real person answers.

Offered from 🧑 at any step, at the end of a result (first of all to someone without a referent), only where a team
can receive it (routing). Nothing is sent before an explicit yes on a screen that says what is sent, to whom and for
how long; the health answer only if the person ticks it. The engine describes the request (effects.SendRequest);
the service writes it with the step, in one transaction, into the outbox.

Side questions (state.pending) of the request, in order: consent → how to reach (share the number, type it, or
answer here) → the number (typed) → when to call. A request already open: its reference, cancel or keep. A staff
reply opens a thread: the person's texts go back to the team until one side ends it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from babel.lists import format_list

from ..content.routing import STAFF_TEAM, Destination, ali_cards_of, route
from ..i18n.text import isolate, strip_bidi
from ..matching.phone import check_phone, shared_phone
from . import texts as T
from .effects import EndRequest, RelayToStaff, SendRequest
from .outputs import Ask, Button, Say
from .privacy import Sensitive
from .state import Pending, State

if TYPE_CHECKING:
    from ..content import Content
    from ..content.routing import Routing
    from ..i18n import Translations
    from .engine import Engine, Turn

REQ_CONSENT, REQ_REACH, REQ_PHONE, REQ_WHEN = "request-consent", "request-reach", "request-phone", "request-when"
REQ_OPEN, THREAD = "request-open", "thread"
KINDS = frozenset({REQ_CONSENT, REQ_REACH, REQ_PHONE, REQ_WHEN, REQ_OPEN, THREAD})
V_REQUEST = "!request"
V_SEND, V_DONT, V_HEALTH = "!send", "!dont", "!health"
V_SHARE, V_TYPE, V_HERE = "!share-phone", "!type-phone", "!reply-here"
V_CANCEL, V_KEEP, V_END_THREAD = "!cancel-request", "!keep-request", "!end-thread"
WHEN = {"!matin": ("matin", T.REQ_MORNING, "🌅"), "!apres-midi": ("apres-midi", T.REQ_AFTERNOON, "🌇"),
        "!indifferent": ("indifferent", T.REQ_ANYTIME, "🕐")}
PHONE_PROBLEMS = {"service-number": T.REQ_PHONE_SERVICE, "several": T.REQ_PHONE_SEVERAL}
NO_REFERENT = frozenset({"plus-de-contact", "non"})


class Handoff:
    """The request side questions of one engine (same content, translations and routing)."""

    def __init__(self, content: Content, translations: Translations, routing: Routing,
                 sensitive: Sensitive | None = None) -> None:
        self.content = content
        self.t = translations
        self.routing = routing
        self.health = sensitive.any if sensitive is not None else Sensitive.of(content).any
        """The flows ask about health: the request screen offers to add it."""

    def tr(self, state: State, message: str) -> str:
        return self.t.gettext(state.lang, message)

    # ---- who receives it, what it says ------------------------------------------------------------------
    def destination(self, state: State) -> Destination | None:
        commune = state.answers.get("commune")
        return route(self.routing, commune, state.answers.get("territoire"), ali_cards_of(self.content, commune))

    def offered(self, state: State) -> bool:
        return self.destination(state) is not None

    def first_for(self, state: State) -> bool:
        """Someone without a referent sees « be called back » before the places."""
        answers = state.answers
        return answers.get("referent") in NO_REFERENT or answers.get("besoin") == "referent" \
            or state.theme == "contact"

    def sensitive(self, state: State) -> bool:
        """The request screen offers to add a health need, never adds it by itself. It is offered to everyone
        (when the flows ask about health at all): once the places are chosen the health answers are gone from
        the conversation (bot/engine/privacy.py), so the person says it again here, for this request only."""
        return self.health

    def needs(self, state: State, *, health: bool) -> list[str]:
        """What the person looks for, as the first question's labels (French: the service translates for the
        person, staff read French). A health need only when the person ticked it: then the need's label is
        added even if their answers no longer hold it."""
        labels: dict[str, tuple[str, bool]] = {}
        asking = next((s for s in self.content.steps.values() if (s.save or s.id) == "besoin" and s.choices), None)
        if asking is None:
            return []
        wanted = [state.answers.get("besoin", "")]
        result = next((s for s in self.content.steps.values() if s.kind == "result"), None)
        for rule in result.card_rules if result else ():
            if rule.besoin and rule.when.alternatives and rule.when.holds(state.answers):
                wanted.append(rule.besoin)
        if health:
            wanted += [choice.id for choice in asking.choices if choice.sensitive]
        for choice_id in wanted:
            choice = asking.choice(choice_id)
            if choice is not None and choice_id not in labels and choice_id != "questions":
                labels[choice_id] = (choice.label, choice.sensitive)
        return [label for label, sensitive in labels.values() if health or not sensitive]

    def team(self, state: State, destination: Destination) -> str:
        return self.tr(state, STAFF_TEAM) if destination.nom == STAFF_TEAM else destination.nom

    # ---- starting -------------------------------------------------------------------------------------
    def start(self, engine: Engine, turn: Turn) -> bool:
        """🧑: the request screen (or the open request); False when no team can receive one."""
        state, context = turn.state, turn.context
        if context.request is not None:
            open_ = context.request
            state.pending = Pending(REQ_OPEN, open_.ref, [open_.status, open_.team])
            turn.outputs.append(engine.prompts.ask_pending(state))
            return True
        destination = self.destination(state)
        if destination is None:
            return False
        state.request = {"destination": destination.id, "team": self.team(state, destination),
                         "days": str(context.request_days), "relay": "1" if destination.can_relay else ""}
        if context.first_name:
            state.request["first_name"] = context.first_name[:64]
        state.pending = Pending(REQ_CONSENT)
        turn.outputs.append(engine.prompts.ask_pending(state))
        return True

    # ---- the side questions' answers -------------------------------------------------------------------
    def answer(self, engine: Engine, turn: Turn, kind: str, value: str, *, typed: bool) -> None:
        state = turn.state
        draft = state.request
        if kind == REQ_PHONE and typed:
            self._typed_phone(engine, turn, value)
            return
        if kind == THREAD:
            if typed:
                self._relay(engine, turn, value)
            elif value == V_END_THREAD:
                self._end_thread(engine, turn)
            return
        if kind == REQ_OPEN:
            state.pending = None
            if value == V_CANCEL and turn.context.request is not None:
                ref = turn.context.request.ref
                turn.effects.append(EndRequest(ref, "cancelled"))
                turn.outputs.append(Say(self.t.format(state.lang, T.REQ_CANCELLED, ref=ref)))
            engine.show_current(turn)
            return
        if kind == REQ_CONSENT:
            if value == V_HEALTH:
                draft["health"] = "" if draft.get("health") else "oui"
                state.pending = Pending(REQ_CONSENT)
                turn.outputs.append(engine.prompts.ask_pending(state))
            elif value == V_SEND:
                state.pending = Pending(REQ_REACH)
                turn.outputs.append(engine.prompts.ask_pending(state))
            else:
                self.drop(state)
                turn.outputs.append(Say(self.tr(state, T.REQ_NOT_SENT)))
                engine.show_current(turn)
            return
        if kind == REQ_REACH:
            if value == V_HERE and draft.get("relay"):
                draft["reach"] = "telegram"
                self._submit(engine, turn)
            else:  # type the number (a channel without Telegram's "share my number" button lands here too)
                state.pending = Pending(REQ_PHONE)
                turn.outputs.append(engine.prompts.ask_pending(state))
            return
        if kind == REQ_WHEN and value in WHEN:
            draft["when"] = WHEN[value][0]
            self._submit(engine, turn)
            return
        state.pending = Pending(kind)
        turn.outputs.append(engine.prompts.ask_pending(state))

    def contact(self, engine: Engine, turn: Turn, phone: str, own: bool) -> None:
        """Telegram's "share my number": the person's own verified number, never someone else's contact card."""
        state = turn.state
        if not state.pending or state.pending.kind not in (REQ_REACH, REQ_PHONE):
            turn.outputs.append(Say(self.tr(state, T.UNSUPPORTED)))
            engine.show_current(turn)
            return
        number = shared_phone(phone) if own else None
        if number is None:
            turn.outputs.append(Say(self.tr(state, T.REQ_NOT_YOURS)))
            turn.outputs.append(engine.prompts.ask_pending(state))
            return
        self._got_phone(engine, turn, number)

    def _typed_phone(self, engine: Engine, turn: Turn, text: str) -> None:
        state = turn.state
        found = check_phone(text)
        if found.e164 is None:
            problem = PHONE_PROBLEMS.get(found.problem or "", T.REQ_PHONE_BAD)
            turn.outputs.append(Say(self.tr(state, problem)))
            turn.outputs.append(engine.prompts.ask_pending(state))
            return
        self._got_phone(engine, turn, found.e164)

    def _got_phone(self, engine: Engine, turn: Turn, number: str) -> None:
        state = turn.state
        state.request.update({"reach": "phone", "phone": number})
        turn.outputs.append(Say(f"✅ {self.tr(state, T.REQ_PHONE_GOT)}"))
        state.pending = Pending(REQ_WHEN)
        turn.outputs.append(engine.prompts.ask_pending(state))

    def _submit(self, engine: Engine, turn: Turn) -> None:
        state, draft = turn.state, turn.state.request
        commune = self.content.commune(state.answers.get("commune"))
        reach: Literal["phone", "telegram"] = "telegram" if draft.get("reach") == "telegram" else "phone"
        when = draft.get("when") if reach == "phone" else None
        health = "oui" if draft.get("health") and self.sensitive(state) else None
        turn.effects.append(SendRequest(
            ref=turn.context.reference, destination_id=draft.get("destination", ""),
            first_name=draft.get("first_name"), lang=state.lang or "fr", french=state.answers.get("francais"),
            commune=commune.nom if commune else None, needs=tuple(self.needs(state, health=bool(health))),
            referent=state.answers.get("referent"), health=health, reach=reach,
            phone=draft.get("phone") if reach == "phone" else None,
            when="matin" if when == "matin" else "apres-midi" if when == "apres-midi" else
            "indifferent" if when else None))
        lines = [self.t.format(state.lang, T.REQ_SENT, team=draft.get("team", "")),
                 self.t.format(state.lang, T.REQ_REF, ref=turn.context.reference),
                 self.tr(state, T.REQ_CALL_SOON if reach == "phone" else T.REQ_REPLY_HERE),
                 self.tr(state, T.REQ_HOW_CANCEL)]
        turn.outputs.append(Say("\n".join(lines)))
        self.drop(state)
        engine.show_current(turn)

    def drop(self, state: State) -> None:
        """Forget the draft: the number typed and the first name leave the state."""
        state.request = {}
        state.pending = None

    # ---- /annuler, staff's side ---------------------------------------------------------------------------
    def cancel(self, engine: Engine, turn: Turn) -> None:
        state, request = turn.state, turn.context.request
        if request is None:
            turn.outputs.append(Say(self.tr(state, T.REQ_NONE)))
        else:
            turn.effects.append(EndRequest(request.ref, "cancelled"))
            turn.outputs.append(Say(self.t.format(state.lang, T.REQ_CANCELLED, ref=request.ref)))
            if state.thread == request.ref:
                state.thread = None
        if state.pending and state.pending.kind in KINDS:
            self.drop(state)
        engine.show_current(turn)

    def staff_reply(self, engine: Engine, turn: Turn, ref: str, text: str) -> None:
        state = turn.state
        state.thread = ref
        # The team's words, as written (in French, most often): each line isolated, so that an Arabic or Persian
        # chat lays it out on its own; no direction control of theirs can reorder the rest.
        body = "\n".join(isolate(line) for line in strip_bidi(text).splitlines() if line.strip())
        turn.outputs.append(Say(f"{self.t.format(state.lang, T.THREAD_FROM_STAFF, ref=ref)}\n{body}"))
        state.pending = Pending(THREAD, ref)
        turn.outputs.append(engine.prompts.ask_pending(state))

    def update(self, engine: Engine, turn: Turn, ref: str, status: str) -> None:
        state = turn.state
        if status == "taken":
            turn.outputs.append(Say(self.t.format(state.lang, T.REQ_TAKEN_NOTICE, ref=ref)))
        elif status == "closed":
            turn.outputs.append(Say(self.t.format(state.lang, T.REQ_CLOSED_NOTICE, ref=ref)))
            if state.thread == ref:
                state.thread = None
                if state.pending and state.pending.kind == THREAD:
                    state.pending = None
        engine.show_current(turn)

    def _relay(self, engine: Engine, turn: Turn, text: str) -> None:
        state = turn.state
        if state.thread:
            turn.effects.append(RelayToStaff(state.thread, text))
            turn.outputs.append(Say(self.tr(state, T.THREAD_SENT)))
        turn.outputs.append(engine.prompts.ask_pending(state))

    def _end_thread(self, engine: Engine, turn: Turn) -> None:
        state = turn.state
        if state.thread:
            turn.effects.append(EndRequest(state.thread, "closed"))
        state.thread, state.pending = None, None
        turn.outputs.append(Say(self.tr(state, T.THREAD_ENDED)))
        engine.show_current(turn)

    # ---- what the side questions show -----------------------------------------------------------------------
    def text(self, state: State) -> str:
        pending = state.pending
        assert pending is not None
        draft = state.request
        if pending.kind == REQ_CONSENT:
            lines = [f"🧑 {self.tr(state, T.REQ_BUTTON)}",
                     self.t.format(state.lang, T.REQ_TO, team=draft.get("team", "")), self.tr(state, T.REQ_WHAT)]
            if draft.get("first_name"):
                lines.append("• " + self.t.format(state.lang, T.REQ_FIRST_NAME, name=draft["first_name"]))
            language = next((lang.name for lang in self.t.languages if lang.code == state.lang), state.lang or "fr")
            lines.append("• " + self.t.format(state.lang, T.REQ_LANGUAGE, language=language))
            commune = self.content.commune(state.answers.get("commune"))
            if commune:
                lines.append("• " + self.t.format(state.lang, T.REQ_TOWN, town=commune.nom))
            health = bool(draft.get("health"))
            needs = [self.tr(state, n) for n in self.needs(state, health=False)]  # health: its own line
            if needs:
                locale = (state.lang or "fr").replace("-", "_")
                lines.append("• " + self.t.format(state.lang, T.REQ_NEEDS, needs=format_list(needs, locale=locale)))
            if health:
                lines.append("• " + self.tr(state, T.REQ_HEALTH_LINE))
            lines += [self.t.format(state.lang, T.REQ_KEPT, days=draft.get("days", "30")),
                      self.tr(state, T.REQ_CONFIRM)]
            return "\n".join(lines)
        if pending.kind == REQ_REACH:
            return f"📞 {self.tr(state, T.REQ_HOW)}"
        if pending.kind == REQ_PHONE:
            return f"✏️ {self.tr(state, T.REQ_PHONE_ASK)}"
        if pending.kind == REQ_WHEN:
            return f"🕒 {self.tr(state, T.REQ_WHEN)}"
        if pending.kind == REQ_OPEN:
            lines = [self.t.format(state.lang, T.REQ_OPEN, ref=pending.value)]
            if pending.options[:1] == ["taken"]:
                lines.append(self.tr(state, T.REQ_OPEN_TAKEN))
            return "\n".join(lines)
        return f"💬 {self.tr(state, T.THREAD_HOW)}"  # THREAD

    def buttons(self, state: State) -> tuple[Button, ...]:
        pending = state.pending
        assert pending is not None

        def tr(message: str) -> str:
            return self.tr(state, message)

        if pending.kind == REQ_CONSENT:
            buttons = [Button(V_SEND, tr(T.REQ_SEND), "✅"), Button(V_DONT, tr(T.REQ_DONT), "❌")]
            if self.sensitive(state):
                health = T.REQ_REMOVE_HEALTH if state.request.get("health") else T.REQ_ADD_HEALTH
                buttons.append(Button(V_HEALTH, tr(health), "♿"))
            return tuple(buttons)
        if pending.kind == REQ_REACH:
            buttons = [Button(V_SHARE, tr(T.REQ_SHARE), "📱", kind="contact"), Button(V_TYPE, tr(T.REQ_TYPE), "✏️")]
            if state.request.get("relay"):
                buttons.append(Button(V_HERE, tr(T.REQ_HERE), "💬"))
            return tuple(buttons)
        if pending.kind == REQ_PHONE:
            return ()
        if pending.kind == REQ_WHEN:
            return tuple(Button(value, tr(label), emoji) for value, (_, label, emoji) in WHEN.items())
        if pending.kind == REQ_OPEN:
            return (Button(V_CANCEL, tr(T.REQ_CANCEL), "❌"), Button(V_KEEP, tr(T.REQ_KEEP), "↩️"))
        return (Button(V_END_THREAD, tr(T.THREAD_END), "✅"),)  # THREAD

    def ask(self, state: State, token: str, nav: tuple[Button, ...]) -> Ask:
        free = state.pending is not None and state.pending.kind in (REQ_PHONE, THREAD)
        return Ask(self.text(state), self.buttons(state), token, nav, free_text=free)
