"""Text to HTML: escaping that keeps every character, and properly nested highlight spans.

Annotations overlap freely (a mention inside a quote inside a quote; a stance's
evidence that starts inside one quote and ends inside the next). HTML elements
must nest, so :func:`marked_html` opens the longer of two spans outside the
shorter, and where two spans cross, closes the inner one at the outer one's
end and reopens it as a continuation fragment. Every fragment of one mark
carries the mark's ``data-item``; only the first carries its ``id``, so that
joining the fragments of a mark, in document order, gives back its text.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# C0 controls other than tab and newline, and CR (which HTML parsing would turn
# into LF), are written as character references so the DOM text equals the raw text.
# One str.translate pass does all the escaping (pages escape text by the hundred thousand).
_CONTROLS = {c: f"&#{c};" for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F]}
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **_CONTROLS})
_ATTR = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", **_CONTROLS}
)


def text_html(text: str) -> str:
    r"""Escape raw text for an HTML text node, keeping every character.

    >>> text_html('a < b & "c"\u00a0d\r\n')
    'a &lt; b &amp; "c"\xa0d&#13;\n'
    """
    return text.translate(_TEXT)


def attr(value: object) -> str:
    """Escape a value for a double-quoted attribute.

    >>> attr('say "hi" & <go>')
    'say &quot;hi&quot; &amp; &lt;go&gt;'
    """
    return str(value).translate(_ATTR)


def attrs(values: Mapping[str, object | None]) -> str:
    """Render attributes (``None`` and ``False`` are left out, ``True`` is a bare name).

    >>> attrs({"class": "a b", "hidden": True, "id": None})
    ' class="a b" hidden'
    """
    out = []
    for name, value in values.items():
        if value is None or value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{attr(value)}"')
    return "".join(out)


@dataclass(frozen=True)
class Mark:
    """One highlight on the text.

    Attributes:
        start: Start offset (code points).
        end: End offset (exclusive).
        item: Key shared by every fragment of this mark (``data-item``).
        classes: CSS classes of every fragment.
        anchor: ``id`` of the first fragment (a link target), if any.
        first: Attributes only the first fragment gets (``tabindex``, ``title``).
        rank: Tie-break between marks of the same extent: lower is outer.
    """

    start: int
    end: int
    item: str
    classes: str
    anchor: str | None = None
    first: Mapping[str, object | None] = field(default_factory=dict)
    rank: int = 0


def _open(mark: Mark, continuation: bool) -> str:
    values: dict[str, object | None] = {"class": mark.classes, "data-item": mark.item}
    if continuation:
        values["data-cont"] = True
    else:
        values["id"] = mark.anchor
        values.update(mark.first)
    return f"<span{attrs(values)}>"


def marked_html(text: str, marks: Iterable[Mark]) -> str:
    """The text as HTML with every mark as (possibly split) nested ``<span>`` elements.

    Marks outside the text or empty are ignored by construction of the offsets
    (callers pass anchored spans). The text itself is kept character for character.

    >>> marked_html("ab cd", [Mark(0, 5, "q", "q"), Mark(3, 5, "m", "m")])
    '<span class="q" data-item="q">ab <span class="m" data-item="m">cd</span></span>'
    >>> html = marked_html("abcd", [Mark(0, 3, "x", "x"), Mark(1, 4, "y", "y")])
    >>> html.replace('class="x" data-item="x"', "X").replace('class="y" data-item="y"', "Y")
    '<span X>a<span Y>bc</span></span><span Y data-cont>d</span>'
    """
    starting: dict[int, list[Mark]] = defaultdict(list)
    positions = {0, len(text)}
    for mark in marks:
        if 0 <= mark.start < mark.end <= len(text):
            starting[mark.start].append(mark)
            positions.update((mark.start, mark.end))
    for group in starting.values():
        group.sort(key=lambda m: (-m.end, m.rank))
    out: list[str] = []
    stack: list[Mark] = []
    pos = 0
    for at in sorted(positions):
        if at > pos:
            out.append(text_html(text[pos:at]))
            pos = at
        if any(m.end == at for m in stack):
            reopen: list[Mark] = []
            while any(m.end == at for m in stack):
                top = stack.pop()
                out.append("</span>")
                if top.end != at:
                    reopen.append(top)
            for mark in reversed(reopen):
                out.append(_open(mark, continuation=True))
                stack.append(mark)
        for mark in starting.get(at, ()):
            out.append(_open(mark, continuation=False))
            stack.append(mark)
    out.extend("</span>" for _ in stack)
    return "".join(out)
