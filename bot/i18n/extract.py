"""Find the texts people read in the content YAML, for Babel and for `check`.

Registered as the Babel extractor ``bot_yaml`` (pyproject.toml), so ``pybabel extract -F babel.cfg`` puts YAML
and Python strings in one template. Each text comes with its line and a comment telling the translator what it
is. Translated: flows (message, question, choice label and synonyms, the reason of each result rule),
_global.yaml intents (label, message, synonyms), service cards (nom, nom_court, texte, pour_qui, prochaine_etape,
lieu, a_apporter; every variant of a text that depends on the answers) and the names of the
communes of knowledge/communes.yaml, in the msgctxt "commune": never shown translated, they list how people write
the town in their script, so that "بوندي" finds Bondy. Never translated: ids, addresses, source titles and the
long data·inclusion description, which is not shown.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO, Any, Literal

import yaml

from ..content._yaml import LineDict, LineList, parse_yaml
from . import COMMUNE_CONTEXT, message_key

Kind = Literal["text", "synonym"]
SYNONYM_NOTE = ("synonym: translate with words people type, several separated by | "
                "(e.g. oui → yes|yeah|ok); never shown to people.")
CARD_FIELDS = {
    "nom": "title (a proper name may stay as it is)",
    "nom_court": "short name on the place's button (a proper name may stay as it is)",
    "texte": "one-sentence summary",
    "pour_qui": "who it is for",
    "prochaine_etape": "what the person can do next",
    "lieu": "where it is, described in words (keep proper names and town names as they are)",
}
COMMUNE_NOTE = ("town name: how people write this town in your script, several spellings separated by |; "
                "for languages written in Latin letters copy the name unchanged. Never shown to people.")
PGETTEXT = "pgettext"
"""The Babel keyword whose spec ((1, 'c'), 2) reads (context, message): how the extractor hands over a msgctxt."""


@dataclass(frozen=True, slots=True)
class Found:
    """One translatable text of a YAML file."""

    line: int
    message: str
    comment: str
    kind: Kind = "text"
    context: str | None = None
    """msgctxt: "commune" for town names, else none."""

    @property
    def key(self) -> str:
        """The entry's key in `check` and in Translations (message_key)."""
        return message_key(self.message, self.context)

    @property
    def comments(self) -> list[str]:
        """What the translator reads above the entry (Babel merges the same note of several places)."""
        if self.context == COMMUNE_CONTEXT:
            return [self.comment, COMMUNE_NOTE]
        return [self.comment, SYNONYM_NOTE] if self.kind == "synonym" else [self.comment]


IMPORTED_CARDS = "knowledge/imported/"


def extract_yaml(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any],
) -> Iterator[tuple[int, str | None, str | tuple[str, str], list[str]]]:
    """Babel extractor: yield (line, funcname, message, comments) for each translatable YAML text; a text with a
    msgctxt comes as Babel's pgettext call, (line, 'pgettext', (context, message), comments)."""
    name = str(getattr(fileobj, "name", "") or options.get("display", "content.yaml"))
    if display_name(name).startswith(IMPORTED_CARDS):
        return  # imported cards are shown as their source wrote them: not in the catalogs
    for found in yaml_texts(fileobj.read().decode("utf-8"), display_name(name)):
        if found.context:
            yield found.line, PGETTEXT, (found.context, found.message), found.comments
        else:
            yield found.line, None, found.message, found.comments


def display_name(path: str | PurePath) -> str:
    """'/repo/flows/accueil.yaml' → 'flows/accueil.yaml' (the way the content check names files)."""
    parts = PurePath(path).parts
    for top in ("flows", "knowledge"):
        if top in parts:
            index = len(parts) - 1 - parts[::-1].index(top)
            return "/".join(parts[index:])
    return PurePath(path).name


def yaml_file_texts(path: Path, display: str | None = None) -> list[Found]:
    return list(yaml_texts(path.read_text(encoding="utf-8"), display or display_name(path)))


def yaml_texts(text: str, display: str) -> Iterator[Found]:
    """Every translatable text of one content file, in file order. A file that does not parse yields nothing
    (the content check reports it)."""
    try:
        top = parse_yaml(text)  # the project safe loader: keeps lines
    except yaml.YAMLError:
        return
    if not isinstance(top, LineDict):
        return
    found: list[Found] = []
    if isinstance(top.get("steps"), LineList):
        found += _flow(top["steps"], display)
    if isinstance(top.get("intents"), LineDict):
        found += _intents(top["intents"], display)
    if "nom" in top and "texte" in top:
        found += _card(top, display)
    if isinstance(top.get("communes"), LineList):
        found += _communes(top["communes"], display)
    yield from sorted(found, key=lambda f: f.line)


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _texts(block: LineDict, key: str) -> Iterator[tuple[int, str]]:
    """(line, text) of a text field, of each item of a list field, or of each variant (`- when: …, texte: …`)."""
    value = block.get(key)
    if isinstance(value, LineList):
        for index, item in enumerate(value):
            if isinstance(item, LineDict) and "texte" in item:
                text = _scalar(item["texte"])
                if text:
                    yield item.line_of("texte"), text
                continue
            text = _scalar(item)
            if text:
                yield value.line_of(index), text
    else:
        text = _scalar(value)
        if text:
            yield block.line_of(key), text


def _synonyms(block: LineDict, comment: str) -> Iterator[Found]:
    for line, text in _texts(block, "synonyms"):
        yield Found(line, text, comment, "synonym")


def _flow(steps: LineList, display: str) -> Iterator[Found]:
    for step in steps:
        if not isinstance(step, LineDict):
            continue
        step_id = _scalar(step.get("id")) or "?"
        for key in ("message", "question"):
            for line, text in _texts(step, key):
                yield Found(line, text, f"{display}: {key} of step {step_id}")
        rules = step.get("cards")
        for rule in rules if isinstance(rules, LineList) else ():
            if isinstance(rule, LineDict):
                for line, text in _texts(rule, "raison"):
                    yield Found(line, text, f"{display}: why these places are shown, after a place's name "
                                            "in the result list (a few words, lowercase)")
        choices = step.get("choices")
        if not isinstance(choices, LineList):
            continue
        for choice in choices:
            if not isinstance(choice, LineDict):
                continue
            choice_id = _scalar(choice.get("id")) or "?"
            for line, text in _texts(choice, "label"):
                yield Found(line, text, f"{display}: button '{choice_id}' of step {step_id} (short)")
            yield from _synonyms(choice, f"{display}: synonym of answer '{choice_id}' of step {step_id}")


def _intents(intents: LineDict, display: str) -> Iterator[Found]:
    for name, intent in intents.items():
        if not isinstance(intent, LineDict):
            continue
        for line, text in _texts(intent, "label"):
            yield Found(line, text, f"{display}: button '{name}', shown at every step (short)")
        for line, text in _texts(intent, "message"):
            yield Found(line, text, f"{display}: what the bot says for '{name}'")
        yield from _synonyms(intent, f"{display}: synonym of '{name}', typed at any step")


def _card(card: LineDict, display: str) -> Iterator[Found]:
    card_id = _scalar(card.get("id")) or PurePath(display).stem
    for key, what in CARD_FIELDS.items():
        for line, text in _texts(card, key):
            yield Found(line, text, f"{display}: card {card_id}, {what}")
    for line, text in _texts(card, "a_apporter"):
        yield Found(line, text, f"{display}: card {card_id}, one thing to bring (short)")


def _communes(communes: LineList, display: str) -> Iterator[Found]:
    """Each commune's name (not the towns outside the département): translated as the spellings people type."""
    for commune in communes:
        if isinstance(commune, LineDict):
            code = _scalar(commune.get("code_insee")) or "?"
            for line, text in _texts(commune, "nom"):
                yield Found(line, text, f"{display}: name of the commune {code}", "synonym", COMMUNE_CONTEXT)
