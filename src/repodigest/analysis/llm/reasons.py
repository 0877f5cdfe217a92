"""Why an LLM analysis did not complete, in the report's language."""

from __future__ import annotations

REASONS = {
    "length": {"en": "the answer was cut off at the token limit", "zh": "回答在令牌上限处被截断"},
    "invalid": {"en": "the answer was not valid JSON for the schema", "zh": "回答不是符合格式的 JSON"},
    "timeout": {"en": "the model server timed out, also on retries", "zh": "模型服务超时（重试后仍然如此）"},
    "connect": {
        "en": "could not connect to the model server, also on retries",
        "zh": "无法连接模型服务（重试后仍然如此）",
    },
    "http": {
        "en": "the model server answered HTTP {detail}, also on retries",
        "zh": "模型服务返回 HTTP {detail}（重试后仍然如此）",
    },
    "rejected": {
        "en": "the model server rejected the request (HTTP 400: {detail})",
        "zh": "模型服务拒绝了请求（HTTP 400：{detail}）",
    },
    "no_answer": {"en": "no answer", "zh": "没有回答"},
}


def failure_reason(kind: str, language: str, **values) -> str:
    texts = REASONS.get(kind, REASONS["no_answer"])
    return texts.get(language, texts["en"]).format(**{"detail": "", **values})
