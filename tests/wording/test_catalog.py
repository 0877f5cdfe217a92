"""The one wording module: every locale has every key with the same placeholders, every signal
and security rule has its words, and no module outside wording/ holds words of its own."""

import ast
import re
import string
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from repodigest.facts.security_rules import rules as security_rules
from repodigest.facts.security_rules import title_of
from repodigest.wording import Catalog, labels, languages, plural

PACKAGE = Path(__file__).parents[2] / "src" / "repodigest"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Modules whose Chinese literals are data about the input, not words shown to readers, and why.
ALLOWED_MODULES = {
    # Grounding reads the model's Chinese answers: units, the full-width percent sign, sentence ends.
    "analysis/llm/grounding.py",
}
ALLOWED_LITERALS = {
    # A commit subject's own full stop, Chinese or not, is trimmed before the sentence adds one.
    "analysis/rules/writer.py": {".。 "},
}


# Keys whose callers offer several values, of which each language uses what reads well
# ("and 2 more" counts the hidden items, "等 5 项" the whole list).
OFFERED = {"more": {"count", "total"}}


def _locale(language: str) -> dict:
    return tomllib.loads(resources.files("repodigest.wording").joinpath(f"locales/{language}.toml").read_text("utf-8"))


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_there_are_chinese_and_english_locales():
    assert {"zh", "en"} <= set(languages())


@pytest.mark.parametrize("language", [lang for lang in languages() if lang != "en"])
def test_every_key_is_in_every_locale_with_the_same_placeholders(language):
    english, other = _flatten(_locale("en")), _flatten(_locale(language))
    # `key_one` is a singular form (plural() falls back to `key`): a language without one omits it.
    singular_only = {k for k in english if k.endswith("_one") and k.removesuffix("_one") in other}
    assert sorted(set(english) - set(other) - singular_only) == [], f"missing in {language}"
    assert sorted(set(other) - set(english)) == [], "missing in en"
    mismatched = {
        key: (english[key], other[key])
        for key in english
        if key in other
        and _placeholders(english[key]) != _placeholders(other[key])
        and not _placeholders(english[key]) | _placeholders(other[key]) <= OFFERED.get(key, set())
    }
    assert mismatched == {}


def test_every_signal_and_security_rule_has_its_words():
    signals = tomllib.loads(
        resources.files("repodigest.analysis.rules").joinpath("importance.toml").read_text("utf-8")
    )["signals"]
    for language in languages():
        catalog = Catalog(language)
        assert [name for name in signals if not catalog.reason(name)] == []
        assert [rule.id for rule in security_rules() if not catalog.security_title(rule.id)] == []
    assert title_of("k8s-privileged", "zh") == "特权容器"
    assert title_of("k8s-privileged", "en") == "Privileged container"


def test_a_language_without_a_locale_reads_english():
    assert Catalog("fr").text("report", "toc") == Catalog("en").text("report", "toc") == "📋 Contents"
    assert labels("fr") == labels("en")


def test_sentences_plural_and_lists():
    english, chinese = Catalog("en"), Catalog("zh")
    assert english.items(["a", "b", "c", "d", "a"]) == "`a`, `b`, `c` and 1 more"
    assert chinese.items(["a", "b", "c", "d"]) == "`a`、`b`、`c` 等 4 项"
    assert chinese.items(["a", "b"], code=False) == "a、b"
    assert english.joiner == " " and chinese.joiner == ""
    t = labels("en")
    assert plural(t, "release_since", 1) == "1 commit since {previous}"
    assert plural(t, "release_since", 2) == "{count} commits since {previous}"
    assert plural(labels("zh"), "release_since", 1) == labels("zh")["release_since"]


def _literals(tree: ast.AST):
    """Every string constant but docstrings (they explain, they are not shown)."""
    docstrings = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.value


def test_no_module_outside_wording_holds_chinese_words():
    found = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("wording/") or relative in ALLOWED_MODULES:
            continue
        allowed = ALLOWED_LITERALS.get(relative, set())
        cjk = sorted({s for s in _literals(ast.parse(path.read_text("utf-8"))) if CJK.search(s)} - allowed)
        if cjk:
            found[relative] = cjk
    for path in (PACKAGE / "render" / "templates").glob("*.j2"):
        if CJK.search(path.read_text("utf-8")):
            found[path.name] = [line for line in path.read_text("utf-8").splitlines() if CJK.search(line)]
    assert found == {}
