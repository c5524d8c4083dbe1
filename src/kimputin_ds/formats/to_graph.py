"""An annotation file -> the tool view (:class:`~kimputin_ds.formats.graph.Graph`).

Native where the tools have a form (a mention is a span typed by its
entity's type and linked to the registry; a quote links its cue and speaker
mention; an event's arguments and a stance's evidence are event roles);
every other field rides in the node's ``extra``, as the YAML file has it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from kimputin_ds.anchoring import Span
from kimputin_ds.corpus import Document
from kimputin_ds.errors import KimputinError
from kimputin_ds.formats.graph import (
    ARGUMENT,
    ATTRIBUTES,
    CUE_RELATION,
    ENTITY_TYPES,
    EVIDENCE,
    EVIDENCE_ROLE,
    NON_SPEECH,
    QUOTE,
    QUOTE_CUE,
    QUOTE_ROLE,
    SOURCE_NOTE,
    SPEAKER_MENTION,
    SPEAKER_RELATION,
    STANCE,
    TARGET_ROLE,
    TIME,
    TIME_ROLE,
    ZONE,
    Graph,
    Node,
    Relation,
    check_names,
    document_fields,
    generic_layers,
    primary_span_field,
)
from kimputin_ds.models import SpanRef


def _rest(model: BaseModel, used: set[str]) -> dict[str, Any]:
    """The fields of ``model`` not mapped natively, as the YAML file would hold them."""
    return model.model_dump(mode="json", exclude_defaults=True, exclude=used)


def _attributes(model: BaseModel) -> tuple[dict[str, str | bool], set[str]]:
    found: dict[str, str | bool] = {}
    used: set[str] = set()
    for spec in ATTRIBUTES:
        if isinstance(model, spec.model) and spec.field in type(model).model_fields:
            value = getattr(model, spec.field)
            used.add(spec.field)
            if spec.binary:
                if value:
                    found[spec.name] = True
            else:
                found[spec.name] = str(value)
    return found, used


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.graph = Graph(doc.doc_id, doc.text)
        self._by_span: dict[tuple[int, int], list[int]] = {}

    def span(self, *path: str | int) -> Span:
        found = self.doc.span(*path)
        if found is None:  # an unresolved span: validation reports it
            raise KimputinError(
                f"{self.doc.annotation_path}: {'.'.join(map(str, path))}: span does not resolve; "
                "run kimputin-validate"
            )
        return found

    def add(self, node: Node) -> int:
        self.graph.nodes.append(node)
        index = len(self.graph.nodes) - 1
        if not node.event:
            self._by_span.setdefault((node.start, node.end), []).append(index)
        return index

    def shared(self, type_: str, span: Span, entities: list[str] | None = None) -> int:
        """A node of this type, span and links, made once and shared by what points at it."""
        wanted = entities or []
        for i in self._by_span.get((span.start, span.end), []):
            node = self.graph.nodes[i]
            if node.type == type_ and node.entities == wanted and not node.attributes:
                return i
        return self.add(Node(type_, span.start, span.end, entities=list(wanted)))

    def mention(self, span: Span, entities: list[str]) -> int | None:
        """An existing mention node at this span linked to exactly these entities."""
        for i in self._by_span.get((span.start, span.end), []):
            node = self.graph.nodes[i]
            if node.type in ENTITY_TYPES and node.entities == entities:
                return i
        return None


def to_graph(doc: Document, entity_types: Mapping[str, str]) -> Graph:
    """Map one document onto the tool view.

    Args:
        doc: A loaded document whose spans all resolve (a valid corpus).
        entity_types: Registry id -> entity type, to type the mentions.

    Returns:
        The :class:`Graph`.

    Raises:
        KimputinError: If a span does not resolve or an entity is not in the registry.
    """
    check_names()
    b = _Builder(doc)
    a = doc.annotation
    g = b.graph

    for i, zone in enumerate(a.zones):
        attrs, used = _attributes(zone)
        sp = b.span("zones", i, "span")
        b.add(Node(ZONE, sp.start, sp.end, attributes=attrs, extra=_rest(zone, used | {"span"})))

    for entity_id, refs in a.mentions.items():
        if entity_id not in entity_types:
            raise KimputinError(
                f"{doc.annotation_path}: mentions.{entity_id}: not in the entity registry"
            )
        for j, ref in enumerate(refs):
            sp = b.span("mentions", entity_id, j)
            attrs, extra = {"MentionKind": "name"}, {}
            if isinstance(ref, SpanRef):
                attrs, used = _attributes(ref)
                extra = _rest(ref, used | {"text", "occurrence", "prefix"})
            b.add(
                Node(
                    entity_types[entity_id],
                    sp.start,
                    sp.end,
                    attributes=attrs,
                    entities=[entity_id],
                    extra=extra,
                )
            )

    quote_nodes: dict[str, int] = {}
    for i, quote in enumerate(a.quotes):
        attrs, used = _attributes(quote)
        sp = b.span("quotes", i, "content")
        quote_node = b.add(
            Node(
                QUOTE,
                sp.start,
                sp.end,
                attributes=attrs,
                entities=[quote.speaker] if quote.speaker else [],
                extra=_rest(quote, used | {"content", "cue", "speaker_mention", "speaker"}),
            )
        )
        quote_nodes[quote.id] = quote_node
        if quote.cue is not None:
            cue = b.shared(QUOTE_CUE, b.span("quotes", i, "cue"))
            g.relations.append(Relation(CUE_RELATION, quote_node, cue))
        if quote.speaker_mention is not None:
            sp = b.span("quotes", i, "speaker_mention")
            target = b.mention(sp, [quote.speaker] if quote.speaker else [])
            if target is None:
                target = b.shared(SPEAKER_MENTION, sp)
            g.relations.append(Relation(SPEAKER_RELATION, quote_node, target))

    for i, nsq in enumerate(a.non_speech_quotations):
        attrs, used = _attributes(nsq)
        sp = b.span("non_speech_quotations", i, "span")
        b.add(
            Node(NON_SPEECH, sp.start, sp.end, attributes=attrs, extra=_rest(nsq, used | {"span"}))
        )

    event_nodes: dict[str, int] = {}
    for i, event in enumerate(a.events):
        attrs, used = _attributes(event)
        sp = b.span("events", i, "trigger")
        extra = _rest(event, used | {"type", "trigger", "arguments", "time"})
        node = Node(event.type, sp.start, sp.end, event=True, attributes=attrs, extra=extra)
        argument_extras = []
        for j, arg in enumerate(event.arguments):
            asp = b.span("events", i, "arguments", j, "span")
            wanted = [arg.entity] if arg.entity else []
            target = b.mention(asp, wanted) if wanted else None
            if target is None:
                target = b.shared(ARGUMENT, asp, wanted)
            node.args.append((arg.role, target))
            argument_extras.append(_rest(arg, {"role", "span", "entity"}))
        if any(argument_extras):
            extra["arguments"] = argument_extras
        if event.time is not None:
            time_rest = _rest(event.time, {"span"})
            if time_rest or event.time.span is None:
                extra["time"] = time_rest
            if event.time.span is not None:
                node.args.append((TIME_ROLE, b.shared(TIME, b.span("events", i, "time", "span"))))
        event_nodes[event.id] = b.add(node)

    for i, stance in enumerate(a.stances):
        attrs, used = _attributes(stance)
        evidence = [b.span("stances", i, "evidence", k) for k in range(len(stance.evidence))]
        quotes = [quote_nodes[q] for q in stance.quotes if q in quote_nodes]
        if len(quotes) != len(stance.quotes):
            raise KimputinError(f"{doc.annotation_path}: stances.{i}.quotes: unknown quote id")
        target_event = stance.target.event
        if target_event is not None and target_event not in event_nodes:
            raise KimputinError(f"{doc.annotation_path}: stances.{i}.target: unknown event id")
        trigger = (
            (evidence[0].start, evidence[0].end)
            if evidence
            else (g.nodes[quotes[0]].start, g.nodes[quotes[0]].end)
        )
        skip = {"evidence", "quotes", "holder"} | ({"target"} if target_event else set())
        node = Node(
            STANCE,
            *trigger,
            event=True,
            attributes=attrs,
            entities=[stance.holder],
            extra=_rest(stance, used | skip),
        )
        node.args.extend((EVIDENCE_ROLE, b.shared(EVIDENCE, sp)) for sp in evidence)
        node.args.extend((QUOTE_ROLE, q) for q in quotes)
        if target_event is not None:
            node.args.append((TARGET_ROLE, event_nodes[target_event]))
        b.add(node)

    unanchored: dict[str, list[Any]] = {}
    for i, note in enumerate(a.source_notes):
        attrs, used = _attributes(note)
        if note.span is None:
            unanchored.setdefault("source_notes", []).append([i, _rest(note, set())])
            continue
        sp = b.span("source_notes", i, "span")
        b.add(
            Node(
                SOURCE_NOTE, sp.start, sp.end, attributes=attrs, extra=_rest(note, used | {"span"})
            )
        )

    for name, type_ in generic_layers().items():
        for i, item in enumerate(getattr(a, name)):
            path: tuple[str | int, ...] = (name, i)
            skip = {"text", "occurrence", "prefix"}
            if not isinstance(item, SpanRef):
                first = primary_span_field(type(item))
                if first is None or doc.span(name, i, first) is None:
                    unanchored.setdefault(name, []).append([i, _rest(item, set())])
                    continue
                path, skip = (name, i, first), {first}
            sp = b.span(*path)
            entities = list(getattr(item, "entities", None) or [])
            extra = _rest(item, skip | ({"entities"} if entities else set()))
            b.add(Node(type_, sp.start, sp.end, entities=entities, extra=extra))

    document = document_fields(a)
    if unanchored:
        document["unanchored"] = unanchored
    g.document = document
    return g
