"""LLM calls run side by side: 40 commits against a local server that answers after 1 s.

    python bench/llm_concurrency.py [--commits 40] [--concurrency 8] [--delay 1.0]

Prints the wall time of the analysis beside the ideal, ceil(commits / concurrency) × delay, and
then runs the same day again to show that a re-run makes no call at all.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from support.fault_server import FaultServer
from support.gitrepo import GitRepo


def build_repository(folder: Path, commits: int) -> None:
    repo = GitRepo.create(folder)
    for index in range(commits):
        repo.commit(
            f"feat: handler {index}",
            f"2026-05-02T{index // 60:02d}:{index % 60:02d}:00+00:00",
            files={f"svc/handler_{index}.py": f"def handle_{index}(request):\n    return {index}\n"},
        )


def run(config: Path, home: str) -> tuple[float, int]:
    """Wall time, and the requests the tool says it made (the run summary's `llm: N calls`)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "repodigest", "run", "--config", str(config), "--date", "2026-05-02"],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "REPODIGEST_HOME": home},
    )
    reported = re.search(r"llm: (\d+) calls", done.stderr)
    return time.perf_counter() - start, int(reported[1]) if reported else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--delay", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        build_repository(root / "repo", args.commits)
        with (server := FaultServer(delay=args.delay)).serve():
            config = root / "repodigest.toml"
            config.write_text(
                f'output = "{root / "out"}"\nanalyzer = "llm"\ntimezone = "UTC"\n'
                f'[[repositories]]\npath = "{root / "repo"}"\n'
                f'[llm]\nbase_url = "{server.base_url}"\nmodel = "bench"\n'
                f"concurrency = {args.concurrency}\nbatch_small_commits = false\n"
            )
            home = str(root / "home")
            first, reported_first = run(config, home)
            calls_first, others_first = len(server.server.requests), len(server.server.others)
            again, reported_again = run(config, home)
            calls_again = len(server.server.requests) - calls_first
            others_again = len(server.server.others) - others_first
    ideal = math.ceil(args.commits / args.concurrency) * args.delay
    print(f"{args.commits} commits, concurrency {args.concurrency}, server delay {args.delay:.1f} s")
    print(
        f"  first run : {first:6.2f} s wall ({first / ideal:.2f}× the ideal {ideal:.1f} s for the calls alone); "
        f"server saw {calls_first} requests to the model (and {others_first} tokenizer probes), "
        f"the tool reports {reported_first} calls"
    )
    print(
        f"  less what a re-run costs without any call ({again:.2f} s: start, git walk, facts, rendering): "
        f"{first - again:.2f} s, {(first - again) / ideal:.2f}× the ideal"
    )
    print(
        f"  re-run    : {again:6.2f} s wall; server saw {calls_again} requests to the model "
        f"(and {others_again} tokenizer probes), the tool reports {reported_again}"
    )
    return 0 if calls_again == others_again == 0 and calls_first == reported_first else 1


if __name__ == "__main__":
    sys.exit(main())
