"""The export and import entry points, run as a user types them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, SEEDS
from test_cli import run

DOC_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))


@pytest.mark.slow
def test_export_then_import_by_subprocess(tmp_path: Path) -> None:
    out = tmp_path / "brat"
    done = run("kimputin_ds.export", "--format", "brat", "--output", str(out), cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert f"exported {len(DOC_IDS)} document(s)" in done.stderr
    doc_id = DOC_IDS[-1]
    target = tmp_path / f"{doc_id}.yaml"
    args = ("kimputin_ds.import_annotations", "--format", "brat", "--input", str(out))
    done = run(*args, "--doc-id", doc_id, "--output", str(target), cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "OK: wrote" in done.stderr
    written = target.read_bytes()
    # never written over: a second import refuses and leaves the file as it was
    again = run(*args, "--doc-id", doc_id, "--output", str(target), cwd=REPO)
    assert again.returncode == 1 and "exists" in again.stderr
    assert target.read_bytes() == written
    # the default output is the corpus's own file, which exists: refused too
    default = run(*args, "--doc-id", doc_id, cwd=REPO)
    assert default.returncode == 1 and "exists" in default.stderr


def test_export_refuses_a_non_empty_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    done = run("kimputin_ds.export", "--format", "brat", "--output", str(out), cwd=REPO)
    assert done.returncode == 1
    assert "not empty" in done.stderr and "Traceback" not in done.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_import_reports_unmappable_annotations_without_writing(tmp_path: Path) -> None:
    doc_id = DOC_IDS[0]
    ann = tmp_path / f"{doc_id}.ann"
    ann.write_text("T1\tpersn 0 3\t" + (SEEDS / f"{doc_id}.txt").read_text("utf-8")[:3] + "\n")
    target = tmp_path / "out.yaml"
    done = run(
        "kimputin_ds.import_annotations",
        "--format",
        "brat",
        "--input",
        str(ann),
        "--doc-id",
        doc_id,
        "--output",
        str(target),
        cwd=REPO,
    )
    assert done.returncode == 1
    assert "T1: unknown annotation type 'persn'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not target.exists()


def test_conll_from_a_release_by_subprocess(seed_release: Path, tmp_path: Path) -> None:
    out = tmp_path / "conll"
    args = ("kimputin_ds.export", "--format", "conll", "--output", str(out))
    done = run(*args, "--release", str(seed_release), cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".conll"] * len(list(out.iterdir()))
    wrong = run(
        "kimputin_ds.export",
        "--format",
        "brat",
        "--output",
        str(tmp_path / "b"),
        "--release",
        str(seed_release),
        cwd=REPO,
    )
    assert wrong.returncode == 2 and "--release works with --format conll" in wrong.stderr
    assert not (tmp_path / "b").exists()


def test_a_curators_brat_work_imports_with_the_articles_own_fields(tmp_path: Path) -> None:
    """BRAT annotations drawn from scratch (no sidecar): metadata from the article's file."""
    doc_id = DOC_IDS[0]
    text = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
    start = text.index("Putin")
    ann = tmp_path / f"{doc_id}.ann"
    ann.write_text(
        f"T1\tperson {start} {start + 5}\tPutin\n"
        "N1\tReference T1 kimputin:vladimir_putin\tVladimir Putin\n",
        encoding="utf-8",
    )
    target = tmp_path / "draft.yaml"
    args = ("kimputin_ds.import_annotations", "--format", "brat", "--input", str(ann))
    done = run(*args, "--doc-id", doc_id, "--output", str(target), cwd=REPO)
    # written, then validated: a draft with one mention leaves quotation marks
    # unannotated, which the validator reports with their place in the text
    assert "wrote" in done.stderr and "Traceback" not in done.stderr
    assert done.returncode == (0 if " 0 error(s)" in done.stderr else 1)
    written = target.read_text(encoding="utf-8")
    original = (SEEDS / f"{doc_id}.yaml").read_text(encoding="utf-8")
    sha = next(line for line in original.splitlines() if "sha256:" in line).split()[-1]
    assert sha in written
    assert "vladimir_putin:" in written and "quotes:" not in written


def test_an_import_without_document_fields_names_what_is_missing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    doc_id = DOC_IDS[0]
    for name in (f"{doc_id}.txt", "entities.yaml", "splits.yaml"):
        (corpus / name).write_bytes((SEEDS / name).read_bytes())
    ann = tmp_path / f"{doc_id}.ann"
    ann.write_text("", encoding="utf-8")
    target = tmp_path / "draft.yaml"
    done = run(
        "kimputin_ds.import_annotations",
        "--format",
        "brat",
        "--input",
        str(ann),
        "--doc-id",
        doc_id,
        "--corpus",
        str(corpus),
        "--output",
        str(target),
        cwd=REPO,
    )
    assert done.returncode == 1, done.stderr
    assert "metadata: Field required" in done.stderr and "kimputin-new" in done.stderr
    assert not target.exists()


def test_export_refuses_an_output_inside_the_corpus(corpus: Path) -> None:
    done = run(
        "kimputin_ds.export",
        "--format",
        "brat",
        "--corpus",
        str(corpus),
        "--output",
        str(corpus / "brat"),
        cwd=corpus.parent,
    )
    assert done.returncode == 1 and "inside the corpus directory" in done.stderr
    assert not (corpus / "brat").exists()
