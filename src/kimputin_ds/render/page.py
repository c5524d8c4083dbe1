"""One article's page: the raw text with every layer drawn on it, and the panels beside it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from kimputin_ds.render.assets import page_shell
from kimputin_ds.render.cards import Item, card_html
from kimputin_ds.render.context import OKABE_ITO, RenderContext
from kimputin_ds.render.layers import LAYERS, secondary_spans
from kimputin_ds.render.markup import Mark, attr, marked_html, text_html
from kimputin_ds.render.source import Article

#: Diff statuses, with the sign shown before an item in the list of changes.
STATUS_SIGNS = {"added": "+", "removed": "−", "changed": "~"}


def review_items(article: Article) -> list[Item]:
    """Every annotation of an article, layer by layer, as drawn on a review page."""
    return [Item(layer, row) for layer in LAYERS for row in layer.rows(article.records)]


def _summary(item: Item, ctx: RenderContext) -> str:
    """A one-line description, shown as the native tooltip when scripts are off."""
    parts = [f"{item.layer.noun.capitalize()} {item.item_id}", item.layer.label_of(item.row)]
    for key, value in item.row.items():
        entity = ctx.entities.get(value) if isinstance(value, str) else None
        if entity is not None and key != item.layer.label:
            parts.append(f"{entity.name} ({entity.type}, {entity.wikidata or 'no QID'})")
            break
    if item.status:
        parts.append(item.status)
    return " · ".join(p for p in parts if p)


def _depths(items: Sequence[Item]) -> dict[tuple[str, int], int]:
    """How many spans of the same layer enclose each primary span (nesting depth)."""
    depths: dict[tuple[str, int], int] = {}
    spans = sorted(
        (
            (s["start"], -s["end"], item.key, i)
            for item in items
            for i, s in enumerate(item.layer.primary_spans(item.row))
        ),
    )
    stack: list[int] = []
    for start, neg_end, key, i in spans:
        while stack and stack[-1] <= start:
            stack.pop()
        depths[(key, i)] = len(stack)
        stack.append(-neg_end)
    return depths


def marks_of(items: Sequence[Item], ctx: RenderContext) -> list[Mark]:
    """The highlights of every item: its primary spans, then its other spans."""
    marks: list[Mark] = []
    rank = {layer.name: n for n, layer in enumerate(LAYERS)}
    by_layer: dict[str, list[Item]] = {}
    for item in items:
        by_layer.setdefault(item.layer.name, []).append(item)
    depths: dict[tuple[str, int], int] = {}
    for group in by_layer.values():
        depths.update(_depths(group))
    for item in items:
        layer = item.layer
        colour = ctx.colour_class(layer, item.row)
        status = f" diff-{item.status}" if item.status else ""
        muted = " muted" if layer.label_of(item.row) in layer.muted else ""
        base = f"l-{layer.name} {colour}{status}{muted}"
        for i, span in enumerate(layer.primary_spans(item.row)):
            first: dict[str, object | None] = {
                "title": _summary(item, ctx),
                "data-card": item.key,
                "data-layer": layer.name,
            }
            if layer.toggle:
                first["tabindex"] = "0"
            if layer.group:
                first["data-group"] = layer.group_of(item.row) or None
            if layer.name == "notes":
                first["data-note"] = item.item_id
            depth = min(depths.get((item.key, i), 0), 4)
            marks.append(
                Mark(
                    span["start"],
                    span["end"],
                    item.key,
                    f"hl p {base} d-{depth}",
                    item.primary_anchor(i),
                    first,
                    rank[layer.name],
                )
            )
        for path, role, span in secondary_spans(item.row, layer):
            marks.append(
                Mark(
                    span["start"],
                    span["end"],
                    item.key,
                    f"hl s {base} r-{role}",
                    item.anchor(*path),
                    {"data-role": role},
                    len(LAYERS) + rank[layer.name],
                )
            )
    return marks


def _toggles(items: Sequence[Item], ctx: RenderContext) -> str:
    counts: dict[str, int] = {}
    for item in items:
        counts[item.layer.name] = counts.get(item.layer.name, 0) + 1
    boxes = []
    for layer in LAYERS:
        if not layer.toggle:
            continue
        legend = "".join(
            f'<span class="chip l-{layer.name} c-{n % len(OKABE_ITO)}">{text_html(label)}</span>'
            for n, label in enumerate(ctx.labels.get(layer.name, []))
            if label
        )
        boxes.append(
            f'<div class="toggle"><label><input type="checkbox" id="t-{layer.name}" '
            f'data-layer="{layer.name}" checked> {text_html(layer.title)} '
            f'<span class="count">{counts.get(layer.name, 0)}</span></label>'
            f'<span class="legend">{legend}</span></div>'
        )
    return (
        '<fieldset class="toggles"><legend>Layers (colour = label; hover or focus an '
        f"annotation for its details)</legend>{''.join(boxes)}</fieldset>"
    )


def _side(items: Sequence[Item], ctx: RenderContext, diff: bool) -> tuple[str, set[str]]:
    """Stances (or, on a diff page, the changes) beside the text, and the items shown there."""
    if diff:
        changed = [i for i in items if i.status in STATUS_SIGNS and i.layer.primary_spans(i.row)]
        entries = "".join(
            f'<li class="change diff-{i.status}"><span class="sign" aria-label="{i.status}">'
            f"{STATUS_SIGNS[i.status]}</span> "
            f'<a href="#{i.primary_anchor(0)}">{text_html(i.layer.noun.capitalize())} '
            f"{text_html(i.item_id)}</a> {card_html(i, ctx, heading='h4')}</li>"
            for i in changed
        )
        body = f'<ol class="changes-list">{entries}</ol>' if entries else "<p>No change.</p>"
        html = (
            '<section id="changes" aria-labelledby="changes-h">'
            f'<h2 id="changes-h">Changes ({len(changed)})</h2>{body}</section>'
        )
        return html, {i.key for i in changed}
    stances = [i for i in items if i.layer.name == "stances"]
    cards = "".join(f"<li>{card_html(i, ctx, heading='h3')}</li>" for i in stances)
    html = (
        '<section id="stances" class="l-stances" aria-labelledby="stances-h">'
        f'<h2 id="stances-h">Stances ({len(stances)})</h2>'
        f'<ol class="stance-list">{cards}</ol></section>'
    )
    return html, {i.key for i in stances}


def _notes(items: Iterable[Item], ctx: RenderContext, placed: set[str]) -> str:
    """Source notes in the margin ("" when the article has none)."""
    notes = [
        i
        for i in items
        if i.layer.name == "notes" and i.key not in placed and i.layer.primary_spans(i.row)
    ]
    if not notes:
        return ""
    placed.update(i.key for i in notes)
    # In text order: the margin stacks them top to bottom beside their spans.
    notes.sort(key=lambda i: i.layer.primary_spans(i.row)[0]["start"])
    entries = "".join(
        f'<li class="note" data-for="{attr(i.primary_anchor(0))}">'
        f"{card_html(i, ctx, heading='h4')}</li>"
        for i in notes
    )
    return (
        '<aside class="margin" aria-labelledby="notes-h">'
        '<h2 id="notes-h" class="sr-only">Source notes</h2>'
        f'<ol class="notes">{entries}</ol></aside>'
    )


def _header(
    article: Article, ctx: RenderContext, nav: tuple[str | None, str | None], kind: str
) -> str:
    doc = article.document
    prev, nxt = nav
    links = ['<a href="index.html">Index</a>']
    if prev:
        links.append(f'<a href="{attr(prev)}.html" rel="prev">← {text_html(prev)}</a>')
    if nxt:
        links.append(f'<a href="{attr(nxt)}.html" rel="next">{text_html(nxt)} →</a>')
    facts = [
        ("outlet", doc.get("outlet")),
        ("published", doc.get("published_date")),
        ("split", article.split),
        ("document", article.doc_id),
    ]
    dl = "".join(f"<div><dt>{k}</dt><dd>{text_html(str(v))}</dd></div>" for k, v in facts if v)
    title = ctx.titles.get(article.doc_id, article.doc_id)
    return (
        f'<header><nav>{" · ".join(links)}</nav><p class="kind">{kind}</p>'
        f'<h1 lang="id">{text_html(title)}</h1><dl class="facts">{dl}</dl></header>'
    )


def article_page(
    article: Article,
    ctx: RenderContext,
    items: Sequence[Item] | None = None,
    *,
    nav: tuple[str | None, str | None] = (None, None),
    diff: str | None = None,
) -> str:
    """The HTML page of one article.

    Args:
        article: The article (its text is drawn byte for byte).
        ctx: What all pages share.
        items: The annotations to draw (default: all of the article's).
        nav: The previous and next article ids.
        diff: On a diff page, a description of the reference compared with.
    """
    if items is None:
        items = review_items(article)
    marks = marks_of(items, ctx)
    body_text = marked_html(article.text, marks)
    side, placed = _side(items, ctx, diff is not None)
    notes = _notes(items, ctx, placed)
    cards = "".join(card_html(i, ctx) for i in items if i.key not in placed)
    kind = f"Changes against {text_html(diff)}" if diff else "Annotations"
    body = (
        f"{_header(article, ctx, nav, kind)}{_toggles(items, ctx)}"
        f'<main class="layout{"" if notes else " no-notes"}">'
        f'<div class="text-col"><pre id="text" class="text" lang="id">{body_text}</pre></div>'
        f'{notes}<div class="side">{side}'
        '<section id="inspector" aria-live="polite" tabindex="-1"><h2>Selected</h2>'
        '<p class="muted">Hover or focus an annotation (Tab); press Enter to move here.</p>'
        "</section></div></main>"
        '<section id="annotations" aria-labelledby="all-h">'
        f'<h2 id="all-h">All annotations</h2>{cards}</section>'
        '<div id="tip" role="tooltip" hidden></div>'
    )
    title = f"{article.doc_id} — {ctx.titles.get(article.doc_id, '')}"
    return page_shell(title, body)
