"""Span anchoring: exact text to code-point offsets, never normalised."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kimputin_ds.anchoring import AnchorError, anchor, occurrences

RAW = "Kim bertemu Putin.\n\u201cIni penting,\u201d kata Putin.\u00a0Kim setuju."


def test_unique_span_resolves_to_code_points() -> None:
    span = anchor(RAW, "Ini penting,")
    assert RAW[span.start : span.end] == "Ini penting,"
    assert span.start == RAW.index("\u201c") + 1


def test_occurrence_and_prefix_disambiguate() -> None:
    assert anchor(RAW, "Putin", occurrence=2).start == RAW.rindex("Putin")
    assert anchor(RAW, "Kim", prefix="\u00a0").start == RAW.rindex("Kim")


def test_ambiguous_span_is_an_error_with_a_hint() -> None:
    with pytest.raises(AnchorError) as info:
        anchor(RAW, "Kim")
    assert "ambiguous" in info.value.message
    assert "occurrence" in info.value.hint


def test_out_of_range_occurrence_is_an_error() -> None:
    with pytest.raises(AnchorError, match="no occurrence 3"):
        anchor(RAW, "Putin", occurrence=3)


def test_lookalike_characters_are_never_matched_but_explained() -> None:
    with pytest.raises(AnchorError) as info:
        anchor(RAW, '"Ini penting,"')
    assert "U+201C" in info.value.hint
    with pytest.raises(AnchorError) as info:
        anchor(RAW, "Putin. Kim")
    assert "U+00A0" in info.value.hint


def test_missing_span_is_an_error() -> None:
    with pytest.raises(AnchorError, match="not found"):
        anchor(RAW, "Biden")


@given(st.text(min_size=1, max_size=200), st.data())
def test_every_occurrence_anchors_to_its_own_text(raw: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(raw) - 1))
    end = data.draw(st.integers(start + 1, len(raw)))
    needle = raw[start:end]
    starts = occurrences(raw, needle)
    assert start in starts
    span = anchor(raw, needle, occurrence=starts.index(start) + 1)
    assert (span.start, span.end) == (start, end)
    assert raw[span.start : span.end] == needle
