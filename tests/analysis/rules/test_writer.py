"""What the rules writer says about wire breaks: the copies that go with them once, and the release
that had the broken element (or that none did)."""

from datetime import UTC, datetime

import yaml

from repodigest.analysis.base import AnalysisRequest
from repodigest.analysis.rules.analyzer import RulesAnalyzer
from repodigest.facts.engine import FactsEngine
from repodigest.source.blobs import GitBlobReader
from repodigest.source.models import RepositoryInfo
from repodigest.source.releases import read_tags
from repodigest.source.walk import walk
from support.facts import commit_facts
from support.gitrepo import GitRepo

INFO = RepositoryInfo(key="demo", name="acme/demo", branch="main")
PROTO = 'syntax = "proto3";\npackage shop.v1;\nmessage Order {\n  string id = 1;\n%s}\n'
BUF = "version: v1\nbreaking:\n  use:\n    - WIRE_JSON\n"


def crd(properties: dict) -> str:
    schema = {"type": "object", "properties": {"spec": {"type": "object", "properties": properties}}}
    return yaml.safe_dump(
        {
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "jobs.acme.io"},
            "spec": {
                "names": {"kind": "Job", "plural": "jobs"},
                "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": schema}}],
            },
        }
    )


def compatibility(analysis) -> str:
    return " ".join(i.text for i in analysis.insights if i.dimension == "Compatibility")


def test_a_removed_crd_field_names_its_generated_copies_once(tmp_path):
    types = 'package v1\n\ntype JobSpec struct {\n\tImage string `json:"image"`\n%s}\n'
    before = {
        "config/crd/jobs.yaml": crd({"image": {"type": "string"}, "queue": {"type": "string"}}),
        "api/v1/job_types.go": types % '\tQueue string `json:"queue,omitempty"`\n',
    }
    after = {"config/crd/jobs.yaml": crd({"image": {"type": "string"}}), "api/v1/job_types.go": types % ""}
    facts, change, _ = commit_facts(tmp_path / "r", before, after, message="drop queue")
    analysis = RulesAnalyzer().analyze_one(AnalysisRequest(repository=INFO, commit=change.commit, facts=facts), "en")
    text = compatibility(analysis)
    assert "Breaking for callers: `Job.spec.queue`." in text
    assert text.count("JobSpec.Queue") == 1 and "Removed with them" in text


def test_a_removed_crd_field_with_no_generated_copy_says_nothing_more(tmp_path):
    before = {"config/crd/jobs.yaml": crd({"image": {"type": "string"}, "queue": {"type": "string"}})}
    facts, change, _ = commit_facts(
        tmp_path / "r", before, {"config/crd/jobs.yaml": crd({"image": {"type": "string"}})}
    )
    analysis = RulesAnalyzer().analyze_one(AnalysisRequest(repository=INFO, commit=change.commit, facts=facts), "en")
    assert "Removed with them" not in compatibility(analysis)


def renamed_after_a_release(tmp_path, released: str, language: str):
    repo = GitRepo.create(tmp_path)
    repo.commit("release", "2026-03-01T10:00:00+00:00", files={"api/shop.proto": released, "buf.yaml": BUF})
    repo.git("tag", "-a", "v1.5.0", "-m", "v1.5.0", env={"GIT_COMMITTER_DATE": "2026-03-01T11:00:00+00:00"})
    repo.commit(
        "add", "2026-03-02T10:00:00+00:00", files={"api/shop.proto": PROTO % "  int32 count = 2;\n"}, allow_empty=True
    )
    repo.commit("rename", "2026-03-03T10:00:00+00:00", files={"api/shop.proto": PROTO % "  int32 total = 2;\n"})
    (change,) = walk(repo.path / ".git", "HEAD", datetime(2026, 3, 3, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC))
    with GitBlobReader(repo.path / ".git") as blobs:
        facts = FactsEngine(blobs=blobs, releases=read_tags(repo.path / ".git")).extract(change)
    request = AnalysisRequest(repository=INFO, commit=change.commit, facts=facts)
    return RulesAnalyzer().analyze_one(request, language)


def test_a_released_element_s_break_says_the_release(tmp_path):
    analysis = renamed_after_a_release(tmp_path, PROTO % "  int32 count = 2;\n", "zh")
    assert analysis.importance.value == "high"
    assert "这些接口已在 v1.5.0 中发布。" in analysis.summary


def test_an_unreleased_element_s_break_says_no_release_had_it(tmp_path):
    analysis = renamed_after_a_release(tmp_path, PROTO % "", "en")
    assert analysis.importance.value != "high"
    assert "They were in no earlier release, so no released user depends on them." in analysis.summary
    assert "release v1.5.0" not in analysis.summary
