"""Build flows, global intents and themes from flows/ (shape pass)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ._conditions import parse_phrase, parse_when
from ._fields import Fields, unknown_value_fix
from ._yaml import LineDict, LineList, load_yaml
from .errors import BadValue, ContentError, DuplicateId, MissingField, WrongType, YamlSyntaxError
from .models import INTENT_NAMES, BranchRule, CardRule, Choice, Flow, Guard, Intent, Step, Theme, Where

STEP_FIELDS = {"id", "message", "question", "emoji", "choices", "input", "save", "next", "branch", "cards", "end",
               "sensible"}
CHOICE_FIELDS = {"id", "label", "emoji", "synonyms", "next", "set", "sensible"}
CARD_RULE_FIELDS = {"when", "tags", "thematiques", "publics", "cards", "otherwise", "emoji", "raison", "besoin"}
GLOBAL_FIELDS = {"start", "intents", "themes", "guards"}
INTENT_FIELDS = {"label", "emoji", "synonyms", "message"}
GUARD_FIELDS = {"when", "never", "why"}
INPUT_KINDS = {"commune"}
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _parse_choice(line: int, raw: Any, file: str, errors: list[ContentError]) -> Choice | None:
    f = Fields(raw, file, errors, "a choice", line)
    f.allow_only(CHOICE_FIELDS)
    choice_id, label = f.text("id", required=True), f.text("label", required=True)
    if not choice_id or not label:
        return None
    if not _ID.match(choice_id):
        errors.append(BadValue(file, f.line_of("id"), f"the choice id '{choice_id}' has odd characters",
                               "use lowercase letters, digits, '-' and '_' only."))
    return Choice(choice_id, label, f.text("emoji", default="") or "", f.texts("synonyms"), f.text("next"),
                  f.mapping("set"), Where(file, f.line), f.flag("sensible", False))


def _parse_step(flow_id: str, line: int, raw: Any, file: str, errors: list[ContentError]) -> Step | None:
    f = Fields(raw, file, errors, "a step", line)
    f.allow_only(STEP_FIELDS)
    step_id = f.text("id", required=True)
    if not step_id:
        return None
    where = Where(file, f.line)
    if not _ID.match(step_id):
        errors.append(BadValue(file, f.line_of("id"), f"the step id '{step_id}' has odd characters",
                               "use lowercase letters, digits, '-' and '_' only."))
    common: dict[str, Any] = {
        "key": f"{flow_id}:{step_id}", "flow": flow_id, "id": step_id, "where": where,
        "emoji": f.text("emoji", default="") or "", "next": f.text("next"), "end": f.flag("end", False),
        "sensitive": f.flag("sensible", False),
    }
    if f.has("choices"):
        choices = [c for ln, item in f.items("choices") if (c := _parse_choice(ln, item, file, errors))]
        seen: set[str] = set()
        for choice in choices:
            if choice.id in seen:
                errors.append(DuplicateId(file, choice.where.line, f"two choices of step '{step_id}' use the id "
                                          f"'{choice.id}'", "give each choice its own id."))
            seen.add(choice.id)
        return Step(kind="question", text=f.text("question", required=True), choices=tuple(choices),
                    save=f.text("save", default=step_id), **common)
    if f.has("input"):
        kind = f.text("input") or ""
        if kind not in INPUT_KINDS:
            errors.append(BadValue(file, f.line_of("input"), f"unknown input kind '{kind}'",
                                   unknown_value_fix(kind, INPUT_KINDS, "input kinds")))
        return Step(kind="input", text=f.text("question", required=True), input=kind,
                    save=f.text("save", default=step_id), **common)
    if f.has("branch"):
        rules = []
        for ln, item in f.items("branch"):
            rf = Fields(item, file, errors, "a branch rule", ln)
            rf.allow_only({"when", "next"})
            target = rf.text("next", required=True)
            if target:
                rules.append(BranchRule(parse_when(rf.block.get("when"), file, ln, errors), target, Where(file, ln)))
        return Step(kind="branch", branch=tuple(rules), **common)
    if f.has("cards"):
        card_rules: list[CardRule] = []
        for ln, item in f.items("cards"):
            rf = Fields(item, file, errors, "a card rule", ln)
            rf.allow_only(CARD_RULE_FIELDS)
            rule = CardRule(parse_when(rf.block.get("when"), file, ln, errors), rf.texts("tags"),
                            rf.texts("thematiques"), rf.texts("publics"), rf.texts("cards"),
                            rf.text("otherwise"), Where(file, ln), rf.text("emoji", default="") or "",
                            rf.text("raison"), rf.text("besoin"))
            if not (rule.tags or rule.thematiques or rule.publics or rule.cards):
                errors.append(MissingField(file, ln, "a card rule selects nothing",
                                           "add 'tags: […]', 'thematiques: […]', 'publics: […]' or 'cards: […]'."))
            card_rules.append(rule)
        return Step(kind="result", text=f.text("message"), card_rules=tuple(card_rules), **common)
    if f.has("question"):
        errors.append(MissingField(file, f.line, f"step '{step_id}' asks a question but offers no answer",
                                   "add 'choices:' (buttons) or 'input: commune' (typed answer)."))
        return None
    phrase = parse_phrase(f.block.get("message"), file, f.line_of("message"), errors, "'message'")
    if phrase is None:
        errors.append(MissingField(file, f.line, "a step needs 'message'", "add a line 'message: …' to a step."))
        return None
    return Step(kind="message", text=phrase.default, phrase=phrase, **common)


def load_flow(path: Path, display: str, errors: list[ContentError]) -> tuple[Flow | None, list[Step]]:
    try:
        raw = load_yaml(path, display)
    except YamlSyntaxError as exc:
        errors.append(exc)
        return None, []
    top = Fields(raw, display, errors, f"flow file {path.name}")
    top.allow_only({"flow", "start", "steps"})
    flow_id = top.text("flow", required=True) or path.stem
    steps: list[Step] = []
    seen: dict[str, int] = {}
    for line, item in top.items("steps", required=True):
        step = _parse_step(flow_id, line, item, display, errors)
        if step is None:
            continue
        if step.id in seen:
            errors.append(DuplicateId(display, step.where.line, f"the step id '{step.id}' is already used "
                                      f"at line {seen[step.id]}", "give each step its own id."))
            continue
        seen[step.id] = step.where.line
        steps.append(step)
    if not steps:
        return None, []
    start = top.text("start") or steps[0].id
    if start not in seen:
        errors.append(BadValue(display, top.line_of("start"), f"'start: {start}' is not a step of this flow",
                               unknown_value_fix(start, seen, "steps")))
        start = steps[0].id
    flow = Flow(flow_id, f"{flow_id}:{start}", tuple(s.key for s in steps), Where(display, top.line))
    return flow, steps


def load_global(
    path: Path, display: str, errors: list[ContentError]
) -> tuple[str | None, dict[str, Intent], dict[str, Theme], tuple[Guard, ...]]:
    intents: dict[str, Intent] = {}
    themes: dict[str, Theme] = {}
    try:
        raw = load_yaml(path, display)
    except YamlSyntaxError as exc:
        errors.append(exc)
        return None, intents, themes, ()
    top = Fields(raw, display, errors, "the global file")
    top.allow_only(GLOBAL_FIELDS)
    start = top.text("start", required=True)
    block = top.block.get("intents")
    if isinstance(block, LineDict):
        for name, item in block.items():
            line = block.line_of(name)
            if name not in INTENT_NAMES:
                errors.append(BadValue(display, line, f"unknown intent '{name}'",
                                       unknown_value_fix(name, INTENT_NAMES, "intents")))
                continue
            f = Fields(item, display, errors, f"intent {name}", line)
            f.allow_only(INTENT_FIELDS)
            intents[name] = Intent(name, f.text("label", required=True) or name, f.text("emoji", default="") or "",
                                   f.texts("synonyms"), f.text("message"), Where(display, line))
    for name in INTENT_NAMES:
        if name not in intents:
            errors.append(MissingField(display, top.line_of("intents"), f"the intent '{name}' is missing",
                                       f"add '{name}: {{label: …, emoji: …, synonyms: […]}}' under intents."))
    for name in ("help", "human"):
        if name in intents and not intents[name].message:
            errors.append(MissingField(display, intents[name].where.line, f"the intent '{name}' needs a message",
                                       "add 'message: …' with what the bot should say."))
    block = top.block.get("themes")
    if isinstance(block, LineDict):
        for name, item in block.items():
            line = block.line_of(name)
            f = Fields(item, display, errors, f"theme {name}", line)
            f.allow_only({"set", "start"})
            themes[name] = Theme(str(name), f.mapping("set"), f.text("start"), Where(display, line))
    elif block is not None and not isinstance(block, LineList):
        errors.append(WrongType(display, top.line_of("themes"), "'themes' must be a block of named themes",
                                "write 'themes:' then '  francais: {set: {theme: francais}}'."))
    guards = []
    for line, item in top.items("guards"):
        g = Fields(item, display, errors, "a guard", line)
        g.allow_only(GUARD_FIELDS)
        words, why = g.texts("never", required=True), g.text("why", required=True)
        if "when" not in g.block:
            errors.append(MissingField(display, line, "a guard needs 'when'", "add 'when: {referent: [non]}'."))
        elif words and why:
            guards.append(Guard(parse_when(g.block.get("when"), display, line, errors), words, why,
                                Where(display, line)))
    return start, intents, themes, tuple(guards)
