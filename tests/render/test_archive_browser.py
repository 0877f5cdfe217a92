"""The archive site in headless Chromium: readable on a phone and a desktop, no console errors
(its Content-Security-Policy refuses nothing it needs), every link opens a page.

Screenshots land in build/test-artifacts/archive/ (docs/archive-site.png is one of them).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from repodigest.config import RepositoryConfig
from repodigest.publish.archive import ArchivePublisher
from repodigest.publish.files import FilesPublisher
from repodigest.render.archive import ArchiveSite
from support.browser import Browser, chromium_or_skip
from support.day_fixture import DAY, build_day_repo
from support.gitrepo import GitRepo
from support.reports import run_pipeline

ARTIFACTS = (
    Path(os.environ.get("REPODIGEST_ARTIFACTS", Path(__file__).parents[2] / "build" / "test-artifacts")) / "archive"
)
FORMATS = ("md", "json", "html")


@pytest.fixture(scope="module")
def browser():
    chromium = Browser(chromium_or_skip())
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("archive")
    demo = build_day_repo(root / "demo")
    demo.repo.commit("feat: add --verbose", "2026-02-28T10:00:00+08:00", files={"src/cli.py": "VERBOSE = 1\n"})
    tools = GitRepo.create(root / "tools")
    tools.commit("Initial import", "2026-02-20T10:00:00+08:00", files={"a.py": "A = 1\n"})
    tools.commit("fix: a small fix", "2026-02-27T10:00:00+08:00", files={"a.py": "A = 2\n"})
    configs = [
        RepositoryConfig(path=str(demo.path), name="acme/demo", web_url="https://github.com/acme/demo"),
        RepositoryConfig(path=str(tools.path), name="acme/tools"),
    ]
    out = root / "reports"
    digest = {
        "kind": "digest",
        "period": {"kind": "week", "start": "2026-02-23", "end": "2026-03-01", "label": "2026-W09"},
        "repository": {"name": "acme/demo", "key": "demo"},
        "stats": {"total": 11, "high": 0, "medium": 4, "low": 7},
    }
    for day in (DAY, "2026-02-28"):
        publishers = [FilesPublisher(out, FORMATS), ArchivePublisher(out, FORMATS, ArchiveSite(language="en"))]
        run_pipeline(configs, day, language="en", formats=FORMATS, publishers=publishers)
        (out / "2026" / "demo" / "week-2026-W09.json").write_text(json.dumps(digest), encoding="utf-8")
    ArchivePublisher(out, FORMATS, ArchiveSite(language="en")).refresh()
    return out


@pytest.mark.parametrize("device", [{"width": 390, "height": 844, "mobile": True}, {"width": 1280, "height": 800}])
def test_the_index_reads_on_a_phone_and_a_desktop(browser, site, device):
    page = browser.open(site / "index.html", **device)
    measured = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    assert measured["scroll"] <= measured["client"]
    assert page.evaluate("document.querySelectorAll('article.entry').length") == 7  # 2 × 3 days + 1 week
    assert page.evaluate("document.querySelectorAll('.repos li').length") == 2
    name = "phone" if device.get("mobile") else "desktop"
    page.screenshot(ARTIFACTS / f"index-{name}.png")
    assert page.errors() == []


def test_following_a_highlight_opens_the_commit_in_the_report(browser, site):
    page = browser.open(site / "repos" / "demo" / "index.html", width=1280, height=800)
    href = page.evaluate("document.querySelector('article.entry li a').href")
    assert "#c-demo-" in href
    report = browser.open(Path(href.split("#")[0].removeprefix("file://")), width=1280, height=800)
    anchor = href.split("#")[1]
    assert report.evaluate(f"Boolean(document.getElementById('{anchor}'))")
    assert page.errors() == [] and report.errors() == []
