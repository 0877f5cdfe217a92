"""No credential leaves the place it was given: not on stderr at -v, not in a report, not in the
state database — whatever form a library or a server puts it in."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from support.cli import run_cli
from support.day_fixture import DAY, build_day_repo
from support.http_server import LocalServer, Response

PASSWORD = "Pa55word-Q7z"
USER_TOKEN = "ghp_userinfoToken0123456789"


def everything_written(tmp_path: Path) -> str:
    """Every output file, and a dump of every table of the state database."""
    home = Path(os.environ["REPODIGEST_HOME"])
    texts = [p.read_bytes().decode("utf-8", "replace") for p in (tmp_path / "out").rglob("*") if p.is_file()]
    for database in home.rglob("*.db"):
        with sqlite3.connect(database) as connection:
            texts.extend(connection.iterdump())
    return "\n".join(texts)


@pytest.mark.parametrize(
    "url",
    [
        f"https://bot:{PASSWORD}@127.0.0.1:{{port}}/acme/x.git",
        f"https://{USER_TOKEN}@127.0.0.1:{{port}}/acme/x.git",
        f"HTTPS://bot:{PASSWORD.lower()}@127.0.0.1:{{port}}/acme/x.git",
    ],
)
def test_url_credentials_never_appear_when_the_clone_fails(tmp_path, url):
    # The server refuses and echoes the path and the Authorization header it was sent.
    with LocalServer(lambda r: Response(403, f"denied {r.path} {r.headers.get('authorization')}")) as server:
        port = server.url.rsplit(":", 1)[1]
        result = run_cli("run", "--repo", url.format(port=port), "--date", DAY, "--out", str(tmp_path / "out"), "-v")
    assert result.code == 1, result.stderr
    assert "cannot clone https://127.0.0.1" in result.stderr.lower()  # the URL is named, without its user part
    written = everything_written(tmp_path)
    assert "FAILED" in result.stderr and "acme/x" in written
    for secret in (PASSWORD, USER_TOKEN):
        for where in (result.stderr, result.stdout, written):
            assert secret.lower() not in where.lower()


def test_webhook_tokens_are_redacted_in_any_form_httpx_or_the_server_gives_them(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    token, key = "hookSecret0123 x", "accessKey987654"

    def refuse(request):  # like a chat service that says which hook it did not know
        return Response(404, {"error": f"no hook {request.path}?access_token={request.query.get('access_token')}"})

    with LocalServer(refuse) as hook:
        # Upper-case scheme and host, and a space that httpx sends as %20: the logged URL differs
        # from the configured one.
        url = hook.url.replace("http://127.0.0.1", "HTTP://LOCALHOST") + f"/services/{token}?access_token={key}"
        config = tmp_path / "repodigest.toml"
        config.write_text(
            f'output = "{tmp_path / "out"}"\n[[repositories]]\npath = "{day_repo.path}"\n'
            '[[publish]]\nkind = "slack"\nurl_env = "HOOK"\n',
            encoding="utf-8",
        )
        result = run_cli("run", "--config", str(config), "--date", DAY, "-vv", env={"HOOK": url}, cwd=tmp_path)
    assert result.code == 1 and hook.requests, result.stderr
    assert "HTTP Request" in result.stderr  # httpx did log the request
    written = everything_written(tmp_path)
    for secret in ("hookSecret0123", "hookSecret0123%20x", key):
        for where in (result.stderr, result.stdout, written):
            assert secret.lower() not in where.lower(), where
