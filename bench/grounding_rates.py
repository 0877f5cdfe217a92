"""Grounding precision on the labelled set of true and false sentences about real commits.

    python bench/grounding_rates.py

Prints the false-drop rate (true sentences grounding removed; target ≤ 2%) and the kept-falsehood
rate (false sentences it let through; target ≤ 5%), and every sentence that missed.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from support.grounding_set import evaluate


def main() -> int:
    rates = evaluate()
    print("\n".join(rates.lines()))
    return 0 if rates.false_drop_rate <= 0.02 and rates.kept_falsehood_rate <= 0.05 else 1


if __name__ == "__main__":
    sys.exit(main())
