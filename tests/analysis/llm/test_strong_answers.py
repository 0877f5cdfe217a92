"""Answers at the depth of the reference report, for three real ai-dynamo/nixl commits, served by
a local stub in the tool's schema: everything true reaches the report, the planted falsehoods do
not, and the rendered sections are golden files.

Regenerate the sections after an intended change with
    pytest tests/analysis/llm/test_strong_answers.py --update-golden
and read `git diff tests/golden` as a reviewer would.

The commits are read from a bare mirror of ai-dynamo/nixl (`$REPODIGEST_MIRROR/ai-dynamo+nixl/repo`,
default /work/.mirror), cloned for the test; without it the test skips and says so."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import NamedTuple

import pytest

from repodigest.analysis.llm.analyzer import LlmAnalyzer
from repodigest.analysis.llm.client import ChatClient
from repodigest.analysis.llm.grounding import plain, sentences
from repodigest.config import LlmConfig, RepositoryConfig
from support.reports import run_pipeline
from support.strong_server import StrongServer, written_answers


class Day(NamedTuple):
    language: str
    answers: dict
    entries: dict
    markdown: str
    html: str


MIRROR = Path(os.environ.get("REPODIGEST_MIRROR", "/work/.mirror")) / "ai-dynamo+nixl" / "repo"
DAY, ZONE = "2026-02-27", "Europe/Berlin"
COMMITS = ["1f64b71", "cb3be96", "2058f61"]


@pytest.fixture(scope="module")
def nixl(tmp_path_factory) -> Path:
    if not (MIRROR / "HEAD").is_file():
        pytest.skip(
            f"no ai-dynamo/nixl mirror at {MIRROR}: set REPODIGEST_MIRROR to a folder holding ai-dynamo+nixl/repo"
        )
    clone = tmp_path_factory.mktemp("nixl") / "nixl.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(MIRROR), str(clone)], check=True)
    return clone


@pytest.fixture(scope="module", params=["zh", "en"])
def day(request, nixl):
    language = request.param
    answers = written_answers()
    with (server := StrongServer(answers)).serve():
        settings = LlmConfig(
            base_url=server.base_url,
            model="strong-model",
            batch_small_commits=False,
            concurrency=4,
            timeout=10,
            max_retries=0,
        )
        analyzer = LlmAnalyzer(
            settings,
            ChatClient(settings.base_url, "sk-test", settings.timeout, settings.max_retries, settings.json_mode),
        )
        result = run_pipeline(
            [RepositoryConfig(path=str(nixl), name="ai-dynamo/nixl", web_url="https://github.com/ai-dynamo/nixl")],
            DAY,
            language=language,
            timezone=ZONE,
            analyzer=analyzer,
            formats=("md", "json", "html"),
        )
    edition = result.editions[0]
    entries = {entry.commit.short_sha: entry for entry in edition.report.repositories[0].commits}
    return Day(
        language, answers, entries, edition.document("md", "nixl").content, edition.document("html", "nixl").content
    )


def section(markdown: str, sha: str) -> str:
    found = re.search(rf'^#### <a name="[^"]*-{sha}[0-9a-f]*"></a>.*?(?=^---$)', markdown, re.MULTILINE | re.DOTALL)
    assert found, f"no section for {sha}"
    return found[0].rstrip() + "\n"


@pytest.mark.parametrize("sha", COMMITS)
def test_rendered_sections_match_golden(day, golden, sha):
    language, markdown = day.language, day.markdown
    golden(f"strong-{sha}.{language}.md", section(markdown, sha))


@pytest.mark.parametrize("sha", COMMITS)
def test_nothing_true_is_dropped_and_planted_falsehoods_are(day, sha):
    language, answers, entries = day.language, day.answers, day.entries
    written, analysis = answers[f"{sha}.{language}"], entries[sha].analysis
    assert analysis.fallback is None and analysis.analyzer == "llm:strong-model"
    kept = _everything_said(analysis)
    true_sentences = [
        s
        for text in _texts(written["answer"], written["planted"])
        for s in sentences(plain(text))
        if s not in written["planted"]
    ]
    assert [s for s in true_sentences if s not in kept] == []
    assert [s for s in written["planted"] if s in kept] == []
    assert analysis.usage.dropped_claims == len(written["planted"])


@pytest.mark.parametrize("sha", COMMITS)
def test_the_rules_items_follow_the_models_and_never_repeat_them(day, sha):
    entries = day.entries
    analysis = entries[sha].analysis
    model_risks = [r.text for r in analysis.detailed_risks]
    assert list(analysis.risks[: len(model_risks)]) == model_risks
    assert len(set(analysis.risks)) == len(analysis.risks)
    assert list(analysis.suggestions[: len(analysis.advice)]) == [a.text for a in analysis.advice]


def test_high_sections_read_like_the_reference(day):
    language, markdown = day.language, day.markdown
    text = section(markdown, "1f64b71")
    table_header = "| 维度 | 影响描述 |" if language == "zh" else "| Dimension | Impact |"
    advice_header = "| 对象 | 建议 |" if language == "zh" else "| Audience | Suggestion |"
    assert table_header in text and advice_header in text
    assert re.search(r"^1\. \*\*.+\*\*", text, re.MULTILINE) and re.search(r"^   - ", text, re.MULTILINE)
    assert ("📌 结论" if language == "zh" else "📌 Conclusion") in text


def _texts(answer: dict, planted: list[str]) -> list[str]:
    """Every text of a written answer; a risk whose text is planted goes whole, with its title."""
    texts = [answer["summary"], answer["importance_reason"], answer.get("conclusion", ""), *answer["impact_scope"]]
    for insight in answer["insights"]:
        texts += insight["points"]
    for risk in answer["risks"]:
        texts += [risk["text"]] if risk["text"] in planted else [risk["title"], risk["text"], *risk["points"]]
    for suggestion in answer["suggestions"]:
        texts += [suggestion["text"], suggestion["why"]]
    return [t for t in texts if t]


def _everything_said(analysis) -> str:
    parts = [analysis.summary, *analysis.importance_reasons, analysis.conclusion or "", *analysis.affected]
    parts += [p for insight in analysis.insights for p in insight.points]
    parts += [p for risk in analysis.detailed_risks for p in (risk.title, risk.text, *risk.points)]
    parts += [p for advice in analysis.advice for p in (advice.text, advice.why)]
    return "\n".join(parts)


def test_the_html_page_shows_the_tables_and_the_numbered_risks(day):
    start = day.html.index('id="c-nixl-1f64b71')
    section = day.html[start : day.html.index("</article>", start)]
    assert section.count("<table>") == 2 and "<ol>" in section and "<ul>" in section
    assert "UCX 1.22" not in section and "NIXL_DEVICE_API_V1" not in section
