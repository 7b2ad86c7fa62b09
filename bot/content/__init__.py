"""Content: YAML in flows/ and knowledge/, parsed once into frozen models and checked."""

from ._graph import resolve_target, rule_candidates
from ._load import IMPORTED_DIR, LoadReport, collect, content_version, load_content
from .errors import ContentError, ContentInvalid, ContentProblem, ContentWarning
from .models import Card, Choice, Commune, Content, Flow, Intent, Step, Theme, When

__all__ = [
    "IMPORTED_DIR", "Card", "Choice", "Commune", "Content", "ContentError", "ContentInvalid", "ContentProblem",
    "ContentWarning", "Flow", "Intent", "LoadReport", "Step", "Theme", "When", "collect", "content_version",
    "load_content", "resolve_target", "rule_candidates",
]
