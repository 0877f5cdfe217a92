"""Images and actions: Dockerfile `FROM` and version build arguments, GitHub Actions `uses:`, and
Helm chart dependencies."""

from __future__ import annotations

import re

import yaml

from repodigest.facts.deps.pin import Pin

CONTAINER_BUILDS = ["Dockerfile", "Dockerfile.*", "*.Dockerfile", "*.dockerfile", "Containerfile"]
FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", re.IGNORECASE | re.MULTILINE)
USES = re.compile(r"^\s*(?:-\s*)?uses:\s*['\"]?([^'\"\s@#]+)@([^'\"\s#]+)['\"]?(?:\s*#\s*(\S+))?", re.MULTILINE)
PINNED_SHA = re.compile(r"^[0-9a-f]{40}$")
VERSION_ARG = re.compile(
    r"^\s*ARG\s+([A-Za-z][A-Za-z0-9_]*_(?:VERSION|TAG|REF))\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|(\S+))",
    re.IGNORECASE | re.MULTILINE,
)


def dockerfile(text: str) -> list[Pin]:
    stages = {m.lower() for m in re.findall(r"\bAS\s+(\S+)", text, re.IGNORECASE)}
    # An image named by a build argument (${BASE_IMAGE}) is not known from the file alone.
    images = [
        Pin(*split_image(image))
        for image in FROM.findall(text)
        if image.lower() not in stages and image.lower() != "scratch" and "$" not in image
    ]
    return images + version_args(text)


def version_args(text: str) -> list[Pin]:
    """`ARG ENGINE_VERSION=1.4.2` (or `_TAG`, or `_REF`, the git ref a component is built from):
    the default of a version build argument is the engine or runtime the image is built with, a
    dependency every user of the image runs. A default made of
    other arguments (`${BASE}-slim`) is not known from the file alone."""
    found = []
    for name, double, single, bare in VERSION_ARG.findall(text):
        value = double or single or bare
        if value and "$" not in value:
            found.append(Pin(name, value))
    return found


def split_image(image: str) -> tuple[str, str | None]:
    name, _, digest = image.partition("@")
    if ":" in name.rsplit("/", 1)[-1]:
        name, _, tag = name.rpartition(":")
        return name, tag + (f"@{digest}" if digest else "")
    return name, digest or None


def actions(text: str) -> list[Pin]:
    """`owner/action@ref`; an action pinned to a commit with its version in a comment
    (`@<sha> # v4.3.0`, as dependabot writes it) reads as `v4.3.0 (<sha>)`."""
    found = []
    for name, ref, comment in USES.findall(text):
        if not name.startswith(("./", "docker://")):
            found.append(Pin(name, f"{comment} ({ref[:12]})" if comment and PINNED_SHA.match(ref) else ref))
    return found


def helm_chart(text: str) -> list[Pin]:
    data = yaml.safe_load(text) or {}
    return [
        Pin(d["name"], str(d["version"]) if d.get("version") is not None else None)
        for d in data.get("dependencies") or []
        if isinstance(d, dict) and "name" in d
    ]
