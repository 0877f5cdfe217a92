"""The archive site over a year of reports: building it from the reports' files once, then one
more day added from the manifest, measured in the same run.

    python bench/archive.py [--days 365] [--repositories 3]

A year of daily reports is made by copying the day fixture's report under every date (the
contents do not matter here, their number and size do). Prints the time of the first build (every
JSON file read), of one more day (the new day's entries from its edition, no old file read) and
the count of report files each read.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from repodigest.publish.archive import MANIFEST, ArchivePublisher
from repodigest.publish.files import FilesPublisher
from repodigest.render.archive import ArchiveSite
from support.day_fixture import DAY, build_day_repo
from support.reports import render_day

FORMATS = ("md", "json", "html")


def year_of_reports(out: Path, days: int, repositories: int, root: Path):
    edition = render_day(build_day_repo(root / "demo").path, DAY, language="en", formats=FORMATS)
    documents = {d.format: d.content for d in edition.documents}
    document = json.loads(documents["json"])
    first = date(2025, 1, 1)
    for r in range(repositories):
        key = f"repo{r}"
        document["repository"] = {**document["repository"], "key": key, "name": f"acme/{key}"}
        for offset in range(days):
            day = (first + timedelta(days=offset)).isoformat()
            folder = out / day[:4] / key
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{day}.json").write_text(json.dumps({**document, "date": day}), encoding="utf-8")
            (folder / f"{day}.md").write_text(documents["md"], encoding="utf-8")
            (folder / f"{day}.html").write_text(documents["html"], encoding="utf-8")
    return edition


class CountingPublisher(ArchivePublisher):
    reads = 0

    def _read(self, path, relative, mtime):
        CountingPublisher.reads += 1
        return super()._read(path, relative, mtime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repositories", type=int, default=3)
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="repodigest-archive-bench-"))
    try:
        out = root / "reports"
        edition = year_of_reports(out, options.days, options.repositories, root)
        site = ArchiveSite(language="en")
        archive = CountingPublisher(out, FORMATS, site)

        start = time.perf_counter()
        archive.refresh()
        first = time.perf_counter() - start
        first_reads, CountingPublisher.reads = CountingPublisher.reads, 0

        # One more day, as a run writes it: the files publisher, then the archive.
        FilesPublisher(out, FORMATS).publish(edition)
        start = time.perf_counter()
        archive.publish(edition)
        more = time.perf_counter() - start
        entries = len(json.loads((out / MANIFEST).read_text("utf-8"))["entries"])
        size = sum(p.stat().st_size for p in out.rglob("*.json")) / 1e6
        print(f"reports: {options.repositories} repositories × {options.days} days, {size:.0f} MB of JSON")
        print(f"first build from the files: {first:.2f} s, {first_reads} report files read")
        print(f"one more day from the manifest: {more:.2f} s, {CountingPublisher.reads} report files read")
        print(f"entries: {entries}; ratio {more / first:.2f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
