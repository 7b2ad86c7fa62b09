"""Conditions on the answers (`when:`), shared by branches, card rules, texts and guards."""

from __future__ import annotations

from typing import Any

from ._yaml import LineDict, LineList
from .errors import BadValue, ContentError, UnknownField, WrongType
from .models import Phrase, Variant, When, Where


def parse_when(raw: Any, file: str, line: int, errors: list[ContentError]) -> When:
    if raw is None:
        return When()
    alternatives = raw if isinstance(raw, list) else [raw]
    parsed = []
    for alt in alternatives:
        if not isinstance(alt, LineDict) or not alt:
            errors.append(WrongType(file, getattr(alt, "line", line), "'when' must be {name: value} pairs",
                                    "write 'when: {francais: un-peu}' or 'when: {francais: [un-peu, non]}'."))
            continue
        condition = []
        for name, values in alt.items():
            accepted = frozenset(_text(v) for v in values) if isinstance(values, list) else frozenset({_text(values)})
            condition.append((str(name), accepted))
        parsed.append(tuple(condition))
    return When(tuple(parsed))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def parse_phrase(raw: Any, file: str, line: int, errors: list[ContentError], what: str) -> Phrase | None:
    """A text, or a list of `{when: …, texte: …}` said in order: the first whose condition holds."""
    if raw is None or raw in ("", []):
        return None
    if isinstance(raw, (str, int, float)) and not isinstance(raw, bool):
        return Phrase.plain(str(raw).strip(), Where(file, line))
    if not isinstance(raw, LineList):
        errors.append(WrongType(file, line, f"{what} must be a text or a list of variants",
                                "write one text, or '- when: {referent: oui}' / '  texte: …' items."))
        return None
    variants: list[Variant] = []
    for index, item in enumerate(raw):
        item_line = raw.line_of(index)
        if not isinstance(item, LineDict) or not isinstance(item.get("texte"), str) or not item["texte"].strip():
            errors.append(WrongType(file, item_line, f"a variant of {what} needs 'texte'",
                                    "write '- when: {referent: oui}' then '  texte: …' (the last one without 'when')."))
            continue
        unknown = sorted(set(item) - {"when", "texte"})
        if unknown:
            errors.append(UnknownField(file, item.line_of(unknown[0]), f"a variant of {what} has an unknown field "
                                       f"'{unknown[0]}'", "a variant has only 'when' and 'texte'."))
        when = parse_when(item.get("when"), file, item_line, errors)
        variants.append(Variant(when, item["texte"].strip(), Where(file, item_line)))
    for variant in variants[:-1]:
        if not variant.when.alternatives:
            errors.append(BadValue(file, variant.where.line, f"a variant of {what} without 'when' hides the ones "
                                   "after it", "move the variant without 'when' to the end of the list."))
    return Phrase(tuple(variants)) if variants else None
