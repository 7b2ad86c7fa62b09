"""Conversation storage behind one small interface, with the requests to be contacted and their outbox."""

from .base import (
    ACTIVE,
    FINISHED,
    Channel,
    OutboxItem,
    OutboxKind,
    Purged,
    RequestConflict,
    RequestRow,
    RequestStatus,
    StatEvent,
    Store,
    StoreError,
    StoreUnavailable,
    notice_key,
)
from .memory import MemoryStore
from .sqlite import SQLiteStore

__all__ = [
    "ACTIVE", "FINISHED", "Channel", "MemoryStore", "OutboxItem", "OutboxKind", "Purged", "RequestConflict",
    "RequestRow", "RequestStatus", "SQLiteStore", "StatEvent", "Store", "StoreError", "StoreUnavailable",
    "notice_key",
]
