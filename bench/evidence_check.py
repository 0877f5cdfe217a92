"""Is every fact grounded? On real history, check each fact's evidence against git itself.

    python bench/evidence_check.py [REPO] [--from 2026-07-01] [--to 2026-07-31] [--tz Asia/Shanghai]

For every fact of every commit in the range: the evidence path is a path the commit touched,
and where a line is given, that line exists in the file on that side (the commit for `new`, its
first parent for `old`) and reads as the excerpt says. Prints counts and every failure.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

DEFAULT_REPO = "/work/.mirror/mudler+LocalAI/repo"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", nargs="?", default=DEFAULT_REPO)
    parser.add_argument("--from", dest="first", default="2026-07-01")
    parser.add_argument("--to", dest="last", default="2026-07-31")
    parser.add_argument("--tz", default="Asia/Shanghai")
    args = parser.parse_args()

    @lru_cache(maxsize=512)
    def lines_of(revision: str, path: str) -> list[str] | None:
        shown = subprocess.run(["git", "-C", args.repo, "show", f"{revision}:{path}"], capture_output=True)
        return shown.stdout.decode("utf-8", "replace").split("\n") if shown.returncode == 0 else None

    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [
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
                scratch,
                "--format",
                "json",
            ],
            env={**os.environ, "REPODIGEST_HOME": scratch},
            check=True,
            stderr=subprocess.DEVNULL,
        )
        commits = [c for p in sorted(Path(scratch).rglob("*.json")) for c in json.loads(p.read_text())["commits"]]

    facts = evidence = with_line = failures = 0
    for commit in commits:
        touched = {f["path"] for f in commit["files"]} | {f["old_path"] for f in commit["files"] if f["old_path"]}
        parent = commit["parents"][0] if commit["parents"] else None
        for fact in commit["facts"]:
            facts += 1
            for item in fact["evidence"]:
                evidence += 1
                problem = None
                if item["path"] not in touched:
                    problem = "path not touched by the commit"
                elif item["line"] is not None:
                    with_line += 1
                    revision = commit["sha"] if item["side"] == "new" else parent
                    lines = lines_of(revision, item["path"]) if revision else None
                    if lines is None or not 1 <= item["line"] <= len(lines):
                        problem = f"line {item['line']} does not exist on the {item['side']} side"
                    elif item["excerpt"] and not _same(item["excerpt"], lines[item["line"] - 1]):
                        problem = f"line {item['line']} reads {lines[item['line'] - 1].strip()[:60]!r}"
                if problem:
                    failures += 1
                    print(f"FAIL {commit['sha'][:10]} {fact['kind']} {item['path']}: {problem}")
    print(
        f"{args.repo}: {len(commits)} commits, {facts} facts, {evidence} pieces of evidence "
        f"({with_line} with a line), {failures} failures"
    )
    return 0 if failures == 0 else 1


def _same(excerpt: str, line: str) -> bool:
    """The excerpt (trimmed, maybe shortened with …, secrets redacted) is taken from the line."""
    parts = [part.strip() for part in excerpt.rstrip("…").split("‹redacted›") if part.strip()]
    return all(part[:80] in line for part in parts)


if __name__ == "__main__":
    sys.exit(main())
