"""Protobuf wire surface, graded like buf: a field removed, renumbered or retyped breaks clients
(error), a rename may break them (warning), additions are new interfaces; layout, comments,
reordering, options on other lines and a message moved to another file of the package are
nothing."""

from support.facts import commit_facts

PROTO = """syntax = "proto3";

package shop.v1;

import "google/api/annotations.proto";

// The order service.
service Orders {
  rpc Get(GetRequest) returns (Order);
  rpc Watch(GetRequest) returns (stream Order);
}

message GetRequest {
  string id = 1;
}

message Order {
  string id = 1;
  int32 quantity = 2;
  Status status = 3;
  oneof payment {
    string card = 4;
    string voucher = 5;
  }
  map<string, string> labels = 6;
  message Line {
    string sku = 1;
  }
  repeated Line lines = 7;
}

enum Status {
  STATUS_UNSPECIFIED = 0;
  STATUS_OPEN = 1;
  STATUS_CLOSED = 2;
}
"""


def wire(facts) -> set[tuple]:
    return {(f.element, f.label, f.change.value, f.severity) for f in facts.facts if f.kind == "wire"}


def change(tmp_path, after: str, path: str = "api/shop/v1/shop.proto"):
    facts, _, _ = commit_facts(tmp_path / "r", {path: PROTO}, {path: after})
    return facts


def test_a_removed_field_breaks_clients(tmp_path):
    facts = change(tmp_path, PROTO.replace("  int32 quantity = 2;\n", ""))
    assert wire(facts) == {("field", "Order.quantity", "removed", "error")}
    (fact,) = facts.breaking
    assert (fact.evidence[0].side.value, fact.evidence[0].line, fact.evidence[0].excerpt) == (
        "old",
        19,
        "int32 quantity = 2;",
    )


def test_a_renumbered_field_breaks_the_wire(tmp_path):
    facts = change(tmp_path, PROTO.replace("int32 quantity = 2;", "int32 quantity = 8;"))
    assert wire(facts) == {("field", "Order.quantity: 2 → 8", "changed", "error")}


def test_a_retyped_field_breaks_the_wire_unless_the_scalars_are_wire_compatible(tmp_path):
    facts = change(
        tmp_path,
        PROTO.replace("int32 quantity = 2;", "int64 quantity = 2;")
        .replace("string sku = 1;", "bytes sku = 1;")
        .replace("Status status = 3;", "string status = 3;"),
    )
    assert wire(facts) == {
        ("field", "Order.quantity: int32 → int64", "changed", "warning"),
        ("field", "Order.Line.sku: string → bytes", "changed", "warning"),
        ("field", "Order.status: Status → string", "changed", "error"),
    }


def test_a_renamed_field_may_break_callers(tmp_path):
    facts = change(tmp_path, PROTO.replace("int32 quantity = 2;", "int32 count = 2;"))
    assert wire(facts) == {("field", "Order.quantity → Order.count", "renamed", "warning")}
    assert not facts.breaking and [f.label for f in facts.possibly_breaking] == ["Order.quantity → Order.count"]


def test_removed_rpc_and_enum_value_and_changed_streaming(tmp_path):
    after = (
        PROTO.replace("  rpc Get(GetRequest) returns (Order);\n", "")
        .replace("  STATUS_CLOSED = 2;\n", "")
        .replace("returns (stream Order)", "returns (Order)")
    )
    assert wire(change(tmp_path, after)) == {
        ("rpc", "Orders.Get", "removed", "error"),
        ("rpc", "Orders.Watch: (GetRequest) returns (stream Order) → (GetRequest) returns (Order)", "changed", "error"),
        ("enum_value", "Status.STATUS_CLOSED", "removed", "error"),
    }


def test_reserved_and_new_fields_rpcs_and_messages(tmp_path):
    after = (
        PROTO.replace("  int32 quantity = 2;\n", '  reserved 2;\n  reserved "quantity";\n')
        .replace("  repeated Line lines = 7;\n", "  repeated Line lines = 7;\n  string note = 9;\n")
        .replace("  rpc Watch", "  rpc Cancel(GetRequest) returns (Order);\n  rpc Watch")
        .replace("enum Status {", "message CancelReason {\n  string text = 1;\n}\n\nenum Status {")
    )
    facts = change(tmp_path, after)
    assert wire(facts) == {
        ("field", "Order.quantity", "removed", "error"),
        ("reserved", "Order reserved 2", "added", "info"),
        ("reserved", 'Order reserved "quantity"', "added", "info"),
        ("field", "Order.note", "added", "info"),
        ("rpc", "Orders.Cancel", "added", "info"),
        ("message", "CancelReason", "added", "info"),
    }
    assert {f.label for f in facts.new_interfaces} == {"Order.note", "Orders.Cancel", "CancelReason"}


def test_layout_comments_reordering_and_field_options_are_nothing(tmp_path):
    after = (
        PROTO.replace(
            "  string id = 1;\n  int32 quantity = 2;\n",
            "  // how many\n  int32   quantity=2 [deprecated = true];\n  string id = 1;  // the id\n",
        ).replace("message GetRequest {\n  string id = 1;\n}\n", "")
        + "\nmessage GetRequest {\n  string id = 1;\n}\n"
    )
    assert wire(change(tmp_path, after)) == set()


def test_a_message_moved_to_another_file_of_the_package_is_nothing(tmp_path):
    moved = "message Order {\n" + PROTO.split("message Order {\n", 1)[1].split("enum Status")[0]
    rest = PROTO.replace(moved, "")
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"api/shop/v1/shop.proto": PROTO},
        {
            "api/shop/v1/shop.proto": rest,
            "api/shop/v1/order.proto": 'syntax = "proto3";\n\npackage shop.v1;\n\n' + moved,
        },
    )
    assert wire(facts) == set()


def test_protos_in_examples_and_vendored_trees_are_not_the_projects_api(tmp_path):
    after = PROTO.replace("  int32 quantity = 2;\n", "")
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"examples/shop.proto": PROTO, "third_party/shop.proto": PROTO},
        {"examples/shop.proto": after, "third_party/shop.proto": after},
    )
    assert wire(facts) == set()


def test_an_unparsable_proto_is_said_so(tmp_path):
    facts = change(tmp_path, PROTO.replace("int32 quantity = 2;", "int32 quantity = ;"))
    assert wire(facts) == set()
    (file,) = facts.files
    assert file.note.startswith("could not be parsed as protobuf")


def test_a_removed_field_ranks_high_and_is_a_highlight(tmp_path):
    from repodigest.analysis.rules.importance import ImportanceRules, judge

    facts, commit_change, _ = commit_facts(
        tmp_path / "r", {"api/shop.proto": PROTO}, {"api/shop.proto": PROTO.replace("  int32 quantity = 2;\n", "")}
    )
    verdict = judge(commit_change.commit, facts, "change", ImportanceRules.load(), "en")
    assert verdict.level.value == "high" and "Order.quantity" in " ".join(verdict.reasons)


def test_a_removed_field_and_the_fields_renumbered_into_its_place(tmp_path):
    after = PROTO.replace(
        "  string id = 1;\n  int32 quantity = 2;\n  Status status = 3;\n",
        "  int32 quantity = 1;\n  Status status = 2;\n",
    )
    assert wire(change(tmp_path, after)) == {
        ("field", "Order.id", "removed", "error"),
        ("field", "Order.quantity: 2 → 1", "changed", "error"),
        ("field", "Order.status: 3 → 2", "changed", "error"),
    }


RENAMED = PROTO.replace("int32 quantity = 2;", "int32 count = 2;")
SPEC = '{\n  "swagger": "2.0",\n  "definitions": {\n    "v1Order": {\n      "properties": {\n%s      }\n    }\n  }\n}\n'
QUANTITY = '        "quantity": {"type": "integer"},\n'
COUNT = '        "count": {"type": "integer"},\n'


def renamed(facts):
    (fact,) = [f for f in facts.facts if f.kind == "wire" and f.change.value == "renamed"]
    return fact.severity, fact.name_on_wire


def test_a_rename_breaks_json_clients_when_a_rest_spec_of_the_commit_carries_the_json_name(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"api/shop.proto": PROTO, "openapi/openapiv2.json": SPEC % QUANTITY},
        {"api/shop.proto": RENAMED, "openapi/openapiv2.json": SPEC % COUNT},
    )
    assert renamed(facts) == ("error", "openapi")
    assert [f.label for f in facts.breaking] == ["Order.quantity → Order.count"]


def test_a_rest_spec_without_the_fields_json_name_leaves_the_rename_a_possible_break(tmp_path):
    other = '        "total": {"type": "integer"},\n'
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"api/shop.proto": PROTO, "openapi/openapiv2.json": SPEC % other, "data/quantity.json": '{"quantity": 1}'},
        {"api/shop.proto": RENAMED, "openapi/openapiv2.json": SPEC % (other + COUNT), "data/quantity.json": "{}"},
    )
    assert renamed(facts) == ("warning", None)


def test_a_rename_in_a_package_served_over_http_breaks_json_clients(tmp_path):
    http = PROTO.replace(
        "  rpc Get(GetRequest) returns (Order);",
        '  rpc Get(GetRequest) returns (Order) {\n    option (google.api.http) = {get: "/v1/orders/{id}"};\n  }',
    )
    assert renamed(change(tmp_path, http.replace("int32 quantity = 2;", "int32 count = 2;"), "api/shop.proto")) == (
        "error",
        "http",
    )


def test_a_rename_in_another_package_than_the_http_service_stays_a_possible_break(tmp_path):
    service = (
        'syntax = "proto3";\npackage gateway.v1;\nservice G {\n  rpc Get(A) returns (A) {\n'
        '    option (google.api.http) = {get: "/a"};\n  }\n}\nmessage A {\n  string a = 1;\n}\n'
    )
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"api/shop.proto": PROTO, "api/gateway.proto": service},
        {
            "api/shop.proto": RENAMED,
            "api/gateway.proto": service.replace("string a = 1;", "string a = 1;\n  string b = 2;"),
        },
    )
    assert renamed(facts) == ("warning", None)


def test_a_projects_buf_contract_that_keeps_names_makes_a_rename_a_sure_break(tmp_path):
    def run(root: str, categories: str):
        buf = f"version: v1\nbreaking:\n  use:\n{categories}"
        facts, _, _ = commit_facts(
            tmp_path / root, {"api/shop.proto": PROTO, "buf.yaml": buf}, {"api/shop.proto": RENAMED}
        )
        return renamed(facts)

    assert run("json", "    - WIRE_JSON\n") == ("error", "buf")
    assert run("file", "    - FILE\n") == ("error", "buf")
    assert run("wire", "    - WIRE\n") == ("warning", None)


def test_a_rename_is_judged_by_the_release_before_it(tmp_path):
    from datetime import UTC, datetime

    from repodigest.facts.engine import FactsEngine
    from repodigest.source.blobs import GitBlobReader
    from repodigest.source.releases import read_tags
    from repodigest.source.walk import walk
    from support.gitrepo import GitRepo

    def judged(root: str, released: str) -> tuple:
        repo = GitRepo.create(tmp_path / root)
        buf = "version: v1\nbreaking:\n  use:\n    - WIRE_JSON\n"
        repo.commit("released", "2026-03-01T10:00:00+00:00", files={"api/shop.proto": released, "buf.yaml": buf})
        repo.git("tag", "-a", "v1.5.0", "-m", "v1.5.0", env={"GIT_COMMITTER_DATE": "2026-03-01T11:00:00+00:00"})
        repo.commit("add quantity", "2026-03-02T10:00:00+00:00", files={"api/shop.proto": PROTO}, allow_empty=True)
        repo.commit("rename", "2026-03-03T10:00:00+00:00", files={"api/shop.proto": RENAMED})
        window = (datetime(2026, 3, 3, tzinfo=UTC), datetime(2026, 3, 4, tzinfo=UTC))
        (commit,) = walk(repo.path / ".git", "HEAD", *window)
        with GitBlobReader(repo.path / ".git") as blobs:
            facts = FactsEngine(blobs=blobs, releases=read_tags(repo.path / ".git")).extract(commit)
        (fact,) = [f for f in facts.facts if f.kind == "wire"]
        return fact.severity, fact.released_in, fact.unreleased

    assert judged("released", PROTO) == ("error", "v1.5.0", False)
    assert judged("unreleased", PROTO.replace("  int32 quantity = 2;\n", "")) == ("warning", None, True)


def test_a_removed_rpcs_request_and_response_are_named_on_its_fact(tmp_path):
    before = (
        PROTO.replace("  rpc Watch", "  rpc Cancel(CancelRequest) returns (CancelResponse);\n  rpc Watch")
        + "\nmessage CancelRequest {\n  string id = 1;\n  message Reason {\n    string text = 1;\n  }\n}\n"
        + "\nmessage CancelResponse {}\n\nmessage Unused {}\n"
    )
    after = before.replace("  rpc Cancel(CancelRequest) returns (CancelResponse);\n", "").split(
        "\nmessage CancelRequest"
    )[0]
    facts, _, _ = commit_facts(tmp_path / "r", {"api/shop.proto": before}, {"api/shop.proto": after})
    assert wire(facts) == {("rpc", "Orders.Cancel", "removed", "error"), ("message", "Unused", "removed", "warning")}
    (rpc,) = facts.breaking
    assert rpc.mirrors == ("CancelRequest", "CancelResponse")


def test_a_removed_rpcs_request_kept_for_another_rpc_is_no_mirror(tmp_path):
    facts = change(tmp_path, PROTO.replace("  rpc Get(GetRequest) returns (Order);\n", ""))
    (rpc,) = facts.breaking
    assert (rpc.label, rpc.mirrors) == ("Orders.Get", ())
