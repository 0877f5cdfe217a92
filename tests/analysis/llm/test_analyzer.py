"""The LLM analyzer against a local OpenAI-compatible server that misbehaves on purpose: every
commit still gets a complete analysis, marked where it fell back; names are grounded."""

import re
import time

import pytest

from repodigest.analysis.llm.analyzer import LlmAnalyzer
from repodigest.analysis.llm.client import ChatClient
from repodigest.config import LlmConfig, RepositoryConfig
from support.day_fixture import DAY, build_day_repo
from support.fault_server import INVENTED, FaultServer
from support.reports import run_pipeline


@pytest.fixture(scope="module")
def day_repo(tmp_path_factory):
    return build_day_repo(tmp_path_factory.mktemp("day") / "demo")


def analyse(day_repo, server: FaultServer, language="en", **settings):
    options = {
        "base_url": server.base_url,
        "model": "test-model",
        "timeout": 1.0,
        "max_retries": 1,
        "concurrency": 4,
        "batch_small_commits": False,
        **settings,
    }
    config = LlmConfig(**options)
    analyzer = LlmAnalyzer(
        config, ChatClient(config.base_url, "sk-test", config.timeout, config.max_retries, config.json_mode)
    )
    result = run_pipeline(
        [RepositoryConfig(path=str(day_repo.path), name="acme/demo")], DAY, language=language, analyzer=analyzer
    )
    return result.editions[0].report.repositories[0], analyzer


def test_good_answers_are_grounded_and_stripped_of_markdown(day_repo):
    with (server := FaultServer()).serve():
        report, _ = analyse(day_repo, server)
    for entry in report.commits:
        analysis = entry.analysis
        assert analysis.analyzer == "llm:test-model" and analysis.fallback is None
        assert INVENTED not in analysis.summary and all(INVENTED not in r for r in analysis.risks)
        assert analysis.usage.dropped_claims >= 2
        assert analysis.summary.endswith(".")
        assert all(not i.text.startswith(("#", "-", "*")) and "**" not in i.text for i in analysis.insights)
    assert report.accounting.calls == len(report.commits) and report.accounting.failures == 0


@pytest.mark.parametrize("fault", ["timeout", "429", "500", "malformed", "schema", "length"])
def test_every_fault_still_yields_a_complete_analysis(day_repo, fault):
    with (server := FaultServer([fault] * 40, timeout_delay=2.5)).serve():
        report, _ = analyse(day_repo, server)
    assert len(report.commits) == len(day_repo.expected)
    for entry in report.commits:
        analysis = entry.analysis
        assert analysis.summary and analysis.summary[-1] in ".。"
        if analysis.fallback:
            assert analysis.analyzer == "rules" and analysis.usage is not None
    if fault in ("timeout", "500", "malformed", "schema", "length"):
        assert report.accounting.failures > 0


def test_a_cut_off_answer_is_asked_again_with_more_room(day_repo):
    with (server := FaultServer(["length"])).serve():
        report, _ = analyse(day_repo, server, concurrency=1)
    assert report.accounting.failures == 0
    assert sum(e.analysis.usage.retries for e in report.commits) >= 1
    requests = [r.json() for r in server.server.requests]
    assert requests[1]["max_tokens"] > requests[0]["max_tokens"]


def test_429_waits_for_retry_after_and_then_succeeds(day_repo):
    with (server := FaultServer(["429"])).serve():
        report, _ = analyse(day_repo, server, concurrency=1)
    assert report.accounting.failures == 0 and report.accounting.retries >= 1


def test_a_server_without_json_schema_support_gets_json_mode(day_repo):
    with (server := FaultServer(["reject_schema"])).serve():
        report, analyzer = analyse(day_repo, server, concurrency=1)
    assert analyzer.client.json_mode == "object_schema" and report.accounting.failures == 0
    format_sent = server.server.requests[-1].json()["response_format"]
    assert format_sent["type"] == "json_object" and format_sent["schema"]["title"] == "ModelAnalysis"


def test_breaking_facts_are_never_outweighed(tmp_path):
    from support.gitrepo import GitRepo

    repo = GitRepo.create(tmp_path / "api")
    repo.commit(
        "add api",
        "2026-02-26T10:00:00+08:00",
        files={"src/api.py": "def route(r):\n    return r\n\n\ndef pick(w):\n    return w\n"},
    )
    repo.commit("tidy", "2026-02-27T10:00:00+08:00", files={"src/api.py": "def route(r):\n    return r\n"})
    with (server := FaultServer()).serve():  # the fake always answers "low"
        report, _ = analyse(type("R", (), {"path": repo.path})(), server)
    (entry,) = report.commits
    assert entry.analysis.importance.value == "high"
    assert entry.analysis.importance_reasons[0].startswith("Breaking change: `pick`")
    assert any("1 public API" in risk for risk in entry.analysis.risks)


def test_small_low_commits_share_a_call(day_repo):
    with (server := FaultServer()).serve():
        report, _ = analyse(day_repo, server, batch_small_commits=True)
    assert report.accounting.calls < len(report.commits)
    assert all(e.analysis.fallback is None for e in report.commits)


def test_what_the_model_saw_is_recorded(day_repo):
    with (server := FaultServer()).serve():
        report, _ = analyse(day_repo, server, max_prompt_tokens=1200)
    logo = next(e for e in report.commits if "logo" in e.commit.subject)
    assert logo.analysis.usage.files_omitted == ("assets/logo.png",)
    feature = next(e for e in report.commits if e.commit.subject.startswith("feat(router)"))
    assert feature.analysis.usage.files_seen == ("src/router.py",)


def test_an_unusable_shared_answer_sends_its_commits_back_to_the_pool_and_is_counted(day_repo):
    delay = 0.4
    with (server := FaultServer(["malformed_batch"], delay=delay)).serve():
        started = time.monotonic()
        report, _ = analyse(day_repo, server, batch_small_commits=True, concurrency=8)
        elapsed = time.monotonic() - started
    requests = [r.json() for r in server.server.requests]
    batches = [i for i, r in enumerate(requests) if '{"analyses"' in r["messages"][0]["content"]]
    assert batches
    shared = set(re.findall(r"^COMMIT (\w+) ", requests[batches[0]]["messages"][-1]["content"], re.MULTILINE))
    requeued = [
        r
        for r in requests[batches[0] + 1 :]
        if '{"analyses"' not in r["messages"][0]["content"]
        and re.match(r"COMMIT (\w+) ", r["messages"][-1]["content"])[1] in shared
    ]
    assert len(requeued) >= 2
    assert all(e.analysis.fallback is None for e in report.commits)
    assert report.accounting.calls == len(requests)  # the unusable shared call is counted too
    assert elapsed < delay * len(requeued)  # asked side by side, not one after another
