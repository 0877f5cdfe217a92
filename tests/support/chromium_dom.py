"""Loading a page in real headless Chromium and reading the DOM after its scripts had their chance."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from support.browser import chromium_or_skip

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
)


def rendered_dom(page: Path, wait_ms: int = 2000) -> str:
    """The page's DOM after load; virtual time lets onerror, ontoggle and timers fire first."""
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        completed = subprocess.run(
            [
                chromium_or_skip(),
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--virtual-time-budget={wait_ms}",
                "--dump-dom",
                page.resolve().as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert completed.returncode == 0 and "<html" in completed.stdout, completed.stderr[-2000:]
    return completed.stdout
