"""Flags, environment variables, HTTP routes and config keys: found where declared, renamed
when one replaces another, and not invented from comments or moved lines."""

import pytest

from support.facts import commit_facts, summary

FLAG_CASES = {
    "argparse": (
        "cli.py",
        'p.add_argument("--port", type=int)\n',
        'p.add_argument("--port", type=int)\np.add_argument("--host", "-H")\n',
        {("--host", "added", "argparse"), ("-H", "added", "argparse")},
    ),
    "click": (
        "cli.py",
        "@click.option('--verbose', is_flag=True)\ndef main(): pass\n",
        "@click.option('--quiet', is_flag=True)\ndef main(): pass\n",
        {("--quiet", "renamed", "click")},
    ),
    "typer": (
        "cli.py",
        "def run(out: str = typer.Option('reports', '--out')): pass\n",
        "def run(out: str = typer.Option('reports', '--out'), lang: str = typer.Option('zh', '--lang')): pass\n",
        {("--lang", "added", "typer")},
    ),
    "cobra": (
        "cmd/root.go",
        'cmd.Flags().StringVarP(&cfg, "config", "c", "", "config file")\n',
        'cmd.Flags().StringVarP(&cfg, "config", "c", "", "config '
        'file")\ncmd.PersistentFlags().Bool("debug", false, "")\n',
        {("--debug", "added", "cobra")},
    ),
    "go flag": (
        "main.go",
        'addr := flag.String("addr", ":8080", "listen")\nlog := flag.Bool("log", false, "")\n',
        'addr := flag.String("addr", ":8080", "listen")\n',
        {("-log", "removed", "go-flag")},
    ),
    "kong": (
        "cli/run.go",
        "type Run struct {\n}\n",
        'type Run struct {\n\tVRAMBudget string `env:"LOCALAI_VRAM_BUDGET" help:"Cap VRAM"`\n}\n',
        {("--vram-budget", "added", "kong")},
    ),
    "clap derive": (
        "src/cli.rs",
        "struct Args {\n    #[arg(long)]\n    port: u16,\n}\n",
        "struct Args {\n    #[arg(long)]\n    port: u16,\n    #[arg(long)]\n    dry_run: bool,\n}\n",
        {("--dry-run", "added", "clap")},
    ),
    "commander": (
        "bin/cli.js",
        "program.option('-p, --port <n>', 'port')\n",
        "program.option('-p, --port <n>', 'port')\nprogram.option('--no-color', 'plain output')\n",
        {("--no-color", "added", "commander")},
    ),
}


@pytest.mark.parametrize("case", FLAG_CASES, ids=list(FLAG_CASES))
def test_cli_flags(tmp_path, case):
    path, before, after, expected = FLAG_CASES[case]
    facts, _, _ = commit_facts(tmp_path / "r", {path: before}, {path: after})
    assert summary(facts, "cli_flag") == expected


def test_a_removed_flag_is_breaking_and_a_moved_flag_is_not_a_change(tmp_path):
    before = 'p.add_argument("--port")\np.add_argument("--host")\n# p.add_argument("--ghost")\n'
    after = 'p.add_argument("--host")\np.add_argument("--port")\n# p.add_argument("--phantom")\n'
    facts, _, _ = commit_facts(tmp_path / "r", {"cli.py": before}, {"cli.py": after})
    assert summary(facts, "cli_flag") == set()
    facts, _, _ = commit_facts(tmp_path / "s", {"cli.py": before}, {"cli.py": 'p.add_argument("--host")\n'})
    (fact,) = [f for f in facts.facts if f.kind == "cli_flag"]
    assert (fact.flag, fact.change.value, fact.breaking) == ("--port", "removed", True)


ENV_CASES = {
    "python": (
        "app.py",
        'x = os.environ.get("A")\n',
        'x = os.environ.get("A")\ny = os.getenv("B_TOKEN")\nz = os.environ["C"]\n',
        {("B_TOKEN", "added"), ("C", "added")},
    ),
    "go": (
        "main.go",
        'v := os.Getenv("OLD")\n',
        'v, ok := os.LookupEnv("NEW")\n',
        {("OLD", "removed"), ("NEW", "added")},
    ),
    "go struct tag": (
        "cfg.go",
        "type C struct {\n}\n",
        'type C struct {\n\tPort int `env:"APP_PORT,PORT"`\n}\n',
        {("APP_PORT", "added"), ("PORT", "added")},
    ),
    "rust": (
        "src/main.rs",
        "fn main() {}\n",
        'fn main() { let _ = std::env::var("RUST_THING"); }\n',
        {("RUST_THING", "added")},
    ),
    "javascript": (
        "index.js",
        "",
        "const u = process.env.API_URL || process.env['FALLBACK_URL'];\n",
        {("API_URL", "added"), ("FALLBACK_URL", "added")},
    ),
    "c": (
        "main.c",
        "int main(void) { return 0; }\n",
        'int main(void) { return getenv("C_HOME") != 0; }\n',
        {("C_HOME", "added")},
    ),
    "java": (
        "App.java",
        "class App {}\n",
        'class App { String h = System.getenv("JAVA_HOME"); }\n',
        {("JAVA_HOME", "added")},
    ),
}


@pytest.mark.parametrize("case", ENV_CASES, ids=list(ENV_CASES))
def test_environment_variables(tmp_path, case):
    path, before, after, expected = ENV_CASES[case]
    facts, _, _ = commit_facts(tmp_path / "r", {path: before}, {path: after})
    assert summary(facts, "env_var") == expected


def test_environment_variables_in_docs_and_comments_are_not_read(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"README.md": "", "app.py": "x = 1\n"},
        {"README.md": 'Set `os.getenv("DOCS_ONLY")`\n', "app.py": '# os.getenv("COMMENTED")\nx = 1\n'},
    )
    assert summary(facts, "env_var") == set()


ROUTE_CASES = {
    "fastapi": (
        "api.py",
        "@app.get('/health')\ndef health(): pass\n",
        "@app.get('/health')\ndef health(): pass\n@router.post('/v1/detokenize')\ndef d(): pass\n",
        {("POST", "/v1/detokenize", "added")},
    ),
    "flask": (
        "web.py",
        "@bp.route('/old')\ndef o(): pass\n",
        "@bp.route('/new')\ndef n(): pass\n",
        {("ANY", "/old", "removed"), ("ANY", "/new", "added")},
    ),
    "express": (
        "server.js",
        "",
        "app.get('/users/:id', show)\nrouter.delete(\"/users/:id\", drop)\n",
        {("GET", "/users/:id", "added"), ("DELETE", "/users/:id", "added")},
    ),
    "gin": (
        "routes.go",
        "",
        'r.GET("/v1/models", list)\nmux.HandleFunc("POST /v1/chat", chat)\n',
        {("GET", "/v1/models", "added"), ("POST", "/v1/chat", "added")},
    ),
    "axum": (
        "src/app.rs",
        "",
        'let app = Router::new().route("/metrics", get(metrics));\n',
        {("GET", "/metrics", "added")},
    ),
    "spring": (
        "Api.java",
        "",
        '@GetMapping("/items")\npublic List<Item> items() { return null; }\n',
        {("GET", "/items", "added")},
    ),
}


@pytest.mark.parametrize("case", ROUTE_CASES, ids=list(ROUTE_CASES))
def test_http_routes(tmp_path, case):
    path, before, after, expected = ROUTE_CASES[case]
    facts, _, _ = commit_facts(tmp_path / "r", {path: before}, {path: after})
    assert summary(facts, "http_route") == expected


def test_helm_values_keys(tmp_path):
    before = "replicas: 1\nimage:\n  tag: v1\n  pullPolicy: Always\n"
    after = "replicas: 2\nimage:\n  tag: v1\nresources:\n  limits:\n    cpu: 1\n"
    facts, _, _ = commit_facts(tmp_path / "r", {"chart/values.yaml": before}, {"chart/values.yaml": after})
    assert summary(facts, "config_key") == {("image.pullPolicy", "removed"), ("resources.limits.cpu", "added")}
    assert summary(facts, "changed_default") == {("replicas", "1", "2", False)}
    removed = next(f for f in facts.facts if f.kind == "config_key" and f.change.value == "removed")
    assert removed.breaking and removed.evidence[0].line == 4


def test_a_flipped_switch_is_a_changed_default_of_its_own(tmp_path):
    before = "crdInstaller:\n  # installs CRDs\n  enabled: true\n  image: x\n"
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"operator/charts/values.yaml": before},
        {"operator/charts/values.yaml": before.replace("true", "false")},
    )
    assert summary(facts, "changed_default") == {("crdInstaller.enabled", "true", "false", True)}
    (default,) = facts.changed_defaults
    assert default.label == "crdInstaller.enabled: true → false" and default.evidence[0].line == 3


def test_multi_document_values_are_read(tmp_path):
    before = "a: 1\n---\nb:\n  c: x\n"
    facts, _, _ = commit_facts(tmp_path / "r", {"values.yaml": before}, {"values.yaml": before + "  d: y\n"})
    assert summary(facts, "config_key") == {("b.d", "added")}
    assert facts.files[0].note is None


def test_unreadable_configuration_is_said_so(tmp_path):
    facts, _, _ = commit_facts(tmp_path / "r", {"config.yaml": "a: 1\n"}, {"config.yaml": "a: [1\n"})
    assert facts.files[0].note == "could not be read as configuration"


def test_json_schema_is_flattened_to_the_users_key_path(tmp_path):
    import json

    def schema(description: str, enum: list[str]) -> str:
        return json.dumps(
            {
                "type": "object",
                "properties": {
                    "router": {
                        "type": "object",
                        "description": description,
                        "properties": {
                            "routingLogic": {"type": "string", "enum": enum, "default": "roundrobin"},
                            "args": {"type": "array", "items": {"type": "string"}},
                        },
                    }
                },
            }
        )

    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"helm/values.schema.json": schema("old", ["roundrobin"])},
        {"helm/values.schema.json": schema("new words", ["roundrobin", "session"])},
    )
    assert summary(facts, "config_key") == {("router.routingLogic", "changed")}
    (key,) = facts.of_kind(type(facts.facts[0])) if False else [f for f in facts.facts if f.kind == "config_key"]
    assert key.new_value == "+session"


def test_ordinary_yaml_is_not_a_defaults_file(tmp_path):
    facts, _, _ = commit_facts(tmp_path / "r", {"gallery/index.yaml": "a: 1\n"}, {"gallery/index.yaml": "a: 1\nb: 2\n"})
    assert summary(facts, "config_key") == set()


def test_defaults_in_configuration_modules(tmp_path):
    before = "class EndpointDefaults:\n    STREAMING = True\n    TIMEOUT = 30\n    MODEL = make_model()\n"
    after = "class EndpointDefaults:\n    STREAMING = False\n    TIMEOUT = 30\n    MODEL = make_other()\n"
    facts, _, _ = commit_facts(
        tmp_path / "r", {"pkg/config/config_defaults.py": before}, {"pkg/config/config_defaults.py": after}
    )
    assert summary(facts, "changed_default") == {("STREAMING", "True", "False", True)}


def test_go_config_literal_emptied_and_default_constants(tmp_path):
    before = 'package config\n\nvar d = App{\n\tPathWithoutAuth: []string{\n\t\t"/static/",\n\t},\n}\n'
    after = "package config\n\nvar d = App{\n\tPathWithoutAuth: []string{},\n}\n"
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"core/config/app.go": before, "core/limits.go": "const DEFAULT_TIMEOUT = 30\n"},
        {"core/config/app.go": after, "core/limits.go": "const DEFAULT_TIMEOUT = 90\n"},
    )
    assert summary(facts, "changed_default") == {
        ("PathWithoutAuth", "[]string{…", "[]string{}", False),
        ("TIMEOUT", "30", "90", False),
    }


def test_a_default_constant_names_the_key_it_defaults(tmp_path):
    """Go defaulting code keeps a key's default in `defaultTerminationDelay`; the fact names the
    key users set, with the duration as Go prints it. Reordering the same duration is no change."""
    go = "package defaulting\n\nconst (\n\tdefaultTerminationDelay = {}\n\tdefaultGrace = 30 * time.Second\n)\n"
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"operator/internal/webhook/defaulting/podset.go": go.format("30 * time.Second")},
        {
            "operator/internal/webhook/defaulting/podset.go": go.format("4 * time.Hour").replace(
                "30 * time.Second", "time.Second * 30"
            )
        },
    )
    assert summary(facts, "changed_default") == {("terminationDelay", "30s", "4h", False)}
    (default,) = facts.changed_defaults
    assert default.label == "terminationDelay: 30s → 4h"
    assert "defaultTerminationDelay" in (default.evidence[0].excerpt or "")


def test_a_default_suffix_and_snake_case_prefix_are_stripped_too(tmp_path):
    before = "RETRIES_DEFAULT = 3\ndefault_timeout = 10\nretries = 3\n"
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"pkg/run.py": before},
        {"pkg/run.py": "RETRIES_DEFAULT = 5\ndefault_timeout = 20\nretries = 4\n"},
    )
    assert summary(facts, "changed_default") == {("RETRIES", "3", "5", False), ("timeout", "10", "20", False)}


def test_defaults_in_ordinary_code_and_tests_are_not_defaults(tmp_path):
    before = "def f():\n    retries = 3\n"
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"pkg/run.py": before, "tests/config_test.py": "X = 1\n"},
        {"pkg/run.py": before.replace("3", "4"), "tests/config_test.py": "X = 2\n"},
    )
    assert summary(facts, "changed_default") == set()


def test_go_flagset_flags_are_found(tmp_path):
    before = "package main\n\nfunc flags(fs *flag.FlagSet) {\n}\n"
    after = (
        "package main\n\nfunc flags(fs *flag.FlagSet) {\n"
        '\tfs.StringVar(&o.addr, "metrics-addr", ":8080", "where")\n\tfs.Bool("leader-elect", false, "x")\n}\n'
    )
    facts, _, _ = commit_facts(tmp_path / "r", {"cmd/main.go": before}, {"cmd/main.go": after})
    assert summary(facts, "cli_flag") == {("-metrics-addr", "added", "go-flag"), ("-leader-elect", "added", "go-flag")}


def test_build_time_ci_and_tooling_variables_are_the_maintainers(tmp_path):
    before = "fn main() {}\n"
    after = (
        'fn main() {\n    let dir = env!("CARGO_MANIFEST_DIR");\n    let ci = std::env::var("CI");\n'
        '    let level = std::env::var("APP_LOG_LEVEL");\n}\n'
    )
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"src/main.rs": before, "scripts/tool.py": "x = 1\n"},
        {"src/main.rs": after, "scripts/tool.py": "import os\nx = os.getenv('TOOL_OUT')\n"},
    )
    audiences = {f.name: f.audience for f in facts.facts if f.kind == "env_var"}
    assert audiences == {
        "CARGO_MANIFEST_DIR": "maintainer",
        "CI": "maintainer",
        "APP_LOG_LEVEL": "user",
        "TOOL_OUT": "maintainer",
    }
    assert [f.label for f in facts.new_interfaces] == ["APP_LOG_LEVEL"]
