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
