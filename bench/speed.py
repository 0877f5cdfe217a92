"""The speed targets of issue 13, each measured beside its baseline in the same run.

    python bench/speed.py [REPO] [--tz Asia/Shanghai] [--runs 3] [--only month,months8,year,cached,help]

Defaults to mudler/LocalAI from the mirror `fetch` brings; JSON only, the offline rules
analyzer. Every figure is the median of `--runs` runs, baseline and candidate interleaved (the
machine is shared: single timings are noise). Peak RSS is the largest process of the run
(getrusage(RUSAGE_CHILDREN) read in a fresh process per run, so runs do not mask each other).

    month    2026-01              backfill ≤ 1.3 × `git log -p --numstat` over the same range
    months8  2026-01-01..09-05    backfill ≤ 1.3 × `git log -p --numstat`, peak RSS ≤ 250 MB
    year     2025-09-06..09-05    peak RSS ≤ 250 MB
    cached   2026-01-01..09-05    re-run on the same state ≤ 0.3 × the first run
    help     `repodigest --help`  ≤ 0.3 s (baseline: `python -c pass`)

Exit code 0 when every target measured is met. `REPODIGEST_WORKERS` is passed through.
`--before SRC` adds an earlier repodigest (a `src` folder, e.g. from `git archive`) to the month
and 8-month runs, interleaved with the others, to show the change in the same conditions.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

DEFAULT_REPO = "/work/.mirror/mudler+LocalAI/repo"
RANGES = {
    "month": ("2026-01-01", "2026-01-31"),
    "months8": ("2026-01-01", "2026-09-05"),
    "year": ("2025-09-06", "2026-09-05"),
    "cached": ("2026-01-01", "2026-09-05"),
}
TARGET_RATIO = 1.3
TARGET_RSS_MB = 250
TARGET_CACHED = 0.3
TARGET_HELP_SECONDS = 0.3

MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - start
print(json.dumps([seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024]))
"""


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, largest process) of one run of `command`."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True, env=env
    ).stdout
    seconds, rss = json.loads(out)
    return seconds, rss


def git_log(repo: str, first: str, last: str, zone: ZoneInfo) -> list[str]:
    since = datetime.combine(date.fromisoformat(first), clock.min, tzinfo=zone)
    until = datetime.combine(date.fromisoformat(last) + timedelta(days=1), clock.min, tzinfo=zone)
    window = [f"--since={since.isoformat()}", f"--until={(until - timedelta(seconds=1)).isoformat()}"]
    return ["git", "-C", repo, "log", "-p", "--numstat", "-M", "--diff-merges=first-parent", *window]


def backfill(repo: str, first: str, last: str, tz: str, home: str) -> list[str]:
    return [
        *(sys.executable, "-m", "repodigest", "backfill", "--repo", repo, "--from", first, "--to", last),
        *("--tz", tz, "--format", "json", "--out", os.path.join(home, "out"), "-q"),
    ]


def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s for s, _ in samples), statistics.median(r for _, r in samples)


def fresh_home(env: dict[str, str]) -> tuple[str, dict[str, str]]:
    home = tempfile.mkdtemp(prefix="repodigest-bench-")
    return home, {**env, "REPODIGEST_HOME": home}


def against_git(name: str, args, env: dict[str, str], check_rss: bool) -> bool:
    first, last = RANGES[name]
    zone = ZoneInfo(args.tz)
    ours, theirs, before = [], [], []
    for _ in range(args.runs):
        theirs.append(measure(git_log(args.repo, first, last, zone)))
        home, run_env = fresh_home(env)
        ours.append(measure(backfill(args.repo, first, last, args.tz, home), run_env))
        shutil.rmtree(home)
        if args.before:
            home, run_env = fresh_home({**env, "PYTHONPATH": args.before})
            before.append(measure(backfill(args.repo, first, last, args.tz, home), run_env))
            shutil.rmtree(home)
    (git_s, git_rss), (our_s, our_rss) = medians(theirs), medians(ours)
    ratio = our_s / git_s
    met = ratio <= TARGET_RATIO and (not check_rss or our_rss <= TARGET_RSS_MB)
    print(f"{name} {first}..{last} ({args.tz}), median of {args.runs}:")
    print(f"  git log -p --numstat : {git_s:6.2f} s   peak RSS {git_rss:6.1f} MB")
    print(f"  repodigest backfill  : {our_s:6.2f} s   peak RSS {our_rss:6.1f} MB")
    if before:
        before_s, before_rss = medians(before)
        print(
            f"  --before {args.before}: {before_s:6.2f} s   peak RSS {before_rss:6.1f} MB "
            f"(ratio {before_s / git_s:.2f})"
        )
    rss_note = f", peak RSS {our_rss:.0f} MB (target ≤ {TARGET_RSS_MB})" if check_rss else ""
    print(f"  ratio {ratio:.2f} (target ≤ {TARGET_RATIO}){rss_note} — {'met' if met else 'NOT met'}")
    return met


def year(args, env: dict[str, str]) -> bool:
    first, last = RANGES["year"]
    ours = []
    for _ in range(args.runs):
        home, run_env = fresh_home(env)
        ours.append(measure(backfill(args.repo, first, last, args.tz, home), run_env))
        shutil.rmtree(home)
    seconds, rss = medians(ours)
    met = rss <= TARGET_RSS_MB
    print(f"year {first}..{last}: {seconds:.2f} s, peak RSS {rss:.1f} MB (target ≤ {TARGET_RSS_MB}) — ", end="")
    print("met" if met else "NOT met")
    return met


def cached(args, env: dict[str, str]) -> bool:
    first, last = RANGES["cached"]
    firsts, agains = [], []
    for _ in range(args.runs):
        home, run_env = fresh_home(env)
        command = backfill(args.repo, first, last, args.tz, home)
        firsts.append(measure(command, run_env))
        agains.append(measure(command, run_env))
        shutil.rmtree(home)
    (first_s, _), (again_s, _) = medians(firsts), medians(agains)
    ratio = again_s / first_s
    met = ratio <= TARGET_CACHED
    print(f"cached {first}..{last}: first run {first_s:.2f} s, re-run {again_s:.2f} s, ", end="")
    print(f"ratio {ratio:.2f} (target ≤ {TARGET_CACHED}) — {'met' if met else 'NOT met'}")
    return met


def help_time(args, env: dict[str, str]) -> bool:
    ours, baseline = [], []
    for _ in range(args.runs):
        baseline.append(measure([sys.executable, "-c", "pass"], env))
        ours.append(measure([sys.executable, "-m", "repodigest", "--help"], env))
    (base_s, _), (our_s, _) = medians(baseline), medians(ours)
    met = our_s <= TARGET_HELP_SECONDS
    print(f"help: python -c pass {base_s:.3f} s, repodigest --help {our_s:.3f} s ", end="")
    print(f"(target ≤ {TARGET_HELP_SECONDS} s) — {'met' if met else 'NOT met'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", nargs="?", default=DEFAULT_REPO)
    parser.add_argument("--tz", default="Asia/Shanghai")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="help,month,cached,months8,year")
    parser.add_argument("--before", metavar="SRC", help="an earlier repodigest's src folder, measured beside")
    args = parser.parse_args()
    env = dict(os.environ)
    checks: dict[str, Callable[[], bool]] = {
        "help": lambda: help_time(args, env),
        "month": lambda: against_git("month", args, env, check_rss=False),
        "cached": lambda: cached(args, env),
        "months8": lambda: against_git("months8", args, env, check_rss=True),
        "year": lambda: year(args, env),
    }
    results = [checks[name]() for name in args.only.split(",")]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
