"""Importance comes from what the diff does, with reasons, whatever the message convention."""

from repodigest.analysis.base import AnalysisRequest
from repodigest.analysis.rules.analyzer import RulesAnalyzer
from repodigest.source.models import RepositoryInfo
from support.facts import commit_facts

INFO = RepositoryInfo(key="demo", name="acme/demo", branch="main")
API = "def route(request, workers):\n    return workers[0]\n\n\ndef pick(workers):\n    return workers[0]\n"


def analyse(tmp_path, before, after, message, language="en", analyzer=None):
    facts, change, _ = commit_facts(tmp_path / "r", before, after, message=message)
    request = AnalysisRequest(repository=INFO, commit=change.commit, facts=facts)
    return (analyzer or RulesAnalyzer()).analyze_one(request, language)


def test_a_tiny_removal_of_a_public_function_is_high_whatever_the_message(tmp_path):
    analysis = analyse(tmp_path, {"src/api.py": API}, {"src/api.py": API.split("\n\n\n")[0] + "\n"}, "tidy up")
    assert analysis.importance.value == "high"
    assert any("Breaking change: `pick`" in reason for reason in analysis.importance_reasons)


def test_a_large_test_cleanup_is_low_even_when_called_a_feature(tmp_path):
    tests = "".join(f"def test_{i}():\n    assert {i} == {i}\n\n" for i in range(400))
    analysis = analyse(
        tmp_path,
        {"tests/test_big.py": tests},
        {"tests/test_big.py": tests.replace("assert", "assert not not")},
        "feat: rewrite all tests",
    )
    assert analysis.importance.value == "low"
    assert "Tests only" in analysis.importance_reasons


def test_bracket_tags_and_prefixes_are_read_without_conventional_commits(tmp_path):
    analysis = analyse(
        tmp_path,
        {"src/router/app.py": API},
        {"src/router/app.py": API.replace("[0]", "[-1]")},
        "[Router][Bugfix] Return 400 for malformed payloads",
    )
    assert (analysis.change_type, analysis.scope, analysis.importance.value) == ("fix", "Router", "medium")


def test_a_dependabot_bump_of_a_website_dependency_is_low(tmp_path):
    before = {"website/package.json": '{"dependencies": {"mermaid": "11.10.0"}}\n'}
    after = {"website/package.json": '{"dependencies": {"mermaid": "11.16.0"}}\n'}
    analysis = analyse(tmp_path, before, after, "chore: bump mermaid from 11.10.0 to 11.16.0 in /website")
    assert analysis.importance.value == "low"


def test_a_major_upgrade_of_a_product_dependency_is_not_low(tmp_path):
    analysis = analyse(
        tmp_path,
        {"requirements.txt": "pydantic==1.10.0\n"},
        {"requirements.txt": "pydantic==2.7.0\n"},
        "Bump pydantic from 1.10.0 to 2.7.0",
    )
    assert analysis.importance.value == "medium"
    assert any("pydantic 1.10.0 → 2.7.0" in reason for reason in analysis.importance_reasons)


def test_the_shipped_image_build_arg_default_is_medium_and_a_ci_image_one_is_low(tmp_path):
    """contrib/ often holds a project's packaging: its image is what users pull. A CI image is not."""
    dockerfile = 'FROM base:1\nARG UCX_REF="v1.21.x"\nRUN build ucx ${UCX_REF}\n'
    for folder, level in (("contrib", "medium"), (".ci/dockerfiles", "low")):
        path = f"{folder}/Dockerfile"
        analysis = analyse(
            tmp_path / folder.strip("."),
            {path: dockerfile},
            {path: dockerfile.replace("v1.21.x", "v1.22.x")},
            "build: bump UCX version to v1.22.x",
        )
        assert analysis.importance.value == level, folder
        assert any("UCX_REF: v1.21.x → v1.22.x" in r for r in analysis.importance_reasons) == (level == "medium")


def test_a_privileged_container_is_high(tmp_path):
    analysis = analyse(
        tmp_path, {"deploy/pod.yaml": "spec: {}\n"}, {"deploy/pod.yaml": "spec:\n  privileged: true\n"}, "CI: tweak pod"
    )
    assert analysis.importance.value == "high"


def test_rules_can_be_overridden_from_a_file(tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text('[signals.tests_only]\nweight = 130\nmax_level = "high"\n')
    tests = "def test_a():\n    assert True\n"
    analysis = analyse(
        tmp_path,
        {"tests/test_a.py": tests},
        {"tests/test_a.py": tests + "\n\ndef test_b():\n    pass\n"},
        "test: more",
        analyzer=RulesAnalyzer(rules_path=rules),
    )
    assert analysis.importance.value == "high"


def test_sections_say_nothing_the_facts_do_not_support(tmp_path):
    analysis = analyse(tmp_path, {"docs/a.md": "a\n"}, {"docs/a.md": "b\n"}, "docs: fix typo")
    assert analysis.importance.value == "low"
    assert analysis.insights == () and analysis.risks == () and analysis.suggestions == ()


def test_chinese_reasons(tmp_path):
    analysis = analyse(
        tmp_path, {"src/api.py": API}, {"src/api.py": API.split("\n\n\n")[0] + "\n"}, "tidy up", language="zh"
    )
    assert any(reason.startswith("破坏性变更") for reason in analysis.importance_reasons)
    assert "破坏性" in " ".join(analysis.risks) or "无法工作" in " ".join(analysis.risks)


def test_lockfile_churn_is_counted_and_the_packages_the_message_names_are_listed(tmp_path):
    import json

    def lock(qs, other):
        return (
            json.dumps({"packages": {"node_modules/qs": {"version": qs}, "node_modules/other": {"version": other}}})
            + "\n"
        )

    analysis = analyse(
        tmp_path,
        {"web/package-lock.json": lock("6.14.1", "1.0.0")},
        {"web/package-lock.json": lock("6.14.2", "1.0.1")},
        "chore: bump qs from 6.14.1 to 6.14.2 in /web",
    )
    assert "2 locked package version(s) changed." in analysis.summary
    assert "The message names qs 6.14.1 → 6.14.2." in analysis.summary
    assert "other" not in analysis.summary.split("names")[1]
