#!/usr/bin/env python3
"""Inter-labeller agreement (a vs b) and each labeller against gold; writes AGREEMENT.md.

Usage: python3 bench/labels/agreement.py [--write]
"""

import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
RANK = {"low": 0, "medium": 1, "high": 2}


def load(labeller, repo):
    f = HERE / labeller / (repo.replace("/", "+") + ".toml")
    return {c["sha"]: c for c in tomllib.load(open(f, "rb"))["commit"]}


corpus = tomllib.loads((HERE / "corpus.toml").read_text())
rows = []  # (repo, split, sha, a, b, g)
cache = {}
for day in corpus["day"]:
    r = day["repository"]
    if r not in cache:
        cache[r] = tuple(load(labeller, r) for labeller in ("a", "b", "gold"))
    A, B, G = cache[r]
    for s in day["commits"]:
        rows.append((r, day["split"], s, A[s], B[s], G[s]))


def stats(sel):
    n = len(sel)
    ex = sum(a["level"] == b["level"] for *_, a, b, g in sel)
    w1 = sum(abs(RANK[a["level"]] - RANK[b["level"]]) <= 1 for *_, a, b, g in sel)
    brk = sum(bool(a["breaking"]) == bool(b["breaking"]) for *_, a, b, g in sel)
    ag = sum(a["level"] == g["level"] for *_, a, b, g in sel)
    bg = sum(b["level"] == g["level"] for *_, a, b, g in sel)
    abg = sum(bool(a["breaking"]) == bool(g["breaking"]) for *_, a, b, g in sel)
    bbg = sum(bool(b["breaking"]) == bool(g["breaking"]) for *_, a, b, g in sel)
    adj = sum("adjudicated" in g for *_, g in sel)
    return n, ex, w1, brk, ag, bg, abg, bbg, adj


def pct(k, n):
    return f"{k}/{n} ({100 * k / n:.0f}%)" if n else "-"


def table(groups):
    out = [
        "| | commits | a = b (level) | within one | breaking yes/no a = b | a = gold (level) | b = "
        "gold (level) | a = gold (breaking yes/no) | b = gold (breaking yes/no) | adjudicated |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, sel in groups:
        n, ex, w1, brk, ag, bg, abg, bbg, adj = stats(sel)
        out.append(
            f"| {name} | {n} | {pct(ex, n)} | {pct(w1, n)} | {pct(brk, n)} | {pct(ag, n)} | "
            f"{pct(bg, n)} | {pct(abg, n)} | {pct(bbg, n)} | {adj} |"
        )
    return out


NOTES = """\
- **Never released means never breaking.** aiperf's first release is v0.1.1 (2025-09-16; the 0.1.0 on
  PyPI is a 2024 placeholder with no code), so the flags and the JSON export changed on 2025-08-13 were
  never in a release. b listed them as breaking and rated them high; gold has no breaking items, and
  the commits are medium: users of the main branch see a changed flag or output, but nothing released
  stops working. The same rule drops nixl's `nixlMemViewElement` (added after 0.10.0, renamed before
  any release) from 1f64b71c7c08's breaking list. All the other symbols in that list were in the
  installed headers of release 0.10.0.
- **A changed default stays a changed default before a release.** If a changed default leaves users
  of the main branch with something to do, the commit is high: aiperf `--streaming` true -> false
  (TTFT is no longer measured), grove `crdInstaller.enabled` true -> false (CRDs must be applied by
  hand; the key was added on 2026-03-31 and flipped before its first release, v0.1.0-alpha.8).
  If it needs no action, it is medium: aiperf `--ui-type` none -> simple only shows progress
  bars. Both labellers had already labelled these this way.
- **Breaking items are strict.** Routes that are still served but now need credentials (LocalAI
  0ab632b6bded) are not removed routes; the change is recorded as the `PathWithoutAuth` default and
  a high security level. An internal constant that users cannot set (aiperf
  `DEFAULT_COMMS_REQUEST_TIMEOUT`) is not a changed default.
- **Security advisories are treated alike.** hono 3892a6c2b54f is one of the 4.12.25 advisory merges
  ("Merge commit from fork", a moderate GHSA). Both labellers rated its siblings from the same
  release high, so it is high too.
- **Equivalent request shapes are low.** llm 6e12258c0bd2 sends a form of the same request that the
  OpenAI Responses API treats identically, so users see no difference.
- Four of the twelve adjudicated entries differed only in how a changed-default key was worded (the
  same default): aiperf 27533a007fb2 and 8e4a0a78e612, llm 40549b21a240 and 98e651075f1e. For those,
  gold names the key by the flag or setting users would search for.
- Level agreement between a and b is 96%, above the 76-84% that LABELS.md quotes for experts. Two
  things in this corpus explain it: many easy commits (git-cliff's 23 commits are all CI or image
  bumps, and grove's 2025 day is all README edits), and labels made with the same written rubric.
  Four of the five level disagreements were medium vs high, not the usual medium vs low: three were
  over the never-released rule and one was over a security fix.
- Where a and b agreed, their label was copied and their interface lists were merged. Agreed labels
  were not re-opened. One of them is borderline: git-cliff e499b7a224fc, labelled low, narrows the npm
  wrapper's `engines.node` from `>=18.19 || >=20.6 || >=21` to `^18.19 || >=20.6`, which excludes
  Node 19 and 20.0-20.5.
"""

repos = list(dict.fromkeys(r for r, *_ in rows))
md = [
    "# Label agreement (issue 8 benchmark)",
    "",
    "Generated by `agreement.py` from `corpus.toml`, `a/`, `b/` and `gold/`. Level agreement is on the",
    'three levels (low < medium < high); "within one" counts adjacent levels as agreeing; "breaking yes/no"',
    "compares whether each labeller listed any breaking item. Gold = agreed labels plus adjudicated ones.",
    "",
    "## Per repository",
    "",
]
md += table([(r, [x for x in rows if x[0] == r]) for r in repos] + [("**overall**", rows)])
md += ["", "## Per split", ""]
md += table([(s, [x for x in rows if x[1] == s]) for s in ("tuned", "heldout")])

# confusion a vs b
md += [
    "",
    "## Level confusion, a (rows) vs b (columns)",
    "",
    "| a \\ b | low | medium | high |",
    "|---|---:|---:|---:|",
]
for la in RANK:
    md.append(
        f"| {la} | "
        + " | ".join(str(sum(1 for *_, a, b, g in rows if a["level"] == la and b["level"] == lb)) for lb in RANK)
        + " |"
    )

md += [
    "",
    "## Adjudicated entries",
    "",
    "An entry is adjudicated where a and b differ on the level, on the breaking items or on the changed-default keys.",
    "",
    "| repository | sha | a | b | gold | a brk / b brk / gold brk | why |",
    "|---|---|---|---|---|---|---|",
]
for r, _split, s, a, b, g in rows:
    if "adjudicated" in g:
        md.append(
            f"| {r} | `{s}` | {a['level']} | {b['level']} | {g['level']} | "
            f"{len(a['breaking'])} / {len(b['breaking'])} / {len(g['breaking'])} | {g['adjudicated']} |"
        )
md += ["", "## How the disagreements were settled", "", NOTES]
text = "\n".join(md) + "\n"
if "--write" in sys.argv:
    (HERE / "AGREEMENT.md").write_text(text)
print(text)
