"""What we ask the model for, as pydantic models; their JSON Schema goes in the request."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ChangeType = Literal["feat", "fix", "perf", "refactor", "docs", "test", "ci", "build", "deps", "chore", "style",
                     "revert", "security", "change"]
Dimension = Literal["architecture", "performance", "security", "compatibility", "maintainability", "testing",
                    "operations"]


class ModelInsight(BaseModel):
    dimension: Dimension
    text: str = Field(max_length=600)


class ModelAnalysis(BaseModel):
    change_type: ChangeType
    importance: Literal["high", "medium", "low"]
    importance_reason: str = Field(max_length=400)
    summary: str = Field(min_length=1, max_length=1200)
    insights: list[ModelInsight] = Field(default_factory=list, max_length=7)
    risks: list[str] = Field(default_factory=list, max_length=6)
    suggestions: list[str] = Field(default_factory=list, max_length=6)


class ModelCommitAnalysis(ModelAnalysis):
    sha: str = Field(description="The commit's short sha, as given in the prompt")


class ModelBatch(BaseModel):
    analyses: list[ModelCommitAnalysis]


class ModelDaySummary(BaseModel):
    summary: str = Field(min_length=1, max_length=1500)
