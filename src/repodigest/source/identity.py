"""How a repository is named in reports, where its folder goes, and how its commits link."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from repodigest.credentials import without_credentials
from repodigest.source.gitcli import find_top_level
from repodigest.source.hosts import commit_url_template, host_kind, parse_remote, web_url
from repodigest.source.models import RepositoryInfo
from repodigest.source.remote import OpenedRepository

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def display_name(configured: str | None, source: str, opened: OpenedRepository | None) -> str:
    """The configured name; else owner/name from the clone URL or the local repository's origin;
    else the folder's name. `opened` is None for a remote not cloned yet."""
    if configured:
        return configured
    location = opened.location if opened is not None else parse_remote(source)
    if location is not None and (location.host or opened is None):
        return location.name
    if opened is None:
        return without_credentials(source)
    # A local repository is named after its top level, wherever inside it --repo points: the
    # name is the analysis cache's key, so `--repo .` from a subfolder must not start afresh.
    top = find_top_level(Path(source).expanduser())
    folder = top if top is not None else opened.git_dir
    if folder.name in ("", ".git"):
        folder = folder.parent
    return folder.name.removesuffix(".git") or "repository"


def folder_key(text: str) -> str:
    """A single, safe path component: no separators, no leading dots, never '.' or '..'."""
    key = _UNSAFE.sub("-", text).strip("-.")
    return key or "repository"


def assign_keys(names: list[str]) -> list[str]:
    """Folder names: the short name, or owner-name where two repositories share a short name."""
    short = [name.rstrip("/").rsplit("/", 1)[-1] for name in names]
    clashes = Counter(folder_key(s).lower() for s in short)
    keys = [
        folder_key(name.replace("/", "-")) if clashes[folder_key(s).lower()] > 1 else folder_key(s)
        for name, s in zip(names, short, strict=True)
    ]
    seen: Counter[str] = Counter()
    unique = []
    for key in keys:
        seen[key.lower()] += 1
        unique.append(key if seen[key.lower()] == 1 else f"{key}-{seen[key.lower()]}")
    return unique


def repository_info(
    key: str, name: str, opened: OpenedRepository, configured_web_url: str | None, configured_host: str | None
) -> RepositoryInfo:
    location = opened.location
    base = configured_web_url or (web_url(location) if location else None)
    kind = host_kind(
        location.host if location and not configured_web_url else _host_of(configured_web_url), configured_host
    )
    return RepositoryInfo(
        key=key,
        name=name,
        url=base,
        commit_url_template=commit_url_template(base, kind),
        branch=opened.branch,
    )


def _host_of(url: str | None) -> str | None:
    if not url:
        return None
    match = re.match(r"^[a-z]+://([^/:]+)", url)
    return match[1].lower() if match else None
