"""A YAML node tree's data, as PyYAML's SafeConstructor builds it, several times sooner.

Measured on mudler/LocalAI's 288 kB swagger.json: libyaml composes the node tree in ~13 ms, then
PyYAML's constructor (Python even under `CSafeLoader`) takes ~15 ms more to turn it into dicts,
lists and scalars: a method lookup, a resolver call and a generator per node, for anchors,
merge keys and recursive documents that API specs do not use. This builds the same objects
from a tree of plain mappings, sequences and the core scalar tags (strings as they are, other
scalars through SafeConstructor's own methods; a node met twice, an alias, gives the same
object, as PyYAML's does), and returns None at anything else (a merge key, a timestamp, a tag
of its own, a recursive alias, a key that is not a scalar), for the caller to use PyYAML's
constructor with its exact behaviour and errors.
"""

from __future__ import annotations

from collections.abc import Callable

import yaml

STR = "tag:yaml.org,2002:str"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
SCALARS: dict[str, Callable[[yaml.constructor.SafeConstructor, yaml.ScalarNode], object]] = {
    "tag:yaml.org,2002:null": yaml.constructor.SafeConstructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": yaml.constructor.SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": yaml.constructor.SafeConstructor.construct_yaml_float,
}


class Unusual(Exception):
    """The tree needs what only PyYAML's constructor does."""


def plain_data(node: yaml.Node, constructor: yaml.constructor.SafeConstructor) -> tuple[bool, object]:
    """(True, the data) for a plain tree; (False, None) when PyYAML's constructor must build it."""
    try:
        return True, _Builder(constructor).build(node)
    except (Unusual, RecursionError):
        return False, None


class _Builder:
    def __init__(self, constructor: yaml.constructor.SafeConstructor) -> None:
        self.constructor = constructor
        self.built: dict[int, object] = {}
        self.building: set[int] = set()

    def build(self, node: yaml.Node) -> object:
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        known = self.built.get(id(node))
        if known is not None:
            return known
        if id(node) in self.building:
            raise Unusual  # a recursive alias: PyYAML fills such objects in two steps
        self.building.add(id(node))
        if isinstance(node, yaml.MappingNode) and node.tag == MAP:
            data: object = {self._key(key): self.build(value) for key, value in node.value}
        elif isinstance(node, yaml.SequenceNode) and node.tag == SEQ:
            data = [self.build(item) for item in node.value]
        else:
            raise Unusual
        self.building.discard(id(node))
        self.built[id(node)] = data
        return data

    def _key(self, node: yaml.Node) -> object:
        if not isinstance(node, yaml.ScalarNode):
            raise Unusual  # PyYAML says whether such a key is hashable
        return self._scalar(node)

    def _scalar(self, node: yaml.ScalarNode) -> object:
        if node.tag == STR:
            return node.value
        construct = SCALARS.get(node.tag)
        if construct is None:
            raise Unusual  # merge keys, timestamps, binary, a tag of its own
        return construct(self.constructor, node)
