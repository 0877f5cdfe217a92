"""The configuration file (`repodigest.toml`) and how command-line flags override it."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from repodigest.errors import BadInput
from repodigest.paths import config_dir
from repodigest.render.registry import RENDERERS
from repodigest.wording import languages

DEFAULT_CONFIG_NAME = "repodigest.toml"
CONFIG_NAMES = (DEFAULT_CONFIG_NAME, ".repodigest.toml")
"""Looked for in the working folder, in this order."""
ENV_PREFIX = "REPODIGEST_"
ENV_KEYS = ("timezone", "language", "output", "formats", "analyzer", "rules")
"""Top-level keys that `REPODIGEST_<KEY>` overrides (between the file and the flags)."""
RELATIVE_KEYS = ("output", "rules")
"""Paths in a config file that are relative to the file's folder, as `[[repositories]] path` is."""
RELATIVE_PUBLISH_KEYS = {"git": ("repository",), "mail": ("ca_file",)}
"""The path-like settings of each publisher kind (github's `repository` is owner/name, not a path)."""
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


class PullRequestsConfig(_Section):
    enabled: bool = False
    """Off by default: the offline report never needs the host. On, it needs a token."""
    token_env: str = "GITHUB_TOKEN"
    """Name of the environment variable holding a GitHub token (read access is enough)."""
    api_url: str = "https://api.github.com"
    """GitHub Enterprise: https://HOST/api/v3."""
    look_up_commits: bool = True
    """Also ask which pull request a commit came from when its message names none (one request per commit)."""
    max_wait: float = Field(default=60, ge=0, le=3600)
    """Longest wait for GitHub's rate limit to reset; later than that, the run goes on without context."""


class ArchiveConfig(_Section):
    enabled: bool = False
    """Off by default: the output folder then holds only the reports, as it always has."""
    site_url: str | None = None
    """Where the output folder is served (https://acme.github.io/reports/): feed links become
    absolute, which some feed readers need. Unset: links are relative to the feed."""
    feed_entries: int = Field(default=60, ge=1, le=1000)
    """Newest reports in each feed; the index pages list all of them."""

    @field_validator("site_url")
    @classmethod
    def _http_site(cls, value: str | None) -> str | None:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("site_url must start with https:// or http://")
        return value.rstrip("/") + "/" if value else None


class Config(_Section):
    timezone: str = "Asia/Shanghai"
    language: str = "zh"
    """A language with a locale file in wording/locales (zh, en)."""
    output: str = "reports"
    formats: tuple[str, ...] = Field(default=("md", "json"), min_length=1)
    """Names from the renderer registry (render/registry.py)."""
    analyzer: str = "rules"
    rules: str | None = None
    """A TOML file whose importance rules override the built-in ones."""
    repositories: tuple[RepositoryConfig, ...] = ()
    llm: LlmConfig = LlmConfig()
    state: StateConfig = StateConfig()
    archive: ArchiveConfig = ArchiveConfig()
    pull_requests: PullRequestsConfig = PullRequestsConfig()
    """Pull-request context from GitHub for commits on GitHub (titles, labels, descriptions)."""
    """The archive site (index pages and Atom feeds) beside the reports."""
    publish: tuple[dict, ...] = ()
    """Publisher sections (`[[publish]]` with `kind = ...`), validated by each publisher."""

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in languages():
            raise ValueError(f"unknown language {value!r}: use {', '.join(languages())}")
        return value

    @field_validator("formats", mode="before")
    @classmethod
    def _split_formats(cls, value):
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in value if name not in RENDERERS]
        if unknown:
            raise ValueError(f"unknown format {unknown[0]!r}: use {', '.join(RENDERERS)}")
        return value


def find_config(explicit: Path | None = None) -> Path | None:
    """`--config`; else $REPODIGEST_CONFIG; else ./repodigest.toml, ./.repodigest.toml; else
    repodigest.toml in the user's config folder ($REPODIGEST_HOME when set). None: the defaults."""
    if explicit is not None:
        return explicit
    named = os.environ.get(f"{ENV_PREFIX}CONFIG")
    if named:
        return Path(named).expanduser()
    for name in CONFIG_NAMES:
        if Path(name).is_file():
            return Path(name)
    user = config_dir() / DEFAULT_CONFIG_NAME
    return user if user.is_file() else None


def load_config(path: Path | None) -> tuple[Config, Path | None]:
    """Read the file `find_config` names, or the defaults. Relative paths in the file are
    relative to the file's folder, wherever the command runs."""
    path = find_config(path)
    if path is None:
        return Config(), None
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BadInput(
            f"config file {path} does not exist", "create it with `repodigest init` or fix --config"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(
            f"cannot read config file {path}: {error}", "check the file's permissions and encoding"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise BadInput(f"config file {path} is not valid TOML: {error}", "fix the line it names") from None
    return parse_config(_relative_to(raw, path.resolve().parent), str(path)), path


def _relative_to(raw: dict, folder: Path) -> dict:
    def resolve(value):
        if not isinstance(value, str) or not value or "://" in value:
            return value
        candidate = Path(value).expanduser()
        return value if candidate.is_absolute() else str(folder / candidate)

    raw = dict(raw)
    for key in RELATIVE_KEYS:
        if key in raw:
            raw[key] = resolve(raw[key])
    if isinstance(raw.get("repositories"), list):
        raw["repositories"] = [
            {**r, "path": resolve(r["path"])} if isinstance(r, dict) and "path" in r else r for r in raw["repositories"]
        ]
    if isinstance(raw.get("publish"), list):
        raw["publish"] = [_relative_section(section, resolve) for section in raw["publish"]]
    if isinstance(raw.get("state"), dict) and isinstance(raw["state"].get("database_url"), str):
        raw["state"] = {**raw["state"], "database_url": _relative_sqlite(raw["state"]["database_url"], folder)}
    return raw


def _relative_section(section, resolve):
    if not isinstance(section, dict):
        return section
    keys = RELATIVE_PUBLISH_KEYS.get(section.get("kind"), ())
    return {key: resolve(value) if key in keys else value for key, value in section.items()}


def _relative_sqlite(url: str, folder: Path) -> str:
    """`sqlite:///state.db` (three slashes: a relative path) is relative to the file's folder;
    `sqlite:////abs/state.db`, `sqlite://` and `:memory:` are left as they are."""
    prefix = next((p for p in ("sqlite:///", "sqlite+pysqlite:///") if url.startswith(p)), None)
    if prefix is None:
        return url
    path, _, query = url[len(prefix) :].partition("?")
    if not path or path.startswith("/") or path == ":memory:":
        return url
    resolved = folder / Path(path).expanduser()
    return f"{prefix}{resolved}" + (f"?{query}" if query else "")


def env_overrides(environ=None) -> dict:
    """`REPODIGEST_TIMEZONE=UTC` and the like, for the top-level keys in ENV_KEYS."""
    environ = os.environ if environ is None else environ
    return {key: environ[f"{ENV_PREFIX}{key.upper()}"] for key in ENV_KEYS if environ.get(f"{ENV_PREFIX}{key.upper()}")}


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


def with_overrides(config: Config, origin: str = "command line", **overrides) -> Config:
    """The config with every non-None override applied (command-line flags win over the file)."""
    changes = {key: value for key, value in overrides.items() if value is not None}
    if not changes:
        return config
    return parse_config({**config.model_dump(exclude_unset=False), **changes}, origin)
