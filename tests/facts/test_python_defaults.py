"""Python option defaults (argparse, click, typer) and field defaults of public configuration
classes (dataclass, pydantic, attrs) as changed defaults; layout, comments, reordering, private
classes and data records produce nothing."""

from support.facts import commit_facts, summary

CLI = """import argparse
import click
import typer

parser = argparse.ArgumentParser()
parser.add_argument("-w", "--workers", type=int, default=4, help="how many")
parser.add_argument("--verbose", action="store_true", default=False)


@click.command()
@click.option("--port", default=8080)
def serve(port):
    pass


def main(
    retries: int = typer.Option(3, "--retries"),
    timeout: Annotated[float, typer.Option("--timeout")] = 30.0,
    name: str = typer.Argument(...),
):
    pass
"""

CONFIG = """from dataclasses import dataclass, field

from pydantic import BaseModel, Field


@dataclass
class ServerConfig:
    host: str = "127.0.0.1"
    streaming: bool = True
    tags: list[str] = field(default_factory=list)


class ClientSettings(BaseModel):
    retries: int = Field(3, description="how often")
    timeout: float = Field(default=10.0)


@dataclass
class Point:
    x: int = 0


@dataclass
class _PrivateConfig:
    debug: bool = False
"""


def test_option_defaults_changed(tmp_path):
    after = (
        CLI.replace("default=4", "default=8")
        .replace("default=8080", "default=9090")
        .replace("Option(3,", "Option(5,")
        .replace("= 30.0", "= 60.0")
        .replace("default=False", "default=True")
    )
    facts, _, _ = commit_facts(tmp_path / "r", {"pkg/cli.py": CLI}, {"pkg/cli.py": after})
    assert summary(facts, "changed_default") == {
        ("--workers", "4", "8", False),
        ("--port", "8080", "9090", False),
        ("--retries", "3", "5", False),
        ("--timeout", "30.0", "60.0", False),
        ("--verbose", "False", "True", True),
    }
    (workers,) = [f for f in facts.changed_defaults if f.key == "--workers"]
    assert workers.source == "flag" and workers.evidence[0].line == 6


def test_config_class_field_defaults_changed(tmp_path):
    after = (
        CONFIG.replace('"127.0.0.1"', '"0.0.0.0"')
        .replace("streaming: bool = True", "streaming: bool = False")
        .replace("default_factory=list", "default_factory=dict")
        .replace("Field(3,", "Field(5,")
        .replace("default=10.0", "default=20.0")
        .replace("x: int = 0", "x: int = 1")
        .replace("debug: bool = False", "debug: bool = True")
    )
    facts, _, _ = commit_facts(tmp_path / "r", {"pkg/server.py": CONFIG}, {"pkg/server.py": after})
    assert summary(facts, "changed_default") == {
        ("ServerConfig.host", "'127.0.0.1'", "'0.0.0.0'", False),
        ("ServerConfig.streaming", "True", "False", True),
        ("ServerConfig.tags", "list()", "dict()", False),
        ("ClientSettings.retries", "3", "5", False),
        ("ClientSettings.timeout", "10.0", "20.0", False),
    }
    assert [f.label for f in facts.changed_defaults if f.top_level] == ["ServerConfig.streaming: True → False"]


def test_layout_comments_quotes_and_order_are_no_change(tmp_path):
    cli = CLI.replace(
        'parser.add_argument("-w", "--workers", type=int, default=4, help="how many")',
        "parser.add_argument(\n    '-w',\n    '--workers',  # how many\n"
        "    default=4,\n    type=int,\n    help='how many',\n)",
    )
    config = CONFIG.replace('host: str = "127.0.0.1"', "host: str = '127.0.0.1'  # loopback").replace(
        '    retries: int = Field(3, description="how often")\n    timeout: float = Field(default=10.0)\n',
        "    timeout: float = Field(default=10.0)\n"
        '    retries: int = Field(\n        3,\n        description="how often",\n    )\n',
    )
    facts, _, _ = commit_facts(
        tmp_path / "r", {"pkg/cli.py": CLI, "pkg/server.py": CONFIG}, {"pkg/cli.py": cli, "pkg/server.py": config}
    )
    assert summary(facts, "changed_default") == set()


def test_tests_scripts_and_private_modules_are_not_user_defaults(tmp_path):
    facts, _, _ = commit_facts(
        tmp_path / "r",
        {"tests/test_cli.py": CLI, "scripts/tool.py": CLI, "pkg/_impl.py": CONFIG},
        {
            "tests/test_cli.py": CLI.replace("default=4", "default=8"),
            "scripts/tool.py": CLI.replace("default=4", "default=8"),
            "pkg/_impl.py": CONFIG.replace("streaming: bool = True", "streaming: bool = False"),
        },
    )
    assert summary(facts, "changed_default") == set()


def test_a_flipped_config_class_switch_ranks_high(tmp_path):
    from repodigest.analysis.rules.importance import ImportanceRules, judge

    facts, change, _ = commit_facts(
        tmp_path / "r",
        {"pkg/server.py": CONFIG},
        {"pkg/server.py": CONFIG.replace("streaming: bool = True", "streaming: bool = False")},
    )
    verdict = judge(change.commit, facts, "change", ImportanceRules.load(), "en")
    assert verdict.level.value == "high"
