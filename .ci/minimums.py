"""Write .ci/minimums.txt: the lowest version of each runtime dependency pyproject.toml allows
(and of the postgresql extra), as pip constraints. Run after changing a lower bound."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADER = """\
# The lowest version of each runtime dependency that pyproject.toml allows: .ci/run installs
# these as constraints and runs the suite (tests/test_packaging.py keeps the two in step).
# Written by `python3 .ci/minimums.py`.
"""


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    lines = []
    for requirement in project["dependencies"] + project["optional-dependencies"]["postgresql"]:
        name, version = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?>=([^,;\s]+)", requirement).group(1, 2)
        lines.append(f"{name}=={version}")
    (ROOT / ".ci" / "minimums.txt").write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
