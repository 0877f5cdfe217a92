"""Credentials read from the environment or found in URLs, remembered so that no output can repeat them.

Every secret repodigest reads goes through `from_environment`, and every clone URL through
`remember_url`; `redact` then removes each remembered value wherever it appears — in any letter
case and percent-encoded or not, because libraries normalise what they log (httpx lower-cases a
scheme and host and encodes spaces) and servers echo parts of what they were sent. A secret URL
(a webhook) is also remembered by its token-like parts, so a log line that shows the URL in
another form, or only its path, still shows no token. Credentials in any URL's user-info part are
removed from every text that passes through `redact`, remembered or not.

The remembered values are one registry for the process on purpose: a log line can come from any
library on any thread, and it must not matter which part of repodigest read the secret. The
registry is guarded by a lock because the LLM and publisher stages run on several threads.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from urllib.parse import quote, unquote, urlsplit

REDACTED = "***"
_known: set[str] = set()
_pattern: re.Pattern | None = None
_lock = threading.Lock()
MIN_LENGTH = 6
"""Shorter values would redact ordinary words; no real token is this short."""
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^\s/?#@]+@")
"""`scheme://user:password@` in any text: the user part can be a token too (https://TOKEN@host)."""
_URL_PIECE = re.compile(r"[^/?&=#;]+")


def remember(value: str) -> str:
    global _pattern
    variants = {value, unquote(value), quote(value, safe=""), quote(value, safe="/:@")}
    with _lock:
        new = {v for v in variants if len(v) >= MIN_LENGTH} - _known
        if new:
            _known.update(new)
            _pattern = None
    if "://" in value:
        remember_url(value)
    return value


def remember_url(url: str) -> str:
    """Remember a URL's user name and password, and, for a secret URL, each part that looks like
    a token (path segments and query values with a digit, or long ones)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    pieces = [piece for piece in (parts.username, parts.password) if piece]
    if url in _known:  # a secret as a whole: its token-like pieces are secret too
        pieces += [piece for piece in _URL_PIECE.findall(f"{parts.path}?{parts.query}") if _token_like(piece)]
    for piece in pieces:
        remember(piece)
    return url


def _token_like(piece: str) -> bool:
    """Webhook tokens have digits or are long; "services", "hook" or "send" are not secrets."""
    return len(piece) >= MIN_LENGTH and (any(c.isdigit() for c in piece) or len(piece) >= 16)


def from_environment(variable: str) -> str | None:
    value = os.environ.get(variable)
    return remember(value) if value else None


def without_credentials(text: str) -> str:
    """Every URL in the text without its user-info part."""
    return _USERINFO.sub(r"\1", text)


def redact(text: str) -> str:
    global _pattern
    text = without_credentials(text)
    if not _known:
        return text
    with _lock:
        if _pattern is None:
            alternatives = "|".join(re.escape(s) for s in sorted(_known, key=len, reverse=True))
            _pattern = re.compile(alternatives, re.IGNORECASE)
        pattern = _pattern
    return pattern.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True
