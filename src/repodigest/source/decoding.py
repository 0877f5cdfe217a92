"""Commit messages and names in the encoding they were written in.

git re-encodes a message to UTF-8 when its commit declares an `encoding` header (walk.py asks
for `--encoding=UTF-8`), so most messages arrive as UTF-8. Older tools wrote legacy bytes without
the header; for those the order is: the declared encoding, the repository's
`i18n.commitEncoding`, then a detected encoding, then UTF-8 with replacement characters.
"""

from __future__ import annotations

from functools import lru_cache

import charset_normalizer

LEGACY_CANDIDATES = ("gb18030", "cp1252", "shift_jis", "big5")
"""The legacy encodings a detector may choose from. A short message gives a detector little to go
on; limited to the encodings of the report's audiences (GBK/GB18030 in China, Windows-1252
(a superset of Latin-1) in Europe, Shift-JIS and Big5), it tells them apart reliably."""


def decode_text(raw: bytes, declared: str = "", configured: str = "") -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for encoding in (declared.strip(), configured.strip()):
        if encoding:
            try:
                return raw.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                pass
    return _detected(raw)


@lru_cache(maxsize=256)
def _detected(raw: bytes) -> str:
    best = charset_normalizer.from_bytes(raw, cp_isolation=list(LEGACY_CANDIDATES)).best()
    return str(best) if best is not None else raw.decode("utf-8", "replace")
