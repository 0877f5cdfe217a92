"""An OpenAI-compatible chat server on 127.0.0.1 that answers the way a strong model would: with
answers written by hand, per commit and language, in exactly the schema repodigest asks for.

Commits without a written answer get a short, valid, low-importance answer."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from support.chat_server import ChatCompletionsServer
from support.http_server import Request, Response

DATA = Path(__file__).parents[1] / "analysis" / "llm" / "data" / "strong"
PLAIN = {"zh": "见提交信息。", "en": "See the commit message."}


def written_answers() -> dict[str, dict]:
    """`<short sha>.<language>` → {"answer": the model's JSON, "planted": false sentences in it}."""
    return {path.stem: json.loads(path.read_text("utf-8")) for path in sorted(DATA.glob("*.json"))}


class StrongServer(ChatCompletionsServer):
    def __init__(self, answers: dict[str, dict], tokenize=None, serves_tokenize: bool = False) -> None:
        """`tokenize(text) -> tokens`: the count reported as usage (default: 3 characters a token);
        with `serves_tokenize` also on request, as llama.cpp's server does (`POST /tokenize`
        {"content"} → {"tokens": [...]})."""
        self.answers = answers
        self.tokenize = tokenize or (lambda text: len(text) // 3)
        self.serves_tokenize = serves_tokenize
        self.requests: list[dict] = []

    def handle(self, request: Request) -> Response:
        if self.serves_tokenize and request.path == "/tokenize":
            return Response(200, {"tokens": list(range(self.tokenize(request.json()["content"])))})
        return super().handle(request)

    def complete(self, request: Request, body: dict) -> Response:
        self.requests.append(body)
        system, user = body["messages"][0]["content"], body["messages"][-1]["content"]
        language = "zh" if "Simplified Chinese" in system else "en"
        sha = re.search(r"^COMMIT ([0-9a-f]{7}) ", user, re.MULTILINE)[1]
        written = self.answers.get(f"{sha}.{language}")
        answer = (
            written["answer"]
            if written
            else {
                "change_types": ["change"],
                "importance": "low",
                "importance_reason": PLAIN[language],
                "summary": PLAIN[language],
            }
        )
        content = json.dumps(answer, ensure_ascii=False)
        return Response(
            200,
            {
                "id": f"chatcmpl-{time.time_ns()}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body["model"],
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
                ],
                "usage": {
                    "prompt_tokens": self.tokenize(system + "\n" + user),
                    "completion_tokens": self.tokenize(content),
                    "total_tokens": self.tokenize(system + "\n" + user) + self.tokenize(content),
                },
            },
        )
