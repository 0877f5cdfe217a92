"""Turning a configured repository (a local path or a clone URL) into a local git directory.

Remote repositories are cloned once, bare and blob-less, into the cache folder and fetched on
later runs; blobs arrive on demand when a diff needs them. No token is needed to read history.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from repodigest.credentials import remember_url, without_credentials
from repodigest.errors import BadInput, SourceError
from repodigest.paths import private_folder
from repodigest.source.gitcli import find_git_dir, run_git
from repodigest.source.hosts import RemoteLocation, parse_remote

log = logging.getLogger(__name__)

REMOTE_SCHEMES = ("https://", "http://", "ssh://", "git://", "file://")


class OpenedRepository(BaseModel):
    """A repository ready to walk: where its git data is, which ref to read, where it came from."""

    model_config = ConfigDict(frozen=True)

    git_dir: Path
    ref: str
    branch: str
    location: RemoteLocation | None = None
    stale: str | None = None
    """Why the history may be out of date (the fetch failed and the cached clone was read)."""


def is_remote(source: str) -> bool:
    if source.lower().startswith(REMOTE_SCHEMES):
        return True
    return bool(re.match(r"^[\w.+-]+@[\w.-]+:", source))


def open_local(path: Path, branch: str | None) -> OpenedRepository:
    git_dir = find_git_dir(path.expanduser())
    if git_dir is None:
        raise BadInput(
            f"{path} is not a git repository",
            "pass --repo a folder that contains a git repository, or a clone URL",
        )
    ref = _resolve_ref(git_dir, branch)
    origin = run_git(git_dir, "config", "--get", "remote.origin.url", check=False).strip()
    return OpenedRepository(
        git_dir=git_dir,
        ref=ref,
        branch=_branch_name(git_dir, ref),
        location=parse_remote(origin) if origin else None,
    )


def checked_remote(url: str) -> RemoteLocation:
    """The URL's host and path; bad input (before anything is written) when it has none."""
    location = parse_remote(url)
    if location is None:
        raise BadInput(
            f"cannot read the clone URL {without_credentials(url)!r}",
            "use https://host/owner/name, ssh://... or git@host:owner/name",
        )
    return location


def open_remote(url: str, branch: str | None, cache_dir: Path) -> OpenedRepository:
    remember_url(url)  # git needs the credentials; no message, report or state row may show them
    location = checked_remote(url)
    git_dir = cache_dir / "repos" / _cache_folder(url, location)
    stale = None
    if git_dir.exists():
        try:
            _fetch(git_dir)
        except SourceError as error:
            # The cached clone still holds what it held: a report from it, marked as possibly
            # stale, is better than an empty one written over yesterday's good report.
            log.warning("%s; reading the cached clone instead", error)
            stale = str(error)
    else:
        _clone(url, git_dir)
    ref = _resolve_ref(git_dir, branch)
    return OpenedRepository(git_dir=git_dir, ref=ref, branch=_branch_name(git_dir, ref), location=location, stale=stale)


def cached_clone(url: str, cache_dir: Path) -> Path | None:
    """Where `open_remote` keeps this URL's clone when it already has one (then it fetches)."""
    location = parse_remote(url)
    if location is None:
        return None
    git_dir = cache_dir / "repos" / _cache_folder(url, location)
    return git_dir if git_dir.exists() else None


def _cache_folder(url: str, location: RemoteLocation) -> str:
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{location.host or 'local'}-{location.path}").strip("-.")
    digest = hashlib.sha256(url.encode()).hexdigest()[:10]
    return f"{readable}-{digest}.git"


def _clone(url: str, git_dir: Path) -> None:
    private_folder(git_dir.parent.parent)  # the cache folder: a clone's config may hold credentials
    git_dir.parent.mkdir(exist_ok=True)
    # Clone beside the final place and rename: a run killed mid-clone leaves no half repository.
    staging = Path(tempfile.mkdtemp(prefix=".clone-", dir=git_dir.parent))
    try:
        run_git(
            None, "clone", "--bare", "--filter=blob:none", "--no-tags", "--quiet", url, str(staging / "r"), timeout=3600
        )
        run_git(staging / "r", "config", "remote.origin.fetch", "+refs/heads/*:refs/heads/*")
        (staging / "r").rename(git_dir)
    except SourceError as error:
        raise SourceError(f"cannot clone {without_credentials(url)}: {error}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _fetch(git_dir: Path) -> None:
    try:
        run_git(git_dir, "fetch", "--quiet", "--prune", "--no-tags", "origin", timeout=3600)
    except SourceError as error:
        raise SourceError(f"cannot fetch {git_dir.name}: {error}") from None
    symref = run_git(git_dir, "ls-remote", "--symref", "origin", "HEAD", check=False)
    match = re.search(r"^ref: (refs/heads/\S+)\tHEAD", symref, re.MULTILINE)
    if match:
        run_git(git_dir, "symbolic-ref", "HEAD", match[1], check=False)


def _resolve_ref(git_dir: Path, branch: str | None) -> str:
    candidates = [branch, f"refs/heads/{branch}", f"refs/remotes/origin/{branch}"] if branch else ["HEAD"]
    for candidate in candidates:
        verified = run_git(git_dir, "rev-parse", "--verify", "--quiet", f"{candidate}^{{commit}}", check=False)
        if verified.strip():
            return candidate
    if branch:
        raise BadInput(f"branch {branch!r} not found in {git_dir}", "set `branch` to a branch the repository has")
    raise BadInput(f"{git_dir} has no commits", "point --repo at a repository with history")


def _branch_name(git_dir: Path, ref: str) -> str:
    if ref != "HEAD":
        return ref.removeprefix("refs/heads/").removeprefix("refs/remotes/origin/")
    name = run_git(git_dir, "symbolic-ref", "--short", "-q", "HEAD", check=False).strip()
    return name or "HEAD"
