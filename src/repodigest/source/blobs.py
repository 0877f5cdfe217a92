"""Reading file contents (blobs) through one long-lived `git cat-file --batch-command`."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import IO, Protocol

from repodigest.source.gitcli import git_command, git_env


class BlobReader(Protocol):
    """What the facts stage needs from the source: file contents by blob id."""

    def read(self, blob: str, max_bytes: int) -> bytes | None:
        """The blob's bytes, or None when it is missing or larger than `max_bytes`."""
        ...


class GitBlobReader:
    """One `git cat-file` process per repository, asked for each blob in turn."""

    def __init__(self, git_dir: Path) -> None:
        self._process = subprocess.Popen(
            git_command(git_dir, "cat-file", "--batch-command"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=git_env(),
        )

    def read(self, blob: str, max_bytes: int) -> bytes | None:
        self._send(f"contents {blob}")
        fields = self._stdout.readline().split()
        if len(fields) != 3:
            return None  # "<blob> missing" or "<blob> ambiguous"
        size = int(fields[2])
        content = self._stdout.read(size) if size <= max_bytes else self._skip(size)
        self._stdout.read(1)  # the newline git writes after each object
        return content if fields[1] == b"blob" else None

    def _skip(self, size: int) -> bytes | None:
        """Read past an object too large to keep, in pieces, so the stream stays in step; there is
        no content to return."""
        while size > 0:
            size -= len(self._stdout.read(min(size, 1 << 20)))
        return None

    def _send(self, command: str) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(command.encode() + b"\n")
        self._process.stdin.flush()

    @property
    def _stdout(self) -> IO[bytes]:
        assert self._process.stdout is not None
        return self._process.stdout

    def close(self) -> None:
        if self._process.poll() is None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            self._process.wait(timeout=10)

    def __enter__(self) -> GitBlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
