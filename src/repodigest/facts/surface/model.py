"""What every language judge shares: the answer type, the repository view, and the trees that
are never anyone's API (tests, examples, benchmarks, tools, scripts: `periphery_reason`, whose
list is facts/roles.toml [[periphery]])."""

from __future__ import annotations

from dataclasses import dataclass, field

from repodigest.facts.roles import build_periphery_reason, periphery_reason
from repodigest.source.blobs import BlobReader

__all__ = ["NOT_JUDGED", "ProjectView", "Surface", "build_periphery_reason", "periphery_reason"]

MAX_BUILD_FILE = 512 * 1024


@dataclass(frozen=True)
class Surface:
    public: bool | None
    """None when no judge applies (a language without one)."""
    reason: str = ""
    entry_point: bool | None = None
    """Whether the file is what importing the package reaches (TypeScript/JavaScript entry points);
    re-exports are public surface only there. None when the language does not say."""


NOT_JUDGED = Surface(None, "")


@dataclass
class ProjectView:
    """The repository as it is at one commit: files read by path, once each."""

    commit: str
    blobs: BlobReader | None
    _read: dict[str, bytes | None] = field(default_factory=dict)

    def read(self, path: str) -> bytes | None:
        if path not in self._read:
            self._read[path] = self.blobs.read(f"{self.commit}:{path}", MAX_BUILD_FILE) if self.blobs else None
        return self._read[path]

    def text(self, path: str) -> str | None:
        content = self.read(path)
        return content.decode("utf-8", "replace") if content is not None else None

    def exists(self, path: str) -> bool:
        return self.read(path) is not None
