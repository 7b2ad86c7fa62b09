"""Conversation storage behind one small interface."""

from .base import StatEvent, Store
from .memory import MemoryStore
from .sqlite import SQLiteStore, StoreError

__all__ = ["MemoryStore", "SQLiteStore", "StatEvent", "Store", "StoreError"]
