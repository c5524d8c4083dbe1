"""Run the baselines under the evaluation protocol and print their scores.

Leave-one-document-out cross-validation (the main protocol) and the fixed
split, with 95 % bootstrap intervals over documents; see docs/evaluation.md.

Usage:
    python scripts/baselines.py                 # builds seeds/ into a temporary release
    python scripts/baselines.py --reference dist/2.0.0
    python scripts/baselines.py --write-card    # also refresh the card's Benchmark block
"""

from __future__ import annotations

from kimputin_ds.baselines import main

if __name__ == "__main__":
    raise SystemExit(main())
