"""Delivery states for channels that cannot take a message back (chat webhooks, mail).

Per target and day the ledger holds one entry:

- **done**: the service confirmed it. Sent again only when the report's substance changes
  (new commits, a changed importance, a repository now read or failing), and then as an
  update marked "更新/updated" that says what changed, never as a second copy.
- **failed**: the service refused it, or nothing reached the service. The next run sends it.
- **unknown**: the request went out and no answer came back (or a run was killed while
  sending: the entry stayed *pending*). Nobody can know whether it arrived, so it is not sent
  again automatically; every run reports it and exits 1 until an operator retries or
  dismisses it (`python -m repodigest.publish.deliveries`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass

from repodigest.publish.base import Edition, Ledger, LedgerEntry
from repodigest.publish.brief import brief_lines, change_lines, snapshot
from repodigest.publish.errors import DeliveryRefused, DeliveryUnknown, PublishError

log = logging.getLogger(__name__)

OPERATOR = "python -m repodigest.publish.deliveries"
RETRY_HINT = (
    f"check the channel, then `{OPERATOR} retry {{target}} {{key}}` to send it again or "
    f"`{OPERATOR} dismiss {{target}} {{key}}` if it arrived"
)


@dataclass(frozen=True)
class Plan:
    """What to send for one day, or nothing."""

    key: str
    digest: str
    snapshot: dict
    lines: list[str]
    updated: bool
    entry: LedgerEntry | None


def digest_of(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def plan(name: str, target: str, ledger: Ledger, edition: Edition) -> Plan | None:
    """None when the day's message was delivered and nothing of substance changed; raises
    DeliveryUnknown while an earlier attempt's outcome is unknown."""
    report = edition.report
    key = edition.key
    warn_other_days(name, target, ledger, key)
    current = snapshot(report)
    digest = digest_of(current)
    entry = ledger.entry(target, key)
    if entry is not None and entry.uncertain:
        why = entry.detail or "a run was stopped while sending it"
        raise DeliveryUnknown(
            f"the message for {key} may or may not have been delivered ({why}); "
            f"it is not sent again by itself — " + RETRY_HINT.format(target=target, key=key)
        )
    previous = entry.snapshot if entry is not None and entry.content_hash else None
    if entry is not None and entry.delivered:
        if entry.content_hash == digest:
            return None
        if previous is None:
            # Delivered by a version that kept no snapshot: take it as it is, send nothing.
            ledger.complete(target, key, entry.remote_id, entry.location, digest, current)
            return None
    if previous is not None:
        return Plan(key, digest, current, change_lines(report, previous), True, entry)
    return Plan(key, digest, current, brief_lines(report), False, entry)


def deliver(target: str, ledger: Ledger, planned: Plan, send: Callable[[], str | None]) -> str | None:
    """Record the attempt, send, and record the outcome. `send` returns a remote id, raises
    DeliveryRefused for a definite refusal and DeliveryUnknown when no answer came."""
    key = planned.key
    ledger.begin(target, key, planned.digest)
    try:
        remote_id = send()
    except DeliveryUnknown as error:
        ledger.unknown(target, key, str(error))
        raise DeliveryUnknown(
            f"{error}; it is not sent again by itself — " + RETRY_HINT.format(target=target, key=key)
        ) from None
    except PublishError as error:
        ledger.fail(target, key, str(error))
        raise DeliveryRefused(f"{error}; not delivered, it is sent again on the next run") from None
    ledger.complete(target, key, remote_id, None, planned.digest, planned.snapshot)
    return remote_id


def warn_other_days(name: str, target: str, ledger: Ledger, today: str) -> None:
    """Earlier days whose message failed or is unknown are named on every run."""
    for entry in ledger.entries(target):
        if entry.key == today or entry.delivered:
            continue
        if entry.status == "failed":
            log.warning(
                "%s: the message for %s was not delivered (%s); re-run that day to send it",
                name,
                entry.key,
                entry.detail or "refused",
            )
        else:
            log.warning(
                "%s: the message for %s may or may not have been delivered (%s); %s",
                name,
                entry.key,
                entry.detail or "a run was stopped while sending it",
                RETRY_HINT.format(target=target, key=entry.key),
            )
