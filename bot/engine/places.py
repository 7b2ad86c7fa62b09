"""The end of a conversation: a short list of places, ranked for this person, each opening its card.

The list is one message: one line per place (its emoji, its name, a few words tied to the answers), at most
three at first, then the one next step that fits the answers. A button per place opens its card; "see other
places" adds the next three; "that's all" ends with the next step said once more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..content import Card, Content, Step
from ..content.selection import Pick
from ..i18n import Translations
from . import texts as T
from .handoff import V_REQUEST, Handoff
from .outputs import Ask, Button
from .render import said
from .state import State

FIRST = 3
"""Places shown at first (and added by each "see other places")."""
V_PLACE = "~"
"""Button value prefix: '~0' opens the first place of the list."""
V_MORE, V_DONE = "!more", "!done"


@dataclass(frozen=True, slots=True)
class Listed:
    """A place of the person's list, read back from the state."""

    index: int
    card: Card
    emoji: str
    reason: str | None


def remember(state: State, step: Step, picks: Sequence[Pick], *, keep_shown: bool = False) -> None:
    """Keep the ranked list in the state: card ids with the rule that chose each (its emoji and reason)."""
    rules = {rule: index for index, rule in enumerate(step.card_rules)}
    state.places = [f"{pick.card.id}|{rules.get(pick.rule, 0)}" for pick in picks]
    state.shown = min(max(state.shown, FIRST) if keep_shown else FIRST, len(picks))


def picks(state: State, step: Step, content: Content) -> list[Pick]:
    """The places of the state as picks (card and the rule that chose it), those the content still has."""
    found = []
    for entry in state.places:
        card_id, _, rule_text = entry.partition("|")
        card = content.cards.get(card_id)
        if card is not None and rule_text.isdigit() and int(rule_text) < len(step.card_rules):
            found.append(Pick(card, step.card_rules[int(rule_text)]))
    return found


def listed(state: State, step: Step, content: Content) -> list[Listed]:
    """The places of the state that the content still has, in their order."""
    found = []
    for index, entry in enumerate(state.places):
        card_id, _, rule_text = entry.partition("|")
        card = content.cards.get(card_id)
        if card is None:
            continue
        rule = step.card_rules[int(rule_text)] if rule_text.isdigit() and int(rule_text) < len(step.card_rules) \
            else None
        emoji = (rule.emoji if rule and rule.emoji else "") or card.emoji or "📍"
        found.append(Listed(index, card, emoji, rule.raison if rule else None))
    return found


class PlacesPrompt:
    """Builds the list question in the person's language."""

    def __init__(self, content: Content, translations: Translations, handoff: Handoff) -> None:
        self.content = content
        self.t = translations
        self.handoff = handoff

    def tr(self, state: State, message: str) -> str:
        return self.t.gettext(state.lang, message)

    def buttons(self, state: State, step: Step) -> tuple[Button, ...]:
        places = listed(state, step, self.content)
        shown = places[:max(state.shown, 1)]
        buttons = [Button(f"{V_PLACE}{p.index}", self.tr(state, p.card.nom_court or p.card.nom), p.emoji)
                   for p in shown]
        if self.handoff.offered(state):  # a real person: first of all for someone without a referent
            request = Button(V_REQUEST, self.tr(state, T.REQ_BUTTON), "🧑")
            buttons.insert(0 if self.handoff.first_for(state) else len(buttons), request)
        if len(places) > len(shown):
            buttons.append(Button(V_MORE, self.tr(state, T.PLACES_MORE), "➕"))
        buttons.append(Button(V_DONE, self.tr(state, T.PLACES_DONE), "✅"))
        return tuple(buttons)

    def text(self, state: State, step: Step, *, again: bool = False) -> str:
        places = listed(state, step, self.content)
        shown = places[:max(state.shown, 1)]
        if again:
            return f"👇 {self.tr(state, T.PLACES_AGAIN)}"
        if not shown:
            return self.tr(state, T.NO_CARDS)
        head = self.tr(state, T.PLACES_ONE) if len(shown) == 1 else \
            self.t.format(state.lang, T.PLACES_MANY, count=str(len(shown)))
        lines = [f"{head} 👇"]
        for number, place in enumerate(shown, start=1):
            # Isolated in a right-to-left language: a line starting with a Latin name would be laid out left to right.
            name = self.t.isolate(state.lang, self.tr(state, place.card.nom))
            reason = f" — {self.tr(state, place.reason)}" if place.reason else ""
            lines.append(f"{number}. {place.emoji} {name}{reason}")
        lines += ["", f"👉 {self.next_step(state, step)}"]
        return "\n".join(lines)

    def next_step(self, state: State, step: Step) -> str:
        """The one next step of the conversation: the first place's, in the words that fit the answers."""
        places = listed(state, step, self.content)
        if not places:
            return self.tr(state, T.NO_CARDS)
        return self.tr(state, said(places[0].card.prochaine_etape, state.answers))

    def ask(self, state: State, step: Step, token: str, nav: tuple[Button, ...], *, again: bool = False) -> Ask:
        return Ask(self.text(state, step, again=again), self.buttons(state, step), token, nav)
