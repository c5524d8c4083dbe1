"""Round trip: every released value traces back to the annotation it came from.

The release of a corpus (the snapshot fixture, and the real seeds) is read
back from its Parquet files, and each row is compared field by field with the
row that :mod:`oracle` derives from the plain YAML and a naive span search.
The named tests below pin the values that once shipped wrong while every test
passed (issue 19 §1); each also asserts that the corpus has a case that could
show the bug, so that it cannot pass vacuously.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import oracle
from conftest import REPO, SEEDS, load_script

Rows = dict[tuple[str, str], list[dict[str, Any]]]
SNAPSHOT_CORPUS = REPO / "tests" / "snapshot" / "corpus"


snapshots = load_script("update_snapshots")


class Corpus:
    """A corpus, its release rows, and its sources read independently."""

    def __init__(self, root: Path, rows: Rows) -> None:
        self.root = root
        self.rows = rows
        self.registry = oracle.read_registry(root)
        splits = oracle.read_yaml(root / "splits.yaml")
        self.split_of = {d: s for s in ("train", "validation", "test") for d in splits[s]}
        self.sources = {
            d: oracle.read_source(root, d, self.registry) for d in sorted(self.split_of)
        }

    def released(self, config: str) -> list[tuple[str, dict[str, Any]]]:
        """(split, row) of every released row of ``config``."""
        return [(s, r) for (c, s), rs in sorted(self.rows.items()) if c == config for r in rs]

    def expected(self, config: str) -> list[tuple[str, dict[str, Any]]]:
        """(split, row) of every row the sources call for, in document order."""
        derive: Callable[[oracle.Source], list[dict[str, Any]]] = oracle.ROWS[config]
        return [(self.split_of[d], row) for d, src in self.sources.items() for row in derive(src)]


@pytest.fixture(scope="module", params=["snapshot", "seeds"])
def corpus(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = SNAPSHOT_CORPUS if request.param == "snapshot" else SEEDS
    work = tmp_path_factory.mktemp(f"roundtrip-{request.param}")
    return Corpus(root, snapshots.build_rows(work, root))


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    work = tmp_path_factory.mktemp("roundtrip-fixture")
    return Corpus(SNAPSHOT_CORPUS, snapshots.build_rows(work, SNAPSHOT_CORPUS))


ID_COLUMNS = {
    "documents": ("doc_id",),
    "mentions": ("doc_id", "mention_id"),
    "quotes": ("doc_id", "quote_id"),
    "events": ("doc_id", "event_id"),
    "stances": ("doc_id", "stance_id"),
}


def _differences(got: list[tuple[str, Any]], want: list[tuple[str, Any]], ids: tuple[str, ...]):
    key = lambda pair: (pair[0], *(pair[1][c] for c in ids))  # noqa: E731
    got_by, want_by = {key(p): p[1] for p in got}, {key(p): p[1] for p in want}
    problems = [f"{k}: released but not annotated" for k in got_by.keys() - want_by.keys()]
    problems += [f"{k}: annotated but not released" for k in want_by.keys() - got_by.keys()]
    for k in sorted(got_by.keys() & want_by.keys()):
        g, w = got_by[k], want_by[k]
        problems += [
            f"{k} {field}: released {g.get(field)!r}, annotated {w.get(field)!r}"
            for field in {**w, **g}
            if g.get(field) != w.get(field)
        ]
    return problems


@pytest.mark.parametrize("config", list(ID_COLUMNS))
def test_every_row_traces_back_to_its_annotation(corpus: Corpus, config: str) -> None:
    got, want = corpus.released(config), corpus.expected(config)
    assert want, f"{corpus.root} has no {config} to check"
    assert not _differences(got, want, ID_COLUMNS[config])


def test_every_entity_row_traces_back_to_the_registry(corpus: Corpus) -> None:
    by_split: dict[str, list[oracle.Source]] = {}
    for d, src in corpus.sources.items():
        by_split.setdefault(corpus.split_of[d], []).append(src)
    for split, sources in by_split.items():
        want = oracle.entity_rows(corpus.registry, sources)
        got = corpus.rows[("entities", split)]
        assert got == want, split


def test_kb_rows_trace_back_to_their_annotation(corpus: Corpus) -> None:
    rows = {r["document_id"]: r for _, r in corpus.released("kb")}
    assert set(rows) == set(corpus.sources)
    for d, src in corpus.sources.items():
        kb = rows[d]
        got = [(r["type"], r["arg1_id"], r["arg2_id"]) for r in kb["relations"]]
        assert got == oracle.kb_relations(src), d
        assert kb["coreferences"] == oracle.kb_coreferences(src), d
        assert kb["passages"] == oracle.kb_passages(src), d
        mentions = {m["mention_id"]: m for m in oracle.mention_rows(src)}
        for entity in kb["entities"]:
            if entity["id"] in mentions:
                m = mentions[entity["id"]]
                assert entity["type"] == (m["entity_type"] or "plural")
                assert entity["offsets"] == [[m["start"], m["end"]]]
                registry_links = [n for n in entity["normalized"] if n["db_name"] == "kimputin_ds"]
                assert [n["db_id"] for n in registry_links] == m["entity_ids"]
        assert len([e for e in kb["entities"] if e["id"] in mentions]) == len(mentions)
        triggers = {e["event_id"]: e["trigger"] for e in oracle.event_rows(src)}
        assert {e["id"]: e["trigger"] for e in kb["events"]} == {
            f"{d}-{eid}": {"text": [t["text"]], "offsets": [[t["start"], t["end"]]]}
            for eid, t in triggers.items()
        }


# --- the values that once shipped wrong (issue 19 §1) ------------------------------


def _rows(c: Corpus, config: str) -> list[dict[str, Any]]:
    return [r for _, r in c.released(config)]


def _annotated(c: Corpus, config: str) -> list[dict[str, Any]]:
    return [r for _, r in c.expected(config)]


def _column(rows: list[dict[str, Any]], *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(r[c] for c in columns) for r in rows]


def test_nested_quote_keeps_its_parent_quote_id(snapshot: Corpus) -> None:
    got = _column(_rows(snapshot, "quotes"), "doc_id", "quote_id", "parent_quote_id")
    want = _column(_annotated(snapshot, "quotes"), "doc_id", "quote_id", "parent_quote_id")
    assert any(parent for *_, parent in want)
    assert sorted(got, key=str) == sorted(want, key=str)


def test_kb_records_each_nested_quote_as_nested_in_its_parent(snapshot: Corpus) -> None:
    nested = {
        (d, rel["arg1_id"], rel["arg2_id"])
        for _, row in snapshot.released("kb")
        for d in [row["document_id"]]
        for rel in row["relations"]
        if rel["type"] == "NESTED_IN"
    }
    want = {
        (q["doc_id"], f"{q['doc_id']}-{q['quote_id']}", f"{q['doc_id']}-{q['parent_quote_id']}")
        for q in _annotated(snapshot, "quotes")
        if q["parent_quote_id"]
    }
    assert want
    assert nested == want


def test_byline_and_dateline_come_from_their_own_fields(snapshot: Corpus) -> None:
    got = _column(_rows(snapshot, "documents"), "doc_id", "byline", "dateline", "title")
    want = _column(_annotated(snapshot, "documents"), "doc_id", "byline", "dateline", "title")
    assert any(b and d and b != d for _, b, d, _ in want)
    assert sorted(got, key=str) == sorted(want, key=str)


def test_event_asserted_by_and_source_quote_are_not_swapped(snapshot: Corpus) -> None:
    columns = ("doc_id", "event_id", "asserted_by", "source_quote_id")
    want = _column(_annotated(snapshot, "events"), *columns)
    assert any(a and q for _, _, a, q in want)
    assert sorted(_column(_rows(snapshot, "events"), *columns), key=str) == sorted(want, key=str)


def test_mention_ids_are_numbered_from_one_in_text_order(snapshot: Corpus) -> None:
    for d in snapshot.sources:
        rows = [r for r in _rows(snapshot, "mentions") if r["doc_id"] == d]
        ordered = sorted(rows, key=lambda r: (r["start"], r["end"]))
        assert [r["mention_id"] for r in ordered] == [
            f"{d}-m{n:04d}" for n in range(1, len(rows) + 1)
        ]


def test_num_mentions_counts_every_mention_in_the_split(snapshot: Corpus) -> None:
    counts: dict[tuple[str, str], int] = {}
    for split, row in snapshot.released("mentions"):
        for entity_id in row["entity_ids"]:  # a plural mention counts for each entity
            key = (split, entity_id)
            counts[key] = counts.get(key, 0) + 1
    assert any(n > 1 for n in counts.values())
    for split, row in snapshot.released("entities"):
        assert row["num_mentions"] == counts.get((split, row["entity_id"]), 0), row


def test_stance_event_target_is_the_trigger_text(snapshot: Corpus) -> None:
    triggers = {
        (r["doc_id"], r["event_id"]): r["trigger"]["text"] for r in _rows(snapshot, "events")
    }
    event_targets = [r for r in _rows(snapshot, "stances") if r["target_kind"] == "event"]
    assert event_targets
    for r in event_targets:
        assert r["target"] == triggers[(r["doc_id"], r["target_event_id"])], r
        assert r["target"] != r["target_event_id"]


def test_speaker_id_is_the_speaker_not_the_relay(snapshot: Corpus) -> None:
    columns = ("doc_id", "quote_id", "speaker_id", "relayed_by_id", "speaker_name")
    want = _column(_annotated(snapshot, "quotes"), *columns)
    assert any(s and r and s != r for _, _, s, r, _ in want)
    assert sorted(_column(_rows(snapshot, "quotes"), *columns), key=str) == sorted(want, key=str)


def test_relative_dates_are_flagged(snapshot: Corpus) -> None:
    columns = ("doc_id", "event_id", "date", "date_precision", "date_relative")
    want = _column(_annotated(snapshot, "events"), *columns)
    assert {relative for *_, relative in want} == {True, False}
    assert sorted(_column(_rows(snapshot, "events"), *columns), key=str) == sorted(want, key=str)


def test_the_oracle_reads_a_copy_like_the_original(tmp_path: Path) -> None:
    """The oracle's own span search agrees with a hand-checked offset."""
    root = tmp_path / "c"
    shutil.copytree(SNAPSHOT_CORPUS, root)
    src = oracle.read_source(root, "snap_a", oracle.read_registry(root))
    q1 = oracle.quote_rows(src)[0]
    assert src.text[q1["start"] - 1] == '"' and src.text[q1["end"]] == '"'
    assert q1["text"] == "Kami akan membantu Korea Utara membangun satelit,"
