"""The archive site: index pages and Atom feeds beside the reports, updated day by day from what
each run writes, never by reading old days again."""

from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from repodigest.config import RepositoryConfig
from repodigest.publish.archive import MANIFEST, ArchivePublisher, archive_paths
from repodigest.publish.files import FilesPublisher
from repodigest.render.archive import ArchiveSite
from support.cli import run_cli
from support.day_fixture import DAY, build_day_repo
from support.gitrepo import GitRepo
from support.reports import run_pipeline

NEXT_DAY = "2026-02-28"
FORMATS = ("md", "json", "html")


def _publishers(out: Path, language: str = "en", formats=FORMATS, site_url: str | None = None):
    site = ArchiveSite(language=language, site_url=site_url)
    return [FilesPublisher(out, formats), ArchivePublisher(out, formats, site)]


def _run(configs, day, out, language="en", formats=FORMATS, **kwargs):
    return run_pipeline(
        configs, day, language=language, formats=formats, publishers=_publishers(out, language, formats, **kwargs)
    )


@pytest.fixture
def demo(tmp_path) -> RepositoryConfig:
    day = build_day_repo(tmp_path / "demo")
    day.repo.commit(
        "feat: add --verbose flag to the router",
        "2026-02-28T10:00:00+08:00",
        files={"src/cli.py": "import argparse\np = argparse.ArgumentParser()\np.add_argument('--verbose')\n"},
    )
    return RepositoryConfig(path=str(day.path), name="acme/demo", web_url="https://github.com/acme/demo")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if "href" in attributes:
            self.hrefs.append(attributes["href"])
        for name in ("id", "name"):
            if attributes.get(name):
                self.ids.add(attributes[name])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text("utf-8"))
    return parser


def _pages(out: Path) -> list[Path]:
    return [out / "index.html", *sorted((out / "repos").glob("*/index.html"))]


def _assert_every_link_resolves(out: Path) -> int:
    checked = 0
    for page in _pages(out):
        for href in _parse(page).hrefs:
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc, f"{page}: {href} is not relative"
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page}: {href} leads nowhere"
            assert target.is_relative_to(out.resolve())
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in _parse(target).ids, f"{page}: {href} has no such anchor"
            checked += 1
    return checked


def test_a_new_day_adds_itself_to_the_pages_and_feeds(demo, tmp_path):
    out = tmp_path / "reports"
    _run([demo], DAY, out)
    first = feedparser.parse((out / "feed.xml").read_bytes())
    assert [e.title for e in first.entries] == [f"acme/demo · {DAY}"]

    _run([demo], NEXT_DAY, out)
    for feed_path in (out / "feed.xml", out / "repos/demo/feed.xml"):
        feed = feedparser.parse(feed_path.read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.version == "atom10"
        assert [e.title for e in feed.entries] == [f"acme/demo · {NEXT_DAY}", f"acme/demo · {DAY}"]
        assert len({e.id for e in feed.entries}) == 2
        assert feed.entries[1].summary.startswith("🔴 ")  # counts by level
    links = [e.link for e in feedparser.parse((out / "repos/demo/feed.xml").read_bytes()).entries]
    assert links == [f"../../2026/demo/{NEXT_DAY}.html", f"../../2026/demo/{DAY}.html"]
    assert _assert_every_link_resolves(out) > 10

    index = (out / "index.html").read_text("utf-8")
    assert index.index(NEXT_DAY) < index.index(f">{DAY}<")  # newest first
    assert "Content-Security-Policy" in index and "script-src &#x27;none&#x27;" in index
    assert _parse(out / "index.html").scripts == 0
    assert 'href="repos/demo/index.html"' in index
    assert "🔴 High" in index and "🚀 New" in index  # counts and the day's highlights


def test_old_days_are_not_read_again(demo, tmp_path):
    out = tmp_path / "reports"
    _run([demo], DAY, out)
    old = out / "2026" / "demo" / f"{DAY}.json"
    stamp = old.stat()
    # Damage the old day's JSON but keep its time: a run that read it again would lose the day.
    old.write_text("{ not json", encoding="utf-8")
    os.utime(old, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    _run([demo], NEXT_DAY, out)
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    assert [(e["label"], e["stats"]["total"]) for e in manifest["entries"]] == [(NEXT_DAY, 2), (DAY, 9)]


def test_reports_written_before_the_archive_and_period_digests_are_listed(demo, tmp_path):
    out = tmp_path / "reports"
    run_pipeline([demo], DAY, language="en", formats=FORMATS, publishers=[FilesPublisher(out, FORMATS)])
    # A period digest as the digest command writes it beside the daily reports.
    digest = {
        "kind": "digest",
        "period": {"kind": "week", "start": "2026-02-23", "end": "2026-03-01", "label": "2026-W09"},
        "repository": {"name": "acme/demo", "key": "demo", "url": None, "branch": "main"},
        "timezone": "Asia/Shanghai",
        "stats": {"total": 10, "high": 1, "medium": 4, "low": 5},
        "highlights": [{"category": "breaking", "items": ["route"], "sha": "0" * 40, "subject": "Route changed"}],
    }
    (out / "2026" / "demo" / "week-2026-W09.json").write_text(json.dumps(digest), encoding="utf-8")
    (out / "2026" / "demo" / "week-2026-W09.md").write_text("# Week\n", encoding="utf-8")
    (out / "2026" / "notes.json").write_text('{"hello": 1}', encoding="utf-8")  # not a report: left out
    _run([demo], NEXT_DAY, out)

    titles = [e.title for e in feedparser.parse((out / "repos/demo/feed.xml").read_bytes()).entries]
    assert titles == ["acme/demo · Week 2026-W09", f"acme/demo · {NEXT_DAY}", f"acme/demo · {DAY}"]
    page = (out / "repos/demo/index.html").read_text("utf-8")
    assert 'href="../../2026/demo/week-2026-W09.md">Week 2026-W09</a>' in page
    assert 'also <a href="../../2026/demo/week-2026-W09.json">json</a>' in page
    assert _assert_every_link_resolves(out) > 10


def test_an_entry_whose_files_are_gone_is_dropped(demo, tmp_path):
    out = tmp_path / "reports"
    _run([demo], DAY, out)
    _run([demo], NEXT_DAY, out)
    for path in (out / "2026" / "demo").glob(f"{DAY}.*"):
        path.unlink()
    ArchivePublisher(out, FORMATS, ArchiveSite(language="en")).refresh()
    assert len(feedparser.parse((out / "feed.xml").read_bytes()).entries) == 1
    _assert_every_link_resolves(out)


def test_several_repositories_combined_feed_holds_one_entry_per_day(demo, tmp_path):
    other = GitRepo.create(tmp_path / "tools")
    other.commit("Initial import", "2026-02-20T10:00:00+08:00", files={"a.py": "A = 1\n"})
    other.commit("fix: a small fix", "2026-02-27T10:00:00+08:00", files={"a.py": "A = 2\n"})
    configs = [demo, RepositoryConfig(path=str(other.path), name="bob/tools")]
    out = tmp_path / "reports"
    _run(configs, DAY, out, language="zh")
    _run(configs, NEXT_DAY, out, language="zh")
    combined = feedparser.parse((out / "feed.xml").read_bytes())
    assert [e.title for e in combined.entries] == [f"全部仓库 · {NEXT_DAY}", f"全部仓库 · {DAY}"]
    assert combined.entries[0].link == f"2026/{NEXT_DAY}.html"
    assert len(feedparser.parse((out / "repos/tools/feed.xml").read_bytes()).entries) == 2
    index = (out / "index.html").read_text("utf-8")
    assert "bob/tools" in index and "repodigest 报告归档" in index
    assert _assert_every_link_resolves(out) > 20
    assert {p.relative_to(out).as_posix() for p in archive_paths(out)} == {
        "index.html",
        "feed.xml",
        MANIFEST,
        "repos/demo/index.html",
        "repos/demo/feed.xml",
        "repos/tools/index.html",
        "repos/tools/feed.xml",
    }


def test_with_a_site_url_feed_links_are_absolute(demo, tmp_path):
    out = tmp_path / "reports"
    _run([demo], DAY, out, site_url="https://acme.github.io/reports/")
    feed = feedparser.parse((out / "repos/demo/feed.xml").read_bytes())
    assert feed.entries[0].link == f"https://acme.github.io/reports/2026/demo/{DAY}.html"
    assert feed.feed.links[0].href == "https://acme.github.io/reports/repos/demo/feed.xml"


def test_hostile_names_and_subjects_are_escaped(tmp_path):
    repo = GitRepo.create(tmp_path / "evil")
    repo.commit("Initial import", "2026-02-20T10:00:00+08:00", files={"a.py": "A = 1\n"})
    repo.commit(
        "feat: add `--x` <img src=x onerror=alert(1)>\x1b[31m",
        "2026-02-27T10:00:00+08:00",
        files={"cli.py": "import argparse\np = argparse.ArgumentParser()\np.add_argument('--x')\n"},
    )
    out = tmp_path / "reports"
    _run([RepositoryConfig(path=str(repo.path), name='<script>alert("n")</script>')], DAY, out)
    for page in _pages(out):
        text = page.read_text("utf-8")
        assert "<script" not in text and "<img" not in text and "\x1b" not in text
        assert "&lt;img src=x onerror=alert(1)&gt;␛[31m" in text or page.name != "index.html"
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo
    assert "<script>" in feed.entries[0].title  # text, shown as text by the reader
    assert re.search(r"<title[^>]*>&lt;script&gt;", (out / "feed.xml").read_text("utf-8"))


def test_the_command_line_switch_and_the_archive_command(demo, tmp_path):
    out = tmp_path / "reports"
    common = ("--repo", demo.path, "--out", str(out), "--tz", "Asia/Shanghai", "--lang", "en", "-q")
    assert run_cli("run", *common, "--date", DAY).code == 0
    assert not (out / "index.html").exists()  # off by default: the folder holds only the reports
    result = run_cli("run", *common, "--date", NEXT_DAY, "--archive", "--format", "md,json")
    assert result.code == 0, result.stderr
    # The day before the archive was turned on is taken from its JSON file.
    entries = feedparser.parse((out / "feed.xml").read_bytes()).entries
    assert [e.link for e in entries] == [f"2026/demo/{NEXT_DAY}.md", f"2026/demo/{DAY}.md"]
    (out / "index.html").unlink()
    rebuilt = run_cli("archive", "--out", str(out), "--lang", "en")
    assert rebuilt.code == 0 and "index.html" in rebuilt.stdout
    assert _assert_every_link_resolves(out) > 4


def test_bad_archive_settings_are_bad_input(tmp_path):
    missing = run_cli("archive", "--out", str(tmp_path / "nowhere"))
    assert missing.code == 2 and "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    config = tmp_path / "repodigest.toml"
    config.write_text('[archive]\nenabled = true\nsite_url = "ftp://example.org"\n')
    bad = run_cli("archive", "--config", str(config), "--out", str(tmp_path))
    assert bad.code == 2 and "site_url must start with https://" in bad.stderr


def test_an_edition_of_another_kind_is_taken_in_from_its_files(tmp_path):
    from repodigest.publish.base import Edition

    out = tmp_path / "reports"
    (out / "2026").mkdir(parents=True)
    digest = {
        "kind": "digest",
        "period": {"kind": "month", "start": "2026-02-01", "end": "2026-02-28", "label": "2026-02"},
    }
    (out / "2026" / "month-2026-02.json").write_text(json.dumps(digest), encoding="utf-8")
    edition = Edition.model_construct(report=digest, documents=())  # not a day's Report
    ArchivePublisher(out, FORMATS, ArchiveSite(language="en")).publish(edition)
    assert [e.title for e in feedparser.parse((out / "feed.xml").read_bytes()).entries] == [
        "All repositories · Month 2026-02"
    ]
