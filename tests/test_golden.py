"""Golden invalid corpora: each case overlays tests/golden/<case>/ on the valid
mini corpus and must produce exactly the messages in its expected.txt.

A file ``X.delete`` in a case deletes ``X``. Regenerate after a deliberate
change of wording with ``KIMPUTIN_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import MINI_CORPUS, TESTS
from kimputin_ds.validation import validate_corpus

GOLDEN = TESTS / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def overlay(case: Path, root: Path) -> None:
    shutil.copytree(MINI_CORPUS, root)
    for path in sorted(case.iterdir()):
        if path.name == "expected.txt":
            continue
        if path.suffix == ".delete":
            (root / path.stem).unlink()
        else:
            shutil.copy(path, root / path.name)


@pytest.mark.parametrize("name", CASES)
def test_golden_case(name: str, tmp_path: Path) -> None:
    case = GOLDEN / name
    root = tmp_path / "seeds"
    overlay(case, root)
    report = validate_corpus(root)
    assert not report.ok
    got = report.to_text().replace(str(root), "seeds") + "\n"
    expected_path = case / "expected.txt"
    if os.environ.get("KIMPUTIN_UPDATE_GOLDEN"):
        expected_path.write_text(got, encoding="utf-8")
    assert got == expected_path.read_text(encoding="utf-8")


def test_every_case_has_expectations() -> None:
    missing = [c for c in CASES if not (GOLDEN / c / "expected.txt").is_file()]
    assert not missing
