"""The archive site: index pages and Atom feeds of every report in the output folder.

Rendered from the archive's entries alone (`report/archive.py`), never from git or the reports'
files. Every link is relative to the page it is on, so the folder works from a file system,
GitHub Pages or any static host; feeds use absolute links when `site_url` is known. Pages follow
the HTML report's rules: autoescaped templates, no script, and a Content-Security-Policy that
allows only the page's own inline style.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from feedgen.feed import FeedGenerator

from repodigest.facts.security_rules import title_of as security_title
from repodigest.render.environment import environment
from repodigest.render.html import with_content_security_policy
from repodigest.render.text import md_link_target, visible
from repodigest.report.archive import ArchiveEntry, Manifest
from repodigest.wording import labels, plural

INDEX = "index.html"
FEED = "feed.xml"
REPOSITORIES = "repos"
HIGHLIGHTS_SHOWN = 5
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""The `updated` of a feed with no entries yet."""
_NAMESPACE = uuid.UUID("5b3f2f7e-8f0a-4c1e-9a55-0d1f3c7a6b21")
"""Entry and feed ids are uuid5 names under this: stable across runs, machines and hosts."""

_environment = environment(autoescape=True)


def repository_folder(key: str) -> str:
    return f"{REPOSITORIES}/{key}"


@dataclass(frozen=True)
class ArchiveSite:
    """Renders the whole site: path relative to the output folder → file content."""

    language: str
    site_url: str | None = None
    feed_entries: int = 60

    def render(self, manifest: Manifest) -> dict[str, str]:
        t = labels(self.language)
        a = t["archive"]
        repositories = _repositories(manifest)
        files = {
            INDEX: self._page(manifest.entries, "", a["title"], repositories, t),
            FEED: self._feed(_combined_feed_entries(manifest), "", a["title"], t),
        }
        for key, name in repositories.items():
            folder = repository_folder(key)
            title = a["repository_title"].format(name=name)
            entries = manifest.of_repository(key)
            files[f"{folder}/{INDEX}"] = self._page(entries, folder, title, None, t)
            files[f"{folder}/{FEED}"] = self._feed(entries, folder, title, t)
        return files

    # -- pages -----------------------------------------------------------------------------

    def _page(
        self,
        entries: list[ArchiveEntry],
        folder: str,
        title: str,
        repositories: dict[str, str] | None,
        t: dict[str, Any],
    ) -> str:
        a = t["archive"]
        page = _environment.get_template("archive.html.j2").render(
            language=self.language,
            title=title,
            a=a,
            levels=t["levels"],
            feed=FEED,
            home=None if repositories is not None else _relative(INDEX, folder),
            repositories=[
                self._repository(key, name, entries, folder, a) for key, name in (repositories or {}).items()
            ],
            entries=[self._entry(e, folder, t) for e in entries],
            total=plural(a, "reports", len(entries)).format(count=len(entries)),
        )
        return with_content_security_policy(page)

    def _repository(
        self, key: str, name: str, entries: list[ArchiveEntry], folder: str, a: dict[str, Any]
    ) -> dict[str, Any]:
        own = [e for e in entries if e.repository == key]
        return {
            "name": visible(name),
            "href": _relative(f"{repository_folder(key)}/{INDEX}", folder),
            "feed": _relative(f"{repository_folder(key)}/{FEED}", folder),
            "count": plural(a, "reports", len(own)).format(count=len(own)),
            "latest": own[0].label if own else "",
        }

    def _entry(self, entry: ArchiveEntry, folder: str, t: dict[str, Any]) -> dict[str, Any]:
        a = t["archive"]
        main = entry.main_file
        return {
            "kind": entry.kind,
            "heading": _heading(entry, a),
            "who": visible(entry.name or a["combined"]),
            "href": _relative(main, folder),
            "others": [
                {"format": fmt, "href": _relative(path, folder)} for fmt, path in entry.files.items() if path != main
            ],
            "stats": entry.stats,
            "error": visible(entry.error) if entry.error else None,
            "highlights": [
                {
                    "label": t["highlight_categories"].get(h.category, h.category),
                    "names": self._names(h.category, h.items),
                    "subject": visible(h.subject),
                    "repository": visible(h.repository) if h.repository else None,
                    "href": _relative(main, folder)
                    + (f"#{h.anchor}" if h.anchor and not main.endswith(".json") else ""),
                }
                for h in entry.highlights[:HIGHLIGHTS_SHOWN]
            ],
            "more": max(0, len(entry.highlights) - HIGHLIGHTS_SHOWN),
        }

    def _names(self, category: str, items: tuple[str, ...]) -> str:
        if category == "security":
            items = tuple(security_title(rule, self.language) or rule for rule in dict.fromkeys(items))
        shown = ", ".join(visible(item) for item in items[:3])
        return shown + (" …" if len(items) > 3 else "")

    # -- feeds -----------------------------------------------------------------------------

    def _feed(self, entries: list[ArchiveEntry], folder: str, title: str, t: dict[str, Any]) -> str:
        feed = FeedGenerator()
        feed.id(_urn("feed", folder or "*"))
        feed.title(visible(title))
        feed.language(self.language)
        feed.generator("repodigest")
        feed.link(href=self._href(f"{folder}/{FEED}" if folder else FEED, folder), rel="self")
        feed.link(href=self._href(f"{folder}/{INDEX}" if folder else INDEX, folder), rel="alternate")
        shown = entries[: self.feed_entries]
        feed.updated(max((e.updated for e in shown), default=_EPOCH))
        # feedgen prepends each new entry; adding oldest first leaves the feed newest first.
        for entry in reversed(shown):
            item = feed.add_entry()
            item.id(_urn(entry.kind, entry.repository or "*", entry.label))
            item.title(visible(f"{entry.name or t['archive']['combined']} · {_heading(entry, t['archive'])}"))
            item.link(href=self._href(entry.main_file, folder), rel="alternate")
            item.updated(entry.updated)
            item.summary(_summary(entry, t, self))
        atom: bytes = feed.atom_str(pretty=True)  # feedgen is untyped
        return atom.decode("utf-8")

    def _href(self, path: str, folder: str) -> str:
        """Absolute under site_url when it is known, else relative to the feed's folder."""
        if self.site_url:
            return md_link_target(self.site_url + quote(path)) or _relative(path, folder)
        return _relative(path, folder)


def _summary(entry: ArchiveEntry, t: dict[str, Any], site: ArchiveSite) -> str:
    a = t["archive"]
    lines = []
    if entry.error:
        lines.append(f"{a['failed']}: {visible(entry.error)}")
    if entry.stats is not None:
        lines.append(_counts(entry, a))
    for h in entry.highlights:
        who = f"{visible(h.repository)}: " if h.repository else ""
        label = t["highlight_categories"].get(h.category, h.category)
        lines.append(f"{who}{label}: {site._names(h.category, h.items)} — {visible(h.subject)}")
    return "\n".join(lines) or str(a["quiet"])


def _counts(entry: ArchiveEntry, a: dict[str, Any]) -> str:
    stats = entry.stats
    if stats is None or stats.total == 0:
        return str(a["quiet"])
    return str(a["counts"].format(**stats.model_dump()))


def _heading(entry: ArchiveEntry, a: dict[str, Any]) -> str:
    if entry.kind == "day":
        return entry.label
    template: str = a["periods"].get(entry.period or "", a["periods"]["range"])
    return template.format(label=entry.label, start=entry.start.isoformat(), end=entry.end.isoformat())


def _repositories(manifest: Manifest) -> dict[str, str]:
    """key → display name, by the name of each repository's newest report."""
    found: dict[str, str] = {}
    for entry in manifest.entries:
        if entry.repository is not None:
            found.setdefault(entry.repository, entry.name or entry.repository)
    return dict(sorted(found.items(), key=lambda item: item[1].lower()))


def _combined_feed_entries(manifest: Manifest) -> list[ArchiveEntry]:
    """One entry per report a reader of everything wants: the combined report of a day or period
    where there is one, else each repository's own (repositories run separately into one folder)."""
    combined = {(e.kind, e.label) for e in manifest.entries if e.repository is None}
    return [e for e in manifest.entries if e.repository is None or (e.kind, e.label) not in combined]


def _relative(path: str, folder: str) -> str:
    """A link from a page in `folder` to `path` (both relative to the output folder), its
    segments percent-encoded: a repository folder may hold spaces or CJK. Written out rather than
    with posixpath.relpath, which asks the OS for the working folder on every call (a third of
    the time of a year's site)."""
    if not folder:
        relative = path
    elif path.startswith(folder + "/"):
        relative = path[len(folder) + 1 :]
    else:
        relative = "../" * (folder.count("/") + 1) + path
    return quote(relative)


def _urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(parts))}"
