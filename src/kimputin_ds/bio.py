"""BIO tagging of character spans over tokens, and back.

The token-level views of the corpus (the release's ``tokens`` config, the
CoNLL export) encode labelled character spans as one ``B-``/``I-``/``O`` tag
per token of :func:`kimputin_ds.tokenize.tokenize`. Encoding is exact only for
a span that starts and ends on token boundaries and does not overlap another
span of the same layer; :func:`encode_bio` reports every other span instead of
silently moving or dropping it, so a caller can count what was lost.

>>> from kimputin_ds.tokenize import tokenize
>>> tokens = tokenize("Menurutnya, Kim Jong Un datang.")
>>> encoded = encode_bio(tokens, [TaggedSpan(12, 23, "person")])
>>> encoded.tags
['O', 'O', 'O', 'B-person', 'I-person', 'I-person', 'O', 'O']
>>> decode_bio(tokens, encoded.tags)
[TaggedSpan(start=12, end=23, label='person')]
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from kimputin_ds.tokenize import Token

__all__ = ["OUTSIDE", "BioEncoding", "TaggedSpan", "bio_names", "decode_bio", "encode_bio"]

#: The tag of a token outside every span.
OUTSIDE = "O"


class TaggedSpan(NamedTuple):
    """A labelled character span, ``text[start:end]``, in code points."""

    start: int
    end: int
    label: str


@dataclass
class BioEncoding:
    """The tags of one layer over a token sequence, and the spans they could not hold.

    Attributes:
        tags: One tag per token.
        encoded: The spans the tags hold (decoding the tags gives exactly these).
        unaligned: Spans whose start or end is not a token boundary.
        overlapping: Spans that overlap a span already encoded in the layer.
    """

    tags: list[str]
    encoded: list[TaggedSpan] = field(default_factory=list)
    unaligned: list[TaggedSpan] = field(default_factory=list)
    overlapping: list[TaggedSpan] = field(default_factory=list)


def bio_names(types: Iterable[str]) -> list[str]:
    """The ClassLabel names of a BIO layer over ``types``: ``O``, then ``B-t``, ``I-t`` per type.

    >>> bio_names(["cue"])
    ['O', 'B-cue', 'I-cue']
    """
    names = [OUTSIDE]
    for type_ in types:
        names += [f"B-{type_}", f"I-{type_}"]
    return names


def encode_bio(tokens: Sequence[Token], spans: Iterable[TaggedSpan]) -> BioEncoding:
    """Tag ``tokens`` with ``spans``; spans are taken in (start, -end) order.

    Identical spans (same offsets and label) are encoded once. A span is
    encoded only when it begins at a token's start, ends at a token's end and
    covers at least one token, and none of its tokens is tagged yet.
    """
    starts = [t.start for t in tokens]
    ends = [t.end for t in tokens]
    result = BioEncoding([OUTSIDE] * len(tokens))
    for span in sorted(set(spans), key=lambda s: (s.start, -s.end, s.label)):
        first = bisect.bisect_left(starts, span.start)
        last = bisect.bisect_left(ends, span.end)
        if (
            first >= len(tokens)
            or last >= len(tokens)
            or starts[first] != span.start
            or ends[last] != span.end
            or last < first
        ):
            result.unaligned.append(span)
            continue
        if any(tag != OUTSIDE for tag in result.tags[first : last + 1]):
            result.overlapping.append(span)
            continue
        result.tags[first] = f"B-{span.label}"
        for i in range(first + 1, last + 1):
            result.tags[i] = f"I-{span.label}"
        result.encoded.append(span)
    return result


def decode_bio(tokens: Sequence[Token], tags: Sequence[str]) -> list[TaggedSpan]:
    """The character spans that BIO ``tags`` over ``tokens`` mark, in text order.

    Decoding follows conlleval: an ``I-`` tag that does not continue a span
    of its type starts a new one.

    Raises:
        ValueError: When the lengths differ or a tag is not ``O``, ``B-x`` or ``I-x``.
    """
    if len(tokens) != len(tags):
        raise ValueError(f"{len(tokens)} tokens but {len(tags)} tags")
    spans: list[TaggedSpan] = []
    current: list[int] | None = None  # [start, end] of the open span
    label = ""
    for token, tag in zip(tokens, tags, strict=True):
        if tag == OUTSIDE:
            current = None
            continue
        prefix, sep, type_ = tag.partition("-")
        if not sep or prefix not in ("B", "I") or not type_:
            raise ValueError(f"not a BIO tag: {tag!r}")
        if prefix == "I" and current is not None and type_ == label:
            current[1] = token.end
            spans[-1] = TaggedSpan(current[0], token.end, label)
            continue
        current, label = [token.start, token.end], type_
        spans.append(TaggedSpan(token.start, token.end, label))
    return spans
