"""spaCy: DocBin files per split, exact text, every annotated span in its group."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import DocBin

from conftest import SEEDS
from kimputin_ds.corpus import load_document
from kimputin_ds.errors import Report
from kimputin_ds.formats import spacy as spacy_format
from kimputin_ds.formats.output import OutputDir
from kimputin_ds.formats.source import open_valid_corpus


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("spacy") / "spacy"
    corpus = open_valid_corpus(SEEDS)
    with OutputDir(out) as target:
        spacy_format.export_corpus(corpus, target)
    assert sorted(p.stem for p in out.iterdir()) == sorted(set(corpus.splits.values()))
    nlp = spacy.blank("id")
    found = {}
    for path in out.glob("*.spacy"):
        for doc in DocBin().from_disk(path).get_docs(nlp.vocab):
            assert doc.user_data["split"] == path.stem == corpus.splits[doc.user_data["doc_id"]]
            found[doc.user_data["doc_id"]] = doc
    return found


def test_every_document_is_exported_with_its_exact_text(docs: dict[str, Any]) -> None:
    assert sorted(docs) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for doc_id, doc in docs.items():
        assert doc.text == (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")


def test_span_groups_hold_every_annotation_with_labels_and_links(docs: dict[str, Any]) -> None:
    types = open_valid_corpus(SEEDS).entity_types
    for doc_id, doc in docs.items():
        document = load_document(SEEDS, doc_id, Report())
        assert document is not None
        a = document.annotation
        mentions = {
            (s.start, s.end, types[e], e)
            for e, refs in a.mentions.items()
            for j in range(len(refs))
            if (s := document.span("mentions", e, j)) is not None
        }
        group = {(s.start_char, s.end_char, s.label_, s.kb_id_) for s in doc.spans["mentions"]}
        assert group == mentions
        ents = [(e.start_char, e.end_char, e.label_, e.kb_id_) for e in doc.ents]
        assert set(ents) <= mentions
        assert all(x[1] <= y[0] for x, y in itertools.pairwise(ents))
        quotes = [(s.id_, s.label_, s.kb_id_, s.text) for s in doc.spans["quotes"]]
        assert quotes == [
            (q.id, q.kind, q.speaker or "", document.span("quotes", i, "content").text)  # type: ignore[union-attr]
            for i, q in enumerate(a.quotes)
        ]
        assert [s.id_ for s in doc.spans["cues"]] == [q.id for q in a.quotes if q.cue]
        events = [(s.id_, s.label_) for s in doc.spans["events"]]
        assert events == [(e.id, e.type) for e in a.events]
        assert doc.user_data["event_status"] == {e.id: e.status for e in a.events}
        n_args = sum(len(e.arguments) for e in a.events)
        assert len(doc.spans["event_arguments"]) == n_args


def test_words_and_spaces_keep_every_character() -> None:
    text = "\n Kim\u00a0 bertemu  Putin.\n\n"
    from kimputin_ds.tokenize import tokenize

    words, spaces = spacy_format.words_and_spaces(text, tokenize(text))
    doc = spacy.tokens.Doc(spacy.blank("id").vocab, words=words, spaces=spaces)
    assert doc.text == text


def test_spacy_is_not_a_runtime_dependency() -> None:
    import tomllib

    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text("utf-8"))
    assert not any(d.startswith("spacy") for d in project["project"]["dependencies"])
    assert any(d.startswith("spacy") for d in project["project"]["optional-dependencies"]["spacy"])
