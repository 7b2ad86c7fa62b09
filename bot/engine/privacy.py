"""Health answers (GDPR art. 9): used to pick the places, then dropped from the conversation.

The flows mark them: a question marked `sensible` (every answer to it is health data), or one choice marked
`sensible` (« Santé ou handicap » among the needs). A referent's theme that presets such an answer (a poster for
people with a disability) is health data too. Once the result list is made, the state keeps none of them: not in
the answers, not in the answers kept for « back », not as the theme. Counts of places that only a health answer
chose are kept without territory, referent code or language, so that no one can be picked out of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content import Content
from ..content.models import When
from .state import State


@dataclass(frozen=True, slots=True)
class Sensitive:
    whole: frozenset[str] = frozenset()
    """Answer names every value of which is health data (a question marked `sensible`)."""
    values: frozenset[tuple[str, str]] = frozenset()
    """(answer name, value) pairs that are health data (a choice marked `sensible`, a theme that presets one)."""
    themes: frozenset[str] = frozenset()
    """Themes whose preset answers include health data."""
    rules: frozenset[tuple[str, int]] = frozenset()
    """(result step key, index of its card rule) of the rules whose condition reads a health answer."""

    @classmethod
    def of(cls, content: Content) -> Sensitive:
        whole = {step.save or step.id for step in content.steps.values() if step.sensitive}
        values = {(step.save or step.id, choice.id) for step in content.steps.values() for choice in step.choices
                  if choice.sensitive}
        themes = {theme.id for theme in content.themes.values()
                  if any(name in whole or (name, value) in values for name, value in theme.sets)}
        values |= {("theme", theme) for theme in themes}
        found = cls(frozenset(whole), frozenset(values), frozenset(themes))
        rules = {(step.key, index) for step in content.steps.values() for index, rule in enumerate(step.card_rules)
                 if found.reads(rule.when)}
        return cls(found.whole, found.values, found.themes, frozenset(rules))

    @property
    def any(self) -> bool:
        return bool(self.whole or self.values)

    def holds(self, name: str, value: str | None) -> bool:
        return name in self.whole or (value is not None and (name, value) in self.values)

    def reads(self, when: When) -> bool:
        """The condition can only hold for someone with a health answer."""
        return any(any(self.holds(name, value) for value in values) for alt in when.alternatives
                   for name, values in alt)

    def drop(self, answers: dict[str, str]) -> bool:
        gone = [name for name, value in answers.items() if self.holds(name, value)]
        for name in gone:
            del answers[name]
        return bool(gone)

    def scrub(self, state: State) -> bool:
        """Drop every health answer from the state; True when there was one."""
        dropped = self.drop(state.answers)
        for entry in state.history:
            dropped = self.drop(entry.answers) or dropped
        if state.theme in self.themes:
            state.theme = None
            dropped = True
        return dropped

    def discreet_cards(self, state: State) -> frozenset[str]:
        """The places of the list that a health answer chose (their counts carry no territory, referent, language)."""
        found = set()
        for entry in state.places:
            card, _, rule = entry.partition("|")
            if rule.isdigit() and (state.step, int(rule)) in self.rules:
                found.add(card)
        return frozenset(found)
