"""TypeScript re-exports at a package's entry points are public surface: a removed one breaks
imports (a type-only one may break type-checking callers), a moved one with the same public path
is nothing, and re-exports inside the package (barrel files) are not the package's surface."""

from support.facts import commit_facts

PACKAGE = '{"name": "lib", "exports": {".": "./dist/index.js", "./cors": "./dist/cors/index.js"}}\n'
INDEX = """export { Router, createRouter as makeRouter } from './router';
export type { Options } from './options';
export * from './helpers';
"""


def reexports(facts) -> set[tuple]:
    return {
        (f.symbol, f.change.value, f.public, f.breaking, f.confidence)
        for f in facts.facts
        if f.kind == "symbol" and f.symbol_kind == "reexport"
    }


def test_a_removed_value_reexport_at_the_entry_point_breaks_callers(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"package.json": PACKAGE, "src/index.ts": INDEX},
        {"src/index.ts": INDEX.replace("Router, createRouter as makeRouter", "Router")},
    )
    assert reexports(facts) == {("makeRouter", "removed", True, True, "high")}
    assert [f.label for f in facts.breaking] == ["makeRouter"]
    (surface,) = [f for f in facts.files if f.path == "src/index.ts"]
    assert surface.surface_reason == "package entry point"


def test_a_removed_type_reexport_may_break(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"package.json": PACKAGE, "src/index.ts": INDEX},
        {"src/index.ts": INDEX.replace("export type { Options } from './options';\n", "")},
    )
    assert reexports(facts) == {("Options", "removed", True, True, "low")}
    assert not facts.breaking and [f.label for f in facts.possibly_breaking] == ["Options"]


def test_a_removed_star_reexport_is_a_removal(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"package.json": PACKAGE, "src/cors/index.ts": "export * from './impl';\nexport * from './types';\n"},
        {"src/cors/index.ts": "export * from './impl';\n"},
    )
    assert reexports(facts) == {("* from ./types", "removed", True, True, "high")}


def test_a_reexport_from_another_module_keeps_the_public_path(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"package.json": PACKAGE, "src/index.ts": INDEX},
        {"src/index.ts": INDEX.replace("'./router'", "'./routing/router'").replace("'./options'", '"./opts"')},
    )
    assert reexports(facts) == set() and not facts.breaking and not facts.possibly_breaking


def test_a_definition_moved_behind_a_reexport_is_a_move(tmp_path):
    before = "export interface Options { port: number }\nexport function serve(o: Options): void {}\n"
    after = "export type { Options } from './options';\nexport function serve(o: Options): void {}\n"
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"package.json": PACKAGE, "src/index.ts": before},
        {"src/index.ts": after, "src/options.ts": "export interface Options { port: number }\n"},
    )
    assert not facts.breaking and not facts.possibly_breaking
    assert [f for f in facts.facts if f.kind == "symbol" and f.evidence[0].path == "src/index.ts"] == []


def test_reordered_and_reformatted_reexports_are_nothing(tmp_path):
    reordered = "export * from \"./helpers\";\nexport type { Options } from './options';\n" + (
        "export {\n  createRouter as makeRouter,\n  Router,\n} from './router';\n"
    )
    facts, _, _ = commit_facts(
        tmp_path / "r", {"package.json": PACKAGE, "src/index.ts": INDEX}, {"src/index.ts": reordered}
    )
    assert [f for f in facts.facts if f.kind == "symbol"] == []


def test_a_barrel_file_inside_the_package_is_not_the_entry_point(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"package.json": PACKAGE, "src/index.ts": INDEX, "src/util/barrel.ts": "export { a, b } from './ab';\n"},
        {"src/util/barrel.ts": "export { a } from './ab';\n"},
    )
    assert reexports(facts) == {("b", "removed", False, False, "high")}


def test_without_a_manifest_index_files_are_the_entry_points(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"src/index.ts": "export { a, b } from './ab';\n"},
        {"src/index.ts": "export { a } from './ab';\n"},
    )
    assert reexports(facts) == {("b", "removed", True, True, "high")}


def test_a_new_reexport_at_the_entry_point_is_new_public_api(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"package.json": PACKAGE, "src/index.ts": INDEX},
        {"src/index.ts": INDEX + "export { compose } from './compose';\n"},
    )
    assert reexports(facts) == {("compose", "added", True, False, "high")}
