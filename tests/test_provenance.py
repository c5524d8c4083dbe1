"""Provenance per article: optional ``url`` and ``retrieved_at``, null where unknown."""

from __future__ import annotations

from pathlib import Path

import datasets
import pytest

from kimputin_ds.build import build_release
from kimputin_ds.validation import validate_corpus

URL = "https://www.example.org/berita/2023/09/13/kim-putin"


def _add_metadata(corpus: Path, doc_id: str, lines: str) -> None:
    path = corpus / f"{doc_id}.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "metadata:\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + lines, 1), encoding="utf-8")


def test_url_and_retrieval_time_reach_the_documents_config(corpus: Path, tmp_path: Path) -> None:
    _add_metadata(corpus, "doc_a", f"  url: {URL}\n  retrieved_at: '2023-09-14T08:00Z'\n")
    release = build_release(corpus, tmp_path / "release").output
    rows = {
        r["doc_id"]: r
        for split in ("train", "validation", "test")
        for r in datasets.load_dataset(
            str(release), "documents", split=split, cache_dir=str(tmp_path / "c")
        )
    }
    assert (rows["doc_a"]["url"], rows["doc_a"]["retrieved_at"]) == (URL, "2023-09-14T08:00Z")
    assert (rows["doc_b"]["url"], rows["doc_b"]["retrieved_at"]) == (None, None)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("  url: www.example.org/x\n", "url"),
        ("  retrieved_at: '2023-02-30'\n", "not a real date"),
        ("  retrieved_at: '2023-09-14T08:00'\n", "UTC time"),
    ],
)
def test_malformed_provenance_is_an_error_at_its_line(
    corpus: Path, line: str, message: str
) -> None:
    _add_metadata(corpus, "doc_b", line)
    report = validate_corpus(corpus)
    errors = [i for i in report.errors if Path(i.path).name == "doc_b.yaml"]
    assert errors, report.to_text()
    assert any(message in i.message or message in (i.field or "") for i in errors), errors
    assert all(i.line == 4 for i in errors), [i.format() for i in errors]
