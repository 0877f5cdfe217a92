"""Grounding against real commits, both ways: true sentences about seven ai-dynamo/nixl commits
are kept, sentences naming or stating what the commit does not contain are dropped.

The rates print with `pytest -s` or `python bench/grounding_rates.py`; the vocabulary of each
commit comes from bench/grounding_vocabulary.py."""

import pytest

from repodigest.analysis.llm.grounding import Vocabulary, ground, unsupported
from support.grounding_set import evaluate, vocabulary

FALSE_DROP_TARGET = 0.02
KEPT_FALSEHOOD_TARGET = 0.05


def test_the_set_is_large_enough_and_meets_both_targets():
    rates = evaluate()
    print("\n" + "\n".join(rates.lines()))
    assert rates.true_total >= 100 and rates.false_total >= 50
    assert rates.false_drop_rate <= FALSE_DROP_TARGET, "\n".join(rates.lines())
    assert rates.kept_falsehood_rate <= KEPT_FALSEHOOD_TARGET, "\n".join(rates.lines())


@pytest.fixture(scope="module")
def nixl_device_api():
    return vocabulary("1f64b71")


@pytest.mark.parametrize(
    "sentence",
    [
        "Prefer the v2 API, e.g. `prepMemView`, over the removed calls.",  # e.g. does not end a sentence
        "Both v1/v2 users are affected, i.e. every device-side caller.",
        "开发/测试环境需要新版 UCX。",  # a slashed word is prose
        "Check source/binary compatibility.",
        "调用 nixlGpuPostSignalXferReq 的代码无法编译。",  # a bare name against CJK text
    ],
)
def test_ordinary_words_and_names_in_the_commit_are_kept(nixl_device_api, sentence):
    assert unsupported(sentence, nixl_device_api) == []


@pytest.mark.parametrize(
    "sentence, missing",
    [
        ("需要 UCX 1.22 或更高版本。", "1.22"),
        ("延迟降低约 30%。", "30 %"),
        ("调用 nixlGpuPostBatchXferReq 即可。", "nixlGpuPostBatchXferReq"),  # bare, no backticks
        ("设置NIXL_DEVICE_LEGACY_MODE后恢复旧接口。", "NIXL_DEVICE_LEGACY_MODE"),  # env var against CJK text
        ("Call releaseAll() first.", "releaseAll()"),
        ("It lives in src/api/gpu/ucx/legacy_device.cuh now.", "src/api/gpu/ucx/legacy_device.cuh"),
        ("Each request now takes 2 MB.", "2 MB"),  # a small number must come with its unit
    ],
)
def test_invented_names_numbers_and_versions_are_found(nixl_device_api, sentence, missing):
    assert missing in unsupported(sentence, nixl_device_api)


def test_a_sentence_that_does_not_end_is_dropped_not_repaired():
    words = Vocabulary.of_texts(["def pick(w):"], ["src/api.py"])
    text, dropped = ground("Removes `pick`. Callers of `pick` must", words, "en")
    assert (text, dropped) == ("Removes `pick`.", 1)
    assert ground("移除了 `pick`。调用方需要", words, "zh") == ("移除了 `pick`。", 1)
    assert ground("Callers of `pick`", words, "en", fragment=True) == ("Callers of `pick`", 0)


def test_markup_is_removed_but_code_spans_keep_angle_brackets():
    words = Vocabulary.of_texts(["std::vector<int> values;"], ["src/a.cpp"])
    assert ground("## Uses **`std::vector<int>`** now.", words, "en") == ("Uses `std::vector<int>` now.", 0)
