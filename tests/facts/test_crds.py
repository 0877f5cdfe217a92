"""Kubernetes CRDs: per version of a CustomResourceDefinition, removed fields, newly required
fields, changed types and enum values break users' manifests; a changed `default:` is a changed
default; removed versions and a changed storage version are named; generated copies (a Helm
chart's crds/, kustomize bases) and versions sharing a schema are one fact; formatting and key
order are nothing."""

import copy

import yaml

from support.facts import commit_facts, summary


def schema() -> dict:
    return {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "required": ["image"],
                "properties": {
                    "image": {"type": "string"},
                    "replicas": {"type": "integer", "default": 1},
                    "suspend": {"type": "boolean", "default": False},
                    "mode": {"type": "string", "enum": ["fast", "safe"]},
                    "workers": {
                        "type": "array",
                        "items": {"type": "object", "properties": {"gpus": {"type": "integer"}}},
                    },
                },
            },
            "status": {"type": "object", "properties": {"ready": {"type": "boolean"}}},
        },
    }


def crd(versions=("v1alpha1", "v1"), storage="v1", edit=None) -> dict:
    document = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "rayclusters.ray.io"},
        "spec": {
            "group": "ray.io",
            "names": {"kind": "RayCluster", "plural": "rayclusters"},
            "scope": "Namespaced",
            "versions": [
                {"name": v, "served": True, "storage": v == storage, "schema": {"openAPIV3Schema": schema()}}
                for v in versions
            ],
        },
    }
    if edit:
        for version in document["spec"]["versions"]:
            edit(version["schema"]["openAPIV3Schema"]["properties"])
    return document


def dump(document: dict) -> str:
    return "---\n" + yaml.safe_dump(document, sort_keys=False)


BASES = "config/crd/bases/ray.io_rayclusters.yaml"
CHART = "helm-chart/ray-operator/crds/ray.io_rayclusters.yaml"


def wire(facts) -> set[tuple]:
    return {(f.element, f.label, f.change.value, f.severity) for f in facts.facts if f.kind == "wire"}


def run(tmp_path, after: dict, before: dict | None = None, paths=(BASES,)):
    before = before or crd()
    facts, _, _ = commit_facts(tmp_path / "r", {p: dump(before) for p in paths}, {p: dump(after) for p in paths})
    return facts


def test_a_removed_field_is_one_fact_for_every_version_and_copy(tmp_path):
    facts = run(tmp_path, crd(edit=lambda p: p["spec"]["properties"].pop("mode")), paths=(BASES, CHART))
    assert wire(facts) == {("property", "RayCluster.spec.mode", "removed", "error")}
    (fact,) = facts.breaking
    assert {e.path for e in fact.evidence} == {BASES, CHART}
    assert all(e.excerpt == "mode:" and e.side.value == "old" for e in fact.evidence)


def test_a_changed_default_is_a_changed_default(tmp_path):
    def edit(properties):
        properties["spec"]["properties"]["replicas"]["default"] = 2
        properties["spec"]["properties"]["suspend"]["default"] = True

    facts = run(tmp_path, crd(edit=edit), paths=(BASES, CHART))
    assert summary(facts, "changed_default") == {
        ("RayCluster.spec.replicas", "1", "2", False),
        ("RayCluster.spec.suspend", "false", "true", True),
    }
    assert wire(facts) == set()
    (suspend,) = [f for f in facts.changed_defaults if f.top_level]
    assert suspend.evidence[0].excerpt == "default: true" and {e.path for e in suspend.evidence} == {BASES, CHART}


def test_newly_required_retyped_and_enum_value_removed(tmp_path):
    def edit(properties):
        spec = properties["spec"]
        spec["required"] = ["image", "replicas"]
        spec["properties"]["workers"]["items"]["properties"]["gpus"]["type"] = "string"
        spec["properties"]["mode"]["enum"] = ["safe"]
        spec["properties"]["queue"] = {"type": "string"}
        properties["status"]["properties"].pop("ready")

    assert wire(run(tmp_path, crd(edit=edit))) == {
        ("property", "RayCluster.spec.replicas: optional → required", "changed", "error"),
        ("property", "RayCluster.spec.workers[].gpus: integer → string", "changed", "error"),
        ("property", "RayCluster.spec.mode enum fast", "removed", "error"),
        ("property", "RayCluster.spec.queue", "added", "info"),
        ("property", "RayCluster.status.ready", "removed", "error"),
    }


def test_removed_version_and_changed_storage_version(tmp_path):
    facts = run(tmp_path, crd(versions=("v1", "v2"), storage="v2"))
    assert wire(facts) == {
        ("version", "RayCluster v1alpha1", "removed", "error"),
        ("version", "RayCluster v2", "added", "info"),
        ("storage_version", "RayCluster: v1 → v2", "changed", "warning"),
    }


def test_formatting_key_order_and_a_new_bundle_layout_are_nothing(tmp_path):
    reordered = crd()
    reordered["spec"]["versions"].reverse()
    text = yaml.safe_dump(reordered, sort_keys=True, default_flow_style=None, width=40)
    other = copy.deepcopy(crd())
    other["metadata"]["name"] = "rayjobs.ray.io"
    other["spec"]["names"] = {"kind": "RayJob", "plural": "rayjobs"}
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {BASES: dump(crd()), "deploy/bundle.yaml": dump(other)},
        {BASES: "# generated\n" + text, "deploy/bundle.yaml": dump(other) + "# trailing comment\n"},
    )
    assert wire(facts) == set() and summary(facts, "changed_default") == set()


def test_crds_in_tests_and_examples_and_non_crd_yaml_are_not_read(tmp_path):
    after = dump(crd(edit=lambda p: p["spec"]["properties"].pop("mode")))
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"test/crd.yaml": dump(crd()), "examples/crd.yaml": dump(crd()), "config/app.yaml": "kind: Deployment\n"},
        {"test/crd.yaml": after, "examples/crd.yaml": after, "config/app.yaml": "kind: Deployment\nspec: {}\n"},
    )
    assert wire(facts) == set()


def test_a_removed_crd_field_ranks_high(tmp_path):
    from repodigest.analysis.rules.importance import ImportanceRules, judge

    facts, change, _ = commit_facts(
        tmp_path / "r", {BASES: dump(crd())}, {BASES: dump(crd(edit=lambda p: p["spec"]["properties"].pop("mode")))}
    )
    verdict = judge(change.commit, facts, "change", ImportanceRules.load(), "en")
    assert verdict.level.value == "high"


def test_a_default_added_to_an_existing_field_or_dropped_from_one_is_a_changed_default(tmp_path):
    def edit(properties):
        properties["spec"]["properties"]["mode"]["default"] = "safe"
        properties["spec"]["properties"]["replicas"].pop("default")

    facts = run(tmp_path, crd(edit=edit))
    assert summary(facts, "changed_default") == {
        ("RayCluster.spec.mode", "unset", "safe", False),
        ("RayCluster.spec.replicas", "1", "unset", False),
    }
    added, dropped = sorted(facts.changed_defaults, key=lambda f: f.key)
    assert (added.evidence[0].side.value, added.evidence[0].excerpt) == ("new", "default: safe")
    assert (dropped.evidence[0].side.value, dropped.evidence[0].excerpt) == ("old", "default: 1")


def test_a_new_field_with_a_default_is_a_new_field_not_a_changed_default(tmp_path):
    facts = run(tmp_path, crd(edit=lambda p: p["spec"]["properties"].update(queue={"type": "string", "default": "q"})))
    assert summary(facts, "changed_default") == set()
    assert wire(facts) == {("property", "RayCluster.spec.queue", "added", "info")}


TYPES_BEFORE = """package v1

type RayClusterSpec struct {
\tImage string `json:"image"`
\t// mode picks the scheduler.
\tMode *ModePolicy `json:"mode,omitempty"`
}

type ModePolicy struct {
\tName string `json:"name"`
}
"""
TYPES_AFTER = """package v1

type RayClusterSpec struct {
\tImage string `json:"image"`
}
"""
APPLY_BEFORE = """package v1

type RayClusterSpecApplyConfiguration struct {
\tImage *string                   `json:"image,omitempty"`
\tMode  *ModePolicyApplyConfiguration `json:"mode,omitempty"`
}

func (b *RayClusterSpecApplyConfiguration) WithImage(value string) *RayClusterSpecApplyConfiguration {
\tb.Image = &value
\treturn b
}

func (b *RayClusterSpecApplyConfiguration) WithMode(v *ModePolicyApplyConfiguration) *RayClusterSpecApplyConfiguration {
\tb.Mode = v
\treturn b
}

type ModePolicyApplyConfiguration struct {
\tName *string `json:"name,omitempty"`
}
"""
APPLY_AFTER = """package v1

type RayClusterSpecApplyConfiguration struct {
\tImage *string `json:"image,omitempty"`
}

func (b *RayClusterSpecApplyConfiguration) WithImage(value string) *RayClusterSpecApplyConfiguration {
\tb.Image = &value
\treturn b
}
"""
MODEL_BEFORE = """from pydantic import BaseModel, Field


class RayV1RayClusterSpec(BaseModel):
    image: str = Field(alias="image")
    mode: Optional[RayV1ModePolicy] = Field(default=None, alias="mode")
"""
MODEL_AFTER = """from pydantic import BaseModel, Field


class RayV1RayClusterSpec(BaseModel):
    image: str = Field(alias="image")
"""
MODELS_INIT = "from sdk.models.ray_v1_mode_policy import RayV1ModePolicy\n"


def test_a_removed_fields_generated_go_and_python_copies_are_named_on_its_fact(tmp_path):
    code = {
        "apis/ray/v1/raycluster_types.go": (TYPES_BEFORE, TYPES_AFTER),
        "pkg/client/applyconfiguration/ray/v1/rayclusterspec.go": (APPLY_BEFORE, APPLY_AFTER),
        "sdk/models/ray_v1_ray_cluster_spec.py": (MODEL_BEFORE, MODEL_AFTER),
        "sdk/models/__init__.py": (MODELS_INIT, ""),
    }
    before = {BASES: dump(crd()), **{path: texts[0] for path, texts in code.items()}}
    after = {
        BASES: dump(crd(edit=lambda p: p["spec"]["properties"].pop("mode"))),
        **{path: texts[1] for path, texts in code.items()},
    }
    facts, _, _ = commit_facts(tmp_path / "r", before, after)
    (fact,) = [f for f in facts.facts if f.kind == "wire"]
    assert fact.label == "RayCluster.spec.mode" and fact.mirrors == (
        "RayClusterSpec.Mode",
        "RayClusterSpecApplyConfiguration.Mode",
        "ModePolicy",
        "ModePolicyApplyConfiguration",
        "RayClusterSpecApplyConfiguration.WithMode",
        "RayV1RayClusterSpec.mode",
        "RayV1ModePolicy",
    )


def test_code_that_keeps_the_field_or_only_realigns_it_is_no_mirror(tmp_path):
    realigned = APPLY_BEFORE.replace("Image *string                   ", "Image *string ")
    before = {BASES: dump(crd()), "apis/ray/v1/raycluster_types.go": TYPES_BEFORE, "pkg/apply.go": APPLY_BEFORE}
    after = {
        BASES: dump(crd(edit=lambda p: p["spec"]["properties"].pop("mode"))),
        "apis/ray/v1/raycluster_types.go": TYPES_BEFORE.replace("// mode picks", "// mode chooses"),
        "pkg/apply.go": realigned.replace("Mode  *Mode", "Mode *Mode"),
    }
    facts, _, _ = commit_facts(tmp_path / "r", before, after)
    (fact,) = [f for f in facts.facts if f.kind == "wire"]
    assert fact.mirrors == ()
