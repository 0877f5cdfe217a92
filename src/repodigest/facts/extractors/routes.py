"""HTTP routes declared or dropped: FastAPI/Flask decorators, Express routers, Go's net/http,
gin/echo/fiber/chi, axum and actix, Spring mappings."""

from __future__ import annotations

import re
from collections.abc import Iterator

from repodigest.facts.context import CommitContext
from repodigest.facts.extractors._lines import change_of, changed_names
from repodigest.facts.models import FileRole, RouteFact

METHODS = "get|post|put|delete|patch|head|options"
PATH = r"""["'`](/[^"'`\s]*)["'`]"""
RULES: dict[str, list[tuple[re.Pattern, str]]] = {
    "python": [
        (re.compile(rf"@\w+\.({METHODS}|websocket)\(\s*{PATH}"), "fastapi"),
        (re.compile(rf"@\w+\.(route|api_route)\(\s*{PATH}"), "flask"),
    ],
    "javascript": [
        (re.compile(rf"\b(?:app|router|server|api|\w+Router)\.({METHODS}|all)\(\s*{PATH}", re.I), "express"),
    ],
    "go": [
        (
            re.compile(r"\.(HandleFunc|Handle)\(\s*\"(?:(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS) )?(/[^\"]*)\""),
            "net/http",
        ),
        (
            re.compile(
                rf"\.(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|Any|Get|Post|Put|Delete|Patch|Head|Options)\(\s*{PATH}"
            ),
            "gin/echo/fiber/chi",
        ),
    ],
    "rust": [
        (re.compile(rf"\.route\(\s*{PATH}\s*,\s*(?:\w+::)*({METHODS})\("), "axum"),
        (re.compile(rf"#\[({METHODS})\(\s*{PATH}"), "actix"),
    ],
    "java": [
        (re.compile(rf"@(Get|Post|Put|Delete|Patch)Mapping\(\s*(?:value\s*=\s*|path\s*=\s*)?{PATH}"), "spring"),
        (re.compile(rf"@(Request)Mapping\(\s*(?:value\s*=\s*|path\s*=\s*)?{PATH}"), "spring"),
    ],
}
RULES["typescript"] = RULES["tsx"] = RULES["javascript"]
HINTS = ('("/', "('/", "(`/", "Handle", ".route(", "Mapping(", "#[get", "#[post", "#[put", "#[delete", "#[patch")


def extract(context: CommitContext) -> Iterator[RouteFact]:
    for file in context.files:
        rules = RULES.get(file.language or "")
        if rules is None or file.role != FileRole.SOURCE:
            continue
        added, removed = changed_names(file, _reader(rules), HINTS)
        for found in added + removed:
            method, _, route = found.name.partition(" ")
            path = file.path if found in added else file.old_path
            yield RouteFact(
                method=method,
                route=route,
                framework=found.detail,
                change=change_of(found),
                breaking=found in removed,
                evidence=(found.evidence(path),),
            )


def _reader(rules: list[tuple[re.Pattern, str]]):
    def read(line: str, _previous):
        for pattern, framework in rules:
            for match in pattern.finditer(line):
                method, route = _method_and_route(match, framework)
                yield f"{method} {route}", framework

    return read


def _method_and_route(match: re.Match, framework: str) -> tuple[str, str]:
    groups = [g for g in match.groups()]
    if framework == "net/http":
        return (groups[1] or "ANY"), groups[2]
    if framework == "axum":
        return groups[1].upper(), groups[0]
    method, route = groups[0], groups[1]
    method = method.upper()
    if method in ("ROUTE", "API_ROUTE", "ALL", "ANY", "HANDLE", "HANDLEFUNC", "REQUEST"):
        method = "ANY"
    return method, route
