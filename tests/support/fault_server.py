"""An OpenAI-compatible chat server on 127.0.0.1 that answers well, or fails on purpose.

`faults` is consumed one per request: "timeout" (answers after the client gave up), "429" (with
Retry-After), "500", "malformed" (not JSON), "schema" (JSON that breaks the schema), "length"
(cut off, finish_reason "length"), "reject_schema" (400 for response_format json_schema),
"malformed_batch" (the first shared call gets a malformed answer), "ungrounded" (a day summary
naming only a file that does not exist), or "ok". With no faults left it answers "ok": a valid
analysis that names a file from the prompt,
plus one sentence about a file that does not exist (which grounding must drop).
"""

from __future__ import annotations

import json
import re
import time

from support.chat_server import ChatCompletionsServer
from support.http_server import Request, Response

INVENTED = "src/never/existed.py"


class FaultServer(ChatCompletionsServer):
    def __init__(self, faults: list[str] | None = None, delay: float = 0.0, timeout_delay: float = 3.0) -> None:
        self.faults = list(faults or [])
        self.delay = delay
        self.timeout_delay = timeout_delay
        self.completions = 0

    def complete(self, request: Request, body: dict) -> Response:
        batch = '{"analyses"' in body["messages"][0]["content"]
        if self.faults and self.faults[0] == "malformed_batch" and not batch:
            fault = "ok"  # this fault waits for a shared call
        else:
            fault = self.faults.pop(0) if self.faults else "ok"
        fault = "malformed" if fault == "malformed_batch" else fault
        if fault == "timeout":
            return Response(200, _completion(body, "{}", "stop"), delay=self.timeout_delay)
        if fault == "429":
            return Response(429, {"error": {"message": "Rate limit reached", "type": "requests"}}, {"retry-after": "1"})
        if fault == "500":
            return Response(500, {"error": {"message": "The server had an error"}})
        if fault == "reject_schema" and body.get("response_format", {}).get("type") == "json_schema":
            return Response(
                400,
                {"error": {"message": "response_format json_schema is not supported", "type": "invalid_request_error"}},
            )
        prompt = "\n".join(m["content"] for m in body["messages"])
        if "opening paragraph" in body["messages"][0]["content"]:
            answer = _day_summary(body["messages"][-1]["content"], grounded=fault != "ungrounded")
        else:
            answer = _answer(prompt, batch=batch)
        if fault == "malformed":
            return Response(200, _completion(body, "Sure! Here is the analysis: {summary: oops", "stop"))
        if fault == "schema":
            return Response(200, _completion(body, json.dumps({"summary": 42, "importance": "urgent"}), "stop"))
        if fault == "length":
            return Response(200, _completion(body, answer[: len(answer) // 2], "length"))
        self.completions += 1
        return Response(200, _completion(body, answer, "stop"), delay=self.delay)


def _answer(prompt: str, batch: bool) -> str:
    commits = re.findall(r"^COMMIT ([0-9a-f]{7}) ", prompt, re.MULTILINE)
    files = re.findall(r"^  (\S+) \[", prompt, re.MULTILINE)
    named = f"`{files[0]}`" if files else "the change"
    analysis = {
        "change_types": ["feat"],
        "importance": "low",
        "importance_reason": f"Only {named} changes in a small way.",
        "summary": f"Updates {named}. It also rewrites `{INVENTED}` entirely.",
        "impact_scope": [f"{named}"],
        "insights": [{"dimension": "architecture", "points": [f"## Heading\n- **{named}** is touched."]}],
        "risks": [{"severity": "medium", "title": "Callers", "text": f"Callers of `{INVENTED}` may break."}],
        "suggestions": [{"audience": "reviewers", "text": f"Review {named}", "why": "it changed"}],
    }
    if batch:
        return json.dumps({"analyses": [{**analysis, "sha": sha} for sha in commits]})
    return json.dumps(analysis)


def _day_summary(lines: str, grounded: bool) -> str:
    """Cites the day's first commit by its short sha, as the prompt allows."""
    sha = re.search(r"\] ([0-9a-f]{7}) ", lines)[1]
    if not grounded:
        return json.dumps({"summary": f"Today rewrote `{INVENTED}`."})
    return json.dumps({"summary": f"The day's first change is `{sha}`. Nothing else stands out."})


def _completion(request: dict, content: str, finish_reason: str) -> dict:
    prompt_tokens = sum(len(m["content"]) for m in request["messages"]) // 4
    return {
        "id": f"chatcmpl-{time.time_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request["model"],
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(content) // 4,
            "total_tokens": prompt_tokens + len(content) // 4,
        },
    }
