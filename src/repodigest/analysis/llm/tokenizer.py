"""The server's own token count, where the server offers one.

Self-hosted servers tokenize on request — llama.cpp's and vLLM's `POST /tokenize`,
llama-cpp-python's `POST /extras/tokenize/count` — with the very vocabulary the model reads, so a
prompt can be held to its budget exactly, from the first prompt on, where any estimate is off by
up to a quarter on code. Hosted APIs (OpenAI, DeepSeek) have no such endpoint: for them the
estimate and its calibration from usage (tokens.py) stand.

Which of the three a server speaks is found out once, with a one-word probe, and kept in the state
with what else the analyzer learnt (`Kind` as a number), so later runs send no probe at all.
There is no SDK for these endpoints; each is one small JSON POST, sent through the chat client's
own HTTP client (same connection pool, timeout and key).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

log = logging.getLogger(__name__)
PROBE_TEXT = "probe"


class Kind(IntEnum):
    """How a server counts tokens on request; the value is what the state keeps."""

    NONE = 0
    LLAMA_CPP = 1
    """llama.cpp's server: POST /tokenize {"content"} → {"tokens": [...]}."""
    VLLM = 2
    """vLLM: POST /tokenize {"model", "prompt"} → {"count", "tokens", ...}."""
    LLAMA_CPP_PYTHON = 3
    """llama-cpp-python's server: POST /extras/tokenize/count {"input", "model"} → {"count"}."""


@dataclass(frozen=True)
class _Endpoint:
    path: str
    body: Callable[[str, str], dict]


ENDPOINTS = {
    Kind.LLAMA_CPP: _Endpoint("/tokenize", lambda _model, text: {"content": text, "add_special": False}),
    Kind.VLLM: _Endpoint(
        "/tokenize", lambda model, text: {"model": model, "prompt": text, "add_special_tokens": False}
    ),
    Kind.LLAMA_CPP_PYTHON: _Endpoint("/extras/tokenize/count", lambda model, text: {"input": text, "model": model}),
}

Post = Callable[[str, dict], Any]
"""Sends a JSON body to a path under the server's root; returns the decoded JSON answer, or
raises (any exception: the endpoint is not there or not usable)."""


class ServerTokenizer:
    """Counts text with the server's tokenizer; `count` returns None when the server has none.
    Thread-safe: the first caller probes, the others wait for its answer."""

    def __init__(self, post: Post | None, model: str, known: Kind | None = None) -> None:
        self._post = post
        self.model = model
        self.kind = Kind.NONE if post is None else known
        """None until probed (or recalled from the state)."""
        self._lock = threading.Lock()
        self._counting = threading.Lock()
        self.requests = 0
        """Requests sent to the tokenizer, probes included (none of them reaches the model)."""
        self._sure = True
        """False when a probe got no answer at all (the server was down): not worth keeping."""

    @property
    def probed(self) -> bool:
        """Whether the kind is known for sure (worth keeping in the state)."""
        return self._post is not None and self.kind is not None and self._sure

    def recall(self, kind: Kind) -> None:
        """What an earlier run's probe found: no probe this time."""
        if self._post is not None and self.kind is None:
            self.kind = kind

    def count(self, text: str) -> int | None:
        kind = self._known_kind()
        if kind == Kind.NONE:
            return None
        try:
            return _tokens(kind, self._send(kind, text))
        except Exception as error:  # whatever the server or its answer did wrong: the estimate stands
            log.debug("the server's tokenizer failed (%s); using the estimate", error)
            return None

    def _known_kind(self) -> Kind:
        with self._lock:
            if self.kind is None:
                self.kind = self._probe()
            return self.kind

    def _probe(self) -> Kind:
        """The first kind whose endpoint answers the probe in its own shape. Both /tokenize
        dialects get one probe, carrying both their fields; the answer's shape tells them apart."""
        both = {
            **ENDPOINTS[Kind.LLAMA_CPP].body(self.model, PROBE_TEXT),
            **ENDPOINTS[Kind.VLLM].body(self.model, PROBE_TEXT),
        }
        probes = [
            ("/tokenize", both, lambda answer: Kind.VLLM if "count" in answer else Kind.LLAMA_CPP),
            (
                ENDPOINTS[Kind.LLAMA_CPP_PYTHON].path,
                ENDPOINTS[Kind.LLAMA_CPP_PYTHON].body(self.model, PROBE_TEXT),
                None,
            ),
        ]
        for path, body, which in probes:
            try:
                answer = self._request(path, body)
                kind = which(answer) if which else Kind.LLAMA_CPP_PYTHON
                _tokens(kind, answer)
            except Exception as error:  # not this endpoint (404, another shape, no connection): try the next
                self._sure = self._sure and _answered(error)
                continue
            log.info("the LLM server counts tokens on request (%s)", kind.name.lower().replace("_", "-"))
            return kind
        return Kind.NONE

    def _send(self, kind: Kind, text: str) -> Any:
        endpoint = ENDPOINTS[kind]
        return self._request(endpoint.path, endpoint.body(self.model, text))

    def _request(self, path: str, body: dict) -> Any:
        assert self._post is not None
        with self._counting:
            self.requests += 1
        return self._post(path, body)


def _answered(error: Exception) -> bool:
    """The server answered (an HTTP status, or JSON of another shape), rather than not at all."""
    return getattr(error, "response", None) is not None or isinstance(error, (ValueError, KeyError, TypeError))


def _tokens(kind: Kind, answer: Any) -> int:
    if not isinstance(answer, dict):
        raise ValueError("not a JSON object")
    if kind == Kind.LLAMA_CPP:
        tokens = answer["tokens"]
        if not isinstance(tokens, list):
            raise ValueError("tokens is not a list")
        return len(tokens)
    value = answer["count"]
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError("count is not a number")
    return value
