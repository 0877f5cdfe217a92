"""JSON output: one document per repository file, a combined document for the day file."""

from __future__ import annotations

from repodigest.render.json_document import day_document, repository_document
from repodigest.report.models import Report


class JsonRenderer:
    extension = "json"

    def render(self, report: Report) -> str:
        if len(report.repositories) == 1:
            return repository_document(report, report.repositories[0]).model_dump_json(indent=2) + "\n"
        return day_document(report).model_dump_json(indent=2) + "\n"
