"""What we ask the model for, as pydantic models; their JSON Schema goes in the request.

No length limits in the schema: servers that turn a schema into a sampling grammar (llama.cpp)
expand every maxLength and maxItems into repeated rules and give up on a schema like ours. Only
enums, required fields and `minItems: 1` are used, which every grammar converter handles. The
prompt gives length guidance by importance instead, and the renderer copes with any length.

Answers in the earlier, flatter shape (`change_type`, insights with `text`, risks and suggestions
as plain strings) are still accepted: small models without a grammar often fall back to it, and
their content is as good in that shape."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

ChangeType = Literal[
    "feat",
    "fix",
    "perf",
    "refactor",
    "docs",
    "test",
    "ci",
    "build",
    "deps",
    "chore",
    "style",
    "revert",
    "security",
    "change",
]
Dimension = Literal[
    "architecture", "performance", "security", "compatibility", "maintainability", "operations", "testing"
]
Level = Literal["high", "medium", "low"]
Audience = Literal["users", "operators", "developers", "reviewers", "security"]


class ModelInsight(BaseModel):
    dimension: Dimension
    points: list[str] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value):
        if isinstance(value, dict) and "points" not in value and isinstance(value.get("text"), str):
            return {**value, "points": [value["text"]]}
        return value


class ModelRisk(BaseModel):
    severity: Level
    title: str
    text: str
    points: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value):
        return {"severity": "medium", "title": "", "text": value} if isinstance(value, str) else value


class ModelSuggestion(BaseModel):
    audience: Audience
    text: str
    why: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value):
        return {"audience": "developers", "text": value} if isinstance(value, str) else value


class ModelAnalysis(BaseModel):
    change_types: list[ChangeType] = Field(min_length=1)
    importance: Level
    importance_reason: str
    summary: str = Field(min_length=1)
    impact_scope: list[str] = Field(default_factory=list)
    insights: list[ModelInsight] = Field(default_factory=list)
    risks: list[ModelRisk] = Field(default_factory=list)
    suggestions: list[ModelSuggestion] = Field(default_factory=list)
    conclusion: str = ""

    @model_validator(mode="before")
    @classmethod
    def _from_single_type(cls, value):
        if isinstance(value, dict) and "change_types" not in value and isinstance(value.get("change_type"), str):
            return {**value, "change_types": [value["change_type"]]}
        return value


class ModelCommitAnalysis(ModelAnalysis):
    sha: str = Field(description="The commit's short sha, as given in the prompt")


class ModelBatch(BaseModel):
    analyses: list[ModelCommitAnalysis]


class ModelDaySummary(BaseModel):
    summary: str = Field(min_length=1)
