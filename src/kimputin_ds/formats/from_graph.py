"""The tool view -> a draft annotation file (spans still as offsets).

Every node, relation, attribute and link read from a tool must find its
place in the models; whatever cannot be mapped is reported with the tool's
own id (``T12``, ``E3``, a Label Studio region id) and never dropped. Ids
that the tool does not carry (a quote a curator drew in BRAT) are given in
order: ``q1``, ``e1``, ``s1``, skipping those already used.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from kimputin_ds.errors import Report
from kimputin_ds.formats.graph import (
    ARGUMENT_ROLES,
    ATTRIBUTES,
    CUE_RELATION,
    ENTITY_TYPES,
    EVENT_TYPES,
    EVIDENCE_ROLE,
    NON_SPEECH,
    QUOTE,
    QUOTE_ROLE,
    REGISTRY_DB,
    RELATIONS,
    SOURCE_NOTE,
    SPAN_KEY,
    SPEAKER_RELATION,
    STANCE,
    TARGET_ROLE,
    TIME_ROLE,
    ZONE,
    Graph,
    Imported,
    Node,
    Offsets,
    attribute_targets,
    base_role,
    check_names,
    event_types,
    generic_item_model,
    generic_layers,
    primary_span_field,
    span_types,
)
from kimputin_ds.models import (
    Event,
    MentionRef,
    NonSpeechQuotation,
    Quote,
    SourceNote,
    SpanRef,
    Stance,
    Zone,
)
from kimputin_ds.yamlio import Path_

#: The simple layers: one span field, attributes, the rest in ``extra``.
_SIMPLE: dict[str, tuple[str, type[BaseModel]]] = {
    ZONE: ("zones", Zone),
    NON_SPEECH: ("non_speech_quotations", NonSpeechQuotation),
    SOURCE_NOTE: ("source_notes", SourceNote),
}


def from_graph(
    graph: Graph, entity_types: Mapping[str, str], report: Report, where: str
) -> Imported:
    """Map a tool's graph back to a draft annotation file (spans as offsets).

    Args:
        graph: The graph read from a tool.
        entity_types: Registry id -> entity type.
        report: Where problems go, each naming the tool's id.
        where: The input's name, for messages.

    Returns:
        The draft and the origin (tool id) of each of its parts.
    """
    check_names()
    return _Reader(graph, entity_types, report, where).read()


def _next_id(prefix: str, used: set[str]) -> str:
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    used.add(f"{prefix}{n}")
    return f"{prefix}{n}"


class _Reader:
    def __init__(
        self, graph: Graph, entity_types: Mapping[str, str], report: Report, where: str
    ) -> None:
        self.graph = graph
        self.nodes = graph.nodes
        self.entity_types = entity_types
        self.report = report
        self.where = where
        self.used: set[int] = set()
        self.origins: dict[Path_, str] = {}
        self.data: dict[str, Any] = {
            "zones": [],
            "mentions": {},
            "quotes": [],
            "non_speech_quotations": [],
            "events": [],
            "stances": [],
            "source_notes": [],
        }
        self.quote_ids: dict[int, str] = {}
        self.event_ids: dict[int, str] = {}
        self.stance_ids: set[str] = set()

    # -- helpers ----------------------------------------------------------

    def err(self, message: str) -> None:
        self.report.add(self.where, message, code="unmapped")

    def span(self, i: int) -> Offsets:
        self.used.add(i)
        return Offsets(self.nodes[i].start, self.nodes[i].end)

    def one_entity(self, i: int, what: str) -> str | None:
        entities = self.nodes[i].entities
        if len(entities) > 1:
            self.err(f"{self.nodes[i].ref}: {what} links to {len(entities)} entities; give one")
        return entities[0] if entities else None

    def append(self, layer: str, item: Any, ref: str) -> None:
        items = self.data.setdefault(layer, [])
        self.origins[(layer, len(items))] = ref
        items.append(item)

    def attributes(self, node: Node, out: dict[str, Any], model: type[BaseModel]) -> None:
        for name, value in node.attributes.items():
            spec = next(
                (s for s in ATTRIBUTES if s.name == name and node.type in attribute_targets(s)),
                None,
            )
            if spec is None:
                self.err(f"{node.ref}: attribute {name!r} does not apply to a {node.type}")
            elif spec.binary:
                out[spec.field] = bool(value)
            elif value not in spec.values:
                self.err(f"{node.ref}: {name} {value!r} is not one of {', '.join(spec.values)}")
            else:
                out[spec.field] = value
        for spec in ATTRIBUTES:
            if spec.binary and spec.model is model and node.type in attribute_targets(spec):
                out.setdefault(spec.field, False)

    # -- the walk -----------------------------------------------------------

    def read(self) -> Imported:
        self.check_types()
        self.assign_ids()
        parts = self.quote_parts()
        layers = {type_: name for name, type_ in generic_layers().items()}
        for i, node in enumerate(self.nodes):
            if i in self.used:
                continue  # an unknown type, reported
            if node.event:
                self.used.add(i)
                if node.type == STANCE:
                    self.stance(i, node)
                else:
                    self.event(i, node)
            elif node.type in ENTITY_TYPES:
                self.mention(i, node)
            elif node.type == QUOTE:
                self.quote(i, node, parts.get(i, {}))
            elif node.type in _SIMPLE:
                layer, model = _SIMPLE[node.type]
                item = {**node.extra, "span": self.span(i)}
                self.attributes(node, item, model)
                self.append(layer, item, node.ref)
            elif node.type in layers:
                self.generic(i, node, layers[node.type])
        for i, node in enumerate(self.nodes):
            if i not in self.used:
                self.err(f"{node.ref}: a {node.type} that no quote, event or stance points to")
        document = dict(self.graph.document)
        unanchored = document.pop("unanchored", None) or {}
        data = {**document, **self.data}
        for layer, located in unanchored.items():
            target = data.setdefault(layer, [])
            for index, item in sorted(located, key=lambda pair: int(pair[0])):
                target.insert(index, item)
        return Imported(data, self.origins)

    def check_types(self) -> None:
        spans, events = set(span_types()), set(event_types())
        for i, node in enumerate(self.nodes):
            if node.event and node.type not in events:
                self.err(f"{node.ref}: unknown event type {node.type!r}")
                self.used.add(i)
            elif not node.event and node.type not in spans:
                hint = " (an event type: give it as an event)" if node.type in events else ""
                self.err(f"{node.ref}: unknown annotation type {node.type!r}{hint}")
                self.used.add(i)
            for entity in node.entities:
                if entity not in self.entity_types:
                    self.err(f"{node.ref}: {entity!r} is not in the entity registry")

    def assign_ids(self) -> None:
        quotes, events = set(), set()
        for node in self.nodes:
            own = node.extra.get("id")
            if isinstance(own, str):
                if node.type == QUOTE and not node.event:
                    quotes.add(own)
                elif node.type == STANCE:
                    self.stance_ids.add(own)
                elif node.event:
                    events.add(own)
        for i, node in enumerate(self.nodes):
            own = node.extra.get("id")
            if node.type == QUOTE and not node.event:
                self.quote_ids[i] = own if isinstance(own, str) else _next_id("q", quotes)
            elif node.event and node.type in EVENT_TYPES:
                self.event_ids[i] = own if isinstance(own, str) else _next_id("e", events)

    def quote_parts(self) -> dict[int, dict[str, int]]:
        parts: dict[int, dict[str, int]] = {}
        for rel in self.graph.relations:
            source = self.nodes[rel.source]
            if rel.type not in RELATIONS:
                self.err(f"{rel.ref}: unknown relation {rel.type!r}")
            elif source.type != QUOTE or source.event:
                self.err(
                    f"{rel.ref}: a {rel.type} relation goes from a {QUOTE}, not a {source.type}"
                )
            elif rel.type in parts.setdefault(rel.source, {}):
                self.err(f"{rel.ref}: {source.ref} has a second {rel.type} relation")
            else:
                parts[rel.source][rel.type] = rel.target
        return parts

    # -- one layer each -----------------------------------------------------

    def mention(self, i: int, node: Node) -> None:
        self.used.add(i)
        if not node.entities:
            self.err(
                f"{node.ref}: a {node.type} mention with no link to the entity registry "
                f"({REGISTRY_DB}:<id>)"
            )
        for entity in node.entities:
            known = self.entity_types.get(entity)
            if known is not None and known != node.type:
                self.err(f"{node.ref}: typed {node.type}, but {entity!r} is a {known}")
            item: dict[str, Any] = {SPAN_KEY: self.span(i), **node.extra}
            self.attributes(node, item, MentionRef)
            mentions = self.data["mentions"].setdefault(entity, [])
            self.origins[("mentions", entity, len(mentions))] = node.ref
            mentions.append(item)

    def quote(self, i: int, node: Node, parts: dict[str, int]) -> None:
        item: dict[str, Any] = {"id": self.quote_ids[i], **node.extra, "content": self.span(i)}
        self.attributes(node, item, Quote)
        speaker = self.one_entity(i, "a quote's speaker")
        if speaker:
            item["speaker"] = speaker
        if CUE_RELATION in parts:
            item["cue"] = self.span(parts[CUE_RELATION])
        if SPEAKER_RELATION in parts:
            item["speaker_mention"] = self.span(parts[SPEAKER_RELATION])
        self.append("quotes", item, node.ref)

    def event(self, i: int, node: Node) -> None:
        extra = dict(node.extra)
        argument_extras = extra.pop("arguments", None) or []
        time = extra.pop("time", None)
        item: dict[str, Any] = {
            "id": self.event_ids[i],
            "type": node.type,
            **extra,
            "trigger": self.span(i),
        }
        self.attributes(node, item, Event)
        arguments: list[dict[str, Any]] = []
        time_span: Offsets | None = None
        for role, target in node.args:
            base = base_role(role)
            if self.nodes[target].event:
                self.err(f"{node.ref}: argument {role} points to an event; give a span")
            elif base in ARGUMENT_ROLES:
                arg: dict[str, Any] = {"role": base, "span": self.span(target)}
                entity = self.one_entity(target, "an event argument")
                if entity:
                    arg["entity"] = entity
                arguments.append(arg)
            elif base == TIME_ROLE and time_span is None:
                time_span = self.span(target)
            else:
                roles = ", ".join((*ARGUMENT_ROLES, TIME_ROLE))
                self.err(f"{node.ref}: role {role!r} cannot be mapped (roles: {roles}, one Time)")
        for arg, more in zip(arguments, argument_extras, strict=False):
            arg.update(more)
        if arguments:
            item["arguments"] = arguments
        if time is not None or time_span is not None:
            item["time"] = {**(time or {}), **({"span": time_span} if time_span else {})}
        self.append("events", item, node.ref)

    def stance(self, i: int, node: Node) -> None:
        own = node.extra.get("id")
        item: dict[str, Any] = {
            "id": own if isinstance(own, str) else _next_id("s", self.stance_ids)
        }
        if len(node.entities) == 1:
            item["holder"] = node.entities[0]
        else:
            self.err(
                f"{node.ref}: a stance links to exactly one holder ({REGISTRY_DB}:<id>), "
                f"not {len(node.entities)}"
            )
        item.update(node.extra)
        self.attributes(node, item, Stance)
        evidence: list[Offsets] = []
        quotes: list[str] = []
        for role, target in node.args:
            base = base_role(role)
            if base == EVIDENCE_ROLE and not self.nodes[target].event:
                evidence.append(self.span(target))
            elif base == QUOTE_ROLE and target in self.quote_ids:
                self.span(target)
                quotes.append(self.quote_ids[target])
            elif base == TARGET_ROLE and target in self.event_ids and "target" not in item:
                item["target"] = {"event": self.event_ids[target]}
            else:
                self.err(
                    f"{node.ref}: argument {role}:{self.nodes[target].ref} cannot be mapped "
                    f"(roles: {EVIDENCE_ROLE}, {QUOTE_ROLE} to a quote, one {TARGET_ROLE} "
                    "to an event)"
                )
        if not evidence and not quotes:
            evidence.append(Offsets(node.start, node.end))  # a curator's trigger is the evidence
        if evidence:
            item["evidence"] = evidence
        if quotes:
            item["quotes"] = quotes
        self.append("stances", item, node.ref)

    def generic(self, i: int, node: Node, layer: str) -> None:
        item = dict(node.extra)
        if node.entities:
            item["entities"] = list(node.entities)
        model = generic_item_model(layer)
        if issubclass(model, SpanRef):
            item = {SPAN_KEY: self.span(i), **item}
        else:
            item[primary_span_field(model) or "span"] = self.span(i)
        self.append(layer, item, node.ref)
