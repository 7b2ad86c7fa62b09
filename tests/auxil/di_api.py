"""The data·inclusion API (v1) emulated on 127.0.0.1, for the importer's tests.

Same contract as gip-inclusion/data-inclusion's api/src/data_inclusion/api/ (inclusion_data/routes.py,
parameters.py, utils/pagination.py): `GET /api/v1/structures|services?page=&size=&code_departement=`, a bearer
token (401 without a valid one, 403 for a token without the 'api' scope), pages `{items, total, page, size, pages}`.
Faults to come can be queued: `emulator.fail("services", 429, retry_after="0")` answers the next request so.
An aiohttp server in its own thread and event loop, so that the importer's synchronous httpx client can call it.
"""

from __future__ import annotations

import asyncio
import math
import socket
import threading
from collections.abc import Iterable
from typing import Any

from aiohttp import web

JSON = dict[str, Any]
TOKEN = "test-token"
NO_SCOPE_TOKEN = "token-without-api-scope"


class DataInclusionApiEmulator:
    def __init__(self, *, services: Iterable[JSON] = (), structures: Iterable[JSON] = ()) -> None:
        self.records: dict[str, list[JSON]] = {"services": list(services), "structures": list(structures)}
        self.faults: dict[str, list[tuple[int, str | None]]] = {"services": [], "structures": []}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        self._port = 0
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    def fail(self, resource: str, status: int, *, retry_after: str | None = None, times: int = 1) -> None:
        with self._lock:
            self.faults[resource].extend([(status, retry_after)] * times)

    def __enter__(self) -> DataInclusionApiEmulator:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(sock, ready), name="di-api", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the data·inclusion API emulator did not start")
        return self

    def __exit__(self, *exc_info: object) -> None:
        loop, stopping = self._loop, self._stopping
        if loop is not None and stopping is not None:
            loop.call_soon_threadsafe(stopping.set)
        if self._thread is not None:
            self._thread.join(10)

    def _serve(self, sock: socket.socket, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        try:
            runner = loop.run_until_complete(self._startup(sock))
            self._loop = loop
            ready.set()
            assert self._stopping is not None
            loop.run_until_complete(self._stopping.wait())
            loop.run_until_complete(runner.cleanup())
        finally:
            sock.close()
            loop.close()
            ready.set()

    async def _startup(self, sock: socket.socket) -> web.AppRunner:
        self._stopping = asyncio.Event()
        app = web.Application()
        app.router.add_get("/api/v1/{resource}", self._list)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        return runner

    async def _list(self, request: web.Request) -> web.Response:
        resource = request.match_info["resource"]
        with self._lock:
            self.requests.append((resource, dict(request.query)))
            fault = self.faults.get(resource, []).pop(0) if self.faults.get(resource) else None
        auth = request.headers.get("Authorization", "")
        if auth == f"Bearer {NO_SCOPE_TOKEN}":
            return web.json_response({"detail": "Forbidden"}, status=403)
        if auth != f"Bearer {TOKEN}":
            return web.json_response({"detail": "Not authenticated"}, status=401)
        if resource not in self.records:
            return web.json_response({"detail": "Not Found"}, status=404)
        if fault is not None:
            status, retry_after = fault
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
            return web.json_response({"detail": "fault"}, status=status, headers=headers)
        page, size = int(request.query.get("page", "1")), int(request.query.get("size", "5000"))
        if page < 1 or not 1 <= size <= 10_000:
            return web.json_response({"detail": "invalid page"}, status=422)
        items = self.records[resource]
        departement = request.query.get("code_departement")
        if departement:
            items = [r for r in items if str(r.get("code_insee") or "").startswith(departement)]
        chunk = items[(page - 1) * size: page * size]
        return web.json_response({"items": chunk, "total": len(items), "page": page, "size": len(chunk),
                                  "pages": math.ceil(len(items) / size)})
