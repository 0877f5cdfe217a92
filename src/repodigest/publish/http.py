"""HTTP for publishers: retries on 429 and 5xx honouring Retry-After and rate-limit resets.

httpx has no retry policy of its own for status codes (its transport retries only connects),
so the loop is here; waits are bounded so a run never hangs on a remote service.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

import httpx

from repodigest.publish.errors import PublishError

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def send(client: httpx.Client, method: str, url: str, what: str, max_wait: float = 300.0,
         sleep: Callable[[float], None] = time.sleep, **kwargs) -> httpx.Response:
    """Send a request, retrying what the server says to retry; `what` names it in errors."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            response = client.request(method, url, **kwargs)
        except httpx.TransportError as error:
            if attempt == MAX_ATTEMPTS:
                raise PublishError(f"{what}: {type(error).__name__}") from None
            sleep(_backoff(attempt))
            continue
        wait = retry_after(response)
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
    return min(30.0, 2 ** attempt) * (0.5 + random.random() / 2)
