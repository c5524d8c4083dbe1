"""The card's ``dataset_info`` and the Croissant file objects, checked against the files.

A user sizing a download, or a loader trusting the row counts, reads these
numbers; each is recomputed here from the Parquet files of a real build of the
snapshot fixture corpus (which has rows in every config and split).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import load_script
from kimputin_ds.publish import parse_front_matter
from kimputin_ds.rows import CONFIGS

snapshots = load_script("update_snapshots")


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built: Path = snapshots.build(tmp_path_factory.mktemp("metadata"))
    return built


def _shards(release: Path, config: str, split: str) -> list[Path]:
    return sorted((release / "data" / config).glob(f"{split}-*.parquet"))


def _arrow_bytes(paths: list[Path]) -> int:
    """Arrow size of the rows, built from Python values as the build builds them.

    (A table read back from Parquet carries validity bitmaps for columns
    without nulls, so its own ``nbytes`` is a few bytes larger.)
    """
    table = pa.concat_tables([pq.read_table(p) for p in paths])
    return int(pa.Table.from_pylist(table.to_pylist(), schema=table.schema).nbytes)


def test_card_split_sizes_match_the_parquet_files(release: Path) -> None:
    meta = parse_front_matter((release / "README.md").read_text(encoding="utf-8"))
    infos = {info["config_name"]: info for info in meta["dataset_info"]}
    assert set(infos) == set(CONFIGS)
    for config, info in infos.items():
        splits = {s["name"]: s for s in info["splits"]}
        on_disk = {p.name.split("-", 1)[0] for p in (release / "data" / config).glob("*.parquet")}
        assert set(splits) == on_disk, config
        for name, split in splits.items():
            paths = _shards(release, config, name)
            rows = sum(pq.ParquetFile(p).metadata.num_rows for p in paths)
            assert split["num_examples"] == rows, (config, name)
            assert split["num_bytes"] == _arrow_bytes(paths), (config, name)
    # the sizes differ between splits, so a value taken from the wrong split shows
    sizes = [s["num_bytes"] for info in infos.values() for s in info["splits"]]
    assert len(set(sizes)) > len(sizes) // 2


def test_croissant_file_objects_match_the_files(release: Path) -> None:
    doc: dict[str, Any] = json.loads((release / "croissant.json").read_text(encoding="utf-8"))
    objects = {o["contentUrl"]: o for o in doc["distribution"] if o["@type"] == "cr:FileObject"}
    parquet = {p.relative_to(release).as_posix() for p in (release / "data").rglob("*.parquet")}
    assert {u for u in objects if u.endswith(".parquet")} == parquet
    for url in sorted(parquet):
        obj, path = objects[url], release / url
        config, shard = url.split("/")[1:3]
        split = shard.split("-", 1)[0]
        rows = pq.ParquetFile(path).metadata.num_rows
        assert obj["description"] == f"Split {split} of config {config}: {rows} rows.", url
        assert obj["contentSize"] == f"{path.stat().st_size} B", url
        assert obj["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), url


def test_card_statistics_table_counts_the_rows(release: Path) -> None:
    body = (release / "README.md").read_text(encoding="utf-8")
    for config in CONFIGS:
        line = re.search(rf"^\| `{config}` \|((?: \d+ \|)+)$", body, re.MULTILINE)
        assert line is not None, config
        cells = [int(c) for c in line.group(1).split("|")[:-1]]
        counts = [
            sum(pq.ParquetFile(p).metadata.num_rows for p in _shards(release, config, split))
            for split in ("train", "validation", "test")
        ]
        assert cells == [*counts, sum(counts)], config
