"""Stage 1: read commits and their diffs from git."""
