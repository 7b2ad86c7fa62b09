"""Shared fixtures: the shipped content and translations (loaded once), fresh engines and clients."""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "true")  # before telegram is imported: RetryAfter would warn otherwise

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.content import Content, load_content
from bot.engine import Engine
from bot.golden import Client, Clock
from bot.i18n import Translations
from tests.auxil.botapi import BotApiEmulator

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(ROOT)


@pytest.fixture(scope="session")
def translations() -> Translations:
    return Translations()


@pytest.fixture
def engine(content: Content, translations: Translations) -> Engine:
    return Engine(content, translations)


@pytest.fixture
def client(engine: Engine) -> Client:
    return Client(engine, Clock())


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped flows/ and knowledge/ to break on purpose."""
    for folder in ("flows", "knowledge"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


@pytest.fixture
def edit(content_copy: Path) -> Callable[[str, str, str], Path]:
    """Replace one exact piece of text in a content file (the test fails if it is not there)."""

    def _edit(relative: str, old: str, new: str) -> Path:
        path = content_copy / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not found in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return path

    return _edit


@pytest.fixture
def api() -> Iterator[BotApiEmulator]:
    """The Telegram Bot API emulator on 127.0.0.1 (its own thread), stopped after the test."""
    with BotApiEmulator() as emulator:
        yield emulator
    assert not [t for t in threading.enumerate() if t.name == "botapi-emulator"]
