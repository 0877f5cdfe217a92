"""Talking to an OpenAI-compatible chat endpoint through the `openai` SDK.

The SDK retries 408/409/429/5xx and timeouts with exponential backoff and jitter and honours
Retry-After, so there is no retry loop for those here; an httpx hook counts the attempts, so the
report can say how many retries a day cost. What the SDK cannot know — that a server rejects
`response_format` — is handled by stepping down from JSON Schema to JSON mode to plain text.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass

import openai

log = logging.getLogger(__name__)
JSON_MODES = ["schema", "object_schema", "object", "none"]
SCHEMA_IN_PROMPT = {"object", "none"}
TOKENIZER_TIMEOUT = 15.0
"""Seconds for a tokenizer request: counting is quick, a server that stalls on it is skipped."""
"""Tried in this order until the server accepts one: OpenAI-style `json_schema`; `json_object`
carrying the schema (how llama.cpp's Python server constrains output); plain JSON mode; none."""


@dataclass
class Completion:
    content: str
    finish_reason: str
    prompt_tokens: int
    completion_tokens: int
    attempts: int


class LlmUnavailable(Exception):
    """The endpoint failed after the SDK's retries; the message names the kind, never the key.
    `attempts` is how many requests were sent before giving up, so that they are counted."""

    def __init__(self, message: str, attempts: int = 1, kind: str = "http", detail: str = "") -> None:
        super().__init__(message)
        self.attempts = attempts
        self.kind = kind
        """timeout, connect, http or rejected: the report says it in its own language."""
        self.detail = detail


class ChatClient:
    def __init__(self, base_url: str | None, api_key: str, timeout: float, max_retries: int, json_mode: str) -> None:
        self._local = threading.local()
        # The SDK's own client class: its HTTP library differs between SDK versions (httpx, httpx2).
        http_client = openai.DefaultHttpxClient(timeout=timeout, event_hooks={"request": [self._count_attempt]})
        self.sdk = openai.OpenAI(
            base_url=base_url, api_key=api_key, timeout=timeout, max_retries=max_retries, http_client=http_client
        )
        self._http = http_client
        self._api_key = api_key
        self._timeout = min(timeout, TOKENIZER_TIMEOUT)
        self.root = _root(base_url)
        """The server's root URL (the base URL without `/v1`), where self-hosted servers keep
        their other endpoints (tokenizer.py); None for the SDK's default, OpenAI."""
        self.json_mode = json_mode
        self._mode_lock = threading.Lock()
        self._confirmed = False
        """Until a call succeeds, calls go out without the SDK's retries: a server that refuses
        our response_format (some answer 500) should be found out at once, not after backoff."""

    def post_json(self, path: str, body: dict) -> object:
        """A JSON POST to `path` under the server's root, with the same key; raises on any
        status but 2xx. Not a model call: no retries (and `complete` counts its attempts afresh)."""
        assert self.root is not None
        response = self._http.post(
            self.root + path,
            json=body,
            headers={"Authorization": f"Bearer {self._api_key}"},
            timeout=self._timeout,
        )
        response.raise_for_status()
        return response.json()

    def _count_attempt(self, _request: object) -> None:
        self._local.attempts = getattr(self._local, "attempts", 0) + 1

    def complete(
        self, model: str, messages: list[dict], schema: dict, max_tokens: int, temperature: float
    ) -> Completion:
        self._local.attempts = 0
        while True:
            mode = self.json_mode
            probing = not self._confirmed
            sdk = self.sdk.with_options(max_retries=0) if probing else self.sdk
            try:
                # Messages are plain role/content dicts; the SDK types them as TypedDicts.
                chat: list = with_schema(messages, schema) if mode in SCHEMA_IN_PROMPT else messages
                response = sdk.chat.completions.create(
                    model=model,
                    messages=chat,
                    max_tokens=max_tokens,
                    temperature=temperature,
                    **_response_format(mode, schema),
                )
            except openai.APIStatusError as error:
                # Some servers answer an unsupported response_format with 500, not 400.
                if mode != "none" and error.status_code in (400, 422, 500) and _about_response_format(error):
                    self._step_down(mode)
                    continue
                if probing and error.status_code != 400:
                    self._confirmed = True  # an ordinary failure: try again with the SDK's retries
                    continue
                if error.status_code == 400:
                    raise LlmUnavailable(
                        f"the server rejected the request (HTTP 400: {_message(error)})",
                        self._local.attempts,
                        "rejected",
                        _message(error),
                    ) from None
                raise LlmUnavailable(
                    f"HTTP {error.status_code} after retries", self._local.attempts, "http", str(error.status_code)
                ) from None
            except (openai.APITimeoutError, openai.APIConnectionError) as error:
                if probing:
                    self._confirmed = True
                    continue
                timed_out = isinstance(error, openai.APITimeoutError)
                raise LlmUnavailable(
                    f"{'timed out' if timed_out else 'could not connect'} after retries",
                    self._local.attempts,
                    "timeout" if timed_out else "connect",
                ) from None
            self._confirmed = True
            choice = response.choices[0] if response.choices else None
            usage = response.usage
            return Completion(
                content=(choice.message.content or "") if choice else "",
                finish_reason=(choice.finish_reason or "stop") if choice else "stop",
                prompt_tokens=usage.prompt_tokens if usage else 0,
                completion_tokens=usage.completion_tokens if usage else 0,
                attempts=self._local.attempts,
            )

    def _step_down(self, mode: str) -> None:
        with self._mode_lock:
            if self.json_mode == mode:
                self.json_mode = JSON_MODES[JSON_MODES.index(mode) + 1]
                log.warning("the LLM server does not accept response_format=%s; using %s", mode, self.json_mode)


def _root(base_url: str | None) -> str | None:
    if not base_url:
        return None
    root = base_url.rstrip("/")
    return root.removesuffix("/v1")


def schema_in_prompt(mode: str) -> bool:
    """Whether the schema travels in the system message (the server takes none in response_format)."""
    return mode in SCHEMA_IN_PROMPT


def with_schema(messages: list[dict], schema: dict) -> list[dict]:
    """The schema, once, at the end of the system message, for servers that cannot take it as a
    response_format."""
    system, *rest = messages
    text = system["content"] + "\nThe JSON must match this JSON Schema:\n" + json.dumps(schema, ensure_ascii=False)
    return [{**system, "content": text}, *rest]


def _response_format(mode: str, schema: dict) -> dict:
    if mode == "schema":
        return {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": "analysis", "schema": schema, "strict": False},
            }
        }
    if mode == "object_schema":
        return {"response_format": {"type": "json_object", "schema": schema}}
    if mode == "object":
        return {"response_format": {"type": "json_object"}}
    return {}


def _about_response_format(error: openai.APIStatusError) -> bool:
    text = _message(error).lower()
    return any(word in text for word in ("response_format", "json_schema", "json_object", "response format"))


def _message(error: openai.APIStatusError) -> str:
    body = error.body if isinstance(error.body, dict) else {}
    inner = body.get("error", body) if isinstance(body, dict) else {}
    return str(inner.get("message") if isinstance(inner, dict) else inner or error.message)[:200]
