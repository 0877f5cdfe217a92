"""The GitHub Actions template is valid and runs the command the README documents."""

from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]
COMMAND = "repodigest run --config repodigest.toml --date"


def test_workflow_template_is_valid_yaml_and_runs_the_documented_command():
    workflow = yaml.safe_load((ROOT / "examples/github-actions.yml").read_text())
    assert set(workflow[True]) >= {"schedule", "workflow_dispatch"}  # YAML 1.1 reads `on` as True
    assert workflow[True]["schedule"][0]["cron"]
    steps = workflow["jobs"]["report"]["steps"]
    # The workflow uses this repository's action, whose step runs `repodigest run --config … --date …`.
    (digest,) = [step for step in steps if step.get("uses", "").endswith(tuple(f"/repodigest@{r}" for r in ("v1",)))]
    assert digest["with"]["config"] == "repodigest.toml"
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    runs = [step["run"] for step in action["runs"]["steps"] if "run" in step]
    assert any(
        'args=(run --config "$INPUT_CONFIG" --date "$INPUT_DATE")' in run and 'repodigest "${args[@]}"' in run
        for run in runs
    )
    assert any("uses" in step and step["uses"].startswith("actions/checkout@") for step in steps)
    readme = (ROOT / "README.md").read_text()
    assert "repodigest run --config repodigest.toml --date yesterday" in readme


def test_scheduler_examples_run_the_same_command():
    docs = (ROOT / "docs/scheduling.md").read_text()
    assert docs.count("repodigest run --config repodigest.toml --date yesterday") >= 2  # cron and systemd
