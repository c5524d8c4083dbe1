"""Golden invalid corpora: each case overlays tests/golden/<case>/ on the valid
mini corpus and must produce exactly the messages in its expected.txt.

A file ``X.delete`` in a case deletes ``X``. This test never writes: after a
deliberate change of wording, run ``python scripts/update_golden.py`` and
review ``git diff tests/golden``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load_script

golden = load_script("update_golden")
CASES = golden.cases()


@pytest.mark.parametrize("name", CASES)
def test_golden_case(name: str, tmp_path: Path) -> None:
    case = golden.GOLDEN / name
    expected = (case / golden.EXPECTED).read_text(encoding="utf-8")
    got = golden.messages(case, tmp_path)
    assert got.strip(), f"case {name} reports nothing"
    assert got == expected, "run `python scripts/update_golden.py` and review the diff"


def test_every_case_has_expectations() -> None:
    missing = [c for c in CASES if not (golden.GOLDEN / c / golden.EXPECTED).is_file()]
    assert not missing


def test_golden_test_never_writes_its_expectation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old KIMPUTIN_UPDATE_GOLDEN switch made the test compare its output with itself."""
    monkeypatch.setenv("KIMPUTIN_UPDATE_GOLDEN", "1")
    case = golden.GOLDEN / CASES[0]
    before = (case / golden.EXPECTED).read_bytes()
    test_golden_case(CASES[0], tmp_path)
    assert (case / golden.EXPECTED).read_bytes() == before
