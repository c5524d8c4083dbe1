"""Bar charts as inline SVG, drawn here: no plotting library, no script, no network."""

from __future__ import annotations

from collections.abc import Sequence

from kimputin_ds.render.markup import attr, text_html

_BAR_HEIGHT = 16
_GAP = 5
_LABEL_WIDTH = 150
_BAR_WIDTH = 190
_COUNT_WIDTH = 44


def bar_chart(title: str, bars: Sequence[tuple[str, int]], colours: Sequence[str]) -> str:
    """A horizontal bar chart of labelled counts, with a text equivalent for screen readers.

    Args:
        title: The chart's caption.
        bars: ``(label, count)`` pairs, drawn top to bottom.
        colours: Bar colours, cycled over the bars.

    >>> svg = bar_chart("kind", [("direct", 3), ("indirect", 1)], ["#0072B2"])
    >>> svg.count("<rect"), 'width="190.0"' in svg
    (2, True)
    """
    top = max((n for _, n in bars), default=0)
    height = max(len(bars), 1) * (_BAR_HEIGHT + _GAP)
    width = _LABEL_WIDTH + _BAR_WIDTH + _COUNT_WIDTH
    rows = []
    for i, (label, count) in enumerate(bars):
        y = i * (_BAR_HEIGHT + _GAP)
        w = round(_BAR_WIDTH * count / top, 1) if top else 0.0
        colour = colours[i % len(colours)] if colours else "#0072B2"
        rows.append(
            f'<text x="{_LABEL_WIDTH - 6}" y="{y + 12}" text-anchor="end">'
            f"{text_html(_clip(label))}</text>"
            f'<rect x="{_LABEL_WIDTH}" y="{y}" width="{w}" height="{_BAR_HEIGHT}" '
            f'fill="{attr(colour)}"><title>{text_html(label)}: {count}</title></rect>'
            f'<text x="{_LABEL_WIDTH + w + 4}" y="{y + 12}">{count}</text>'
        )
    summary = ", ".join(f"{label} {count}" for label, count in bars) or "no values"
    return (
        f'<figure class="chart"><figcaption>{text_html(title)}</figcaption>'
        f'<svg class="bars" role="img" aria-label="{attr(title + ": " + summary)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(rows)}</svg></figure>'
    )


def _clip(label: str, limit: int = 24) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
