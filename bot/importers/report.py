"""What an import read, kept, dropped (and why), and changed: the lines an admin reads after the command."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

SHOWN_FILES = 50
"""Past this many added, changed or removed files, the report gives the count and the first ones."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One line: where (a file, a record id) and what is wrong."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}"


@dataclass(frozen=True, slots=True)
class Dropped:
    """A step left the record out; `reason` is counted, `problem` (when given) is printed as one line."""

    reason: str
    problem: Problem | None = None


@dataclass
class Report:
    """Filled by the pipeline as records stream through; each step gives its verdicts, the driver counts them."""

    read: Counter[str] = field(default_factory=Counter)
    """Records read, per input (file name or API resource)."""
    valid: Counter[str] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    notes: list[Problem] = field(default_factory=list)
    """A field left out of a card that was still written (a phone or hours no parser accepts)."""
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    kept_edited: list[str] = field(default_factory=list)
    """Files edited by hand since the last import: neither rewritten nor removed."""
    skipped_replaced: list[str] = field(default_factory=list)
    """Services a hand card replaces (same id or `remplace:`): no imported card is written."""
    services_valid: int = 0
    without_structure: int = 0
    """Services written without their structure's facts (the structure was not in the structures read)."""
    complete: bool = True
    """False when an input ended early (truncated, wrong version, API error): nothing is removed then."""

    def drop(self, verdict: Dropped) -> None:
        self.dropped[verdict.reason] += 1
        if verdict.problem:
            self.problems.append(verdict.problem)

    def problem(self, where: str, what: str) -> None:
        self.problems.append(Problem(where, what))

    @property
    def usable(self) -> bool:
        return self.services_valid > 0

    def lines(self) -> list[str]:
        out = [str(p) for p in self.problems]
        out += [str(n) for n in self.notes]
        for name, count in sorted(self.read.items()):
            out.append(f"read {count} records from {name}, {self.valid[name]} valid")
        for reason, count in sorted(self.dropped.items(), key=lambda item: (-item[1], item[0])):
            out.append(f"left out: {count} {reason}")
        if self.without_structure:
            out.append(f"note: {self.without_structure} services whose structure was not read were written without "
                       "the structure's phone, place or hours")
        for label, names in (("added", self.added), ("changed", self.changed), ("removed", self.removed)):
            out.append(f"{label}: {len(names)}" + (f" ({_shown(names)})" if names else ""))
        out.append(f"unchanged: {self.unchanged}")
        if self.kept_edited:
            out.append(f"kept as edited by hand (not rewritten nor removed; move the changes to a hand card with "
                       f"remplace:): {_shown(self.kept_edited)}")
        if self.skipped_replaced:
            out.append(f"replaced by a hand card (not written): {_shown(self.skipped_replaced)}")
        if not self.complete:
            out.append("an input ended early: no card was removed (import again once the input is whole)")
        return out


def _shown(names: list[str]) -> str:
    names = sorted(names)
    if len(names) <= SHOWN_FILES:
        return ", ".join(names)
    return ", ".join(names[:SHOWN_FILES]) + f", … and {len(names) - SHOWN_FILES} more"
