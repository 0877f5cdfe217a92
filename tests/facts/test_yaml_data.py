"""Plain YAML and JSON trees are built into the same data as PyYAML's SafeConstructor builds
(types, key order, duplicate keys, shared aliases); anything else is left to PyYAML."""

import pytest
import yaml

from repodigest.facts.extractors._schemas import documents
from repodigest.facts.extractors._yaml_data import plain_data

PLAIN = [
    "openapi: 3.0.0\npaths:\n  /a:\n    get: {responses: {'200': {description: ok}}}\n",
    '{"swagger": "2.0", "n": 1, "f": 1.5, "e": 1e5, "g": 2.5e+3, "t": true, "z": null, "l": [1, "x", {}]}',
    "a: 0x1F\nb: 1_000\nc: .inf\nd: -.Inf\ne: ~\nf: yes\ng: 0o17\nh: 017\ni: '1'\nj: 1:30\n",
    "a: 1\na: 2\nb: [x, y]\n",
    "? 1\n: int key\n? null\n: null key\n",
]
UNUSUAL = [
    "base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n",
    "when: 2001-12-14\n",
    "blob: !!binary aGk=\n",
    "? [1, 2]\n: sequence key\n",
    "&a [*a]\n",
    "!custom x\n",
    "s: !!set {a, b}\n",
]


def pyyaml(text: str) -> object:
    return yaml.load(text, Loader=yaml.CSafeLoader)


def built(text: str) -> tuple[bool, object]:
    loader = yaml.CSafeLoader(text)
    try:
        return plain_data(loader.get_single_node(), loader)
    finally:
        loader.dispose()


def typed(data: object) -> object:
    """The data with every value's type beside it (1 == 1.0 == True, but not for a report)."""
    if isinstance(data, dict):
        return [(typed(k), typed(v)) for k, v in data.items()]
    if isinstance(data, list):
        return [typed(v) for v in data]
    return (type(data).__name__, repr(data))


@pytest.mark.parametrize("text", PLAIN)
def test_plain_trees_match_pyyaml(text):
    plain, data = built(text)
    assert plain
    assert typed(data) == typed(pyyaml(text))


@pytest.mark.parametrize("text", UNUSUAL)
def test_unusual_trees_are_left_to_pyyaml(text):
    assert built(text) == (False, None)


def test_documents_still_build_unusual_trees():
    merged = documents(UNUSUAL[0])[0].data
    assert merged == {"base": {"x": 1}, "derived": {"x": 1, "y": 2}}
    with pytest.raises(yaml.YAMLError):
        documents(UNUSUAL[-2])  # SafeConstructor's own error for a tag it does not know


def test_an_alias_is_the_same_object():
    data = documents("a: &x {b: 1}\nc: *x\n")[0].data
    assert isinstance(data, dict)
    assert data["a"] is data["c"]
