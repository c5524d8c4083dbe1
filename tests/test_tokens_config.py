"""The ``tokens`` config: paragraphs, BIO layers that decode to the release's spans, seqeval."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import datasets
import pytest
from seqeval.metrics import classification_report, f1_score

from conftest import REPO, SEEDS
from kimputin_ds.bio import TaggedSpan, decode_bio
from kimputin_ds.card import SPLITS
from kimputin_ds.tokenize import Token
from kimputin_ds.tokens import LAYERS, layer_spans, paragraphs, token_records


def _load(release: Path, config: str, cache: Path) -> list[dict[str, Any]]:
    """Every row of a config, over all splits, with label names instead of ints."""
    rows = []
    for split in SPLITS:
        ds = datasets.load_dataset(str(release), config, split=split, cache_dir=str(cache))
        if config == "tokens":
            rows.extend(ds)
        else:
            rows.extend({k: _names(ds.features[k], v) for k, v in row.items()} for row in ds)
    return rows


def _names(feature: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(feature, datasets.ClassLabel):
        return feature.int2str(value)
    if isinstance(feature, dict):
        return {k: _names(feature[k], v) for k, v in value.items()}
    if isinstance(feature, datasets.List):
        return [_names(feature.feature, v) for v in value]
    return value


@pytest.fixture(scope="module")
def loaded(seed_release: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    cache = tmp_path_factory.mktemp("tokens-cache")
    return {c: _load(seed_release, c, cache) for c in ("tokens", "mentions", "quotes", "events")}


def test_the_tags_load_as_named_class_labels(seed_release: Path, tmp_path: Path) -> None:
    ds = datasets.load_dataset(str(seed_release), "tokens", split="train", cache_dir=str(tmp_path))
    for layer in LAYERS.values():
        feature = ds.features[layer.column]
        assert isinstance(feature, datasets.List)
        assert isinstance(feature.feature, datasets.ClassLabel)
        assert feature.feature.names == layer.names
    assert layer.names[0] == "O"


def test_decoding_every_layer_gives_back_the_release_spans(loaded: dict[str, Any]) -> None:
    decoded: dict[str, dict[str, set[TaggedSpan]]] = {}
    for row in loaded["tokens"]:
        tokens = [
            Token(t, s, e)
            for t, s, e in zip(row["tokens"], row["token_starts"], row["token_ends"], strict=True)
        ]
        for name, layer in LAYERS.items():
            names = layer.names
            tags = [names[i] for i in row[layer.column]]
            found = decoded.setdefault(row["doc_id"], {}).setdefault(name, set())
            found.update(decode_bio(tokens, tags))
    docs = {r["doc_id"] for r in loaded["tokens"]}
    total = 0
    for doc_id in docs:
        records = {
            c: [r for r in loaded[c] if r["doc_id"] == doc_id]
            for c in ("mentions", "quotes", "events")
        }
        for name, spans in layer_spans(records).items():
            assert decoded[doc_id].get(name, set()) == set(spans), (doc_id, name)
            total += len(set(spans))
    assert total > 0


def test_no_span_of_the_seeds_is_lost(loaded: dict[str, Any], seed_release: Path) -> None:
    texts = {}
    for split in SPLITS:
        for row in datasets.load_dataset(str(seed_release), "documents", split=split):
            texts[row["doc_id"]] = row["text"]
    lost_total = 0
    spans_total = 0
    for doc_id, text in texts.items():
        records = {
            c: [r for r in loaded[c] if r["doc_id"] == doc_id]
            for c in ("mentions", "quotes", "events")
        }
        _, counts, lost = token_records(doc_id, text, records)
        assert lost == []
        lost_total += sum(c.lost for c in counts.values())
        spans_total += sum(c.spans for c in counts.values())
    assert lost_total == 0
    assert spans_total > 500


def test_seqeval_scores_the_reference_against_itself_as_perfect(loaded: dict[str, Any]) -> None:
    for layer in LAYERS.values():
        names = layer.names
        tags = [[names[i] for i in row[layer.column]] for row in loaded["tokens"]]
        if not any(t != "O" for seq in tags for t in seq):
            continue  # an empty layer (no nested quote) has nothing to score
        assert f1_score(tags, tags) == 1.0, layer.column
        report = classification_report(tags, tags, output_dict=True)
        spans = sum(t.startswith("B-") for seq in tags for t in seq)
        assert report["micro avg"]["support"] == spans


def test_rows_are_the_non_empty_lines_in_order(loaded: dict[str, Any], seed_release: Path) -> None:
    for split in SPLITS:
        for doc in datasets.load_dataset(str(seed_release), "documents", split=split):
            rows = [r for r in loaded["tokens"] if r["doc_id"] == doc["doc_id"]]
            assert [(r["line"], r["start"], r["end"]) for r in rows] == list(
                paragraphs(doc["text"])
            )
            for r in rows:
                assert r["id"] == f"{doc['doc_id']}-p{r['line']}"
                for tok, s, e in zip(r["tokens"], r["token_starts"], r["token_ends"], strict=True):
                    assert doc["text"][s:e] == tok


def test_lost_spans_are_counted_with_their_reason() -> None:
    text = "Kata Putin.\nKim Jong Un datang."
    records: dict[str, list[dict[str, Any]]] = {
        "mentions": [
            {"start": 5, "end": 10, "entity_type": "person"},  # Putin
            {"start": 12, "end": 14, "entity_type": "person"},  # "Ki": not a token boundary
            {"start": 12, "end": 23, "entity_type": "person"},  # Kim Jong Un
            {"start": 16, "end": 23, "entity_type": "person"},  # Jong Un: inside Kim Jong Un
        ],
        "quotes": [
            {
                "start": 0,
                "end": 23,  # runs over the line break
                "kind": "indirect",
                "parent_quote_id": None,
                "cue": {"start": 0, "end": 4},
                "speaker_mention": None,
            }
        ],
        "events": [],
    }
    rows, counts, lost = token_records("d", text, records)
    assert [r["id"] for r in rows] == ["d-p1", "d-p2"]
    assert counts["mentions"].spans == 4
    assert counts["mentions"].unaligned == 1
    assert counts["mentions"].overlapping == 1
    assert counts["quotes"].unaligned == 1
    assert counts["cues"].lost == 0
    reasons = sorted(reason for _, _, reason in lost)
    assert reasons == [
        "crosses a paragraph boundary",
        "not on token boundaries",
        "overlaps another span of the layer",
    ]


def test_the_alignment_script_reports_no_lost_span(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location(
        "token_alignment", REPO / "scripts" / "token_alignment.py"
    )
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.main(["--root", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    total = out.strip().splitlines()[-1].split()
    assert total[0] == "total" and int(total[1]) > 500 and total[2] == "0", out
