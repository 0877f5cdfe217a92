"""LLM calls run side by side: 50 commits against a local server that answers after 1 s.

    python bench/llm_concurrency.py [--commits 50] [--concurrency 8] [--delay 1.0]

Prints the wall time of the analysis beside the ideal, ceil(commits / concurrency) × delay, and
then runs the same day again to show that a re-run makes no call at all.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from support.fault_server import FaultServer  # noqa: E402  (the tests' OpenAI-compatible server)
from support.gitrepo import GitRepo  # noqa: E402


def build_repository(folder: Path, commits: int) -> None:
    repo = GitRepo.create(folder)
    for index in range(commits):
        repo.commit(f"feat: handler {index}", f"2026-05-02T{index // 60:02d}:{index % 60:02d}:00+00:00",
                    files={f"svc/handler_{index}.py": f"def handle_{index}(request):\n    return {index}\n"})


def run(config: Path, home: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "repodigest", "run", "--config", str(config), "--date", "2026-05-02"],
                   check=True, capture_output=True, env={**os.environ, "REPODIGEST_HOME": home})
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--delay", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        build_repository(root / "repo", args.commits)
        with (server := FaultServer(delay=args.delay)).serve():
            config = root / "repodigest.toml"
            config.write_text(f'output = "{root / "out"}"\nanalyzer = "llm"\ntimezone = "UTC"\n'
                              f'[[repositories]]\npath = "{root / "repo"}"\n'
                              f'[llm]\nbase_url = "{server.base_url}"\nmodel = "bench"\n'
                              f'concurrency = {args.concurrency}\nbatch_small_commits = false\n')
            home = str(root / "home")
            first = run(config, home)
            calls_first = len(server.server.requests)
            again = run(config, home)
            calls_again = len(server.server.requests) - calls_first
    ideal = math.ceil(args.commits / args.concurrency) * args.delay
    print(f"{args.commits} commits, concurrency {args.concurrency}, server delay {args.delay:.1f} s")
    print(f"  first run : {first:6.2f} s wall, {calls_first} calls (ideal for the calls alone: {ideal:.1f} s)")
    print(f"  re-run    : {again:6.2f} s wall, {calls_again} calls")
    return 0 if calls_again == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
