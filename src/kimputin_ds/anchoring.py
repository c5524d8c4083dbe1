"""Span anchoring: from the exact text a curator wrote to code-point offsets.

Curators never count characters. A span is written as its exact text; when
that text occurs more than once in the raw article, the curator adds either a
1-based ``occurrence`` index or a ``prefix`` (the characters immediately
before the span). Offsets are Python ``str`` indexes, i.e. Unicode code
points, into the raw text exactly as stored: no normalisation of whitespace,
non-breaking spaces or curly quotes ever happens.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from kimputin_ds.spandiff import char_diff, nearest_match

# Characters a curator may type differently from the raw text; used only to
# build hints, never to match.
_LOOKALIKES = str.maketrans(
    {
        "\u00a0": " ",
        "\u2009": " ",
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2013": "-",
        "\u2014": "-",
    }
)


class Span(NamedTuple):
    """A resolved span: ``text == raw[start:end]``, offsets in code points.

    A named tuple: immutable, and cheap to create by the hundred per document.

    >>> raw = "Kim bertemu Putin."
    >>> anchor(raw, "Putin")
    Span(start=12, end=17, text='Putin')
    """

    start: int
    end: int
    text: str


#: ``Span(start, end, text)`` without the named tuple's Python-level ``__new__``
#: (a document resolves a few hundred spans).
_new_span = tuple.__new__


class AnchorError(ValueError):
    """A span that is not found, ambiguous, or whose occurrence does not exist."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def occurrences(raw: str, needle: str) -> list[int]:
    """Every start index of ``needle`` in ``raw``, overlapping ones included.

    >>> occurrences("aaa", "aa")
    [0, 1]
    """
    found: list[int] = []
    i = raw.find(needle)
    while i != -1:
        found.append(i)
        i = raw.find(needle, i + 1)
    return found


#: Above this many occurrences of a span's text, a prefixed span is searched for directly.
_FILTER_LIMIT = 16


#: Characters of one text the search for near misses of spans not found may
#: scan, in all (each search scans the whole text once). Far above what the
#: spans of an article need (a 5 kB article gets a thousand searches), while
#: a 10 MB text with thousands of spans not found gets none.
HINT_BUDGET = 5_000_000
_UNSEARCHED_HINT = (
    "copy the span exactly from the raw text (case, spelling and punctuation matter); "
    "no similar text was searched for: too many spans of this text are not found"
)
_NEWLINE = re.compile("\n")


def line_of(raw: str, offset: int) -> int:
    """1-based line number of ``offset`` in ``raw``."""
    return raw.count("\n", 0, offset) + 1


class Anchorer:
    """Resolves the spans of one raw text, sharing the searching between them.

    A document's spans repeat the same names, so each distinct string is
    searched for once; a prefixed span filters the starts of its text
    (usually already found) instead of scanning the text again. The common
    case, a span that resolves, takes one dictionary lookup.

    Args:
        raw: The raw article text, exactly as stored.

    >>> anchorer = Anchorer("ia kata ia")
    >>> anchorer.anchor("ia", occurrence=2)
    Span(start=8, end=10, text='ia')
    >>> anchorer.anchor("kata")
    Span(start=3, end=7, text='kata')
    """

    __slots__ = ("_found", "_hint_budget", "_lines", "raw")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._lines: list[int] | None = None  # starts of lines, built on the first error
        # Characters of this text the near-miss search may still scan (see _error).
        self._hint_budget = HINT_BUDGET
        # starts of every string searched for so far; for a prefixed span,
        # keyed by prefix + text, whose starts those are
        self._found: dict[str, list[int]] = {}

    def occurrences(self, needle: str) -> list[int]:
        """:func:`occurrences` of ``needle`` in this text, searched once."""
        found = self._found.get(needle)
        if found is None:
            found = self._found[needle] = occurrences(self.raw, needle)
        return found

    def _prefixed(self, text: str, prefix: str) -> list[int]:
        """Starts of ``prefix + text``."""
        needle = prefix + text
        found = self._found.get(needle)
        if found is None:
            of_text = self.occurrences(text)
            shift = len(prefix)
            if len(of_text) <= _FILTER_LIMIT:
                raw = self.raw
                found = [
                    s - shift for s in of_text if s >= shift and raw.startswith(prefix, s - shift)
                ]
            else:
                found = occurrences(self.raw, needle)
            self._found[needle] = found
        return found

    def anchor(self, text: str, occurrence: int | None = None, prefix: str | None = None) -> Span:
        """Resolve one span of this text; see :func:`anchor`."""
        if not text:
            raise AnchorError("empty span text")
        if prefix:
            found = self._prefixed(text, prefix)
            shift = len(prefix)
        else:
            found = self._found.get(text) or self.occurrences(text)
            shift = 0
        n = len(found)
        if occurrence is None:
            if n == 1:
                start = found[0] + shift
                return _new_span(Span, (start, start + len(text), text))
        elif 0 < occurrence <= n:
            start = found[occurrence - 1] + shift
            return _new_span(Span, (start, start + len(text), text))
        raise self._error(text, occurrence, prefix, found)

    def line(self, offset: int) -> int:
        """1-based line number of ``offset``, from an index of the text's lines."""
        if self._lines is None:
            self._lines = [0, *(m.end() for m in _NEWLINE.finditer(self.raw))]
        return bisect_right(self._lines, offset)

    def _error(
        self, text: str, occurrence: int | None, prefix: str | None, found: list[int]
    ) -> AnchorError:
        """Why a span did not resolve to exactly one place, with a hint for the curator."""
        raw = self.raw
        shift = len(prefix) if prefix else 0
        what = _short(f"{text!r} after prefix {prefix!r}" if prefix else repr(text))
        if not found:
            # The near-miss search scans the whole text: bounded per text, so
            # that thousands of missing spans in a long text stay fast.
            if self._hint_budget < len(raw):
                return AnchorError(f"span {what} not found in the text", _UNSEARCHED_HINT)
            self._hint_budget -= len(raw)
            return AnchorError(f"span {what} not found in the text", _not_found_hint(raw, text))
        if occurrence is None:
            lines = ", ".join(str(self.line(s + shift)) for s in found[:8])
            return AnchorError(
                f"span {what} is ambiguous: it occurs {len(found)} times (lines {lines})",
                f"add occurrence: 1..{len(found)} or a prefix",
            )
        return AnchorError(
            f"span {what} has no occurrence {occurrence}: it occurs {len(found)} time(s)",
            f"use occurrence 1..{len(found)}",
        )


def anchor(
    raw: str,
    text: str,
    occurrence: int | None = None,
    prefix: str | None = None,
) -> Span:
    """Resolve a span written as text to its offsets in ``raw``.

    To resolve many spans of one text, use an :class:`Anchorer`, which
    shares the searching between them.

    Args:
        raw: The raw article text, exactly as stored.
        text: The exact text of the span.
        occurrence: 1-based index among the matches, required when there are several.
        prefix: Text that immediately precedes the span; narrows the matches.

    Returns:
        The resolved :class:`Span`.

    Raises:
        AnchorError: When the span is empty, not found, ambiguous, or the
            occurrence is out of range. The error carries a hint for the curator.

    >>> anchor("ia kata ia", "ia", occurrence=2)
    Span(start=8, end=10, text='ia')
    >>> anchor("kata Kim. kata Putin. kata Kim.", "kata", prefix="Putin. ")
    Span(start=22, end=26, text='kata')
    """
    return Anchorer(raw).anchor(text, occurrence, prefix)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "...'"


def _not_found_hint(raw: str, text: str) -> str:
    """Explain why a copied span does not match the raw text: the usual reason, if it is
    one, and the nearest text with the differences marked ``[span→text]``."""
    reason = _usual_reason(raw, text)
    found = nearest_match(raw, text)
    if found is None:
        return reason or (
            "no similar text found: copy the span exactly from the raw text "
            "(case, spelling and punctuation matter)"
        )
    start, end = found
    col = start - (raw.rfind("\n", 0, start) + 1) + 1
    nearest = (
        f"the nearest text is {_short(repr(raw[start:end]))} at line {line_of(raw, start)}, "
        f"column {col}; differences [span→text]: {_short(char_diff(text, raw[start:end]), 120)}"
    )
    return f"{reason}; {nearest}" if reason else nearest


def _usual_reason(raw: str, text: str) -> str:
    """The usual reasons a copied span does not match: look-alikes, whitespace."""
    folded_text = text.translate(_LOOKALIKES)
    folded_raw = raw.translate(_LOOKALIKES)
    i = folded_raw.find(folded_text)
    if i != -1:
        diffs = sorted(
            {f"U+{ord(c):04X}" for c, d in zip(raw[i : i + len(text)], text, strict=True) if c != d}
        )
        return (
            f"the raw text at line {line_of(raw, i)} differs only in look-alike characters "
            f"({', '.join(diffs)}); copy the span from the raw file"
        )
    collapsed = " ".join(text.split())
    if collapsed != text and collapsed in raw:
        return "the raw text has different whitespace; copy the span from the raw file"
    if text.strip() != text and text.strip() in raw:
        return "remove leading or trailing whitespace"
    return ""


#: The longest prefix a curator would type before falling back to an occurrence index.
_PREFIX_LIMIT = 30


def reference(anchorer: Anchorer, start: int, end: int) -> tuple[str, int | None, str | None]:
    """The inverse of :meth:`Anchorer.anchor`: how a careful curator writes a span.

    Returns ``(text, occurrence, prefix)``, at most one of the last two set:
    nothing when the text is unique; else the shortest prefix of whole words
    on the same line that makes it unique (the way the seed files read, e.g.
    ``prefix: "kata "``); else the occurrence index.

    Raises:
        ValueError: If the offsets are not a non-empty span of the text.

    >>> anchorer = Anchorer("kata Kim. kata Putin. kata Kim.")
    >>> reference(anchorer, 27, 30)
    ('Kim', None, 'Putin. kata ')
    >>> reference(anchorer, 15, 20)
    ('Putin', None, None)
    """
    raw = anchorer.raw
    if not 0 <= start < end <= len(raw):
        raise ValueError(f"offsets {start}..{end} are not a span of a {len(raw)}-character text")
    text = raw[start:end]
    found = anchorer.occurrences(text)
    if len(found) == 1:
        return text, None, None
    line_start = raw.rfind("\n", 0, start) + 1
    i = start
    while i > line_start and start - i < _PREFIX_LIMIT:
        # one more word: the whitespace before the span (or word), then the word
        while i > line_start and raw[i - 1].isspace():
            i -= 1
        while i > line_start and not raw[i - 1].isspace():
            i -= 1
        prefix = raw[i:start]
        if len(prefix) > _PREFIX_LIMIT:
            break
        if len(anchorer._prefixed(text, prefix)) == 1:
            return text, None, prefix
    return text, found.index(start) + 1, None
