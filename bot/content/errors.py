"""Content problems, one class per rule, each naming file:line, what is wrong and the fix.

ContentProblem
 ├── ContentError            (check exits 1; the bot refuses the content)
 │    ├── YamlSyntaxError, MissingField, UnknownField, WrongType, BadValue, UnknownValue,
 │    ├── DuplicateId, BadOpeningHours, UnknownCommuneCode, UnknownCard, UnknownTag
 │    └── UnknownTarget, UnreachableStep, DeadEnd, ChoiceWithoutBranch, EmptyResult, NoDefaultBranch
 └── ContentWarning          (reported, never blocks)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(eq=False)
class ContentProblem(Exception):
    file: str
    line: int
    message: str
    fix: str = ""

    rule = "content"

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: [{self.rule}] {self.message}"
        return f"{text}\n    fix: {self.fix}" if self.fix else text


class ContentError(ContentProblem):
    rule = "error"


class ContentWarning(ContentProblem):
    rule = "warning"


class YamlSyntaxError(ContentError):
    rule = "yaml-syntax"


class MissingField(ContentError):
    rule = "missing-field"


class UnknownField(ContentError):
    rule = "unknown-field"


class WrongType(ContentError):
    rule = "wrong-type"


class BadValue(ContentError):
    rule = "bad-value"


class UnknownValue(ContentError):
    rule = "unknown-value"


class DuplicateId(ContentError):
    rule = "duplicate-id"


class BadOpeningHours(ContentError):
    rule = "opening-hours"


class UnknownCommuneCode(ContentError):
    rule = "unknown-commune"


class UnknownCard(ContentError):
    rule = "unknown-card"


class UnknownTag(ContentError):
    rule = "unknown-tag"


class UnknownTarget(ContentError):
    rule = "unknown-target"


class UnreachableStep(ContentError):
    rule = "unreachable-step"


class DeadEnd(ContentError):
    rule = "dead-end"


class ChoiceWithoutBranch(ContentError):
    rule = "choice-without-next"


class EmptyResult(ContentError):
    rule = "empty-result"


class NoDefaultBranch(ContentError):
    rule = "no-default-branch"


class UnknownVariable(ContentError):
    rule = "unknown-answer"


class LongSentence(ContentWarning):
    rule = "long-sentence"


class ContentInvalid(Exception):
    """Raised by load_content when errors were found; carries them all."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} content error(s); first: {errors[0]}" if errors else "content invalid")


class BadPhone(ContentError):
    rule = "phone"


class NotAStreetAddress(ContentError):
    rule = "not-a-street-address"


class NoNextStep(ContentError):
    rule = "no-next-step"


class GuardBroken(ContentError):
    rule = "guard"
