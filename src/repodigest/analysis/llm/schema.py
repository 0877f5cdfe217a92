"""What we ask the model for, as pydantic models; their JSON Schema goes in the request.

No length limits in the schema: servers that turn a schema into a sampling grammar (llama.cpp)
expand every maxLength and maxItems into repeated rules and give up on a schema like ours. The
prompt asks for brevity instead, and the renderer copes with any length."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

ChangeType = Literal["feat", "fix", "perf", "refactor", "docs", "test", "ci", "build", "deps", "chore", "style",
                     "revert", "security", "change"]
Dimension = Literal["architecture", "performance", "security", "compatibility", "maintainability", "testing",
                    "operations"]


class ModelInsight(BaseModel):
    dimension: Dimension
    text: str


class ModelAnalysis(BaseModel):
    change_type: ChangeType
    importance: Literal["high", "medium", "low"]
    importance_reason: str
    summary: str = Field(min_length=1)
    insights: list[ModelInsight] = Field(default_factory=list)
    risks: list[str] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)


class ModelCommitAnalysis(ModelAnalysis):
    sha: str = Field(description="The commit's short sha, as given in the prompt")


class ModelBatch(BaseModel):
    analyses: list[ModelCommitAnalysis]


class ModelDaySummary(BaseModel):
    summary: str = Field(min_length=1)
