"""``kimputin-new``: an article added in one command validates; nothing is ever overwritten."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kimputin_ds.errors import KimputinError
from kimputin_ds.models import SplitAssignment
from kimputin_ds.new import main
from kimputin_ds.newdoc import add_article, add_to_split, next_doc_id, yaml_scalar
from kimputin_ds.validation import validate_corpus
from kimputin_ds.yamlio import load_yaml

ARTICLE = b"JAKARTA - Teks sintetis untuk uji.\nKim dan Putin bertemu.\n"


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir())}


def test_module_entry_point_adds_an_article_that_validates(corpus: Path, tmp_path: Path) -> None:
    source = tmp_path / "article.txt"
    source.write_bytes(ARTICLE)
    splits_before = (corpus / "splits.yaml").read_text(encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kimputin_ds.new",
            str(source),
            "--outlet",
            "Contoh News",
            "--published",
            "2024-06-20",
            "--split",
            "test",
        ],
        cwd=corpus.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    doc_id = "000_" + hashlib.sha256(ARTICLE).hexdigest()[:16]
    assert f"added {doc_id} to test" in done.stdout
    assert (corpus / f"{doc_id}.txt").read_bytes() == ARTICLE
    splits_after = (corpus / "splits.yaml").read_text(encoding="utf-8")
    assert splits_after == splits_before.replace("test: [doc_c]", f"test: [doc_c, {doc_id}]")
    report = validate_corpus(corpus)
    assert report.ok, report.to_text()


def test_the_running_number_follows_the_corpus(corpus: Path, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(ARTICLE)
    first = add_article(corpus, source, outlet="X", published="2024-06-20", split="train")
    source.write_bytes(ARTICLE + b"Tambahan.\n")
    second = add_article(corpus, source, outlet="X", published="2024-06-20", split="train")
    assert first.doc_id.startswith("000_") and second.doc_id.startswith("001_")
    assert next_doc_id(["009_a", "x", "0123_b"], b"") == "0124_" + hashlib.sha256().hexdigest()[:16]


@pytest.mark.parametrize(
    "case",
    [
        (b"Kim.\r\nPutin.\r\n", [], "line endings"),
        (b"\xef\xbb\xbfKim.\n", [], "byte-order mark"),
        (b"Kim \xe9.\n", [], "not valid UTF-8"),
        (b"  \n", [], "empty"),
        (ARTICLE, ["--published", "2024-02-30"], "YYYY-MM-DD"),
        (ARTICLE, ["--crlf"], "no CRLF"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    case: tuple[bytes, list[str], str],
) -> None:  # fmt: skip
    content, args, expected = case
    source = tmp_path / "article.txt"
    source.write_bytes(content)
    before = snapshot(corpus)
    argv = [str(source), "--root", str(corpus), "--outlet", "X", "--split", "train"]
    argv += args if "--published" in args else ["--published", "2024-06-20", *args]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err and "FAILED: nothing was added" in err
    assert snapshot(corpus) == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_or_a_link_is_refused_without_hanging(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "real.txt").write_bytes(ARTICLE)
    (tmp_path / "link.txt").symlink_to(tmp_path / "real.txt")
    before = snapshot(corpus)
    for name, what in (("pipe.txt", "FIFO"), ("link.txt", "symbolic link")):
        argv = [str(tmp_path / name), "--root", str(corpus), "--outlet", "X"]
        assert main([*argv, "--published", "2024-06-20", "--split", "train"]) == 1
        assert what in capsys.readouterr().err
    assert snapshot(corpus) == before


def test_crlf_with_the_opt_in_is_recorded_and_validates(corpus: Path, tmp_path: Path) -> None:
    source = tmp_path / "article.txt"
    source.write_bytes(b"Kim tiba.\r\nPutin tiba.\r\n")
    added = add_article(
        corpus, source, outlet="X", published="2024-06-20", split="train", crlf=True
    )
    assert "  crlf: true\n" in added.annotation_path.read_text(encoding="utf-8")
    assert validate_corpus(corpus).ok


def test_a_text_already_in_the_corpus_is_refused(corpus: Path) -> None:
    before = snapshot(corpus)
    with pytest.raises(KimputinError) as exc:
        add_article(corpus, corpus / "doc_a.txt", outlet="X", published="2024-06-20", split="train")
    assert "already in the corpus as doc_a" in exc.value.report.to_text()
    assert snapshot(corpus) == before


def test_an_existing_file_is_never_overwritten(corpus: Path, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(ARTICLE)
    doc_id = next_doc_id(["doc_a"], ARTICLE)
    (corpus / f"{doc_id}.yaml").write_text("mine\n", encoding="utf-8")
    before = snapshot(corpus)
    with pytest.raises(KimputinError) as exc:
        add_article(corpus, source, outlet="X", published="2024-06-20", split="train")
    assert "never overwritten" in exc.value.report.to_text()
    assert snapshot(corpus) == before


def test_outside_a_corpus_it_says_how_to_point_at_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_bytes(ARTICLE)
    argv = [str(tmp_path / "a.txt"), "--root", str(tmp_path / "seeds")]
    assert main([*argv, "--outlet", "X", "--published", "2024-06-20", "--split", "train"]) == 1
    assert "pass --root" in capsys.readouterr().err


def test_block_lists_keep_comments_and_layout() -> None:
    source = (
        "# comment\nschema_version: '1.0'\ntrain:\n  - a   # first\n  # between\n  - b\n"
        "validation:\n  - c\ntest: []\nrationale: >-\n  text\n"
    )
    edited = add_to_split(source, "train", "d")
    assert edited == source.replace("  - b\n", "  - b\n  - d\n")
    assert add_to_split(source, "test", "d") == source.replace("test: []", "test: [d]")
    assert add_to_split("train: a\n", "train", "d") is None


_IDS = st.lists(st.from_regex(r"[a-z0-9]{1,8}", fullmatch=True), min_size=1, max_size=5)


@given(train=_IDS, test=_IDS, new=_IDS.map(lambda ids: ids[0] + "_0"), flow=st.booleans(),
       crlf=st.booleans())  # fmt: skip
def test_the_new_id_lands_last_in_its_split(
    train: list[str], test: list[str], new: str, flow: bool, crlf: bool
) -> None:
    nl = "\r\n" if crlf else "\n"

    def block(name: str, ids: list[str]) -> str:
        if flow:
            return f"{name}: [{', '.join(map(yaml_scalar, ids))}]{nl}"
        return f"{name}:{nl}" + "".join(f"  - {yaml_scalar(i)}{nl}" for i in ids)

    source = f"schema_version: '1.0'{nl}" + block("train", train) + block("validation", ["v"])
    source += block("test", test) + f"rationale: r{nl}"
    edited = add_to_split(source, "test", new)
    assert edited is not None
    data, _ = load_yaml(edited)
    parsed = SplitAssignment.model_validate(data)
    assert parsed.test == [*test, new] and parsed.train == train
    written = yaml_scalar(new)
    assert edited.replace(f"  - {written}{nl}", "").replace(f", {written}]", "]") == source
