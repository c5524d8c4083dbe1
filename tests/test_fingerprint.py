"""Raw-text fingerprints: an edited text fails and names the text; CRLF and BOM need an opt-in."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kimputin_ds.corpus import load_document
from kimputin_ds.errors import Report
from kimputin_ds.fingerprint import fingerprint_yaml, first_difference, line_col

ANNOTATION = """schema_version: "2.0"
doc_id: doc_x
metadata:
  outlet: Example
  published: {value: "2024-06-19", derivation: inferred_from_corpus}
"""


def write_doc(root: Path, data: bytes, **opt_ins: bool) -> None:
    root.mkdir(parents=True, exist_ok=True)
    (root / "doc_x.txt").write_bytes(data)
    (root / "doc_x.yaml").write_text(ANNOTATION + fingerprint_yaml(data, **opt_ins), "utf-8")


def load(root: Path) -> tuple[object, Report]:
    report = Report()
    return load_document(root, "doc_x", report), report


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_an_edit_is_located_against_the_committed_original(tmp_path: Path) -> None:
    root = tmp_path / "seeds"
    write_doc(root, "Kim tiba.\nPutin\u00a0menyambut Kim.\n".encode())
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "add doc_x")
    (root / "doc_x.txt").write_bytes(b"Kim tiba.\nPutin menyambut Kim.\n")  # NBSP "cleaned up"
    doc, report = load(root)
    assert doc is None
    [issue] = report.errors
    assert (Path(issue.path).name, issue.line, issue.col) == ("doc_x.txt", 2, 6)
    assert "never edited" in issue.message and "Putin\\xa0menyambut" in issue.message
    assert issue.hint.startswith("restore it: git checkout ")


def test_an_edit_outside_git_says_where_cannot_be_shown(tmp_path: Path) -> None:
    root = tmp_path / "seeds"
    write_doc(root, b"Kim tiba.\n")
    (root / "doc_x.txt").write_bytes(b"Kim tiba. \n")
    doc, report = load(root)
    [issue] = report.errors
    assert doc is None and (issue.line, issue.col, issue.code) == (1, 1, "text_changed")
    assert "cannot be shown" in issue.message and "10 bytes" in issue.message


@pytest.mark.parametrize(
    ("data", "opt_in", "code"),
    [
        (b"Kim tiba.\r\nPutin tiba.\r\n", "crlf", "crlf"),
        (b"\xef\xbb\xbfKim tiba.\n", "bom", "bom"),
    ],
)
def test_crlf_and_bom_need_the_curators_opt_in(
    tmp_path: Path, data: bytes, opt_in: str, code: str
) -> None:
    write_doc(tmp_path / "without", data)
    doc, report = load(tmp_path / "without")
    assert [i.code for i in report.errors] == [code]
    assert f"set `{opt_in}: true`" in report.errors[0].hint
    write_doc(tmp_path / "with", data, **{opt_in: True})
    doc, report = load(tmp_path / "with")
    assert report.ok and doc is not None
    assert doc.text == data.decode("utf-8")  # kept as stored, BOM and CR included


def test_an_opt_in_the_text_does_not_need_is_an_error(tmp_path: Path) -> None:
    write_doc(tmp_path, b"Kim tiba.\n", crlf=True)
    _, report = load(tmp_path)
    assert [(i.field, i.code) for i in report.errors] == [("text.crlf", "crlf")]


@given(st.text(max_size=40), st.text(max_size=40))
def test_first_difference_is_where_the_texts_part(old: str, new: str) -> None:
    line, col = first_difference(old.encode(), new.encode())
    k = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), None)
    k = min(len(old), len(new)) if k is None else k
    assert (line, col) == line_col(new, k)
    assert new[:k] == old[:k]
