"""A path's language by its name; a `.h` header's by what it holds."""

from repodigest.facts.languages import header_language, language_of
from support.facts import commit_facts


def test_a_header_is_cpp_only_when_it_reads_as_cpp():
    assert language_of("include/a.h") == "c"
    assert header_language("include/a.h", "c", lambda: b"namespace n {\nint f();\n}\n") == "cpp"
    assert header_language("include/a.h", "c", lambda: b"int f(void);\n") == "c"
    assert header_language("include/a.h", "c", lambda: None) == "c"


def test_only_a_header_is_read():
    def unread() -> bytes:
        raise AssertionError("read")

    assert header_language("src/a.c", "c", unread) == "c"
    assert header_language("src/a.py", "python", unread) == "python"


def test_the_engine_classifies_a_source_header_by_its_content(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"include/a.h": "int f(void);\n", "include/b.h": "int g(void);\n"},
        {"include/a.h": "int f(void);\nint h(void);\n", "include/b.h": "namespace n {\nint g();\n}\n"},
    )
    assert {f.path: f.language for f in facts.files} == {"include/a.h": "c", "include/b.h": "cpp"}
