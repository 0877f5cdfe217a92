"""The short form of a day's report for chat and mail: what happened, what matters, a link."""

from __future__ import annotations

from repodigest.analysis.models import Importance
from repodigest.report.models import Report

TITLES = {"zh": "仓库更新报告 ({date})", "en": "Repository update report ({date})"}
LINES = {
    "zh": {"repo": "{name}：{total} 个提交（🔴{high} 🟡{medium} 🟢{low}）", "failed": "{name}：读取失败", "more": "完整报告",
           "none": "本日没有提交。"},
    "en": {"repo": "{name}: {total} commits (🔴{high} 🟡{medium} 🟢{low})", "failed": "{name}: could not be read",
           "more": "Full report", "none": "No commits on this day."},
}
MAX_SUBJECTS = 5
MAX_SUBJECT_CHARS = 90


def title(report: Report) -> str:
    return TITLES.get(report.language, TITLES["en"]).format(date=report.date.isoformat())


def brief_lines(report: Report) -> list[str]:
    """One line per repository, then its most important commits (highest first)."""
    text = LINES.get(report.language, LINES["en"])
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


def more_label(report: Report) -> str:
    return LINES.get(report.language, LINES["en"])["more"]


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
