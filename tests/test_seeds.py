"""The raw articles are byte-exact copies and stay that way.

Nothing here lists the articles or their hashes: every text is checked
against the fingerprint its own annotation file records, so adding an
article never means editing this file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, SEEDS
from kimputin_ds.corpus import load_document
from kimputin_ds.errors import Report
from kimputin_ds.fingerprint import fingerprint
from kimputin_ds.models import AnnotationFile
from kimputin_ds.yamlio import load_yaml

#: The five articles the corpus started from, kept outside the repository by
#: this project's own CI machines (``../shared/seeds`` beside the checkout).
SHARED = REPO.parent / "shared" / "seeds"
DOC_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))


def recorded(doc_id: str) -> AnnotationFile:
    data, _ = load_yaml((SEEDS / f"{doc_id}.yaml").read_text(encoding="utf-8"))
    return AnnotationFile.model_validate(data)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_each_text_matches_the_fingerprint_recorded_when_it_was_added(doc_id: str) -> None:
    text = recorded(doc_id).text
    assert fingerprint((SEEDS / f"{doc_id}.txt").read_bytes()) == (text.sha256, text.length)


@pytest.mark.skipif(
    not SHARED.is_dir(),
    reason="byte-exact comparison of the five seed articles with the originals kept in "
    "../shared/seeds, which exist only on this project's own machines; elsewhere each "
    "text is still checked against the sha256 its annotation file records",
)
def test_seed_texts_match_the_shared_originals() -> None:
    originals = sorted(SHARED.glob("*.txt"))
    assert originals
    for original in originals:
        assert (SEEDS / original.name).read_bytes() == original.read_bytes(), original.name


def test_every_text_has_its_annotation_file() -> None:
    texts = {p.stem for p in SEEDS.glob("*.txt")}
    annotations = {p.stem for p in SEEDS.glob("*.yaml")} - {"entities", "claims", "splits"}
    assert texts == annotations


def test_seed_annotation_files_point_editors_at_the_schema() -> None:
    for path in sorted(SEEDS.glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../schema/"), path.name
        assert (SEEDS / Path(first.split("=", 1)[1])).resolve().is_file(), path.name


def test_an_edited_text_fails_and_names_the_text(tmp_path: Path) -> None:
    doc_id = DOC_IDS[0]
    root = tmp_path / "seeds"
    root.mkdir()
    (root / f"{doc_id}.yaml").write_bytes((SEEDS / f"{doc_id}.yaml").read_bytes())
    data = (SEEDS / f"{doc_id}.txt").read_bytes()
    (root / f"{doc_id}.txt").write_bytes(data.rstrip() + b" ")  # a trimmed trailing space
    report = Report()
    assert load_document(root, doc_id, report) is None
    [issue] = report.errors
    assert issue.path == str(root / f"{doc_id}.txt") and issue.code == "text_changed"
    assert "never edited" in issue.message
