"""Reading a `[[publish]]` section: its own pydantic model, and secrets from the environment."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError

from repodigest.credentials import from_environment
from repodigest.errors import BadInput


class PublisherSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    name: str | None = None
    """Distinguishes two publishers of the same kind in the ledger and the run summary."""


def parse_section(model: type[BaseModel], section: dict):
    try:
        return model.model_validate(section)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "section"
        raise BadInput(
            f"[[publish]] kind = {section.get('kind')!r}: {where}: {first['msg']}",
            "see the publishing section of README.md",
        ) from None


def secret_from_env(variable: str, what: str) -> str:
    value = from_environment(variable)
    if not value:
        raise BadInput(
            f"{what} needs the environment variable {variable}, which is not set",
            f"export {variable}=... (never put the value itself in the config file)",
        )
    return value
