"""HTTP for publishers: retries on 429 and 5xx honouring Retry-After and rate-limit resets.

httpx has no retry policy of its own for status codes (its transport retries only connects),
so the loop is here; waits are bounded so a run never hangs on a remote service.

A request that creates something (`idempotent=False`: a chat message, a new issue or comment)
is never repeated blindly: it is retried only when nothing reached the server (the connection
was refused) or the server said so (429, or a rate limit); a 5xx is returned to the caller,
and a timeout or dropped connection after the request was written is `DeliveryUnknown`.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

import httpx

from repodigest.publish.errors import DeliveryRefused, DeliveryUnknown, PublishError

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


# Raised before a byte of the request left: nothing was delivered.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol, httpx.ProxyError)


def send(
    client: httpx.Client,
    method: str,
    url: str,
    what: str,
    max_wait: float = 300.0,
    sleep: Callable[[float], None] = time.sleep,
    idempotent: bool | None = None,
    **kwargs,
) -> httpx.Response:
    """Send a request, retrying what the server says to retry; `what` names it in errors.

    `idempotent` defaults to True for every method but POST."""
    if idempotent is None:
        idempotent = method.upper() != "POST"
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            response = client.request(method, url, **kwargs)
        except httpx.TransportError as error:
            sent = not isinstance(error, NOT_SENT)
            if sent and not idempotent:
                raise DeliveryUnknown(
                    f"{what}: no answer after the request was sent ({type(error).__name__})"
                ) from None
            if attempt == MAX_ATTEMPTS:
                kind = PublishError if sent else DeliveryRefused
                raise kind(f"{what}: {type(error).__name__}") from None
            sleep(_backoff(attempt))
            continue
        wait = retry_after(response)
        if wait is not None and not idempotent and response.status_code >= 500:
            return response  # it may have been done before the error: the caller decides
        if wait is None or attempt == MAX_ATTEMPTS:
            return response
        if wait > max_wait:
            raise PublishError(f"{what}: rate limited for {wait:.0f} s, more than the {max_wait:.0f} s allowed")
        log.warning("%s: HTTP %s, retrying in %.1f s", what, response.status_code, wait)
        sleep(wait)
    raise AssertionError("unreachable")


def retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait before retrying, or None when the response is final."""
    status = response.status_code
    headers = response.headers
    if status in (403, 429):
        if "retry-after" in headers:
            return _seconds(headers["retry-after"])
        if headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in headers:
            return max(0.0, float(headers["x-ratelimit-reset"]) - time.time()) + 1
        if status == 429:
            return 60.0
        return None
    if status >= 500:
        return _backoff(1)
    return None


def _seconds(value: str) -> float:
    try:
        return max(0.0, float(value))
    except ValueError:
        return 60.0  # an HTTP date: rare; a minute is a safe wait


def _backoff(attempt: int) -> float:
    return min(30.0, 2**attempt) * (0.5 + random.random() / 2)
