"""Refresh the generated blocks of DATASET_CARD.md (column tables, statistics).

The build fills the same blocks in the release README; committing them keeps
the card readable on GitHub and lets a test catch a stale card.

Usage: python scripts/generate_card.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from kimputin_ds.build import build_release

ROOT = Path(__file__).resolve().parent.parent


def card_body(release: Path) -> str:
    """The release README without its YAML front matter."""
    text = (release / "README.md").read_text(encoding="utf-8")
    return text.split("---\n", 2)[2].lstrip("\n")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        result = build_release(ROOT / "seeds", Path(tmp) / "release")
        (ROOT / "DATASET_CARD.md").write_text(card_body(result.output), encoding="utf-8")
    print("wrote DATASET_CARD.md")
