"""Frozen content models: what the loader builds from YAML, once, before anything runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

from .routing import Routing

StepKind = Literal["message", "question", "input", "branch", "result"]
Condition = tuple[tuple[str, frozenset[str]], ...]
"""All (answer name, accepted values) pairs must hold."""


@dataclass(frozen=True, slots=True)
class Where:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True)
class When:
    """Any of the alternatives holds (an empty When always holds)."""

    alternatives: tuple[Condition, ...] = ()

    def holds(self, answers: dict[str, str]) -> bool:
        if not self.alternatives:
            return True
        return any(all(answers.get(name) in values for name, values in alt) for alt in self.alternatives)

    def names(self) -> set[str]:
        return {name for alt in self.alternatives for name, _ in alt}


@dataclass(frozen=True, slots=True)
class Variant:
    """One wording of a text, said when its condition holds."""

    when: When
    text: str
    where: Where


@dataclass(frozen=True, slots=True)
class Phrase:
    """A text that may depend on the answers: the first variant whose `when` holds is said.

    Written in YAML as plain text (one variant that always holds) or as a list of `{when: …, texte: …}`.
    """

    variants: tuple[Variant, ...]

    @classmethod
    def plain(cls, text: str, where: Where = Where("", 0)) -> Phrase:
        return cls((Variant(When(), text, where),))

    def resolve(self, answers: dict[str, str]) -> str | None:
        return next((v.text for v in self.variants if v.when.holds(answers)), None)

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(v.text for v in self.variants)

    @property
    def default(self) -> str:
        """The wording for no answer at all (the last variant without a condition, else the first)."""
        plain = [v.text for v in self.variants if not v.when.alternatives]
        return plain[-1] if plain else (self.variants[0].text if self.variants else "")

    def __bool__(self) -> bool:
        return any(v.text for v in self.variants)


@dataclass(frozen=True, slots=True)
class Territory:
    id: str
    nom: str


@dataclass(frozen=True, slots=True)
class Commune:
    code_insee: str
    nom: str
    codes_postaux: tuple[str, ...]
    territoire: str | None
    alias: tuple[str, ...] = ()
    deleguee_de: str | None = None
    where: Where = Where("", 0)


@dataclass(frozen=True, slots=True)
class Departement:
    code: str
    """COG code: "92", "2A", "974"."""
    nom: str


@dataclass(frozen=True, slots=True)
class OutsideTown:
    """A town outside the département that people may name: the bot says so, and where it is."""

    nom: str
    alias: tuple[str, ...] = ()
    departement: str | None = None
    """Its département's code; the name is in Content.departements when a source gave it."""
    codes_postaux: tuple[str, ...] = ()
    where: Where = Where("", 0)


@dataclass(frozen=True, slots=True)
class SourceDate:
    """The source's own date: a year, a month or a day ('2014', '2020-12', '2026-01-14')."""

    year: int
    month: int | None = None
    day: int | None = None

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        if self.day:
            return date(self.year, self.month or 1, self.day)
        if self.month:
            following = date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date(self.year, 12, 31)

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"


@dataclass(frozen=True, slots=True)
class Source:
    titre: str
    url: str | None = None
    date: SourceDate | None = None
    champs: tuple[str, ...] = ()
    """The card fields this source gives (telephone, adresse…): a field shows the year of an old source."""


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where an imported card comes from (data·inclusion and other directories)."""

    source: str
    id: str
    date_maj: date | None = None
    lien: str | None = None

    @property
    def key(self) -> str:
        return f"{self.source}:{self.id}"


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    nom: str
    texte: Phrase
    pour_qui: Phrase
    prochaine_etape: Phrase
    tags: tuple[str, ...]
    zone_eligibilite: tuple[str, ...]
    zone_communes: frozenset[str]
    """INSEE codes the card serves, '93' and territories expanded."""
    sources: tuple[Source, ...]
    verifie_le: date
    where: Where
    description: str | None = None
    thematiques: tuple[str, ...] = ()
    publics: tuple[str, ...] = ()
    frais: str | None = None
    modes_accueil: tuple[str, ...] = ()
    zone_confirmee: bool = True
    lieu: str | None = None
    adresse: str | None = None
    complement_adresse: str | None = None
    code_postal: str | None = None
    code_insee: str | None = None
    commune: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    telephone: str | None = None
    courriel: str | None = None
    site_web: str | None = None
    horaires_accueil: str | None = None
    a_apporter: tuple[str, ...] = ()
    emoji: str = ""
    nom_court: str | None = None
    """The name in the short list and on its button (the full name stays the card's title)."""
    provenance: Provenance | None = None
    remplace: tuple[str, ...] = ()
    """Imported cards this hand-written card replaces ('data-inclusion:dora--123')."""
    actif: bool = True
    imported: bool = False

    @property
    def is_department_wide(self) -> bool:
        return "93" in self.zone_eligibilite

    def sources_for(self, field_name: str) -> tuple[Source, ...]:
        return tuple(s for s in self.sources if field_name in s.champs)


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    label: str
    emoji: str
    synonyms: tuple[str, ...]
    next: str | None
    sets: tuple[tuple[str, str], ...]
    where: Where
    sensitive: bool = False
    """This answer is health data (GDPR art. 9): used to pick places, then dropped; sent to staff only if ticked."""


@dataclass(frozen=True, slots=True)
class BranchRule:
    when: When
    next: str
    where: Where


@dataclass(frozen=True, slots=True)
class CardRule:
    when: When
    tags: tuple[str, ...]
    thematiques: tuple[str, ...]
    publics: tuple[str, ...]
    cards: tuple[str, ...]
    otherwise: str | None
    where: Where
    emoji: str = ""
    raison: str | None = None
    """Why these places are shown, in a few words tied to the answers ("pour apprendre le français")."""
    besoin: str | None = None
    """The need this rule answers (a choice id of the question that saves 'besoin'): what a request to be
    contacted says the person looks for."""


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    """'flow:id', unique across flows."""
    flow: str
    id: str
    kind: StepKind
    where: Where
    text: str | None = None
    """The message (message/result steps) or the question."""
    phrase: Phrase | None = None
    """The message of a message step, when it depends on the answers (text is then its default)."""
    emoji: str = ""
    choices: tuple[Choice, ...] = ()
    input: str | None = None
    save: str | None = None
    next: str | None = None
    branch: tuple[BranchRule, ...] = ()
    card_rules: tuple[CardRule, ...] = ()
    end: bool = False
    sensitive: bool = False
    """Every answer to this question is health data (GDPR art. 9): see Choice.sensitive."""

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    @property
    def waits_for_answer(self) -> bool:
        return self.kind in ("question", "input", "result")


@dataclass(frozen=True, slots=True)
class Flow:
    id: str
    start: str
    steps: tuple[str, ...]
    where: Where


@dataclass(frozen=True, slots=True)
class Intent:
    name: str
    label: str
    emoji: str
    synonyms: tuple[str, ...]
    message: str | None
    where: Where


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    sets: tuple[tuple[str, str], ...]
    start: str | None
    where: Where


INTENT_NAMES = ("back", "restart", "help", "human", "language")


@dataclass(frozen=True, slots=True)
class Guard:
    """Words a next step must never use for people whose answers match (`check` enforces it on every path)."""

    when: When
    words: tuple[str, ...]
    why: str
    where: Where


@dataclass(frozen=True, slots=True)
class Content:
    version: str
    """Short hash of every content file: a saved state names the content it was made with."""
    entry: str
    flows: MappingProxyType[str, Flow]
    steps: MappingProxyType[str, Step]
    cards: MappingProxyType[str, Card]
    communes: MappingProxyType[str, Commune]
    territories: MappingProxyType[str, Territory]
    outside: tuple[OutsideTown, ...]
    departements: MappingProxyType[str, Departement]
    """Names of the départements of the towns outside (knowledge/hors_departement.yaml)."""
    intents: MappingProxyType[str, Intent]
    themes: MappingProxyType[str, Theme]
    files: tuple[str, ...] = field(default=())
    guards: tuple[Guard, ...] = ()
    routing: Routing = field(default_factory=Routing)
    """Where requests to be contacted go (knowledge/routage.yaml)."""

    def commune(self, code_insee: str | None) -> Commune | None:
        return self.communes.get(code_insee) if code_insee else None

    def departement_nom(self, code: str | None) -> str | None:
        found = self.departements.get(code) if code else None
        return found.nom if found else None
