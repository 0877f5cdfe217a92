"""Do dependency facts agree with what dependabot and renovate say they changed?

For every commit of a real repository whose subject reads "Bump X from A to B" (or "Update X
from A to B"), check that its facts hold a dependency change of X from A to B. Prints how many
were checked, how many matched, and each mismatch.

    python bench/dependabot_check.py /path/to/repo 2026-01-01 2026-08-31 [--tz UTC]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

BUMP = re.compile(
    r"^(?:\w+(?:\([^)]*\))?!?:\s*)?(?:[Bb]ump|[Uu]pdate)\s+(\S+)\s+(?:requirement\s+)?"
    r"from\s+(\S+)\s+to\s+(\S+?)(\s+in\s+.*?)?(?:\s+\(#\d+\))?$"
)


def normalize(version: str | None) -> str:
    return (version or "").strip().strip("`").lstrip("v=^~>< ").rstrip(",.").lower()


def normalize_name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.lower())


def matches(subject_name: str, old: str, new: str, facts: list[dict]) -> bool:
    for fact in facts:
        if fact["kind"] != "dependency":
            continue
        name = normalize_name(fact["name"])
        wanted = normalize_name(subject_name)
        related = name.endswith("/" + wanted) or wanted.endswith("/" + name) or name.startswith(wanted + "/")
        if name != wanted and not related:
            continue
        if normalize(old) in normalize(fact["old_version"]) and normalize(new) in normalize(fact["new_version"]):
            return True
    return False


def run(repo: str, first: str, last: str, timezone: str) -> int:
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "repodigest",
                "backfill",
                "--repo",
                repo,
                "--from",
                first,
                "--to",
                last,
                "--tz",
                timezone,
                "--out",
                out,
                "--format",
                "json",
            ],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        commits = [c for path in sorted(Path(out).rglob("*.json")) for c in json.loads(path.read_text())["commits"]]
    checked = matched = unverifiable = 0
    for commit in commits:
        bump = BUMP.match(commit["subject"].strip())
        if not bump:
            continue
        checked += 1
        name, old, new, _ = bump.groups()
        if matches(name, old, new, commit["facts"]):
            matched += 1
            continue
        deps = [(f["name"], f["old_version"], f["new_version"]) for f in commit["facts"] if f["kind"] == "dependency"]
        if not diff_names(repo, commit["sha"], normalize(new)):
            unverifiable += 1
            print(
                f"NOT IN DIFF {commit['sha'][:10]} {commit['subject']!r}: the diff never names {new}; facts {deps[:3]}"
            )
        else:
            print(f"MISMATCH {commit['sha'][:10]} {commit['subject']!r}: facts {deps[:6]}")
    mismatched = checked - matched - unverifiable
    print(
        f"{repo}: {len(commits)} commits, {checked} dependency bumps checked, {matched} matched, "
        f"{unverifiable} whose diff does not contain the version the message names, {mismatched} mismatched"
    )
    return 0 if mismatched == 0 else 1


def diff_names(repo: str, sha: str, version: str) -> bool:
    """Does any added line of the commit's diff (against its first parent) contain `version`?"""
    patch = subprocess.run(
        ["git", "-C", repo, "show", "--format=", "--first-parent", "-m", sha],
        capture_output=True,
        text=True,
        errors="replace",
    ).stdout
    named = re.compile(rf"(?<![\w.])v?{re.escape(version)}(?![\w.])")
    return any(line.startswith("+") and named.search(line.lower()) for line in patch.splitlines())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo")
    parser.add_argument("first")
    parser.add_argument("last")
    parser.add_argument("--tz", default="UTC")
    args = parser.parse_args()
    sys.exit(run(args.repo, args.first, args.last, args.tz))
