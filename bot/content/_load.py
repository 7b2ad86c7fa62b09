"""Load a content folder (flows/ + knowledge/) into a frozen Content, or the full list of its errors."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from ._flows import load_flow, load_global
from ._graph import check_graph
from ._knowledge import load_card, load_communes
from ._outside import OUTSIDE_FILE, load_outside
from ._paths import check_paths
from ._routing import load_routing
from .errors import BadPhone, ContentError, ContentInvalid, DuplicateId, MissingField, UnknownTarget
from .import_mapping import check_import_mappings
from .models import Card, Commune, Content, Flow, Guard, Intent, Step, Territory, Theme, Where
from .phones import invalid_numbers
from .routing import ROUTING_FILE, Routing

GLOBAL_FILE = "_global.yaml"


@dataclass
class LoadReport:
    content: Content | None
    errors: list[ContentError] = field(default_factory=list)


IMPORTED_DIR = "knowledge/imported"
"""Cards written by an importer (`python -m bot import …`): checked like the others, overridden by hand cards."""


def _files(root: Path) -> list[Path]:
    return sorted([*root.glob("flows/*.yaml"), *root.glob("knowledge/*.yaml"), *root.glob("knowledge/services/*.yaml"),
                   *root.glob(f"{IMPORTED_DIR}/*.yaml")])


def content_version(root: Path) -> str:
    digest = hashlib.sha256()
    for path in _files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def collect(root: Path) -> LoadReport:
    """Read everything, collect every error; build Content only when there are none."""
    errors: list[ContentError] = []
    root = Path(root)

    def rel(path: Path) -> str:
        return path.relative_to(root).as_posix()

    communes_path = root / "knowledge" / "communes.yaml"
    if not communes_path.exists():
        errors.append(MissingField(rel(communes_path) if communes_path.is_relative_to(root) else str(communes_path),
                                   1, "the communes file is missing",
                                   f"put knowledge/communes.yaml in {root} (or point --content at the right folder)."))
        return LoadReport(None, errors)
    territories, communes = load_communes(communes_path, rel(communes_path), errors)
    outside_path = root / "knowledge" / OUTSIDE_FILE
    departements, outside = (load_outside(outside_path, rel(outside_path), errors, communes)
                             if outside_path.exists() else ({}, []))

    cards = _cards(root, rel, errors, territories, communes)
    check_import_mappings(root, errors, territories)
    routing_path = root / "knowledge" / ROUTING_FILE
    routing = (load_routing(routing_path, rel(routing_path), errors, cards, communes, territories)
               if routing_path.exists() else Routing())

    global_path = root / "flows" / GLOBAL_FILE
    entry: str | None = None
    intents: dict[str, Intent] = {}
    themes: dict[str, Theme] = {}
    guards: tuple[Guard, ...] = ()
    if global_path.exists():
        entry, intents, themes, guards = load_global(global_path, rel(global_path), errors)
    else:
        errors.append(MissingField(f"flows/{GLOBAL_FILE}", 1, "the global file is missing",
                                   "create flows/_global.yaml with 'start:', 'intents:' and 'themes:'."))
    flows: dict[str, Flow] = {}
    steps: dict[str, Step] = {}
    for path in sorted((root / "flows").glob("*.yaml")):
        if path.name == GLOBAL_FILE:
            continue
        flow, flow_steps = load_flow(path, rel(path), errors)
        if flow is None:
            continue
        if flow.id in flows:
            errors.append(DuplicateId(flow.where.file, flow.where.line, f"the flow name '{flow.id}' is already used in "
                                      f"{flows[flow.id].where.file}", "give each flow file its own 'flow:' name."))
            continue
        flows[flow.id] = flow
        steps.update({s.key: s for s in flow_steps})
    if entry and entry not in flows:
        errors.append(UnknownTarget(f"flows/{GLOBAL_FILE}", 1, f"'start: {entry}' names no flow",
                                    f"use one of: {', '.join(sorted(flows))}."))
    check_graph(entry, flows, steps, cards, themes, errors, guards)
    _check_numbers(cards, steps, intents, errors)
    if not errors and entry:
        check_paths(flows[entry].start, steps, flows, cards, communes, themes, guards, errors)
    if errors or not entry:
        return LoadReport(None, errors)
    content = Content(
        version=content_version(root),
        entry=flows[entry].start,
        flows=MappingProxyType(flows),
        steps=MappingProxyType(steps),
        cards=MappingProxyType(cards),
        communes=MappingProxyType(communes),
        territories=MappingProxyType(territories),
        outside=tuple(outside),
        departements=MappingProxyType(departements),
        intents=MappingProxyType(intents),
        themes=MappingProxyType(themes),
        files=tuple(rel(p) for p in _files(root)),
        guards=guards,
        routing=routing,
    )
    return LoadReport(content, errors)


def _cards(root: Path, rel: Callable[[Path], str], errors: list[ContentError],
           territories: dict[str, Territory], communes: dict[str, Commune]) -> dict[str, Card]:
    """Hand-written cards, then imported ones that no hand card replaces; disabled cards are checked, not kept."""
    cards: dict[str, Card] = {}
    for path in sorted((root / "knowledge" / "services").glob("*.yaml")):
        card = load_card(path, rel(path), errors, territories, communes)
        if card:
            cards[card.id] = card
    replaced = {key for card in cards.values() for key in card.remplace}
    for path in sorted((root / IMPORTED_DIR).glob("*.yaml")):
        card = load_card(path, rel(path), errors, territories, communes, imported=True)
        if card is None or card.id in cards:
            continue
        if card.provenance is None:
            errors.append(MissingField(rel(path), card.where.line, f"the imported card {card.id} has no provenance",
                                       "re-run the importer, or move a hand-written card to knowledge/services/."))
        elif card.provenance.key in replaced:
            continue
        cards[card.id] = card
    return {key: card for key, card in cards.items() if card.actif}


def _check_numbers(cards: dict[str, Card], steps: dict[str, Step], intents: dict[str, Intent],
                   errors: list[ContentError]) -> None:
    """Every phone number written in a text must be a real number: the channels make each one tappable."""
    texts: list[tuple[str, Where]] = [(v.text, v.where) for card in cards.values()
                                      for phrase in (card.texte, card.pour_qui, card.prochaine_etape)
                                      for v in phrase.variants]
    texts += [(v.text, v.where) for step in steps.values() if step.phrase for v in step.phrase.variants]
    texts += [(step.text, step.where) for step in steps.values() if step.text and not step.phrase]
    texts += [(i.message, i.where) for i in intents.values() if i.message]
    for text, where in texts:
        for number in invalid_numbers(text):
            errors.append(BadPhone(where.file, where.line, f"'{number}' looks like a phone number but is not a "
                                   "valid French number: people could not call it",
                                   "copy the number from the source again, e.g. '01 43 93 93 93'."))


def load_content(root: Path) -> Content:
    report = collect(root)
    if report.content is None:
        raise ContentInvalid(report.errors)
    return report.content
