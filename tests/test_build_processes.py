"""Builds as real processes: two at once, and builds killed at any moment.

A release at the output is always complete and verified: never a half
release, never none when there was one before (the next build puts it back).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from kimputin_ds.manifest import verify_manifest

ENV = {
    **os.environ,
    "HF_HUB_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
}

#: A build whose release swap falls back to two renames (as where
#: renameat2(RENAME_EXCHANGE) is unavailable) and that is killed with SIGKILL
#: right after the first one, when no release is at the output.
KILLED_BETWEEN_RENAMES = """
import os, signal, sys
from pathlib import Path
from kimputin_ds import release_dir
from kimputin_ds.build import main

release_dir.exchange = lambda a, b: False
rename = Path.rename

def rename_then_die(self, target):
    result = rename(self, target)
    if ".old-" in Path(target).name:
        os.kill(os.getpid(), signal.SIGKILL)
    return result

Path.rename = rename_then_die
sys.exit(main(sys.argv[1:]))
"""


def build(project: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kimputin_ds.build", "--output", "dist/1.0.0", *args],
        cwd=project,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def change_a_label(corpus: Path, old: str, new: str) -> None:
    path = corpus / "doc_c.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(f"label: {old}", f"label: {new}"), "utf-8"
    )


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "dist").iterdir() if p.name != "1.0.0")


def test_two_builds_at_once_both_succeed(corpus: Path) -> None:
    project = corpus.parent
    first, second = build(project), build(project)
    results = [finish(first), finish(second)]
    assert [code for code, _, _ in results] == [0, 0], results
    states = sorted(out.split(":")[0] for _, out, _ in results)
    assert states == ["built", "unchanged (identical release already present)"]
    assert verify_manifest(project / "dist" / "1.0.0").ok
    assert leftovers(project) == []


def test_a_build_killed_between_the_two_renames_is_undone(corpus: Path) -> None:
    project = corpus.parent
    assert finish(build(project))[0] == 0
    release = project / "dist" / "1.0.0"
    before = {p.relative_to(release): p.read_bytes() for p in release.rglob("*") if p.is_file()}
    change_a_label(corpus, "deny", "comment")
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_BETWEEN_RENAMES, "--output", "dist/1.0.0", "--force"],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert not release.exists()  # the window the fallback leaves
    assert any(".old-" in name for name in leftovers(project))
    code, _, err = finish(build(project))  # the next build puts the old release back...
    assert code == 1 and "already exists with different content" in err  # ...then refuses
    assert "restored the previous release" in err
    after = {p.relative_to(release): p.read_bytes() for p in release.rglob("*") if p.is_file()}
    assert after == before
    assert leftovers(project) == []
    assert finish(build(project, "--force"))[0] == 0
    assert verify_manifest(release).ok


def test_builds_killed_at_random_moments_never_lose_the_release(corpus: Path) -> None:
    project = corpus.parent
    release = project / "dist" / "1.0.0"
    assert finish(build(project))[0] == 0
    labels = ["deny", "comment"]
    for i, delay in enumerate([0.3, 1.0, 2.0]):
        change_a_label(corpus, labels[i % 2], labels[(i + 1) % 2])
        process = build(project, "--force")
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=300)
        # Whatever the moment, a complete release is at the output or put back next run.
        code, _, err = finish(build(project, "--force"))
        assert code == 0, err
        assert verify_manifest(release).ok
        assert leftovers(project) == []
