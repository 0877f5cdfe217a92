"""Keeping the model honest: every path, symbol, flag, environment variable or package it names
must appear in the commit (its diff, its message, its facts). A sentence naming anything else is
dropped, and counted. Model text is reduced to plain sentences: our renderer writes the Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from repodigest.facts.models import CommitFacts
from repodigest.source.models import Commit, FileDiff

CODE_SPAN = re.compile(r"`([^`\n]{1,200})`")
PATH_LIKE = re.compile(r"(?<![\w/.-])(?:[\w.-]+/)+[\w.-]+|(?<![\w/])[\w-]+\.(?:py|go|rs|ts|tsx|js|jsx|java|c|h|cc|cpp|hpp|"
                       r"cu|yaml|yml|toml|json|md|sh|proto|sql|mod|lock|txt|cfg|ini)\b")
FLAG = re.compile(r"(?<![\w-])--[A-Za-z][\w-]+")
ENV_VAR = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]{2,}\b")
QUALIFIED = re.compile(r"\b[A-Za-z_]\w*(?:(?:\.|::)[A-Za-z_]\w*)+\b|\b[A-Za-z_]\w*\(\)")
TOKEN = re.compile(r"[\w.@/:+-]+")
SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")
MARKUP = [
    (re.compile(r"^\s{0,3}#{1,6}\s*"), ""),          # headings
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+"), ""),    # list markers
    (re.compile(r"\*\*|__"), ""),                    # bold
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),   # links → their text
    (re.compile(r"<[^>]{1,100}>"), ""),              # HTML tags
]
COMMON_WORDS = {"e.g.", "i.e.", "etc.", "vs.", "N/A", "I/O", "CI/CD", "TCP/IP", "read/write", "and/or", "UTF-8"}


@dataclass
class Vocabulary:
    tokens: set[str] = field(default_factory=set)
    haystack: str = ""

    @classmethod
    def of(cls, commit: Commit, facts: CommitFacts, diffs: tuple[FileDiff, ...]) -> Vocabulary:
        paths = [p for change in commit.files for p in (change.path, change.old_path) if p]
        texts = [commit.message, *(d.patch for d in diffs), *(fact.model_dump_json() for fact in facts.facts)]
        return cls.of_texts(texts, paths)

    @classmethod
    def of_texts(cls, texts: list[str], paths: list[str]) -> Vocabulary:
        haystack = "\n".join([*texts, *paths])
        tokens = set(TOKEN.findall(haystack))
        for path in paths:
            parts = path.split("/")
            tokens.update(parts)
            tokens.update("/".join(parts[:i]) for i in range(1, len(parts)))
            tokens.add(parts[-1].rsplit(".", 1)[0])
        return cls(tokens=tokens, haystack=haystack)

    def supports(self, claim: str) -> bool:
        claim = claim.strip().strip(".,;:'\"()[]{}").removesuffix("()")
        if not claim or claim in COMMON_WORDS or claim in self.tokens:
            return True
        if claim in self.haystack:
            return True
        parts = [p for p in TOKEN.findall(claim) if len(p) > 2]
        return bool(parts) and all(p.strip(".,;:") in self.tokens or p in self.haystack for p in parts)


def claims(sentence: str) -> list[str]:
    found = CODE_SPAN.findall(sentence)
    bare = CODE_SPAN.sub(" ", sentence)
    for pattern in (PATH_LIKE, FLAG, ENV_VAR, QUALIFIED):
        found.extend(pattern.findall(bare))
    return found


def plain(text: str) -> str:
    """Model text as one paragraph of plain text (code spans kept for now)."""
    lines = []
    for line in text.splitlines():
        for pattern, replacement in MARKUP:
            line = pattern.sub(replacement, line)
        if line.strip():
            lines.append(line.strip())
    return " ".join(lines).strip()


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def ground(text: str, vocabulary: Vocabulary, language: str) -> tuple[str, int]:
    """The text with every sentence that names something not in the commit removed; the number
    of sentences removed. The result ends with sentence punctuation."""
    kept, dropped = [], 0
    for sentence in sentences(plain(text)):
        if all(vocabulary.supports(claim) for claim in claims(sentence)):
            kept.append(_terminated(sentence, language))
        else:
            dropped += 1
    joiner = "" if language == "zh" else " "
    return joiner.join(kept), dropped


def _terminated(sentence: str, language: str) -> str:
    if sentence[-1] in ".!?。！？":
        return sentence
    return sentence + ("。" if language == "zh" else ".")
