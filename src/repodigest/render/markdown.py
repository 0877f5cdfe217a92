"""The Markdown report: the shape of the daily reports it replaces, with working links."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from repodigest.analysis.models import Advice, Analysis, Insight, Risk
from repodigest.facts.security_rules import title_of as security_title
from repodigest.render import anchors
from repodigest.render.environment import environment
from repodigest.render.message import body_without_trailers, table_message
from repodigest.render.text import md_cell, md_code, md_link_target, md_prose, md_text, visible
from repodigest.report.models import CommitReport, Highlight, Release, Report, RepositoryReport
from repodigest.source.models import PullRequest, Tag
from repodigest.wording import Catalog, labels, plural

TOC_SUBJECT_CHARS = 80

_environment = environment(autoescape=False)  # Markdown, not HTML: every value is escaped by the filters below.
_environment.filters.update(text=md_text, prose=md_prose, cell=md_cell, code=md_code, safe_anchor=anchors.tag)


class MarkdownRenderer:
    extension = "md"

    def render(self, report: Report) -> str:
        t = labels(report.language)
        zone = ZoneInfo(report.timezone)
        repositories = [self._repository(r, t, zone, report.language) for r in report.repositories]
        view = {
            "t": t,
            "title": t["title"].format(date=report.date.isoformat()),
            "window": window_line(report, t),
            "day_summary": report.day_summary,
            # A repository with nothing to say is one line, above the sections of those that have.
            "quiet": [r for r in repositories if r["quiet"]],
            "repositories": [r for r in repositories if not r["quiet"]],
        }
        text = _environment.get_template("report.md.j2").render(**view)
        return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"

    def _repository(
        self, repository: RepositoryReport, t: dict[str, Any], zone: ZoneInfo, language: str
    ) -> dict[str, Any]:
        key = repository.repository.key
        groups = [
            {
                "level": level.value,
                "anchor": anchors.group(key, level.value),
                "heading": t["groups"][level.value].format(count=len(commits)),
                "commits": [self._commit(c, key, t, language) for c in commits],
            }
            for level, commits in repository.importance_groups()
        ]
        stats = repository.stats
        return {
            "name": repository.repository.name,
            "anchor": anchors.repository(key),
            "stats_anchor": anchors.stats(key),
            "highlights_anchor": anchors.highlights(key),
            "releases_anchor": anchors.releases(key),
            "releases": [release_line(r, key, repository, t) for r in repository.releases],
            "error": repository.error,
            "stale": repository.stale,
            "history_cut": ", ".join(repository.history_cut),
            "quiet": not repository.commits
            and not repository.error
            and not repository.releases
            and not repository.history_cut,
            "rows": [self._row(c, key, zone) for c in repository.commits],
            "stats_line": plural(t, "stats_line", stats.total).format(**stats.model_dump()),
            "highlights": [self._highlight(h, key, repository, t, language) for h in repository.highlights],
            "groups": groups,
            "accounting": repository.accounting,
            "footer": self._footer(repository, t),
        }

    def _row(self, entry: CommitReport, key: str, zone: ZoneInfo) -> dict[str, Any]:
        commit = entry.commit
        shown = table_message(commit.message)
        message = md_cell(shown.subject)
        if shown.paragraph:
            message += "<br>" + md_cell(shown.paragraph)
        return {
            "time": commit.committed_at.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S"),
            "author": md_cell(commit.author.name),
            "message": message,
            "more": None if shown.complete else anchors.commit(key, commit.sha),
        }

    def _commit(self, entry: CommitReport, key: str, t: dict[str, Any], language: str) -> dict[str, Any]:
        analysis = entry.analysis
        usage = analysis.usage
        llm_line = None
        if usage is not None and not analysis.fallback:
            omitted = (
                t["llm_omitted"].format(files=", ".join(md_code(f) for f in usage.files_omitted[:10]))
                if usage.files_omitted
                else ""
            )
            dropped = t["llm_dropped"].format(count=usage.dropped_claims) if usage.dropped_claims else ""
            llm_line = t["llm_seen"].format(
                model=md_code(usage.model), seen=len(usage.files_seen), omitted=omitted, dropped=dropped
            )
        catalog = Catalog(language)
        change_type = t["list_separator"].join(
            md_text(catalog.change_type(kind)) for kind in analysis.change_types or (analysis.change_type,)
        )
        if analysis.scope:
            change_type += t["scope"].format(scope=md_text(analysis.scope))
        level = analysis.importance.value
        return {
            "anchor": anchors.commit(key, entry.commit.sha),
            "subject": md_text(entry.commit.subject),
            "toc_subject": md_text(_shorten(entry.commit.subject, TOC_SUBJECT_CHARS)),
            "short_sha": entry.commit.short_sha,
            "url": md_link_target(entry.url),
            "type": change_type,
            "level": analysis.importance.value,
            "analysis": analysis,
            "impact": [
                plural(t, "impact_item", i.files).format(
                    area=visible(i.area).replace("`", "'"), files=i.files, added=i.added, removed=i.removed
                )
                for i in analysis.impact
            ],
            "full_message": None
            if table_message(entry.commit.message).complete
            else md_fenced(visible_lines(body_without_trailers(entry.commit.message))),
            "llm_line": llm_line,
            "pulls": [_pull_line(pull, t) for pull in entry.commit.pull_requests],
            "unread": _unread_files(entry, t),
            "facts_failed": _facts_failed(entry, t),
            **depth_view(analysis, level, t),
        }

    def _highlight(
        self, highlight: Highlight, key: str, repository: RepositoryReport, t: dict[str, Any], language: str
    ) -> dict[str, Any]:
        entry = next((c for c in repository.commits if c.commit.sha == highlight.sha), None)
        if highlight.category == "security":
            names = [md_text(security_title(rule, language) or rule) for rule in dict.fromkeys(highlight.items)]
        else:
            names = [md_code(item) for item in highlight.items]
        return {
            "label": t["highlight_categories"].get(highlight.category, highlight.category),
            "names": t["list_separator"].join(names[:5])
            + (" " + t["highlight_more"].format(count=len(names) - 5) if len(names) > 5 else ""),
            # A tag on an older commit: the link goes to the section's releases.
            "subject": md_text(_shorten(entry.commit.subject, TOC_SUBJECT_CHARS)) if entry else t["releases"],
            "anchor": anchors.commit(key, highlight.sha) if entry else anchors.releases(key),
        }

    def _footer(self, repository: RepositoryReport, t: dict[str, Any]) -> str:
        accounting = repository.accounting
        text = plural(t, "footer", len(repository.commits)).format(
            analyzer=accounting.analyzer, commits=len(repository.commits)
        )
        if accounting.calls or (accounting.cached and accounting.analyzer.startswith("llm")):
            text += t["footer_llm"].format(**accounting.model_dump())
        return text


def release_line(release: Release, key: str, repository: RepositoryReport, t: dict[str, Any]) -> str:
    """`v0.9.0` → its commit · the kind of tag · commits since the previous tag · the version bump."""
    tag = release.tag
    target = md_link_target(release.url)
    sha = f"[`{tag.short_sha}`]({target})" if target else f"`{tag.short_sha}`"
    parts = [f"**{md_code(tag.name)}** → {sha}"]
    kind = t["release_annotated"] if tag.annotated else t["release_lightweight"]
    parts.append(kind + (t["label_separator"] + md_text(tag.message) if tag.message else ""))
    parts.extend(release_counts(tag, t, md_code))
    if release.version and release.version_sha:
        entry = next(c for c in repository.commits if c.commit.sha == release.version_sha)
        subject = md_text(_shorten(entry.commit.subject, TOC_SUBJECT_CHARS))
        parts.append(
            t["release_version"].format(version=md_code(release.version))
            + f" — [{subject}](#{anchors.commit(key, entry.commit.sha)})"
        )
    return " · ".join(parts)


def release_counts(tag: Tag, t: dict[str, Any], quote: Callable[[str], str]) -> list[str]:
    """Commits since the previous tag, in words; `quote` escapes the previous tag's name."""
    count = tag.commits_since_previous
    if count is None:
        return []
    if tag.previous:
        return [plural(t, "release_since", count).format(count=count, previous=quote(tag.previous))]
    return [plural(t, "release_first", count).format(count=count)]


def window_line(report: Report, t: dict[str, Any]) -> str:
    """The zone beside the date, and for a day not over yet, the time it covers up to."""
    start = datetime.combine(report.date, time.min, tzinfo=ZoneInfo(report.timezone))
    offset = start.strftime("%z")
    fields = {"date": report.date.isoformat(), "zone": report.timezone, "offset": f"UTC{offset[:3]}:{offset[3:]}"}
    if report.as_of is not None:
        return str(t["window_partial"].format(time=report.as_of.strftime("%H:%M"), **fields))
    return str(t["window"].format(**fields))


def visible_lines(text: str) -> str:
    """Control characters made visible line by line: inside a fenced block the message keeps its
    line breaks (no line can close the fence), only the other controls become pictures."""
    return "\n".join(visible(line) for line in text.split("\n"))


def md_fenced(text: str) -> str:
    """A fenced block that no line of `text` can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def _unread_files(entry: CommitReport, t: dict[str, Any]) -> list[str]:
    """Files whose facts may be missing (unparsable configuration, a parse error, too large):
    said in the section, never skipped silently."""
    return [
        t["unread_item"].format(path=md_code(f.path), reason=t["file_notes"][f.reason.value])
        for f in entry.facts.files
        if f.reason is not None and f.reason.hides_facts
    ]


def _facts_failed(entry: CommitReport, t: dict[str, Any]) -> str | None:
    """The extractors that failed on this commit (a bug), so the section says its facts may be short."""
    if not entry.facts.failures:
        return None
    extractors = t["list_separator"].join(md_code(f.extractor) for f in entry.facts.failures)
    return str(t["facts_failed"]).format(extractors=extractors)


def depth_view(analysis: Analysis, level: str, t: dict[str, Any]) -> dict[str, Any]:
    """What a section shows beyond its summary, ready for the template.

    Everything the model gave is shown at every level; the rules' own insights, risks and
    suggestions keep the levels at which the offline report shows them (insights and risks for
    high commits, suggestions for high and medium). The rules' items come after the model's."""
    model_insights = [i for i in analysis.insights if i.points]
    show_rules = {"insights": level == "high", "risks": level == "high", "suggestions": level != "low"}
    insights = model_insights or (list(analysis.insights) if show_rules["insights"] else [])
    detailed_texts = {r.text for r in analysis.detailed_risks}
    extra_risks = (
        [r for r in analysis.risks if r not in detailed_texts] if analysis.detailed_risks or show_rules["risks"] else []
    )
    advice_texts = {a.text for a in analysis.advice}
    extra_suggestions = (
        [s for s in analysis.suggestions if s not in advice_texts]
        if analysis.advice or show_rules["suggestions"]
        else []
    )
    return {
        "affected": [md_prose(item) for item in analysis.affected],
        "insight_table": level == "high",
        "insights": [_insight_view(i, table=level == "high") for i in insights],
        "risks": [_risk_view(r, t) for r in analysis.detailed_risks]
        + [{"head": md_prose(r), "points": []} for r in extra_risks],
        "advice_table": _advice_table(analysis.advice, t) if level == "high" else [],
        "advice_lines": [] if level == "high" else [_advice_line(a, t) for a in analysis.advice],
        "suggestions": [md_prose(s) for s in extra_suggestions],
        "conclusion": md_prose(analysis.conclusion) if analysis.conclusion else None,
    }


def _insight_view(insight: Insight, table: bool) -> dict[str, Any]:
    render = md_cell if table else md_prose
    points = insight.points or (insight.text,)
    if table:
        text = "<br>".join(("- " if len(points) > 1 else "") + md_cell(p) for p in points)
    else:
        text = " ".join(render(p) for p in points)
    return {"dimension": md_cell(insight.dimension) if table else md_text(insight.dimension), "text": text}


def _risk_view(risk: Risk, t: dict[str, Any]) -> dict[str, Any]:
    head = md_prose(risk.text)
    if risk.title:
        severity = t["severity"].format(level=t["levels"][risk.severity.value]) if risk.severity else ""
        head = f"**{md_text(risk.title)}**{severity}{t['label_separator']}{head}"
    return {"head": head, "points": [md_prose(p) for p in risk.points]}


def _advice_table(advice: tuple[Advice, ...], t: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per audience, in the order the model first addressed them."""
    rows: dict[str, list[str]] = {}
    for item in advice:
        rows.setdefault(item.audience, []).append(_advice_text(item, t, cell=True))
    return [
        {
            "audience": md_cell(t["audiences"].get(audience, audience)),
            "text": "<br>".join(("- " if len(texts) > 1 else "") + text for text in texts),
        }
        for audience, texts in rows.items()
    ]


def _advice_line(item: Advice, t: dict[str, Any]) -> str:
    return f"**{md_text(t['audiences'].get(item.audience, item.audience))}**{t['label_separator']}" + _advice_text(
        item, t, cell=False
    )


def _advice_text(item: Advice, t: dict[str, Any], cell: bool) -> str:
    render = md_cell if cell else md_prose
    return render(item.text) + (t["because"].format(why=render(item.why)) if item.why else "")


def _shorten(text: str, limit: int) -> str:
    """Cut at a word boundary and say so with an ellipsis; never mid-word."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,.;:-") + "…"


def _pull_line(pull: PullRequest, t: dict[str, Any]) -> str:
    """`#7 title` linked to the pull request, with its labels (pull-request context only)."""
    number = f"#{pull.number}"
    target = md_link_target(pull.url)
    line = (f"[{number}]({target})" if target else number) + " " + md_text(pull.title, line_start=False)
    if pull.labels:
        line += t["pull_labels"].format(labels=t["list_separator"].join(md_code(label) for label in pull.labels))
    return line
