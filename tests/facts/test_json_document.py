"""JSON read with `json` gives the data and the key lines libyaml gives for the same text, and
text that YAML reads otherwise is left to libyaml."""

import pytest
import yaml

from repodigest.facts.extractors._json_document import json_data
from repodigest.facts.extractors._schemas import Document, documents

SPEC = """{
  "swagger": "2.0",
  "info": {"title": "Shop", "version": "1"},
  "paths": {
    "/orders/{id}": {
      "get": {
        "parameters": [
          {"name": "id", "in": "path", "required": true},
          {"name": "limit", "in": "query", "type": "integer", "default": 10}
        ],
        "responses": {"200": {"schema": {"$ref": "#/definitions/Order"}}}
      }
    }
  },
  "definitions": {
    "Order": {
      "type": "object",
      "properties": {
        "ratio": {"type": "number", "default": 1.5, "maximum": 1e5, "minimum": -2.5E+3},
        "note": {"type": "string", "default": "caf\\u00e9 \\"x\\" \\/ y", "enum": ["a",
          "b"]},
        "nothing": {"default": null, "x-nan": NaN},
        "twice": 1, "twice": 2
      }
    }
  }
}
"""
YAML_READS_OTHERWISE = [
    '{"a": "\\ud83d\\ude00"}',  # libyaml refuses escaped surrogates
    '{"a"\n  : 1}',  # a key on another line than its colon
    '{"a": 1}\r{"b": 2}',  # a lone CR is a line break to YAML
    '{"a": "x\u2028y"}',
    '\t{"a": 1}',
    '{"a": 1}\n\t',
    '{"a": "x\ty"}',  # a raw tab in a string: YAML reads it, json does not
    "[1, 2]",
    "a: 1\n",
]


def from_yaml(text: str) -> Document:
    loader = yaml.CSafeLoader(text)
    try:
        node = loader.get_single_node()
        return Document(loader.construct_document(node), node, text.split("\n"))
    finally:
        loader.dispose()


def typed(data: object) -> object:
    if isinstance(data, dict):
        return [(typed(k), typed(v)) for k, v in data.items()]
    if isinstance(data, list):
        return [typed(v) for v in data]
    return (type(data).__name__, repr(data))


def every_path(data: object, path: tuple = ()):
    yield path
    yield (*path, "missing")
    yield (*path, 7)
    if isinstance(data, dict):
        for key, value in data.items():
            yield from every_path(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from every_path(value, (*path, index))


@pytest.mark.parametrize("text", [SPEC, SPEC.replace("\n", "\r\n"), '  {"a": {}}  \n'])
def test_same_data_and_lines_as_yaml(text):
    read, expected = documents(text)[0], from_yaml(text)
    assert read.json_lines is not None  # read as JSON, not by libyaml
    assert typed(read.data) == typed(expected.data)
    for path in every_path(expected.data):
        assert read.line(path) == expected.line(path), path


def test_numbers_are_what_yaml_makes_of_them():
    data = json_data(SPEC)
    assert data is not None
    ratio = data["definitions"]["Order"]["properties"]["ratio"]
    assert (ratio["default"], ratio["maximum"], ratio["minimum"]) == (1.5, "1e5", -2500.0)


@pytest.mark.parametrize("text", YAML_READS_OTHERWISE)
def test_text_yaml_reads_otherwise_goes_to_libyaml(text):
    assert json_data(text) is None
