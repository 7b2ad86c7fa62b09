"""Read step, from the data·inclusion API (v1): the same records as the export, page by page.

As the API is written (gip-inclusion/data-inclusion, api/src/data_inclusion/api/): `GET /api/v1/structures` and
`GET /api/v1/services` take `page` (from 1) and `size` (at most 10,000) and answer
`{"items": [...], "total", "page", "size", "pages"}`; a bearer token is needed (401 without a valid one, 403
when it lacks the 'api' scope). `code_departement` filters on the server by the record's own `code_insee`.
Transient failures (429, 5xx, network) are retried a bounded number of times with a growing pause, and a 429's
Retry-After is honoured; then one sentence says what to do, never a traceback.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from ..report import Problem
from .read import RawRecord, ReadProblem, normalise

API_PREFIX = "/api/v1"
PAGE_SIZE = 1000
TRIES = 5
FIRST_PAUSE = 1.0
LONGEST_PAUSE = 60.0
MAX_PAGES = 10_000
TIMEOUT = httpx.Timeout(60.0, connect=10.0)


class ApiError(Exception):
    """The API cannot be read: the message is one sentence for the admin."""


@dataclass(frozen=True, slots=True)
class ApiSource:
    url: str
    token: str
    departement: str | None = "93"
    """Filter on the server (None: the whole country, selected here)."""
    page_size: int = PAGE_SIZE
    tries: int = TRIES
    first_pause: float = FIRST_PAUSE

    def endpoint(self, resource: str) -> str:
        base = self.url.rstrip("/")
        return f"{base}/{resource}" if base.endswith(API_PREFIX) else f"{base}{API_PREFIX}/{resource}"


def read_api(source: ApiSource, resource: str, *, client: httpx.Client | None = None,
             sleep: Callable[[float], None] = time.sleep) -> Iterator[RawRecord | ReadProblem]:
    """Every record of `structures` or `services`; an ApiError ends the stream as one ReadProblem."""
    name = f"API {resource}"
    own = client is None
    client = client or httpx.Client(timeout=TIMEOUT, follow_redirects=True)
    position = 0
    try:
        page, pages = 1, 1
        while page <= min(pages, MAX_PAGES):
            params: dict[str, Any] = {"page": page, "size": source.page_size}
            if source.departement:
                params["code_departement"] = source.departement
            body = _get(client, source, resource, params, sleep)
            items = body.get("items")
            if not isinstance(items, list):
                raise ApiError(f"The data·inclusion API answered page {page} of {resource} without 'items': "
                               "check --api (it should be the API's address, e.g. https://…/api/v1).")
            for item in items:
                position += 1
                if isinstance(item, dict):
                    yield RawRecord(name, position, normalise(item))
            pages = int(body.get("pages") or 0)
            if not items:
                break
            page += 1
    except ApiError as exc:
        yield ReadProblem(Problem(name, str(exc)), ends=True)
    finally:
        if own:
            client.close()


def _get(client: httpx.Client, source: ApiSource, resource: str, params: dict[str, Any],
         sleep: Callable[[float], None]) -> dict[str, Any]:
    url = source.endpoint(resource)
    headers = {"Authorization": f"Bearer {source.token}", "Accept": "application/json"}
    last = ""
    for attempt in range(1, source.tries + 1):
        pause = min(source.first_pause * 2 ** (attempt - 1), LONGEST_PAUSE)
        try:
            response = client.get(url, params=params, headers=headers)
        except httpx.TransportError as exc:
            last = f"could not be reached ({type(exc).__name__})"
        else:
            status = response.status_code
            if status == 401:
                raise ApiError("The data·inclusion API refused the token (401): check --token or $DI_API_TOKEN.")
            if status == 403:
                raise ApiError("The data·inclusion API token may not read this data (403): ask data·inclusion for "
                               "a token with access to the API.")
            if status == 429:
                last = "still limits the requests (429)"
                pause = _retry_after(response.headers.get("Retry-After"), pause)
            elif status >= 500:
                last = f"failed ({status})"
            elif status >= 400:
                raise ApiError(f"The data·inclusion API refused the request ({status}) for {url}: check --api.")
            else:
                try:
                    data = response.json()
                except ValueError:
                    raise ApiError(f"The data·inclusion API answered {url} with something that is not JSON: "
                                   "check --api.") from None
                if not isinstance(data, dict):
                    raise ApiError(f"The data·inclusion API answered {url} with no page: check --api.")
                return data
        if attempt < source.tries:
            sleep(pause)
    raise ApiError(f"The data·inclusion API {last} after {source.tries} tries: run the import again later.")


def _retry_after(value: str | None, default: float) -> float:
    """Seconds to wait: a number, or an HTTP date; bounded so that an import never hangs for hours."""
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return default
        seconds = (when - datetime.now(tz=UTC)).total_seconds()
    return max(0.0, min(seconds, LONGEST_PAUSE * 5))
