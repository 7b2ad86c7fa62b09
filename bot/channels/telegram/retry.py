"""Telegram's flood limits and failures: wait when asked, retry what cannot be sent twice.

AIORateLimiter keeps under Telegram's limits and retries a 429 after its ``retry_after``. On top of it,
a few bounded retries for network failures, only when a retry cannot duplicate a message:

- Telegram (or its front) answered 5xx: nothing was done, retry;
- the request never left (connection refused, connect or pool time-out): retry;
- the connection was closed before any byte of an answer (httpx's RemoteProtocolError « Server disconnected
  without sending a response »): most often a kept-alive connection that Telegram's front closed just as the
  request went out, unread. Retry once, a message too. In the rare case Telegram had carried it out, the
  message shows twice — before this retry the person got the apology and the current question instead, so
  the question showed twice anyway, and when nothing had arrived the messages before it (a card) were lost;
- the request may have arrived and be under way (read time-out, connection reset during the answer): retry
  only methods where doing it twice is harmless (edits, answering a button, reading). A message is then not
  sent again: the error handler apologises and shows the current question.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)
JSONDict = dict[str, Any]
REPEATABLE = frozenset({
    "answerCallbackQuery", "editMessageText", "editMessageReplyMarkup", "deleteMessage", "getMe", "getFile",
    "setMyCommands", "deleteMyCommands", "getMyCommands", "setWebhook", "deleteWebhook", "getWebhookInfo",
    "sendChatAction", "close", "logOut",
})
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
CUT_BEFORE_ANSWER = (httpx.RemoteProtocolError,)
SEND_AGAIN_AFTER_A_CUT = 1
"""How many times a message is sent again after CUT_BEFORE_ANSWER: at most that many extra copies."""


def worth_retrying(error: NetworkError, endpoint: str, attempt: int = 0) -> bool:
    """``attempt``: the retries already made for this call."""
    if isinstance(error, BadRequest):
        return False
    cause = error.__cause__
    if cause is None and not isinstance(error, TimedOut):
        return True  # an HTTP error status from Telegram (500, 502…): the request was not carried out
    if isinstance(cause, NEVER_SENT) or endpoint in REPEATABLE:
        return True
    return isinstance(cause, CUT_BEFORE_ANSWER) and attempt < SEND_AGAIN_AFTER_A_CUT


class RetryingRateLimiter(AIORateLimiter):
    """AIORateLimiter plus bounded retries of network failures (see the module docstring)."""

    def __init__(self, *, network_retries: int = 2, backoff: float = 0.5, retry_after_retries: int = 3,
                 overall_max_rate: float = 30, group_max_rate: float = 20) -> None:
        super().__init__(overall_max_rate=overall_max_rate, group_max_rate=group_max_rate,
                         max_retries=retry_after_retries)
        self.network_retries = network_retries
        self.backoff = backoff

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        attempt = 0
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as error:
                if attempt >= self.network_retries or not worth_retrying(error, endpoint, attempt):
                    raise
                attempt += 1
                log.info("Telegram %s failed (%s); retry %d of %d", endpoint, type(error).__name__, attempt,
                         self.network_retries)
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
