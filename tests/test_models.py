"""Content models are frozen with slots (parsed once, never mutated); packages export what they promise."""

from __future__ import annotations

import dataclasses
import importlib
import inspect

import pytest

from bot.content import models


@pytest.mark.parametrize("cls", [c for _, c in inspect.getmembers(models, inspect.isclass)
                                 if dataclasses.is_dataclass(c) and c.__module__ == models.__name__])
def test_content_models_are_frozen_with_slots(cls: type) -> None:
    assert cls.__dataclass_params__.frozen, cls  # type: ignore[attr-defined]
    assert "__slots__" in cls.__dict__, cls


def test_a_loaded_card_cannot_be_changed(content: models.Content) -> None:
    card = next(iter(content.cards.values()))
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.telephone = "01 00 00 00 00"  # type: ignore[misc]
    with pytest.raises(TypeError):
        content.cards["x"] = card  # type: ignore[index]


@pytest.mark.parametrize("package", ["bot.content", "bot.engine", "bot.matching", "bot.store"])
def test_exported_names_exist(package: str) -> None:
    module = importlib.import_module(package)
    for name in module.__all__:
        assert hasattr(module, name), f"{package}.{name}"


def test_engine_never_imports_telegram() -> None:
    import sys

    for name in [m for m in sys.modules if m.startswith(("bot.engine", "bot.content"))]:
        source = inspect.getsource(sys.modules[name])
        assert "import telegram" not in source and "from telegram" not in source, name
