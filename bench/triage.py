"""How well does the offline report judge commits? repodigest against blind gold labels.

    python bench/triage.py [--labels gold|a|b] [--split tuned|heldout|all] [--set wire|core|all] [--show-misses]

Runs repodigest (built-in analyzer, JSON) on every repository-day of `bench/labels/corpus.toml`
(repositories fetched into $MIRRORS/<owner>+<name>/repo, default /work/.mirror) and compares each
commit with its label: exact and within-one triage agreement, a confusion matrix, breaking-change
precision and recall (per commit and per item), changed-default recall, highlight precision and
high-labelled commits ranked low. Also prints how the labellers agree with each other and with gold,
the ceiling for any single labeller (bench/labels/RUBRIC.md).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).parent
LABELS = HERE / "labels"
LEVELS = ("high", "medium", "low")
RANK = {level: index for index, level in enumerate(LEVELS)}


@dataclass
class Label:
    sha: str
    level: str
    reason: str = ""
    breaking: list[str] = field(default_factory=list)
    defaults: list[str] = field(default_factory=list)
    interfaces: list[str] = field(default_factory=list)


@dataclass
class Verdict:
    level: str
    breaking: list[str]
    defaults: list[str]
    highlights: list[str]
    """Highlight categories naming this commit."""
    reasons: list[str] = field(default_factory=list)
    mirrors: dict[str, set[str]] = field(default_factory=dict)
    """Breaking name → the names a fact carries with it (a removed RPC's messages, a CRD field's
    generated Go fields and methods): one fact, so one tool item, matching a gold item by any."""

    def found(self) -> set[str]:
        """Every breaking name the tool gave, with the mirrors its facts carry."""
        return set(self.breaking).union(*self.mirrors.values())

    def right(self, gold: list[str]) -> int:
        """How many of the tool's breaking items name a gold item, by their name or a mirror."""
        return sum(1 for n in set(self.breaking) if n in gold or self.mirrors.get(n, set()) & set(gold))


def bare_name(name: str) -> str:
    """The identifier a reader searches for: last part of a qualified name, no call parentheses."""
    name = name.strip().strip("`").split("(")[0].strip().split(":")[0] if "::" not in name else name
    name = re.split(r"::|\.|/| ", name.strip().lstrip("-"))[-1]
    return name.lower().replace("_", "").replace("-", "")


def read_labels(labeller: str) -> dict[str, Label]:
    labels = {}
    for path in sorted((LABELS / labeller).glob("*.toml")):
        for entry in tomllib.loads(path.read_text("utf-8")).get("commit", []):
            labels[entry["sha"][:12]] = Label(
                sha=entry["sha"][:12],
                level=entry["level"],
                reason=entry.get("reason", ""),
                breaking=[bare_name(i["name"]) for i in entry.get("breaking", [])],
                defaults=[bare_name(i["key"]) for i in entry.get("changed_defaults", [])],
                interfaces=[bare_name(i["name"]) for i in entry.get("interfaces", [])],
            )
    return labels


def gold_labels() -> dict[str, Label]:
    """Adjudicated labels where they exist, else the labellers' agreed ones, else labeller a's."""
    a, b, gold = read_labels("a"), read_labels("b"), read_labels("gold")
    merged = {}
    for sha in a.keys() | b.keys() | gold.keys():
        if sha in gold:
            merged[sha] = gold[sha]
        elif sha in a and sha in b and a[sha].level == b[sha].level:
            merged[sha] = a[sha]
        else:
            merged[sha] = a.get(sha) or b[sha]
    return merged


def run_day(mirrors: Path, repository: str, date: str, timezone: str) -> dict[str, Verdict]:
    repo = mirrors / repository.replace("/", "+") / "repo"
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "repodigest",
                "run",
                "--repo",
                str(repo),
                "--date",
                date,
                "--tz",
                timezone,
                "--out",
                scratch,
                "--format",
                "json",
                "--lang",
                "zh",
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "REPODIGEST_HOME": scratch, "CI": "1"},
        )
        (document,) = [p for p in Path(scratch).rglob("*.json") if p.parent.name != "data"]
        report = json.loads(document.read_text("utf-8"))
    by_sha: dict[str, list[str]] = defaultdict(list)
    for highlight in report.get("highlights", []):
        by_sha[highlight["sha"][:12]].append(highlight["category"])
    verdicts = {}
    for commit in report["commits"]:
        facts = commit.get("facts", [])
        breaking = [f for f in facts if f.get("breaking") and _confident(f)]
        mirrors: dict[str, set[str]] = defaultdict(set)
        for fact in breaking:
            mirrors[bare_name(_fact_name(fact))].update(bare_name(m) for m in fact.get("mirrors") or [])
        verdicts[commit["sha"][:12]] = Verdict(
            level=commit["importance"],
            breaking=[bare_name(_fact_name(f)) for f in breaking],
            mirrors=dict(mirrors),
            defaults=[bare_name(_fact_name(f)) for f in facts if _is_changed_default(f)],
            highlights=by_sha.get(commit["sha"][:12], []),
            reasons=commit.get("importance_reasons", []),
        )
    return verdicts


def _fact_name(fact: dict) -> str:
    if fact.get("change") == "renamed" and (fact.get("old_symbol") or fact.get("old_name")):
        return fact.get("old_symbol") or fact["old_name"]  # a rename breaks those who used the old name
    for key in ("symbol", "flag", "name", "key", "route", "field"):
        if fact.get(key):
            return fact[key]
    return fact["kind"]


def _confident(fact: dict) -> bool:
    return fact.get("confidence", "high") == "high"


def _is_changed_default(fact: dict) -> bool:
    return fact.get("kind") == "changed_default" or (
        fact.get("kind") == "config_key" and fact.get("change") == "changed" and fact.get("old_value") is not None
    )


def level_scores(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    exact = sum(1 for truth, guess in pairs if truth == guess)
    within = sum(1 for truth, guess in pairs if abs(RANK[truth] - RANK[guess]) <= 1)
    return exact / len(pairs), within / len(pairs)


def matrix(pairs: list[tuple[str, str]]) -> str:
    counts = Counter(pairs)
    rows = ["gold \\ tool   high  medium  low"]
    for truth in LEVELS:
        rows.append(f"{truth:<12}" + "".join(f"{counts[(truth, guess)]:>6}" for guess in ("high", "medium", "low")))
    return "\n".join(rows)


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator}/{denominator} = {numerator / denominator:.0%}" if denominator else "n/a (0/0)"


def report(name: str, gold: dict[str, Label], verdicts: dict[str, Verdict], show_misses: bool) -> dict:
    shas = [sha for sha in verdicts if sha in gold]
    pairs = [(gold[s].level, verdicts[s].level) for s in shas]
    exact, within = level_scores(pairs)
    tool_breaking = {s for s in shas if verdicts[s].breaking}
    gold_breaking = {s for s in shas if gold[s].breaking}
    item_right = sum(verdicts[s].right(gold[s].breaking) for s in shas)
    item_recalled = sum(len(verdicts[s].found() & set(gold[s].breaking)) for s in shas)
    item_tool = sum(len(set(verdicts[s].breaking)) for s in shas)
    item_gold = sum(len(set(gold[s].breaking)) for s in shas)
    default_gold = sum(len(set(gold[s].defaults)) for s in shas)
    default_found = sum(len(set(gold[s].defaults) & set(verdicts[s].defaults)) for s in shas)
    highlighted = [(s, c) for s in shas for c in verdicts[s].highlights]
    good_highlights = sum(1 for s, c in highlighted if _highlight_right(c, gold[s]))
    high_as_low = [s for s in shas if gold[s].level == "high" and verdicts[s].level == "low"]
    print(f"\n== {name}: {len(shas)} commits")
    print(f"triage exact {exact:.0%}, within one level {within:.0%}")
    print(matrix(pairs))
    print(
        f"breaking (per commit): precision {ratio(len(tool_breaking & gold_breaking), len(tool_breaking))}, "
        f"recall {ratio(len(tool_breaking & gold_breaking), len(gold_breaking))}"
    )
    print(f"breaking (per item):   precision {ratio(item_right, item_tool)}, recall {ratio(item_recalled, item_gold)}")
    print(f"changed-default recall {ratio(default_found, default_gold)}")
    print(f"highlight precision {ratio(good_highlights, len(highlighted))}")
    print(f"high-labelled commits ranked low: {len(high_as_low)} {high_as_low}")
    if show_misses:
        for s in shas:
            wrong = verdicts[s].right(gold[s].breaking) < len(set(verdicts[s].breaking))
            if gold[s].level != verdicts[s].level or wrong or set(gold[s].breaking) - verdicts[s].found():
                print(
                    f"  {s} gold {gold[s].level:<6} tool {verdicts[s].level:<6} "
                    f"breaking gold {gold[s].breaking[:4]} tool "
                    f"{sorted(set(verdicts[s].breaking))[:6]} | {gold[s].reason}"
                )
                print(f"      tool: {'; '.join(verdicts[s].reasons)[:240]}")
            _print_missed_items(s, gold[s], verdicts[s])
    return {"exact": exact, "within": within}


def _print_missed_items(sha: str, label: Label, verdict: Verdict) -> None:
    missed_breaking = sorted(set(label.breaking) - verdict.found())
    missed_defaults = sorted(set(label.defaults) - set(verdict.defaults))
    if missed_breaking:
        print(f"  {sha} missed breaking {missed_breaking}")
    if missed_defaults:
        print(f"  {sha} missed defaults {missed_defaults} (tool found {sorted(set(verdict.defaults))[:6]})")


def _highlight_right(category: str, label: Label) -> bool:
    if category == "breaking":
        return bool(label.breaking)
    if category in ("default", "changed_default", "config"):
        return bool(label.defaults or label.interfaces)
    return label.level in ("high", "medium")


def labeller_agreement() -> None:
    a, b, gold = read_labels("a"), read_labels("b"), gold_labels()
    for left_name, left, right_name, right in (("a", a, "b", b), ("a", a, "gold", gold), ("b", b, "gold", gold)):
        shared = sorted(left.keys() & right.keys())
        if not shared:
            continue
        exact, within = level_scores([(right[s].level, left[s].level) for s in shared])
        print(
            f"labeller {left_name} vs {right_name}: {len(shared)} commits, exact {exact:.0%}, within one {within:.0%}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--labels", default="gold", help="gold (adjudicated, else agreed), a or b")
    parser.add_argument("--split", default="all", choices=("tuned", "heldout", "all"))
    parser.add_argument(
        "--set", dest="day_set", default="all", help='wire (days with `set = "wire"`), core (the others) or all'
    )
    parser.add_argument("--mirrors", default=os.environ.get("MIRRORS", "/work/.mirror"))
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    gold = gold_labels() if args.labels == "gold" else read_labels(args.labels)
    corpus = tomllib.loads((LABELS / "corpus.toml").read_text("utf-8"))["day"]
    verdicts_by_split: dict[str, dict[str, Verdict]] = defaultdict(dict)
    for day in corpus:
        if args.split != "all" and day["split"] != args.split:
            continue
        if args.day_set != "all" and day.get("set", "core") != args.day_set:
            continue
        if not any(sha in gold for sha in day["commits"]):
            continue
        verdicts_by_split[day["split"]].update(
            run_day(Path(args.mirrors), day["repository"], day["date"], day.get("timezone", "Asia/Shanghai"))
        )
    labeller_agreement()
    everything: dict[str, Verdict] = {}
    for split, verdicts in sorted(verdicts_by_split.items()):
        report(split, gold, verdicts, args.show_misses)
        everything.update(verdicts)
    if len(verdicts_by_split) > 1:
        report("all", gold, everything, False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
