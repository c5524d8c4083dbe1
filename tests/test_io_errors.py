"""Unreadable corpora and unwritable outputs: one line that says what to do, nothing half-written.

The tests run as root in CI, where permissions never fail: an unreadable
directory is mocked, and a full disk is a real write limit (``RLIMIT_FSIZE``)
on a real build process.
"""

from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kimputin_ds import build
from kimputin_ds.build import main as build_main
from kimputin_ds.validate import main as validate_main


def test_an_unlistable_corpus_is_one_line(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scandir = os.scandir

    def denied(path: Any) -> Any:
        if Path(path) == corpus:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", denied)
    assert validate_main([str(corpus), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert f"{corpus}: cannot list the corpus directory: Permission denied" in out.splitlines()


def test_an_unreadable_file_is_one_line(
    corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_open = os.open
    target = corpus / "doc_b.yaml"

    def denied(path: Any, *args: Any, **kwargs: Any) -> int:
        if Path(path) == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    assert validate_main([str(corpus), "--no-cache", "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    assert f"{target}:1:1: cannot read file: Permission denied" in out.splitlines()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a mode-000 directory anyway")
def test_an_unreadable_corpus_by_permissions(corpus: Path) -> None:
    corpus.chmod(0)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kimputin_ds.validate", str(corpus), "--no-cache"],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        corpus.chmod(0o755)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "cannot list the corpus directory: Permission denied" in done.stdout


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_a_full_disk_is_one_line_and_leaves_nothing(corpus: Path) -> None:
    project = corpus.parent
    done = subprocess.run(
        [sys.executable, "-m", "kimputin_ds.build", "--output", "dist/1.0.0", "--jobs", "1"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=_limit_file_size,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "HF_HUB_OFFLINE": "1"},
        timeout=300,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith(
        f"build failed: cannot write the release to {project / 'dist' / '1.0.0'}: "
    )
    assert "File too large" in line and line.endswith("; nothing was changed at the output")
    assert list((project / "dist").iterdir()) == []  # no staging, no lock, no release


def test_no_space_left_keeps_the_previous_release(
    corpus: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = tmp_path / "dist" / "1.0.0"
    assert build_main(["--root", str(corpus), "--output", str(output), "--jobs", "1"]) == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    capsys.readouterr()

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build, "write_manifest", full)
    assert (
        build_main(["--root", str(corpus), "--output", str(output), "--force", "--jobs", "1"]) == 1
    )
    assert capsys.readouterr().err.splitlines() == [
        f"build failed: cannot write the release to {output}: No space left on device "
        "(free some space, or choose another --output); nothing was changed at the output"
    ]
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["1.0.0"]


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs a file system where mkdir fails")
def test_an_output_that_cannot_be_created_is_one_line(corpus: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kimputin_ds.build",
            "--root",
            str(corpus),
            "--output",
            "/sys/kimputin-test/1.0.0",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert line.startswith("build failed: cannot create /sys/kimputin-test: ")
    assert line.endswith("; nothing was written")
