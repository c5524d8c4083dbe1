"""For a span that is not in the text: the nearest text that is, and how the two differ.

Only used to explain an error, never to match: a span resolves to the exact
text or not at all (see :mod:`kimputin_ds.anchoring`).
"""

from __future__ import annotations

from difflib import SequenceMatcher

#: Below this similarity (difflib's ratio) the nearest text is not worth showing.
MIN_RATIO = 0.6
#: Spans longer than this are compared on their first and last parts only.
_MAX_COMPARED = 400


def nearest_match(raw: str, text: str) -> tuple[int, int] | None:
    """``(start, end)`` of the stretch of ``raw`` most like ``text``, or None when none is close.

    The longest stretch the two share fixes where ``text`` would lie; an
    alignment of the two around it fixes the start and the end.

    >>> raw = "Kim Jong-un tiba di Rusia."
    >>> start, end = nearest_match(raw, "Kim Jong Un tiba")
    >>> raw[start:end]
    'Kim Jong-un tiba'
    """
    if not text or not raw or len(text) > _MAX_COMPARED:
        return None
    matcher = SequenceMatcher(None, raw, text, autojunk=False)
    block = matcher.find_longest_match(0, len(raw), 0, len(text))
    if block.size == 0:
        return None
    # Align the span with the stretch around the longest part the two share:
    # the first and last matching blocks give where it begins and ends.
    slack = max(2, len(text) // 5)
    lo = max(0, block.a - block.b - slack)
    hi = min(len(raw), block.a - block.b + len(text) + slack)
    blocks = [
        b
        for b in SequenceMatcher(None, raw[lo:hi], text, autojunk=False).get_matching_blocks()
        if b.size
    ]
    first, last = blocks[0], blocks[-1]
    # The span's unmatched ends are either changed characters (the text has
    # others there) or extra ones (it has none): keep whichever is closer.
    begins = {lo + first.a, max(lo, lo + first.a - first.b)}
    ends = {
        lo + last.a + last.size,
        min(hi, lo + last.a + last.size + len(text) - last.b - last.size),
    }

    def ratio(bounds: tuple[int, int]) -> float:
        return SequenceMatcher(None, raw[bounds[0] : bounds[1]], text, autojunk=False).ratio()

    best = max(((b, e) for b in sorted(begins) for e in sorted(ends) if b < e), key=ratio)
    return best if ratio(best) >= MIN_RATIO else None


def char_diff(written: str, found: str) -> str:
    """The written span with each difference from the text marked ``[written→text]``.

    Characters that are easy to confuse are shown escaped (``\\xa0``, ``\\t``).

    >>> char_diff("Kim Jong Un", "Kim Jong-un")
    'Kim Jong[ U→-u]n'
    >>> char_diff("Rusia siap", "Rusia\\xa0siap")
    'Rusia[ →\\\\xa0]siap'
    """
    parts: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, written, found, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(written[i1:i2])
        else:
            parts.append(f"[{_visible(written[i1:i2])}→{_visible(found[j1:j2])}]")
    return "".join(parts)


def _visible(text: str) -> str:
    """``text`` with invisible and look-alike characters escaped."""
    return "".join(
        c if c.isprintable() and c not in "\u00a0\u2009\u200b" else _escape(c) for c in text
    )


def _escape(char: str) -> str:
    return (
        repr(char)[1:-1]
        if char.isascii()
        else f"\\x{ord(char):02x}"
        if ord(char) < 256
        else f"\\u{ord(char):04x}"
    )
