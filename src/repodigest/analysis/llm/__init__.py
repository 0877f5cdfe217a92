"""LLM analysis through any OpenAI-compatible endpoint, grounded in the commit's facts and diff."""
