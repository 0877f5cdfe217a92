"""The cache of whole-file parses: one parse per blob and kind, bounded by the memory it holds."""

import pytest

from repodigest.facts.parses import ParseCache


def _parser(calls: list[str]):
    def parse(text: str) -> str:
        calls.append(text)
        if text == "bad":
            raise ValueError("syntax error")
        return text.upper()

    return parse


def test_a_blob_is_parsed_once_per_kind():
    calls: list[str] = []
    cache = ParseCache()
    assert cache.get_or_parse("yaml", "b1", lambda: "one", _parser(calls)) == "ONE"
    assert cache.get_or_parse("yaml", "b1", lambda: "one", _parser(calls)) == "ONE"
    assert cache.get_or_parse("protobuf", "b1", lambda: "one", _parser(calls)) == "ONE"
    assert calls == ["one", "one"]


def test_the_oldest_parses_go_once_the_memory_held_is_over_budget():
    calls: list[str] = []
    cache = ParseCache(budget=256)
    for blob in ("b1", "b2", "b3"):
        cache.get_or_parse("yaml", blob, lambda: "abcd", _parser(calls), weight=32)  # 128 each: two fit
    cache.get_or_parse("yaml", "b3", lambda: "abcd", _parser(calls))
    cache.get_or_parse("yaml", "b2", lambda: "abcd", _parser(calls))
    assert len(calls) == 3  # b2 and b3 kept
    cache.get_or_parse("yaml", "b1", lambda: "abcd", _parser(calls))
    assert len(calls) == 4  # b1 was dropped


def test_a_parse_heavier_than_the_budget_is_made_but_not_kept():
    calls: list[str] = []
    cache = ParseCache(budget=256)
    cache.get_or_parse("yaml", "small", lambda: "ab", _parser(calls))
    cache.get_or_parse("protobuf", "heavy", lambda: "abcd", _parser(calls), weight=80)
    cache.get_or_parse("protobuf", "heavy", lambda: "abcd", _parser(calls), weight=80)
    cache.get_or_parse("yaml", "small", lambda: "ab", _parser(calls))
    assert calls == ["ab", "abcd", "abcd"]  # the small one was not pushed out either


def test_a_parse_not_to_keep_is_only_looked_up():
    calls: list[str] = []
    cache = ParseCache()
    cache.get_or_parse("yaml", "new", lambda: "new", _parser(calls), keep=False)
    cache.get_or_parse("yaml", "new", lambda: "new", _parser(calls), keep=False)
    cache.get_or_parse("yaml", "old", lambda: "old", _parser(calls))
    cache.get_or_parse("yaml", "old", lambda: "old", _parser(calls), keep=False)
    assert calls == ["new", "new", "old"]


def test_a_blob_parsed_before_is_not_read_again():
    cache = ParseCache()
    cache.get_or_parse("yaml", "b", lambda: "text", len)

    def unread() -> str:
        raise AssertionError("the text of a blob parsed before was read")

    assert cache.get_or_parse("yaml", "b", unread, len) == 4


def test_answers_of_no_weight_still_count_against_the_budget():
    cache = ParseCache(budget=128)  # two entries of the least cost
    for blob in ("b1", "b2", "b3"):
        cache.get_or_parse("marker", blob, lambda: "text", bool, weight=0)
    calls: list[str] = []
    cache.get_or_parse("marker", "b1", lambda: "text", _parser(calls), weight=0)
    assert calls == ["text"]  # b1 was dropped


def test_a_failed_parse_is_not_kept():
    calls: list[str] = []
    cache = ParseCache()
    for _ in range(2):
        with pytest.raises(ValueError):
            cache.get_or_parse("yaml", "b", lambda: "bad", _parser(calls))
    assert calls == ["bad", "bad"]
