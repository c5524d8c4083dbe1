"""Parallel and incremental validation, parallel and sharded builds: same results as serial."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import datasets
import pyarrow.parquet as pq
import pytest

from conftest import REPO
from kimputin_ds import pipeline
from kimputin_ds.build import build_release, data_path
from kimputin_ds.cache import FORMAT, ValidationCache
from kimputin_ds.errors import Report
from kimputin_ds.manifest import verify_manifest
from kimputin_ds.parallel import available_cores, chunked, ordered_map
from kimputin_ds.rows import CONFIGS
from kimputin_ds.validation import CorpusState, validate_corpus


@pytest.fixture
def one_doc_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of one document, so that the three fixture documents use several workers."""
    monkeypatch.setattr(pipeline, "CHUNK_DOCS", 1)


def _break(corpus: Path) -> None:
    """Errors in two documents: a span that is not in the text, an unknown entity."""
    b = corpus / "doc_b.yaml"
    text = b.read_text(encoding="utf-8")
    b.write_text(text.replace("mentions:", "mentions:\n  nobody: [Zzyzx]", 1), encoding="utf-8")
    c = corpus / "doc_c.yaml"
    c.write_text(c.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _fail(x: int) -> int:
    if x == 2:
        raise ValueError("task 2 failed")
    return x * 10


def test_ordered_map_keeps_task_order_and_raises_at_the_failing_task() -> None:
    assert list(ordered_map(abs, range(-7, 0), jobs=2)) == [7, 6, 5, 4, 3, 2, 1]
    results = ordered_map(_fail, [0, 1, 2, 3], jobs=2)
    assert [next(results), next(results)] == [0, 10]
    with pytest.raises(ValueError, match="task 2 failed"):
        next(results)


def test_chunks_cover_every_item_in_order() -> None:
    assert [list(c) for c in chunked(list("abcde"), 2)] == [["a", "b"], ["c", "d"], ["e"]]
    with pytest.raises(ValueError, match="at least 1"):
        chunked([1], 0)
    assert available_cores() >= 1


def test_corpus_state_fields_are_inputs_or_accumulated() -> None:
    # A field that is neither would be lost by workers and by the cache.
    names = {f.name for f in dataclasses.fields(CorpusState)}
    assert names == set(CorpusState.ACCUMULATED) | set(CorpusState.INPUTS)
    one = CorpusState(frozenset({"a"}), {"a": "person"})
    one.used_entities.add("a")
    one.doc_ids.append("d1")
    one.cross_doc["x"].append(("d1", "e1", "meeting"))
    merged = CorpusState(frozenset())
    merged.merge(one)
    merged.merge(one)
    assert merged.used_entities == {"a"} and merged.doc_ids == ["d1", "d1"]
    assert merged.cross_doc == {"x": [("d1", "e1", "meeting")] * 2}


@pytest.mark.parametrize("broken", [False, True], ids=["clean", "with-errors"])
def test_reports_are_identical_for_any_jobs(
    corpus: Path, one_doc_chunks: None, broken: bool
) -> None:
    if broken:
        _break(corpus)
    serial = validate_corpus(corpus, jobs=1)
    parallel = validate_corpus(corpus, jobs=2)
    assert serial.ok is not broken
    assert parallel.to_json() == serial.to_json()
    assert parallel.to_text() == serial.to_text()


@pytest.mark.slow
def test_releases_are_byte_identical_for_any_jobs(
    corpus: Path, tmp_path: Path, one_doc_chunks: None
) -> None:
    one = build_release(corpus, tmp_path / "j1", jobs=1).output
    two = build_release(corpus, tmp_path / "j2", jobs=2).output
    assert _tree(one) == _tree(two)


def test_the_buffers_of_all_files_together_stay_under_their_budget(
    corpus: Path, tmp_path: Path, one_doc_chunks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every config and split has its own buffer; together they stay under the
    # budget (plus the batch that went over it), the rows all arrive, and the
    # row groups it forces are the same at any --jobs.
    from kimputin_ds import build

    peaks: list[int] = []
    add_batch = build._Writers.add_batch

    def watched(self: Any, config: str, split: str, batch: Any) -> None:
        add_batch(self, config, split, batch)
        assert self.buffered == sum(b.nbytes for b in self.buffers.values())
        peaks.append(self.buffered)

    monkeypatch.setattr(build._Writers, "add_batch", watched)
    # Several documents in one split, so that one file receives several batches.
    splits = corpus / "splits.yaml"
    text = splits.read_text(encoding="utf-8")
    text = text.replace("train: [doc_a]", "train: [doc_a, doc_b]").replace("[doc_b]", "[]")
    splits.write_text(text, encoding="utf-8")
    default = build_release(corpus, tmp_path / "default", jobs=1).output
    assert max(peaks) > 4096  # the budget below is a real constraint
    monkeypatch.setattr(build, "DEFAULT_BUFFER_BYTES", 4096)
    peaks.clear()
    one = build_release(corpus, tmp_path / "j1", jobs=1).output
    assert 0 < max(peaks) <= 4096
    two = build_release(corpus, tmp_path / "j2", jobs=2).output
    assert _tree(one) == _tree(two)
    split_up = 0
    for config in CONFIGS:
        for parquet in sorted((default / "data" / config).glob("*.parquet")):
            small = pq.ParquetFile(one / "data" / config / parquet.name)
            assert small.read().equals(pq.read_table(parquet)), parquet
            split_up += small.metadata.num_row_groups > pq.ParquetFile(parquet).num_row_groups
    assert split_up  # the budget forced row groups the default did not


def test_a_parallel_build_of_an_invalid_corpus_writes_nothing(
    corpus: Path, tmp_path: Path, one_doc_chunks: None
) -> None:
    from kimputin_ds.errors import KimputinError

    _break(corpus)
    with pytest.raises(KimputinError) as caught:
        build_release(corpus, tmp_path / "out", jobs=2)
    assert caught.value.report.to_text() == validate_corpus(corpus).to_text()
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# ---------------------------------------------------------------------------
# The cache


class _Counted:
    """Counts the documents checked afresh (not taken from the cache)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.checked: list[str] = []
        real = pipeline.check_one

        def check_one(inputs: Any, doc_id: str) -> Any:
            self.checked.append(doc_id)
            return real(inputs, doc_id)

        monkeypatch.setattr(pipeline, "check_one", check_one)


def test_a_warm_cache_rechecks_only_the_edited_document(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = _Counted(monkeypatch)
    path = tmp_path / "cache" / "v.json"
    full = validate_corpus(corpus)
    assert validate_corpus(corpus, cache=ValidationCache(path)).to_json() == full.to_json()
    assert counted.checked == ["doc_a", "doc_b", "doc_c"] * 2
    counted.checked.clear()
    assert validate_corpus(corpus, cache=ValidationCache(path)).to_json() == full.to_json()
    assert counted.checked == []
    _break(corpus)  # edits doc_b and doc_c
    cached = validate_corpus(corpus, cache=ValidationCache(path))
    assert counted.checked == ["doc_b", "doc_c"]
    assert not cached.ok
    assert cached.to_json() == validate_corpus(corpus).to_json()


def test_the_cache_reads_back_exactly_the_state_it_wrote(corpus: Path, tmp_path: Path) -> None:
    # Every accumulated field, with its element types (tuples stay tuples), comes
    # back from a warm cache exactly as a fresh check produced it.
    from kimputin_ds.pipeline import CorpusInputs, check_one
    from kimputin_ds.validation import open_corpus

    run = open_corpus(corpus, Report())
    inputs = CorpusInputs(corpus, run.entities, claims=run.claims)
    fresh = {d: check_one(inputs, d)[0] for d in run.files.doc_ids}
    assert any(o.state is not None and o.state.cross_doc for o in fresh.values())
    path = tmp_path / "v.json"
    cache = ValidationCache(path)
    cache.lookup(run)
    for outcome in fresh.values():
        cache.record(run, outcome)
    cache.store(run)
    again = ValidationCache(path).lookup(open_corpus(corpus, Report()))
    assert sorted(again) == sorted(fresh)
    from_cache, checked = CorpusState(frozenset()), CorpusState(frozenset())
    for doc_id, outcome in fresh.items():
        assert again[doc_id].issues == outcome.issues
        again[doc_id].merge_into(from_cache)
        assert outcome.state is not None
        checked.merge(outcome.state)
    for name in CorpusState.ACCUMULATED:
        mine, theirs = getattr(from_cache, name), getattr(checked, name)
        assert mine == theirs, name
        assert type(mine) is type(theirs), name
    assert checked.cross_doc
    for key, items in checked.cross_doc.items():
        assert [type(i) for i in from_cache.cross_doc[key]] == [type(i) for i in items], key


def test_cached_errors_are_reported_again(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break(corpus)
    path = tmp_path / "v.json"
    first = validate_corpus(corpus, cache=ValidationCache(path))
    counted = _Counted(monkeypatch)
    again = validate_corpus(corpus, cache=ValidationCache(path))
    assert counted.checked == []
    assert not again.ok and again.to_json() == first.to_json()


def test_the_registry_invalidates_every_entry(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v.json"
    validate_corpus(corpus, cache=ValidationCache(path))
    counted = _Counted(monkeypatch)
    registry = corpus / "entities.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "# touched\n", encoding="utf-8")
    validate_corpus(corpus, cache=ValidationCache(path))
    assert counted.checked == ["doc_a", "doc_b", "doc_c"]


def test_rechecked_documents_bypass_the_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v.json"
    validate_corpus(corpus, cache=ValidationCache(path))
    counted = _Counted(monkeypatch)
    validate_corpus(corpus, cache=ValidationCache(path), recheck={"doc_c"})
    assert counted.checked == ["doc_c"]
    validate_corpus(corpus, cache=ValidationCache(path, refresh=True))
    assert counted.checked == ["doc_c", "doc_a", "doc_b", "doc_c"]


def test_a_moved_corpus_reports_its_own_paths(corpus: Path, tmp_path: Path) -> None:
    _break(corpus)
    path = tmp_path / "v.json"
    validate_corpus(corpus, cache=ValidationCache(path))
    moved = tmp_path / "elsewhere" / "seeds"
    shutil.copytree(corpus, moved)
    shutil.copy2(corpus / "doc_b.yaml", moved / "doc_b.yaml")  # same stat, same content
    report = validate_corpus(moved, cache=ValidationCache(path))
    assert report.to_json() == validate_corpus(moved).to_json()
    assert all(str(corpus) not in i.path for i in report)


@pytest.mark.parametrize("content", [b"{not json", b'{"format": 999, "docs": {}}'])
def test_a_foreign_or_corrupted_cache_is_ignored_and_kept(
    corpus: Path, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "v.json"
    path.write_bytes(content)
    warnings: list[str] = []
    report = validate_corpus(corpus, cache=ValidationCache(path, warn=warnings.append))
    assert report.to_json() == validate_corpus(corpus).to_json()
    assert path.read_bytes() == content  # never overwrites a file it cannot call its own
    assert len(warnings) == 1 and str(path) in warnings[0]


def _cache_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_stale_cache_of_ours_is_replaced_silently(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "v.jsonl"
    stale = {"doc": "doc_a", "files": [], "issues": [], "state": None}
    path.write_text(
        json.dumps({"format": FORMAT, "key": "old"}) + "\n" + json.dumps(stale) + "\n",
        encoding="utf-8",
    )
    warnings: list[str] = []
    validate_corpus(corpus, cache=ValidationCache(path, warn=warnings.append))
    assert warnings == []
    header, *docs = _cache_lines(path)
    assert header["format"] == FORMAT and header["key"] != "old"
    assert [d["doc"] for d in docs] == ["doc_a", "doc_b", "doc_c"]
    assert all(d["files"] for d in docs)


def test_unchanged_entries_are_written_back_as_they_were_read(corpus: Path, tmp_path: Path) -> None:
    path = tmp_path / "v.jsonl"
    validate_corpus(corpus, cache=ValidationCache(path))
    before = path.read_text(encoding="utf-8").splitlines()
    (corpus / "doc_b.yaml").write_text(
        (corpus / "doc_b.yaml").read_text(encoding="utf-8") + "# edited\n", encoding="utf-8"
    )
    report = validate_corpus(corpus, cache=ValidationCache(path))
    assert report.to_json() == validate_corpus(corpus).to_json()
    after = path.read_text(encoding="utf-8").splitlines()
    assert [after[0], after[1], after[3]] == [before[0], before[1], before[3]]  # header, a, c
    assert after[2] != before[2] and json.loads(after[2])["doc"] == "doc_b"


@pytest.mark.parametrize("where", ["issues", "line"])
def test_a_corrupted_cache_entry_is_ignored_with_a_warning(
    corpus: Path, tmp_path: Path, where: str
) -> None:
    path = tmp_path / "v.jsonl"
    validate_corpus(corpus, cache=ValidationCache(path))
    header, *docs = _cache_lines(path)
    lines = [json.dumps(header)] + [json.dumps(d) for d in docs]
    if where == "issues":
        docs[0]["issues"] = [{"no": "such field"}]
        lines[1] = json.dumps(docs[0])
    else:
        lines[2] = lines[2][:-3]  # a line cut short
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kept = path.read_bytes()
    warnings: list[str] = []
    report = validate_corpus(corpus, cache=ValidationCache(path, warn=warnings.append))
    assert report.to_json() == validate_corpus(corpus).to_json()
    assert len(warnings) == 1 and "corrupted" in warnings[0]
    assert path.read_bytes() == kept  # never overwritten: it may not be ours


# ---------------------------------------------------------------------------
# The command line


def _validate(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kimputin_ds.validate", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO / "src")},
    )


@pytest.mark.slow
def test_the_cli_caches_in_the_current_directory_and_checks_named_files(
    corpus: Path, tmp_path: Path
) -> None:
    first = _validate(tmp_path, "seeds", "--jobs", "2")
    assert first.returncode == 0, first.stderr
    caches = list((tmp_path / ".kimputin_cache").glob("validate-*.jsonl"))
    assert len(caches) == 1
    _break(corpus)
    named = _validate(tmp_path, "seeds/doc_b.yaml", "--root", "seeds")
    full = _validate(tmp_path, "seeds", "--no-cache", "--jobs", "1")
    assert named.returncode == full.returncode == 1
    assert named.stdout == full.stdout and named.stderr == full.stderr
    assert "Traceback" not in named.stderr


# ---------------------------------------------------------------------------
# Shards


@pytest.mark.slow
def test_a_large_split_is_sharded_and_loads_whole(
    corpus: Path, tmp_path: Path, one_doc_chunks: None
) -> None:
    (corpus / "splits.yaml").write_text(
        'schema_version: "1.0"\ntrain: [doc_a, doc_b]\nvalidation: [doc_c]\ntest: []\n'
        "rationale: Two documents in train.\n",
        encoding="utf-8",
    )
    whole = build_release(corpus, tmp_path / "whole").output
    sharded = build_release(corpus, tmp_path / "sharded", batch_rows=1, shard_bytes=1).output
    assert verify_manifest(sharded).ok
    names = sorted(p.name for p in (sharded / "data" / "mentions").iterdir())
    count = len([n for n in names if n.startswith("train-")])
    assert count > 1
    assert [n for n in names if n.startswith("train-")] == [
        Path(data_path("mentions", "train", i, count)).name for i in range(count)
    ]
    for config in CONFIGS:
        for split in ("train", "validation"):
            shards = sorted((sharded / "data" / config).glob(f"{split}-*.parquet"))
            if not shards:
                continue
            expected = pq.read_table(whole / data_path(config, split))
            got = datasets.load_dataset(str(sharded), config, split=split)
            assert isinstance(got, datasets.Dataset)
            assert got.num_rows == expected.num_rows
            assert got.to_list() == datasets.load_dataset(str(whole), config, split=split).to_list()
    croissant = json.loads((sharded / "croissant.json").read_text(encoding="utf-8"))
    listed = {d["contentUrl"] for d in croissant["distribution"] if "contentUrl" in d}
    assert {p.relative_to(sharded).as_posix() for p in sharded.glob("data/*/*.parquet")} <= listed


def test_scheduled_collection_restores_the_collector() -> None:
    import gc

    from kimputin_ds.validation import ScheduledCollection

    assert gc.isenabled()
    with ScheduledCollection(every=1) as collection:
        assert not gc.isenabled()
        collection.tick()
    assert gc.isenabled()
    gc.disable()
    try:
        with ScheduledCollection(every=1):
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
