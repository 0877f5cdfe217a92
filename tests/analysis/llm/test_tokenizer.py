"""The server's own token count: which endpoint a server has is probed once over real HTTP on
127.0.0.1, in each server's documented wire format, and what the probe found is kept."""

from __future__ import annotations

import socket

import pytest

from repodigest.analysis.llm.analyzer import LlmAnalyzer
from repodigest.analysis.llm.client import ChatClient
from repodigest.analysis.llm.tokenizer import Kind, ServerTokenizer
from repodigest.config import LlmConfig
from support.http_server import LocalServer, Request, Response

TEXT = "def ready():\n    return 'ok'\n"


def words(text: str) -> int:
    return len(text.split())


def llama_cpp(request: Request) -> Response:
    """llama.cpp's server: POST /tokenize {"content"} → {"tokens"}."""
    if request.path == "/tokenize":
        return Response(200, {"tokens": list(range(words(request.json()["content"])))})
    return Response(404, {"error": {"message": "File Not Found"}})


def vllm(request: Request) -> Response:
    """vLLM: POST /tokenize {"model", "prompt"} → {"count", "max_model_len", "tokens"}."""
    if request.path == "/tokenize":
        body = request.json()
        assert body["model"] == "m"
        n = words(body["prompt"])
        return Response(200, {"count": n, "max_model_len": 8192, "tokens": list(range(n))})
    return Response(404, {"detail": "Not Found"})


def llama_cpp_python(request: Request) -> Response:
    """llama-cpp-python's server: POST /extras/tokenize/count {"input"} → {"count"}."""
    if request.path == "/extras/tokenize/count":
        return Response(200, {"count": words(request.json()["input"])})
    return Response(404, {"detail": "Not Found"})


def hosted(request: Request) -> Response:
    """OpenAI, DeepSeek: no tokenizer endpoint."""
    return Response(404, {"error": {"message": "Invalid URL"}})


def tokenizer_for(server: LocalServer) -> ServerTokenizer:
    client = ChatClient(server.url + "/v1", "k", 5, 0, "schema")
    return ServerTokenizer(client.post_json, "m")


@pytest.mark.parametrize(
    ("handler", "kind", "probes"),
    [(llama_cpp, Kind.LLAMA_CPP, 1), (vllm, Kind.VLLM, 1), (llama_cpp_python, Kind.LLAMA_CPP_PYTHON, 2)],
)
def test_each_servers_tokenizer_is_found_and_counts_in_its_own_format(handler, kind, probes) -> None:
    with (server := LocalServer(handler)):
        tokenizer = tokenizer_for(server)
        assert tokenizer.count(TEXT) == words(TEXT)
        assert tokenizer.count(TEXT * 3) == 3 * words(TEXT)
    assert tokenizer.kind == kind and tokenizer.probed
    assert len(server.requests) == probes + 2  # probed once, then one request a count
    assert server.requests[0].headers["authorization"] == "Bearer k"


def test_a_server_without_one_is_probed_once_and_the_estimate_stands() -> None:
    with (server := LocalServer(hosted)):
        tokenizer = tokenizer_for(server)
        assert tokenizer.count(TEXT) is None
        assert tokenizer.count(TEXT) is None
    assert tokenizer.kind == Kind.NONE and tokenizer.probed
    assert len(server.requests) == 2  # the two dialects' probes, once


def test_what_the_probe_found_is_recalled_so_the_next_run_sends_none() -> None:
    with (server := LocalServer(llama_cpp)):
        settings = LlmConfig(base_url=server.url + "/v1", model="m")
        first = LlmAnalyzer(settings, ChatClient(settings.base_url, "k", 5, 0, "schema"))
        assert first.tokenizer.count(TEXT) == words(TEXT)
        learned = first.learned()
        assert learned[f"tokenizer:{settings.base_url}:m"] == Kind.LLAMA_CPP
        sent = len(server.requests)
        again = LlmAnalyzer(settings, ChatClient(settings.base_url, "k", 5, 0, "schema"))
        again.recall(learned)
        assert again.tokenizer.count(TEXT) == words(TEXT)
        assert len(server.requests) == sent + 1  # the count itself, no probe
        stale = LlmAnalyzer(settings, ChatClient(settings.base_url, "k", 5, 0, "schema"))
        stale.recall({f"tokenizer:{settings.base_url}:m": 9.0})  # no version wrote this: probed again
        assert stale.tokenizer.kind is None


def test_a_server_that_is_down_is_not_taken_for_one_without_a_tokenizer() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the socket is closed
    client = ChatClient(f"http://127.0.0.1:{port}/v1", "k", 5, 0, "schema")
    tokenizer = ServerTokenizer(client.post_json, "m")
    assert tokenizer.count(TEXT) is None
    assert not tokenizer.probed  # not kept in the state: the next run probes again


def test_an_answer_of_another_shape_is_not_a_count() -> None:
    def odd(request: Request) -> Response:
        return Response(200, {"tokens": "many"} if request.path == "/tokenize" else {"count": "3"})

    with (server := LocalServer(odd)):
        tokenizer = tokenizer_for(server)
        assert tokenizer.count(TEXT) is None
    assert tokenizer.kind == Kind.NONE


def test_the_default_endpoint_openai_is_never_probed() -> None:
    analyzer = LlmAnalyzer(LlmConfig(model="m", api_key_env="NONE"), ChatClient(None, "k", 5, 0, "schema"))
    assert analyzer.tokenizer.count(TEXT) is None and analyzer.tokenizer.requests == 0
    assert not analyzer.learned()
