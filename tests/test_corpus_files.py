"""Corpus files are regular files inside the corpus, read with a size limit.

A symbolic link (to a secret, to a device), a FIFO, a socket or a device in
``seeds/`` is an error that names it, in ``validate`` and in ``build``; nothing
is read through it and no release is written.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kimputin_ds import safe_files
from kimputin_ds.safe_files import RefusedFileError, read_regular
from kimputin_ds.validation import validate_corpus

SECRET = "kimputin-test-secret-4f1d"


def run(module: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "KIMPUTIN_TEST_SECRET": SECRET}
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,  # a FIFO that is opened would hang until then
    )


def add_document(corpus: Path, doc_id: str) -> None:
    """An annotation file for ``doc_id`` (a copy of doc_a's), put in the train split."""
    text = (corpus / "doc_a.yaml").read_text(encoding="utf-8")
    (corpus / f"{doc_id}.yaml").write_text(
        text.replace("doc_id: doc_a", f"doc_id: {doc_id}"), encoding="utf-8"
    )
    splits = corpus / "splits.yaml"
    splits.write_text(
        splits.read_text(encoding="utf-8").replace("train: [", f"train: [{doc_id}, "),
        encoding="utf-8",
    )


def link_to_secret(corpus: Path, tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text((corpus / "doc_a.txt").read_text(encoding="utf-8") + SECRET, "utf-8")
    (corpus / "doc_d.txt").symlink_to(secret)
    add_document(corpus, "doc_d")
    return corpus / "doc_d.txt"


def link_to_environ(corpus: Path, tmp_path: Path) -> Path:
    (corpus / "doc_d.txt").symlink_to("/proc/self/environ")
    add_document(corpus, "doc_d")
    return corpus / "doc_d.txt"


def link_to_dev_zero(corpus: Path, tmp_path: Path) -> Path:
    (corpus / "doc_d.txt").symlink_to("/dev/zero")
    add_document(corpus, "doc_d")
    return corpus / "doc_d.txt"


def fifo(corpus: Path, tmp_path: Path) -> Path:
    os.mkfifo(corpus / "doc_d.txt")
    add_document(corpus, "doc_d")
    return corpus / "doc_d.txt"


def fifo_annotation(corpus: Path, tmp_path: Path) -> Path:
    (corpus / "doc_a.yaml").unlink()
    os.mkfifo(corpus / "doc_a.yaml")
    return corpus / "doc_a.yaml"


def unix_socket(corpus: Path, tmp_path: Path) -> Path:
    path = corpus / "doc_d.txt"
    if len(os.fsencode(path)) > 100:
        pytest.skip("path too long for a Unix socket")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays
    add_document(corpus, "doc_d")
    return path


def linked_registry(corpus: Path, tmp_path: Path) -> Path:
    real = tmp_path / "entities.yaml"
    (corpus / "entities.yaml").rename(real)
    (corpus / "entities.yaml").symlink_to(real)
    return corpus / "entities.yaml"


def hidden_link(corpus: Path, tmp_path: Path) -> Path:
    (corpus / ".secret.txt").symlink_to("/etc/passwd")
    return corpus / ".secret.txt"


CASES: list[tuple[str, Callable[[Path, Path], Path], str]] = [
    ("link to a secret", link_to_secret, "is a symbolic link; only regular files are read"),
    ("link to the environment", link_to_environ, "is a symbolic link"),
    ("link to /dev/zero", link_to_dev_zero, "is a symbolic link"),
    ("FIFO text", fifo, "is a FIFO (named pipe), not a regular file"),
    ("FIFO annotation", fifo_annotation, "is a FIFO (named pipe), not a regular file"),
    ("socket", unix_socket, "is a socket, not a regular file"),
    ("linked registry", linked_registry, "is a symbolic link"),
    ("hidden link", hidden_link, "is a symbolic link"),
]


@pytest.mark.parametrize(("make", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_special_files_are_errors_naming_them(
    corpus: Path, tmp_path: Path, make: Callable[[Path, Path], Path], message: str
) -> None:
    path = make(corpus, tmp_path)
    checked = run("kimputin_ds.validate", str(corpus), cwd=tmp_path)
    assert checked.returncode == 1
    assert f"{path}: {message}" in checked.stdout
    assert "Traceback" not in checked.stderr
    assert SECRET not in checked.stdout + checked.stderr
    built = run("kimputin_ds.build", "--root", str(corpus), "--output", "out", cwd=tmp_path)
    assert built.returncode == 1
    assert f"{path}: {message}" in built.stderr
    assert "Traceback" not in built.stderr and SECRET not in built.stdout + built.stderr
    assert not (tmp_path / "out").exists()


def test_a_device_is_an_error(corpus: Path) -> None:
    path = corpus / "doc_d.txt"
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # /dev/zero's numbers
    except PermissionError:
        pytest.skip("cannot create a device node here")
    add_document(corpus, "doc_d")
    messages = [i.format() for i in validate_corpus(corpus)]
    assert f"{path}: is a character device, not a regular file " in " ".join(messages)


def test_hidden_files_are_ignored_with_a_warning(corpus: Path) -> None:
    (corpus / ".doc_a.yaml.swp").write_bytes(b"\x00 editor swap")
    report = validate_corpus(corpus)
    assert report.ok
    assert [i.format() for i in report] == [
        f"{corpus / '.doc_a.yaml.swp'}: warning: hidden file ignored: hidden files are "
        "not part of the corpus"
    ]


def test_oversized_files_are_not_read(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_files, "MAX_FILE_BYTES", 1000)
    report = validate_corpus(corpus)
    big = [i for i in report.errors if "larger than the limit" in i.message]
    sizes = {p.name for p in corpus.iterdir() if p.stat().st_size > 1000}
    assert {Path(i.path).name for i in big} == sizes and sizes


def test_read_regular_refuses_a_file_that_grew_past_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 10)
    assert read_regular(path, limit=10) == b"x" * 10
    with pytest.raises(RefusedFileError, match="larger than the limit of 9 bytes"):
        read_regular(path, limit=9)


def test_read_regular_reads_on_when_a_file_grew_after_it_was_sized(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 100)

    def sized_before_it_grew(real: Callable[..., os.stat_result]) -> Callable[..., os.stat_result]:
        def fake(target: object) -> os.stat_result:
            fields = list(real(target))
            fields[stat.ST_SIZE] = 10
            return os.stat_result(fields)

        return fake

    monkeypatch.setattr(os, "lstat", sized_before_it_grew(os.lstat))
    monkeypatch.setattr(os, "fstat", sized_before_it_grew(os.fstat))
    assert read_regular(path, limit=1000) == b"x" * 100
    assert read_regular(path, limit=100) == b"x" * 100
    with pytest.raises(RefusedFileError, match="larger than the limit of 50 bytes"):
        read_regular(path, limit=50)


def test_a_linked_card_template_is_refused(corpus: Path, tmp_path: Path) -> None:
    card = tmp_path / "DATASET_CARD.md"
    real = tmp_path / "card.md"
    card.rename(real)
    card.symlink_to(real)
    built = run("kimputin_ds.build", "--root", str(corpus), "--output", "out", cwd=tmp_path)
    assert built.returncode == 1
    assert built.stderr.splitlines() == [
        f"build failed: dataset card template {card} is a symbolic link; "
        "only regular files are read"
    ]
