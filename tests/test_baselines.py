"""The baselines: no test leakage, the guidelines' cue lexicon, and a current Benchmark block."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest

from conftest import CARD, REPO
from kimputin_ds.baselines import (
    BASELINES,
    CUE_LEXICON,
    benchmark_block,
    load_corpus,
    main,
    predict_fold,
    run,
)
from kimputin_ds.scoring.tables import read_reference


def _scramble(rows_by_config: dict[str, list[dict[str, object]]]) -> None:
    """Change every label of a document's annotations (not its text or its spans)."""
    for row in rows_by_config.get("mentions", []):
        row["entity_id"], row["entity_type"] = "nobody", "place"
    for row in rows_by_config.get("quotes", []):
        row["speaker_id"] = "nobody"
    for row in rows_by_config.get("events", []):
        row["type"], row["status"], row["cross_doc_id"] = "other", "negated", None
    for row in rows_by_config.get("stances", []):
        row["label"], row["holder_id"] = "neutral", "nobody"


@pytest.mark.parametrize("name", list(BASELINES))
def test_no_baseline_learns_from_its_test_document(seed_release: Path, name: str) -> None:
    baseline = BASELINES[name]
    corpus = load_corpus(read_reference(seed_release))
    docs = list(corpus.texts)
    held_out, train = docs[-1], docs[:-1]
    before = predict_fold(baseline, corpus, train, [held_out])

    leaked = copy.deepcopy(corpus)
    _scramble({c: leaked.rows[c][held_out] for c in leaked.rows})
    assert predict_fold(baseline, leaked, train, [held_out]) == before

    # The check can fail: the same change to a training document changes the predictions.
    trained = copy.deepcopy(corpus)
    for doc in train:
        _scramble({c: trained.rows[c][doc] for c in trained.rows})
    assert predict_fold(baseline, trained, train, [held_out]) != before


def test_the_cue_lexicon_is_the_guidelines_one() -> None:
    guidelines = (REPO / "docs" / "guidelines.md").read_text(encoding="utf-8")
    section = guidelines.split("## 3. Quotes", 1)[1].split("| kind |", 1)[0]
    listed = set(re.findall(r"[a-z]+", section.split("cue:", 1)[1].lower()))
    assert set(CUE_LEXICON) <= listed


def test_the_cards_benchmark_block_is_current(seed_release: Path) -> None:
    reference = read_reference(seed_release)
    block = benchmark_block(run(reference), len(reference.texts), 1000, 0)
    card = CARD.read_text(encoding="utf-8")
    assert (
        f"<!-- BEGIN GENERATED: benchmark -->\n{block}<!-- END GENERATED: benchmark -->" in card
    ), "run python scripts/baselines.py --write-card"


def test_main_prints_the_table(seed_release: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--reference", str(seed_release), "--bootstrap", "10"]) == 0
    out = capsys.readouterr().out
    assert "| quote-marks+cues | quotes | `content.exact.f1` |" in out
    assert main(["--reference", str(seed_release / "nowhere")]) == 1
