"""The Markdown digest of a period: per repository, what a reader acts on first (releases,
high-importance and breaking changes, changed defaults, new interfaces, dependencies folded over
the period, security), then counts by day with a link to each day's report, the most-changed
areas and the contributors. Every link is relative, to the day reports beside it."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from repodigest import layout
from repodigest.facts.security_rules import title_of as security_title
from repodigest.render import anchors
from repodigest.render.markdown import _environment, _shorten, release_counts
from repodigest.render.text import md_code, md_link_target, md_text
from repodigest.report.digest import DayCount, DayRelease, Digest, PeriodChange, RepositoryDigest
from repodigest.wording import labels, plural

SUBJECT_CHARS = 90


class DigestMarkdownRenderer:
    extension = "md"

    def __init__(self, link_extension: str = "md") -> None:
        self.link_extension = link_extension
        """The format of the day reports it links to (the HTML digest links to HTML days)."""

    def render(self, digest: Digest) -> str:
        t = labels(digest.language)
        d = t["digest"]
        single = digest.repositories[0].repository.key if len(digest.repositories) == 1 else None
        here = layout.report_path(digest.period.start.year, digest.period.name, single, self.link_extension)
        repositories = [self._repository(r, t, digest, here) for r in digest.repositories]
        text = _environment.get_template("digest.md.j2").render(
            t=t,
            d=d,
            title=title(digest, t),
            window=window_line(digest, t),
            summary=digest.summary,
            quiet=[r for r in repositories if r["quiet"]],
            repositories=[r for r in repositories if not r["quiet"]],
        )
        return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"

    def _repository(self, repository: RepositoryDigest, t: dict[str, Any], digest: Digest, here: str) -> dict[str, Any]:
        d, language = t["digest"], digest.language
        key = repository.repository.key
        stats = repository.stats

        def link(change: PeriodChange) -> str:
            target = layout.relative(here, layout.day_path(change.day, key, self.link_extension))
            subject = md_text(_shorten(change.subject, SUBJECT_CHARS))
            return f"{change.day.isoformat()} · [{subject}]({target}#{anchors.commit(key, change.sha)})"

        def names(items: Iterable[str], render: Callable[[str], str] = md_code) -> str:
            return str(d["list_separator"].join(render(item) for item in items))

        sections = [
            ("releases", [self._release(r, key, t, here) for r in repository.releases]),
            ("high", [link(c) for c in repository.high]),
            ("breaking", [f"{names(c.items)} — {link(c)}" for c in repository.breaking]),
            ("defaults", [f"{names(c.items)} — {link(c)}" for c in repository.defaults]),
            (
                "interfaces",
                [
                    f"**{d['interface_kinds'].get(c.kind, c.kind)}**{t['label_separator']}{names(c.items)} — {link(c)}"
                    for c in repository.interfaces
                ],
            ),
            (
                "dependencies",
                [
                    md_code(c.label) + (d["dependency_changes"].format(count=c.changes) if c.changes > 1 else "")
                    for c in repository.dependencies
                ],
            ),
            (
                "security",
                [
                    f"{names([security_title(r, language) or r for r in c.items], md_text)} — {link(c)}"
                    for c in repository.security
                ],
            ),
        ]
        return {
            "name": repository.repository.name,
            "anchor": anchors.repository(key),
            "quiet": stats.total == 0 and not repository.releases and not repository.failed_days,
            "stats_line": plural(d, "stats_line", stats.total).format(**stats.model_dump()),
            "failed_days": d["list_separator"].join(day.day.isoformat() for day in repository.failed_days),
            "sections": [{"heading": d[name], "lines": lines} for name, lines in sections if lines],
            "days": [self._day(day, key, d, here) for day in repository.days],
            "areas": [{"path": md_code(a.path), "commits": a.commits, "lines": a.lines} for a in repository.areas],
            "contributors": self._contributors(repository, d),
            "footer": d["footer"].format(days=len(repository.days), analyzer=digest.analyzer),
        }

    def _release(self, dated: DayRelease, key: str, t: dict[str, Any], here: str) -> str:
        release, tag = dated.release, dated.release.tag
        target = md_link_target(release.url)
        sha = f"[`{tag.short_sha}`]({target})" if target else f"`{tag.short_sha}`"
        parts = [f"{dated.day.isoformat()} · **{md_code(tag.name)}** → {sha}"]
        kind = t["release_annotated"] if tag.annotated else t["release_lightweight"]
        parts.append(kind + (t["label_separator"] + md_text(tag.message) if tag.message else ""))
        parts.extend(release_counts(tag, t, md_code))
        if release.version:
            parts.append(t["release_version"].format(version=md_code(release.version)))
        day_report = layout.relative(here, layout.day_path(dated.day, key, self.link_extension))
        return " · ".join(parts) + f" — [{dated.day.isoformat()}]({day_report}#{anchors.releases(key)})"

    def _day(self, day: DayCount, key: str, d: dict[str, Any], here: str) -> dict[str, Any]:
        if not day.reported or day.error:
            report = d["day_failed"] if day.error else d["day_missing"]
        else:
            target = layout.relative(here, layout.day_path(day.day, key, self.link_extension))
            report = f"[{day.day.isoformat()}]({target})"
        return {"day": day.day.isoformat(), "link": report, **day.stats.model_dump()}

    def _contributors(self, repository: RepositoryDigest, d: dict[str, Any]) -> str:
        listed = [d["contributor"].format(name=md_text(c.name), commits=c.commits) for c in repository.contributors]
        if repository.other_contributors:
            listed.append(d["contributors_more"].format(count=repository.other_contributors))
        return str(d["list_separator"].join(listed))


def title(digest: Digest, t: dict[str, Any]) -> str:
    period = digest.period
    return str(
        t["digest"][f"title_{period.kind}"].format(
            label=period.label, start=period.start.isoformat(), end=period.end.isoformat()
        )
    )


def window_line(digest: Digest, t: dict[str, Any]) -> str:
    period = digest.period
    offset = datetime.combine(period.start, time.min, tzinfo=ZoneInfo(digest.timezone)).strftime("%z")
    line: str = t["digest"]["window"] + (t["digest"]["window_partial"] if digest.through else "")
    return line.format(
        through=digest.through.isoformat() if digest.through else "",
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        zone=digest.timezone,
        offset=f"UTC{offset[:3]}:{offset[3:]}",
        days=len(period.days),
    )
