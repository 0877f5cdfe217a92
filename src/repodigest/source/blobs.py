"""Reading file contents (blobs) through one long-lived `git cat-file --batch-command`."""

from __future__ import annotations

import subprocess
from collections import OrderedDict
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

    def object_id(self, spec: str) -> str | None:
        """The id of the blob `spec` names (`<commit>:<path>`), or None when it names no blob."""
        self._send(f"info {spec}")
        fields = self._stdout.readline().split()
        return fields[0].decode() if len(fields) == 3 and fields[1] == b"blob" else None

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


class CachedBlobs:
    """A reader that keeps recent blobs by id, so a file read at every commit (a top-level
    meson.build, CMakeLists.txt or Makefile asked by the C/C++ surface judge) is sent by git
    once per version, not once per commit. Only `<commit>:<path>` names are kept (resolved to
    the blob id first by `info`, which sends no content); a diff's own blobs are read once and
    are not. The cache is bounded in bytes, oldest dropped first."""

    def __init__(self, reader: GitBlobReader, budget: int = 8 << 20) -> None:
        self._reader = reader
        self._budget = budget
        self._held = 0
        self._blobs: OrderedDict[tuple[str, int], bytes | None] = OrderedDict()

    def read(self, blob: str, max_bytes: int) -> bytes | None:
        if ":" not in blob:
            return self._reader.read(blob, max_bytes)
        oid = self._reader.object_id(blob)
        if oid is None:
            return None
        key = (oid, max_bytes)
        if key in self._blobs:
            self._blobs.move_to_end(key)
            return self._blobs[key]
        content = self._reader.read(oid, max_bytes)
        self._blobs[key] = content
        self._held += len(content or b"")
        while self._held > self._budget and len(self._blobs) > 1:
            _, dropped = self._blobs.popitem(last=False)
            self._held -= len(dropped or b"")
        return content
