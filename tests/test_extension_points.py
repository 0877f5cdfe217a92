"""The README's promise about the layout: a new output format is one module plus one line in the
renderer registry, a new publisher one module plus one line in the publisher registry. The toy
modules below live outside the package, and the only change to repodigest is the two lines that
register them (in a launcher, so the package itself is not edited)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from support.day_fixture import DAY, build_day_repo

TOY_RENDERER = '''
"""A plain-text list of the day's commits, one line each."""


class PlainTextRenderer:
    extension = "txt"

    def render(self, report):
        lines = [f"{report.date} {r.repository.name}" for r in report.repositories]
        lines += [f"- {e.commit.subject}" for r in report.repositories for e in r.commits]
        return "\\n".join(lines) + "\\n"
'''

TOY_PUBLISHER = '''
"""Appends each edition's date and formats to a log file named in its [[publish]] section."""
import json
from pathlib import Path

from repodigest.publish.base import Publication


class LogPublisher:
    name = "toy"
    needs_formats = ("txt",)

    def __init__(self, log: Path):
        self.log = log

    def publish(self, edition):
        formats = sorted({d.format for d in edition.documents})
        text = edition.document("txt", edition.report.repositories[0].repository.key).content
        with self.log.open("a") as stream:
            stream.write(json.dumps({"date": str(edition.report.date), "formats": formats, "txt": text}) + "\\n")
        return [Publication(target=f"toy:{self.log}", key=str(edition.report.date), location=str(self.log))]


def build(section, context, ledger):
    return LogPublisher(Path(section["log"]))
'''

LAUNCHER = """
import sys

from repodigest.publish.registry import PUBLISHERS
from repodigest.render.registry import RENDERERS

RENDERERS["txt"] = "toy_renderer:PlainTextRenderer"
PUBLISHERS["toy"] = "toy_publisher"

from repodigest.cli import main

sys.argv[0] = "repodigest"
main()
"""


def test_a_toy_renderer_and_a_toy_publisher_need_one_module_and_one_line_each(tmp_path):
    repo = build_day_repo(tmp_path / "demo")
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "toy_renderer.py").write_text(textwrap.dedent(TOY_RENDERER))
    (plugins / "toy_publisher.py").write_text(textwrap.dedent(TOY_PUBLISHER))
    (plugins / "launch.py").write_text(textwrap.dedent(LAUNCHER))
    log = tmp_path / "toy.log"
    config = tmp_path / "repodigest.toml"
    config.write_text(f'formats = ["md", "txt"]\n[[publish]]\nkind = "toy"\nlog = "{log}"\n')
    out = tmp_path / "reports"
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(plugins), env.get("PYTHONPATH")]))
    env["REPODIGEST_HOME"] = str(tmp_path / "home")
    arguments = ["run", "--config", str(config), "--repo", str(repo.path), "--date", DAY, "--out", str(out)]
    completed = subprocess.run(
        [sys.executable, str(plugins / "launch.py"), *arguments],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    text = (out / "2026" / "demo" / f"{DAY}.txt").read_text()
    assert text.splitlines()[0] == f"{DAY} demo"
    assert len(text.splitlines()) == 1 + len(repo.expected)
    logged = [json.loads(line) for line in log.read_text().splitlines()]
    assert [entry["date"] for entry in logged] == [DAY]
    assert logged[0]["formats"] == ["md", "txt"]
    assert logged[0]["txt"] == text


def test_an_unregistered_format_is_bad_input(tmp_path):
    repo = build_day_repo(tmp_path / "demo")
    completed = subprocess.run(
        [sys.executable, "-m", "repodigest", "run", "--repo", str(repo.path), "--date", DAY, "--format", "md,txt"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "REPODIGEST_HOME": str(tmp_path / "home")},
        timeout=300,
    )
    assert completed.returncode == 2
    assert "unknown format 'txt'" in completed.stderr and "md, json, html" in completed.stderr
    assert not (tmp_path / "reports").exists()
