"""Writing reports into the folder layout of the reports it replaces (repodigest.layout):
`<out>/<YYYY>/<repo>/<date>.<ext>`, plus `<out>/<YYYY>/<date>.<ext>` for several repositories;
period digests beside them as `<period>.<ext>` (`week-2026-W48.md`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from repodigest import layout
from repodigest.errors import RepodigestError
from repodigest.publish.base import Edition, Publication, RenderedDocument


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


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def write_atomically(path: Path, content: str) -> None:
    """Write to a temporary file beside `path`, then rename over it: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
