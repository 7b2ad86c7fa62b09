"""Golden conversations: a person's conversation played against the engine (tests, benchmarks, coverage)."""

from .client import Client, Clock, GoldenError, play_turn
from .coverage import GOLDEN_DIR, Coverage, coverage, engine_for, format_coverage, load_goldens

__all__ = ["GOLDEN_DIR", "Client", "Clock", "Coverage", "GoldenError", "coverage", "engine_for", "format_coverage",
           "load_goldens", "play_turn"]
