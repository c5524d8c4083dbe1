"""Refresh the generated tables of docs/guidelines.md (core roles per event type).

Usage: python scripts/generate_guidelines.py
"""

from __future__ import annotations

from pathlib import Path

from kimputin_ds.guidelines import fill_guidelines

ROOT = Path(__file__).resolve().parent.parent
GUIDELINES = ROOT / "docs" / "guidelines.md"


def main() -> int:
    """Rewrite the generated blocks in place."""
    text = GUIDELINES.read_text(encoding="utf-8")
    GUIDELINES.write_text(fill_guidelines(text), encoding="utf-8")
    print(f"wrote {GUIDELINES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
