"""Live reload, as admins and people live it: a file broken while the bot runs changes nothing for people and
gives the admins file:line; once fixed, the next message is served from it, without a restart; no update is lost."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.cli.stats_reply import stats_reply
from bot.content import Content, load_content
from bot.engine import Engine
from bot.i18n import Translations
from bot.reload import ContentLibrary, ReloadResult
from bot.reload.library import summary
from bot.store import SQLiteStore
from tests.auxil.botapi import BotApiEmulator
from tests.auxil.telegram import RunningBot, running_bot

ADMIN = 9001
"""An admin's Telegram user id (test data): their private chat with the bot has the same id."""
PERSON = 7001
Edit = Callable[[str, str, str], Path]


def library_on(root: Path) -> ContentLibrary:
    return ContentLibrary.start(root, load_content(root), Translations(), Engine)


async def until(check: Callable[[], bool], what: str, timeout: float = 20.0) -> None:  # noqa: ASYNC109
    """Wait for the file watcher (it debounces saves): poll the condition, fail with a sentence if it never holds."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


# ---- the library alone ----------------------------------------------------------------------------------------

async def test_a_broken_file_is_refused_and_the_last_good_content_stays(content_copy: Path, edit: Edit) -> None:
    library = library_on(content_copy)
    before = library.current
    edit("flows/accueil.yaml", "    next: lecture\n", "    next: lecture\n   bad: [unclosed\n")
    result = await library.reload("test")
    assert not result.ok and library.current is before and result.version == before.content.version
    syntax = next(e for e in result.errors if e.startswith("flows/accueil.yaml:"))
    assert "[yaml-syntax]" in syntax and "fix:" in syntax
    assert "NON rechargé" in summary(result) and "flows/accueil.yaml:" in summary(result)


async def test_a_good_change_replaces_content_translations_and_engine_at_once(content_copy: Path,
                                                                                edit: Edit) -> None:
    library = library_on(content_copy)
    before = library.current
    edit("flows/accueil.yaml", "question: Que cherchez-vous ?", "question: Que cherchez-vous aujourd'hui ?")
    result = await library.reload("test")
    assert result.ok and result.changed and library.current is not before
    assert library.engine.content is library.current.content and library.engine.t is library.current.translations
    assert library.current.content.steps["accueil:besoin"].text == "Que cherchez-vous aujourd'hui ?"
    # The new French question has no translation yet: the reload goes on, the admins are told.
    assert result.warnings and "pas encore traduit" in summary(result)


async def test_the_listeners_hear_every_reload_and_one_that_fails_never_stops_it(content_copy: Path) -> None:
    library = library_on(content_copy)
    heard: list[ReloadResult] = []

    async def broken(result: ReloadResult) -> None:
        raise RuntimeError("a listener that fails")

    async def note(result: ReloadResult) -> None:
        heard.append(result)

    library.listeners += [broken, note]
    result = await library.reload("test")
    assert heard == [result] and result.ok and not result.changed


# ---- the running bot -------------------------------------------------------------------------------------------

@pytest.fixture
async def live(api: BotApiEmulator, tmp_path: Path, content_copy: Path, content: Content,
               translations: Translations) -> AsyncIterator[tuple[RunningBot, ContentLibrary]]:
    library = library_on(content_copy)
    store_box: list[SQLiteStore] = []

    async def stats(days: int) -> tuple[str, bytes | None]:
        return await stats_reply(store_box[0], library)(days)

    async with running_bot(api, tmp_path / "bot.sqlite3", content, translations, library=library,
                           admins=frozenset({ADMIN}), stats=stats) as running:
        store_box.append(running.store)
        yield running, library


async def test_a_file_broken_while_running_changes_nothing_for_people_and_admins_get_file_line(
        live: tuple[RunningBot, ContentLibrary], edit: Edit, api: BotApiEmulator) -> None:
    bot, library = live
    person = bot.person(PERSON)
    await person.send("/start")
    await person.press("Je ne sais pas, posez-moi des questions")
    assert person.question["text"] == "🗣️ Vous parlez français ?"
    api.user_sends_text(ADMIN, "/start", first_name="Admin")  # the admin has opened the bot once
    edit("flows/accueil.yaml", "question: Vous parlez français ?", "question: [Vous parlez français ?")
    await until(lambda: library.last is not None and not library.last.ok, "the refused reload")
    await until(lambda: any("NON rechargé" in m.get("text", "") for m in api.messages(ADMIN)), "the admin's message")
    alert = next(m["text"] for m in api.messages(ADMIN) if "NON rechargé" in m.get("text", ""))
    assert "flows/accueil.yaml:" in alert and "fix:" in alert
    await person.press("Un peu")
    assert person.question["text"] == "📱 Vous utilisez facilement un téléphone ou un ordinateur ?"

    edit("flows/accueil.yaml", "question: [Vous parlez français ?", "question: Vous parlez français ?")
    edit("flows/accueil.yaml", "question: Vous utilisez facilement un téléphone ou un ordinateur ?",
         "question: Vous utilisez bien un téléphone ou un ordinateur ?")
    await until(lambda: library.last is not None and library.last.ok and library.last.changed, "the good reload")
    await until(lambda: any("Contenu rechargé" in m.get("text", "") for m in api.messages(ADMIN)), "all clear")
    await person.send("/retour")  # the person's next message is served from the fixed file
    await person.press("Un peu")
    assert person.question["text"] == "📱 Vous utilisez bien un téléphone ou un ordinateur ?"
    state = await bot.state(PERSON)
    assert state is not None and state.content_version == library.current.content.version


async def test_admin_commands_and_the_same_answer_as_an_unknown_command_for_anyone_else(
        live: tuple[RunningBot, ContentLibrary], api: BotApiEmulator) -> None:
    bot, library = live
    admin = bot.person(ADMIN)
    await admin.send("/version")
    assert admin.last_text.startswith(f"Version du contenu : {library.current.content.version}")
    await admin.send("/reload")
    assert admin.last_text.startswith("✅ Contenu rechargé (/reload)")
    await admin.send("/gaps")
    assert any("communes with no known Agence locale d'insertion" in t for t in admin.texts_since(0))
    person = bot.person(PERSON)
    await person.send("/start")
    answers = []
    for command in ("/version", "/reload", "/gaps", "/stats", "/stats 7", "/nimportequoi"):
        before = len(person.messages)
        await person.send(command)
        answers.append([m["text"] for m in person.messages[before:]])
    assert all(a == answers[-1] for a in answers), answers  # exactly what an unknown command gets
    assert "Je n'ai pas compris" in answers[-1][0]


async def test_reloads_in_the_middle_of_a_crowd_lose_no_update(
        live: tuple[RunningBot, ContentLibrary], edit: Edit) -> None:
    bot, library = live
    people = [bot.person(8000 + n) for n in range(20)]
    ids = [bot.api.user_sends_text(p.chat_id, "/start") for p in people]
    for round_ in range(4):
        edit("flows/accueil.yaml", "Je vous montre où trouver de l'aide" if round_ % 2 == 0 else
             "Je vous montre où chercher de l'aide", "Je vous montre où chercher de l'aide" if round_ % 2 == 0 else
             "Je vous montre où trouver de l'aide")
        reloading = asyncio.create_task(library.reload(f"round {round_}"))
        ids += [bot.api.user_sends_text(p.chat_id, "je ne sais pas" if round_ == 0 else "un peu") for p in people]
        await reloading
    await bot.processed(*ids, timeout=60)
    for person in people:  # five updates each, five answers at least (an answer may take several messages)
        sent = [c for c in bot.api.sent(person.chat_id) if c["method"] == "sendMessage" and c["ok"]]
        assert len(sent) >= 5, sent


async def test_stats_from_an_admin_match_the_events_and_small_counts_are_protected(
        live: tuple[RunningBot, ContentLibrary], api: BotApiEmulator) -> None:
    bot, _ = live
    for n in range(6):  # six people go to France Travail's card; one of them opens it
        person = bot.person(8100 + n)
        await person.send("/start")
        await person.press("Trouver un emploi")
        await person.send("Drancy")
        if n == 0:
            await person.press("France Travail")
    counts = await bot.store.count_events("orientation")
    assert counts["france-travail"] == 6 and counts["caf"] == 6 and counts["yookan"] == 6
    admin = bot.person(ADMIN)
    await admin.send("/stats 7")
    lines = "\n".join(admin.texts_since(0)).splitlines()

    def figure(label: str, after: str) -> str:
        start = next(i for i, line in enumerate(lines) if line.startswith(after))
        line = next(line for line in lines[start:] if line.strip().startswith(label))
        return line.rsplit("  ", 1)[-1].strip()  # the figure column: "6", "< 5" or "caché"

    assert figure("Conversations commencées", "Conversations commencées") == "6"
    shown = [figure(name, "Lieux montrés, par lieu") for name in ("France Travail", "Caisse", "Yookan")]
    assert set(shown) <= {"6", "caché"} and "6" in shown  # a figure shown is the true count, or it is hidden
    assert figure("France Travail", "Fiches de lieu ouvertes, par lieu") == "< 5"  # the one opening
    photos = [c for c in api.calls("sendPhoto") if c["chat_id"] == ADMIN and c["ok"]]
    assert len(photos) == 1
