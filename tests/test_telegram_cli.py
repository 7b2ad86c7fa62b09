"""`python -m bot run` and `python -m bot link`: clear sentences, exit codes, SIGTERM, QR codes."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from bot.__main__ import main
from tests.auxil.botapi import DEFAULT_TOKEN
from tests.auxil.telegram import SlowEmulator
from tests.conftest import ROOT

T = TypeVar("T")
TELEGRAM_VARS = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_URL", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET",
                 "TELEGRAM_WEBHOOK_PORT", "TELEGRAM_WEBHOOK_LISTEN", "BOT_USERNAME", "BOT_DATABASE")
SECRET = "hook_secret-42"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in TELEGRAM_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def slow_api() -> Iterator[SlowEmulator]:
    emulator = SlowEmulator({"sendMessage": 0.4})
    emulator.start()
    try:
        yield emulator
    finally:
        emulator.stop()


def wait_until(predicate: Callable[[], T], timeout: float = 15.0, what: str = "") -> T:
    deadline = time.monotonic() + timeout
    while not (result := predicate()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)
    return result


def start_bot(api: SlowEmulator, database: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    inherited = {k: v for k, v in os.environ.items() if k not in TELEGRAM_VARS}
    environment = {**inherited, "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "TELEGRAM_API_URL": api.base_url,
                   "BOT_DATABASE": str(database), "PYTHONPATH": str(ROOT), **env}
    return subprocess.Popen([sys.executable, "-m", "bot", "run", *args], cwd=ROOT, env=environment, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def stop(process: subprocess.Popen[str]) -> tuple[int, str]:
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=20)
    return process.returncode, err


def ended(process: subprocess.Popen[str]) -> None:
    """Whatever happened in the test, leave no process and no open pipe behind."""
    if process.poll() is None:
        process.kill()
    process.communicate(timeout=10)


@pytest.mark.parametrize(("env", "args", "says"), [
    ({}, [], "TELEGRAM_BOT_TOKEN is not set"),
    ({"TELEGRAM_BOT_TOKEN": "12345"}, [], "does not look like a bot token"),
    ({"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN}, ["--webhook-url", "https://bot.example.org/tg"],
     "needs TELEGRAM_WEBHOOK_SECRET"),
    ({"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, "BOT_LOG_LEVEL": "chatty"}, [], "BOT_LOG_LEVEL must be one of"),
])
def test_run_refuses_to_start_in_one_sentence(clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                              env: dict[str, str], args: list[str], says: str) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)
    assert main(["run", *args]) == 2
    err = capsys.readouterr().err
    assert says in err and err.count("\n") == 1 and "Traceback" not in err and DEFAULT_TOKEN not in err


def test_run_with_broken_content_names_the_problem(clean_env: pytest.MonkeyPatch, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    clean_env.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
    clean_env.setenv("BOT_CONTENT", str(tmp_path))  # no flows/, no knowledge/
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert f"The content in {tmp_path} has" in err and "Traceback" not in err


def test_a_refused_token_is_one_sentence(slow_api: SlowEmulator, tmp_path: Path) -> None:
    wrong = "123456789:AAE-this_token_was_revoked_000"
    process = start_bot(slow_api, tmp_path / "bot.sqlite3", TELEGRAM_BOT_TOKEN=wrong)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 1
    assert "Telegram refused TELEGRAM_BOT_TOKEN" in err and "Traceback" not in err and wrong not in err
    assert not (tmp_path / "bot.sqlite3").exists()


def test_sigterm_lets_the_update_in_progress_finish_and_exits_0(slow_api: SlowEmulator, tmp_path: Path) -> None:
    database = tmp_path / "bot.sqlite3"
    process = start_bot(slow_api, database)
    try:
        wait_until(lambda: "getupdates" in slow_api.received or process.poll() is not None, what="polling")
        slow_api.user_sends_text(5, "/start")
        wait_until(lambda: slow_api.calls("sendMessage") or None, what="the welcome")
        slow_api.user_sends_text(5, "mon secret quatre-vingt-treize")
        wait_until(lambda: slow_api.received.count("sendmessage") >= 3, what="the next reply under way")
        code, err = stop(process)  # while the bot waits for Telegram to take its reply
    finally:
        ended(process)
    assert code == 0, err
    assert [c["ok"] for c in slow_api.calls("sendMessage")] == [True] * 4  # both updates answered in full
    assert "store closed" in err and "Traceback" not in err
    assert DEFAULT_TOKEN not in err and DEFAULT_TOKEN.partition(":")[2] not in err and "quatre-vingt" not in err
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (state,) = db.execute("SELECT state FROM sessions WHERE chat_key = 'telegram:5'").fetchone()
        assert '"step":"accueil:besoin"' in state and '"answers":{}' in state  # the words were no answer
        assert db.execute("SELECT COUNT(*) FROM channel_data").fetchone() == (1,)


def test_webhook_mode_from_the_command_line(slow_api: SlowEmulator, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = start_bot(slow_api, tmp_path / "bot.sqlite3", "--webhook-url", "https://bot.example.org/tg",
                        "--listen", "127.0.0.1", "--port", str(port), TELEGRAM_WEBHOOK_SECRET=SECRET,
                        BOT_LOG_LEVEL="DEBUG")
    update = {"update_id": 1, "message": {
        "message_id": 1, "date": int(time.time()), "chat": {"id": 6, "type": "private", "first_name": "T"},
        "from": {"id": 6, "is_bot": False, "first_name": "T", "language_code": "fr"}, "text": "/start"}}
    url = f"http://127.0.0.1:{port}/tg"
    try:
        wait_until(lambda: "setwebhook" in slow_api.received or process.poll() is not None, what="setWebhook")

        def post(**headers: str) -> int | None:
            try:
                return httpx.post(url, json=update, headers=headers, timeout=5).status_code
            except httpx.TransportError:
                return None

        assert wait_until(post, what="the webhook server") == 403
        assert post(**{"X-Telegram-Bot-Api-Secret-Token": SECRET}) == 200
        wait_until(lambda: len(slow_api.calls("sendMessage")) == 2, what="the replies")
        code, err = stop(process)
    finally:
        ended(process)
    assert code == 0, err
    assert "webhook https://bot.example.org/tg" in err
    assert DEFAULT_TOKEN.partition(":")[2] not in err and SECRET not in err  # not even at DEBUG


def test_link_prints_the_link_and_writes_png_and_svg(clean_env: pytest.MonkeyPatch, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    png, svg = tmp_path / "posters" / "ali.png", tmp_path / "ali.svg"
    args = ["link", "--referent", "ALI93-07", "--lang", "ar", "--theme", "francais", "--username", "@rsa93_bot"]
    assert main([*args, "--qr", str(png)]) == 0
    out, err = capsys.readouterr()
    assert out == "https://t.me/rsa93_bot?start=r-ALI93-07_l-ar_t-francais\n"
    assert "python -m bot stats --referent ALI93-07" in err  # the referent's own figures
    clean_env.setenv("BOT_USERNAME", "rsa93_bot")
    assert main(["link", "--referent", "X1", "--qr", str(svg)]) == 0
    assert capsys.readouterr().out == "https://t.me/rsa93_bot?start=r-X1\n"
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    text = svg.read_text()
    assert text.lstrip().startswith(("<?xml", "<svg")) and "</svg>" in text


def test_link_asks_telegram_for_the_username(clean_env: pytest.MonkeyPatch, slow_api: SlowEmulator,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    clean_env.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
    clean_env.setenv("TELEGRAM_API_URL", slow_api.base_url)
    assert main(["link", "--referent", "CCAS-Bondy"]) == 0
    assert capsys.readouterr().out == "https://t.me/rsa93_test_bot?start=r-CCAS-Bondy\n"


@pytest.mark.parametrize(("args", "says"), [
    (["--referent", "Léa Martin"], "may use only letters, digits and '-'"),
    (["--referent", "A" * 41], "may use only letters, digits and '-' (40 at most)"),
    (["--referent", ""], "may use only letters, digits and '-'"),
    (["--referent", "X", "--lang", "xx"], "unknown language 'xx'"),
    (["--referent", "X", "--theme", "cuisine"], "unknown theme 'cuisine'"),
    (["--referent", "X", "--qr", "poster.gif"], "must end with .png or .svg"),
])
def test_link_errors_exit_2(clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str],
                            says: str) -> None:
    assert main(["link", *args, "--username", "rsa93_bot"]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


def test_link_without_any_way_to_know_the_username(clean_env: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", "--referent", "X"]) == 2
    assert "--username or BOT_USERNAME" in capsys.readouterr().err
