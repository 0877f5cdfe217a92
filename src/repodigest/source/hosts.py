"""Web links for commits on the hosts people use: GitHub, GitLab, Gitea (and Forgejo), Bitbucket.

Adding a host is one entry in HOST_KINDS and, for a new URL shape, one in COMMIT_PATHS.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, ConfigDict

COMMIT_PATHS = {
    "github": "/commit/{sha}",
    "gitlab": "/-/commit/{sha}",
    "gitea": "/commit/{sha}",
    "bitbucket": "/commits/{sha}",
}
HOST_KINDS = {
    "github.com": "github",
    "gitlab.com": "gitlab",
    "codeberg.org": "gitea",
    "gitea.com": "gitea",
    "bitbucket.org": "bitbucket",
}
NOT_IN_URLS = re.compile(r'[\x00-\x1f\x7f<>"`{}\\]')
"""Characters no clone URL has: an origin holding them was written to inject, not to clone."""
SCP_LIKE = re.compile(r"^(?:[\w.+-]+@)?(?P<host>[\w.-]+):(?P<path>(?!//)[^\\]+)$")


class RemoteLocation(BaseModel):
    model_config = ConfigDict(frozen=True)

    host: str | None
    path: str
    """Repository path on the host without `.git`, e.g. `ai-dynamo/dynamo`."""

    @property
    def name(self) -> str:
        return self.path


def parse_remote(url: str) -> RemoteLocation | None:
    """Split a clone URL (https, ssh, git, file or scp-like `git@host:owner/name`)."""
    url = url.strip()
    if NOT_IN_URLS.search(url):
        return None
    if "://" in url:
        try:
            parts = urlsplit(url)
            host = parts.hostname if parts.scheme != "file" else None
        except ValueError:  # an unbalanced IPv6 bracket or a port that is not a number
            return None
        path = parts.path
    else:
        match = SCP_LIKE.match(url)
        if not match:
            return None
        host, path = match["host"], match["path"]
    path = path.strip("/").removesuffix(".git").rstrip("/")
    if not path:
        return None
    return RemoteLocation(host=host.lower() if host else None, path=path)


def host_kind(host: str | None, configured: str | None = None) -> str | None:
    if configured:
        return configured
    if not host:
        return None
    if host in HOST_KINDS:
        return HOST_KINDS[host]
    # Self-hosted instances usually say what they are in their name (github.example.com).
    for kind in COMMIT_PATHS:
        if kind in host.split("."):
            return kind
    return None


def web_url(location: RemoteLocation) -> str | None:
    if not location.host:
        return None
    return f"https://{location.host}/{quote(location.path, safe='/-._~%')}"


def commit_url_template(base_url: str | None, kind: str | None) -> str | None:
    if not base_url or kind not in COMMIT_PATHS:
        return None
    return base_url.rstrip("/") + COMMIT_PATHS[kind]
