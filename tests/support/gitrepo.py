"""Building real git repositories for tests: authors, committer dates and zones, merges,
renames, binary files and non-UTF-8 messages, all through the git command line."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class GitRepo:
    path: Path
    branch: str = "main"
    _counter: int = field(default=0, repr=False)

    @classmethod
    def create(cls, path: Path, branch: str = "main") -> GitRepo:
        path.mkdir(parents=True, exist_ok=True)
        repo = cls(path=path, branch=branch)
        repo.git("init", "-q", "-b", branch)
        repo.git("config", "user.name", "Fixture")
        repo.git("config", "user.email", "fixture@example.com")
        repo.git("config", "commit.gpgsign", "false")
        return repo

    def git(self, *args: str, env: dict[str, str] | None = None, input: bytes | None = None) -> str:
        merged = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", **(env or {})}
        result = subprocess.run(
            ["git", "-C", str(self.path), *args], capture_output=True, env=merged, input=input, check=True
        )
        return result.stdout.decode("utf-8", "replace").strip()

    def show(self, revision: str, path: str) -> str:
        """A file's exact text at a revision (git() strips its output; this does not)."""
        result = subprocess.run(
            ["git", "-C", str(self.path), "show", f"{revision}:{path}"], capture_output=True, check=True
        )
        return result.stdout.decode("utf-8", "replace")

    def write(self, relative: str, content: str | bytes) -> Path:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def remove(self, relative: str) -> None:
        self.git("rm", "-q", relative)

    def rename(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)

    def commit(
        self,
        message: str | bytes,
        when: str,
        author: tuple[str, str] = ("Fixture", "fixture@example.com"),
        committed: str | None = None,
        committer: tuple[str, str] | None = None,
        files: dict[str, str | bytes] | None = None,
        allow_empty: bool = False,
        encoding: str | None = None,
    ) -> str:
        """Commit with explicit dates: `when` is the author date, `committed` the committer date
        (default: the same), both as ISO 8601 with an offset, e.g. 2026-02-27T23:59:59+08:00."""
        for relative, content in (files or {}).items():
            self.write(relative, content)
        self.git("add", "-A")
        committer = committer or author
        env = {
            "GIT_AUTHOR_NAME": author[0],
            "GIT_AUTHOR_EMAIL": author[1],
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": committer[0],
            "GIT_COMMITTER_EMAIL": committer[1],
            "GIT_COMMITTER_DATE": committed or when,
        }
        args = ["commit", "-q", "--no-verify", "-F", "-"]
        if allow_empty:
            args.append("--allow-empty")
        if encoding:
            args = ["-c", f"i18n.commitEncoding={encoding}", *args]
        raw = message if isinstance(message, bytes) else message.encode("utf-8")
        self.git(*args, env=env, input=raw)
        return self.head()

    def commit_raw_message(
        self, message: bytes, when: str, author: tuple[str, str], files: dict[str, str | bytes] | None = None
    ) -> str:
        """Commit with the message bytes exactly as given. `git commit` would repair invalid
        UTF-8 (reading it as Latin-1); real histories contain such messages, so build the object."""
        from datetime import datetime

        for relative, content in (files or {}).items():
            self.write(relative, content)
        self.git("add", "-A")
        tree = self.git("write-tree")
        moment = datetime.fromisoformat(when)
        offset = moment.strftime("%z")
        stamp = f"{int(moment.timestamp())} {offset}"
        identity = f"{author[0]} <{author[1]}> {stamp}".encode()
        body = (
            f"tree {tree}\nparent {self.head()}\n".encode()
            + b"author "
            + identity
            + b"\ncommitter "
            + identity
            + b"\n\n"
            + message
            + b"\n"
        )
        sha = self.git("hash-object", "-t", "commit", "-w", "--stdin", "--literally", input=body)
        self.git("update-ref", "HEAD", sha)
        return sha

    def head(self) -> str:
        return self.git("rev-parse", "HEAD")

    def checkout(self, branch: str, create: bool = False) -> None:
        self.git("checkout", "-q", *(["-b"] if create else []), branch)

    def merge(self, branch: str, message: str, when: str, committed: str | None = None) -> str:
        env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": committed or when}
        self.git("merge", "-q", "--no-ff", "-m", message, branch, env=env)
        return self.head()


def site_with_bare_remote(root: Path, remote_name: str = "remote.git", track: bool = False) -> tuple[GitRepo, GitRepo]:
    """A reports repository (`root/site`, one commit) whose `origin` is a bare repository
    (`root/<remote_name>`) that already has that commit: where the git publisher pushes."""
    remote = root / remote_name
    GitRepo(path=root).git("init", "-q", "--bare", "-b", "main", str(remote))
    site = GitRepo.create(root / "site")
    site.commit("start", "2026-01-01T00:00:00+00:00", files={"README.md": "reports\n"})
    site.git("remote", "add", "origin", str(remote))
    site.git("push", "-q", *(["-u"] if track else []), "origin", "main")
    return site, GitRepo(path=remote)
