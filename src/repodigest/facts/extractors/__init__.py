"""Fact extractors. Each module holds one; adding one is a module plus a line in EXTRACTORS.

An extractor is a callable `(CommitContext) -> Iterable[Fact | FileNote]`: what it learnt about a
file beside its facts (parsed or not, why, public surface or not) it yields as a FileNote, and it
never writes to the context, which only holds what extractors read. EXTRACTORS holds factories that
make one per facts engine (so an extractor may keep a cache across the commits of a walk). An
extractor may raise: the engine records the failure once, on the commit (`CommitFacts.failures`),
and goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from repodigest.facts.context import CommitContext
from repodigest.facts.extractors import (
    build_args,
    change_kinds,
    cli_flags,
    code_defaults,
    config_keys,
    crds,
    dependencies,
    env_vars,
    openapi,
    protobuf,
    python_defaults,
    releases,
    routes,
    security,
    symbols,
)
from repodigest.facts.models import Fact, FileNote

Extractor = Callable[[CommitContext], Iterable[Fact | FileNote]]

EXTRACTORS: dict[str, Callable[[], Extractor]] = {
    "change_kinds": lambda: change_kinds.extract,
    "symbols": symbols.SymbolExtractor,
    "cli_flags": lambda: cli_flags.extract,
    "env_vars": lambda: env_vars.extract,
    "routes": lambda: routes.extract,
    "config_keys": lambda: config_keys.extract,
    "code_defaults": lambda: code_defaults.extract,
    "python_defaults": lambda: python_defaults.extract,
    "build_args": lambda: build_args.extract,
    "dependencies": lambda: dependencies.extract,
    "protobuf": lambda: protobuf.extract,
    "openapi": lambda: openapi.extract,
    "crds": lambda: crds.extract,
    "releases": lambda: releases.extract,
    "security": lambda: security.extract,
}
