import pytest

from repodigest.analysis.subject import read_subject


@pytest.mark.parametrize(
    ("subject", "change_type", "scope", "conventional", "breaking"),
    [
        ("feat(operator): add observedGeneration to DGD status (#6398)", "feat", "operator", True, False),
        ("fix!: drop Python 3.9", "fix", None, True, True),
        ("[Router][Bugfix] Return 400 for malformed request payloads (#1017)", "fix", "Router", False, False),
        ("[Feat][Helm] Add PodDisruptionBudget", "feat", "Helm", False, False),
        ("CI: migrate runners", "ci", None, True, False),
        ("plugins/posix: fix io_uring fallback", "fix", "plugins/posix", False, False),
        ("INFRA: Refactor memory section details. (#1370)", "refactor", "INFRA", False, False),
        ("Bump requests from 2.31.0 to 2.32.3", "deps", None, False, False),
        ('Revert "Add thing"', "revert", None, False, False),
        ("Do not fail silently on socket setup", "fix", None, False, False),
        ("Some words without a verb we know", None, None, False, False),
    ],
)
def test_read_subject(subject, change_type, scope, conventional, breaking):
    info = read_subject(subject)
    assert (info.change_type, info.scope, info.conventional, info.breaking) == (
        change_type,
        scope,
        conventional,
        breaking,
    )
