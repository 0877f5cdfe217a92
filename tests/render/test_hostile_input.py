"""Text from a repository or a model is shown as text: it cannot change the report's structure,
smuggle HTML into it, run code in a browser or reach a terminal as escape sequences."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from repodigest.analysis.models import ImpactItem, Insight
from repodigest.config import RepositoryConfig
from repodigest.render.html import OWN_TAGS, HtmlRenderer
from repodigest.render.markdown import MarkdownRenderer
from repodigest.render.text import md_link_target
from support.chromium_dom import rendered_dom
from support.hostile import DAY, PAYLOADS, RUN, build_hostile_repo, hostile_strings
from support.reports import run_pipeline

GFM = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def structure(markdown: str) -> dict:
    """What a reader navigates by: headings per level, table rows and their cells, links, raw HTML."""
    tokens = GFM.parse(markdown)
    inline = [child for token in tokens if token.children for child in token.children]
    tables: list[list[int]] = []  # per table, the cell count of each row
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            tables[-1].append(0)
        elif token.type in ("td_open", "th_open"):
            tables[-1][-1] += 1
    return {
        "headings": sorted(t.tag for t in tokens if t.type == "heading_open"),
        "tables": tables,
        "links": [t.attrs["href"] for t in inline if t.type == "link_open"],
        "foreign_html": [
            t.content
            for t in [*tokens, *inline]
            if t.type in ("html_inline", "html_block") and not _only_own_tags(t.content)
        ],
        "images": [t for t in inline if t.type == "image"],
    }


def _event_handlers(page: str) -> list[str]:
    from html.parser import HTMLParser

    found: list[str] = []

    class Handlers(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend(f"{tag} {name}" for name, _ in attrs if name.startswith("on"))

    Handlers().feed(page)
    return found


def _only_own_tags(content: str) -> bool:
    tags = re.findall(r"<[^>]*>", content)
    return (
        bool(tags)
        and all(OWN_TAGS.fullmatch(tag) for tag in tags)
        and not re.sub(r"<[^>]*>", "", content.split("\n", 1)[0]).strip("\n ").startswith("<")
    )


def assert_inert(markdown: str) -> None:
    assert not FORBIDDEN.search(markdown), repr(FORBIDDEN.search(markdown)[0])
    shape = structure(markdown)
    assert shape["foreign_html"] == [] and shape["images"] == []
    assert all(link.lower().startswith(("#", "http://", "https://")) for link in shape["links"]), shape["links"]


@pytest.fixture(scope="module")
def hostile_edition(tmp_path_factory):
    repo = build_hostile_repo(tmp_path_factory.mktemp("hostile") / "demo")
    config = RepositoryConfig(path=str(repo.path))
    return run_pipeline([config], DAY, language="en", formats=("md", "json", "html")).editions[0]


def test_a_hostile_repository_keeps_the_report_structure(hostile_edition):
    markdown = hostile_edition.documents[0].content
    assert_inert(markdown)
    shape = structure(markdown)
    # One title, the repository, stats, TOC, one group, and one heading per commit (the CR in a
    # subject does not split its heading).
    assert shape["headings"].count("h4") == 2
    assert shape["tables"][0] == [3, 3, 3]  # header and one row per commit
    assert "#c-" in " ".join(shape["links"])
    assert "files␍# not a heading" in markdown  # the CR made visible, so no new line begins


def test_an_origin_url_that_is_not_a_url_gives_no_name_and_no_link(hostile_edition):
    markdown = hostile_edition.documents[0].content
    assert "## " in markdown and "acme/demo" not in markdown  # named after its folder instead
    assert "github.com" not in markdown


def test_no_payload_runs_in_chromium(hostile_edition, tmp_path):
    page = tmp_path / "report.html"
    html = next(d.content for d in hostile_edition.documents if d.format == "html")
    page.write_text(html, encoding="utf-8")
    dom = rendered_dom(page)
    assert "data-pwned" not in dom
    assert "onerror=document" in dom  # the payload is on the page, as text

    # Without the Content-Security-Policy the escaping alone must hold.
    unguarded = tmp_path / "unguarded.html"
    unguarded.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html), encoding="utf-8")
    assert "Content-Security-Policy" not in unguarded.read_text(encoding="utf-8")
    assert "data-pwned" not in rendered_dom(unguarded)


def test_the_browser_check_sees_a_payload_that_runs(tmp_path):
    """The control: the same payloads, raw on a page without a policy, do run in this browser, so
    the test above would have failed on an injectable report."""
    for payload in PAYLOADS[:3]:
        page = tmp_path / "raw.html"
        page.write_text(f"<!DOCTYPE html><html><body>{payload}</body></html>", encoding="utf-8")
        assert 'data-pwned="1"' in rendered_dom(page), payload


def test_the_content_security_policy_blocks_a_payload_that_slipped_through(hostile_edition, tmp_path):
    html = next(d.content for d in hostile_edition.documents if d.format == "html")
    head, body = html.split("<body>", 1)
    page = tmp_path / "slipped.html"
    page.write_text(f"{head}<body><img src=x onerror={RUN}><script>{RUN}</script>{body}", encoding="utf-8")
    assert "data-pwned" not in rendered_dom(page)


# -- property: any hostile text, the same structure ------------------------------------------------

hostile_text = st.one_of(
    st.sampled_from(hostile_strings()),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40),
    st.lists(
        st.sampled_from(
            [
                *hostile_strings(),
                "\n",
                "\r",
                "`",
                "|",
                "<",
                "&",
                "#",
                " ",
                "*",
                "_",
                "[",
                "]",
                "(",
                ")",
                "!",
                "\\",
                "\u202e",
                "\x1b",
            ]
        ),
        min_size=1,
        max_size=12,
    ).map("".join),
).filter(lambda text: text.strip() != "")
hostile_url = st.one_of(
    hostile_text,
    st.sampled_from(
        ["javascript:alert(1)", "data:text/html,<script>x</script>", "https://x.test/a b)\n<img>", "HTTPS://X.test/ok"]
    ),
)


@pytest.fixture(scope="module")
def clean_report(tmp_path_factory):
    from support.day_fixture import build_day_repo

    repo = build_day_repo(tmp_path_factory.mktemp("clean") / "demo")
    config = RepositoryConfig(path=str(repo.path), name="acme/demo", web_url="https://github.com/acme/demo")
    return run_pipeline([config], "2026-02-27", language="en").editions[0].report


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    subject=hostile_text,
    body=hostile_text,
    author=hostile_text,
    path=hostile_text,
    name=hostile_text,
    branch=hostile_text,
    url=hostile_url,
    model_text=hostile_text,
)
def test_any_hostile_text_keeps_the_markdown_structure(
    clean_report, subject, body, author, path, name, branch, url, model_text
):
    baseline = structure(MarkdownRenderer().render(clean_report))
    repository = clean_report.repositories[0]
    commits = []
    for entry in repository.commits:
        commit = entry.commit
        files = tuple(f.model_copy(update={"path": path}) for f in commit.files)
        analysis = entry.analysis.model_copy(
            update={
                "summary": model_text,
                "scope": model_text,
                "risks": (model_text,),
                "suggestions": (model_text,),
                "insights": tuple(Insight(dimension=model_text, text=model_text) for _ in entry.analysis.insights),
                "impact": tuple(ImpactItem(area=path, files=1, added=1, removed=0) for _ in entry.analysis.impact),
                "importance_reasons": (model_text,) * len(entry.analysis.importance_reasons),
            }
        )
        commits.append(
            entry.model_copy(
                update={
                    "commit": commit.model_copy(
                        update={
                            "message": f"{subject}\n\n{body}",
                            "files": files,
                            "author": commit.author.model_copy(update={"name": author}),
                        }
                    ),
                    "analysis": analysis,
                    "url": url,
                }
            )
        )
    info = repository.repository.model_copy(update={"name": name, "branch": branch})
    report = clean_report.model_copy(
        update={
            "day_summary": model_text,
            "repositories": (repository.model_copy(update={"repository": info, "commits": tuple(commits)}),),
        }
    )

    markdown = MarkdownRenderer().render(report)
    assert_inert(markdown)
    shape = structure(markdown)
    assert shape["headings"] == baseline["headings"]
    assert shape["tables"] == baseline["tables"]
    internal = [link for link in baseline["links"] if link.startswith("#")]
    hostile_internal = [link for link in shape["links"] if link.startswith("#")]
    # A body the table does not show whole links its row to the commit's section: more links, all ours.
    assert set(internal) <= set(hostile_internal)
    assert all(link.startswith("#c-") for link in set(hostile_internal) - set(internal))
    internal = hostile_internal
    assert len(shape["links"]) - len(internal) == (len(commits) if md_link_target(url) else 0)
    html = HtmlRenderer().render(report)
    page = html.split("</head>", 1)[1]
    assert not re.search(r"<(img|svg|iframe|object|embed)\b", page)
    assert page.count("<script") == 1  # the page's own filter script, nothing else
    assert not _event_handlers(page)  # no event handler attribute in any tag


@pytest.fixture(scope="module")
def hostile_digest(tmp_path_factory):
    from repodigest.period import day_range
    from repodigest.state.store import StateStore
    from support.release_fixture import tag
    from support.reports import run_digest

    repo = build_hostile_repo(tmp_path_factory.mktemp("hostile-digest") / "demo")
    # A tag's name may hold most of a payload, its message all of it.
    tag(repo, f"<svg onload={RUN}>".replace(" ", "/"), "HEAD")
    tag(repo, "v1", "HEAD", "2026-02-27T12:00:00+08:00", f"{PAYLOADS[3]} {CONTROLS_IN_TAG}")
    state = StateStore.open(f"sqlite:///{tmp_path_factory.mktemp('state') / 'state.db'}")
    config = RepositoryConfig(path=str(repo.path))
    period = day_range("2026-02-26", "2026-02-28", "Asia/Shanghai")
    return run_digest([config], period, state, language="en", formats=("md", "html")).edition


CONTROLS_IN_TAG = "\x1b[31m red \u202e evil"


def test_a_hostile_repository_cannot_break_its_digest(hostile_digest, tmp_path):
    markdown = hostile_digest.document("md", "demo").content
    assert not FORBIDDEN.search(markdown), repr(FORBIDDEN.search(markdown)[0])
    shape = structure(markdown)
    assert shape["foreign_html"] == [] and shape["images"] == []
    # Links go to the days' reports beside it (relative, our own anchors) or to web pages only.
    day = re.compile(r"(\.\./)*([\w.-]+/)?\d{4}-\d{2}-\d{2}\.md(#[a-z0-9-]+)?")
    assert all(day.fullmatch(link) or link.startswith("https://") for link in shape["links"]), shape["links"]
    assert "svg" in markdown and "v1" in markdown  # both tags are there, as text
    html = hostile_digest.document("html", "demo").content
    assert _event_handlers(html) == [] and "<script" not in html and "Content-Security-Policy" in html
    page = tmp_path / "digest.html"
    page.write_text(html, encoding="utf-8")
    assert "data-pwned" not in rendered_dom(page)
