"""Parquet as the Hub prefers it: a page index and content-defined chunking, where supported."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from kimputin_ds import parquet_options
from kimputin_ds.build import build_release
from kimputin_ds.parquet_options import CDC_METADATA_KEY, cdc_options, supported, writer_options


def _files(release: Path) -> list[Path]:
    files = sorted(release.glob("data/*/*.parquet"))
    assert files
    return files


@pytest.mark.skipif(
    not supported("use_content_defined_chunking"), reason="pyarrow < 21 has no chunking"
)
def test_the_release_has_a_page_index_and_records_its_chunking(
    corpus: Path, tmp_path: Path
) -> None:
    release = build_release(corpus, tmp_path / "release").output
    for path in _files(release):
        meta = pq.ParquetFile(path).metadata
        for rg in range(meta.num_row_groups):
            for col in range(meta.num_columns):
                chunk = meta.row_group(rg).column(col)
                assert chunk.has_offset_index and chunk.has_column_index, (path, col)
        recorded = json.loads(meta.metadata[CDC_METADATA_KEY.encode()])
        assert recorded == cdc_options()


def test_without_the_options_the_files_have_no_page_index(corpus: Path, tmp_path: Path) -> None:
    options = writer_options(page_index=False, content_defined_chunking=False)
    release = build_release(corpus, tmp_path / "release", parquet=options).output
    for path in _files(release):
        meta = pq.ParquetFile(path).metadata
        assert not meta.row_group(0).column(0).has_offset_index
        assert CDC_METADATA_KEY.encode() not in (meta.metadata or {})


def test_chunking_follows_datasets() -> None:
    from datasets import config

    assert cdc_options() == config.DEFAULT_CDC_OPTIONS


def test_an_older_pyarrow_gets_only_what_it_supports(monkeypatch: pytest.MonkeyPatch) -> None:
    class OldWriter:  # pyarrow 15's signature, before content-defined chunking
        def __init__(
            self,
            where: Any,
            schema: Any,
            compression: str = "snappy",
            write_statistics: bool = True,
            write_page_index: bool = False,
            **options: Any,
        ) -> None:
            pass

    monkeypatch.setattr(pq, "ParquetWriter", OldWriter)
    options = writer_options()
    assert options == {"compression": "zstd", "write_statistics": True, "write_page_index": True}
    assert parquet_options.key_value_metadata(options) == {}


def test_builds_with_either_option_are_byte_reproducible(corpus: Path, tmp_path: Path) -> None:
    """Both together are the default, which test_build checks the same way."""
    for i, (page_index, chunking) in enumerate([(False, True), (True, False)]):
        options = writer_options(page_index=page_index, content_defined_chunking=chunking)
        a = build_release(corpus, tmp_path / f"a{i}", parquet=options).output
        b = build_release(corpus, tmp_path / f"b{i}", parquet=options).output
        for path in _files(a):
            assert path.read_bytes() == (b / path.relative_to(a)).read_bytes(), path
