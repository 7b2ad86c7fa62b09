"""A fault-injecting proxy between the bot and the Bot API emulator, both on 127.0.0.1.

It forwards every call unchanged, except a share of them (seeded, so a run can be replayed) that it spoils, each
in one of the ways Telegram and the network fail:

- ``429``: « Too Many Requests » with ``retry_after`` — not forwarded;
- ``500``, ``502``: an error status — not forwarded;
- ``slow``: forwarded after a pause shorter than the bot's read time-out (the call happens, late);
- ``drop``: the connection is closed without an answer, before forwarding (the call never happened).

A 5xx or a dropped connection on sendMessage is ambiguous in real life (Telegram may have shown the message); here
it never was, so a test can demand exactly the fault-free messages. The same request (method and body) is never
spoiled twice in a row: the retry of a spoiled call goes through, so a test checks that the bot recovers from each
fault within its retry bounds (what happens past them is tests/test_telegram_resilience.py).

The server runs in its own thread and loop, like the emulator, and stops by itself after ``lifetime`` seconds
if nobody stopped it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import random
import socket
import threading
from collections import Counter
from dataclasses import dataclass

import aiohttp
from aiohttp import web

KINDS = ("429", "500", "502", "slow", "drop")
DEFAULT_MIX = {"429": 1, "500": 2, "502": 2, "slow": 2, "drop": 3}
"""Relative weights of the fault kinds. A 429 makes PTB pause every send for retry_after + 0.1 s (Telegram's flood
limit is per bot), so it is the rarest."""


@dataclass(frozen=True, slots=True)
class Fault:
    method: str
    kind: str


class FaultyProxy:
    """Forward to ``upstream`` (the emulator's base URL); spoil ``rate`` of the calls, drawn from ``seed``."""

    def __init__(self, upstream: str, *, rate: float = 0.1, seed: int = 93, mix: dict[str, int] | None = None,
                 retry_after: int = 1, slow: tuple[float, float] = (0.2, 0.8), lifetime: float = 300.0) -> None:
        self.upstream = upstream.rstrip("/")
        self.rate = rate
        self.mix = mix or DEFAULT_MIX
        self.retry_after = retry_after
        self.slow = slow
        self.lifetime = lifetime
        self.random = random.Random(seed)
        self.faults: list[Fault] = []
        """Every spoiled call, in order."""
        self.forwarded: Counter[str] = Counter()
        """Calls forwarded, by method."""
        self._last_spoiled: set[bytes] = set()
        self._lock = threading.Lock()
        self._port = 0
        self._thread: threading.Thread | None = None
        self._stopping: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def counts(self, method: str | None = None) -> Counter[str]:
        """Faults by kind (of one method, or all)."""
        with self._lock:
            return Counter(f.kind for f in self.faults if method is None or f.method.lower() == method.lower())

    # ---- life -------------------------------------------------------------------------------------------------
    def start(self) -> FaultyProxy:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self._port, ready = sock.getsockname()[1], threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(sock, ready), name="faulty-proxy", daemon=True)
        self._thread.start()
        if not ready.wait(10) or self._loop is None:
            self.stop()
            raise RuntimeError("FaultyProxy failed to start")
        return self

    def stop(self) -> None:
        thread, loop, stopping, self._thread = self._thread, self._loop, self._stopping, None
        if loop is not None and stopping is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(stopping.set)
        if thread is not None:
            thread.join(10)

    def __enter__(self) -> FaultyProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _serve(self, sock: socket.socket, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        try:
            runner, session = loop.run_until_complete(self._startup(sock))
            self._loop = loop
            ready.set()
            assert self._stopping is not None
            with contextlib.suppress(TimeoutError):
                loop.run_until_complete(asyncio.wait_for(self._stopping.wait(), self.lifetime))
            loop.run_until_complete(runner.cleanup())
            loop.run_until_complete(session.close())
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            self._loop = None
            sock.close()
            loop.close()
            ready.set()

    async def _startup(self, sock: socket.socket) -> tuple[web.AppRunner, aiohttp.ClientSession]:
        self._stopping = asyncio.Event()
        session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=512),
                                        timeout=aiohttp.ClientTimeout(total=None, sock_read=120))
        self._session = session
        app = web.Application(client_max_size=64 * 2**20)
        app.router.add_route("*", "/{path:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        return runner, session

    # ---- one call ------------------------------------------------------------------------------------------
    def _draw(self, method: str, body: bytes) -> tuple[str | None, float]:
        """The fault for this call (None: none) and, for a slow one, its pause; never the same request spoiled
        twice in a row."""
        key = hashlib.sha256(method.encode() + b"\0" + body).digest()
        with self._lock:
            if key in self._last_spoiled:
                self._last_spoiled.discard(key)
                return None, 0.0
            if self.random.random() >= self.rate:
                return None, 0.0
            kinds = list(self.mix)
            kind = self.random.choices(kinds, weights=[self.mix[k] for k in kinds])[0]
            self._last_spoiled.add(key)
            self.faults.append(Fault(method, kind))
            return kind, self.random.uniform(*self.slow) if kind == "slow" else 0.0

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        method = request.path.rsplit("/", 1)[-1]
        kind, pause = self._draw(method, body)
        if kind == "drop":
            assert request.transport is not None
            request.transport.close()  # the client reads the end of the connection and no answer
            return web.Response()  # never written: the transport is closed
        if kind == "429":
            return web.json_response({"ok": False, "error_code": 429,
                                      "description": f"Too Many Requests: retry after {self.retry_after}",
                                      "parameters": {"retry_after": self.retry_after}}, status=429)
        if kind in ("500", "502"):
            description = "Internal Server Error" if kind == "500" else "Bad Gateway"
            return web.json_response({"ok": False, "error_code": int(kind), "description": description},
                                     status=int(kind))
        if kind == "slow":
            await asyncio.sleep(pause)
        with self._lock:
            self.forwarded[method] += 1
        headers = {k: v for k, v in request.headers.items() if k.lower() in ("content-type", "accept")}
        assert self._session is not None
        async with self._session.request(request.method, f"{self.upstream}{request.path_qs}", data=body,
                                         headers=headers) as answer:
            payload = await answer.read()
            return web.Response(body=payload, status=answer.status,
                                content_type=answer.content_type or "application/json")
