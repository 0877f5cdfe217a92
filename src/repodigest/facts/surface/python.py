"""Python: modules of importable packages (griffe's view); `__all__` and leading underscores are
judged per name by the outline. Not API: private modules (`_impl.py`, `_internal/`), scripts
and entry files that nothing imports, tests."""

from __future__ import annotations

from pathlib import PurePosixPath

from repodigest.facts.surface.model import ProjectView, Surface

NOT_IMPORTED = {"setup.py", "conftest.py", "noxfile.py", "fabfile.py", "manage.py", "__main__.py"}


def judge(path: str, _project: ProjectView, _content: bytes | None) -> Surface:
    pure = PurePosixPath(path)
    if pure.name in NOT_IMPORTED or pure.name.startswith("test_") or pure.name.endswith("_test.py"):
        return Surface(False, "not an importable module")
    private = [part for part in pure.parts if part.startswith("_") and not part.startswith("__")]
    if private:
        return Surface(False, f"private module ({private[0]})")
    if len(pure.parts) == 1:
        return Surface(True, "top-level module")
    return Surface(True, "package module")
