"""Third pass: every path a person can take, walked. Each must show places, each place a next step that fits.

A path is every answer of every question (and each referent theme's presets), with a town of each territory or
no town. On each, the result must list at least one place for every commune, each place shown must have a next
step for those answers (a `prochaine_etape` variant that holds), no guard of flows/_global.yaml may be broken
(e.g. "ask your referent" said to a person who has none), and the conversation may not end before a result.
Communes that no card tells apart are walked once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from ._graph import resolve_target
from .errors import ContentError, EmptyResult, GuardBroken, NoNextStep
from .models import Card, Commune, Flow, Guard, Step, Theme
from .selection import Pick, Selector

MAX_STATES = 250_000
"""A guard against a flow so large that walking it would hang `check`."""
NONE = ""
"""The territory of 'no town given'."""

Answers = dict[str, str]
K = TypeVar("K")


@dataclass
class _Findings:
    """One error per card, guard or step, with one example path and the number of paths."""

    empty: dict[str, tuple[str, int]] = field(default_factory=dict)
    no_next: dict[str, tuple[str, int]] = field(default_factory=dict)
    broken: dict[tuple[str, int], tuple[str, int]] = field(default_factory=dict)
    ends: dict[str, tuple[str, int]] = field(default_factory=dict)



def _add(table: dict[K, tuple[str, int]], key: K, example: str) -> None:
    first, count = table.get(key, (example, 0))
    table[key] = (first, count + 1)


def describe(answers: Mapping[str, str], commune: Commune | None = None) -> str:
    shown = [f"{k}={v}" for k, v in sorted(answers.items()) if k not in ("commune", "territoire")]
    shown.append(f"commune={commune.nom}" if commune else "no town")
    return ", ".join(shown)


@lru_cache(maxsize=4096)
def _normal(text: str) -> str:
    from ..matching.normalize import normalize  # matching depends on content; imported late

    return f" {normalize(text)} "


def _word_start(word: str) -> str:
    """' referent': matches 'référent', 'référente', 'référents' as whole words or word starts."""
    return _normal(word).rstrip()


class _Walker:
    def __init__(self, steps: Mapping[str, Step], flows: Mapping[str, Flow], cards: Mapping[str, Card],
                 communes: Mapping[str, Commune], guards: tuple[Guard, ...]) -> None:
        self.steps, self.flows = steps, flows
        self.selector = Selector(cards)
        self.guards = guards
        self.guard_words = [[_word_start(w) for w in g.words] for g in guards]
        self.classes = _commune_classes(communes, cards)
        self.found = _Findings()
        self._picks: dict[tuple[str, frozenset[str], str], list[Pick]] = {}
        self._checked: set[tuple[str, tuple[str | None, ...]]] = set()
        guard_names = {name for g in guards for name in g.when.names()}
        self._relevant = {card.id: tuple(sorted(guard_names | {name for v in card.prochaine_etape.variants
                                                               for name in v.when.names()}))
                          for card in cards.values()}
        """The answers a card's next step (and the guards) look at: other answers cannot change its check."""

    def walk(self, starts: Iterable[tuple[str, Answers]]) -> bool:
        stack = [(key, answers, False) for key, answers in starts]
        seen: set[tuple[str, frozenset[tuple[str, str]], bool]] = set()
        while stack:
            key, answers, shown = stack.pop()
            mark = (key, frozenset(answers.items()), shown)
            if mark in seen:
                continue
            seen.add(mark)
            if len(seen) > MAX_STATES:
                return False
            step = self.steps[key]
            for target, after, now_shown in self._moves(step, answers, shown):
                nxt = resolve_target(target, step.flow, self.steps, self.flows) if target else None
                if nxt is None:
                    if not now_shown:
                        _add(self.found.ends, step.key, describe(after))
                    continue
                stack.append((nxt, after, now_shown))
        return True

    def _moves(self, step: Step, answers: Answers, shown: bool) -> Iterable[tuple[str | None, Answers, bool]]:
        if step.kind == "question":
            for choice in step.choices:
                yield choice.next or step.next, {**answers, step.save or step.id: choice.id, **dict(choice.sets)}, shown
        elif step.kind == "input":
            name = step.save or step.id
            for territory in self.classes:
                after = {k: v for k, v in answers.items() if k not in (name, "territoire")}
                if territory != NONE:
                    after |= {name: f"*{territory}", "territoire": territory}
                yield step.next, after, shown
        elif step.kind == "branch":
            rule = next((r for r in step.branch if r.when.holds(answers)), None)
            yield (rule.next if rule else None), answers, shown
        elif step.kind == "result":
            self._result(step, answers)
            yield (None if step.end else step.next), answers, True
        else:
            yield (None if step.end else step.next), answers, shown

    def _result(self, step: Step, answers: Answers) -> None:
        territory = answers.get("territoire", NONE)
        holding = frozenset(str(i) for i, r in enumerate(step.card_rules) if r.when.holds(answers))
        for signature, commune in self.classes.get(territory, {}).items():
            key = (step.key, holding, signature)
            if key not in self._picks:
                real = {**answers, "commune": commune.code_insee} if commune else \
                    {k: v for k, v in answers.items() if k != "commune"}
                self._picks[key] = self.selector.select(step, real)
            picks = self._picks[key]
            if not picks:
                _add(self.found.empty, step.key, describe(answers, commune))
            for pick in picks:
                self._card(pick.card, answers, commune)

    def _card(self, card: Card, answers: Answers, commune: Commune | None) -> None:
        mark = (card.id, tuple(answers.get(name) for name in self._relevant[card.id]))
        if mark in self._checked:
            return
        self._checked.add(mark)
        text = card.prochaine_etape.resolve(answers)
        if not text:
            _add(self.found.no_next, card.id, describe(answers, commune))
            return
        for index, guard in enumerate(self.guards):
            if guard.when.holds(answers) and self._says(text, index):
                _add(self.found.broken, (card.id, index), describe(answers, commune))

    @lru_cache(maxsize=4096)  # noqa: B019 - one walker per check, dropped after it
    def _says(self, text: str, guard: int) -> bool:
        normal = _normal(text)
        return any(w.strip() and w in normal for w in self.guard_words[guard])


def _commune_classes(communes: Mapping[str, Commune],
                     cards: Mapping[str, Card]) -> dict[str, dict[str, Commune | None]]:
    """territory → one commune per set of cards serving it (communes no card tells apart are the same walk)."""
    classes: dict[str, dict[str, Commune | None]] = {NONE: {"": None}}
    for commune in sorted(communes.values(), key=lambda c: c.code_insee):
        if commune.deleguee_de or not commune.territoire:
            continue  # a commune déléguée resolves to its commune nouvelle
        signature = ",".join(sorted(c.id for c in cards.values() if commune.code_insee in c.zone_communes))
        classes.setdefault(commune.territoire, {}).setdefault(signature, commune)
    return classes


def check_paths(start: str, steps: Mapping[str, Step], flows: Mapping[str, Flow], cards: Mapping[str, Card],
                communes: Mapping[str, Commune], themes: Mapping[str, Theme], guards: tuple[Guard, ...],
                errors: list[ContentError]) -> None:
    walker = _Walker(steps, flows, cards, communes, guards)
    starts: list[tuple[str, Answers]] = [(start, {})]
    for theme in themes.values():
        first = resolve_target(theme.start, start.split(":", maxsplit=1)[0], steps, flows) if theme.start else start
        starts.append((first or start, dict(theme.sets)))
    if not walker.walk(starts):
        step = steps[start]
        errors.append(NoNextStep(step.where.file, step.where.line, f"the flows have more than {MAX_STATES} paths: "
                                 "they could not all be checked", "split the questions into smaller flows."))
        return
    found = walker.found
    for key, (example, count) in found.empty.items():
        step = steps[key]
        errors.append(EmptyResult(step.where.file, step.where.line,
                                  f"the result '{step.id}' shows no place in {count} case(s), e.g. {example}",
                                  "add a rule for these answers, or an 'otherwise: <card id>' to a rule."))
    for card_id, (example, count) in found.no_next.items():
        card = cards[card_id]
        where = card.prochaine_etape.variants[-1].where if card.prochaine_etape.variants else card.where
        errors.append(NoNextStep(where.file, where.line,
                                 f"card {card_id} has no next step in {count} case(s), e.g. {example}",
                                 "add a last 'prochaine_etape' variant without 'when'."))
    for (card_id, index), (example, count) in found.broken.items():
        card, guard = cards[card_id], guards[index]
        where = card.prochaine_etape.variants[0].where if card.prochaine_etape.variants else card.where
        errors.append(GuardBroken(where.file, where.line,
                                  f"the next step of card {card_id} says '{'/'.join(guard.words)}' to people it must "
                                  f"not ({guard.why}; guard at {guard.where}) in {count} case(s), e.g. {example}",
                                  f"add a variant first: '- when: …' for these answers, with a next step that does "
                                  f"not rely on '{guard.words[0]}'."))
    for key, (example, count) in found.ends.items():
        step = steps[key]
        errors.append(NoNextStep(step.where.file, step.where.line,
                                 f"the conversation can end at '{step.id}' before any place is shown ({count} "
                                 f"case(s), e.g. {example})", "lead this path to a result step before it ends."))
