"""Committing the written reports into a git repository (and pushing, if asked).

Idempotent by nature: a re-run that writes the same bytes leaves nothing to commit, so a lost
state never makes a second commit. With `push`, origin is the truth: its branch is fetched and
our commit rebased onto it (one file per day never conflicts), the push is retried when it is
rejected as non-fast-forward, and a local branch ahead of origin counts as unpublished, so a
re-run pushes what an earlier run committed but could not push. git's whole error is shown.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Literal

from repodigest.errors import BadInput
from repodigest.publish.base import Edition, Ledger, Publication, PublishContext
from repodigest.publish.errors import PublishError
from repodigest.publish.files import FilesPublisher
from repodigest.publish.settings import PublisherSettings, parse_section

MESSAGE = "repodigest: reports for {date}"
PUSH_ATTEMPTS = 3


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
    needs_formats: tuple[str, ...] = ()

    def __init__(self, settings: GitSettings, files: FilesPublisher, work_tree: Path, archive: bool = False) -> None:
        self.settings = settings
        self.files = files
        self.work_tree = work_tree
        self.archive = archive
        """Commit the archive's pages and feeds too (they are rewritten before this runs)."""

    def publish(self, edition: Edition) -> list[Publication]:
        paths = [
            str(self.files.path_for(edition, d).resolve().relative_to(self.work_tree))
            for d in edition.documents
            if d.format in self.files.formats
        ]
        if self.archive:
            from repodigest.publish.archive import archive_paths

            paths.extend(str(p.resolve().relative_to(self.work_tree)) for p in archive_paths(self.files.output))
        key = edition.key
        self._git("add", "--", *paths)
        if self._git("diff", "--cached", "--name-only", "--", *paths).strip():
            self._git("commit", "-q", "-m", MESSAGE.format(date=key), "--", *paths, env=self._identity())
        if self.settings.push:
            self._push()
        return [Publication(target=f"git:{self.work_tree}", key=key, remote_id=self._git("rev-parse", "HEAD").strip())]

    def _identity(self) -> dict:
        name, _, email = self.settings.author.partition("<")
        return {
            "GIT_AUTHOR_NAME": name.strip(),
            "GIT_AUTHOR_EMAIL": email.rstrip(">"),
            "GIT_COMMITTER_NAME": name.strip(),
            "GIT_COMMITTER_EMAIL": email.rstrip(">"),
        }

    def _push(self) -> None:
        remote = self.settings.remote
        branch = self.settings.branch or self._git("rev-parse", "--abbrev-ref", "HEAD").strip()
        upstream = f"refs/remotes/{remote}/{branch}"
        last: subprocess.CompletedProcess | None = None
        for _ in range(PUSH_ATTEMPTS):
            fetched = self._run("fetch", "-q", remote, f"+refs/heads/{branch}:{upstream}")
            if fetched.returncode == 0:
                if self._git("rev-list", "--count", f"{upstream}..HEAD").strip() == "0":
                    return  # origin has everything we have
                if self._git("rev-list", "--count", f"HEAD..{upstream}").strip() != "0":
                    self._rebase(upstream)
                    if self._git("rev-list", "--count", f"{upstream}..HEAD").strip() == "0":
                        return  # our commit was already there (same bytes): nothing to push
            elif "couldn't find remote ref" not in fetched.stderr:  # a new branch has nothing to fetch
                raise self._error("fetch", fetched)
            last = self._run("push", "-q", remote, f"HEAD:refs/heads/{branch}")
            if last.returncode == 0:
                return
            if not any(word in last.stderr for word in ("non-fast-forward", "fetch first", "rejected")):
                break
        assert last is not None  # PUSH_ATTEMPTS > 0
        raise self._error("push", last)

    def _rebase(self, upstream: str) -> None:
        rebased = self._run("rebase", "-q", "--autostash", upstream, env=self._identity())
        if rebased.returncode != 0:
            self._run("rebase", "--abort")
            raise self._error("rebase", rebased)

    def _run(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        import os

        return subprocess.run(
            ["git", "-C", str(self.work_tree), *args],
            capture_output=True,
            text=True,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})},
        )

    def _git(self, *args: str, env: dict | None = None) -> str:
        completed = self._run(*args, env=env)
        if completed.returncode != 0:
            raise self._error(args[0], completed)
        return completed.stdout

    def _error(self, what: str, completed: subprocess.CompletedProcess) -> PublishError:
        from repodigest.credentials import redact

        output = "\n".join(
            line.rstrip() for line in (completed.stderr or completed.stdout or "no output").strip().splitlines()
        )
        return PublishError(
            f"git {what} in {self.work_tree} failed (exit {completed.returncode}):\n"
            f"{redact(_strip_credentials(output))}"
        )


def _strip_credentials(text: str) -> str:
    """https://user:token@host → https://host, wherever git quotes a URL."""
    import re

    return re.sub(r"(\w+://)[^/@\s]+@", r"\1", text)


def build(section: dict, context: PublishContext, _ledger: Ledger) -> GitPublisher:
    settings = parse_section(GitSettings, section)
    output = Path(context.output).resolve()
    start = Path(settings.repository).resolve() if settings.repository else output
    probe = start if start.exists() else start.parent
    found = subprocess.run(["git", "-C", str(probe), "rev-parse", "--show-toplevel"], capture_output=True, text=True)
    if found.returncode != 0:
        raise BadInput(
            f'[[publish]] kind = "git": {probe} is not inside a git work tree',
            "set `repository` to a clone, or put the output folder inside one",
        )
    work_tree = Path(found.stdout.strip()).resolve()
    if not output.is_relative_to(work_tree):
        raise BadInput(
            f'[[publish]] kind = "git": the output folder {output} is not inside {work_tree}',
            "point `output` into that repository",
        )
    return GitPublisher(settings, FilesPublisher(output, context.formats), work_tree, archive=context.archive)
