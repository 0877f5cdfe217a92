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
    before = {"src/api.py": "def keep():\n    pass\n\n\ndef gone():\n    pass\n", "requirements.txt": "pydantic==1.10.0\n",
              "deploy/pod.yaml": "spec: {}\n"}
    after = {"src/api.py": "def keep():\n    pass\n\n\ndef fresh(x):\n    return x\n", "requirements.txt": "pydantic==2.7.0\n",
             "deploy/pod.yaml": "spec:\n  privileged: true\n"}
    report = _report(tmp_path / "a", before, after, "rework the api")
    found = {h.category: h.items for h in report.highlights}
    assert found == {"breaking": ("gone",), "security": ("k8s-privileged",),
                     "dependency": ("pydantic 1.10.0 → 2.7.0",), "feature": ("fresh",)}


def test_a_low_importance_bump_is_not_a_highlight(tmp_path):
    report = _report(tmp_path / "b", {"website/package.json": '{"dependencies": {"a": "1.0.0"}}\n'},
                     {"website/package.json": '{"dependencies": {"a": "1.0.1"}}\n'}, "bump a from 1.0.0 to 1.0.1")
    assert report.highlights == ()
