"""A small threaded HTTP server on 127.0.0.1 for tests: a handler function per test."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int = 200
    body: object = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


Handler = Callable[[Request], Response]


class _Server(ThreadingHTTPServer):
    request_queue_size = 128
    """socketserver's default listen backlog is 5: with more clients connecting at once (eight
    model requests side by side, each on a new HTTP/1.0 connection) the kernel drops the extra
    handshakes and the clients resend them after 1 s, which timed the stub, not the client.
    Production servers listen with backlogs in the hundreds."""


class LocalServer:
    """Serves `handler` on 127.0.0.1 until stopped; every request is kept in `requests`, or those
    that `kept` says, the others in `others`."""

    def __init__(self, handler: Handler, kept: Callable[[Request], bool] = lambda _request: True) -> None:
        self.handler = handler
        self.requests: list[Request] = []
        self.others: list[Request] = []
        owner = self

        class _Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                parts = urlsplit(self.path)
                request = Request(
                    self.command,
                    parts.path,
                    {k: v[0] for k, v in parse_qs(parts.query).items()},
                    {k.lower(): v for k, v in self.headers.items()},
                    self.rfile.read(length),
                )
                (owner.requests if kept(request) else owner.others).append(request)
                response = owner.handler(request)
                if response.delay:
                    import time

                    time.sleep(response.delay)
                payload = response.body if isinstance(response.body, (bytes, str)) else json.dumps(response.body)
                payload = payload.encode() if isinstance(payload, str) else payload
                try:
                    self.send_response(response.status)
                    for name, value in response.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", response.headers.get("Content-Type", "application/json"))
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _serve

            def log_message(self, *args) -> None:
                return None

        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
