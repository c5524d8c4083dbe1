"""Validator messages a curator can act on: where, what differs, and nothing twice."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kimputin_ds.errors import Issue
from kimputin_ds.spandiff import char_diff, nearest_match

_MARK = re.compile(r"\[([^\[\]→]*)→([^\[\]→]*)\]")


def sides(diff: str) -> tuple[str, str]:
    """The written span and the text, read back from a char_diff."""
    return _MARK.sub(r"\1", diff), _MARK.sub(r"\2", diff)


_PLAIN = st.text(alphabet="abcde -.", max_size=30)


@given(_PLAIN, _PLAIN)
def test_char_diff_reads_back_as_both_sides(written: str, found: str) -> None:
    assert sides(char_diff(written, found)) == (written, found)


@given(st.text(alphabet="abcdefgh ", min_size=30, max_size=200), st.data())
def test_a_one_character_slip_finds_the_original(raw: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(raw) - 12))
    span = raw[start : start + 12]
    slipped = span[:5] + "X" + span[6:]
    found = nearest_match(raw, slipped)
    assert found is not None
    assert sum(a != b for a, b in zip(raw[found[0] : found[1]], slipped, strict=False)) <= 2


def test_a_problem_without_a_place_shows_no_zero_location() -> None:
    assert Issue("seeds", 0, 0, "", "corpus directory not found").format() == (
        "seeds: corpus directory not found"
    )


def test_outside_a_corpus_the_validator_says_how_to_point_at_one(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kimputin_ds.validate", "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert "seeds: corpus directory not found" in done.stdout
    assert "--root" in done.stdout and ":0:0" not in done.stdout
