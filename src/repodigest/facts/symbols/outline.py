"""A file's outline: the definitions it declares, as a language module reads them from a tree."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property

from tree_sitter import Node

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Definition:
    qualname: str
    kind: str
    """function, method, class, struct, enum, trait, interface, type, constant, module."""
    public: bool
    start_line: int
    """1-based, inclusive."""
    end_line: int
    node: Node = field(repr=False, compare=False)
    source: bytes = field(repr=False, compare=False)
    body_start: int = field(default=-1, repr=False, compare=False)
    """Byte offset where the body begins; -1 when the definition has no body."""
    parameters: tuple[str, ...] | None = field(default=None, compare=False)
    """Parameter names in order, '?'-suffixed when optional; None when not read."""
    type_only: bool = field(default=False, compare=False)
    """A TypeScript `export type … from`: erased at run time, so only type-checking callers notice."""

    @cached_property
    def signature(self) -> str:
        """What callers depend on: the declaration up to its body, whitespace collapsed. Computed
        only for the few definitions a diff touches, not for every one in every file."""
        end = self.body_start if self.body_start >= 0 else self.node.end_byte
        raw = self.source[self.node.start_byte : end].decode("utf-8", "replace")
        return _SPACE.sub(" ", raw).strip().rstrip("{:").strip()

    @property
    def name(self) -> str:
        return bare_name(self.qualname)

    def body_words(self, source: bytes) -> list[bytes]:
        """The body split on whitespace: equal words mean only layout changed."""
        start = self.body_start if self.body_start >= 0 else self.node.start_byte
        return source[start : self.node.end_byte].split()

    def body_digest(self, source: bytes) -> str:
        return hashlib.blake2b(b" ".join(self.body_words(source)), digest_size=12).hexdigest()


def name_parts(qualname: str) -> list[str]:
    """`ns::Type::method` or `Class.method` split into its names."""
    return re.split(r"[.:]+", qualname)


def bare_name(qualname: str) -> str:
    """The name callers write last: `method` of `ns::Type::method`."""
    return name_parts(qualname)[-1]


def text(node: Node | None, source: bytes) -> str:
    if node is None:
        return ""
    return source[node.start_byte : node.end_byte].decode("utf-8", "replace")


def definition(
    qualname: str,
    kind: str,
    public: bool,
    node: Node,
    source: bytes,
    body: Node | None = None,
    parameters: tuple[str, ...] | None = None,
    span: Node | None = None,
    type_only: bool = False,
) -> Definition:
    """A Definition for `node`; `span` (default: node) gives the lines it covers, e.g. with decorators."""
    covered = span or node
    return Definition(
        qualname=qualname,
        kind=kind,
        public=public,
        start_line=covered.start_point[0] + 1,
        end_line=covered.end_point[0] + 1,
        node=node,
        source=source,
        body_start=body.start_byte if body is not None else -1,
        parameters=parameters,
        type_only=type_only,
    )


def named_children(node: Node | None) -> list[Node]:
    return list(node.named_children) if node is not None else []


@dataclass(frozen=True)
class Grammar:
    """A language's tree-sitter grammar and the function that reads its outline; for modules
    that serve several grammars with one reader (JavaScript/TypeScript/TSX, C/C++)."""

    LANGUAGE: object
    outline: object
