"""Stage 5: turning the report model into Markdown, JSON and HTML."""
