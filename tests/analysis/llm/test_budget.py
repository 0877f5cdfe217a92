"""What of a diff the model sees when it does not all fit: the heart of the change first (the
public header, the build file that gates the feature), big hunks cut with a marker instead of
dropped, deleted doc comments and tests last, the file list compressed, the whole prompt counted."""

import re

import pytest

from repodigest.analysis.llm.analyzer import LlmAnalyzer
from repodigest.analysis.llm.client import ChatClient
from repodigest.analysis.llm.tokens import count
from repodigest.config import LlmConfig, RepositoryConfig
from support.fault_server import FaultServer
from support.gitrepo import GitRepo
from support.reports import run_pipeline

DAY = "2026-03-02"
OLD_DOCS = "".join(
    f"    // Old note {i}: how the legacy engine used to warm its caches, step by step.\n" for i in range(300)
)
OLD_TESTS = "".join(f"def test_case_{i}():\n    assert engine.run({i}) == {i}\n\n" for i in range(150))


def api_change(repo: GitRepo) -> None:
    """A feature-gated API change among a lot of noise."""
    repo.commit(
        "base",
        "2026-03-01T10:00:00+00:00",
        files={
            "include/engine/api.h": "int engine_run(int job);\n",
            "src/engine.cpp": '#include "engine/api.h"\n'
            + "int engine_run(int job) {\n"
            + OLD_DOCS
            + "    return job;\n}\n",
            "meson.build": "project('engine', 'cpp')\nlib = library('engine', 'src/engine.cpp')\n",
            "tests/test_engine.py": OLD_TESTS,
            "docs/guide.md": "# Guide\n" + "Some words about the engine.\n" * 200,
        },
    )
    repo.commit(
        "Engine v2: engine_run takes a priority",
        "2026-03-02T10:00:00+00:00",
        files={
            "include/engine/api.h": "int engine_run(int job, int priority);\nint engine_cancel(int job);\n",
            "src/engine.cpp": '#include "engine/api.h"\n'
            "int engine_run(int job, int priority) {\n    return job + priority;\n}\n"
            "int engine_cancel(int job) {\n    return -job;\n}\n",
            "meson.build": "project('engine', 'cpp')\noption_v2 = get_option('v2')\n"
            "add_project_arguments('-DENGINE_V2', language: 'cpp')\nlib = library('engine', 'src/engine.cpp')\n",
            "tests/test_engine.py": "def test_v2():\n    assert engine.run(1, 2) == 3\n",
            "docs/guide.md": "# Guide\nVersion 2.\n",
            **{f"docs/pages/p{i}/index.md": f"# Page {i}\n" + "A paragraph of prose.\n" * 30 for i in range(40)},
        },
    )


@pytest.fixture(scope="module")
def prompt(tmp_path_factory):
    repo = GitRepo.create(tmp_path_factory.mktemp("budget") / "engine")
    api_change(repo)
    with (server := FaultServer()).serve():
        settings = LlmConfig(
            base_url=server.base_url,
            model="m",
            max_prompt_tokens=2500,
            batch_small_commits=False,
            timeout=5,
            max_retries=0,
        )
        analyzer = LlmAnalyzer(settings, ChatClient(settings.base_url, "k", 5, 0, settings.json_mode))
        result = run_pipeline(
            [RepositoryConfig(path=str(repo.path), name="acme/engine")], DAY, timezone="UTC", analyzer=analyzer
        )
    (body,) = [r.json() for r in server.server.requests]
    usage = result.editions[0].report.repositories[0].commits[0].analysis.usage
    return body["messages"], usage, settings


def shown_files(user: str) -> list[str]:
    return re.findall(r"^--- (\S+) \[", user, re.MULTILINE)


def test_the_header_and_the_gating_build_file_come_first(prompt):
    messages, _, _ = prompt
    shown = shown_files(messages[-1]["content"])
    assert "include/engine/api.h" in shown and "meson.build" in shown and "src/engine.cpp" in shown
    assert "-DENGINE_V2" in messages[-1]["content"] and "engine_cancel" in messages[-1]["content"]


def test_a_hunk_too_big_is_cut_with_a_marker_not_dropped(prompt):
    user = prompt[0][-1]["content"]
    assert re.search(r"… \(\d+ more lines of this hunk not shown\)", user)
    assert user.count("Old note") < 300


def test_the_whole_prompt_stays_within_the_budget(prompt):
    messages, _, settings = prompt
    assert sum(count(m["content"]) for m in messages) <= settings.max_prompt_tokens


def test_a_long_file_list_is_counted_by_folder(prompt):
    user = prompt[0][-1]["content"]
    assert "  docs/pages/p39/index.md [" not in user
    assert re.search(r"^  docs/pages/ \(\d+ files: \d+ added, \+\d+/-0\)$", user, re.MULTILINE)
    assert re.search(r"NOT SHOWN .*: \d+ files in docs/pages/ \(\d+\)", user)


def test_what_was_cut_is_named(prompt):
    _, usage, _ = prompt
    assert "src/engine.cpp" in usage.files_seen


def test_the_budget_is_calibrated_by_the_servers_count(tmp_path):
    from repodigest.analysis.llm.tokenizer import Kind
    from repodigest.analysis.llm.tokens import Calibration
    from support.strong_server import StrongServer

    calibration = Calibration()
    calibration.record(ours=1000, theirs=900)  # the server counts less: our budget stays
    assert calibration.budget(6000) == 6000
    calibration.record(ours=1000, theirs=1250)
    assert calibration.budget(6000) == 4800
    repo = GitRepo.create(tmp_path / "engine")
    api_change(repo)
    repo.commit("Engine v2.1: docs", "2026-03-02T11:00:00+00:00", files={"docs/guide.md": "# Guide\n" + OLD_DOCS * 3})
    with (server := StrongServer({}, tokenize=lambda text: int(len(text) / 2.2))).serve():
        settings, analyzer = _one_at_a_time(server.base_url)
        run_pipeline(
            [RepositoryConfig(path=str(repo.path), name="acme/engine")], DAY, timezone="UTC", analyzer=analyzer
        )
        assert analyzer.calibration.factor > 1.2  # this server counts far more than we do
        first, second = ("\n".join(m["content"] for m in body["messages"]) for body in server.requests)
        assert server.tokenize(first) > settings.max_prompt_tokens  # before any usage came back
        assert server.tokenize(second) <= settings.max_prompt_tokens
        # The next run starts from what this one learnt (the state keeps it): no prompt goes over.
        learned = analyzer.learned()
        assert set(learned) == {f"prompt-token-factor:{server.base_url}:m", f"tokenizer:{server.base_url}:m"}
        assert learned[f"tokenizer:{server.base_url}:m"] == Kind.NONE  # probed: it has no tokenizer
        probes = len(server.server.others)
        again = LlmAnalyzer(settings, ChatClient(settings.base_url, "k", 5, 0, settings.json_mode))
        again.recall(learned)
        run_pipeline([RepositoryConfig(path=str(repo.path), name="acme/engine")], DAY, timezone="UTC", analyzer=again)
        for body in server.requests[2:]:
            assert server.tokenize("\n".join(m["content"] for m in body["messages"])) <= settings.max_prompt_tokens
        assert len(server.requests) == 4
        assert len(server.server.others) == probes  # what the probe found was recalled: no probe again


def test_a_server_with_a_tokenizer_holds_every_prompt_to_the_budget_from_the_first(tmp_path):
    """llama.cpp counts on request: the first prompt, before any usage came back, is already
    within the budget by the server's count, and near it (what the estimate cut is grown back)."""
    from repodigest.analysis.llm.tokenizer import Kind
    from support.strong_server import StrongServer

    repo = GitRepo.create(tmp_path / "engine")
    api_change(repo)
    repo.commit("Engine v2.1: docs", "2026-03-02T11:00:00+00:00", files={"docs/guide.md": "# Guide\n" + OLD_DOCS * 3})
    for chars_a_token in (2.2, 6.0):  # a server that counts far more than we do, and one far less
        tokenize = lambda text, c=chars_a_token: int(len(text) / c)  # noqa: E731
        with (server := StrongServer({}, tokenize=tokenize, serves_tokenize=True)).serve():
            settings, analyzer = _one_at_a_time(server.base_url)
            run_pipeline(
                [RepositoryConfig(path=str(repo.path), name="acme/engine")], DAY, timezone="UTC", analyzer=analyzer
            )
        prompts = ["\n".join(m["content"] for m in body["messages"]) for body in server.requests]
        counts = [tokenize(text) for text in prompts]
        assert len(counts) == 2 and max(counts) <= settings.max_prompt_tokens, counts
        assert counts[0] >= 0.9 * settings.max_prompt_tokens, counts  # the API change's diff fills the budget
        assert analyzer.learned()[f"tokenizer:{server.base_url}:m"] == Kind.LLAMA_CPP


def test_what_was_learnt_is_kept_in_the_state(tmp_path):
    from repodigest.state.store import StateStore

    state = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    assert state.learned() == {}
    state.remember({"prompt-token-factor:http://h/v1:m": 1.4})
    state.remember({"prompt-token-factor:http://h/v1:m": 1.5, "prompt-token-factor:http://h/v1:n": 1.1})
    reopened = StateStore.open(f"sqlite:///{tmp_path / 'state.db'}")
    assert reopened.learned() == {"prompt-token-factor:http://h/v1:m": 1.5, "prompt-token-factor:http://h/v1:n": 1.1}


def test_the_model_is_told_what_the_project_is(tmp_path):
    repo = GitRepo.create(tmp_path / "engine")
    repo.write(
        "README.md",
        "# Engine\n\n[![ci](https://ci/badge.svg)](https://ci)\n\nEngine schedules GPU jobs\n"
        "across a cluster.\n\nMore below.\n",
    )
    repo.write("pyproject.toml", '[project]\nname = "engine"\ndescription = "A job scheduler for GPUs"\n')
    api_change(repo)
    with (server := FaultServer()).serve():
        settings = LlmConfig(base_url=server.base_url, model="m", batch_small_commits=False, timeout=5, max_retries=0)
        analyzer = LlmAnalyzer(settings, ChatClient(settings.base_url, "k", 5, 0, settings.json_mode))
        run_pipeline(
            [RepositoryConfig(path=str(repo.path), name="acme/engine")], DAY, timezone="UTC", analyzer=analyzer
        )
    user = server.server.requests[0].json()["messages"][-1]["content"]
    assert "description: A job scheduler for GPUs" in user
    assert "readme: Engine schedules GPU jobs across a cluster." in user and "badge" not in user
    assert re.search(r"^top level: .*include.*meson\.build", user, re.MULTILINE)


def test_every_kind_of_fact_reaches_the_prompt(tmp_path):
    """A changed default (a fact with no `change`) is written as old → new, not a crash."""
    repo = GitRepo.create(tmp_path / "chart")
    repo.commit(
        "chart", "2026-03-01T10:00:00+00:00", files={"charts/app/values.yaml": "crdInstaller:\n  enabled: true\n"}
    )
    repo.commit(
        "chart: stop installing CRDs",
        "2026-03-02T10:00:00+00:00",
        files={"charts/app/values.yaml": "crdInstaller:\n  enabled: false\n"},
    )
    with (server := FaultServer()).serve():
        settings = LlmConfig(base_url=server.base_url, model="m", batch_small_commits=False, timeout=5, max_retries=0)
        analyzer = LlmAnalyzer(settings, ChatClient(settings.base_url, "k", 5, 0, settings.json_mode))
        result = run_pipeline(
            [RepositoryConfig(path=str(repo.path), name="acme/chart")], DAY, timezone="UTC", analyzer=analyzer
        )
    (entry,) = result.editions[0].report.repositories[0].commits
    assert any(f.kind == "changed_default" for f in entry.facts.facts)
    assert entry.analysis.fallback is None
    user = server.server.requests[0].json()["messages"][-1]["content"]
    assert "changed default" in user and "true → false" in user


def _one_at_a_time(base_url: str) -> tuple[LlmConfig, LlmAnalyzer]:
    """An analyzer asking one commit at a time, within a 2,500-token prompt budget, never retrying."""
    settings = LlmConfig(
        base_url=base_url,
        model="m",
        max_prompt_tokens=2500,
        batch_small_commits=False,
        concurrency=1,
        timeout=5,
        max_retries=0,
    )
    return settings, LlmAnalyzer(settings, ChatClient(settings.base_url, "k", 5, 0, settings.json_mode))
