from support.facts import commit_facts, summary


def kinds(tmp_path, before, after, message="change"):
    facts, _, _ = commit_facts(tmp_path / "r", before, after, message=message)
    return summary(facts, "change_kind")


def test_only_categories(tmp_path):
    assert kinds(tmp_path / "a", {"docs/a.md": "a\n"}, {"docs/a.md": "b\n", "README.md": "x\n"}) == {"docs_only"}
    assert kinds(tmp_path / "b", {"tests/test_a.py": "a = 1\n"}, {"tests/test_a.py": "a = 2\n"}) == {"tests_only"}
    assert kinds(tmp_path / "c", {}, {".github/workflows/ci.yml": "on: push\n"}) == {"ci_only"}
    assert kinds(tmp_path / "d", {"Makefile": "a:\n"}, {"Makefile": "b:\n"}) == {"build_only"}
    assert kinds(
        tmp_path / "e",
        {"requirements.txt": "a==1\n", "poetry.lock": ""},
        {"requirements.txt": "a==2\n", "poetry.lock": "x\n"},
    ) == {"dependencies_only", "lockfile"}


def test_mixed_categories_and_code_without_tests(tmp_path):
    found = kinds(
        tmp_path,
        {"src/a.py": "a = 1\n"},
        {
            "src/a.py": "a = 2\n",
            "vendor/lib/x.go": "package x\n",
            "api.pb.go": "package api\n",
            "logo.png": bytes(range(256)),
        },
    )
    assert found == {"vendored", "generated", "binary", "code_without_tests"}


def test_code_with_tests_is_not_flagged(tmp_path):
    assert "code_without_tests" not in kinds(
        tmp_path, {"src/a.py": "a = 1\n", "tests/test_a.py": ""}, {"src/a.py": "a = 2\n", "tests/test_a.py": "x = 1\n"}
    )


def test_revert_names_what_it_reverts(tmp_path):
    message = 'Revert "Add thing"\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.\n'
    facts, _, _ = commit_facts(tmp_path / "r", {"src/a.py": "a = 1\n"}, {"src/a.py": "a = 2\n"}, message=message)
    (revert,) = [f for f in facts.facts if f.kind == "change_kind" and f.category == "revert"]
    assert revert.reverts == "0123456789abcdef0123456789abcdef01234567"
