"""Python symbols: what changed, what is public, what breaks callers — and nothing invented."""

from support.facts import commit_facts, summary

BASE = '''"""Module."""

LIMIT = 10


def route(request, workers):
    return workers[0]


def _helper(x):
    return x


class Router:
    def pick(self, request):
        return None

    def _private(self):
        return 1
'''


def symbols(tmp_path, after: str, before: str = BASE, path: str = "pkg/router.py"):
    facts, _, _ = commit_facts(tmp_path / "r", {path: before}, {path: after})
    return summary(facts, "symbol")


def test_added_function_and_method(tmp_path):
    after = BASE + "\n\ndef balance(workers):\n    return workers\n"
    after = after.replace("    def _private(self):", "    def reset(self):\n        pass\n\n    def _private(self):")
    assert symbols(tmp_path, after) == {("balance", "added", True, False), ("Router.reset", "added", True, False)}


def test_removed_public_function_is_breaking_and_private_is_not(tmp_path):
    after = BASE.replace("def route(request, workers):\n    return workers[0]\n\n\n", "").replace(
        "def _helper(x):\n    return x\n\n\n", ""
    )
    assert symbols(tmp_path, after) == {("route", "removed", True, True), ("_helper", "removed", False, False)}


def test_optional_parameter_is_a_compatible_signature_change(tmp_path):
    after = BASE.replace("def route(request, workers):", "def route(request, workers, prefer_cache=True):")
    assert symbols(tmp_path, after) == {("route", "signature_changed", True, False)}


def test_required_parameter_breaks_callers(tmp_path):
    after = BASE.replace("def route(request, workers):", "def route(request, workers, policy):")
    assert symbols(tmp_path, after) == {("route", "signature_changed", True, True)}


def test_body_change_is_not_a_signature_change(tmp_path):
    after = BASE.replace("    return workers[0]", "    return workers[-1]")
    assert symbols(tmp_path, after) == {("route", "body_changed", True, False)}


def test_reformatting_is_not_a_change(tmp_path):
    after = BASE.replace("    return workers[0]", "    return workers[ 0 ]").replace("workers[ 0 ]", "workers[0]  ")
    assert symbols(tmp_path, after) == set()


def test_rename_with_the_same_body(tmp_path):
    after = BASE.replace("def route(request, workers):", "def dispatch(request, workers):")
    facts, _, _ = commit_facts(tmp_path / "r", {"pkg/router.py": BASE}, {"pkg/router.py": after})
    (fact,) = [f for f in facts.facts if f.kind == "symbol"]
    assert (fact.symbol, fact.change.value, fact.old_symbol, fact.breaking) == ("dispatch", "renamed", "route", True)


def test_dunder_all_decides_what_is_public(tmp_path):
    before = '__all__ = ["visible"]\n\n\ndef visible():\n    pass\n\n\ndef hidden():\n    pass\n'
    after = before.replace("def hidden():\n    pass\n", "")
    assert symbols(tmp_path, after, before) == {("hidden", "removed", False, False)}


def test_constants_and_decorated_functions(tmp_path):
    after = BASE.replace("LIMIT = 10", "LIMIT = 20\nTIMEOUT = 5") + "\n\n@cache\ndef cached():\n    return 1\n"
    assert symbols(tmp_path, after) == {
        ("LIMIT", "body_changed", True, False),
        ("TIMEOUT", "added", True, False),
        ("cached", "added", True, False),
    }


def test_comments_and_strings_are_not_symbols(tmp_path):
    after = BASE + '\n# def phantom(): this is a comment\nDOC = """\ndef ghost():\n    pass\n"""\n'
    assert symbols(tmp_path, after) == {("DOC", "added", True, False)}


def test_methods_of_a_private_class_are_private(tmp_path):
    before = "class _Impl:\n    def run(self):\n        pass\n"
    after = "class _Impl:\n    def run(self, x):\n        pass\n"
    assert symbols(tmp_path, after, before) == {("_Impl.run", "signature_changed", False, False)}


def test_new_file_lists_public_symbols_only_and_deleted_file_removes_them(tmp_path):
    facts, _, _ = commit_facts(tmp_path / "a", {"other.py": "X = 1\n"}, {"pkg/new.py": BASE})
    assert summary(facts, "symbol") == {
        ("LIMIT", "added", True, False),
        ("route", "added", True, False),
        ("Router", "added", True, False),
        ("Router.pick", "added", True, False),
    }
    facts, _, _ = commit_facts(tmp_path / "b", {"pkg/old.py": BASE}, {"pkg/old.py": None})
    assert ("route", "removed", True, True) in summary(facts, "symbol")


def test_test_files_are_not_read_for_symbols(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r", {"tests/test_x.py": BASE}, {"tests/test_x.py": BASE + "\ndef test_y():\n    pass\n"}
    )
    assert summary(facts, "symbol") == set()
