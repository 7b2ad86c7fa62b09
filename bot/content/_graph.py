"""Second pass: the flows as a graph, checked against each other and against the cards."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

from ._fields import unknown_value_fix
from .errors import (
    ChoiceWithoutBranch,
    ContentError,
    DeadEnd,
    EmptyResult,
    NoDefaultBranch,
    UnknownCard,
    UnknownTag,
    UnknownTarget,
    UnknownValue,
    UnknownVariable,
    UnreachableStep,
)
from .models import Card, CardRule, Flow, Guard, Step, Theme, When, Where

BUILTIN_ANSWERS: dict[str, frozenset[str] | None] = {"territoire": None, "commune": None}
"""Answers the engine sets itself; None means any value."""


def resolve_target(target: str, flow: str, steps: Mapping[str, Step], flows: Mapping[str, Flow]) -> str | None:
    if ":" in target:
        return target if target in steps else None
    if f"{flow}:{target}" in steps:
        return f"{flow}:{target}"
    if target in flows:
        return flows[target].start
    return None


def _target(target: str, flow: str, where: Where, steps: Mapping[str, Step], flows: Mapping[str, Flow],
            errors: list[ContentError]) -> str | None:
    key = resolve_target(target, flow, steps, flows)
    if key is None:
        known = [s.id for s in steps.values() if s.flow == flow] + list(flows)
        errors.append(UnknownTarget(where.file, where.line, f"'next: {target}' names no step or flow",
                                    unknown_value_fix(target, known, "steps and flows")))
    return key


def successors(step: Step, steps: Mapping[str, Step], flows: Mapping[str, Flow],
               errors: list[ContentError]) -> list[str]:
    targets: list[tuple[str, Where]] = []
    if step.next:
        targets.append((step.next, step.where))
    for choice in step.choices:
        if choice.next:
            targets.append((choice.next, choice.where))
    for rule in step.branch:
        targets.append((rule.next, rule.where))
    found = [_target(t, step.flow, w, steps, flows, errors) for t, w in targets]
    return [k for k in found if k]


def _check_exits(step: Step, errors: list[ContentError]) -> None:
    where = step.where
    if step.kind == "question" and not step.next:
        for choice in step.choices:
            if not choice.next and not step.end:
                errors.append(ChoiceWithoutBranch(
                    choice.where.file, choice.where.line,
                    f"the choice '{choice.id}' of step '{step.id}' leads nowhere",
                    "add 'next: …' to the choice, or a 'next: …' to the step for all its choices."))
    elif step.kind == "branch":
        if not step.branch or step.branch[-1].when.alternatives:
            errors.append(NoDefaultBranch(where.file, where.line,
                                          f"the branch '{step.id}' has no rule for the other cases",
                                          "end the branch with a rule without 'when', e.g. '- next: commune'."))
    elif step.kind in ("message", "result", "input") and not step.next and not step.end:
        errors.append(DeadEnd(where.file, where.line, f"the step '{step.id}' stops the conversation",
                              "add 'next: …' to go on, or 'end: true' if the conversation ends here."))


def _answers(steps: Mapping[str, Step], themes: Mapping[str, Theme]) -> dict[str, set[str] | None]:
    known: dict[str, set[str] | None] = {k: (set(v) if v is not None else None) for k, v in BUILTIN_ANSWERS.items()}
    for step in steps.values():
        if step.kind == "question" and step.save:
            values = known.setdefault(step.save, set())
            if values is not None:
                values.update(c.id for c in step.choices)
        if step.kind == "input" and step.save:
            known[step.save] = None
        for choice in step.choices:
            for name, value in choice.sets:
                values = known.setdefault(name, set())
                if values is not None:
                    values.add(value)
    for theme in themes.values():
        for name, value in theme.sets:
            values = known.setdefault(name, set())
            if values is not None:
                values.add(value)
    return known


def _check_when(when: When, where: Where, known: dict[str, set[str] | None], errors: list[ContentError]) -> None:
    for alt in when.alternatives:
        for name, values in alt:
            if name not in known:
                errors.append(UnknownVariable(where.file, where.line, f"'when' uses '{name}', which no question saves",
                                              unknown_value_fix(name, known, "answer names")))
                continue
            accepted = known[name]
            for value in sorted(values):
                if accepted is not None and value not in accepted:
                    errors.append(UnknownValue(where.file, where.line,
                                               f"'{name}' is never '{value}' (no choice has this id)",
                                               unknown_value_fix(value, accepted, f"values of {name}")))


def rule_candidates(rule: CardRule, cards: Mapping[str, Card]) -> list[Card]:
    """Cards a rule can select, before the commune filter, in the order it shows them."""
    chosen = [cards[c] for c in rule.cards if c in cards]
    if rule.tags or rule.thematiques or rule.publics:
        for card in sorted(cards.values(), key=lambda c: c.id):
            if rule.tags and not set(rule.tags) & set(card.tags):
                continue
            if rule.thematiques and not set(rule.thematiques) & set(card.thematiques):
                continue
            if rule.publics and not set(rule.publics) & set(card.publics):
                continue
            if card not in chosen:
                chosen.append(card)
    return chosen


def _check_result(step: Step, cards: Mapping[str, Card], errors: list[ContentError]) -> None:
    all_tags = {t for c in cards.values() for t in c.tags}
    for rule in step.card_rules:
        w = rule.where
        for card_id in (*rule.cards, *([rule.otherwise] if rule.otherwise else [])):
            if card_id not in cards:
                errors.append(UnknownCard(w.file, w.line, f"no card has the id '{card_id}'",
                                          unknown_value_fix(card_id, cards, "card ids")))
        for tag in rule.tags:
            if tag not in all_tags:
                errors.append(UnknownTag(w.file, w.line, f"no card has the tag '{tag}'",
                                         unknown_value_fix(tag, all_tags, "tags")))
        if not rule_candidates(rule, cards) and not rule.otherwise:
            errors.append(EmptyResult(w.file, w.line, "this card rule can select no card",
                                      "widen 'tags'/'thematiques'/'publics', or add 'otherwise: <card id>'."))


def check_graph(entry: str | None, flows: Mapping[str, Flow], steps: Mapping[str, Step],
                cards: Mapping[str, Card], themes: Mapping[str, Theme], errors: list[ContentError],
                guards: tuple[Guard, ...] = ()) -> None:
    edges = {key: successors(step, steps, flows, errors) for key, step in steps.items()}
    starts: list[str] = []
    if entry:
        start = flows[entry].start if entry in flows else (entry if entry in steps else None)
        if start:
            starts.append(start)
    for theme in themes.values():
        if theme.start:
            key = _target(theme.start, entry or "", theme.where, steps, flows, errors)
            if key:
                starts.append(key)
    seen: set[str] = set()
    queue = deque(starts)
    while queue:
        key = queue.popleft()
        if key in seen:
            continue
        seen.add(key)
        queue.extend(edges.get(key, []))
    known = _answers(steps, themes)
    for key, step in steps.items():
        _check_exits(step, errors)
        if step.kind == "result":
            _check_result(step, cards, errors)
        for rule in step.branch:
            _check_when(rule.when, rule.where, known, errors)
        for card_rule in step.card_rules:
            _check_when(card_rule.when, card_rule.where, known, errors)
            needs = known.get("besoin") or set()
            if card_rule.besoin and card_rule.besoin not in needs:
                errors.append(UnknownValue(card_rule.where.file, card_rule.where.line,
                                           f"'besoin: {card_rule.besoin}' is no choice of the question that saves "
                                           "'besoin'", unknown_value_fix(card_rule.besoin, needs, "needs")))
        for variant in step.phrase.variants if step.phrase else ():
            _check_when(variant.when, variant.where, known, errors)
        if starts and key not in seen:
            errors.append(UnreachableStep(step.where.file, step.where.line,
                                          f"no path leads to the step '{step.id}' of flow '{step.flow}'",
                                          "point a 'next:' at it, or remove it."))
    for guard in guards:
        _check_when(guard.when, guard.where, known, errors)
    for card in cards.values():
        for phrase in (card.texte, card.pour_qui, card.prochaine_etape):
            for variant in phrase.variants:
                _check_when(variant.when, variant.where, known, errors)
