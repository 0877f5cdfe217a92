"""The short form of a day's report, or of a period's digest, for chat and mail: what happened,
what matters, a link."""

from __future__ import annotations

from repodigest.analysis.models import Importance
from repodigest.report.digest import Digest
from repodigest.report.models import Report
from repodigest.wording import Catalog, labels

MARKS = {"high": "🔴", "medium": "🟡", "low": "🟢"}
MAX_SUBJECTS = 5
MAX_SUBJECT_CHARS = 90


def _brief(language: str) -> dict:
    """The brief's words ([brief] of the wording), formatted here as they are: no plural rule."""
    return Catalog(language).table("brief")


def title(report: Report | Digest, updated: bool = False) -> str:
    if isinstance(report, Digest):
        from repodigest.render.digest_markdown import title as digest_title

        text = digest_title(report, labels(report.language))
    else:
        text = _brief(report.language)["title"].format(date=report.date.isoformat())
    return text + (_brief(report.language)["updated"] if updated else "")


def snapshot(report: Report | Digest) -> dict:
    """What a brief says, as data: per repository, whether it was read and each commit's
    importance (for a digest: its counts, releases and high-importance commits). Two reports
    with the same snapshot need no second message."""
    if isinstance(report, Digest):
        return {
            r.repository.key: {
                "name": r.repository.name,
                "error": bool(r.failed_days),
                "stats": r.stats.model_dump(),
                "releases": [d.release.tag.name for d in r.releases],
                "high": [c.sha for c in r.high],
            }
            for r in report.repositories
        }
    return {
        r.repository.key: {
            "name": r.repository.name,
            "error": bool(r.error),
            "commits": {c.commit.sha: c.analysis.importance.value for c in r.commits},
        }
        for r in report.repositories
    }


def change_lines(report: Report | Digest, previous: dict) -> list[str]:
    """For an update: one line saying what changed since `previous` (a snapshot), then the
    commits that are new or whose importance moved, highest first. A digest says it was
    revised, then gives its brief again."""
    text = _brief(report.language)["changes"]
    if isinstance(report, Digest):
        return [text["lead"].format(parts=text["none"]), *brief_lines(report)]
    parts, listed = [], []
    new = changed = gone = 0
    for repository in report.repositories:
        before = previous.get(repository.repository.key) or {"error": False, "commits": {}}
        if before.get("error") and not repository.error:
            parts.append(text["readable"].format(name=repository.repository.name))
        elif repository.error and not before.get("error"):
            parts.append(text["failed"].format(name=repository.repository.name))
        old = before.get("commits", {})
        current = {c.commit.sha for c in repository.commits}
        gone += sum(1 for sha in old if sha not in current)
        for entry in sorted(repository.commits, key=lambda c: c.analysis.importance.rank):
            level = entry.analysis.importance.value
            if entry.commit.sha not in old:
                new += 1
                listed.append(f"  {MARKS[level]} {_shorten(entry.commit.subject)}")
            elif old[entry.commit.sha] != level:
                changed += 1
                moved = text["moved"].format(old=MARKS.get(old[entry.commit.sha], "?"), new=MARKS[level])
                listed.append(f"  {moved} {_shorten(entry.commit.subject)}")
    counts = [text[name].format(n=n) for name, n in (("new", new), ("changed", changed), ("gone", gone)) if n]
    parts = counts + parts
    lead = text["lead"].format(parts=text["sep"].join(parts or [text["none"]]))
    return [lead, *listed[: MAX_SUBJECTS * 2]] + (["  …"] if len(listed) > MAX_SUBJECTS * 2 else [])


def brief_lines(report: Report | Digest) -> list[str]:
    """One line per repository, then its most important commits (highest first); for a digest,
    its releases, then its high-importance commits."""
    text = _brief(report.language)["lines"]
    if isinstance(report, Digest):
        return _digest_lines(report, text)
    lines: list[str] = []
    for repository in report.repositories:
        if repository.error:
            lines.append(text["failed"].format(name=repository.repository.name))
            continue
        lines.append(text["repo"].format(name=repository.repository.name, **repository.stats.model_dump()))
        ranked = sorted(repository.commits, key=lambda c: c.analysis.importance.rank)
        for entry in ranked[:MAX_SUBJECTS]:
            if entry.analysis.importance == Importance.LOW:
                break
            marker = "🔴" if entry.analysis.importance == Importance.HIGH else "🟡"
            lines.append(f"  {marker} {_shorten(entry.commit.subject)}")
    if not any(r.commits for r in report.repositories) and not report.failed:
        lines.append(text["none"])
    return lines


def _digest_lines(digest: Digest, text: dict) -> list[str]:
    lines: list[str] = []
    for repository in digest.repositories:
        lines.append(text["repo"].format(name=repository.repository.name, **repository.stats.model_dump()))
        lines.extend(f"  🏷️ {dated.release.tag.name}" for dated in repository.releases)
        lines.extend(f"  🔴 {_shorten(change.subject)}" for change in repository.high[:MAX_SUBJECTS])
        if len(repository.high) > MAX_SUBJECTS:
            lines.append("  …")
    return lines


def more_label(report: Report | Digest) -> str:
    return _brief(report.language)["lines"]["more"]


def fit(lines: list[str], limit: int, tail: str = "", measure=lambda s: len(s.encode("utf-8"))) -> str:
    """Join whole lines while they fit in `limit` (bytes by default), always keeping `tail`;
    lines that do not fit are replaced by one "…" line, never cut in the middle."""
    budget = limit - measure(tail) - measure("\n…\n")
    kept: list[str] = []
    for line in lines:
        if measure("\n".join([*kept, line])) > budget:
            kept.append("…")
            break
        kept.append(line)
    return "\n".join(kept) + (("\n" + tail) if tail else "")


def _shorten(text: str) -> str:
    if len(text) <= MAX_SUBJECT_CHARS:
        return text
    cut = text[:MAX_SUBJECT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:-") + "…"
