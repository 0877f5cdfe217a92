"""Are the commits of a report exactly the ones `git log` lists for the same day?

    python bench/window_check.py REPO DATE [DATE ...] [--tz Asia/Shanghai]

For each day, runs repodigest (offline) and `git log --since/--until` with explicit offsets over
[00:00, 24:00) in the zone, and prints both counts and any difference.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo")
    parser.add_argument("days", nargs="+")
    parser.add_argument("--tz", default="Asia/Shanghai")
    args = parser.parse_args()
    zone = ZoneInfo(args.tz)
    different = 0
    for day in args.days:
        start = datetime.combine(date.fromisoformat(day), time.min, tzinfo=zone)
        end = start + timedelta(days=1) - timedelta(seconds=1)
        listed = set(
            subprocess.run(
                [
                    "git",
                    "-C",
                    args.repo,
                    "log",
                    "--format=%H",
                    f"--since={start.isoformat()}",
                    f"--until={end.isoformat()}",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        )
        with tempfile.TemporaryDirectory() as scratch:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "repodigest",
                    "run",
                    "--repo",
                    args.repo,
                    "--date",
                    day,
                    "--tz",
                    args.tz,
                    "--out",
                    scratch,
                    "--format",
                    "json",
                ],
                check=True,
                capture_output=True,
                env={**os.environ, "REPODIGEST_HOME": scratch},
            )
            (document,) = Path(scratch).rglob("*.json")
            reported = {c["sha"] for c in json.loads(document.read_text())["commits"]}
        different += len(listed ^ reported)
        print(
            f"{day}: git log lists {len(listed)}, the report has {len(reported)}, "
            f"missing {sorted(listed - reported)}, extra {sorted(reported - listed)}"
        )
    return 0 if different == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
