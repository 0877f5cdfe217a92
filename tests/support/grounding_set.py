"""The grounding test set: true and false sentences about real commits, checked against the
vocabulary grounding sees for each commit (extracted by bench/grounding_vocabulary.py)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from repodigest.analysis.llm.grounding import Vocabulary, ground, unsupported

DATA = Path(__file__).parents[1] / "analysis" / "llm" / "data" / "grounding"
CJK = re.compile(r"[\u4e00-\u9fff]")


def vocabulary(short_sha: str) -> Vocabulary:
    data = json.loads((DATA / f"{short_sha}.json").read_text("utf-8"))
    words = [data["subject"], *data["paths"], *data["tokens"]]
    return Vocabulary(
        tokens=set(data["tokens"]) | set(data["paths"]), haystack="\n".join(words), numbers=set(data["numbers"])
    )


@dataclass
class Rates:
    true_total: int = 0
    false_total: int = 0
    true_dropped: list[str] = field(default_factory=list)
    false_kept: list[str] = field(default_factory=list)

    @property
    def false_drop_rate(self) -> float:
        return len(self.true_dropped) / self.true_total

    @property
    def kept_falsehood_rate(self) -> float:
        return len(self.false_kept) / self.false_total

    def lines(self) -> list[str]:
        return [
            f"grounding set: {self.true_total} true, {self.false_total} false sentences",
            f"  false-drop rate     {self.false_drop_rate:6.1%} ({len(self.true_dropped)} true sentences dropped)",
            f"  kept-falsehood rate {self.kept_falsehood_rate:6.1%} ({len(self.false_kept)} false sentences kept)",
            *(f"  dropped: {s}" for s in self.true_dropped),
            *(f"  kept: {s}" for s in self.false_kept),
        ]


def language_of(sentence: str) -> str:
    return "zh" if CJK.search(sentence) else "en"


def evaluate() -> Rates:
    rates = Rates()
    commits = json.loads((DATA / "sentences.json").read_text("utf-8"))["commits"]
    for sha, labelled in commits.items():
        words = vocabulary(sha)
        for sentence in labelled["true"]:
            rates.true_total += 1
            if ground(sentence, words, language_of(sentence))[1]:
                rates.true_dropped.append(f"{sha} {sentence} ← {unsupported(sentence, words) or 'not ended'}")
        for sentence in labelled["false"]:
            rates.false_total += 1
            if not ground(sentence, words, language_of(sentence))[1]:
                rates.false_kept.append(f"{sha} {sentence}")
    return rates
