"""Callback data, the per-chat record and keyboard layout: compact, validated, never crashing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram import callback
from bot.channels.telegram.keyboards import button_list, layout, nav_texts, question_keyboard
from bot.channels.telegram.records import ChatRecord, Question
from bot.content import Content
from bot.engine import Ask, Button
from bot.store import MemoryStore, SQLiteStore, Store

PENDING_KINDS = ("confirm", "confirm-commune", "pick-commune", "pick-territory", "outside", "language", "resume",
                 "finished")


@given(st.text(min_size=1, max_size=300), st.integers(min_value=0, max_value=999))
def test_encoded_data_fits_telegram_and_round_trips(token: str, index: int) -> None:
    data = callback.encode(token, index)
    assert len(data.encode()) <= 64 and data.startswith("1|")
    assert callback.decode(data) == callback.ButtonData(callback.token_hash(token), index)


@given(st.one_of(st.text(max_size=100), st.binary(max_size=70).map(lambda b: b.decode("latin-1")), st.none(),
                 st.integers()))
def test_decoding_anything_never_raises(data: object) -> None:
    decoded = callback.decode(data)
    assert decoded is None or callback.encode("x", decoded.index).split("|")[2] == str(decoded.index)


def test_foreign_old_and_forged_data_are_refused() -> None:
    good = callback.encode("accueil:francais", 2)
    for bad in ["", "ok", "0|" + good[2:], "2" + good[1:], good + "\n", good + "|", good.replace("|2", "|02"),
                "1|abc|1", "1|abcdefg|1", "1|abcdef|1000", "1|abcdef|-1", "1|abc def|1", "é" * 40]:
        assert callback.decode(bad) is None, bad


def test_every_question_of_the_content_has_its_own_hash(content: Content) -> None:
    tokens = [key + suffix for key in content.steps for suffix in ("", *(f"#{k}" for k in PENDING_KINDS))]
    assert len({callback.token_hash(t) for t in tokens}) == len(tokens)


def test_record_round_trips_and_unreadable_records_are_empty() -> None:
    record = ChatRecord(Question(7, "accueil:francais", "🗣️ &lt;b&gt;", (("bien", "😀 Oui"), ("!back", "↩️ Retour"))), 5)
    assert ChatRecord.from_json(record.to_json()) == record
    assert ChatRecord.from_json(ChatRecord().to_json()) == ChatRecord()
    for junk in [None, "", "{", "[]", '{"format": 2}', '{"format": 1, "question": {"message_id": "x"}}',
                 '{"format": 1, "question": 3}']:
        assert ChatRecord.from_json(junk) == ChatRecord()


def test_long_labels_alone_short_ones_share_rows_in_order() -> None:
    assert layout(["✅ Oui", "❌ Non", "🤔 Peut-être"]) == [[0, 1, 2]]
    assert layout(["😀 Oui, bien", "🤏 Un peu", "🙅 Non, pas du tout"]) == [[0, 1], [2]]
    long_ones = ["✅ Oui, je le vois", "📵 Oui, mais je ne le vois plus", "❔ Non, ou je ne sais pas"]
    assert layout(long_ones) == [[0], [1], [2]]
    assert layout(["a", "b", "c", "d"]) == [[0, 1, 2], [3]]
    communes = [f"🏠 Commune {n}" for n in range(9)] + ["❌ Aucune de ces villes du tout, vraiment"]
    assert layout(communes) == [[0, 1], [2, 3], [4, 5], [6, 7], [8], [9]]


@given(st.lists(st.text(min_size=1, max_size=40), max_size=30))
def test_layout_keeps_every_button_once_in_order(texts: list[str]) -> None:
    rows = layout(texts)
    assert [i for row in rows for i in row] == list(range(len(texts)))
    assert all(len(row) == 1 for row in rows if any(len(texts[i]) > 20 for i in row))


def test_navigation_is_one_last_compact_row() -> None:
    nav = (Button("!back", "Retour", "↩️"), Button("!restart", "Recommencer", "🔄"), Button("!language", "Langue", "🌍"),
           Button("!human", "Parler à une personne", "🧑"))
    ask = Ask("🗣️ Vous parlez français ?", (Button("bien", "Oui, bien", "😀"), Button("un-peu", "Un peu", "🤏")),
              "accueil:francais", nav)
    keyboard = question_keyboard(ask)
    assert keyboard is not None
    rows = keyboard.inline_keyboard
    assert [b.text for b in rows[-1]] == ["↩️", "🔄", "🌍", "🧑"]
    assert [b.text for row in rows[:-1] for b in row] == ["😀 Oui, bien", "🤏 Un peu"]
    datas = [b.callback_data for row in rows for b in row]
    assert datas == [callback.encode(ask.token, i) for i in range(6)]
    assert [text for _, text in button_list(ask)][4] == "🌍 Langue"  # the record keeps full labels
    assert nav_texts(nav[:2]) == ["↩️ Retour", "🔄 Recommencer"]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
async def test_channel_data_is_kept_per_chat_and_erased_with_the_conversation(kind: str, tmp_path: Path) -> None:
    store: Store = MemoryStore() if kind == "memory" else SQLiteStore(tmp_path / "bot.sqlite3")
    await store.open()
    try:
        await store.save("telegram:1", "{}", 1.0)
        await store.save_channel_data("telegram:1", '{"a": 1}', 1.0)
        await store.save_channel_data("telegram:1", '{"a": 2}', 2.0)
        await store.save_channel_data("telegram:2", '{"b": 1}', 2.0)
        assert await store.load_channel_data("telegram:1") == '{"a": 2}'
        assert await store.forget("telegram:1") is True
        assert await store.load_channel_data("telegram:1") is None and await store.load("telegram:1") is None
        assert await store.load_channel_data("telegram:2") == '{"b": 1}'
        assert await store.forget("telegram:2") is False  # no conversation, but its channel data goes too
        assert await store.load_channel_data("telegram:2") is None
    finally:
        await store.close()
