"""The LLM path end to end against a real model server (llama.cpp, SmolLM2-135M). The model is
tiny and writes weak prose: these tests prove plumbing, schema handling and grounding."""

import re

import pytest

from repodigest.analysis.llm.analyzer import LlmAnalyzer
from repodigest.analysis.llm.client import ChatClient
from repodigest.config import LlmConfig, RepositoryConfig
from support import llama_server
from support.gitrepo import GitRepo
from support.reports import run_pipeline

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process, url = llama_server.start(tmp_path_factory.mktemp("llama"))
    yield url
    process.terminate()
    process.wait(timeout=30)


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    repo = GitRepo.create(tmp_path_factory.mktemp("repo") / "svc")
    repo.commit(
        "init",
        "2026-05-01T09:00:00+00:00",
        files={"svc/api.py": "def health():\n    return 'ok'\n\n\ndef legacy():\n    return 1\n"},
    )
    repo.commit(
        "feat: add readiness endpoint and drop legacy",
        "2026-05-02T09:00:00+00:00",
        files={
            "svc/api.py": "import os\n\n\ndef health():\n    return 'ok'\n\n\ndef ready():\n"
            "    return os.environ.get('READY_FILE', 'ok')\n"
        },
    )
    repo.commit("docs: describe readiness", "2026-05-02T10:00:00+00:00", files={"README.md": "Call ready().\n"})
    return repo


def test_a_real_server_analyses_every_commit_within_the_schema_and_grounded(server, repo):
    settings = LlmConfig(
        base_url=server,
        model="smollm2",
        max_prompt_tokens=1800,
        max_output_tokens=500,
        concurrency=2,
        timeout=120,
        max_retries=1,
        batch_small_commits=False,
    )
    client = ChatClient(settings.base_url, "no-key-needed", settings.timeout, settings.max_retries, settings.json_mode)
    result = run_pipeline(
        [RepositoryConfig(path=str(repo.path), name="acme/svc")],
        "2026-05-02",
        timezone="UTC",
        language="en",
        analyzer=LlmAnalyzer(settings, client),
    )
    report = result.editions[0].report.repositories[0]
    assert len(report.commits) == 2
    assert client.json_mode == "object_schema"  # llama.cpp refuses json_schema; the schema goes along json_object
    answered = [e for e in report.commits if e.analysis.fallback is None]
    assert answered, [e.analysis.fallback for e in report.commits]
    for entry in report.commits:
        analysis = entry.analysis
        assert analysis.summary and analysis.summary[-1] in ".!?。"
        assert analysis.usage is not None and analysis.usage.model == "smollm2"
        touched = {f.path for f in entry.commit.files}
        for name in re.findall(r"`([^`]+)`", " ".join([analysis.summary, *analysis.risks, *analysis.suggestions])):
            if "/" in name:
                assert name in touched or any(path.startswith(name) for path in touched), name
    breaking = next(e for e in report.commits if e.commit.subject.startswith("feat"))
    assert breaking.analysis.importance.value == "high"  # `legacy` removed: the facts' floor holds
    assert any("legacy" in reason for reason in breaking.analysis.importance_reasons)
    assert report.accounting.prompt_tokens > 0 and report.accounting.completion_tokens > 0


def test_the_real_server_counts_tokens_on_request_and_the_probe_finds_how(server):
    from repodigest.analysis.llm.tokenizer import Kind, ServerTokenizer

    client = ChatClient(server, "no-key-needed", 30, 0, "object_schema")
    tokenizer = ServerTokenizer(client.post_json, "smollm2")
    short, long = tokenizer.count("def ready():\n    return 'ok'\n"), tokenizer.count("def ready():\n" * 50)
    assert tokenizer.kind == Kind.LLAMA_CPP_PYTHON  # llama-cpp-python's /extras/tokenize/count
    assert short is not None and long is not None and 5 < short < long
