"""Extract the grounding vocabulary of real commits into test data: the words, names and numbers
a commit's message, paths and diff contain, never the diff itself.

    python bench/grounding_vocabulary.py [--mirror /work/.mirror] [--out tests/analysis/llm/data/grounding]

The grounding test set (tests/analysis/llm/test_grounding_set.py) checks true and false sentences
about these commits against exactly what grounding would see in a run, without needing the
repositories: they are read once here, from bare mirrors (`<owner>+<name>/repo`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "src"))

from repodigest.analysis.llm.grounding import Vocabulary

MAX_TOKEN_CHARS = 48
COMMITS = {
    "ai-dynamo/nixl": ["cb3be96", "b7e3bdd", "2058f615", "1f64b71", "34b2afa", "e41e86a", "d6c4abf"],
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "--git-dir", str(repo), *args], check=True, capture_output=True, text=True, errors="replace"
    ).stdout


def vocabulary_of(repo: Path, sha: str) -> dict:
    message = git(repo, "log", "-1", "--format=%B", sha)
    paths = [p for p in git(repo, "show", "--format=", "--name-only", "-M", sha).splitlines() if p]
    patch = git(repo, "show", "--format=", "-M", "--first-parent", sha)
    vocabulary = Vocabulary.of_texts([message, patch], paths)
    # Long tokens are keys and hashes (Azurite's well-known account key, say): no sentence names
    # them, and test data should not carry anything that looks like a secret.
    tokens = sorted(t for t in vocabulary.tokens if len(t) <= MAX_TOKEN_CHARS)
    return {
        "sha": git(repo, "rev-parse", sha).strip(),
        "subject": message.splitlines()[0],
        "paths": paths,
        "tokens": tokens,
        "numbers": sorted(vocabulary.numbers),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "tests/analysis/llm/data/grounding")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for repository, shas in COMMITS.items():
        repo = args.mirror / repository.replace("/", "+") / "repo"
        for sha in shas:
            data = {"repository": repository, **vocabulary_of(repo, sha)}
            (args.out / f"{sha[:7]}.json").write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", "utf-8")
            print(f"{repository} {sha[:7]}: {len(data['tokens'])} tokens, {len(data['numbers'])} numbers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
