"""The fast protobuf lexer gives the parser exactly the ANTLR lexer's tokens (type, text, channel,
offsets, line, column, index) and the same recognition errors, on text that uses every kind of
token, odd spacing, unterminated comments and characters the grammar does not know."""

import pytest
from antlr4 import CommonTokenStream, InputStream
from antlr4.error.ErrorListener import ErrorListener
from proto_schema_parser.antlr.ProtobufLexer import ProtobufLexer

from repodigest.facts.extractors import _proto_lexer
from repodigest.facts.extractors._proto_lexer import FastProtobufLexer
from repodigest.facts.extractors.protobuf import parse

PROTO = """\ufeffsyntax = "proto3";
package shop.v1;
import public "google/api/annotations.proto";
option (foo.bar).baz = -1.5e3;
option java_package = 'com.shop\\'s';
/* A block
   comment */ // and a line comment\r
service Orders { rpc Get(GetRequest) returns (stream Order) { option (google.api.http) = { get: "/v1/{id}" }; } }
message Order {
  reserved 2, 15 to max; reserved "gone";
  int32 quantity = 0x1F [default = .5, deprecated=true];
  map<string,int64> labels = 012;
  oneof pay { string card = 4; }
  repeated Line lines = 7;\tstring message1=8;
  extensions 100 to 199;
  float ratio = 9 [default = inf]; double other = 10 [default = -nan];
}
\fenum Status { A = 0; B = 1abc; }
"""
ODD = ["", " ", "x\n", "a..b", "a.", ".", "/", "//", "/* open", "/*/ */ q", "aé b", "a\u00a0b", "#", "a\x0bb", "x.5"]


class Collect(ErrorListener):
    def __init__(self) -> None:
        self.errors: list[tuple] = []

    def syntaxError(self, _recognizer, _offending, line, column, message, _error):
        self.errors.append((line, column, message))


def tokens(lexer_class: type, text: str) -> tuple[list[tuple], list[tuple]]:
    lexer = lexer_class(InputStream(text))
    lexer.removeErrorListeners()
    errors = Collect()
    lexer.addErrorListener(errors)
    stream = CommonTokenStream(lexer)
    stream.fill()
    found = [(t.type, t.text, t.channel, t.start, t.stop, t.line, t.column, t.tokenIndex) for t in stream.tokens]
    return found, errors.errors


@pytest.mark.parametrize("text", [PROTO, PROTO.replace("\n", "\r\n"), *ODD])
def test_same_tokens_as_antlr(text):
    assert tokens(FastProtobufLexer, text) == tokens(ProtobufLexer, text)


def test_most_tokens_take_the_fast_path(monkeypatch):
    """Guards the speed: only numbers, strings and the like go to ANTLR's own rules."""
    slow = []
    original = ProtobufLexer.nextToken

    def counted(self):
        token = original(self)
        slow.append(token)
        return token

    monkeypatch.setattr(_proto_lexer.ProtobufLexer, "nextToken", counted)
    found, _ = tokens(FastProtobufLexer, PROTO)
    assert len(slow) < len(found) / 4


def test_syntax_errors_still_raise():
    with pytest.raises(ValueError, match="line 1"):
        parse("message { int32 = ; }")
