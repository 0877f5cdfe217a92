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
