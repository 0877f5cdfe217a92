"""OpenAPI and Swagger documents, found by content and compared with local $refs resolved, graded
like oasdiff: a removed operation or response property, a parameter made required, a changed type
break clients; a removed request-only property or parameter may; additions are new interfaces.
Formatting, key order, JSON-vs-YAML copies and path parameter names produce nothing new."""

import json

import yaml

from support.facts import commit_facts

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "shop", "version": "1"},
    "paths": {
        "/orders/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "parameters": [
                    {"name": "expand", "in": "query", "schema": {"type": "string", "enum": ["lines", "customer"]}},
                    {"$ref": "#/components/parameters/Trace"},
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
                    }
                },
            },
            "delete": {"responses": {"204": {"description": "gone"}}},
        },
        "/orders": {
            "post": {
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewOrder"}}}},
                "responses": {"201": {"description": "made"}},
            }
        },
    },
    "components": {
        "parameters": {"Trace": {"name": "trace", "in": "header", "schema": {"type": "boolean"}}},
        "schemas": {
            "Order": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "quantity": {"type": "integer"},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "lines": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}},
                },
            },
            "NewOrder": {
                "type": "object",
                "properties": {
                    "sku": {"type": "string"},
                    "note": {"type": "string"},
                    "kind": {"type": "string", "enum": ["a", "b"]},
                },
            },
            "Status": {"type": "string", "enum": ["open", "closed"]},
        },
    },
}


def edit(change) -> dict:
    spec = json.loads(json.dumps(SPEC))
    change(spec)
    return spec


def dump(spec: dict) -> str:
    return yaml.safe_dump(spec, sort_keys=False)


def wire(facts) -> set[tuple]:
    return {(f.element, f.label, f.change.value, f.severity) for f in facts.facts if f.kind == "wire"}


def run(tmp_path, change, path="api/openapi.yaml", writer=dump):
    facts, _, _ = commit_facts(tmp_path / "r", {path: writer(SPEC)}, {path: writer(edit(change))})
    return facts


def test_a_removed_response_property_breaks_clients(tmp_path):
    facts = run(tmp_path, lambda s: s["components"]["schemas"]["Order"]["properties"].pop("quantity"))
    assert wire(facts) == {("property", "Order.quantity", "removed", "error")}
    (fact,) = facts.breaking
    assert fact.evidence[0].side.value == "old" and fact.evidence[0].excerpt == "quantity:"


def test_a_parameter_made_required_and_a_new_required_one_break_clients(tmp_path):
    def change(spec):
        get = spec["paths"]["/orders/{id}"]["get"]
        get["parameters"][0]["required"] = True
        get["parameters"].append({"name": "tenant", "in": "query", "required": True, "schema": {"type": "string"}})
        get["parameters"].append({"name": "page", "in": "query", "schema": {"type": "integer"}})

    assert wire(run(tmp_path, change)) == {
        ("parameter", "GET /orders/{id} expand: optional → required", "changed", "error"),
        ("parameter", "GET /orders/{id} tenant (required)", "added", "error"),
        ("parameter", "GET /orders/{id} page", "added", "info"),
    }


def test_removed_operation_parameter_request_property_and_enum_value(tmp_path):
    def change(spec):
        del spec["paths"]["/orders/{id}"]["delete"]
        spec["paths"]["/orders/{id}"]["get"]["parameters"].pop(0)
        new_order = spec["components"]["schemas"]["NewOrder"]["properties"]
        new_order.pop("note")
        new_order["kind"]["enum"] = ["a"]

    assert wire(run(tmp_path, change)) == {
        ("operation", "DELETE /orders/{id}", "removed", "error"),
        ("parameter", "GET /orders/{id} expand", "removed", "warning"),
        ("property", "NewOrder.note", "removed", "warning"),
        ("property", "NewOrder.kind enum b", "removed", "error"),
    }


def test_type_changes_through_references_and_inline_items(tmp_path):
    def change(spec):
        order = spec["components"]["schemas"]["Order"]["properties"]
        order["quantity"]["type"] = "string"
        order["lines"]["items"]["properties"]["sku"]["type"] = "integer"

    assert wire(run(tmp_path, change)) == {
        ("property", "Order.quantity: integer → string", "changed", "error"),
        ("property", "Order.lines[].sku: string → integer", "changed", "error"),
    }


def test_additions_are_new_interfaces(tmp_path):
    def change(spec):
        spec["paths"]["/orders"]["get"] = {"responses": {"200": {"description": "list"}}}
        spec["components"]["schemas"]["Order"]["properties"]["total"] = {"type": "number"}

    facts = run(tmp_path, change)
    assert wire(facts) == {
        ("operation", "GET /orders", "added", "info"),
        ("property", "Order.total", "added", "info"),
    }
    assert {f.label for f in facts.new_interfaces} == {"GET /orders", "Order.total"}


def test_swagger_2_in_json_with_definitions_and_body_parameters(tmp_path):
    swagger = {
        "swagger": "2.0",
        "paths": {
            "/v1/orders": {
                "post": {
                    "parameters": [{"name": "body", "in": "body", "schema": {"$ref": "#/definitions/v1Order"}}],
                    "responses": {"200": {"schema": {"$ref": "#/definitions/v1Order"}}},
                }
            }
        },
        "definitions": {
            "v1Order": {"type": "object", "properties": {"id": {"type": "string"}, "parentId": {"type": "string"}}}
        },
    }
    after = json.loads(json.dumps(swagger))
    del after["definitions"]["v1Order"]["properties"]["parentId"]
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"openapi/service.swagger.json": json.dumps(swagger, indent=2)},
        {"openapi/service.swagger.json": json.dumps(after, indent=2)},
    )
    assert wire(facts) == {("property", "v1Order.parentId", "removed", "error")}
    assert facts.breaking[0].evidence[0].excerpt == '"parentId": {'


def test_formatting_key_order_and_path_parameter_names_are_nothing(tmp_path):
    def change(spec):
        item = spec["paths"].pop("/orders/{id}")
        spec["paths"] = {"/orders/{orderId}": item, **spec["paths"]}
        spec["components"]["schemas"] = dict(reversed(list(spec["components"]["schemas"].items())))

    def flow(spec: dict) -> str:
        return yaml.safe_dump(spec, default_flow_style=True, width=60)

    facts, _, _ = commit_facts(
        tmp_path / "r", {"api/openapi.yaml": dump(SPEC)}, {"api/openapi.yaml": flow(edit(change))}
    )
    assert wire(facts) == set()


def test_json_and_yaml_copies_are_one_fact_with_both_pieces_of_evidence(tmp_path):
    def change(s):
        return s["components"]["schemas"]["Order"]["properties"].pop("quantity")

    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"api/openapi.yaml": dump(SPEC), "api/openapi.json": json.dumps(SPEC, indent=2)},
        {"api/openapi.yaml": dump(edit(change)), "api/openapi.json": json.dumps(edit(change), indent=2)},
    )
    (fact,) = [f for f in facts.facts if f.kind == "wire"]
    assert {e.path for e in fact.evidence} == {"api/openapi.yaml", "api/openapi.json"}


def test_yaml_that_is_not_an_openapi_document_is_not_read_as_one(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"config/app.yaml": "paths:\n  /a: {}\n", "tests/openapi.yaml": dump(SPEC)},
        {"config/app.yaml": "paths: {}\n", "tests/openapi.yaml": dump(edit(lambda s: s["paths"].clear()))},
    )
    assert wire(facts) == set()


def test_a_spec_generated_from_protobuf_keeps_only_its_routes(tmp_path):
    def generated(spec: dict) -> dict:
        spec["components"]["schemas"]["protobufAny"] = {"type": "object", "properties": {"@type": {"type": "string"}}}

    def change(spec):
        generated(spec)
        spec["components"]["schemas"]["Order"]["properties"].pop("quantity")
        spec["components"]["schemas"]["protobufAny"]["properties"]["typeUrl"] = {"type": "string"}
        del spec["paths"]["/orders/{id}"]["delete"]

    facts, _, _ = commit_facts(
        tmp_path / "r", {"openapi/v1.json": json.dumps(edit(generated))}, {"openapi/v1.json": json.dumps(edit(change))}
    )
    assert wire(facts) == {("operation", "DELETE /orders/{id}", "removed", "error")}
    assert facts.files[0].note == "generated from protobuf: its schemas are judged by the .proto files"
