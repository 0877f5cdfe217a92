"""Committing the written reports into a git repository (and pushing, if asked).

Idempotent by nature: a re-run that writes the same bytes leaves nothing to commit.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Literal

from repodigest.config import Config
from repodigest.errors import BadInput
from repodigest.publish.base import Edition, Ledger, Publication
from repodigest.publish.errors import PublishError
from repodigest.publish.files import FilesPublisher
from repodigest.publish.settings import PublisherSettings, parse_section

MESSAGE = "repodigest: reports for {date}"


class GitSettings(PublisherSettings):
    kind: Literal["git"] = "git"
    repository: str | None = None
    """Work tree to commit in; default: the one that contains the output folder."""
    push: bool = False
    remote: str = "origin"
    branch: str | None = None
    author: str = "repodigest <repodigest@localhost>"


class GitPublisher:
    name = "git"

    def __init__(self, settings: GitSettings, files: FilesPublisher, work_tree: Path) -> None:
        self.settings = settings
        self.files = files
        self.work_tree = work_tree

    def publish(self, edition: Edition) -> list[Publication]:
        paths = [str(self.files.path_for(edition, d).resolve().relative_to(self.work_tree))
                 for d in edition.documents if d.format in self.files.formats]
        self._git("add", "--", *paths)
        if not self._git("diff", "--cached", "--name-only", "--", *paths).strip():
            return [Publication(target=f"git:{self.work_tree}", key=edition.report.date.isoformat(),
                                remote_id=self._git("rev-parse", "HEAD").strip())]
        name, _, email = self.settings.author.partition("<")
        env = {"GIT_AUTHOR_NAME": name.strip(), "GIT_AUTHOR_EMAIL": email.rstrip(">"),
               "GIT_COMMITTER_NAME": name.strip(), "GIT_COMMITTER_EMAIL": email.rstrip(">")}
        self._git("commit", "-q", "-m", MESSAGE.format(date=edition.report.date.isoformat()), "--", *paths, env=env)
        sha = self._git("rev-parse", "HEAD").strip()
        if self.settings.push:
            branch = self.settings.branch or self._git("rev-parse", "--abbrev-ref", "HEAD").strip()
            self._git("push", "-q", self.settings.remote, f"HEAD:{branch}")
        return [Publication(target=f"git:{self.work_tree}", key=edition.report.date.isoformat(), remote_id=sha)]

    def _git(self, *args: str, env: dict | None = None) -> str:
        import os

        completed = subprocess.run(["git", "-C", str(self.work_tree), *args], capture_output=True, text=True,
                                   env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})})
        if completed.returncode != 0:
            last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
            raise PublishError(f"git {args[0]} in {self.work_tree} failed: {last}")
        return completed.stdout


def build(section: dict, config: Config, ledger: Ledger) -> GitPublisher:
    settings = parse_section(GitSettings, section)
    output = Path(config.output).resolve()
    start = Path(settings.repository).resolve() if settings.repository else output
    probe = start if start.exists() else start.parent
    found = subprocess.run(["git", "-C", str(probe), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if found.returncode != 0:
        raise BadInput(f"[[publish]] kind = \"git\": {probe} is not inside a git work tree",
                       "set `repository` to a clone, or put the output folder inside one")
    work_tree = Path(found.stdout.strip()).resolve()
    if not output.is_relative_to(work_tree):
        raise BadInput(f"[[publish]] kind = \"git\": the output folder {output} is not inside {work_tree}",
                       "point `output` into that repository")
    return GitPublisher(settings, FilesPublisher(output, config.formats), work_tree)
