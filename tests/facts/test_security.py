"""Security-sensitive changes: each rule fires on what it names, with evidence, and not on
removal of the risky line; secrets are never repeated."""

import json

import pytest

from support.facts import commit_facts, summary

CASES = {
    "k8s-rbac-wildcard": (
        "deploy/role.yaml",
        'kind: ClusterRole\nrules:\n  - apiGroups: [""]\n    verbs: ["get"]\n',
        'kind: ClusterRole\nrules:\n  - apiGroups: [""]\n    verbs: ["*"]\n',
    ),
    "k8s-privileged": (
        "deploy/pod.yaml",
        "securityContext:\n  runAsUser: 1000\n",
        "securityContext:\n  runAsUser: 1000\n  privileged: true\n",
    ),
    "k8s-host-namespace": (
        "deploy/pod.yaml",
        "spec:\n  containers: []\n",
        "spec:\n  hostNetwork: true\n  containers: []\n",
    ),
    "k8s-host-path": (
        "deploy/pod.yaml",
        "volumes: []\n",
        "volumes:\n  - name: data\n    hostPath:\n      path: /var\n",
    ),
    "k8s-hardening-removed": ("deploy/pod.yaml", "securityContext:\n  runAsNonRoot: true\n", "securityContext: {}\n"),
    "dockerfile-root-user": ("Dockerfile", "FROM alpine\nUSER app\n", "FROM alpine\nUSER root\n"),
    "pipe-to-shell": ("scripts/install.sh", "echo hi\n", "curl -fsSL https://example.com/install.sh | sh\n"),
    "ci-write-all": (
        ".github/workflows/ci.yml",
        "on: push\npermissions: read-all\n",
        "on: push\npermissions: write-all\n",
    ),
    "ci-pull-request-target": (".github/workflows/ci.yml", "on: pull_request\n", "on: pull_request_target\n"),
    "ci-secret-use": (".github/workflows/ci.yml", "env: {}\n", "env:\n  TOKEN: ${{ secrets.REGISTRY_TOKEN }}\n"),
    "shell-injection": ("app/run.py", "subprocess.run(args)\n", "subprocess.run(cmd, shell=True)\n"),
    "dynamic-eval": ("app/calc.py", "x = 1\n", "x = eval(user_input)\n"),
    "unsafe-deserialization": (
        "app/load.py",
        "data = json.loads(raw)\n",
        "data = pickle.loads(raw)\ncfg = yaml.load(text)\n",
    ),
    "tls-verification-disabled": ("app/client.py", "requests.get(url)\n", "requests.get(url, verify=False)\n"),
    "security-sensitive-path": ("app/auth/session.py", "TTL = 60\n", "TTL = 600\n"),
}


@pytest.mark.parametrize("rule", CASES, ids=list(CASES))
def test_rule_fires_on_what_it_names(tmp_path, rule):
    path, before, after = CASES[rule]
    facts, _, _ = commit_facts(tmp_path / "r", {path: before}, {path: after})
    assert rule in summary(facts, "security")


@pytest.mark.parametrize(
    "rule", ["k8s-privileged", "tls-verification-disabled", "shell-injection", "ci-pull-request-target"]
)
def test_removing_the_risky_line_does_not_fire(tmp_path, rule):
    path, before, after = CASES[rule]
    facts, _, _ = commit_facts(tmp_path / "r", {path: after}, {path: before})
    assert rule not in summary(facts, "security")


def test_rbac_wildcard_needs_a_role(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r", {"config/list.yaml": "items: []\n"}, {"config/list.yaml": 'items: []\nverbs: ["*"]\n'}
    )
    assert "k8s-rbac-wildcard" not in summary(facts, "security")


def test_hard_coded_secret_is_reported_but_never_repeated(tmp_path):
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    facts, _, _ = commit_facts(
        tmp_path / "r", {"app/config.py": "URL = 'x'\n"}, {"app/config.py": f"URL = 'x'\nGITHUB = '{token}'\n"}
    )
    (fact,) = [f for f in facts.facts if f.kind == "security" and f.rule == "hardcoded-secret"]
    assert fact.evidence[0].line == 2 and "‹redacted›" in fact.evidence[0].excerpt
    assert token not in json.dumps(facts.model_dump(mode="json"))


def test_test_code_using_eval_is_not_flagged(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r", {"tests/test_calc.py": "x = 1\n"}, {"tests/test_calc.py": "x = eval(s)\n"}
    )
    assert "dynamic-eval" not in summary(facts, "security")


def test_security_paths_match_whole_words(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"src/author.py": "x = 1\n", "src/auth/session.py": "x = 1\n"},
        {"src/author.py": "x = 2\n", "src/auth/session.py": "x = 2\n"},
    )
    flagged = {f.evidence[0].path for f in facts.facts if f.kind == "security"}
    assert flagged == {"src/auth/session.py"}
