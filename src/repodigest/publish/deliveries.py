"""What an operator does with a failed or unknown delivery:

    python -m repodigest.publish.deliveries list    [--config repodigest.toml]
    python -m repodigest.publish.deliveries retry   TARGET DATE [--config ...]
    python -m repodigest.publish.deliveries dismiss TARGET DATE [--config ...]

`list` prints every publication that is not done (failed, unknown, or pending after a killed
run) and exits 1 when there is one. `retry` marks it failed, so the next run of that day sends
it again; `dismiss` takes it as delivered (it arrived), so nothing is sent for it again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from repodigest.errors import BadInput


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m repodigest.publish.deliveries",
        description="List, retry or dismiss deliveries that failed or are unknown.",
    )
    parser.add_argument("action", choices=("list", "retry", "dismiss"))
    parser.add_argument("target", nargs="?", help="as `list` shows it, e.g. slack:team")
    parser.add_argument("date", nargs="?", help="the day, YYYY-MM-DD (all days of the target when left out)")
    parser.add_argument("--config", type=Path, default=None, help="repodigest.toml, for [state] database_url")
    options = parser.parse_args(argv)
    from repodigest.config import load_config
    from repodigest.state.store import StateStore

    try:
        settings, _ = load_config(options.config)
        store = StateStore.open(settings.state.database_url)
    except BadInput as error:
        print(f"repodigest: error: {error}", file=sys.stderr)
        return 2
    problems = store.problems()
    if options.action == "list":
        for entry in problems:
            print(f"{entry.target}\t{entry.key}\t{entry.status}\t{entry.detail or ''}")
        return 1 if problems else 0
    if not options.target:
        parser.error(f"{options.action} needs a TARGET (see `list`)")
    chosen = [e for e in problems if e.target == options.target and (options.date is None or e.key == options.date)]
    if not chosen:
        print(
            f"repodigest: nothing to {options.action} for {options.target} {options.date or ''}".rstrip(),
            file=sys.stderr,
        )
        return 1
    for entry in chosen:
        if options.action == "retry":
            store.set_status(entry.target, entry.key, "failed", "an operator asked to send it again")
        else:
            store.set_status(entry.target, entry.key, "done", "dismissed by an operator")
        print(f"{options.action} {entry.target} {entry.key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
