"""Path globs: the one place .gitignore-style patterns become regular expressions, for roles,
security rules, configuration files and dependency manifests alike."""

from __future__ import annotations

import re

import pathspec


def combined_pattern(globs: list[str]) -> re.Pattern[str]:
    """One regular expression for a list of .gitignore-style globs.

    pathspec translates each glob; matching them one by one is the slow part over a month of
    paths, so the translations are joined into a single alternation.
    """
    regexes = [
        p.regex.pattern
        for p in pathspec.PathSpec.from_lines("gitignore", globs).patterns
        if p.include and p.regex is not None
    ]
    return re.compile("|".join(f"(?:{r})" for r in regexes) or r"(?!)")
