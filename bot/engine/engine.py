"""The conversation engine: (state, event) → (new state, outputs). Pure: no I/O, no clock, no telegram."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from ..content import Content, Step
from ..content import resolve_target as _resolve
from ..content.routing import Routing
from ..content.selection import Pick, Selector, parse_point
from ..i18n import COMMUNE_CONTEXT, SOURCE_LANGUAGE, Translations
from ..matching import CommuneIndex, Grade, Option, match_choice, normalize
from . import handoff as H
from . import places as P
from . import texts as T
from .effects import Effect, TurnContext
from .events import (
    Command,
    Event,
    Press,
    RequestUpdate,
    SharedContact,
    SharedLocation,
    StaffReply,
    Start,
    StartPayload,
    Text,
    Unsupported,
)
from .outputs import Ask, Button, Finished, Output, Say
from .privacy import Sensitive
from .prompts import (
    CONFIRM,
    CONFIRM_COMMUNE,
    FINISHED,
    LANGUAGE,
    NAV_VALUES,
    OUTSIDE,
    PICK_COMMUNE,
    PICK_TERRITORY,
    RESUME,
    V_CONTINUE,
    V_LIST,
    V_NO,
    V_RESTART,
    V_SKIP,
    V_START,
    V_YES,
    Prompts,
)
from .render import render_card, said
from .state import HistoryEntry, Pending, State

MAX_AUTO_STEPS = 64
DEFAULT_EXPIRY = 6 * 3600.0

@dataclass
class Turn:
    state: State
    outputs: list[Output] = field(default_factory=list)
    orientations: list[str] = field(default_factory=list)
    """Card ids listed in a result during this turn (for anonymous counts)."""
    opened: list[str] = field(default_factory=list)
    """Card ids whose card a person opened during this turn."""
    visited: list[str] = field(default_factory=list)
    """Step keys run during this turn, in order (messages and branches included): the golden coverage."""
    chosen: list[tuple[str, str]] = field(default_factory=list)
    """(step key, choice id) answered during this turn."""
    now: float = 0.0
    context: TurnContext = field(default_factory=TurnContext)
    effects: list[Effect] = field(default_factory=list)
    """Requests to staff this turn causes (the service writes them with the step, in one transaction)."""
    scrubbed: bool = False
    """Health answers left the state this turn (the store then makes their bytes leave its files)."""


def commune_spellings(content: Content, translations: Translations, lang: str | None) -> dict[str, list[str]]:
    """INSEE code → how people write the commune in ``lang``'s script (its catalog's msgctxt "commune" entry,
    split on '|'); nothing for French or for a language that copies the names unchanged."""
    found = {code: translations.spellings(lang, COMMUNE_CONTEXT, commune.nom)
             for code, commune in content.communes.items()}
    return {code: words for code, words in found.items() if words}


class Engine:
    """Runs conversations over one immutable Content."""

    def __init__(self, content: Content, translations: Translations, *, expiry_seconds: float = DEFAULT_EXPIRY,
                 fallback_language: str = SOURCE_LANGUAGE, routing: Routing | None = None) -> None:
        self.content = content
        self.t = translations
        self.expiry = expiry_seconds
        self.fallback_language = fallback_language
        self._communes: dict[str, CommuneIndex] = {}
        self.sensitive = Sensitive.of(content)
        """Health answers: dropped once the places are chosen (bot/engine/privacy.py)."""
        self.handoff = H.Handoff(content, translations, routing or content.routing, self.sensitive)
        self.prompts = Prompts(content, translations, self.handoff)
        self.selector = Selector(content.cards)

    def commune_index(self, lang: str | None) -> CommuneIndex:
        """The communes as people write them in ``lang``: the French names and aliases, plus the spellings the
        language's catalog gives for each name (msgctxt "commune", split on '|'). Built once per language."""
        lang = lang or SOURCE_LANGUAGE
        if lang not in self._communes:
            self._communes[lang] = CommuneIndex(self.content.communes.values(), self.content.outside,
                                                commune_spellings(self.content, self.t, lang))
        return self._communes[lang]

    # ---- public API -------------------------------------------------------------------------------------
    def new_state(self, now: float) -> State:
        return State(step=self.content.entry, content_version=self.content.version, started_at=now,
                     updated_at=now)

    def handle(self, state: State | None, event: Event, now: float, context: TurnContext | None = None) -> Turn:
        """Apply one event. Never raises for anything a person can send."""
        if state is None or isinstance(event, Start):
            start = event if isinstance(event, Start) else Start()
            turn = self._start(state, start, now)
            turn.context = context or turn.context
            return turn
        state = copy.deepcopy(state)
        turn = Turn(state, now=now, context=context or TurnContext())
        state.turn += 1
        expired = now - state.updated_at > self.expiry and not state.finished
        state.updated_at = now
        if not self._adopt_content(turn):
            return turn
        if expired and state.pending is None and state.history and not isinstance(event, Command):
            state.pending = Pending(RESUME)
            turn.outputs.append(self._ask_pending(state))
            return turn
        self._dispatch(turn, event)
        return turn

    def current(self, state: State) -> list[Output]:
        """Show the current question again (after a restart of the bot, or on request)."""
        turn = Turn(copy.deepcopy(state), now=state.updated_at)
        if not self._adopt_content(turn):
            return turn.outputs
        self._show_current(turn)
        return turn.outputs

    def tr(self, state: State | None, message: str) -> str:
        return self.t.gettext(state.lang if state else None, message)

    # ---- start, content changes ---------------------------------------------------------------------------
    def _start(self, old: State | None, event: Start, now: float) -> Turn:
        payload = event.payload or StartPayload()
        state = self._fresh(old, now, payload)
        turn = Turn(state, now=now)
        if state.lang is None:
            state.lang = self.t.negotiate(event.lang_hint)
        if state.lang is None and len(self.t.codes) > 1:
            state.pending = Pending(LANGUAGE, V_START)
            turn.outputs.append(self._ask_pending(state))
            return turn
        state.lang = state.lang or self.fallback_language
        self._run(turn, state.step)
        return turn

    def _fresh(self, old: State | None, now: float, payload: StartPayload | None = None) -> State:
        """A new conversation that keeps who the person is: language, referent code, a referent's theme."""
        state = self.new_state(now)
        payload = payload or StartPayload()
        if old is not None:
            state.lang, state.lang_chosen = old.lang, old.lang_chosen
            state.referent, state.theme = old.referent, old.theme
        if payload.referent:
            state.referent = payload.referent
        if payload.lang and payload.lang in self.t.codes:
            state.lang, state.lang_chosen = payload.lang, True
        if payload.theme and payload.theme in self.content.themes:
            state.theme = payload.theme
        theme = self.content.themes.get(state.theme) if state.theme else None
        if theme is not None:
            state.answers.update(dict(theme.sets))
            if theme.start:
                state.step = _resolve(theme.start, self.content.entry.split(":")[0], self.content.steps,
                                      self.content.flows) or state.step
        return state

    def _adopt_content(self, turn: Turn) -> bool:
        state = turn.state
        if state.content_version == self.content.version:
            return True
        state.content_version = self.content.version
        if state.step in self.content.steps and all(h.step in self.content.steps for h in state.history):
            state.pending = None if state.pending and state.pending.kind in (CONFIRM,) else state.pending
            return True
        fresh = self._fresh(state, state.updated_at)
        turn.state = fresh
        turn.outputs.append(Say(self.tr(fresh, T.CONTENT_CHANGED)))
        self._run(turn, fresh.step)
        return False

    # ---- dispatch ---------------------------------------------------------------------------------------
    def _dispatch(self, turn: Turn, event: Event) -> None:
        state = turn.state
        if isinstance(event, Command):
            self._command(turn, event.name)
        elif isinstance(event, Press):
            if event.value in NAV_VALUES:
                self._command(turn, NAV_VALUES[event.value])
            elif event.value == H.V_REQUEST and event.token == self._token(state):
                self._command(turn, "human")
            elif event.token != self._token(state):
                turn.outputs.append(Say(self.tr(state, T.OLD_BUTTON)))
                self._show_current(turn)
            else:
                self._answer(turn, event.value, typed=False)
        elif isinstance(event, Text):
            intent = self._intent(state, event.text)
            if intent:
                self._command(turn, intent)
            else:
                self._answer(turn, event.text, typed=True)
        elif isinstance(event, SharedLocation):
            self._location(turn, event.latitude, event.longitude)
        elif isinstance(event, SharedContact):
            self.handoff.contact(self, turn, event.phone, event.own)
        elif isinstance(event, StaffReply):
            self.handoff.staff_reply(self, turn, event.ref, event.text)
        elif isinstance(event, RequestUpdate):
            self.handoff.update(self, turn, event.ref, event.status)
        elif isinstance(event, Unsupported):
            turn.outputs.append(Say(self.tr(state, T.UNSUPPORTED)))
            self._show_current(turn)

    def _command(self, turn: Turn, name: str) -> None:
        state = turn.state
        intents = self.content.intents
        if name == "restart":
            fresh = self._fresh(state, state.updated_at)
            turn.state = fresh
            turn.outputs.append(Say(self.tr(fresh, T.RESTARTED)))
            self._run(turn, fresh.step)
        elif name == "back":
            self._back(turn)
        elif name == "human" and self.handoff.start(self, turn):
            return
        elif name == "cancel":
            self.handoff.cancel(self, turn)
        elif name in ("help", "human") and name in intents:
            turn.outputs.append(Say(self.tr(state, intents[name].message or "")))
            self._show_current(turn)
        elif name == "language":
            state.pending = Pending(LANGUAGE)
            turn.outputs.append(self._ask_pending(state))
        else:
            self._show_current(turn)

    def _back(self, turn: Turn) -> None:
        state = turn.state
        if state.pending and state.pending.value == V_START:  # nothing before the first language question
            turn.outputs.append(self._ask_pending(state))
            return
        if state.pending and state.pending.kind not in (FINISHED, RESUME):
            state.pending = None
            self._show_current(turn)
            return
        state.pending = None
        if not state.history:
            turn.outputs.append(Say(self.tr(state, T.AT_START)))
            self._show_current(turn)
            return
        entry = state.history.pop()
        state.step, state.answers, state.finished = entry.step, dict(entry.answers), False
        state.places, state.shown = [], 0
        self._show_current(turn)

    # ---- answers ----------------------------------------------------------------------------------------
    def _answer(self, turn: Turn, value: str, *, typed: bool) -> None:
        state = turn.state
        if state.pending:
            self._answer_pending(turn, value, typed=typed)
            return
        step = self.content.steps[state.step]
        if state.finished or not step.waits_for_answer:
            self._show_current(turn)  # offers to restart
            return
        if step.kind == "result":
            self._place_answer(turn, step, value, typed=typed)
            return
        if step.kind == "input":
            if not typed:
                self._input_button(turn, step, value)
            else:
                self._commune_typed(turn, step, value)
            return
        if not typed:
            choice = step.choice(value)
            if choice is None:
                turn.outputs.append(Say(self.tr(state, T.OLD_BUTTON)))
                self._show_current(turn)
            else:
                self._choose(turn, step, choice.id)
            return
        match = match_choice(value, self._options(state, step))
        if match.grade is Grade.CLEAR and match.best:
            self._choose(turn, step, match.best.id)
        elif match.grade is Grade.CLOSE and match.best:
            state.pending = Pending(CONFIRM, match.best.id)
            turn.outputs.append(self._ask_pending(state))
        else:
            turn.outputs.append(Say(self.tr(state, T.NOT_UNDERSTOOD)))
            self._show_current(turn)

    def _options(self, state: State, step: Step) -> list[Option]:
        options = []
        for choice in step.choices:
            phrases = [choice.label, self.tr(state, choice.label), *choice.synonyms]
            phrases += self._synonyms(state, choice.synonyms)
            options.append(Option(choice.id, tuple(phrases)))
        return options

    def _synonyms(self, state: State, synonyms: tuple[str, ...]) -> list[str]:
        """Synonyms in the person's language: each French synonym's translation may hold several, split by '|'."""
        found: list[str] = []
        if state.lang and state.lang != SOURCE_LANGUAGE:
            for word in synonyms:
                translated = self.tr(state, word)
                if translated != word:
                    found.extend(w.strip() for w in translated.split("|") if w.strip())
        return found

    def _choose(self, turn: Turn, step: Step, choice_id: str) -> None:
        state = turn.state
        choice = step.choice(choice_id)
        if choice is None:  # content changed under a pending confirmation
            self._show_current(turn)
            return
        state.history.append(HistoryEntry(step.key, dict(state.answers)))
        state.pending = None
        turn.chosen.append((step.key, choice.id))
        state.answers[step.save or step.id] = choice.id
        state.answers.update(dict(choice.sets))
        target = choice.next or step.next
        self._go(turn, step, target)

    def _go(self, turn: Turn, step: Step, target: str | None) -> None:
        if step.end or target is None:
            self._finish(turn)
            return
        key = _resolve(target, step.flow, self.content.steps, self.content.flows)
        if key is None:  # the content check forbids this; stay safe anyway
            self._finish(turn)
            return
        self._run(turn, key)

    # ---- pending side questions -----------------------------------------------------------------------
    def _answer_pending(self, turn: Turn, value: str, *, typed: bool) -> None:
        state = turn.state
        pending = state.pending
        assert pending is not None
        if pending.kind in H.KINDS and (typed and pending.kind in (H.REQ_PHONE, H.THREAD)):
            self.handoff.answer(self, turn, pending.kind, value, typed=True)
            return
        step = self.content.steps[state.step]
        buttons = self._pending_buttons(state)
        if typed:
            picked = self._match_pending(state, value, buttons)
            if picked is None:
                if pending.kind in (CONFIRM_COMMUNE, PICK_COMMUNE, OUTSIDE) and step.kind == "input":
                    state.pending = None
                    self._commune_typed(turn, step, value)
                    return
                turn.outputs.append(Say(self.tr(state, T.NOT_UNDERSTOOD)))
                turn.outputs.append(self._ask_pending(state))
                return
            value = picked
        elif value not in {b.value for b in buttons}:
            turn.outputs.append(Say(self.tr(state, T.OLD_BUTTON)))
            turn.outputs.append(self._ask_pending(state))
            return
        kind = pending.kind
        state.pending = None
        if kind in H.KINDS:
            state.pending = pending
            self.handoff.answer(self, turn, kind, value, typed=False)
        elif kind == LANGUAGE:
            state.lang, state.lang_chosen = value.removeprefix("@"), True
            turn.outputs.append(Say(self.tr(state, T.LANGUAGE_SET)))
            if pending.value == V_START:  # asked before the first step ran: start the conversation now
                self._run(turn, state.step)
            else:
                self._show_current(turn)
        elif kind == RESUME:
            if value == V_RESTART:
                self._command(turn, "restart")
            else:
                self._show_current(turn)
        elif kind == FINISHED:
            self._command(turn, "restart")
        elif kind == CONFIRM:
            if value == V_YES:
                self._choose(turn, step, pending.value)
            else:
                self._show_current(turn)
        elif kind in (CONFIRM_COMMUNE, PICK_COMMUNE):
            if value.startswith("="):
                self._commune_chosen(turn, step, value[1:])
            elif value == V_YES and pending.value:
                self._commune_chosen(turn, step, pending.value)
            else:
                self._show_current(turn)
        elif kind == PICK_TERRITORY:
            state.pending = Pending(PICK_COMMUNE, options=[
                c.code_insee for c in sorted(self.content.communes.values(), key=lambda c: c.nom)
                if c.territoire == value.removeprefix("#")])
            turn.outputs.append(self._ask_pending(state))
        elif kind == OUTSIDE:
            if value == V_SKIP:
                self._commune_chosen(turn, step, None)
            else:
                self._show_current(turn)

    def _match_pending(self, state: State, text: str, buttons: tuple[Button, ...]) -> str | None:
        options = [Option(b.value, (b.label,)) for b in buttons]
        if state.pending and state.pending.kind == LANGUAGE:  # 'arabe', 'Arabic', 'ar' work too
            options = [Option(o.id, self.t.names(o.id.removeprefix("@"))) for o in options]
        if state.pending and state.pending.kind in (CONFIRM, CONFIRM_COMMUNE, RESUME, FINISHED):
            yes = (*T.YES_WORDS.split("|"), *self.tr(state, T.YES_WORDS).split("|"))
            no = (*T.NO_WORDS.split("|"), *self.tr(state, T.NO_WORDS).split("|"))
            options = [Option(o.id, o.phrases + (yes if o.id in (V_YES, V_CONTINUE) else ())
                              + (no if o.id in (V_NO,) else ())) for o in options]
        match = match_choice(text, options)
        return match.best.id if match.grade is Grade.CLEAR and match.best else None

    # ---- communes ---------------------------------------------------------------------------------------
    def _input_button(self, turn: Turn, step: Step, value: str) -> None:
        state = turn.state
        if value == V_LIST:
            state.pending = Pending(PICK_TERRITORY)
            turn.outputs.append(self._ask_pending(state))
        elif value == V_SKIP:
            self._commune_chosen(turn, step, None)
        else:
            turn.outputs.append(Say(self.tr(state, T.OLD_BUTTON)))
            self._show_current(turn)

    def _commune_typed(self, turn: Turn, step: Step, text: str) -> None:
        state = turn.state
        found = self.commune_index(state.lang).resolve(text)
        if found.kind == "found" and found.best:
            self._commune_chosen(turn, step, found.best.code_insee)
        elif found.kind == "close" and found.best:
            state.pending = Pending(CONFIRM_COMMUNE, found.best.code_insee)
            turn.outputs.append(self._ask_pending(state))
        elif found.kind == "ambiguous":
            state.pending = Pending(PICK_COMMUNE, options=[c.code_insee for c in found.candidates])
            turn.outputs.append(self._ask_pending(state))
        elif found.kind == "outside":
            state.pending = Pending(OUTSIDE, found.outside or "")
            town, departement = found.outside or text, self.content.departement_nom(found.departement)
            said = (self.t.format(state.lang, T.COMMUNE_OUTSIDE_IN, town=town, departement=departement)
                    if departement and departement != town  # "Paris (Paris)" says nothing more
                    else self.t.format(state.lang, T.COMMUNE_OUTSIDE, town=town))
            turn.outputs.append(Say(said))
            turn.outputs.append(self._ask_pending(state))
        else:
            turn.outputs.append(Say(self.tr(state, T.COMMUNE_UNKNOWN)))
            self._show_current(turn)

    def _commune_chosen(self, turn: Turn, step: Step, code: str | None) -> None:
        state = turn.state
        state.history.append(HistoryEntry(step.key, dict(state.answers)))
        state.pending = None
        name = step.save or step.id
        commune = self.content.commune(code)
        if commune is None:
            state.answers.pop(name, None)
            state.answers.pop("territoire", None)
        else:
            parent = self.content.commune(commune.deleguee_de)
            if parent:
                turn.outputs.append(Say(self.t.format(state.lang, T.COMMUNE_DELEGATED, old=commune.nom,
                                                      new=parent.nom)))
                commune = parent
            else:
                turn.outputs.append(Say(self.t.format(state.lang, T.COMMUNE_NOTED, commune=commune.nom)))
            state.answers[name] = commune.code_insee
            if commune.territoire:
                state.answers["territoire"] = commune.territoire
        self._go(turn, step, step.next)

    def _location(self, turn: Turn, latitude: float, longitude: float) -> None:
        """A shared position orders the places by distance. It never becomes a commune: no source gives commune
        boundaries, and a guessed town would send the person to the wrong door."""
        state = turn.state
        state.near = f"{round(latitude, 3)},{round(longitude, 3)}"  # about 100 m: enough to order, no more
        step = self.content.steps[state.step]
        if step.kind == "result" and not state.pending and state.places:
            turn.outputs.append(Say(self.tr(state, T.LOCATION_NEAREST)))
            P.remember(state, step, self.selector.reorder(step, P.picks(state, step, self.content),
                                                          parse_point(state.near)), keep_shown=True)
            turn.outputs.append(self._ask_step(state, step))
            return
        turn.outputs.append(Say(self.tr(state, T.LOCATION_UNKNOWN if step.kind == "input" else T.LOCATION_NEAREST)))
        self._show_current(turn)

    # ---- running steps ----------------------------------------------------------------------------------
    def _run(self, turn: Turn, key: str) -> None:
        state = turn.state
        for _ in range(MAX_AUTO_STEPS):
            step = self.content.steps[key]
            state.step = key
            turn.visited.append(key)
            if step.kind == "message":
                text = said(step.phrase, state.answers) if step.phrase else step.text or ""
                turn.outputs.append(Say(self.tr(state, text)))
            elif step.kind == "result":
                if self._show_result(turn, step):
                    return
            elif step.kind == "branch":
                rule = next((r for r in step.branch if r.when.holds(state.answers)), None)
                if rule is None:
                    self._finish(turn)
                    return
                key = _resolve(rule.next, step.flow, self.content.steps, self.content.flows) or key
                continue
            else:
                turn.outputs.append(self._ask_step(state, step))
                return
            if step.end or not step.next:
                self._finish(turn)
                return
            nxt = _resolve(step.next, step.flow, self.content.steps, self.content.flows)
            if nxt is None:
                self._finish(turn)
                return
            key = nxt
        self._finish(turn)

    def _finish(self, turn: Turn) -> None:
        turn.state.finished = True
        turn.state.pending = None
        turn.outputs.append(Finished())

    def select_places(self, step: Step, answers: dict[str, str], near: str | None = None) -> list[Pick]:
        return self.selector.select(step, answers, parse_point(near))

    def _show_result(self, turn: Turn, step: Step) -> bool:
        """List the places for these answers; True when the list waits for a press (False: nothing to show)."""
        state = turn.state
        picks = self.select_places(step, state.answers, state.near)
        if step.text:
            turn.outputs.append(Say(self.tr(state, step.text)))
        if not picks:
            turn.outputs.append(Say(self.tr(state, T.NO_CARDS)))
            return False
        P.remember(state, step, picks)
        turn.orientations.extend(p.card.id for p in picks[:state.shown])
        turn.scrubbed = self.sensitive.scrub(state)  # the places are chosen: health answers leave the conversation
        turn.outputs.append(self._ask_step(state, step))
        return True

    def _place_answer(self, turn: Turn, step: Step, value: str, *, typed: bool) -> None:
        """A press (or typed words) on the list: open a place, see more, or end with the next step."""
        state = turn.state
        buttons = self.prompts.places.buttons(state, step)
        if typed:
            options = [Option(b.value, (b.label, *self._place_words(state, b.value))) for b in buttons]
            match = match_choice(value, options)
            if match.grade is not Grade.CLEAR or match.best is None:
                turn.outputs.append(Say(self.tr(state, T.NOT_UNDERSTOOD)))
                self._show_current(turn)
                return
            value = match.best.id
            if value == H.V_REQUEST:  # typed like the « be called » button: the same as pressing it
                self._command(turn, "human")
                return
        elif value not in {b.value for b in buttons}:
            turn.outputs.append(Say(self.tr(state, T.OLD_BUTTON)))
            self._show_current(turn)
            return
        if value == P.V_MORE:
            before = state.shown
            state.shown = min(len(state.places), state.shown + P.FIRST)
            turn.orientations.extend(p.card.id for p in P.listed(state, step, self.content)[before:state.shown])
            turn.outputs.append(self._ask_step(state, step))
        elif value == P.V_DONE:
            reminder = self.prompts.places.next_step(state, step)
            turn.outputs.append(Say("👉 " + self.t.format(state.lang, T.REMINDER, next=reminder)))
            self._go(turn, step, step.next)
        else:
            index = int(value.removeprefix(P.V_PLACE))
            place = next(p for p in P.listed(state, step, self.content) if p.index == index)
            turn.outputs.append(render_card(place.card, self.content, state.lang, self.t, answers=state.answers,
                                            now=turn.now))
            turn.opened.append(place.card.id)
            turn.outputs.append(self.prompts.ask_step(state, step, again=True))

    def _place_words(self, state: State, value: str) -> list[str]:
        if value == H.V_REQUEST:
            return [T.REQ_BUTTON, self.tr(state, T.REQ_BUTTON)]
        words = {P.V_MORE: T.PLACES_MORE_WORDS, P.V_DONE: T.PLACES_DONE_WORDS}.get(value)
        if words is None:
            index = int(value.removeprefix(P.V_PLACE))
            card = next((p.card for p in P.listed(state, self.content.steps[state.step], self.content)
                         if p.index == index), None)
            return [card.nom, self.tr(state, card.nom)] if card else []
        return [*words.split("|"), *self.tr(state, words).split("|")]

    # ---- asking ---------------------------------------------------------------------------------------
    def show_current(self, turn: Turn) -> None:
        self._show_current(turn)

    def _show_current(self, turn: Turn) -> None:
        state = turn.state
        if state.pending:
            turn.outputs.append(self._ask_pending(state))
            return
        step = self.content.steps[state.step]
        if state.finished or not step.waits_for_answer:
            state.pending = Pending(FINISHED)
            turn.outputs.append(self._ask_pending(state))
            return
        turn.outputs.append(self._ask_step(state, step))

    def _token(self, state: State) -> str:
        return self.prompts.token(state)

    def _ask_step(self, state: State, step: Step) -> Ask:
        return self.prompts.ask_step(state, step)

    def _ask_pending(self, state: State) -> Ask:
        return self.prompts.ask_pending(state)

    def _pending_buttons(self, state: State) -> tuple[Button, ...]:
        return self.prompts.pending_buttons(state)

    # ---- typed words that work everywhere ------------------------------------------------------------------
    def _intent(self, state: State, text: str) -> str | None:
        norm = normalize(text)
        if not norm:
            return None
        for name, intent in self.content.intents.items():
            words = [intent.label, self.tr(state, intent.label), *intent.synonyms,
                     *self._synonyms(state, intent.synonyms)]
            if any(norm == normalize(w) for w in words if w):
                return name
        return None
