"""What every OpenAI-compatible stub on 127.0.0.1 shares: serving, its base URL, and a 404 for
any path but chat completions. A stub answers in `complete`.

`server.requests` holds the requests to the model (chat completions), which the tool counts as
calls; `server.others` the rest, such as the tokenizer probes that hosted APIs answer with 404."""

from __future__ import annotations

from support.http_server import LocalServer, Request, Response

CHAT = "/v1/chat/completions"


class ChatCompletionsServer:
    def serve(self) -> LocalServer:
        self.server = LocalServer(self.handle, kept=lambda request: request.path == CHAT)
        return self.server

    @property
    def base_url(self) -> str:
        return self.server.url + "/v1"

    def handle(self, request: Request) -> Response:
        if request.path != CHAT:
            return Response(404, {"error": {"message": "not found"}})
        return self.complete(request, request.json())

    def complete(self, request: Request, body: dict) -> Response:
        raise NotImplementedError
