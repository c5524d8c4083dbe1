"""Span anchoring: from the exact text a curator wrote to code-point offsets.

Curators never count characters. A span is written as its exact text; when
that text occurs more than once in the raw article, the curator adds either a
1-based ``occurrence`` index or a ``prefix`` (the characters immediately
before the span). Offsets are Python ``str`` indexes, i.e. Unicode code
points, into the raw text exactly as stored: no normalisation of whitespace,
non-breaking spaces or curly quotes ever happens.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True, slots=True)
class Span:
    """A resolved span: ``text == raw[start:end]``, offsets in code points.

    >>> raw = "Kim bertemu Putin."
    >>> anchor(raw, "Putin")
    Span(start=12, end=17, text='Putin')
    """

    start: int
    end: int
    text: str


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


def _occurrences(raw: str, needle: str, cache: dict[str, list[int]] | None) -> list[int]:
    if cache is None:
        return occurrences(raw, needle)
    found = cache.get(needle)
    if found is None:
        found = cache[needle] = occurrences(raw, needle)
    return found


def line_of(raw: str, offset: int) -> int:
    """1-based line number of ``offset`` in ``raw``."""
    return raw.count("\n", 0, offset) + 1


def anchor(
    raw: str,
    text: str,
    occurrence: int | None = None,
    prefix: str | None = None,
    *,
    cache: dict[str, list[int]] | None = None,
) -> Span:
    """Resolve a span written as text to its offsets in ``raw``.

    Args:
        raw: The raw article text, exactly as stored.
        text: The exact text of the span.
        occurrence: 1-based index among the matches, required when there are several.
        prefix: Text that immediately precedes the span; narrows the matches.
        cache: Occurrences already found in this same ``raw``, by searched
            string; filled as spans are resolved. A document's spans repeat
            the same names, so one cache per text saves most of the searching.

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
    if not text:
        raise AnchorError("empty span text")
    needle = prefix + text if prefix else text
    found = _occurrences(raw, needle, cache) if cache is None or not prefix else cache.get(needle)
    if found is None:
        assert cache is not None and prefix
        # The starts of prefix + text are those of text (often cached, as
        # several spans share a name) preceded by prefix: filter a short list
        # rather than scan the whole text again.
        of_text = _occurrences(raw, text, cache)
        shift = len(prefix)
        if len(of_text) <= _FILTER_LIMIT:
            found = [s - shift for s in of_text if s >= shift and raw.startswith(prefix, s - shift)]
        else:
            found = occurrences(raw, needle)
        cache[needle] = found
    shift = len(prefix) if prefix else 0  # found holds starts of prefix + text
    what = f"{text!r} after prefix {prefix!r}" if prefix else repr(text)
    if not found:
        raise AnchorError(f"span {_short(what)} not found in the text", _not_found_hint(raw, text))
    if occurrence is None:
        if len(found) > 1:
            lines = ", ".join(str(line_of(raw, s + shift)) for s in found[:8])
            raise AnchorError(
                f"span {_short(what)} is ambiguous: it occurs {len(found)} times (lines {lines})",
                f"add occurrence: 1..{len(found)} or a prefix",
            )
        start = found[0] + shift
    else:
        if not 1 <= occurrence <= len(found):
            raise AnchorError(
                f"span {_short(what)} has no occurrence {occurrence}: "
                f"it occurs {len(found)} time(s)",
                f"use occurrence 1..{len(found)}",
            )
        start = found[occurrence - 1] + shift
    return Span(start, start + len(text), text)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "...'"


def _not_found_hint(raw: str, text: str) -> str:
    """Explain the usual reasons a copied span does not match the raw text."""
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
    if text.strip() != text:
        return "remove leading or trailing whitespace"
    return "copy the span exactly from the raw text (case, spelling and punctuation matter)"
