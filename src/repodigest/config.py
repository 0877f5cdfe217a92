"""The configuration file (`repodigest.toml`) and how command-line flags override it."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from repodigest.errors import BadInput

DEFAULT_CONFIG_NAME = "repodigest.toml"
Language = Literal["zh", "en"]
OutputFormat = Literal["md", "json", "html"]
HostKind = Literal["github", "gitlab", "gitea", "bitbucket"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RepositoryConfig(_Section):
    url: str | None = None
    """Clone URL (https, ssh, file://) of a remote repository."""
    path: str | None = None
    """Folder of a local repository."""
    branch: str | None = None
    name: str | None = None
    """Display name; defaults to owner/name from the URL or the folder name."""
    web_url: str | None = None
    """Web page of the repository, for commit links when the URL does not tell."""
    host: HostKind | None = None
    """Kind of host behind web_url or a self-hosted URL."""

    @model_validator(mode="after")
    def _one_source(self) -> RepositoryConfig:
        if bool(self.url) == bool(self.path):
            raise ValueError("give each repository exactly one of `url` or `path`")
        return self

    @property
    def source(self) -> str:
        return self.url or self.path or ""


class LlmConfig(_Section):
    base_url: str | None = None
    """OpenAI-compatible endpoint, e.g. https://api.deepseek.com/v1 or http://127.0.0.1:8080/v1."""
    model: str = "deepseek-chat"
    fallback_model: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    """Name of the environment variable holding the key; the key itself never goes in this file."""
    temperature: float = Field(default=0.2, ge=0, le=2)
    concurrency: int = Field(default=4, ge=1, le=64)
    max_prompt_tokens: int = Field(default=6000, ge=500)
    max_output_tokens: int | None = Field(default=None, ge=200)
    """Room for one answer. Unset: sized by the commit's importance and the report's language
    (a high Chinese section needs about 3,300 tokens, a low English one 500)."""
    context_window: int | None = Field(default=None, ge=1000)
    """The server's context size (llama.cpp's -c): prompt and answer room together never exceed it."""
    timeout: float = Field(default=120, gt=0)
    max_retries: int = Field(default=3, ge=0, le=10)
    max_failure_share: float = Field(default=0.2, ge=0, le=1)
    """Above this share of commits that fell back to the rules, the run exits 1."""
    batch_small_commits: bool = True
    day_summary: bool = False
    json_mode: Literal["schema", "object_schema", "object", "none"] = "schema"
    """How to ask for JSON; the analyzer steps down by itself when a server refuses a mode."""


class StateConfig(_Section):
    database_url: str | None = None
    """SQLAlchemy URL; defaults to SQLite under $REPODIGEST_HOME or the user's data folder."""


class Config(_Section):
    timezone: str = "Asia/Shanghai"
    language: Language = "zh"
    output: str = "reports"
    formats: tuple[OutputFormat, ...] = ("md", "json")
    analyzer: str = "rules"
    rules: str | None = None
    """A TOML file whose importance rules override the built-in ones."""
    repositories: tuple[RepositoryConfig, ...] = ()
    llm: LlmConfig = LlmConfig()
    state: StateConfig = StateConfig()
    publish: tuple[dict, ...] = ()
    """Publisher sections (`[[publish]]` with `kind = ...`), validated by each publisher."""

    @field_validator("formats", mode="before")
    @classmethod
    def _split_formats(cls, value):
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value


def load_config(path: Path | None) -> tuple[Config, Path | None]:
    """Read `path`, or ./repodigest.toml when it exists, or the defaults."""
    if path is None:
        candidate = Path(DEFAULT_CONFIG_NAME)
        if not candidate.is_file():
            return Config(), None
        path = candidate
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(f"config file {path} does not exist", "create it with `repodigest init` or fix --config") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"cannot read config file {path}: {error}", "check the file's permissions and encoding") from None
    except tomllib.TOMLDecodeError as error:
        raise BadInput(f"config file {path} is not valid TOML: {error}", "fix the line it names") from None
    return parse_config(raw, str(path)), path


def parse_config(raw: dict, origin: str = "config") -> Config:
    try:
        return Config.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        raise BadInput(
            f"{origin}: {where}: {first['msg']}",
            "see the configuration reference in README.md, or `repodigest init` for an example",
        ) from None


def with_overrides(config: Config, **overrides) -> Config:
    """The config with every non-None override applied (command-line flags win over the file)."""
    changes = {key: value for key, value in overrides.items() if value is not None}
    if not changes:
        return config
    return parse_config({**config.model_dump(exclude_unset=False), **changes}, "command line")
