"""Symbols in Go, Rust, TypeScript, TSX, JavaScript, Java, C and C++: found with each
language's notion of public, and never invented from comments or strings."""

import pytest

from support.facts import commit_facts, summary

GO = """package router

// Route picks a worker. func Phantom() is only a comment.
func Route(r Request) Worker { return pick(r) }

func pick(r Request) Worker { return Worker{} }

type Worker struct {
	Load int
}

func (w *Worker) Busy() bool { return w.Load > 0 }

const MaxWorkers = 8
"""

RUST = """pub struct Router { workers: Vec<u8> }

impl Router {
    pub fn new() -> Self { Router { workers: vec![] } }
    fn internal(&self) {}
}

pub(crate) fn crate_only() {}

pub fn route(r: u8) -> u8 { r }

pub const LIMIT: u32 = 4;
"""

TS = """// export function phantom() {} is a comment
export function route(req: Request, workers: Worker[]): Worker { return workers[0]; }

function helper(): void {}

export class Router {
  pick(req: Request) { return null; }
  private secret() {}
}

export interface Worker { load: number }

export const LIMIT = 4;
"""

JS = """function internal() {}

export function route(req, workers) { return workers[0]; }

export const pick = (workers) => workers[0];
"""

JAVA = """package app;

public class Router {
    public static final int LIMIT = 4;

    public Worker route(Request r) { return null; }

    void internal() {}

    private void secret() {}
}
"""

C_HEADER = """#define MAX_WORKERS 8

int route(int request);

static int helper(void) { return 0; }

struct worker { int load; };
"""

CPP = """namespace net {
class Router {
public:
    void route(int request);
private:
    void secret();
};

int pick(int request) { return request; }
}
"""

CASES = {
    "go: added, removed, re-signatured, exported or not": (
        "router/router.go",
        GO,
        GO.replace("func Route(r Request) Worker", "func Route(r Request, policy Policy) Worker")
        .replace("func pick(r Request) Worker { return Worker{} }\n", "")
        .replace("const MaxWorkers = 8", "const MaxWorkers = 8\n\nfunc Drain() {}\n"),
        {
            ("Route", "signature_changed", True, True),
            ("pick", "removed", False, False),
            ("Drain", "added", True, False),
        },
    ),
    "go: method and struct": (
        "router/router.go",
        GO,
        GO.replace("func (w *Worker) Busy() bool { return w.Load > 0 }", "").replace(
            "\tLoad int\n", "\tLoad int\n\tName string\n"
        ),
        {("Worker.Busy", "removed", True, True), ("Worker", "body_changed", True, False)},
    ),
    "rust: pub, pub(crate) and impl methods": (
        "src/router.rs",
        RUST,
        RUST.replace("pub fn route(r: u8) -> u8 { r }", "pub fn route(r: u8, w: u8) -> u8 { r + w }")
        .replace("pub(crate) fn crate_only() {}\n", "")
        .replace("    fn internal(&self) {}\n", "    fn internal(&self) {}\n    pub fn len(&self) -> usize { 0 }\n"),
        {
            ("route", "signature_changed", True, True),
            ("crate_only", "removed", False, False),
            ("Router::len", "added", True, False),
        },
    ),
    "typescript: exports, class members, interfaces": (
        "src/router.ts",
        TS,
        TS.replace(
            "export function route(req: Request, workers: Worker[])",
            "export function route(req: Request, workers: Worker[], opts?: Options)",
        )
        .replace("  private secret() {}\n", "")
        .replace("export interface Worker { load: number }", "export interface Worker { load: number; name: string }"),
        {
            ("route", "signature_changed", True, False),
            ("Router.secret", "removed", False, False),
            ("Worker", "body_changed", True, False),
        },
    ),
    "tsx: a component": (
        "src/App.tsx",
        "export function App() { return <div/>; }\n",
        "export function App() { return <div/>; }\n\nexport function Header(props: Props) "
        "{ return <h1>{props.title}</h1>; }\n",
        {("Header", "added", True, False)},
    ),
    "javascript: arrow functions and internals": (
        "src/router.js",
        JS,
        JS.replace(
            "export const pick = (workers) => workers[0];", "export const pick = (workers, n) => workers[n];"
        ).replace("function internal() {}\n", ""),
        {("pick", "signature_changed", True, True), ("internal", "removed", False, False)},
    ),
    "java: public, package-private, constants": (
        "src/main/java/app/Router.java",
        JAVA,
        JAVA.replace("public Worker route(Request r)", "public Worker route(Request r, Policy p)")
        .replace("    void internal() {}\n", "")
        .replace("LIMIT = 4", "LIMIT = 8"),
        {
            ("Router.route", "signature_changed", True, True),
            ("Router.internal", "removed", False, False),
            ("Router.LIMIT", "body_changed", True, False),
        },
    ),
    "c: prototypes, static functions, macros": (
        "include/router.h",
        C_HEADER,
        C_HEADER.replace("int route(int request);", "int route(int request, int policy);")
        .replace("static int helper(void) { return 0; }\n", "")
        .replace("#define MAX_WORKERS 8", "#define MAX_WORKERS 16"),
        {
            ("route", "signature_changed", True, True),
            ("helper", "removed", False, False),
            ("MAX_WORKERS", "body_changed", True, False),
        },
    ),
    "c++: namespaces and access specifiers": (
        "src/router.hpp",
        CPP,
        CPP.replace("    void secret();\n", "").replace(
            "    void route(int request);", "    void route(int request);\n    void drain();"
        ),
        {("net::Router::secret", "removed", False, False), ("net::Router::drain", "added", True, False)},
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_symbols(tmp_path, case):
    path, before, after, expected = CASES[case]
    facts, _, _ = commit_facts(tmp_path / "r", {path: before}, {path: after})
    assert summary(facts, "symbol") == expected


@pytest.mark.parametrize("path", ["router/router.go", "src/router.rs", "src/router.ts", "src/router.js"])
def test_editing_a_comment_invents_nothing(tmp_path, path):
    text = {"router/router.go": GO, "src/router.rs": RUST, "src/router.ts": TS, "src/router.js": JS}[path]
    after = "// func Ghost() {} fn ghost() export function ghost() {}\n" + text
    facts, _, _ = commit_facts(tmp_path / "r", {path: text}, {path: after})
    assert summary(facts, "symbol") == set()


def test_cpp_alias_declarations_are_types(tmp_path):
    before = "namespace n {\nusing Handle = void *;\nint use(Handle h);\n}\n"
    facts, _, _ = commit_facts(
        tmp_path / "r", {"include/n.h": before}, {"include/n.h": "namespace n {\nint use(void *h);\n}\n"}
    )
    assert ("n::Handle", "removed", True, True) in summary(facts, "symbol")
    assert not [f for f in facts.facts if f.kind == "symbol" and f.symbol == "n::use"], "an alias resolved is no change"


DEVICE_HEADER = """struct ViewElement {
    int index;
    int offset;
};

template<int level = 0>
__device__ int
put(const ViewElement &src, size_t size, unsigned flags = 0) {
    return src.index + size + flags;
}

template<int level = 0>
__device__ int
add(uint64_t value, unsigned flags = 0) {
    return value + flags;
}
"""


def _confidence(facts, symbol):
    (fact,) = [f for f in facts.facts if f.kind == "symbol" and f.symbol == symbol]
    return fact.change.value, fact.breaking, fact.confidence


def test_a_parameter_type_removed_in_the_same_commit_is_a_sure_break(tmp_path):
    """`ViewElement` is renamed: nobody can still pass one to `put`, so `put` surely breaks;
    `add` only widened `unsigned` to `uint64_t`, which may still convert: a possible break."""
    after = DEVICE_HEADER.replace("ViewElement", "ViewElem").replace("unsigned flags", "uint64_t flags")
    facts, _, _ = commit_facts(tmp_path / "r", {"include/device.cuh": DEVICE_HEADER}, {"include/device.cuh": after})
    assert _confidence(facts, "ViewElem") == ("renamed", True, "high")
    assert _confidence(facts, "put") == ("signature_changed", True, "high")
    assert _confidence(facts, "add") == ("signature_changed", True, "low")


def test_a_parameter_type_that_still_exists_keeps_the_break_possible(tmp_path):
    before = DEVICE_HEADER.replace(
        "struct ViewElement", "struct OtherElement {\n    int index;\n};\n\nstruct ViewElement"
    )
    after = before.replace("put(const ViewElement &src", "put(const OtherElement &src")
    facts, _, _ = commit_facts(tmp_path / "r", {"include/device.cuh": before}, {"include/device.cuh": after})
    assert _confidence(facts, "put") == ("signature_changed", True, "low")
