"""The HTML report in real headless Chromium: on a phone (390 px, mobile viewport) and a desktop
(1280 px), in dark mode and print, with and without JavaScript.

Screenshots are kept in build/test-artifacts/html/ (or $REPODIGEST_ARTIFACTS) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from repodigest.config import RepositoryConfig
from support.browser import Browser, chromium_or_skip
from support.day_fixture import DAY, build_day_repo
from support.gitrepo import GitRepo
from support.reports import render_day, run_pipeline

ARTIFACTS = (
    Path(os.environ.get("REPODIGEST_ARTIFACTS", Path(__file__).parents[2] / "build" / "test-artifacts")) / "html"
)
PHONE = {"width": 390, "height": 844, "mobile": True}
DESKTOP = {"width": 1280, "height": 800}
LONG = "a_very_long_identifier_" * 8


@pytest.fixture(scope="module")
def browser():
    chromium = Browser(chromium_or_skip())
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The day fixture alone (zh and en) and a combined report of three repositories, one quiet."""
    root = tmp_path_factory.mktemp("html")
    day = build_day_repo(root / "demo")
    made = {}
    for language in ("zh", "en"):
        html = render_day(day.path, DAY, language=language, formats=("html",)).document("html", "demo").content
        made[language] = root / f"demo.{language}.html"
        made[language].write_text(html, encoding="utf-8")
    wide = GitRepo.create(root / "wide")
    wide.commit("Initial import", "2026-02-20T10:00:00+08:00", files={"a.py": "A = 1\n"})
    deep = "src/" + "/".join(["deeply_nested_folder_name"] * 6) + f"/{LONG}.py"
    wide.commit(
        f"feat: add `{LONG}` everywhere\n\n{LONG * 3}\n\n- item\n",
        "2026-02-27T09:00:00+08:00",
        files={deep: f"def {LONG}(x):\n    return x\n", "a.py": "A = 2\n"},
    )
    for hour in range(10, 22):
        wide.commit(
            f"fix: small change number {hour}", f"2026-02-27T{hour}:00:00+08:00", files={"a.py": f"A = {hour}\n"}
        )
    quiet = GitRepo.create(root / "quiet")
    quiet.commit("Initial import", "2026-02-20T10:00:00+08:00", files={"a.py": "A = 1\n"})
    configs = [
        RepositoryConfig(path=str(day.path), name="acme/demo", web_url="https://github.com/acme/demo"),
        RepositoryConfig(path=str(wide.path), name="acme/wide"),
        RepositoryConfig(path=str(quiet.path), name="acme/quiet"),
    ]
    edition = run_pipeline(configs, DAY, language="en", formats=("html",)).editions[0]
    made["combined"] = root / "combined.html"
    made["combined"].write_text(edition.document("html", None).content, encoding="utf-8")
    return made


def _overflow(page) -> dict:
    return page.evaluate("""(() => {
        const root = document.documentElement;
        const wide = [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
            .filter(e => !e.closest('table')).slice(0, 5).map(e => e.tagName + '.' + e.className);
        return {scroll: root.scrollWidth, client: root.clientWidth, inner: innerWidth, wide};
    })()""")


@pytest.mark.parametrize("name", ["zh", "en", "combined"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_no_horizontal_overflow_and_no_console_errors(browser, pages, name, device):
    metrics = PHONE if device == "phone" else DESKTOP
    page = browser.open(pages[name], **metrics)
    measured = _overflow(page)
    assert measured["inner"] == metrics["width"]  # the viewport meta is honoured: no 980 px layout on a phone
    assert measured["scroll"] <= measured["client"], measured
    assert measured["wide"] == []
    page.screenshot(ARTIFACTS / f"{name}-{device}.png")
    page.screenshot(ARTIFACTS / f"{name}-{device}-full.png", full_page=True)
    assert page.errors() == []


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_overview_comes_first_and_above_the_fold(browser, pages, device):
    metrics = PHONE if device == "phone" else DESKTOP
    page = browser.open(pages["combined"], **metrics)
    where = page.evaluate("""(() => {
        const top = s => document.querySelector(s).getBoundingClientRect().top;
        const cards = document.querySelectorAll('.card').length;
        return {overview: top('#overview'), table: top('details.table'), cards};
    })()""")
    assert where["cards"] == 3  # every repository, the quiet one included
    assert where["overview"] < metrics["height"] / 2
    assert where["overview"] < where["table"]
    text = page.evaluate("document.querySelector('#overview').innerText")
    assert "acme/quiet" in text and "no commits on this day" in text
    assert "🟡 3" in text  # counts by importance


def test_filters_and_search_change_what_is_visible(browser, pages):
    page = browser.open(pages["combined"], **DESKTOP)
    visible = "[...document.querySelectorAll('article.commit')].filter(e => e.offsetParent !== null).length"
    total = page.evaluate("document.querySelectorAll('article.commit').length")
    assert total == 9 + 13 and page.evaluate(visible) == total
    assert page.evaluate("document.getElementById('bar').hidden") is False
    low = page.evaluate("document.querySelectorAll('article.commit[data-level=low]').length")
    page.evaluate("(() => { const box = document.querySelector('input[value=low]'); box.click(); })()")
    assert page.evaluate(visible) == total - low
    assert page.evaluate("document.querySelectorAll('article.commit[data-level=low]:not([hidden])').length") == 0
    page.evaluate("document.querySelector('input[value=low]').click()")
    assert page.evaluate(visible) == total
    # Search by path and by symbol: only the commit that touched them.
    page.evaluate("""(() => { const s = document.getElementById('search'); s.value = 'deeply_nested';
                     s.dispatchEvent(new Event('input', {bubbles: true})); })()""")
    assert page.evaluate(visible) == 1
    assert "1 of 22" in page.evaluate("document.getElementById('count').textContent")
    page.evaluate("""(() => { const s = document.getElementById('search'); s.value = 'router_timeout';
                     s.dispatchEvent(new Event('input', {bubbles: true})); })()""")
    assert page.evaluate(visible) == 1  # an environment variable the commit reads
    page.evaluate("""(() => { const s = document.getElementById('search'); s.value = 'nothing-matches-this';
                     s.dispatchEvent(new Event('input', {bubbles: true})); })()""")
    assert page.evaluate(visible) == 0
    assert page.evaluate("document.getElementById('no-match').offsetParent !== null")
    page.evaluate("""(() => { const s = document.getElementById('search'); s.value = '';
                     s.dispatchEvent(new Event('input', {bubbles: true})); })()""")
    # By repository: the others' sections and cards go away.
    page.evaluate("""(() => { const r = document.getElementById('repo-filter'); r.value = 'wide';
                     r.dispatchEvent(new Event('change', {bubbles: true})); })()""")
    assert page.evaluate(visible) == 13
    assert page.evaluate("document.getElementById('repo-demo').offsetParent") is None
    assert page.errors() == []


def test_without_javascript_the_page_is_complete(browser, pages, tmp_path):
    # The page with its script removed is what a mail client or a no-script browser shows.
    html = pages["combined"].read_text("utf-8")
    start, end = html.index("<script>"), html.index("</script>") + len("</script>")
    bare = tmp_path / "noscript.html"
    bare.write_text(html[:start] + html[end:], encoding="utf-8")
    page = browser.open(bare, **PHONE)
    assert page.evaluate("document.getElementById('bar').offsetParent") is None  # no dead controls
    assert page.evaluate("[...document.querySelectorAll('article.commit')].filter(e => e.offsetParent).length") == 22
    assert _overflow(page)["scroll"] <= PHONE["width"]


def test_dark_mode_follows_the_system(browser, pages):
    page = browser.open(pages["zh"], **PHONE, dark=True)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(part) for part in background[background.index("(") + 1 : -1].split(",")[:3]]
    assert max(channels) < 60, background
    page.screenshot(ARTIFACTS / "zh-phone-dark.png")


def test_print_hides_the_controls_and_opens_every_section(browser, pages):
    page = browser.open(pages["combined"], **DESKTOP, media="print")
    assert page.evaluate("getComputedStyle(document.getElementById('bar')).display") == "none"
    assert page.evaluate("document.querySelectorAll('details:not([open])').length") > 0
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate("document.querySelectorAll('details:not([open])').length") == 0
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate("document.querySelectorAll('details:not([open])').length") > 0


def test_title_headings_and_the_way_back_to_the_top(browser, pages):
    page = browser.open(pages["zh"], **DESKTOP)
    assert page.evaluate("document.title") == "每日更新报告（2026-02-27） · acme/demo"
    sizes = page.evaluate("""(() => [parseFloat(getComputedStyle(document.body).fontSize),
        parseFloat(getComputedStyle(document.querySelector('h4.commit-title')).fontSize)])()""")
    assert sizes[1] >= sizes[0] * 1.05
    assert page.evaluate("document.querySelectorAll('article.commit a.totop[href=\"#top\"]').length") == 9
    assert page.evaluate("Boolean(document.getElementById('top'))")
    page.evaluate("document.querySelector('a.totop-fixed').click()")
    combined = browser.open(pages["combined"], **DESKTOP)
    assert combined.evaluate("document.title").endswith("· 3 repositories")


def test_a_link_to_a_collapsed_commit_opens_it(browser, pages):
    page = browser.open(pages["zh"], **PHONE)
    anchor = page.evaluate("document.querySelector('article.commit[data-level=low]').id")
    assert page.evaluate(f"document.getElementById('{anchor}').querySelector('details').open") is False
    page.evaluate(f"document.querySelector('a[href=\"#{anchor}\"]').click()")
    page.evaluate("new Promise(r => setTimeout(r, 50))")
    assert page.evaluate(f"document.getElementById('{anchor}').querySelector('details').open") is True


@pytest.fixture(scope="module")
def digest_page(tmp_path_factory):
    from repodigest.period import week
    from repodigest.state.store import StateStore
    from support.reports import run_digest
    from support.week_fixture import WEEK, ZONE, build_week_repo

    root = tmp_path_factory.mktemp("digest-html")
    repo = build_week_repo(root / "demo")
    state = StateStore.open(f"sqlite:///{root / 'state.db'}")
    config = RepositoryConfig(path=str(repo.path), name="acme/demo", web_url="https://github.com/acme/demo")
    edition = run_digest([config], week(WEEK, ZONE), state, language="zh", formats=("html",)).edition
    page = root / "week.html"
    page.write_text(edition.document("html", "demo").content, encoding="utf-8")
    return page


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_the_digest_fits_the_screen_without_errors(browser, digest_page, device):
    metrics = PHONE if device == "phone" else DESKTOP
    page = browser.open(digest_page, **metrics)
    measured = _overflow(page)
    assert measured["inner"] == metrics["width"]
    assert measured["scroll"] <= measured["client"], measured
    assert measured["wide"] == []
    assert page.evaluate("document.querySelectorAll('h3').length") >= 8  # every section is there
    page.screenshot(ARTIFACTS / f"digest-{device}-full.png", full_page=True)
    assert page.errors() == []
