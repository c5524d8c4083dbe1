"""One subprocess run of each ``python -m`` entry point, as a user would type it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", *args],
        check=False,
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_validate_entry_point(corpus: Path) -> None:
    ok = run("kimputin_ds.validate", str(corpus), cwd=corpus.parent)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (corpus / "doc_c.yaml").write_text("doc_id: !!python/name:os.system\n", encoding="utf-8")
    bad = run("kimputin_ds.validate", str(corpus), "--format", "json", cwd=corpus.parent)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    issues = json.loads(bad.stdout)["issues"]
    assert issues[0]["path"].endswith("doc_c.yaml") and issues[0]["line"] == 1


def test_build_entry_point_uses_the_default_layout(corpus: Path) -> None:
    # Run from the corpus's parent, as the README does from the repo root.
    done = run("kimputin_ds.build", cwd=corpus.parent)
    assert done.returncode == 0, done.stderr
    from kimputin_ds.version import __version__

    release = corpus.parent / "dist" / __version__
    assert (release / "checksums.json").is_file()
    again = run("kimputin_ds.build", cwd=corpus.parent)
    assert again.returncode == 0 and "unchanged" in again.stdout


def test_repo_seeds_validate_from_the_repo_root() -> None:
    done = run("kimputin_ds.validate", cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: 0 error(s)" in done.stderr
