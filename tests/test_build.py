"""Build a release from the mini corpus and read it back as users do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import datasets
import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from conftest import REPO
from kimputin_ds.build import DEFAULT_SHARD_BYTES, GUIDELINES, build_release, data_path, main
from kimputin_ds.card import SPLITS
from kimputin_ds.corpus import load_document
from kimputin_ds.errors import KimputinError, Report
from kimputin_ds.features import _kind, column_encoders, hf_features, row_encoder
from kimputin_ds.manifest import MANIFEST_NAME, verify_manifest
from kimputin_ds.records import document_records
from kimputin_ds.rows import CONFIGS, MentionRow
from kimputin_ds.schema_export import SCHEMA_FILES
from kimputin_ds.validation import checked_documents, open_corpus
from kimputin_ds.version import __version__


@pytest.fixture
def release(corpus: Path, tmp_path: Path) -> Path:
    result = build_release(corpus, tmp_path / "dist" / "1.0.0")
    assert result.changed
    return result.output


def load(release: Path, config: str, split: str) -> datasets.Dataset:
    ds = datasets.load_dataset(str(release), config, split=split)
    assert isinstance(ds, datasets.Dataset)
    return ds


def _spans(row: dict[str, Any], model: Any) -> list[dict[str, Any]]:
    """Every {text, start, end} inside a row, found through the row model."""
    found = []
    if {"text", "start", "end"} <= set(model.model_fields) and row.get("start") is not None:
        found.append(row)
    for name, info in model.model_fields.items():
        kind, payload = _kind(info.annotation)
        value = row.get(name)
        if value is None:
            continue
        if kind == "struct":
            found += _spans(value, payload)
        elif kind == "list" and _kind(payload)[0] == "struct":
            for item in value:
                found += _spans(item, _kind(payload)[1])
    return found


def test_release_layout(release: Path) -> None:
    names = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file()}
    expected = {data_path(c, s) for c in CONFIGS for s in SPLITS} - {data_path("quotes", "test")}
    assert names == expected | {
        "README.md",
        "LICENSE",
        "croissant.json",
        MANIFEST_NAME,
        GUIDELINES,
        *(f"schema/{name}" for name in SCHEMA_FILES),
    }
    manifest = json.loads((release / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert GUIDELINES in manifest["files"]
    assert (release / GUIDELINES).read_bytes() == (REPO / GUIDELINES).read_bytes()
    assert "CC BY 4.0" in (release / "LICENSE").read_text(encoding="utf-8")
    assert verify_manifest(release).ok
    manifest = json.loads((release / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["version"] == __version__


def test_every_config_and_split_loads_with_labels_and_exact_offsets(release: Path) -> None:
    docs = {r["doc_id"]: r["text"] for s in SPLITS for r in load(release, "documents", s)}
    assert len(docs) == 3
    for config, model in CONFIGS.items():
        for split in SPLITS:
            if (config, split) == ("quotes", "test"):
                continue  # doc_c has no quote, so the split has no file
            ds = load(release, config, split)
            assert ds.features == hf_features(model)
            for row in ds:
                doc_id = row.get("doc_id") or row.get("document_id")
                for span in _spans(row, model):
                    assert docs[doc_id][span["start"] : span["end"]] == span["text"], (config, span)
    quotes = load(release, "quotes", "validation")
    assert quotes.features["kind"].names == ["direct", "indirect", "mixed"]
    assert {quotes.features["kind"].int2str(k) for k in quotes["kind"]} == {"mixed", "indirect"}


def test_row_counts(release: Path) -> None:
    counts = {
        (c, s): load(release, c, s).num_rows
        for c in CONFIGS
        for s in SPLITS
        if (c, s) != ("quotes", "test")
    }
    assert counts[("documents", "train")] == 1
    assert counts[("mentions", "train")] == 7
    assert counts[("quotes", "train")] == 2
    assert counts[("events", "test")] == 2
    assert counts[("stances", "validation")] == 1
    assert counts[("kb", "test")] == 1
    assert counts[("entities", "test")] == 3  # putin, pyongyang, united_states


def test_kb_config_follows_bigbio(release: Path) -> None:
    row = load(release, "kb", "train")[0]
    assert set(row) == {
        "id",
        "document_id",
        "passages",
        "entities",
        "events",
        "coreferences",
        "relations",
    }
    kinds = {e["type"] for e in row["entities"]}
    assert {"person", "QUOTE_DIRECT", "CUE", "SPEAKER"} <= kinds
    ids = {e["id"] for e in row["entities"]}
    for event in row["events"]:
        assert all(a["ref_id"] in ids for a in event["arguments"])
    for rel in row["relations"]:
        assert rel["arg1_id"] in ids and rel["arg2_id"] in ids


def test_labels_survive_from_parquet_metadata_alone(release: Path) -> None:
    path = release / data_path("events", "train")
    features = datasets.Features.from_arrow_schema(pq.read_schema(path))
    assert features["status"].names[0] == "occurred"
    assert features["arguments"].feature["role"].names[0] == "agent"


def test_readme_metadata(release: Path) -> None:
    text = (release / "README.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["language"] == ["id"]
    assert meta["annotations_creators"] == ["machine-generated"]
    info = {i["config_name"]: i for i in meta["dataset_info"]}
    infos = datasets.info.DatasetInfosDict.from_dataset_card_data(meta)
    assert infos["quotes"].features == hf_features(CONFIGS["quotes"])
    assert {s["name"]: s["num_examples"] for s in info["quotes"]["splits"]} == {
        "train": 2,
        "validation": 2,
    }
    quote_files = next(c for c in meta["configs"] if c["config_name"] == "quotes")["data_files"]
    assert [f["split"] for f in quote_files] == ["train", "validation"]
    assert "<!-- BEGIN GENERATED: structure -->\n### `documents`" in text
    assert "| `quote_id` | string |" in text


def test_duckdb_and_pandas_read_the_same_files(release: Path) -> None:
    glob = str(release / "data" / "quotes" / "*.parquet")
    con = duckdb.connect()
    assert con.execute(f"SELECT count(*) FROM read_parquet('{glob}')").fetchall() == [(4,)]
    speakers = con.execute(
        f"SELECT speaker_name, count(*) AS n FROM read_parquet('{glob}') GROUP BY 1 ORDER BY 2 DESC"
    ).fetchall()
    assert speakers[0] == ("Dmitry Peskov", 3)
    frame = pd.read_parquet(release / data_path("mentions", "train"))
    assert list(frame.columns) == list(CONFIGS["mentions"].model_fields)
    assert frame["start"].dtype.name == "int32"
    assert (frame["end"] > frame["start"]).all()


def test_two_builds_are_byte_identical(corpus: Path, tmp_path: Path) -> None:
    a = build_release(corpus, tmp_path / "a").output
    b = build_release(corpus, tmp_path / "b").output
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_an_empty_split_is_left_out_with_a_clear_error(release: Path) -> None:
    # The mini corpus has no quote in its test document: no file, no card entry,
    # and datasets names the splits that do exist.
    assert not list((release / "data" / "quotes").glob("test-*.parquet"))
    assert list((release / "data" / "quotes").glob("train-*.parquet"))
    with pytest.raises(
        ValueError, match=r"Unknown split \"test\"\. Should be one of \['train', 'validation'\]"
    ):
        load(release, "quotes", "test")


def test_rebuild_of_identical_content_is_a_no_op(corpus: Path, release: Path) -> None:
    result = build_release(corpus, release)
    assert not result.changed


def test_changed_content_is_refused_without_force(corpus: Path, release: Path) -> None:
    before = (release / MANIFEST_NAME).read_bytes()
    path = corpus / "doc_c.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("label: deny", "label: comment"),
        encoding="utf-8",
    )
    with pytest.raises(KimputinError, match="already exists with different content"):
        build_release(corpus, release)
    assert (release / MANIFEST_NAME).read_bytes() == before
    assert build_release(corpus, release, force=True).changed
    assert (release / MANIFEST_NAME).read_bytes() != before


def test_rebuild_never_serves_stale_cached_rows(corpus: Path, release: Path) -> None:
    assert load(release, "stances", "test")[0]["label"] == 4  # deny
    path = corpus / "doc_c.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("label: deny", "label: comment"),
        encoding="utf-8",
    )
    build_release(corpus, release, force=True)
    assert load(release, "stances", "test")[0]["label"] == 6  # comment, not the cached row


def test_invalid_corpus_writes_nothing(corpus: Path, tmp_path: Path) -> None:
    (corpus / "doc_b.yaml").write_text("- not a mapping\n", encoding="utf-8")
    output = tmp_path / "out"
    with pytest.raises(KimputinError) as info:
        build_release(corpus, output)
    assert not info.value.report.ok
    assert not output.exists()
    assert not list(tmp_path.glob(".out.*"))


def test_a_failing_build_keeps_the_previous_release(
    corpus: Path, release: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p: p.read_bytes() for p in release.rglob("*") if p.is_file()}
    path = corpus / "doc_c.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("label: deny", "label: comment"),
        encoding="utf-8",
    )

    def killed(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt  # stands for a build killed while writing the card

    monkeypatch.setattr("kimputin_ds.build.render_readme", killed)
    with pytest.raises(KeyboardInterrupt):
        build_release(corpus, release, force=True)
    assert {p: p.read_bytes() for p in release.rglob("*") if p.is_file()} == before
    assert not list(release.parent.glob(f".{release.name}.*"))


def test_leftover_partial_directory_is_cleaned(corpus: Path, tmp_path: Path) -> None:
    output = tmp_path / "dist" / "1.0.0"
    leftover = output.parent / f".1.0.0.partial-{'ab' * 16}"
    (leftover / "data").mkdir(parents=True)
    foreign = output.parent / ".1.0.0.partial-mine"  # not a name a build makes
    foreign.mkdir()
    build_release(corpus, output)
    assert not leftover.exists()
    assert foreign.is_dir()


def test_small_batches_write_several_row_groups(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Row groups close between chunks of documents; chunks of one document here.
    monkeypatch.setattr("kimputin_ds.pipeline.CHUNK_DOCS", 1)
    splits = corpus / "splits.yaml"
    splits.write_text(
        'schema_version: "1.0"\ntrain: [doc_a, doc_b]\nvalidation: [doc_c]\ntest: []\n'
        "rationale: Two documents in train.\n",
        encoding="utf-8",
    )
    out = build_release(corpus, tmp_path / "r", batch_rows=1).output
    meta = pq.ParquetFile(out / data_path("mentions", "train")).metadata
    assert (meta.num_row_groups, meta.num_rows) == (2, 12)  # one row group per document
    assert not (out / data_path("documents", "test")).exists()


def test_cli_reports_errors_without_traceback(corpus: Path, tmp_path: Path, capsys: Any) -> None:
    (corpus / "doc_b.yaml").write_text("doc_id: [\n", encoding="utf-8")
    assert main(["--root", str(corpus), "--output", str(tmp_path / "x")]) == 1
    err = capsys.readouterr().err
    assert "doc_b.yaml:" in err and "Traceback" not in err
    assert "build failed" in err


def test_column_encoders_match_the_row_encoder(corpus: Path) -> None:
    # The build encodes column by column; the row encoder is the plain
    # per-row definition of the same encoding (the benchmark's baselines use it).
    report = Report()
    run = open_corpus(corpus, report)
    rows: dict[str, list[dict[str, Any]]] = {}
    for doc in checked_documents(run, report):
        for config, config_rows in document_records(doc, run.entities, claims=run.claims).items():
            rows.setdefault(config, []).extend(config_rows)
    assert report.ok and set(rows) == set(CONFIGS) - {"entities"}
    for config, config_rows in rows.items():
        model = CONFIGS[config]
        columns = [column(config_rows) for column in column_encoders(model)]
        by_row = zip(*columns, strict=True)
        encoded = [dict(zip(model.model_fields, values, strict=True)) for values in by_row]
        assert encoded == [row_encoder(model)(row) for row in config_rows], config


def test_rows_of_a_document_with_an_unanchored_span_are_refused(corpus: Path) -> None:
    # Only an unchecked document can get here (the review pages draw those, and
    # report this message); a validated one has every required span anchored.
    doc_b = corpus / "doc_b.yaml"
    text = doc_b.read_text(encoding="utf-8")
    doc_b.write_text(text.replace('content: "Rusia\\u00a0siap membantu"', "content: Rusia pergi"))
    report = Report()
    doc = load_document(corpus, "doc_b", report)
    assert doc is not None and [i.code for i in report.errors] == ["anchor"]
    with pytest.raises(ValueError) as info:
        document_records(doc, open_corpus(corpus, Report()).entities, derived=False)
    assert str(info.value) == "unanchored span in a validated document"


def test_an_unknown_label_names_its_column() -> None:
    entity_type = column_encoders(MentionRow)[list(MentionRow.model_fields).index("entity_type")]
    assert entity_type([{"entity_type": "person"}]) == [0]
    with pytest.raises(ValueError, match=r"entity_type: unknown label 'planet', expected one of"):
        entity_type([{"entity_type": "person"}, {"entity_type": "planet"}])


def _fake_release(root: Path, files: dict[str, bytes], listed: dict[str, Any]) -> Path:
    root.mkdir()
    for name, data in files.items():
        (root / name).write_bytes(data)
    (root / MANIFEST_NAME).write_text(json.dumps(listed), encoding="utf-8")
    return root


def _entry(data: bytes) -> dict[str, Any]:
    import hashlib

    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


@pytest.mark.parametrize("manifest", [[], {"files": []}, {"version": "1.0.0"}])
def test_a_manifest_without_a_files_mapping_is_reported(tmp_path: Path, manifest: Any) -> None:
    release = _fake_release(tmp_path / "r", {"a.txt": b"a"}, manifest)
    issues = verify_manifest(release).issues
    assert [(Path(i.path).name, i.code, i.message) for i in issues] == [
        (MANIFEST_NAME, "manifest", "checksum manifest has no 'files' mapping")
    ]


def test_every_manifest_problem_is_reported_with_its_file_and_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from kimputin_ds import manifest

    files = {"same.txt": b"same", "changed.txt": b"new", "extra.txt": b"x", "eio.txt": b"e"}
    listed = {
        "same.txt": _entry(b"same"),
        "changed.txt": _entry(b"old"),
        "gone.txt": _entry(b"gone"),
        "eio.txt": _entry(b"e"),
        "odd.txt": "not a mapping",
    }
    release = _fake_release(tmp_path / "r", {**files, "odd.txt": b"o"}, {"files": listed})
    os.mkfifo(release / "pipe")
    sha256 = manifest.sha256_file

    def failing(path: Path) -> str:  # a read error (EIO) on one file
        if path.name == "eio.txt":
            raise OSError("Input/output error")
        return sha256(path)

    monkeypatch.setattr(manifest, "sha256_file", failing)
    got = [(Path(i.path).name, i.code, i.message) for i in verify_manifest(release).issues]
    assert sorted(got) == [
        ("changed.txt", "checksum", "content does not match the checksum manifest"),
        ("eio.txt", "io", "cannot read file: Input/output error"),
        ("extra.txt", "manifest", "not listed in the manifest"),
        ("gone.txt", "manifest", "listed in the manifest but missing"),
        ("odd.txt", "manifest", "malformed manifest entry"),
        ("pipe", "file_type", "is a FIFO (named pipe), not a regular file"),
    ]


def test_splits_are_sharded_at_the_size_datasets_uses_for_the_hub() -> None:
    # The shard size is datasets' own max_shard_size for push_to_hub, so a release
    # is sharded where a dataset pushed with datasets would be.
    from datasets.utils.py_utils import convert_file_size_to_int

    assert convert_file_size_to_int(datasets.config.MAX_SHARD_SIZE) == DEFAULT_SHARD_BYTES
