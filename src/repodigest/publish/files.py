"""Writing reports into the folder layout of the reports it replaces (repodigest.layout):
`<out>/<YYYY>/<repo>/<date>.<ext>`, plus `<out>/<YYYY>/<date>.<ext>` for several repositories;
period digests beside them as `<period>.<ext>` (`week-2026-W48.md`)."""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path

from repodigest import layout
from repodigest.errors import BadInput, RepodigestError
from repodigest.processes import host_name, process_alive
from repodigest.publish.base import Edition, Publication, RenderedDocument

log = logging.getLogger(__name__)

TEMPORARY = re.compile(r"^\..+\.repodigest-(?P<host>[A-Za-z0-9_.-]+)-(?P<pid>\d+)-[^.]+\.tmp$")
"""The temporary files write_atomically leaves behind when its process is killed mid-write."""
FOREIGN_TEMPORARY_AGE_S = 3600
"""A temporary of another host's run is only removed when it is this old: that run may be alive."""


class FilesPublisher:
    name = "files"
    needs_formats: tuple[str, ...] = ()

    def __init__(self, output: Path, formats: tuple[str, ...] = ("md", "json")) -> None:
        self.output = output
        self.formats = formats
        """Only these are written; other publishers may have asked for more (mail wants HTML)."""

    def path_for(self, edition: Edition, document: RenderedDocument) -> Path:
        path = self.output / layout.report_path(edition.year, edition.key, document.repository, document.format)
        if not _inside(path, self.output):
            raise RepodigestError(f"refusing to write {path}: it is outside {self.output}")
        return path

    def publish(self, edition: Edition) -> list[Publication]:
        remove_stale_temporaries(self.output)
        written = []
        for document in edition.documents:
            if document.format not in self.formats:
                continue
            path = self.path_for(edition, document)
            write_atomically(path, document.content)
            written.append(
                Publication(
                    target=f"files:{self.output}",
                    key=f"{edition.key}:{document.repository or '*'}:{document.format}",
                    location=str(path),
                )
            )
        return written


def check_output(output: Path) -> None:
    """Bad input, found before anything is written: an output folder that is a file (or below
    one), or that cannot be created."""
    fix = "give --out (or `output`) a folder"
    existing = output
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise BadInput(f"output {output}: {existing} is a file, not a folder", fix)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise BadInput(f"output {output}: {existing} is not writable", fix)


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def write_atomically(path: Path, content: str) -> None:
    """Write to a temporary file beside `path`, then rename over it: readers never see half a file.

    The temporary is created with the process umask (mkstemp would make it 0600, and the report
    would keep that mode), and its name says which process wrote it, so a later run can remove
    what a killed run left (remove_stale_temporaries) without touching a live run's file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent / f".{path.name}.repodigest-{host_name()}-{os.getpid()}-{os.urandom(4).hex()}.tmp"
    try:
        with open(temporary, "x", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_stale_temporaries(output: Path) -> list[Path]:
    """Remove the temporaries of runs that died while writing under `output`: on this host when
    their process is gone, from other hosts when they are over an hour old."""
    if not output.is_dir():
        return []
    removed = []
    host, now = host_name(), time.time()
    for candidate in output.rglob(".*.tmp"):
        match = TEMPORARY.match(candidate.name)
        if not match:
            continue  # not ours: leave it
        if match["host"] == host:
            stale = not process_alive(int(match["pid"]))
        else:
            stale = _age(candidate, now) > FOREIGN_TEMPORARY_AGE_S
        if stale:
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    if removed:
        log.info("removed %d temporary files left by a run that was killed while writing", len(removed))
    return removed


def _age(path: Path, now: float) -> float:
    try:
        return now - path.stat().st_mtime
    except OSError:
        return 0.0
