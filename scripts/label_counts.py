"""Counts per label of the curated annotations, now or at a git revision.

Reads the annotation files as plain YAML (so files of schema 1.0 can be read
too) and prints, per layer, how often each label occurs.

Usage:
    python scripts/label_counts.py              # the working tree's seeds/
    python scripts/label_counts.py --rev REV    # seeds/ at a git revision
"""

from __future__ import annotations

import argparse
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _files(rev: str | None) -> dict[str, Any]:
    if rev is None:
        return {
            p.name: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "seeds").glob("*.yaml"))
        }
    names = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "--name-only", rev, "seeds/"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return {
        Path(n).name: yaml.safe_load(
            subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{rev}:{n}"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for n in names
        if n.endswith(".yaml")
    }


def counts(files: dict[str, Any]) -> dict[str, Counter[str]]:
    """Label counts by layer."""
    out: dict[str, Counter[str]] = {
        k: Counter()
        for k in (
            "stance label",
            "stance target kind",
            "stance label by target kind",
            "stance explicit",
            "event status",
            "event type",
            "events with asserted_by",
            "events with cross_doc_id",
            "event arguments with an entity",
            "quote kind",
            "quote speaker_reference",
            "quote speaker type",
            "entity type (registry)",
            "plural mentions",
        )
    }
    registry = files.get("entities.yaml") or {}
    types = {e["id"]: e["type"] for e in registry.get("entities", [])}
    out["entity type (registry)"].update(types.values())
    for name, data in files.items():
        if name in {"entities.yaml", "splits.yaml", "claims.yaml"} or not data:
            continue
        for s in data.get("stances") or []:
            kind = next(iter(s["target"]))
            out["stance label"][s["label"]] += 1
            out["stance target kind"][kind] += 1
            out["stance label by target kind"][f"{kind}:{s['label']}"] += 1
            out["stance explicit"][str(s["explicit"]).lower()] += 1
        for e in data.get("events") or []:
            out["event status"][e["status"]] += 1
            out["event type"][e["type"]] += 1
            out["events with asserted_by"]["yes" if e.get("asserted_by") else "no"] += 1
            out["events with cross_doc_id"]["yes" if e.get("cross_doc_id") else "no"] += 1
            out["event arguments with an entity"]["count"] += sum(
                1 for a in e.get("arguments") or [] if a.get("entity")
            )
        for q in data.get("quotes") or []:
            out["quote kind"][q["kind"]] += 1
            out["quote speaker_reference"][q["speaker_reference"]] += 1
            out["quote speaker type"][types.get(q.get("speaker") or "", "none")] += 1
        out["plural mentions"]["count"] += len(data.get("plural_mentions") or [])
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the counts as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rev", help="a git revision (default: the working tree)")
    args = parser.parse_args(argv)
    for layer, counter in counts(_files(args.rev)).items():
        items = ", ".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: -kv[1]))
        print(f"- {layer}: {items}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
