"""proto-schema-parser's ANTLR lexer with a fast path: the same tokens, several times sooner.

Measured on mudler/LocalAI's 56 kB backend.proto, the library's parse took ~126 ms, of which
~56 ms was the pure-Python ANTLR lexer walking its DFA one character at a time (the parser
proper ~40 ms, building the AST ~8 ms; ANTLR's SLL prediction mode gained nothing). Nearly all
of a `.proto` file's characters are in whitespace, comments, names and punctuation, which one
regular expression matches at C speed; those tokens are built here exactly as the ANTLR lexer
builds them (same type, channel, start, stop, line and column, from the same token factory),
and every other token (numbers, strings, `.5`, a byte-order mark, an unterminated comment, a
character the grammar does not know, the end of the text) is left to the ANTLR lexer itself,
positioned where the fast path stopped. So the token stream, and with it the parse and its
errors, is the library's own; tests/facts/test_proto_lexer.py compares both streams.
"""

from __future__ import annotations

import re

from antlr4 import Token
from proto_schema_parser.antlr.ProtobufLexer import ProtobufLexer
from proto_schema_parser.antlr.ProtobufParser import ProtobufParser

FAST = re.compile(
    r"""(?P<WS>[ \t\r\n\f]+)
    |(?P<LINE_COMMENT>//[^\r\n]*)
    |(?P<BLOCK_COMMENT>/\*.*?\*/)
    |(?P<IDENTIFIER>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<PUNCTUATION>[;,:=\-+(){}\[\]<>]|/(?![/*])|\.(?![0-9]))""",
    re.VERBOSE | re.DOTALL,
)
"""The grammar's rules for these tokens (checked against its ATN by the tests): WS is
`[ \\t\\r\\n\\f]+` on the hidden channel; comments stay on the default channel; LETTER is ASCII;
a `.` before a digit starts a FLOAT_LITERAL and is left to ANTLR."""
LITERALS = {name[1:-1]: index for index, name in enumerate(ProtobufParser.literalNames) if name != "<INVALID>"}
"""Token type by its fixed text (the parser's table is indexed by type; the lexer's skips gaps)."""
KEYWORDS = {text: index for text, index in LITERALS.items() if text.isidentifier()}
PUNCTUATION = {text: index for text, index in LITERALS.items() if len(text) == 1 and not text.isalnum()}


class FastProtobufLexer(ProtobufLexer):
    def nextToken(self) -> Token | None:  # ANTLR's name and signature
        text: str = self._input.strdata
        start = self._input.index
        found = FAST.match(text, start) if start < len(text) else None
        if found is None:
            return super().nextToken()  # ANTLR's own rules, from where the fast path stopped
        kind, value = found.lastgroup, found.group()
        if kind == "WS":
            token_type, channel = ProtobufLexer.WS, Token.HIDDEN_CHANNEL
        elif kind == "IDENTIFIER":
            token_type, channel = KEYWORDS.get(value, ProtobufLexer.IDENTIFIER), Token.DEFAULT_CHANNEL
        elif kind == "PUNCTUATION":
            token_type, channel = PUNCTUATION[value], Token.DEFAULT_CHANNEL
        else:
            token_type, channel = getattr(ProtobufLexer, str(kind)), Token.DEFAULT_CHANNEL
        line, column = self._interp.line, self._interp.column
        end = found.end()
        # No text, as ANTLR's own lexer emits it: the token reads it from the input when asked.
        no_text: str = None  # type: ignore[assignment]
        token = self._factory.create(
            self._tokenFactorySourcePair, token_type, no_text, channel, start, end - 1, line, column
        )
        newlines = value.count("\n")
        self._interp.line = line + newlines
        self._interp.column = len(value) - value.rfind("\n") - 1 if newlines else column + len(value)
        self._input.seek(end)
        if end >= len(text):
            self._hitEOF = True
        self._token = token
        return token
