"""Where facts extraction runs: in this process, a pool of threads, or a pool of processes.

    python bench/facts_workers.py [REPO] [--from 2026-03-01] [--to 2026-04-30] [--runs 3]

Runs the pipeline (rules analyzer, JSON, no publishers) over the range once per mode and run,
modes interleaved, each in a fresh process; prints the median wall time per mode, its ratio
to the single-process run, and checks that every mode rendered the same documents.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

DEFAULT_REPO = "/work/.mirror/mudler+LocalAI/repo"
MODES = {"serial": ("process", 0), "threads": ("thread", 2), "processes": ("process", 2)}


def child(repo: str, first: str, last: str, mode: str) -> None:
    from repodigest.analysis.rules.analyzer import RulesAnalyzer
    from repodigest.config import RepositoryConfig
    from repodigest.facts.roles import RoleRules
    from repodigest.facts.workers import FactsWorkers
    from repodigest.pipeline import Pipeline, plan_repositories
    from repodigest.render.registry import renderers_for

    kind, workers = MODES[mode]
    roles = RoleRules.default()
    start_day, last_day = date.fromisoformat(first), date.fromisoformat(last)
    days = [start_day + timedelta(days=n) for n in range((last_day - start_day).days + 1)]
    started = time.perf_counter()
    with FactsWorkers(roles, workers=workers, mode=kind) as pool:
        pipeline = Pipeline(
            analyzer=RulesAnalyzer(),
            renderers=renderers_for(("json",)),
            publishers=[],
            language="zh",
            timezone="Asia/Shanghai",
            cache_dir=Path("/nonexistent-cache"),
            roles=roles,
            facts_workers=pool,
        )
        result = pipeline.run_days(plan_repositories([RepositoryConfig(path=repo)]), days)
    digest = hashlib.sha256()
    for edition in result.editions:
        for document in edition.documents:
            digest.update(document.content.encode())
    print(json.dumps([time.perf_counter() - started, digest.hexdigest(), sum(r.commits for r in result.runs)]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", nargs="?", default=DEFAULT_REPO)
    parser.add_argument("--from", dest="first", default="2026-03-01")
    parser.add_argument("--to", dest="last", default="2026-04-30")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=MODES)
    args = parser.parse_args()
    if args.child:
        child(args.repo, args.first, args.last, args.child)
        return 0
    seconds: dict[str, list[float]] = {mode: [] for mode in MODES}
    digests: set[str] = set()
    commits = 0
    for _ in range(args.runs):
        for mode in MODES:
            command = [sys.executable, __file__, args.repo, "--from", args.first, "--to", args.last, "--child", mode]
            elapsed, digest, commits = json.loads(subprocess.run(command, check=True, capture_output=True).stdout)
            seconds[mode].append(elapsed)
            digests.add(digest)
    print(f"{args.repo} {args.first}..{args.last}: {commits} commits, median of {args.runs}")
    serial = statistics.median(seconds["serial"])
    for mode, samples in seconds.items():
        median = statistics.median(samples)
        print(f"  {mode:10} {median:6.2f} s  ×{median / serial:.2f}")
    print("  reports identical in every mode" if len(digests) == 1 else "  REPORTS DIFFER between modes")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
