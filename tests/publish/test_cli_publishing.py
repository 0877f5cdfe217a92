"""Publishing through the real command: every target once per day, re-runs update, secrets
never leave the environment."""

import os
from pathlib import Path

from support.cli import run_cli
from support.day_fixture import DAY, build_day_repo
from support.github_api import FakeGitHub
from support.http_server import LocalServer, Response
from support.smtp import start_smtp

TOKEN = "ghp_" + "Z" * 36
HOOK_TOKEN = "T000/B000/hooksecretvalue123"
SMTP_PASSWORD = "smtp-pass-Q9w8e7"


def _config(tmp_path: Path, repo: Path, github_url: str, hook_url_env: str, smtp_port: int, cert: Path) -> Path:
    config = tmp_path / "repodigest.toml"
    config.write_text(f'''
output = "{tmp_path / "out"}"
[[repositories]]
path = "{repo}"
name = "acme/demo"
[[publish]]
kind = "github"
repository = "acme/reports"
api_url = "{github_url}"
token_env = "REPORTS_TOKEN"
[[publish]]
kind = "slack"
url_env = "{hook_url_env}"
[[publish]]
kind = "mail"
host = "localhost"
port = {smtp_port}
security = "starttls"
username = "bot"
password_env = "SMTP_PASSWORD"
sender = "repodigest@example.org"
recipients = ["team@example.org"]
ca_file = "{cert}"
''')
    return config


def test_every_target_once_and_no_secret_anywhere(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    github = FakeGitHub(token=TOKEN)
    slack_messages = []
    controller, inbox, port, cert = start_smtp(tmp_path, "starttls", user="bot", password=SMTP_PASSWORD)
    with github.serve(), LocalServer(lambda r: (slack_messages.append(r), Response(200, "ok"))[1]) as slack:
        env = {
            "REPORTS_TOKEN": TOKEN,
            "SLACK_HOOK": f"{slack.url}/services/{HOOK_TOKEN}",
            "SMTP_PASSWORD": SMTP_PASSWORD,
        }
        config = _config(tmp_path, day_repo.path, github.server.url, "SLACK_HOOK", port, cert)
        outputs = []
        for _ in range(2):
            result = run_cli("run", "--config", str(config), "--date", DAY, "-v", env=env, cwd=tmp_path)
            assert result.code == 0, result.stderr
            outputs.append(result.stdout + result.stderr)
    controller.stop()
    assert len(github.issues) == 1 and len(slack_messages) == 1 and len(inbox.messages) == 1
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and "demo" not in p.parts[-4:-1])
    state = b"".join(p.read_bytes() for p in Path(os.environ["REPODIGEST_HOME"]).rglob("*") if p.is_file())
    for secret in (TOKEN, HOOK_TOKEN, SMTP_PASSWORD):
        assert secret not in "".join(outputs)
        assert secret.encode() not in written.replace(config_bytes(tmp_path), b"")
        assert secret.encode() not in state


def config_bytes(tmp_path: Path) -> bytes:
    return (tmp_path / "repodigest.toml").read_bytes()


def test_a_failing_publisher_is_named_exit_1_and_the_rest_still_publish(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    github = FakeGitHub(token="the-right-token")
    controller, inbox, port, cert = start_smtp(tmp_path, "starttls", user="bot", password=SMTP_PASSWORD)
    with github.serve(), LocalServer(lambda r: Response(200, "ok")) as slack:
        env = {"REPORTS_TOKEN": TOKEN, "SLACK_HOOK": f"{slack.url}/x", "SMTP_PASSWORD": SMTP_PASSWORD}
        config = _config(tmp_path, day_repo.path, github.server.url, "SLACK_HOOK", port, cert)
        result = run_cli("run", "--config", str(config), "--date", DAY, env=env, cwd=tmp_path)
    controller.stop()
    assert result.code == 1
    assert "publishing failed: github: GitHub POST /labels in acme/reports: HTTP 401 Bad credentials" in result.stderr
    assert TOKEN not in result.stderr
    assert len(slack.requests) == 1 and len(inbox.messages) == 1
    assert (tmp_path / "out/2026/demo/2026-02-27.md").is_file()


def test_a_missing_secret_is_bad_input_before_anything_is_written(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    config = _config(tmp_path, day_repo.path, "http://127.0.0.1:9", "SLACK_HOOK", 25, tmp_path / "none.pem")
    result = run_cli("run", "--config", str(config), "--date", DAY, env={"REPORTS_TOKEN": ""}, cwd=tmp_path)
    assert result.code == 2
    assert result.stderr.strip() == (
        "repodigest: error: the GitHub publisher for acme/reports needs the environment "
        "variable REPORTS_TOKEN, which is not set — export REPORTS_TOKEN=... (never put "
        "the value itself in the config file)"
    )
    assert not (tmp_path / "out").exists()


def test_a_refused_chat_message_exits_1_and_the_next_run_sends_it(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    answers = [Response(500, "rollup_error", {"Content-Type": "text/plain"})]
    with LocalServer(lambda r: answers.pop(0) if answers else Response(200, "ok")) as slack:
        config = tmp_path / "repodigest.toml"
        config.write_text(
            f'output = "{tmp_path / "out"}"\n[[repositories]]\npath = "{day_repo.path}"\n'
            f'[[publish]]\nkind = "slack"\nurl_env = "SLACK_HOOK"\n'
            f'report_url = "file://{tmp_path / "out"}/{{path}}"\n'
        )
        env = {"SLACK_HOOK": f"{slack.url}/services/{HOOK_TOKEN}"}
        first = run_cli("run", "--config", str(config), "--date", DAY, env=env, cwd=tmp_path)
        assert first.code == 1, first.stderr
        assert (
            "publishing failed: slack: slack webhook refused the message for 2026-02-27: HTTP 500 rollup_error; "
            "not delivered, it is sent again on the next run" in first.stderr
        )
        second = run_cli("run", "--config", str(config), "--date", DAY, env=env, cwd=tmp_path)
        assert second.code == 0, second.stderr
        third = run_cli("run", "--config", str(config), "--date", DAY, env=env, cwd=tmp_path)
        assert third.code == 0, third.stderr
    assert len(slack.requests) == 2
    text = slack.requests[1].json()["blocks"][1]["text"]["text"]
    link = text.rsplit("<", 1)[1].split("|")[0]
    assert Path(link.removeprefix("file://")).is_file()  # {path}: the single repository's own file
    assert link.endswith("/out/2026/demo/2026-02-27.md")


def test_an_unknown_delivery_exits_1_on_every_run_until_dismissed(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    with LocalServer(lambda r: Response(200, {"errcode": 0})) as wecom:
        config = tmp_path / "repodigest.toml"
        config.write_text(
            f'output = "{tmp_path / "out"}"\n[[repositories]]\npath = "{day_repo.path}"\n'
            f'[[publish]]\nkind = "wecom"\nname = "team"\nurl_env = "WECOM_HOOK"\n'
        )
        env = {"WECOM_HOOK": f"{wecom.url}/cgi-bin/webhook/send?key=k"}
        from repodigest.state.store import StateStore

        StateStore.open().begin("wecom:team", DAY, "x")  # what a run killed while sending leaves
        for _ in range(2):
            result = run_cli("run", "--config", str(config), "--date", DAY, env=env, cwd=tmp_path)
            assert result.code == 1
            assert (
                "publishing failed: wecom: the message for 2026-02-27 may or may not have been delivered"
                in result.stderr
            )
            assert "python -m repodigest.publish.deliveries dismiss wecom:team 2026-02-27" in result.stderr
        assert not wecom.requests
        listed = run_module("list", cwd=tmp_path)
        assert listed.code == 1 and listed.stdout.startswith("wecom:team\t2026-02-27\tpending")
        assert run_module("retry", "wecom:team", DAY, cwd=tmp_path).code == 0
        result = run_cli("run", "--config", str(config), "--date", DAY, env=env, cwd=tmp_path)
        assert result.code == 0, result.stderr
        assert len(wecom.requests) == 1
        assert run_module("list", cwd=tmp_path).code == 0


def run_module(*args: str, cwd: Path):
    import subprocess
    import sys

    from support.cli import CliResult

    done = subprocess.run(
        [sys.executable, "-m", "repodigest.publish.deliveries", *args], capture_output=True, text=True, cwd=cwd
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def test_a_lost_state_makes_no_second_issue(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    github = FakeGitHub(token=TOKEN)
    with github.serve():
        config = tmp_path / "repodigest.toml"
        config.write_text(
            f'output = "{tmp_path / "out"}"\n[[repositories]]\npath = "{day_repo.path}"\n'
            f'[[publish]]\nkind = "github"\nrepository = "acme/reports"\napi_url = "{github.server.url}"\n'
            'token_env = "REPORTS_TOKEN"\n'
        )
        for _ in range(2):
            result = run_cli("run", "--config", str(config), "--date", DAY, env={"REPORTS_TOKEN": TOKEN}, cwd=tmp_path)
            assert result.code == 0, result.stderr
            for state in Path(os.environ["REPODIGEST_HOME"]).rglob("state.db*"):
                state.unlink()  # an evicted Actions cache
    assert len(github.issues) == 1
    assert sum(1 for r in github.server.requests if r.method == "POST" and r.path.endswith("/issues")) == 1
