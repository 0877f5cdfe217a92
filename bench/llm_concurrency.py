"""LLM calls run side by side: 40 commits against a local server that answers after 1 s.

    python bench/llm_concurrency.py [--commits 40] [--concurrency 8] [--delay 1.0]

Prints the wall time of a run beside the ideal, ceil(commits / concurrency) × delay — the calls
alone, as if start-up, git, facts and rendering cost nothing — for a first run in a new state
(which also creates the database) and for a daily run (the state is there); then runs the day again
to show that a re-run makes no request at all. Each run's CPU time is printed too: on a shared
machine the wall time grows with the others' load, the CPU time does not.
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
from dataclasses import dataclass
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


@dataclass
class Run:
    wall: float
    cpu: float
    """CPU seconds of the tool's process (user + system): what the machine's load cannot inflate."""
    reported: int
    """Requests the tool says it made (the run summary's `llm: N calls`)."""
    requests: int = 0
    """Requests to the model the server saw during the run."""
    probes: int = 0
    """Other requests the server saw (tokenizer probes)."""


def run(config: Path, home: str, day: str = "2026-05-02") -> Run:
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "repodigest", "run", "--config", str(config), "--date", day],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "REPODIGEST_HOME": home},
    )
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    reported = re.search(r"llm: (\d+) calls", done.stderr)
    return Run(wall, cpu, int(reported[1]) if reported else 0)


def counted(server: FaultServer, config: Path, home: str, day: str = "2026-05-02") -> Run:
    """One run, with the requests the server saw meanwhile."""
    requests, others = len(server.server.requests), len(server.server.others)
    done = run(config, home, day)
    done.requests = len(server.server.requests) - requests
    done.probes = len(server.server.others) - others
    return done


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
            first = counted(server, config, str(root / "home"))
            again = counted(server, config, str(root / "home"))
            # A scheduled run finds the state its earlier runs made: the day before (no commits)
            # leaves a migrated state behind, and nothing learnt about the server.
            run(config, str(root / "daily"), "2026-05-01")
            daily = counted(server, config, str(root / "daily"))
    ideal = math.ceil(args.commits / args.concurrency) * args.delay
    print(f"{args.commits} commits, concurrency {args.concurrency}, server delay {args.delay:.1f} s")
    for label, each in (("first run, new state", first), ("daily run", daily)):
        print(
            f"  {label:21}: {each.wall:6.2f} s wall, {each.wall / ideal:.2f}× the ideal {ideal:.1f} s for the calls "
            f"alone ({each.cpu:.2f} s CPU); server saw {each.requests} requests to the model "
            f"(and {each.probes} tokenizer probes), the tool reports {each.reported} calls"
        )
    print(
        f"  re-run               : {again.wall:6.2f} s wall ({again.cpu:.2f} s CPU: start, git walk, facts, "
        f"rendering); server saw {again.requests} requests to the model (and {again.probes} tokenizer probes), "
        f"the tool reports {again.reported}"
    )
    honest = all(each.requests == each.reported for each in (first, daily, again))
    return 0 if honest and again.requests == again.probes == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
