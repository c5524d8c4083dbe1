"""BIO encoding of character spans over tokens, and decoding back."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kimputin_ds.bio import TaggedSpan, bio_names, decode_bio, encode_bio
from kimputin_ds.tokenize import tokenize

TEXT = "Menurutnya, Kim Jong Un akan datang ke Rusia."
TOKENS = tokenize(TEXT)


def test_names_are_outside_then_begin_inside_per_type() -> None:
    assert bio_names(["person", "country"]) == [
        "O", "B-person", "I-person", "B-country", "I-country",
    ]  # fmt: skip


def test_encode_and_decode_give_back_the_spans() -> None:
    spans = [TaggedSpan(12, 23, "person"), TaggedSpan(39, 44, "country"), TaggedSpan(7, 10, "p")]
    encoded = encode_bio(TOKENS, spans)
    assert encoded.tags == [
        "O", "B-p", "O", "B-person", "I-person", "I-person", "O", "O", "O", "B-country", "O",
    ]  # fmt: skip
    assert decode_bio(TOKENS, encoded.tags) == sorted(spans)
    assert not encoded.unaligned
    assert not encoded.overlapping


def test_spans_off_token_boundaries_are_reported_not_moved() -> None:
    inside_word = TaggedSpan(13, 23, "person")  # "im Jong Un"
    clitic_cut = TaggedSpan(0, 9, "x")  # "Menurutny"
    beyond = TaggedSpan(40, 60, "x")
    encoded = encode_bio(TOKENS, [inside_word, clitic_cut, beyond])
    assert set(encoded.unaligned) == {inside_word, clitic_cut, beyond}
    assert encoded.tags == ["O"] * len(TOKENS)


def test_an_overlapping_span_is_reported_and_the_first_kept() -> None:
    outer = TaggedSpan(12, 23, "person")
    inner = TaggedSpan(16, 23, "person")
    encoded = encode_bio(TOKENS, [inner, outer])
    assert encoded.encoded == [outer]
    assert encoded.overlapping == [inner]


def test_identical_spans_are_encoded_once() -> None:
    span = TaggedSpan(12, 15, "person")
    encoded = encode_bio(TOKENS, [span, span])
    assert encoded.encoded == [span]
    assert not encoded.overlapping


def test_decoding_follows_conlleval_for_ill_formed_tags() -> None:
    tags = ["I-a", "I-a", "I-b", "O", "B-a", "I-a", "O", "O", "O", "O", "I-a"]
    assert decode_bio(TOKENS, tags) == [
        TaggedSpan(0, 10, "a"),
        TaggedSpan(10, 11, "b"),
        TaggedSpan(16, 23, "a"),
        TaggedSpan(44, 45, "a"),
    ]


@pytest.mark.parametrize("tag", ["X-a", "B-", "B", "person"])
def test_decoding_rejects_what_is_not_a_bio_tag(tag: str) -> None:
    with pytest.raises(ValueError, match="not a BIO tag"):
        decode_bio(TOKENS[:1], [tag])


def test_decoding_rejects_a_length_mismatch() -> None:
    with pytest.raises(ValueError, match="tags"):
        decode_bio(TOKENS, ["O"])


@given(st.data())
def test_any_non_overlapping_aligned_spans_round_trip(data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.sets(st.integers(0, len(TOKENS)), max_size=len(TOKENS))))
    spans = []
    for a, b in itertools.pairwise(cuts):
        if data.draw(st.booleans()):
            label = data.draw(st.sampled_from(["a", "b"]))
            spans.append(TaggedSpan(TOKENS[a].start, TOKENS[b - 1].end, label))
    encoded = encode_bio(TOKENS, spans)
    assert encoded.encoded == spans
    assert decode_bio(TOKENS, encoded.tags) == spans
