"""Regenerate schema/*.schema.json from the pydantic models.

Usage: python scripts/generate_schema.py
"""

from __future__ import annotations

from pathlib import Path

from kimputin_ds.schema_export import write_schemas

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    for path in write_schemas(ROOT / "schema"):
        print(f"wrote {path.relative_to(ROOT)}")
