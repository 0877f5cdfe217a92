"""Stage 3: judging each commit (rules from facts, optionally an LLM) into an Analysis."""
