"""What every page of one rendering shares: entities, colours, cross-document links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kimputin_ds.models import Entity
from kimputin_ds.render.layers import LAYERS, Layer, Row, item_anchor
from kimputin_ds.render.source import Article

#: The Okabe–Ito palette (Okabe & Ito 2008), told apart by readers with any
#: common colour-vision deficiency; black last, since it reads as plain text.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)


@dataclass(frozen=True)
class CrossRef:
    """One article's mention of a cross-document event."""

    doc_id: str
    anchor: str
    label: str


@dataclass
class RenderContext:
    """Corpus-wide facts the pages need.

    Attributes:
        entities: The entity registry by id.
        labels: For each layer, its label names in colour order.
        cross_doc: Cross-document event id -> the articles that mention it.
        titles: Document id -> headline (or id), for links between pages.
    """

    entities: Mapping[str, Entity]
    labels: dict[str, list[str]] = field(default_factory=dict)
    cross_doc: dict[str, list[CrossRef]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)

    def colour_class(self, layer: Layer, row: Row) -> str:
        """``c-N``: the colour slot of the row's label within its layer (``c-none``: no label)."""
        names = self.labels.setdefault(layer.name, [])
        label = layer.label_of(row)
        if not label:
            return "c-none"
        if label not in names:
            names.append(label)
        return f"c-{names.index(label) % len(OKABE_ITO)}"


def build_context(entities: Mapping[str, Entity], articles: Iterable[Article]) -> RenderContext:
    """Collect label sets, cross-document events and titles over every article."""
    ctx = RenderContext(entities, {layer.name: layer.label_names() for layer in LAYERS})
    events = next(layer for layer in LAYERS if layer.name == "events")
    cross: dict[str, list[CrossRef]] = defaultdict(list)
    for article in articles:
        ctx.titles[article.doc_id] = headline(article)
        for row in events.rows(article.records):
            cdid = row.get("cross_doc_id")
            if cdid:
                cross[str(cdid)].append(
                    CrossRef(article.doc_id, item_anchor(events, row), _event_label(row))
                )
        for layer in LAYERS:
            for row in layer.rows(article.records):
                ctx.colour_class(layer, row)
    ctx.cross_doc = dict(sorted(cross.items()))
    return ctx


def headline(article: Article, limit: int = 110) -> str:
    r"""The article's headline: its title span, else its headline zone, else its first line.

    >>> headline(Article("d", "\n  Kim tiba\nisi", {"documents": [{"zones": []}]}))
    'Kim tiba'
    """
    doc = article.document
    title = doc.get("title")
    if isinstance(title, Mapping):
        text = str(title["text"])
    else:
        zones = [z for z in doc.get("zones") or [] if z.get("kind") == "headline"]
        first = next((line for line in article.text.splitlines() if line.strip()), article.doc_id)
        text = str(zones[0]["text"]) if zones else first
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _event_label(row: Row) -> str:
    trigger: Any = row.get("trigger")
    text = trigger.get("text") if isinstance(trigger, Mapping) else ""
    return f"{row.get('event_id')} · {row.get('type')} · “{text}”"
