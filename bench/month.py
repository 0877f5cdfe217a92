"""repodigest over a month of a busy real repository, against raw `git log -p --numstat`.

    python bench/month.py [REPO] [--from 2026-07-01] [--to 2026-07-31] [--tz Asia/Shanghai]

Defaults to mudler/LocalAI, July 2026 (453 commits), from the mirror `fetch` brings. Both runs
happen here, now, on the same machine: the ratio is what counts, not the seconds. Prints wall
time and peak RSS of each, their ratio, and checks the targets (ratio ≤ 2.0, RSS ≤ 400 MB).
Run it twice and read the second (a warm page cache for both).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

DEFAULT_REPO = "/work/.mirror/mudler+LocalAI/repo"
TARGET_RATIO = 2.0
TARGET_RSS_MB = 400


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak <= before:
        print("  (peak RSS not above an earlier child's; run each benchmark in its own process)")
    return elapsed, peak / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", nargs="?", default=DEFAULT_REPO)
    parser.add_argument("--from", dest="first", default="2026-07-01")
    parser.add_argument("--to", dest="last", default="2026-07-31")
    parser.add_argument("--tz", default="Asia/Shanghai")
    args = parser.parse_args()
    zone = ZoneInfo(args.tz)
    since = datetime.combine(date.fromisoformat(args.first), clock.min, tzinfo=zone)
    until = datetime.combine(date.fromisoformat(args.last) + timedelta(days=1), clock.min, tzinfo=zone)
    window = [f"--since={since.isoformat()}", f"--until={(until - timedelta(seconds=1)).isoformat()}"]
    count = subprocess.run(
        ["git", "-C", args.repo, "rev-list", "--count", "HEAD", *window], capture_output=True, text=True, check=True
    ).stdout.strip()

    raw = ["git", "-C", args.repo, "log", "-p", "--numstat", "-M", "--diff-merges=first-parent", *window]
    git_seconds, git_rss = measure(raw)
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "REPODIGEST_HOME": scratch}
        ours = [
            sys.executable,
            "-m",
            "repodigest",
            "backfill",
            "--repo",
            args.repo,
            "--from",
            args.first,
            "--to",
            args.last,
            "--tz",
            args.tz,
            "--out",
            os.path.join(scratch, "out"),
        ]
        our_seconds, our_rss = measure(ours, env)

    ratio = our_seconds / git_seconds
    print(f"{args.repo} {args.first}..{args.last} ({args.tz}): {count} commits")
    print(f"  git log -p --numstat : {git_seconds:6.2f} s   peak RSS {git_rss:6.1f} MB")
    print(f"  repodigest backfill  : {our_seconds:6.2f} s   peak RSS {our_rss:6.1f} MB")
    print(f"  ratio {ratio:.2f} (target ≤ {TARGET_RATIO}), peak RSS {our_rss:.0f} MB (target ≤ {TARGET_RSS_MB})")
    return 0 if ratio <= TARGET_RATIO and our_rss <= TARGET_RSS_MB else 1


if __name__ == "__main__":
    sys.exit(main())
