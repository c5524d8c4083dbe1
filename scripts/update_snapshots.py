"""Regenerate the release snapshot, ``tests/snapshot/expected/<config>/<split>.jsonl``.

``tests/test_snapshot.py`` builds the fixture corpus ``tests/snapshot/corpus``
and compares every row of every config with these files, exactly. The test
never writes them: after a deliberate change to the scheme, the rows or the
fixture, run this script and review the diff before committing it::

    python scripts/update_snapshots.py          # rewrite the expected rows
    git diff tests/snapshot/expected            # review every changed value
    python scripts/update_snapshots.py --check  # exit 1 if they are stale

Rows are written one JSON object per line, label columns decoded to their
names, columns in release order, so that a wrong value reads as a one-line
diff. This script writes only files under ``tests/snapshot/expected``; a file
there that the build no longer produces is reported, never deleted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SNAPSHOT = REPO / "tests" / "snapshot"
CORPUS = SNAPSHOT / "corpus"
EXPECTED = SNAPSHOT / "expected"

Rows = dict[tuple[str, str], list[dict[str, Any]]]


def decode(feature: Any, value: Any) -> Any:
    """A value read from Parquet with its ClassLabel integers replaced by their names."""
    if value is None:
        return None
    if isinstance(feature, dict) and "_type" not in feature:  # a struct
        return {name: decode(sub, value[name]) for name, sub in feature.items()}
    kind = feature["_type"]
    if kind == "ClassLabel":
        return feature["names"][value]
    if kind in ("List", "Sequence", "LargeList"):
        return [decode(feature["feature"], item) for item in value]
    return value


def release_rows(release: Path) -> Rows:
    """Every row of a built release, by (config, split), labels decoded."""
    import pyarrow.parquet as pq

    from kimputin_ds.features import hf_features
    from kimputin_ds.rows import CONFIGS

    rows: Rows = {}
    for config, model in CONFIGS.items():
        features = hf_features(model).to_dict()
        for path in sorted((release / "data" / config).glob("*.parquet")):
            split = path.name.split("-", 1)[0]
            table = pq.read_table(path)
            assert table.column_names == list(features), f"{path}: columns differ from {model}"
            rows.setdefault((config, split), []).extend(
                {name: decode(features[name], row[name]) for name in features}
                for row in table.to_pylist()
            )
    return rows


#: Files of the repository that a build reads beside the corpus.
BESIDE_CORPUS = ("DATASET_CARD.md", "docs/guidelines.md")


def build(workdir: Path, corpus: Path = CORPUS) -> Path:
    """Build a copy of ``corpus`` in ``workdir``; returns the release directory.

    The copy sits in the repository's layout (``seeds/`` with the card
    template and the guidelines beside it), as a build expects.
    """
    from kimputin_ds.build import build_release

    seeds = workdir / "seeds"
    shutil.copytree(corpus, seeds)
    for name in BESIDE_CORPUS:
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, workdir / name)
    return build_release(seeds, workdir / "release").output


def build_rows(workdir: Path, corpus: Path = CORPUS) -> Rows:
    """Build a copy of ``corpus`` in ``workdir`` and read every row back."""
    return release_rows(build(workdir, corpus))


def to_jsonl(rows: list[dict[str, Any]]) -> str:
    """One JSON object per line, non-ASCII kept readable."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def expected_path(config: str, split: str, root: Path = EXPECTED) -> Path:
    """Where the expected rows of one config and split are stored."""
    return root / config / f"{split}.jsonl"


def read_expected(root: Path = EXPECTED) -> Rows:
    """The committed expected rows, by (config, split)."""
    rows: Rows = {}
    for path in sorted(root.glob("*/*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        rows[(path.parent.name, path.stem)] = [json.loads(line) for line in lines]
    return rows


def main(argv: list[str] | None = None) -> int:
    """Rewrite the expected rows (or, with ``--check``, only compare them)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the snapshot is stale"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        built = build_rows(Path(tmp))
    stored = read_expected()
    changed = sorted(key for key in built if built[key] != stored.get(key))
    stale = sorted(set(stored) - set(built))
    for config, split in changed:
        path = expected_path(config, split)
        print(f"{'stale' if args.check else 'wrote'}: {path.relative_to(REPO)}")
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(to_jsonl(built[(config, split)]), encoding="utf-8")
    for config, split in stale:
        rel = expected_path(config, split).relative_to(REPO)
        print(f"no longer built: {rel} (remove it with git rm)", file=sys.stderr)
    if not changed and not stale:
        print("snapshot up to date")
    return 1 if stale or (args.check and changed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
