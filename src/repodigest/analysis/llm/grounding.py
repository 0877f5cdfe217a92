"""Keeping the model honest: every path, identifier, flag, environment variable or package it
names, and every version, percentage or measured quantity it states, must appear in the commit
(its diff, its message, its facts). A sentence naming anything else is dropped, and counted.
Model text is reduced to plain sentences: our renderer writes the Markdown.

Names are found with or without backticks, also when written directly against Chinese text (CJK
characters count as word characters for `\\b`, so every boundary here is an explicit ASCII one).
Ordinary slashed words ("v1/v2", "开发/测试", "read/write") and abbreviations ("e.g.", "i.e.") are
prose, not claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from repodigest.facts.models import CommitFacts
from repodigest.source.models import Commit, FileDiff

A = r"A-Za-z0-9_"
"""ASCII word characters: boundaries are written with these, never with \\b."""
CODE_SPAN = re.compile(r"`([^`\n]{1,200})`")
EXTENSIONS = (
    r"py|pyi|go|rs|ts|tsx|js|jsx|mjs|java|kt|c|h|cc|cpp|hpp|cu|cuh|cs|rb|php|swift|scala|yaml|yml|toml|"
    r"json|md|rst|sh|proto|sql|mod|sum|lock|txt|cfg|ini|cmake|gradle|tf|j2|html|css|vue"
)
PATH = re.compile(
    rf"(?<![{A}/.-])(?:\.{{0,2}}/)?[{A}.-]+(?:/[{A}.-]+)+"
    rf"|(?<![{A}/.-])[{A}-]+\.(?:{EXTENSIONS})(?![{A}])"
)
FLAG = re.compile(rf"(?<![{A}-])--[A-Za-z][{A}-]+")
SNAKE = re.compile(rf"(?<![{A}.:-])[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+(?![{A}])")
"""snake_case and ENV_VARS."""
CAMEL = re.compile(rf"(?<![{A}.:-])[A-Za-z][A-Za-z0-9]*(?:[a-z0-9][A-Z]|[A-Z]{{2,}}[a-z]{{2,}})[A-Za-z0-9]*(?![{A}])")
"""CamelCase, mixedCase and ACRONYMPrefixed names."""
QUALIFIED = re.compile(
    rf"(?<![{A}])[A-Za-z_][{A}]*(?:(?:\.|::)[A-Za-z_][{A}]*)+(?:\(\))?(?![{A}])"
    rf"|(?<![{A}.])[A-Za-z_][{A}]*\(\)"
)
"""dotted.names, crate::paths and calls()."""
VERSION = re.compile(rf"(?<![{A}.])v?\d+\.\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.]+)?(?![\d])")
PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)[ \t]*(%|％|percent\b)")
UNITS = (
    r"ms|μs|us|ns|s|sec|secs|seconds?|minutes?|mins?|hours?|KB|MB|GB|TB|KiB|MiB|GiB|TiB|bytes?|B|k|K|x|×|"
    r"倍|秒|毫秒|微秒|分钟|小时|字节|兆|千字节"
)
QUANTITY = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)[ \t]*({UNITS})(?![A-Za-z])")
NUMBER = re.compile(r"(?<![A-Za-z0-9_.])\d+(?:\.\d+)*|(?<=[vV])\d+(?:\.\d+)+")
"""Numbers as written, not digits inside names (`uint64_t`, `lib64`, `x86_64`)."""
CHANCE = 10
"""Integers below this turn up in any diff; a quantity stated with one must appear with its unit."""
HUNK_HEADER = re.compile(r"^@@.*$", re.MULTILINE)
LINE_FIELD = re.compile(r'"line":\s*\d+')
TOKEN = re.compile(r"[\w.@/:+-]+")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
TERMINATED = re.compile(r"[.!?。！？…][)\]\"'」』）】”’`*]*$")
ABBREVIATIONS = re.compile(r"(?:^|\s|\()(?:e\.g|i\.e|etc|vs|cf|approx|incl|esp|Mr|Dr|No|Fig)\.$", re.IGNORECASE)
MARKUP = [
    (re.compile(r"^\s{0,3}#{1,6}\s*"), ""),  # headings
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+"), ""),  # list markers
    (re.compile(r"\*\*|__"), ""),  # bold
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links → their text
    (re.compile(r"</?[A-Za-z][^<>`]{0,100}>"), ""),  # HTML tags (outside code spans: see plain())
]
COMMON_WORDS = {
    "e.g",
    "i.e",
    "etc",
    "vs",
    "cf",
    "N/A",
    "I/O",
    "CI/CD",
    "TCP/IP",
    "UTF-8",
    "and/or",
    "read/write",
    "GitHub",
    "GitLab",
    "JavaScript",
    "TypeScript",
    "PyPI",
    "PyTorch",
    "OpenAI",
    "DeepSeek",
    "FastAPI",
    "NumPy",
    "PostgreSQL",
    "MySQL",
    "SQLite",
    "MongoDB",
    "WebSocket",
    "WebSockets",
    "OAuth",
    "DevOps",
    "GraphQL",
    "YouTube",
    "iOS",
    "macOS",
    "gRPC",
    "eBPF",
    "iPhone",
    "CMake",
    "LLaMA",
    "HuggingFace",
    "ChatGPT",
    "JetBrains",
    "VSCode",
    "Node.js",
    "Vue.js",
    "Next.js",
    "React.js",
    "ASP.NET",
    "LangChain",
    "LlamaIndex",
    "PagerDuty",
    "CloudWatch",
    "DockerHub",
    "MacOS",
    "BitBucket",
    "Bitbucket",
    "OpenTelemetry",
    "OpenAPI",
    "JupyterLab",
    "IntelliJ",
}


@dataclass
class Vocabulary:
    tokens: set[str] = field(default_factory=set)
    haystack: str = ""
    numbers: set[str] = field(default_factory=set)
    """Every number written in the commit (not its line numbers): versions and quantities must be here."""

    @classmethod
    def of(cls, commit: Commit, facts: CommitFacts, diffs: tuple[FileDiff, ...]) -> Vocabulary:
        paths = [p for change in commit.files for p in (change.path, change.old_path) if p]
        texts = [commit.message, *(d.patch for d in diffs), *(fact.model_dump_json() for fact in facts.facts)]
        return cls.of_texts(texts, paths)

    @classmethod
    def of_texts(cls, texts: list[str], paths: list[str]) -> Vocabulary:
        haystack = "\n".join([*texts, *paths])
        tokens = set(TOKEN.findall(haystack))
        tokens |= {part for token in tokens if "::" in token or "." in token for part in _components(token)}
        for path in paths:
            parts = path.split("/")
            tokens.update(parts)
            tokens.update("/".join(parts[:i]) for i in range(1, len(parts)))
            tokens.update("/".join(parts[i:]) for i in range(1, len(parts)))
            tokens.add(parts[-1].rsplit(".", 1)[0])
        written = LINE_FIELD.sub("", HUNK_HEADER.sub("", haystack))
        return cls(tokens=tokens, haystack=haystack, numbers=set(NUMBER.findall(written)))

    def supports(self, claim: str) -> bool:
        claim = claim.strip().strip(".,;:'\"()[]{}").removesuffix("()")
        if not claim or claim in COMMON_WORDS or claim in self.tokens or claim in self.haystack:
            return True
        if _alternatives(claim):  # `a_x/b_y`: two names, each must be in the commit
            return all(self.supports(name) for name in claim.split("/"))
        parts = [p.strip(".,;:") for p in TOKEN.findall(claim)]
        parts = [p.removesuffix("()") for p in parts if len(p) > 2]
        return bool(parts) and all(p in self.tokens or p in self.haystack for p in parts)

    def has_quantity(self, number: str, unit: str, percent: bool) -> bool:
        """A percentage must be written as one in the commit; another quantity must appear with its
        unit, or as a number unlikely to be there by chance (10 and over, or with decimals)."""
        written = re.search(rf"(?<![\d.]){re.escape(number)}[ \t]*{re.escape(unit)}", self.haystack)
        if written or percent:
            return bool(written) or bool(
                re.search(rf"(?<![\d.]){re.escape(number)}[ \t]*(?:%|％|percent)", self.haystack)
            )
        return number in self.numbers and ("." in number or int(number) >= CHANCE)

    def has_number(self, number: str) -> bool:
        """The number is written in the commit, or a longer version that starts with it is
        ("1.22" for "1.22.0")."""
        number = number.lstrip("vV").split("-")[0].split("+")[0]
        return number in self.numbers or any(n.startswith(number + ".") for n in self.numbers)


def claims(sentence: str) -> list[str]:
    """Names the sentence relies on: code spans, paths, flags, identifiers."""
    found = CODE_SPAN.findall(sentence)
    bare = CODE_SPAN.sub(" ", sentence)
    for pattern in (PATH, FLAG, SNAKE, CAMEL, QUALIFIED):
        found.extend(name for name in pattern.findall(bare) if not _ordinary(name, pattern))
    return found


def numbers(sentence: str) -> list[str]:
    """Versions the sentence states (outside code spans, which are checked as names)."""
    return VERSION.findall(CODE_SPAN.sub(" ", sentence))


def quantities(sentence: str) -> list[tuple[str, str, bool]]:
    """(number, unit, is a percentage) for every percentage and quantity with a unit stated."""
    bare = CODE_SPAN.sub(" ", VERSION.sub(" ", sentence))
    return [(n, u, True) for n, u in PERCENT.findall(bare)] + [(n, u, False) for n, u in QUANTITY.findall(bare)]


def _components(token: str) -> list[str]:
    """`a::b::c` → a, b, c, a::b, b::c; the same for dotted names: a name is often cited by its tail."""
    separator = "::" if "::" in token else "."
    parts = [p for p in token.strip(".:").split(separator) if p]
    return [separator.join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)]


def _alternatives(claim: str) -> bool:
    """`agent_tx_bytes/agent_rx_bytes`: one slash between two names, not a path."""
    if claim.count("/") != 1:
        return False
    left, right = claim.split("/")
    return all(re.fullmatch(rf"[{A}]+", side) and "_" in side for side in (left, right))


def _ordinary(name: str, pattern: re.Pattern) -> bool:
    """A slashed word of plain letters ("v1/v2", "source/binary") is prose, not a path, unless it
    has a file extension or several levels."""
    if pattern is PATH:
        if name.startswith(("/", "./", "../")):
            return False
        return name.count("/") == 1 and not re.search(rf"\.(?:{EXTENSIONS})$", name) and "_" not in name
    return name in COMMON_WORDS


def unsupported(sentence: str, vocabulary: Vocabulary) -> list[str]:
    """What in the sentence is not in the commit; empty when the sentence is grounded."""
    missing = [claim for claim in claims(sentence) if not vocabulary.supports(claim)]
    missing += [number for number in numbers(sentence) if not vocabulary.has_number(number)]
    return missing + [
        f"{number} {unit}"
        for number, unit, percent in quantities(sentence)
        if not vocabulary.has_quantity(number, unit, percent)
    ]


def plain(text: str) -> str:
    """Model text as one paragraph of plain text (code spans kept as they are)."""
    lines = []
    for line in text.splitlines():
        parts = re.split(r"(`[^`\n]+`)", line)
        for index, part in enumerate(parts):
            if index % 2 == 0:
                for pattern, replacement in MARKUP if index == 0 else MARKUP[2:]:
                    part = pattern.sub(replacement, part)
                parts[index] = part
        line = "".join(parts)
        if line.strip():
            lines.append(line.strip())
    return " ".join(lines).strip()


def sentences(text: str) -> list[str]:
    """Split after sentence punctuation, but not after "e.g.", "i.e.", "vs." and the like."""
    pieces = [p for p in SENTENCE_END.split(text) if p.strip()]
    merged: list[str] = []
    for piece in pieces:
        if merged and ABBREVIATIONS.search(merged[-1]):
            merged[-1] = f"{merged[-1]} {piece.strip()}"
        else:
            merged.append(piece.strip())
    return merged


def ground(text: str, vocabulary: Vocabulary, language: str, fragment: bool = False) -> tuple[str, int]:
    """The text with every sentence that names or states something not in the commit removed, and
    the number of sentences removed. In prose (not `fragment`) a sentence that does not end is
    taken as cut off and removed too: it is never repaired with added punctuation."""
    kept, dropped = [], 0
    for sentence in sentences(plain(text)):
        if unsupported(sentence, vocabulary) or (not fragment and not TERMINATED.search(sentence)):
            dropped += 1
        else:
            kept.append(sentence)
    return _joined(kept, language), dropped


def _joined(kept: list[str], language: str) -> str:
    """Chinese sentences follow each other directly; after Western punctuation a space is needed."""
    text = ""
    for sentence in kept:
        if text and (language != "zh" or not text.endswith(("。", "！", "？"))):
            text += " "
        text += sentence
    return text
