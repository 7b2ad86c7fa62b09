"""Plain French sentences built from what a source gives: the card's short text, who it is for, the next step."""

from __future__ import annotations

import re

from ..content.phones import invalid_numbers

SHORT_TEXT_LIMIT = 160
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"(\*\*|__|`|^#+\s*|^\s*[-*•]\s+|^\s*\d+[.)]\s+)", re.MULTILINE)
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?…](?=\s+[A-ZÀ-ÖØ-Þ«\"(]|\s*$)")


def plain(text: str) -> str:
    """Markdown (DORA writes it) and line breaks flattened to one line of text."""
    text = _LINK.sub(r"\1", text)
    text = _MARKUP.sub("", text)
    return _SPACES.sub(" ", text).strip()


def first_sentence(text: str, limit: int = SHORT_TEXT_LIMIT) -> str:
    """The first sentence, whole when it fits; else cut at a word and closed with '…'."""
    flat = plain(text)
    if not flat:
        return ""
    end = _SENTENCE_END.search(flat)
    sentence = flat[: end.end()] if end else flat
    if len(sentence) <= limit:
        return sentence if sentence[-1] in ".!?…" else f"{sentence}."
    cut = sentence[: limit - 1]
    cut = cut[: cut.rfind(" ")] if " " in cut else cut
    return f"{cut.rstrip(' ,;:-–')}…"


def short_text(description: str | None, fallback: str) -> tuple[str, str | None]:
    """(texte, why the description was not used) — a text with a number no phone can call is not said."""
    sentence = first_sentence(description or "")
    if not sentence:
        return fallback, None
    if invalid_numbers(sentence):
        return fallback, "the first sentence of its description holds a phone number that is not valid"
    return sentence, None


def who_for(labels: list[str], everyone: bool) -> str:
    if everyone:
        return "Ouvert à tous."
    if not labels:
        return "La source ne dit pas pour qui est ce service."
    return f"Pour : {', '.join(labels)}."


def next_step(*, telephone: str | None, adresse: str | None, commune: str | None, site: str | None,
              courriel: str | None) -> str | None:
    """Call, go, visit or write, from what is known: at most two ways, the easiest first."""
    steps: list[str] = []
    if telephone:
        steps.append(f"Appelez le {telephone}.")
    if adresse:
        steps.append(f"Allez à cette adresse : {adresse}, {commune}." if commune else
                     f"Allez à cette adresse : {adresse}.")
    if site and len(steps) < 2:
        steps.append(f"Allez sur le site {site}." if not steps else f"Ou allez sur le site {site}.")
    if courriel and len(steps) < 2:
        steps.append(f"Écrivez à {courriel}.")
    if not steps:
        return None
    if len(steps) == 2 and not steps[1].startswith("Ou "):
        steps[1] = f"Ou {steps[1][0].lower()}{steps[1][1:]}"
    return " ".join(steps[:2])
