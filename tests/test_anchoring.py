"""Span anchoring: exact text to code-point offsets, never normalised."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kimputin_ds import anchoring
from kimputin_ds.anchoring import Anchorer, AnchorError, anchor, occurrences, reference

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


def _reference(raw: str, text: str, occurrence: int | None, prefix: str | None) -> tuple[int, int]:
    """Brute force: every position where prefix + text starts, without any cache."""
    needle = (prefix or "") + text
    starts = [i for i in range(len(raw)) if raw.startswith(needle, i)]
    if occurrence is None:
        if len(starts) != 1:
            raise AnchorError("not exactly one")
        start = starts[0]
    else:
        if not 1 <= occurrence <= len(starts):  # occurrence is 1-based: 0 is an error
            raise AnchorError("no such occurrence")
        start = starts[occurrence - 1]
    start += len(prefix or "")
    return start, start + len(text)


# A small alphabet makes repeated, overlapping and prefixed matches common.
_small = st.text(alphabet="ab \u201c", min_size=1, max_size=6)


@given(
    st.text(alphabet="ab \u201c", max_size=60),
    st.lists(st.tuples(_small, st.none() | st.integers(0, 5), st.none() | _small), max_size=30),
)
# A prefix that would have to start before the text (a negative index wraps around).
@example("ab b", [("ab", None, "b")])
# Overlapping matches each count.
@example("aaaa", [("aa", 2, None), ("aa", 3, None)])
# occurrence 0 is not the last match.
@example("ab ab", [("ab", 0, None)])
# More starts than _FILTER_LIMIT: a prefixed span is searched for directly, not filtered.
@example("ab " * 20, [("b", 17, "a"), ("b", None, " a"), ("b", 21, "a")])
def test_a_shared_anchorer_resolves_like_brute_force(
    raw: str, queries: list[tuple[str, int | None, str | None]]
) -> None:
    # One Anchorer for all queries: its shared searches (and the filtering of
    # a text's starts for prefixed spans) must not change any answer.
    anchorer = Anchorer(raw)
    for text, occurrence, prefix in queries:
        try:
            expected: tuple[int, int] | None = _reference(raw, text, occurrence, prefix)
        except AnchorError:
            expected = None
        try:
            span = anchorer.anchor(text, occurrence, prefix)
        except AnchorError:
            assert expected is None
        else:
            assert (span.start, span.end) == expected
            assert raw[span.start : span.end] == span.text == text


def test_a_prefix_never_wraps_around_the_start_of_the_text() -> None:
    # "Kim" at offset 0 has nothing before it; the text *ends* with the prefix.
    raw = "Kim tiba, kata Kim. Lalu kata "
    assert anchor(raw, "Kim", prefix="kata ") == (15, 18, "Kim")
    with pytest.raises(AnchorError, match="not found"):
        anchor("Kim tiba, kata ", "Kim", prefix="kata ")


def test_overlapping_matches_each_count_as_an_occurrence() -> None:
    assert occurrences("aaaa", "aa") == [0, 1, 2]
    assert anchor("aaaa", "aa", occurrence=2) == (1, 3, "aa")
    assert anchor("aaaa", "aa", occurrence=3) == (2, 4, "aa")


def test_occurrence_zero_is_an_error_not_the_last_match() -> None:
    with pytest.raises(AnchorError, match="no occurrence 0"):
        anchor("Kim dan Kim", "Kim", occurrence=0)
    with pytest.raises(AnchorError, match="no occurrence 0"):
        Anchorer("Kim dan Kim").anchor("Kim", 0, "dan ")


def test_reference_prefix_stays_on_the_line_of_the_span() -> None:
    # "Kim\n" would make the second Kim unique, but a prefix never crosses a line.
    assert reference(Anchorer("kata Kim\nKim"), 9, 12) == ("Kim", 2, None)


def test_reference_prefix_may_reach_the_start_of_its_line() -> None:
    raw = "ya dan Kim. oh dan Kim"
    assert reference(Anchorer(raw), 7, 10) == ("Kim", None, "ya dan ")
    assert reference(Anchorer("x\n" + raw), 9, 12) == ("Kim", None, "ya dan ")


def test_an_ambiguous_span_names_the_lines_of_its_first_eight_occurrences() -> None:
    raw = "".join(f"kata {n}\n" for n in range(1, 11))  # "kata" once on each of 10 lines
    with pytest.raises(AnchorError) as info:
        Anchorer(raw).anchor("kata")
    assert info.value.message == (
        "span 'kata' is ambiguous: it occurs 10 times (lines 1, 2, 3, 4, 5, 6, 7, 8)"
    )
    assert info.value.hint == "add occurrence: 1..10 or a prefix"


def test_an_ambiguous_prefixed_span_names_the_lines_of_the_span_not_of_its_prefix() -> None:
    with pytest.raises(AnchorError) as info:
        Anchorer("x\nkata\nkata\n").anchor("kata", prefix="\n")
    assert info.value.message.endswith("is ambiguous: it occurs 2 times (lines 2, 3)")


def test_a_long_span_is_shortened_in_messages_with_its_quote_closed() -> None:
    text = "Kim " * 30  # not in the text
    with pytest.raises(AnchorError) as info:
        Anchorer("Putin\n").anchor(text)
    # the first 57 characters of its repr, then "...'"
    assert info.value.message == f"span {repr(text)[:57]}...' not found in the text"
    exactly = "x" * 58  # a repr of 60 characters: kept whole
    with pytest.raises(AnchorError) as info:
        Anchorer("Putin\n").anchor(exactly)
    assert info.value.message == f"span {exactly!r} not found in the text"


def test_the_near_miss_search_spends_exactly_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = "Kim bertemu Putin.\n"
    monkeypatch.setattr(anchoring, "HINT_BUDGET", 2 * len(raw))  # two whole-text searches
    anchorer = Anchorer(raw)
    errors = []
    for text in ("Kim bertemu Putn", "Kim bertmu Putin", "Kim bertemu Pu7in"):
        with pytest.raises(AnchorError) as info:
            anchorer.anchor(text)
        errors.append(info.value)
    assert [e.message for e in errors] == [
        f"span {t!r} not found in the text"
        for t in ("Kim bertemu Putn", "Kim bertmu Putin", "Kim bertemu Pu7in")
    ]
    assert all("nearest text" in e.hint for e in errors[:2])
    assert errors[2].hint == anchoring._UNSEARCHED_HINT


def test_an_ambiguous_span_that_starts_with_a_newline_is_on_the_line_the_newline_ends() -> None:
    with pytest.raises(AnchorError) as info:
        Anchorer("a\nb\na\nb\n").anchor("\nb")
    assert info.value.message.endswith("is ambiguous: it occurs 2 times (lines 1, 3)")


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (3, 3), (4, 2), (0, len("kata Kim") + 1)])
def test_reference_refuses_offsets_that_are_not_a_span(start: int, end: int) -> None:
    with pytest.raises(ValueError, match=rf"offsets {start}\.\.{end} are not a span of a 8-char"):
        reference(Anchorer("kata Kim"), start, end)


@pytest.mark.parametrize(
    "special", ["\u00a0", "\u2009", "\u201c", "\u201d", "\u2018", "\u2019", "\u2013", "\u2014"]
)
def test_each_lookalike_typed_plainly_is_named_in_the_hint(special: str) -> None:
    plain = {"\u00a0": " ", "\u2009": " ", "\u2013": "-", "\u2014": "-"}.get(special)
    plain = plain or ('"' if special in "\u201c\u201d" else "'")
    raw = f"Kim{special}Putin bertemu.\n"
    with pytest.raises(AnchorError) as info:
        Anchorer(raw).anchor(f"Kim{plain}Putin")
    assert f"U+{ord(special):04X}" in info.value.hint
