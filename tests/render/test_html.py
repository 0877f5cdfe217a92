import re

from support.day_fixture import DAY, build_day_repo
from support.reports import render_day


def test_html_page_is_standalone_and_its_links_land(tmp_path):
    day_repo = build_day_repo(tmp_path / "demo")
    html = render_day(day_repo.path, DAY, language="en", formats=("html",)).document("html", "demo").content
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert '<html lang="en">' in html
    assert html.count("<script") == 1  # the page's own filter script, nothing from a commit message
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html or "&lt;script>alert('x')&lt;/script>" in html
    assert not re.search(r"<(link|img|iframe)\b|\bsrc=", html)  # no network: the page is complete on its own
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    targets = set(re.findall(r'(?:name|id)="([^"]+)"', html))
    links = re.findall(r'href="#([^"]+)"', html)
    assert links and all(link in targets for link in links)
    assert html.count("<table>") == 1 + html.count("Technical insights")  # the commit table and each insight table
