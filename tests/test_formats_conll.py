"""CoNLL: the tokens config as column files, from the corpus or a built release."""

from __future__ import annotations

from pathlib import Path

import conllu
import pytest

from conftest import SEEDS
from kimputin_ds.bio import decode_bio
from kimputin_ds.corpus import load_document
from kimputin_ds.errors import Report
from kimputin_ds.formats import conll
from kimputin_ds.formats.output import OutputDir
from kimputin_ds.formats.source import open_valid_corpus
from kimputin_ds.tokenize import Token, tokenize
from kimputin_ds.tokens import LAYERS, token_records


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("conll") / "conll"
    with OutputDir(out) as target:
        conll.export_corpus(open_valid_corpus(SEEDS), target)
    return out


def _parsed(exported: Path) -> dict[str, list[conllu.TokenList]]:
    by_doc: dict[str, list[conllu.TokenList]] = {}
    fields = [c.lower() for c in conll.columns()]
    for path in sorted(exported.glob("*.conll")):
        doc_id = ""
        for sentence in conllu.parse(path.read_text(encoding="utf-8"), fields=fields):
            doc_id = sentence.metadata.get("newdoc id", doc_id)
            by_doc.setdefault(doc_id, []).append(sentence)
    return by_doc


def test_an_independent_reader_gets_every_token_and_every_encodable_span(exported: Path) -> None:
    corpus = open_valid_corpus(SEEDS)
    parsed = _parsed(exported)
    assert sorted(parsed) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    for doc_id, sentences in parsed.items():
        doc = load_document(SEEDS, doc_id, Report())
        assert doc is not None
        tokens = [Token(t["form"], int(t["start"]), int(t["end"])) for s in sentences for t in s]
        assert tokens == tokenize(doc.text)
        for s in sentences:
            assert s.metadata["text"] == doc.text[int(s[0]["start"]) : int(s[-1]["end"])]
        records = corpus.records(doc)
        _, counts, _ = token_records(doc_id, doc.text, records)
        for name in LAYERS:
            decoded = [
                span
                for s in sentences
                for span in decode_bio(
                    [Token(t["form"], int(t["start"]), int(t["end"])) for t in s],
                    [t[name] for t in s],
                )
            ]
            assert len(decoded) == counts[name].spans - counts[name].lost, name
            assert all(doc.text[x.start : x.end] for x in decoded)
        mentions = {
            (sp.start, sp.end)
            for e, refs in doc.annotation.mentions.items()
            for j in range(len(refs))
            if (sp := doc.span("mentions", e, j)) is not None
        }
        tags = [(int(t["start"]), t["mentions"]) for s in sentences for t in s]
        begins = {start for start, tag in tags if tag.startswith("B-")}
        assert begins <= {start for start, _ in mentions}


def test_the_release_gives_the_same_files(
    exported: Path, seed_release: Path, tmp_path: Path
) -> None:
    out = tmp_path / "from-release"
    with OutputDir(out) as target:
        conll.export_release(seed_release, target)
    names = sorted(p.name for p in exported.iterdir())
    assert sorted(p.name for p in out.iterdir()) == names
    for name in names:
        assert (out / name).read_bytes() == (exported / name).read_bytes(), name
