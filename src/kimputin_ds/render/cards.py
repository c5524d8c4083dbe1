"""The details card of one annotation: every column of its row, with links.

Cards are generic: each column of the row is shown under its own name. Spans
link to their highlight, registry ids show the entity's name, type and QID,
quote and event ids link to the item, and a cross-document event id links
to the same event in the other articles.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from kimputin_ds.render.context import RenderContext
from kimputin_ds.render.layers import LAYER_BY_NAME, SPAN_KEYS, Layer, Row, is_span, slug
from kimputin_ds.render.markup import attr, text_html

#: Columns that reference another item of the same document, by column-name ending.
_REFERENCES: tuple[tuple[str, str], ...] = (
    ("quote_ids", "quotes"),
    ("quote_id", "quotes"),
    ("event_id", "events"),
)
#: Columns never shown in a card (the document id is the page's).
_HIDDEN = frozenset({"doc_id", "index"})


@dataclass(frozen=True)
class Item:
    """One annotation as drawn: its layer, its row and, on diff pages, its change.

    Attributes:
        layer: The layer it belongs to.
        row: Its release row.
        status: ``""`` on review pages; ``added``, ``removed``, ``changed`` or
            ``same`` on diff pages.
        before: The row in the reference version, for a changed item.
    """

    layer: Layer
    row: Row
    status: str = ""
    before: Row | None = None

    @cached_property
    def item_id(self) -> str:
        """The id within the document."""
        return self.layer.item_id(self.row)

    @property
    def suffix(self) -> tuple[str, ...]:
        # A removed item may share its id with a new one: its anchors differ.
        return ("old",) if self.status == "removed" else ()

    def anchor(self, *path: str | int) -> str:
        """The element id of the item's span at ``path`` (``()``: its first primary span)."""
        if not path:
            return self.key
        return slug(self.layer.prefix, self.item_id, *path, *self.suffix)

    def primary_anchor(self, index: int) -> str:
        """The element id of the item's ``index``-th primary span."""
        if self.layer.span and isinstance(self.row.get(self.layer.span), list):
            return self.anchor(self.layer.span, index)
        return self.anchor()

    @cached_property
    def key(self) -> str:
        """``data-item`` of every element of this item."""
        return slug(self.layer.prefix, self.item_id, *self.suffix)


def card_html(item: Item, ctx: RenderContext, *, heading: str = "h3") -> str:
    """The card of one item, as an HTML fragment with id ``card-<key>``."""
    layer, row = item.layer, item.row
    primary = layer.primary_spans(row)
    quoted = " … ".join(f"“{text_html(s['text'])}”" for s in primary[:1])
    shown_status = item.status if item.status in {"added", "removed", "changed"} else ""
    status = f' <span class="status">{shown_status}</span>' if shown_status else ""
    title = (
        f"<{heading}>{text_html(layer.noun.capitalize())} {text_html(item.item_id)}"
        f' <span class="label">{text_html(layer.label_of(row))}</span>{status}</{heading}>'
    )
    skip = {layer.id_column, layer.span} if layer.span else {layer.id_column, *SPAN_KEYS}
    shown = [
        (key, value)
        for key, value in row.items()
        if key not in skip and key not in _HIDDEN and _shown(value) and not _named(key, row, ctx)
    ]
    # Labels and plain values first, then spans, lists and cross-document links.
    shown.sort(key=lambda kv: isinstance(kv[1], dict | list) or kv[0] == "cross_doc_id")
    rows = [
        f"<dt>{text_html(key)}</dt><dd>{_value(item, key, value, (key,), ctx)}</dd>"
        for key, value in shown
    ]
    spans = row.get(layer.span) if layer.span else None
    if isinstance(spans, list) and spans:
        rows.insert(0, _spans_row(item, layer.span, spans))
    changes = _changes(item, ctx) if item.status == "changed" else ""
    head = f'<p class="span-text">{quoted}</p>' if quoted else ""
    return (
        f'<div class="card l-{layer.name}" id="card-{item.key}" data-card="{item.key}">'
        f"{title}{head}<dl>{''.join(rows)}</dl>{changes}</div>"
    )


def _named(key: str, row: Row, ctx: RenderContext) -> bool:
    """True for a ``<x>_name`` column beside an ``<x>_id`` that the card shows with its name."""
    if not key.endswith("_name"):
        return False
    return str(row.get(key[: -len("_name")] + "_id")) in ctx.entities


def _shown(value: Any) -> bool:
    return value is not None and value is not False and value not in ([], "")


def _spans_row(item: Item, key: str, spans: list[Row]) -> str:
    links = "".join(
        f'<li><a class="span-link" href="#{item.anchor(key, i)}">“{text_html(s["text"])}”</a></li>'
        for i, s in enumerate(spans)
    )
    return f'<dt>{text_html(key)}</dt><dd><ol class="spans">{links}</ol></dd>'


def _value(
    item: Item, key: str, value: Any, path: tuple[str | int, ...], ctx: RenderContext
) -> str:
    if is_span(value):
        rest = "".join(
            f' <span class="sub">{text_html(k)}: {_value(item, k, v, (*path, k), ctx)}</span>'
            for k, v in value.items()
            if k not in SPAN_KEYS and _shown(v)
        )
        return (
            f'<a class="span-link" href="#{item.anchor(*path)}">“{text_html(value["text"])}”</a>'
            f'<span class="offsets"> [{value["start"]}–{value["end"]})</span>{rest}'
        )
    if isinstance(value, dict):
        parts = [
            f"{text_html(k)}: {_value(item, k, v, (*path, k), ctx)}"
            for k, v in value.items()
            if _shown(v)
        ]
        return "; ".join(parts)
    if isinstance(value, list):
        inner = "".join(
            f"<li>{_value(item, key, v, (*path, i), ctx)}</li>" for i, v in enumerate(value)
        )
        return f'<ul class="values">{inner}</ul>'
    text = str(value)
    if key == "cross_doc_id":
        return _cross_doc(item, text, ctx)
    entity = ctx.entities.get(text) if isinstance(value, str) else None
    if entity is not None and key != item.layer.label:
        qid = (
            f' · <a href="https://www.wikidata.org/wiki/{attr(entity.wikidata)}" rel="noreferrer">'
            f"{text_html(entity.wikidata)}</a>"
            if entity.wikidata
            else " · no QID"
        )
        return (
            f'<span class="entity">{text_html(entity.name)}</span> '
            f'<span class="muted">({text_html(text)} · {text_html(entity.type)}{qid})</span>'
        )
    if text in ctx.titles and isinstance(value, str) and key != item.layer.label:
        return f'<a href="{attr(text)}.html">{text_html(text)}</a>'
    for ending, layer_name in _REFERENCES:
        if key.endswith(ending) and key != item.layer.id_column:
            target = LAYER_BY_NAME[layer_name]
            return f'<a href="#{slug(target.prefix, text)}">{text_html(text)}</a>'
    return text_html(text)


def _cross_doc(item: Item, cdid: str, ctx: RenderContext) -> str:
    """The cross-document id, and the same event in every article, one line per article."""
    here = (_doc_of(item), item.anchor())
    by_doc: dict[str, list[str]] = {}
    for ref in ctx.cross_doc.get(cdid, []):
        if (ref.doc_id, ref.anchor) != here:
            by_doc.setdefault(ref.doc_id, []).append(
                f'<a href="{attr(ref.doc_id)}.html#{attr(ref.anchor)}" title="{attr(ref.label)}">'
                f"{text_html(ref.label.split(' · ')[0])}</a>"
            )
    lines = "".join(
        f"<li>{text_html(doc_id)}: {', '.join(links)}</li>" for doc_id, links in by_doc.items()
    )
    index = f'<a href="index.html#x-{attr(slug(cdid))}">{text_html(cdid)}</a>'
    return f'{index}<ul class="values">{lines}</ul>' if lines else index


def _doc_of(item: Item) -> str:
    return str(item.row.get("doc_id", ""))


def _changes(item: Item, ctx: RenderContext) -> str:
    before = item.before or {}
    lines = []
    for key in sorted(set(before) | set(item.row)):
        old, new = before.get(key), item.row.get(key)
        if old != new and key not in _HIDDEN:
            lines.append(
                f'<tr><th>{text_html(key)}</th><td class="old">{text_html(_short(old))}</td>'
                f'<td class="new">{text_html(_short(new))}</td></tr>'
            )
    return (
        '<table class="changes"><caption>Changed fields</caption>'
        "<tr><th>field</th><th>before</th><th>after</th></tr>"
        f"{''.join(lines)}</table>"
    )


def _short(value: Any) -> str:
    if is_span(value):
        return f"“{value['text']}” [{value['start']}–{value['end']})"
    if isinstance(value, list):
        return "; ".join(_short(v) for v in value) or "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_short(v)}" for k, v in value.items() if _shown(v))
    return "—" if value is None else str(value)
