"""One streamed `git log` per repository: commits of a time range with their patches.

The format puts a marker before each commit, git's `-z` separates the raw and numstat records
by NULs, and the patch text follows. Raw records, numstat records and `diff --git` sections come
in the same order (git's diff queue), so they are zipped by position.
"""

from __future__ import annotations

import io
import logging
import queue
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, cast

from repodigest.errors import SourceError
from repodigest.source.decoding import decode_text
from repodigest.source.gitcli import git_command, git_env, git_error, run_git
from repodigest.source.models import (
    Commit,
    CommitChange,
    FileChange,
    FileDiff,
    FileStatus,
    Person,
)
from repodigest.source.shallow import shallow_boundaries

log = logging.getLogger(__name__)

COMMIT_MARK = b"\x1eRDC\x1f"
HEADER_END = b"\x1dEOH\x1d"
FIELD = "\x1f"
LOG_FORMAT = (
    "%x1eRDC%x1f" + "%x1f".join(["%H", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%e", "%B"]) + "%x1dEOH%x1d"
)
READ_CHUNK = 1 << 20
READ_AHEAD_CHUNKS = 64
"""At most this many chunks wait between git and the parser (64 MiB)."""
NULL_BLOB = "0" * 40


def log_arguments(branch: str, since: datetime | None, until: datetime | None) -> list[str]:
    """`git log` arguments for commits with committer date in [since, until).

    Both bounds carry explicit UTC offsets: a bare date in --until means "now" on that date.
    git treats --until as inclusive at one-second resolution, hence the second taken off.
    """
    window = (
        [f"--since={since.isoformat()}", f"--until={(until - timedelta(seconds=1)).isoformat()}"]
        if since and until
        else []
    )
    return [
        "log",
        branch,
        *window,
        f"--format={LOG_FORMAT}",
        "-z",
        "--raw",
        "--numstat",
        "-p",
        "-M",
        "--no-abbrev",
        "--diff-merges=first-parent",
        "--no-color",
        "--no-ext-diff",
        "--no-textconv",
        "--encoding=UTF-8",
        "--",
    ]


def walk(git_dir: Path, branch: str, since: datetime, until: datetime) -> Iterator[CommitChange]:
    """Yield every commit reachable from `branch` whose committer date lies in [since, until).

    One streamed `git log -p`. If git cannot produce a diff (an object missing from a partial
    or damaged clone), the commits not yet seen are read one by one, and a commit whose diff
    cannot be read at all still comes out, with its files but no patch and a note saying why.
    The boundary commit of a shallow clone comes out as history cut, without files or patch.
    """
    seen: set[str] = set()
    boundaries = shallow_boundaries(git_dir)
    try:
        for change in _stream(git_dir, log_arguments(branch, since, until)):
            seen.add(change.commit.sha)
            if since <= change.commit.committed_at < until:
                yield _history_cut(change) if change.commit.sha in boundaries else change
    except SourceError as failure:
        remaining = [sha for sha in _rev_list(git_dir, branch, since, until) if sha not in seen]
        log.warning("git log stopped (%s); reading %d remaining commits one by one", failure, len(remaining))
        for sha in remaining:
            change = _one_commit(git_dir, sha, str(failure))
            if since <= change.commit.committed_at < until:
                yield _history_cut(change) if sha in boundaries else change


def _history_cut(change: CommitChange) -> CommitChange:
    """Git shows a shallow boundary as adding the whole tree; what it really changed is unknown."""
    return CommitChange(commit=change.commit.model_copy(update={"files": (), "history_cut": True}), diffs=())


def listed(git_dir: Path, branch: str, since: datetime, until: datetime) -> list[tuple[str, datetime]]:
    """The commits `walk` yields, as (sha, committer date), without their patches (a fast walk).

    The walk runs newest first, but a commit's date can be older than its parent's (a skewed
    clock): counting each day's commits first tells the pipeline exactly when a day is
    complete, whatever order the walk finds them in.
    """
    arguments = [a for a in log_arguments(branch, since, until) if a.startswith(("--since", "--until"))]
    output = run_git(git_dir, "log", branch, *arguments, "--format=%H %cI", "--")
    commits = ((sha, datetime.fromisoformat(when)) for sha, when in (line.split() for line in output.splitlines()))
    return [(sha, when) for sha, when in commits if since <= when < until]


def _stream(git_dir: Path, arguments: list[str]) -> Iterator[CommitChange]:
    configured = run_git(git_dir, "config", "--get", "i18n.commitEncoding", check=False).strip()
    with tempfile.TemporaryFile() as stderr:
        # stderr goes to a file: a pipe nobody reads would block git once it fills.
        process = subprocess.Popen(
            git_command(git_dir, *arguments), stdout=subprocess.PIPE, stderr=stderr, env=git_env()
        )
        assert process.stdout is not None
        try:
            for record in _split_records(_read_ahead(process.stdout)):
                yield parse_record(record, configured)
        finally:
            process.stdout.close()
            code = process.wait()
            stderr.seek(0)
            message = stderr.read()
    if code != 0:
        raise SourceError(f"git log failed: {git_error(message) if message.strip() else f'exit {code}'}")


def _rev_list(git_dir: Path, branch: str, since: datetime, until: datetime) -> list[str]:
    last_second = until - timedelta(seconds=1)
    return run_git(
        git_dir, "rev-list", branch, f"--since={since.isoformat()}", f"--until={last_second.isoformat()}"
    ).split()


def _one_commit(git_dir: Path, sha: str, why: str) -> CommitChange:
    full = [a for a in log_arguments(sha, None, None) if a != "--"] + ["-1", "--"]
    try:
        return next(iter(_stream(git_dir, full)))
    except (SourceError, StopIteration):
        pass
    files_only = [a for a in full if a not in ("--numstat", "-p")]
    change = next(iter(_stream(git_dir, files_only)))
    note = f"diff unavailable, objects are missing and could not be fetched ({why})"
    return CommitChange(commit=change.commit.model_copy(update={"diff_note": note}), diffs=change.diffs)


def _read_ahead(stream: IO[bytes]) -> Iterator[bytes]:
    """Chunks of `stream`, read by a thread so git keeps writing while we analyse.

    Without it git stops whenever the pipe's 64 KiB buffer is full, and its work and ours add
    up instead of running side by side on two cores.
    """
    chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=READ_AHEAD_CHUNKS)
    stop = threading.Event()

    # A pipe from Popen is a BufferedReader: read1 returns what is there without waiting for more.
    buffered = cast(io.BufferedReader, stream)

    def pump() -> None:
        try:
            while not stop.is_set() and (chunk := buffered.read1(READ_CHUNK)):
                chunks.put(chunk)
        except BaseException as error:  # handed to the consumer, which re-raises it
            chunks.put(error)
            return
        chunks.put(None)

    reader = threading.Thread(target=pump, name="git-log-reader", daemon=True)
    reader.start()
    try:
        while (chunk := chunks.get()) is not None:
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk
    finally:
        stop.set()
        while reader.is_alive():  # unblock a pump waiting on a full queue
            try:
                chunks.get_nowait()
            except queue.Empty:
                reader.join(timeout=0.05)


def _split_records(chunks: Iterator[bytes]) -> Iterator[bytes]:
    buffer = bytearray()
    for chunk in chunks:
        search_from = max(0, len(buffer) - len(COMMIT_MARK))
        buffer += chunk
        while (at := buffer.find(COMMIT_MARK, search_from)) != -1:
            if at:
                yield bytes(buffer[:at])
            del buffer[: at + len(COMMIT_MARK)]
            search_from = 0
    if buffer:
        yield bytes(buffer)


def parse_record(record: bytes, configured: str = "") -> CommitChange:
    """One commit; `configured` is the repository's i18n.commitEncoding, for messages without a header."""
    header, _, body = record.partition(HEADER_END)
    commit_fields = header.split(FIELD.encode())
    (
        sha,
        parents,
        author_name,
        author_email,
        authored,
        committer_name,
        committer_email,
        committed,
        encoding,
        message,
    ) = (commit_fields + [b""] * 10)[:10]
    meta, patch = _split_meta_and_patch(body)
    changes = _parse_meta(meta)
    patches = _split_patch(patch, len(changes))
    commit = Commit(
        sha=sha.decode(),
        parents=tuple(parents.decode().split()),
        author=Person(name=_text(author_name, encoding, configured), email=_text(author_email, encoding, configured)),
        authored_at=datetime.fromisoformat(authored.decode()),
        committer=Person(
            name=_text(committer_name, encoding, configured), email=_text(committer_email, encoding, configured)
        ),
        committed_at=datetime.fromisoformat(committed.decode()),
        message=_text(message, encoding, configured).strip("\n"),
        files=tuple(changes),
    )
    diffs = tuple(FileDiff(change=c, patch=p) for c, p in zip(changes, patches, strict=True))
    return CommitChange(commit=commit, diffs=diffs)


def _text(raw: bytes, declared_encoding: bytes, configured: str) -> str:
    return decode_text(raw, declared_encoding.decode("ascii", "replace"), configured)


def _split_meta_and_patch(body: bytes) -> tuple[bytes, bytes]:
    body = body.lstrip(b"\x00\n")
    meta, separator, patch = body.partition(b"\x00\x00")
    if not separator:
        # No numstat/patch block at all (an empty commit), or only the patch.
        if body.startswith(b"diff --git"):
            return b"", body
        return body, b""
    return meta, patch


def _parse_meta(meta: bytes) -> list[FileChange]:
    tokens = [t.decode("utf-8", "replace") for t in meta.split(b"\x00")] if meta else []
    raw_entries: list[tuple[str, str, str, str, str, str | None, str]] = []
    numstats: list[tuple[str, str]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        if token.startswith(":"):
            old_mode, new_mode, old_blob, new_blob, status = token[1:].split(" ")[:5]
            if status[:1] in ("R", "C"):
                old_path, path = tokens[index + 1], tokens[index + 2]
                index += 3
            else:
                old_path, path = None, tokens[index + 1]
                index += 2
            raw_entries.append((old_mode, new_mode, old_blob, new_blob, status, old_path, path))
        elif "\t" in token:
            added, removed, path = token.split("\t", 2)
            if path == "":
                index += 3  # a rename: old and new path follow as their own tokens
            else:
                index += 1
            numstats.append((added, removed))
        else:
            index += 1
    changes = []
    for position, (old_mode, new_mode, old_blob, new_blob, status, old_path, path) in enumerate(raw_entries):
        added, removed = numstats[position] if position < len(numstats) else ("0", "0")
        binary = added == "-" and removed == "-"
        changes.append(
            FileChange(
                path=path,
                old_path=old_path,
                status=FileStatus.from_git_letter(status),
                added=0 if binary else int(added),
                removed=0 if binary else int(removed),
                binary=binary,
                old_blob=None if old_blob == NULL_BLOB else old_blob,
                new_blob=None if new_blob == NULL_BLOB else new_blob,
                old_mode=None if old_mode == "000000" else old_mode,
                new_mode=None if new_mode == "000000" else new_mode,
            )
        )
    return changes


def _split_patch(patch: bytes, expected: int) -> list[str]:
    """The hunk text of each `diff --git` section, in order; headers are dropped."""
    if not patch:
        return [""] * expected
    text = patch.decode("utf-8", "replace")
    sections = text.split("\ndiff --git ")
    sections[0] = sections[0].removeprefix("diff --git ")
    hunks = [_hunks_only(section) for section in sections]
    if len(hunks) < expected:
        hunks.extend([""] * (expected - len(hunks)))
    return hunks[:expected]


def _hunks_only(section: str) -> str:
    start = section.find("\n@@ ")
    if start == -1:
        return ""
    return section[start + 1 :].rstrip("\n") + "\n"
