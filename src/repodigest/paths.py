"""Where repodigest keeps its clones, caches and state.

`$REPODIGEST_HOME` wins (tests and CI set it); otherwise the platform's user folders.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "repodigest"


def home_override() -> Path | None:
    value = os.environ.get("REPODIGEST_HOME")
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    home = home_override()
    return home / "cache" if home else Path(platformdirs.user_cache_dir(APP))


def data_dir() -> Path:
    home = home_override()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP))


def config_dir() -> Path:
    home = home_override()
    return home if home else Path(platformdirs.user_config_dir(APP))


def private_folder(folder: Path) -> Path:
    """Create `folder` (and its parents) readable by the user only when it is new: clones may
    hold credentials in their config and the state holds analyses and publication records.
    An existing folder keeps the mode its owner gave it."""
    if not folder.is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def private_file(path: Path) -> Path:
    """Create an empty file only the user can read when it does not exist yet (SQLite then
    creates its journal and WAL files with the same mode). Its folder must exist."""
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    return path


def check_home() -> None:
    """$REPODIGEST_HOME, when set, must be a folder repodigest can write in (it holds the state)."""
    from repodigest.errors import BadInput

    home = home_override()
    if home is None:
        return
    fix = "set REPODIGEST_HOME to a folder you can write in, or unset it"
    if home.exists() and not home.is_dir():
        raise BadInput(f"REPODIGEST_HOME {home} is not a folder", fix)
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BadInput(f"REPODIGEST_HOME {home} cannot be created: {error.strerror}", fix) from None
    if not os.access(home, os.W_OK | os.X_OK):
        raise BadInput(f"REPODIGEST_HOME {home} is not writable", fix)
