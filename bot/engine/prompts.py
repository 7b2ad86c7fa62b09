"""What the engine asks: the questions of the flows and its own side questions, with their buttons.

Side questions (state.pending) come before a step can go on: confirm a guess, pick a commune, choose a language,
continue after a pause… Their kinds and the button values the engine defines live here.
"""

from __future__ import annotations

from ..content import Content, Step
from ..i18n import Translations
from . import texts as T
from .handoff import KINDS as REQUEST_KINDS
from .handoff import Handoff
from .outputs import Ask, Button
from .places import PlacesPrompt
from .state import State

# Pending kinds
CONFIRM = "confirm"
CONFIRM_COMMUNE = "confirm-commune"
PICK_COMMUNE = "pick-commune"
PICK_TERRITORY = "pick-territory"
OUTSIDE = "outside"
LANGUAGE = "language"
RESUME = "resume"
FINISHED = "finished"
# Button values the engine itself defines; question choices use their own ids (never starting with '!').
V_YES, V_NO = "!yes", "!no"
V_BACK, V_RESTART, V_LANGUAGE, V_HUMAN = "!back", "!restart", "!language", "!human"
V_CONTINUE, V_LIST, V_SKIP, V_RETYPE = "!continue", "!list", "!skip", "!retype"
V_START = "!start"
"""Pending value of the language question asked before the conversation started."""
NAV_VALUES = {V_BACK: "back", V_RESTART: "restart", V_LANGUAGE: "language", V_HUMAN: "human"}



class Prompts:
    """Builds every Ask in the person's language."""

    def __init__(self, content: Content, translations: Translations, handoff: Handoff) -> None:
        self.content = content
        self.t = translations
        self.handoff = handoff
        self.places = PlacesPrompt(content, translations, handoff)

    def tr(self, state: State, message: str) -> str:
        return self.t.gettext(state.lang, message)

    def token(self, state: State) -> str:
        """Which question a button belongs to: a button of another question is refused."""
        pending = f"#{state.pending.kind}" if state.pending else ""
        return f"{state.step}{pending}"

    def nav(self, state: State) -> tuple[Button, ...]:
        intents = self.content.intents
        buttons = []
        for value, name in NAV_VALUES.items():
            if name == "back" and not state.history:
                continue
            if name == "language" and len(self.t.codes) < 2:
                continue
            intent = intents[name]
            buttons.append(Button(value, self.tr(state, intent.label), intent.emoji))
        return tuple(buttons)

    def ask_step(self, state: State, step: Step, *, again: bool = False) -> Ask:
        if step.kind == "result":
            return self.places.ask(state, step, self.token(state), self.nav(state), again=again)
        text = f"{step.emoji} {self.tr(state, step.text or '')}".strip()
        if step.kind == "input":
            hint = self.tr(state, T.COMMUNE_HINT)
            tools = (Button(V_LIST, self.tr(state, T.COMMUNE_LIST), "📋"),
                     Button(V_SKIP, self.tr(state, T.COMMUNE_SKIP), "➡️"))
            return Ask(f"{text}\n{hint}", tools, self.token(state), self.nav(state), free_text=True)
        buttons = tuple(Button(c.id, self.tr(state, c.label), c.emoji) for c in step.choices)
        return Ask(text, buttons, self.token(state), self.nav(state))

    def pending_buttons(self, state: State) -> tuple[Button, ...]:
        pending = state.pending
        assert pending is not None
        if pending.kind in REQUEST_KINDS:
            return self.handoff.buttons(state)
        def tr(message: str) -> str:
            return self.tr(state, message)

        if pending.kind == LANGUAGE:
            return tuple(Button(f"@{lang.code}", lang.name) for lang in self.t.languages)
        if pending.kind in (CONFIRM, CONFIRM_COMMUNE):
            return (Button(V_YES, tr(T.YES), "✅"), Button(V_NO, tr(T.NO), "❌"))
        if pending.kind == PICK_COMMUNE:
            communes = [self.content.communes[c] for c in pending.options if c in self.content.communes]
            return (*(Button(f"={c.code_insee}", c.nom, "🏠") for c in communes),
                    Button(V_NO, tr(T.COMMUNE_NONE_OF_THESE), "❌"))
        if pending.kind == PICK_TERRITORY:
            return tuple(Button(f"#{t.id}", t.nom, "🗺️") for t in self.content.territories.values())
        if pending.kind == OUTSIDE:
            return (Button(V_RETYPE, tr(T.COMMUNE_RETYPE), "✏️"), Button(V_SKIP, tr(T.COMMUNE_SKIP), "➡️"))
        if pending.kind == RESUME:
            return (Button(V_CONTINUE, tr(T.CONTINUE), "▶️"), Button(V_RESTART, tr(T.RESTART), "🔄"))
        return (Button(V_RESTART, tr(T.RESTART), "🔄"),)  # FINISHED

    def pending_text(self, state: State) -> str:
        pending = state.pending
        assert pending is not None
        if pending.kind in REQUEST_KINDS:
            return self.handoff.text(state)
        def tr(message: str) -> str:
            return self.tr(state, message)

        if pending.kind == LANGUAGE:
            lines = dict.fromkeys(self.t.gettext(lang.code, T.ASK_LANGUAGE) for lang in self.t.languages)
            return "🌍 " + "\n".join(lines)
        if pending.kind == CONFIRM:
            step = self.content.steps[state.step]
            choice = step.choice(pending.value)
            answer = f"{choice.emoji} {tr(choice.label)}".strip() if choice else pending.value
            return self.t.format(state.lang, T.DID_YOU_MEAN, answer=answer)
        if pending.kind == CONFIRM_COMMUNE:
            commune = self.content.commune(pending.value)
            return self.t.format(state.lang, T.DID_YOU_MEAN, answer=commune.nom if commune else pending.value)
        if pending.kind == PICK_COMMUNE:
            return tr(T.PICK_COMMUNE) if len(pending.options) > 3 else tr(T.COMMUNE_WHICH)
        if pending.kind == PICK_TERRITORY:
            return tr(T.PICK_TERRITORY)
        if pending.kind == OUTSIDE:
            return tr(T.COMMUNE_OUTSIDE_NEXT)
        if pending.kind == RESUME:
            return tr(T.WELCOME_BACK)
        return tr(T.FINISHED)

    def ask_pending(self, state: State) -> Ask:
        nav = () if state.pending and state.pending.kind == LANGUAGE else self.nav(state)
        if state.pending and state.pending.kind in REQUEST_KINDS:
            return self.handoff.ask(state, self.token(state), nav)
        return Ask(self.pending_text(state), self.pending_buttons(state), self.token(state), nav)
