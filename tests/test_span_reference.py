"""anchoring.reference: the way a curator writes a span, resolving back to the same place."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kimputin_ds.anchoring import Anchorer, reference

# Few distinct words, so that texts repeat themselves, as news does.
WORDS = st.sampled_from(["Kim", "Putin", "kata", "nya", "ia", "Rusia", "\u00a0", "\u201c", "\n"])
TEXTS = st.lists(WORDS, min_size=1, max_size=40).map(" ".join)


@given(TEXTS, st.data())
def test_the_reference_resolves_to_the_same_span(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    anchorer = Anchorer(text)
    span_text, occurrence, prefix = reference(anchorer, start, end)
    assert span_text == text[start:end]
    assert occurrence is None or prefix is None
    found = anchorer.anchor(span_text, occurrence, prefix)
    assert (found.start, found.end) == (start, end)
    if occurrence is None and prefix is None:
        assert len(anchorer.occurrences(span_text)) == 1
    if prefix is not None:
        assert "\n" not in prefix and len(prefix) <= 30


def test_a_prefix_is_whole_words_and_as_short_as_it_can_be() -> None:
    text = "kata Kim. kata Putin. kata Kim."
    assert reference(Anchorer(text), 27, 30) == ("Kim", None, "Putin. kata ")
    # a clitic inside a word: the prefix is the rest of the word
    text = "dukungannya dan bantuannya"
    assert reference(Anchorer(text), 23, 26) == ("nya", None, "bantuan")
    # nothing on the line before the span: the occurrence index
    text = "Kim\nKim"
    assert reference(Anchorer(text), 0, 3) == ("Kim", 1, None)
