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
