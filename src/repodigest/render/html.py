"""A standalone HTML page of the report, for the browser and the phone.

The page leads with the day's overview (per repository: counts by importance and highlights),
then each repository's section. A bar filters commits by importance and repository and searches
titles, authors, paths and symbols; it is a little vanilla JavaScript inside the page, the page is
complete without it. Dark mode follows the system; printing opens every section.

Each commit's body is the Markdown renderer's section for that commit, converted with markdown-it,
so the analysis reads the same in both formats; the page around it is built here.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

from repodigest.analysis.models import Importance
from repodigest.facts.security_rules import title_of as security_title
from repodigest.render import anchors
from repodigest.render.environment import environment
from repodigest.render.markdown import MarkdownRenderer, release_counts, window_line
from repodigest.render.message import table_message
from repodigest.render.text import md_link_target, visible
from repodigest.report.models import CommitReport, Highlight, Release, Report, RepositoryReport
from repodigest.wording import labels, plural

_environment = environment(autoescape=True)
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def inline_code(text: str) -> Markup:
    """Escaped text with its balanced `code spans` shown as code (commit subjects use them a lot)."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(text))))


_environment.filters["code_spans"] = inline_code
_COMMIT_ANCHOR = re.compile(r'^<a name="(c-[^"]+)"></a>')
MAX_SEARCH_PATHS = 200
"""Paths of one commit that go into the search index (a vendored tree would bloat the page)."""
TABLE_OPEN_ROWS = 10
"""The commit table starts open up to this many rows, collapsed beyond (the sections follow it)."""
OVERVIEW_HIGHLIGHTS = 5
"""Highlights per repository in the overview; the repository's section lists them all."""
FACT_NAMES = ("symbol", "old_symbol", "flag", "name", "key", "route")

OWN_TAGS = re.compile(r'<a name="[a-z0-9-]+">|</a>|<br>|<sub>|</sub>|<details>|</details>|<summary>|</summary>')
"""The only HTML the Markdown renderer writes itself: heading anchors, line breaks in table cells,
the small print and the collapsed full message. Any other HTML in the Markdown came from a
repository or a model."""
_INLINE_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def with_content_security_policy(page: str) -> str:
    """The page with a policy that lets only its own inline style and script run."""
    policy = content_security_policy(tuple(_INLINE_STYLE.findall(page)), tuple(_INLINE_SCRIPT.findall(page)))
    return page.replace(
        '<meta charset="utf-8">',
        f'<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="{html.escape(policy)}">',
        1,
    )


def content_security_policy(styles: tuple[str, ...] = (), scripts: tuple[str, ...] = ()) -> str:
    """Nothing loads or runs but the page's own inline style and script, named by their hashes:
    if something ever slipped past the escaping, the browser would still refuse to run it."""

    def sources(blocks: tuple[str, ...]) -> str:
        hashes = [base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() for b in blocks]
        return " ".join(f"'sha256-{h}'" for h in hashes) or "'none'"

    return (
        f"default-src 'none'; style-src {sources(styles)}; script-src {sources(scripts)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )


class HtmlRenderer:
    extension = "html"

    def __init__(self) -> None:
        # html=True keeps our own <a name> anchors, <br>, <sub> and <details>; every text we put in
        # the Markdown was escaped, so no HTML from a commit message or a model reaches the page.
        self._markdown = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
        # Raw HTML in the Markdown is shown as text unless it is exactly one of our own tags: every
        # text we put in the Markdown was escaped, and this holds even if some call site forgot to.
        self._markdown.add_render_rule("html_inline", _own_html_only)
        self._markdown.add_render_rule("html_block", _own_html_only)

    def render(self, report: Report) -> str:
        t = labels(report.language)
        bodies = self._commit_bodies(MarkdownRenderer().render(report))
        zone = ZoneInfo(report.timezone)
        repositories = [self._repository(r, t, zone, bodies, report.language) for r in report.repositories]
        title = t["title"].format(date=report.date.isoformat())
        if len(report.repositories) == 1:
            title += f" · {report.repositories[0].repository.name}"
        elif report.repositories:
            title += " · " + t["html"]["repositories"].format(count=len(report.repositories))
        total = sum(len(r.commits) for r in report.repositories)
        page = _environment.get_template("report.html.j2").render(
            t=t,
            h=t["html"],
            language=report.language,
            title=title,
            heading=t["title"].format(date=report.date.isoformat()),
            window=window_line(report, t),
            day_summary=report.day_summary,
            repositories=repositories,
            total=total,
            levels=[level.value for level in Importance],
            shown=t["html"]["shown"],
            overview_highlights=OVERVIEW_HIGHLIGHTS,
        )
        return with_content_security_policy(page)

    # -- the per-commit bodies, taken from the Markdown ----------------------------------------

    def _commit_bodies(self, markdown: str) -> dict[str, Markup]:
        """anchor → HTML of that commit's section below its heading, up to its closing rule.

        Splits the token stream, not the text, so a fenced block holding `---` or `### ` cannot
        end a section early."""
        tokens = self._markdown.parse(markdown)
        bodies: dict[str, Markup] = {}
        index = 0
        while index < len(tokens):
            token = tokens[index]
            match = None
            if token.type == "heading_open" and token.tag == "h4" and token.level == 0:
                match = _COMMIT_ANCHOR.match(tokens[index + 1].content)
            if not match:
                index += 1
                continue
            start = index + 3  # heading_open, inline, heading_close
            end = start
            while end < len(tokens) and not (tokens[end].type == "heading_open" and tokens[end].level == 0):
                end += 1
            last_rule = max(
                (i for i in range(start, end) if tokens[i].type == "hr" and tokens[i].level == 0), default=end
            )
            html = self._markdown.renderer.render(tokens[start:last_rule], self._markdown.options, {})
            bodies[match[1]] = Markup(html)
            index = end
        return bodies

    # -- the page around them ------------------------------------------------------------------

    def _repository(
        self, repository: RepositoryReport, t: dict[str, Any], zone: ZoneInfo, bodies: dict[str, Markup], language: str
    ) -> dict[str, Any]:
        key = repository.repository.key
        stats = repository.stats
        groups = [
            {
                "level": level.value,
                "heading": t["groups"][level.value].format(count=len(commits)),
                "commits": [self._commit(c, key, zone, bodies, t) for c in commits],
            }
            for level, commits in repository.importance_groups()
        ]
        return {
            "key": key,
            "name": repository.repository.name,
            "url": repository.repository.url,
            "anchor": anchors.repository(key),
            "error": repository.error,
            "releases_anchor": anchors.releases(key),
            "releases": [self._release(r, key, repository, t) for r in repository.releases],
            "stale": repository.stale,
            "history_cut": ", ".join(repository.history_cut),
            "stats": stats,
            "stats_line": plural(t, "stats_line", stats.total).format(**stats.model_dump()),
            "commits_label": plural(t["html"], "commits", stats.total).format(count=stats.total),
            "highlights": [self._highlight(h, key, repository, language, t) for h in repository.highlights],
            "rows": [self._row(c, key, zone) for c in repository.commits],
            "table_open": len(repository.commits) <= TABLE_OPEN_ROWS,
            "groups": groups,
            "footer": MarkdownRenderer()._footer(repository, t),
        }

    def _row(self, entry: CommitReport, key: str, zone: ZoneInfo) -> dict[str, Any]:
        commit = entry.commit
        shown = table_message(commit.message)
        return {
            "anchor": anchors.commit(key, commit.sha),
            "level": entry.analysis.importance.value,
            "time": commit.committed_at.astimezone(zone).strftime("%H:%M"),
            "author": commit.author.name,
            "subject": shown.subject,
            "paragraph": shown.paragraph,
            "search": _search_text(entry),
        }

    def _commit(
        self, entry: CommitReport, key: str, zone: ZoneInfo, bodies: dict[str, Markup], t: dict[str, Any]
    ) -> dict[str, Any]:
        commit = entry.commit
        anchor = anchors.commit(key, commit.sha)
        return {
            "anchor": anchor,
            "level": entry.analysis.importance.value,
            "subject": commit.subject,
            "short_sha": commit.short_sha,
            "author": commit.author.name,
            "time": commit.committed_at.astimezone(zone).strftime("%H:%M"),
            "files": plural(t["html"], "files", len(commit.files)).format(count=len(commit.files)),
            "added": commit.lines_added,
            "removed": commit.lines_removed,
            "body": bodies.get(anchor, Markup("")),
            "open": entry.analysis.importance != Importance.LOW,
            "search": _search_text(entry),
        }

    def _highlight(
        self, highlight: Highlight, key: str, repository: RepositoryReport, language: str, t: dict[str, Any]
    ) -> dict[str, Any]:
        entry = next((c for c in repository.commits if c.commit.sha == highlight.sha), None)
        if highlight.category == "security":
            names = [security_title(rule, language) or rule for rule in dict.fromkeys(highlight.items)]
        else:
            names = list(highlight.items)
        return {
            "label": t["highlight_categories"].get(highlight.category, highlight.category),
            "names": names[:5],
            "more": max(0, len(names) - 5),
            # A tag on an older commit: the link goes to the section's releases.
            "subject": entry.commit.subject if entry else t["releases"],
            "anchor": anchors.commit(key, highlight.sha) if entry else anchors.releases(key),
            "level": entry.analysis.importance.value if entry else "high",
        }

    def _release(self, release: Release, key: str, repository: RepositoryReport, t: dict[str, Any]) -> dict[str, Any]:
        tag = release.tag
        entry = next((c for c in repository.commits if c.commit.sha == release.version_sha), None)
        return {
            "name": visible(tag.name),
            "short_sha": tag.short_sha,
            "url": md_link_target(release.url),
            "kind": t["release_annotated"] if tag.annotated else t["release_lightweight"],
            "message": visible(tag.message),
            "counts": release_counts(tag, t, visible),
            "version": t["release_version"].format(version=release.version) if entry and release.version else None,
            "version_subject": entry.commit.subject if entry else None,
            "version_anchor": anchors.commit(key, entry.commit.sha) if entry else None,
        }


def _search_text(entry: CommitReport) -> str:
    commit = entry.commit
    words = [commit.subject, commit.author.name, commit.short_sha]
    words.extend(f.path for f in commit.files[:MAX_SEARCH_PATHS])
    for fact in entry.facts.facts:
        words.extend(str(value) for name in FACT_NAMES if (value := getattr(fact, name, None)))
    return " ".join(" ".join(words).lower().split())


def _own_html_only(_renderer: object, tokens: Sequence[Token], index: int, _options: OptionsDict, _env: EnvType) -> str:
    """Our own tags pass; any other raw HTML is shown as text."""
    content = tokens[index].content
    if all(OWN_TAGS.fullmatch(tag) for tag in re.findall(r"<[^>]*>", content)) and "<" in content:
        return content
    return html.escape(content, quote=False)
