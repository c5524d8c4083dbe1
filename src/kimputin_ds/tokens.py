"""The ``tokens`` config: one row per paragraph, tokens with BIO tags per annotation layer.

A row is a paragraph, a non-empty line of ``documents.text``: not a sentence,
because a quote's content runs over sentence boundaries (six quotes of the
seeds do, and a sentence row would cut them), and not a document, because an
article runs to more than a thousand tokens, beyond the 512-token window of
the usual encoders. News paragraphs are short (at most 67 tokens in the
seeds), and no annotated span of the seeds crosses a line.

The tokens are :func:`kimputin_ds.tokenize.tokenize`'s, with offsets into
``documents.text``. Each layer of :data:`LAYERS` is a ClassLabel sequence of
BIO tags whose types come from the label sets of :mod:`kimputin_ds.models`.
Decoding a layer (:func:`kimputin_ds.bio.decode_bio`) gives back its
character spans exactly; a span that cannot be encoded (it does not fall on
token boundaries, crosses a paragraph, or overlaps another span of its
layer) is counted by :func:`token_records` and reported by the build.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, create_model

from kimputin_ds.bio import TaggedSpan, bio_names, encode_bio
from kimputin_ds.corpus import Document
from kimputin_ds.errors import Report
from kimputin_ds.models import EntityType, EventType, QuoteKind, labels
from kimputin_ds.tokenize import tokenize

__all__ = [
    "LAYERS",
    "Layer",
    "LayerCounts",
    "layer_spans",
    "paragraphs",
    "token_records",
    "token_row_model",
    "token_rows",
]

Records = Mapping[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class Layer:
    """One BIO layer of the ``tokens`` config.

    Attributes:
        column: The column of the tags.
        types: The span types (the tags are ``O`` and ``B-``/``I-`` of each).
        description: What the layer marks.
        spans: The layer's spans in one document's release rows.
    """

    column: str
    types: tuple[str, ...]
    description: str
    spans: Callable[[Records], Iterator[TaggedSpan]]

    @property
    def names(self) -> list[str]:
        """The ClassLabel names of the layer's tags."""
        return bio_names(self.types)


def _span(value: Mapping[str, Any], label: str) -> TaggedSpan:
    return TaggedSpan(int(value["start"]), int(value["end"]), label)


def _mentions(records: Records) -> Iterator[TaggedSpan]:
    # A plural mention ("keduanya") has no single entity type: it is not tagged.
    for row in records["mentions"]:
        if row["entity_type"] is not None:
            yield _span(row, row["entity_type"])


def _quotes(nested: bool) -> Callable[[Records], Iterator[TaggedSpan]]:
    def spans(records: Records) -> Iterator[TaggedSpan]:
        for row in records["quotes"]:
            if (row["parent_quote_id"] is not None) == nested:
                yield _span(row, row["kind"])

    return spans


def _quote_part(column: str, label: str) -> Callable[[Records], Iterator[TaggedSpan]]:
    def spans(records: Records) -> Iterator[TaggedSpan]:
        for row in records["quotes"]:
            if row[column] is not None:
                yield _span(row[column], label)

    return spans


def _triggers(records: Records) -> Iterator[TaggedSpan]:
    for row in records["events"]:
        yield _span(row["trigger"], row["type"])


#: The layers, by name, in column order.
LAYERS: dict[str, Layer] = {
    "mentions": Layer(
        "mention_tags",
        tuple(labels(EntityType)),
        "Entity mentions (config `mentions`), by entity type; plural mentions are not tagged.",
        _mentions,
    ),
    "quotes": Layer(
        "quote_tags",
        tuple(labels(QuoteKind)),
        "Quote contents (config `quotes`) that are not nested in another quote, by quote kind.",
        _quotes(nested=False),
    ),
    "quotes_inner": Layer(
        "quote_inner_tags",
        tuple(labels(QuoteKind)),
        "Contents of quotes nested in another quote (`parent_quote_id` set), by quote kind.",
        _quotes(nested=True),
    ),
    "cues": Layer(
        "cue_tags", ("cue",), "Speech and cognition cues of quotes.", _quote_part("cue", "cue")
    ),
    "speakers": Layer(
        "speaker_tags",
        ("speaker",),
        "Speaker mentions of quotes (the span naming the speaker).",
        _quote_part("speaker_mention", "speaker"),
    ),
    "triggers": Layer(
        "trigger_tags",
        tuple(labels(EventType)),
        "Event triggers (config `events`), by event type.",
        _triggers,
    ),
}


def _tag_type(names: list[str]) -> Any:
    return Literal[tuple(names)]  # a ClassLabel for kimputin_ds.features


M = TypeVar("M", bound=BaseModel)


def token_row_model(base: type[M]) -> type[M]:
    """The row model of the ``tokens`` config on ``base`` (``kimputin_ds.rows.Row``).

    It is built, not written out, because its tag label sets are computed
    from the models' label sets.
    """
    fields: dict[str, Any] = {
        "id": (str, Field(description="Paragraph id, `<doc_id>-p<line>` as in the `kb` passages.")),
        "doc_id": (str, Field(description="Document id.")),
        "line": (int, Field(description="1-based line number of the paragraph in documents.text.")),
        "start": (int, Field(description="Start offset of the paragraph in documents.text.")),
        "end": (int, Field(description="End offset (exclusive) of the paragraph.")),
        "tokens": (list[str], Field(description="The tokens (kimputin_ds.tokenize).")),
        "token_starts": (
            list[int],
            Field(description="Start offset of each token in documents.text."),
        ),
        "token_ends": (list[int], Field(description="End offset (exclusive) of each token.")),
    }
    for layer in LAYERS.values():
        fields[layer.column] = (
            list[_tag_type(layer.names)],  # type: ignore[misc]
            Field(description=f"BIO tags: {layer.description}"),
        )
    # The fields are computed, so the call cannot match create_model's typed overloads.
    factory: Callable[..., type[M]] = create_model
    return factory(
        "TokenRow",
        __base__=base,
        __doc__="Config ``tokens``: one row per paragraph, tokens with BIO tags per layer.",
        __module__="kimputin_ds.rows",
        **fields,
    )


def paragraphs(text: str) -> Iterator[tuple[int, int, int]]:
    """``(line, start, end)`` of each non-empty line, with ``line`` 1-based.

    >>> list(paragraphs("Satu.\\n\\n Dua"))
    [(1, 0, 5), (3, 7, 11)]
    """
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        start, end = offset, offset + len(line)
        offset = end + 1
        if line.strip():
            yield number, start, end


def layer_spans(records: Records) -> dict[str, list[TaggedSpan]]:
    """The spans of every layer in one document's release rows."""
    return {name: list(layer.spans(records)) for name, layer in LAYERS.items()}


@dataclass
class LayerCounts:
    """Spans of one layer: how many there are, and how many the tags could not hold.

    Attributes:
        spans: Distinct spans in the layer.
        unaligned: Spans not on token boundaries, or crossing a paragraph.
        overlapping: Spans overlapping another span of the layer.
    """

    spans: int = 0
    unaligned: int = 0
    overlapping: int = 0

    @property
    def lost(self) -> int:
        """Spans the tags do not hold."""
        return self.unaligned + self.overlapping


def token_records(
    doc_id: str, text: str, records: Records
) -> tuple[list[dict[str, Any]], dict[str, LayerCounts], list[tuple[str, TaggedSpan, str]]]:
    """The ``tokens`` rows of one document, with per-layer counts and the spans lost.

    Args:
        doc_id: The document id.
        text: The document text.
        records: The document's release rows by config (``mentions``, ``quotes``, ``events``).

    Returns:
        The rows, the counts per layer, and ``(layer, span, reason)`` for every
        span the tags do not hold.
    """
    tokens = tokenize(text)
    spans = {name: sorted(set(s)) for name, s in layer_spans(records).items()}
    counts = {name: LayerCounts(spans=len(s)) for name, s in spans.items()}
    lost: list[tuple[str, TaggedSpan, str]] = []
    placed: Counter[tuple[str, TaggedSpan]] = Counter()
    rows = []
    first = 0
    for line, start, end in paragraphs(text):
        while first < len(tokens) and tokens[first].start < start:
            first += 1
        last = first
        while last < len(tokens) and tokens[last].end <= end:
            last += 1
        para = tokens[first:last]
        row: dict[str, Any] = {
            "id": f"{doc_id}-p{line}",
            "doc_id": doc_id,
            "line": line,
            "start": start,
            "end": end,
            "tokens": [t.text for t in para],
            "token_starts": [t.start for t in para],
            "token_ends": [t.end for t in para],
        }
        for name, layer in LAYERS.items():
            inside = [s for s in spans[name] if start <= s.start and s.end <= end]
            encoding = encode_bio(para, inside)
            row[layer.column] = encoding.tags
            placed.update((name, s) for s in inside)
            for span in encoding.unaligned:
                lost.append((name, span, "not on token boundaries"))
                counts[name].unaligned += 1
            for span in encoding.overlapping:
                lost.append((name, span, "overlaps another span of the layer"))
                counts[name].overlapping += 1
        rows.append(row)
        first = last
    for name, layer_spans_ in spans.items():
        for span in layer_spans_:
            if not placed[(name, span)]:
                lost.append((name, span, "crosses a paragraph boundary"))
                counts[name].unaligned += 1
    return rows, counts, lost


def token_rows(doc: Document, records: Records, report: Report | None) -> list[dict[str, Any]]:
    """The ``tokens`` rows of a document; every span they cannot hold is a warning in ``report``."""
    rows, _, lost = token_records(doc.doc_id, doc.text, records)
    if report is None:
        return rows
    for layer, span, reason in lost:
        report.add(
            doc.annotation_path,
            f"{layer} span {doc.text[span.start : span.end]!r} ({span.start}-{span.end}) "
            f"is left out of the tokens config: {reason}",
            field=LAYERS[layer].column,
            hint="the official tokenizer (kimputin_ds.tokenize) must split at both ends",
            code="token_alignment",
            severity="warning",
        )
    return rows
