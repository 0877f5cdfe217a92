"""The weekly digest of a busy real repository built from stored analyses, against the seven
daily runs that stored them.

    python bench/digest.py [REPO] [--week 2026-Www] [--tz Asia/Shanghai]

Defaults to mudler/LocalAI (the mirror `fetch` brings) and its busiest ISO week of 2026. First
the seven daily runs, one `repodigest run --date D` process per day as a scheduler starts them,
into one fresh state; then `repodigest digest --week W`, which must find every day in the state
(it says "7 repository-days from the state, 0 made first"). Both are measured here, now, on the
same machine: the ratio is what counts (target: the digest ≤ 10% of the seven runs).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_REPO = "/work/.mirror/mudler+LocalAI/repo"
TARGET_SHARE = 0.10


def busiest_week(repo: str, zone: ZoneInfo, year: int) -> str:
    """The ISO week of `year` with the most commits on the default branch, by committer date."""
    stamps = subprocess.run(
        ["git", "-C", repo, "log", "--format=%ct", f"--since={year}-01-01", f"--until={year + 1}-01-01"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    weeks = Counter()
    for stamp in stamps:
        iso = datetime.fromtimestamp(int(stamp), zone).isocalendar()
        if iso.year == year:
            weeks[f"{iso.year}-W{iso.week:02d}"] += 1
    return weeks.most_common(1)[0][0]


def timed(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return elapsed, done.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", nargs="?", default=DEFAULT_REPO)
    parser.add_argument("--week", default=None, help="default: the busiest ISO week of 2026")
    parser.add_argument("--tz", default="Asia/Shanghai")
    args = parser.parse_args()
    zone = ZoneInfo(args.tz)
    week = args.week or busiest_week(args.repo, zone, 2026)
    year, number = week.split("-W")
    monday = date.fromisocalendar(int(year), int(number), 1)
    days = [monday + timedelta(days=n) for n in range(7)]

    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "REPODIGEST_HOME": scratch}
        env.pop("CI", None)
        common = ["--repo", args.repo, "--tz", args.tz, "--out", os.path.join(scratch, "out"), "-q"]
        daily = 0.0
        for day in days:
            seconds, _ = timed([sys.executable, "-m", "repodigest", "run", "--date", day.isoformat(), *common], env)
            daily += seconds
        command = [sys.executable, "-m", "repodigest", "digest", "--week", week, *common[:-1]]
        digest_seconds, said = timed(command, env)
        commits = next((line for line in said.splitlines() if "repository-days" in line), "")
        from_state = "7 repository-days from the state, 0 made first" in said

    share = digest_seconds / daily
    print(f"{args.repo} {week} ({days[0]} to {days[-1]}, {args.tz})")
    print(f"  {commits.removeprefix('repodigest: ')}")
    print(f"  seven daily runs : {daily:6.2f} s")
    print(
        f"  weekly digest    : {digest_seconds:6.2f} s   ({share:.1%} of the daily runs; target ≤ {TARGET_SHARE:.0%})"
    )
    print(f"  built from the state alone: {'yes' if from_state else 'NO'}")
    return 0 if share <= TARGET_SHARE and from_state else 1


if __name__ == "__main__":
    sys.exit(main())
