"""repodigest: one day of commits, turned into a report people read over coffee."""

__version__ = "0.1.0"
