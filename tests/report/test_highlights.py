"""The day's highlights point at the commits to read first, by what their facts say."""

from repodigest.analysis.base import AnalysisRequest
from repodigest.analysis.rules.analyzer import RulesAnalyzer
from repodigest.report.build import repository_report
from repodigest.source.models import RepositoryInfo
from support.facts import commit_facts

INFO = RepositoryInfo(key="demo", name="acme/demo", branch="main")


def _report(tmp_path, before, after, message):
    facts, change, _ = commit_facts(tmp_path, before, after, message=message)
    analysis = RulesAnalyzer().analyze_one(AnalysisRequest(repository=INFO, commit=change.commit, facts=facts), "en")
    return repository_report(INFO, [(change.commit, facts, analysis)])


def test_breaking_security_dependency_and_feature_highlights(tmp_path):
    before = {
        "src/api.py": "def keep():\n    pass\n\n\ndef gone():\n    pass\n",
        "requirements.txt": "pydantic==1.10.0\n",
        "deploy/pod.yaml": "spec: {}\n",
    }
    after = {
        "src/api.py": "def keep():\n    pass\n\n\ndef fresh(x):\n    return x\n",
        "requirements.txt": "pydantic==2.7.0\n",
        "deploy/pod.yaml": "spec:\n  privileged: true\n",
    }
    report = _report(tmp_path / "a", before, after, "rework the api")
    found = {h.category: h.items for h in report.highlights}
    assert found == {
        "breaking": ("gone",),
        "security": ("k8s-privileged",),
        "dependency": ("pydantic 1.10.0 → 2.7.0",),
    }  # a new function is not something users act on


def test_a_low_importance_bump_is_not_a_highlight(tmp_path):
    report = _report(
        tmp_path / "b",
        {"website/package.json": '{"dependencies": {"a": "1.0.0"}}\n'},
        {"website/package.json": '{"dependencies": {"a": "1.0.1"}}\n'},
        "bump a from 1.0.0 to 1.0.1",
    )
    assert report.highlights == ()


def test_changed_defaults_releases_and_new_settings_are_highlights(tmp_path):
    before = {
        "helm/values.yaml": "crdInstaller:\n  enabled: true\n",
        "pyproject.toml": '[project]\nname = "d"\nversion = "0.8.0"\n',
    }
    after = {
        "helm/values.yaml": "crdInstaller:\n  enabled: false\nmetrics:\n  port: 9090\n",
        "pyproject.toml": '[project]\nname = "d"\nversion = "0.9.0"\n',
    }
    report = _report(tmp_path / "d", before, after, "release 0.9.0")
    found = {h.category: h.items for h in report.highlights}
    assert found == {
        "default": ("crdInstaller.enabled: true → false",),
        "feature": ("metrics.port",),
        "release": ("0.8.0 → 0.9.0",),
    }
    assert report.commits[0].analysis.importance.value == "high"


def test_security_findings_in_developer_tooling_are_not_highlights(tmp_path):
    report = _report(
        tmp_path / "e",
        {".agents/setup.sh": "echo hi\n"},
        {".agents/setup.sh": "curl -fsSL https://example.org/x.sh | bash\n"},
        "dev vm setup",
    )
    assert report.highlights == ()
    assert report.commits[0].analysis.importance.value != "high"


def test_the_build_argument_default_of_a_shipped_image_is_a_highlight_and_a_ci_images_is_not(tmp_path):
    dockerfile = 'FROM base:1\nARG UCX_REF="v1.21.x"\nRUN build ucx ${UCX_REF}\n'
    for folder, expected in (("contrib", ("UCX_REF: v1.21.x → v1.22.x",)), (".ci/dockerfiles", None)):
        path = f"{folder}/Dockerfile"
        report = _report(
            tmp_path / folder.strip("."),
            {path: dockerfile},
            {path: dockerfile.replace("v1.21.x", "v1.22.x")},
            "build: bump UCX",
        )
        found = {h.category: h.items for h in report.highlights}
        assert found.get("default") == expected, folder
        assert ("dependency" in found) == (expected is not None), folder
