"""The Markdown report: links that land, text that renders as the text it is."""

import re

import pytest
from markdown_it import MarkdownIt

from support.day_fixture import DAY, build_day_repo
from support.reports import render_day


@pytest.fixture(scope="module")
def day_repo(tmp_path_factory):
    return build_day_repo(tmp_path_factory.mktemp("day") / "demo")


@pytest.fixture(scope="module", params=["zh", "en"])
def markdown(request, day_repo):
    return render_day(day_repo.path, DAY, language=request.param).document("md", "demo").content


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


def test_every_table_of_contents_link_lands_on_an_anchor(markdown):
    html = _html(markdown)
    targets = set(re.findall(r'(?:name|id)="([^"]+)"', html))
    links = re.findall(r'href="#([^"]+)"', html)
    assert len(links) >= 12
    missing = [link for link in links if link not in targets]
    assert missing == []


def test_anchors_are_unique(markdown):
    names = re.findall(r'<a name="([^"]+)"></a>', markdown)
    assert len(names) == len(set(names))


def test_every_commit_has_a_section_and_a_toc_entry(markdown, day_repo):
    for sha in day_repo.expected:
        assert f"**SHA**: `{sha[:7]}`" in markdown
        assert f"(#c-demo-{sha[:10]})" in markdown


def test_commit_links_point_at_the_host(markdown, day_repo):
    assert f"https://github.com/acme/demo/commit/{day_repo.expected[0]}" in markdown


def test_message_text_cannot_inject_html_or_markdown(markdown):
    html = _html(markdown)
    assert "<script>" not in html
    assert "alert('x')" in html  # shown as text
    headings = re.findall(r"<h\d>(.*?)</h\d>", html)
    assert not any("Not a heading" in h for h in headings)


def test_table_rows_keep_three_columns_despite_pipes(markdown):
    html = _html(markdown)
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    assert rows and all(row.count("<td>") == 3 for row in rows)
    assert any("faster <code>route()</code>" in row or "faster `route()`" in row or "route()" in row for row in rows)


def test_trailers_are_dropped_from_the_table(markdown):
    assert "Signed-off-by" not in markdown
    assert "Co-authored-by" not in markdown


def test_times_are_shown_in_the_report_zone(markdown):
    # Committed 2026-02-27T09:30:00+01:00 = 16:30 in Shanghai.
    assert "| 2026-02-27 16:30:00 | Bob Müller |" in markdown


def test_no_line_ends_mid_word_in_the_toc(markdown):
    toc_lines = [line for line in markdown.splitlines() if line.startswith("    - [")]
    for line in toc_lines:
        text = line.split("[", 1)[1].rsplit("](", 1)[0]
        assert len(text) <= 90
