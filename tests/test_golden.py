"""Golden invalid corpora: each case overlays tests/golden/<case>/ on the valid
mini corpus and must produce exactly the messages in its expected.txt.

A file ``X.delete`` in a case deletes ``X``. This test never writes: after a
deliberate change of wording, run ``python scripts/update_golden.py`` and
review ``git diff tests/golden``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from conftest import load_script

golden = load_script("update_golden")
CASES = golden.cases()

#: The codes each golden case reports (``code*n`` for n of them): the stable
#: identifiers that ``--format json`` gives tools, which the messages do not show.
CODES = {
    "alias_bomb": "yaml",
    "annotation_inside_boilerplate_zone": "core_role zone",
    "bad_splits": "dangling_ref split_missing split_overlap",
    "bom_and_encoding": "bom encoding",
    "dangling_and_duplicate_ids": "core_role*2 dangling_ref*6 duplicate_id*2 speaker_mention",
    "empty_file": "empty",
    "grammar_of_messages": "core_role duplicate_id invalid speaker_mention",
    "integer_beyond_64_bits": "yaml",
    "invalid_dates": "value_error*7",
    "line_endings_and_opt_ins": "bom crlf",
    "malformed_yaml": "yaml",
    "missing_and_extra_files": "missing*2 split_missing stray",
    "nested_quote_outside_parent": "core_role invalid",
    "quote_nesting_cycle": "core_role invalid*6",
    "no_knock_on_errors": "anchor*2 core_role*2",
    "overlapping_mentions": "overlap*2 speaker_mention",
    "python_tag": "yaml",
    "quotation_mark_just_outside_quote": "core_role uncovered_quotation",
    "reference_to_wrong_kind": "core_role dangling_ref*3",
    "scheme_2_0_labels": "duplicate_id value_error*3",
    "scheme_2_0_references": "argument_mention core_role*3 dangling_ref overlap",
    "span_not_found_or_ambiguous": "anchor*4 core_role*4",
    "speaker_mention_only_touching_mention": "core_role speaker_mention*2",
    "speaker_reference_mismatch": "invalid*2",
    "tab_in_indentation": "yaml",
    "terminal_escape_in_yaml": "yaml",
    "text_edited": "text_changed",
    "top_level_list": "type",
    "uncovered_quotation_mark_beside_non_speech_quotation": "uncovered_quotation*2",
    "uncovered_quotation_marks": "uncovered_quotation*6",
    "unknown_field_did_you_mean": "extra_forbidden",
    "unsafe_ids": "string_pattern_mismatch*3",
    "wrong_types_and_labels": (
        "bool_type extra_forbidden*2 literal_error*3 missing string_type value_error"
    ),
}


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


@pytest.mark.parametrize("name", sorted(CODES))
def test_golden_case_codes(name: str, tmp_path: Path) -> None:
    """Every entry names an existing case (a case added later may have no entry yet)."""
    from kimputin_ds.validation import validate_corpus

    assert name in CASES
    root = tmp_path / "seeds"
    golden.overlay(golden.GOLDEN / name, root)
    counts = Counter(i.code for i in validate_corpus(root).issues)
    got = " ".join(code if n == 1 else f"{code}*{n}" for code, n in sorted(counts.items()))
    assert got == CODES[name]
