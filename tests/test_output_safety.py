"""``build --force`` replaces only a release, and refuses everything else in one line.

Each case runs the real ``python -m kimputin_ds.build`` in a scratch project
(a corpus, its card template, a fake ``src/`` and ``.git/`` and a user's work)
and checks that nothing in the project changed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kimputin_ds.manifest import MANIFEST_NAME, verify_manifest


def run_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "kimputin_ds.build", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )


def snapshot(root: Path, skip: Path | None = None) -> dict[str, tuple[str, bytes]]:
    """Every entry under ``root`` (links not followed): kind and content."""
    found: dict[str, tuple[str, bytes]] = {}
    for directory, dirs, names in os.walk(root):
        for name in [*dirs, *names]:
            path = Path(directory) / name
            if skip is not None and (path == skip or skip in path.parents):
                continue
            if path.is_symlink():
                found[str(path)] = ("link", str(path.readlink()).encode())
            elif path.is_file():
                found[str(path)] = ("file", path.read_bytes())
            else:
                found[str(path)] = ("dir", b"")
    return found


@pytest.fixture
def project(corpus: Path) -> Path:
    """A repository-like directory: seeds/, the card template, src/, .git/ and a user's work."""
    root = corpus.parent
    (root / "src").mkdir()
    (root / "src" / "code.py").write_text("print('mine')\n", encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (root / "mywork").mkdir()
    (root / "mywork" / "thesis.tex").write_text("\\chapter{Mine}\n", encoding="utf-8")
    (root / "notes.txt").write_text("a file\n", encoding="utf-8")
    (root / "empty").mkdir()
    return root


def _nothing(project: Path) -> None:
    return None


def _inner_corpus_dir(project: Path) -> None:
    (project / "seeds" / "sub").mkdir()


def _release_with_extra_file(project: Path) -> None:
    done = run_build(project, "--output", "dist/1.0.0")
    assert done.returncode == 0, done.stderr
    (project / "dist" / "1.0.0" / "thesis.tex").write_text("mine\n", encoding="utf-8")


def _release_with_symlink(project: Path) -> None:
    done = run_build(project, "--output", "dist/1.0.0")
    assert done.returncode == 0, done.stderr
    (project / "dist" / "1.0.0" / "extra.md").symlink_to(project / "notes.txt")


def _unparseable_manifest(project: Path) -> None:
    (project / "dist" / "1.0.0").mkdir(parents=True)
    (project / "dist" / "1.0.0" / MANIFEST_NAME).write_text("{not json", encoding="utf-8")


def _link_to_work(project: Path) -> None:
    (project / "dist").mkdir()
    (project / "dist" / "1.0.0").symlink_to(project / "mywork")


REFUSALS: list[tuple[str, list[str], Callable[[Path], None], str]] = [
    ("unrelated directory", ["--output", "mywork"], _nothing, "not a kimputin_ds release"),
    ("the repository", ["--output", "."], _nothing, "current directory"),
    ("the repository by path", ["--output", "seeds/.."], _nothing, "repository"),
    ("an ancestor", ["--output", ".."], _nothing, "ancestor of the corpus"),
    ("an empty path", ["--output", ""], _nothing, "--output is empty"),
    ("the corpus", ["--output", "seeds"], _nothing, "the corpus directory"),
    ("inside the corpus", ["--output", "seeds/sub"], _inner_corpus_dir, "inside the corpus"),
    ("a new path in the corpus", ["--output", "seeds/dist"], _nothing, "inside the corpus"),
    ("a file", ["--output", "notes.txt"], _nothing, "is a file"),
    ("src", ["--output", "src"], _nothing, "not a kimputin_ds release"),
    (
        "a release with an extra file",
        ["--output", "dist/1.0.0"],
        _release_with_extra_file,
        "thesis.tex",
    ),
    ("a release with a link", ["--output", "dist/1.0.0"], _release_with_symlink, "symbolic link"),
    (
        "a manifest that does not parse",
        ["--output", "dist/1.0.0"],
        _unparseable_manifest,
        "cannot be read",
    ),
    ("a symbolic link", ["--output", "dist/1.0.0"], _link_to_work, "symbolic link"),
]


@pytest.mark.parametrize(
    ("args", "setup", "expected"), [c[1:] for c in REFUSALS], ids=[c[0] for c in REFUSALS]
)
def test_force_refuses_what_is_not_a_release(
    project: Path, args: list[str], setup: Callable[[Path], None], expected: str
) -> None:
    setup(project)
    before = snapshot(project.parent)
    done = run_build(project, *args, "--force")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "refusing to write the release" in lines[0], lines
    assert expected in lines[0]
    assert snapshot(project.parent) == before


def test_the_git_work_tree_of_another_project_is_refused(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    done = run_build(project, "--output", str(other), "--force")
    assert done.returncode == 1 and "git work tree" in done.stderr
    assert (other / ".git").is_dir()


def test_force_replaces_a_release_and_an_empty_directory(project: Path) -> None:
    done = run_build(project, "--output", "empty")
    assert done.returncode == 0, done.stderr
    assert verify_manifest(project / "empty").ok
    before = snapshot(project.parent, skip=project / "empty")
    path = project / "seeds" / "doc_c.yaml"
    original = path.read_text(encoding="utf-8")
    changed = original.replace("label: deny", "label: comment")
    assert changed != original  # a real change of the release's content
    path.write_text(changed, encoding="utf-8")
    refused = run_build(project, "--output", "empty")
    assert refused.returncode == 1 and "different content" in refused.stderr
    done = run_build(project, "--output", "empty", "--force")
    assert done.returncode == 0, done.stderr
    assert verify_manifest(project / "empty").ok
    after = snapshot(project.parent, skip=project / "empty")
    del before[str(path)], after[str(path)]
    assert after == before  # nothing beside the release changed, no leftover


def test_a_corrupted_release_is_not_called_unchanged(project: Path) -> None:
    assert run_build(project, "--output", "dist/1.0.0").returncode == 0
    release = project / "dist" / "1.0.0"
    manifest = json.loads((release / MANIFEST_NAME).read_text(encoding="utf-8"))
    name = sorted(n for n in manifest["files"] if n.endswith(".parquet"))[0]
    data = bytearray((release / name).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (release / name).write_bytes(bytes(data))
    again = run_build(project, "--output", "dist/1.0.0")
    assert again.returncode == 1, again.stdout
    assert "unchanged" not in again.stdout
    assert again.stderr.splitlines() == [
        f"build failed: release {release} does not match its checksum manifest "
        f"({release / name}: content does not match the checksum manifest); "
        "pass --force to rebuild it"
    ]
    fixed = run_build(project, "--output", "dist/1.0.0", "--force")
    assert fixed.returncode == 0 and fixed.stdout.startswith("built:")
    assert verify_manifest(release).ok
    unchanged = run_build(project, "--output", "dist/1.0.0")
    assert unchanged.returncode == 0 and unchanged.stdout.startswith("unchanged")


def test_a_missing_file_in_a_release_is_not_called_unchanged(project: Path) -> None:
    assert run_build(project, "--output", "dist/1.0.0").returncode == 0
    shutil.rmtree(project / "dist" / "1.0.0" / "data" / "kb")
    again = run_build(project, "--output", "dist/1.0.0")
    assert again.returncode == 1 and "listed in the manifest but missing" in again.stderr
