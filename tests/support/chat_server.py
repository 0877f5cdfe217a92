"""What every OpenAI-compatible stub on 127.0.0.1 shares: serving, its base URL, and a 404 for
any path but chat completions. A stub answers in `complete`."""

from __future__ import annotations

from support.http_server import LocalServer, Request, Response


class ChatCompletionsServer:
    def serve(self) -> LocalServer:
        self.server = LocalServer(self.handle)
        return self.server

    @property
    def base_url(self) -> str:
        return self.server.url + "/v1"

    def handle(self, request: Request) -> Response:
        if request.path != "/v1/chat/completions":
            return Response(404, {"error": {"message": "not found"}})
        return self.complete(request, request.json())

    def complete(self, request: Request, body: dict) -> Response:
        raise NotImplementedError
