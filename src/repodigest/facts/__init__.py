"""Stage 2: what each diff really changed, as typed facts with evidence."""
