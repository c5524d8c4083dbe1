"""One article's annotations as a graph of typed spans: the view BRAT and Label Studio share.

Both tools see annotations the same way: spans with a type, attributes with
a value from a closed set, links to a knowledge base, free-text notes, and
labelled arcs between spans. :func:`~kimputin_ds.formats.to_graph.to_graph` maps an
:class:`~kimputin_ds.models.AnnotationFile` onto that view once, and
:func:`~kimputin_ds.formats.from_graph.from_graph` maps it back, so each
format module only reads and writes its own syntax. This module holds the
view itself: its type, relation, role and attribute names, all derived from
the models' label sets. The mapping decisions are documented in ``docs/formats.md``.

What a tool can express is mapped natively (types, attributes, links, arcs).
Every other field of an annotation travels with it in its ``extra``
mapping, exactly as it appears in the YAML file (spans written as text), so
a field added to the models survives a round trip before any format learns
about it. Fields of the document itself (its metadata) go to
:attr:`Graph.document`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from kimputin_ds.corpus import _span_fields
from kimputin_ds.errors import KimputinError
from kimputin_ds.models import (
    AnnotationFile,
    ArgumentRole,
    EntityType,
    Event,
    EventType,
    MentionRef,
    NonSpeechQuotation,
    Quote,
    SourceNote,
    Stance,
    Zone,
    labels,
)
from kimputin_ds.yamlio import Path_

# ---------------------------------------------------------------------------
# Node, relation and role names. Label sets come from the models; these are the
# names of the layers that are not label sets.

ZONE = "Zone"
QUOTE = "Quote"
QUOTE_CUE = "QuoteCue"
SPEAKER_MENTION = "SpeakerMention"
ARGUMENT = "Argument"
TIME = "Time"
EVIDENCE = "Evidence"
NON_SPEECH = "NonSpeechQuotation"
SOURCE_NOTE = "SourceNote"
#: The event type of a stance (stances are events whose trigger is their first evidence).
STANCE = "stance"

#: Relations between a quote and its parts (arcs from the quote).
CUE_RELATION = "Cue"
SPEAKER_RELATION = "Speaker"
RELATIONS = (SPEAKER_RELATION, CUE_RELATION)

#: Event roles besides the models' argument roles.
TIME_ROLE = "Time"
EVIDENCE_ROLE = "Evidence"
QUOTE_ROLE = "Quote"
TARGET_ROLE = "Target"

#: The knowledge-base prefix of links to the entity registry (``kimputin:vladimir_putin``).
REGISTRY_DB = "kimputin"

ENTITY_TYPES: tuple[str, ...] = tuple(labels(EntityType))
EVENT_TYPES: tuple[str, ...] = tuple(labels(EventType))
ARGUMENT_ROLES: tuple[str, ...] = tuple(labels(ArgumentRole))

#: Span types that are parts of a quote, an event or a stance (never annotations alone).
PART_TYPES = (QUOTE_CUE, SPEAKER_MENTION, ARGUMENT, TIME, EVIDENCE)


@dataclass(frozen=True)
class AttributeSpec:
    """A field of a model shown as a tool attribute: a closed label set or a flag."""

    name: str
    model: type[BaseModel]
    field: str

    @property
    def values(self) -> tuple[str, ...]:
        """The label set, from the model's ``Literal`` (empty for a flag)."""
        return tuple(str(v) for v in get_args(self.model.model_fields[self.field].annotation))

    @property
    def binary(self) -> bool:
        """True for a boolean field: the attribute is present when the field is true."""
        return self.model.model_fields[self.field].annotation is bool


#: Attributes, with the model field each one shows. Their values are the models' label sets.
ATTRIBUTES: tuple[AttributeSpec, ...] = (
    AttributeSpec("MentionKind", MentionRef, "kind"),
    AttributeSpec("ZoneKind", Zone, "kind"),
    AttributeSpec("QuoteKind", Quote, "kind"),
    AttributeSpec("SpeakerReference", Quote, "speaker_reference"),
    AttributeSpec("Unclosed", Quote, "unclosed"),
    AttributeSpec("NonSpeechReason", NonSpeechQuotation, "reason"),
    AttributeSpec("EventStatus", Event, "status"),
    AttributeSpec("Background", Event, "background"),
    AttributeSpec("StanceLabel", Stance, "label"),
    AttributeSpec("Explicit", Stance, "explicit"),
    AttributeSpec("SourceProblem", SourceNote, "kind"),
)


def attribute_targets(spec: AttributeSpec) -> tuple[str, ...]:
    """The node types an attribute applies to."""
    if spec.model is MentionRef:
        return ENTITY_TYPES
    if spec.model is Event:
        return EVENT_TYPES
    if spec.model is Stance:
        return (STANCE,)
    return {Zone: (ZONE,), Quote: (QUOTE,), NonSpeechQuotation: (NON_SPEECH,)}.get(
        spec.model, (SOURCE_NOTE,)
    )


def _layer_type(field_name: str) -> str:
    """The node type of a list field the mapping has no native form for: ``plural_mentions`` ->
    ``PluralMention``."""
    singular = field_name[:-1] if field_name.endswith("s") else field_name
    return "".join(part.capitalize() for part in singular.split("_"))


#: Top-level fields with a native mapping; every other field is generic.
NATIVE_FIELDS = frozenset(
    {
        "zones",
        "mentions",
        "quotes",
        "non_speech_quotations",
        "events",
        "stances",
        "source_notes",
        "schema_version",
        "doc_id",
    }
)


def generic_layers() -> dict[str, str]:
    """Top-level list fields of :class:`AnnotationFile` mapped generically: field -> node type."""
    return {
        name: _layer_type(name)
        for name, info in AnnotationFile.model_fields.items()
        if name not in NATIVE_FIELDS and _list_of_models(info.annotation)
    }


def _list_of_models(annotation: Any) -> bool:
    if get_origin(annotation) is not list:
        return False
    (item,) = get_args(annotation)
    return isinstance(item, type) and issubclass(item, BaseModel)


def primary_span_field(model: type[BaseModel]) -> str | None:
    """The first span field of a model: the span a generic layer's node covers."""
    return next((f for f in model.model_fields if f in _span_fields(model)), None)


def generic_item_model(name: str) -> type[BaseModel]:
    """The item model of a top-level list field."""
    (item,) = get_args(AnnotationFile.model_fields[name].annotation)
    return item  # type: ignore[no-any-return]


def span_types() -> tuple[str, ...]:
    """Every type of a span node: entity types, then the layers."""
    return (
        *ENTITY_TYPES,
        ZONE,
        QUOTE,
        QUOTE_CUE,
        SPEAKER_MENTION,
        NON_SPEECH,
        ARGUMENT,
        TIME,
        EVIDENCE,
        SOURCE_NOTE,
        *generic_layers().values(),
    )


def event_types() -> tuple[str, ...]:
    """Every type of an event node: the event types, then stances."""
    return (*EVENT_TYPES, STANCE)


def check_names() -> None:
    """Fail loudly if two layers or labels share a name (the tools key types by name)."""
    names = [*span_types(), *event_types(), *RELATIONS, *(a.name for a in ATTRIBUTES)]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise KimputinError(f"type names used twice in the tool mapping: {', '.join(dup)}")


# ---------------------------------------------------------------------------
# The graph


@dataclass
class Node:
    """A span with a type: a text-bound annotation, or an event with its trigger span.

    Attributes:
        type: The node's type (an entity type, a layer name, an event type).
        start: Start offset in code points.
        end: End offset in code points.
        event: True for an event (BRAT ``E``), whose span is its trigger.
        attributes: Attribute name -> value (``True`` for a flag).
        entities: Registry ids the node links to.
        extra: The annotation's other fields, as in the YAML file.
        args: Event arguments: ``(role, node index)``.
        ref: The tool's own id of the node (for messages).
    """

    type: str
    start: int
    end: int
    event: bool = False
    attributes: dict[str, str | bool] = field(default_factory=dict)
    entities: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    args: list[tuple[str, int]] = field(default_factory=list)
    ref: str = ""


@dataclass
class Relation:
    """A labelled arc between two nodes (``Speaker``, ``Cue``)."""

    type: str
    source: int
    target: int
    ref: str = ""


@dataclass
class Graph:
    """One article as a tool sees it.

    Attributes:
        doc_id: The document id.
        text: The raw text, exactly as stored.
        nodes: Spans and events, in order (the order of the annotation lists).
        relations: Arcs between nodes.
        document: Fields of the document with no place in a tool (metadata, and
            items of a list that have no span), as in the YAML file.
    """

    doc_id: str
    text: str
    nodes: list[Node] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    document: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# What a tool gives back


#: The key under which an item that *is* a span (a mention) holds its :class:`Offsets`.
SPAN_KEY = "__span__"


@dataclass(frozen=True)
class Offsets:
    """A span found in a tool, before it is written the way a curator writes it."""

    start: int
    end: int


@dataclass
class Imported:
    """The result of :func:`from_graph`: a draft annotation file and where each part came from.

    Attributes:
        data: The annotation file as plain values; spans are :class:`Offsets`.
        origins: Field path -> the tool's id of the annotation it came from.
    """

    data: dict[str, Any]
    origins: dict[Path_, str]


_ROLE_NUMBER = re.compile(r"^(.*?)(\d+)$")


def base_role(role: str) -> str:
    """A role without the number tools add to repeated roles: ``participant2`` -> ``participant``.

    >>> base_role("participant2"), base_role("Time")
    ('participant', 'Time')
    """
    match = _ROLE_NUMBER.match(role)
    return match.group(1) if match else role


def note_fields(body: str) -> dict[str, Any]:
    """A tool's note on an annotation: our JSON object of its fields, or a curator's free text.

    >>> note_fields('{"id": "q1"}'), note_fields("checked")
    ({'id': 'q1'}, {'note': 'checked'})
    """
    if body.startswith("{"):
        try:
            value = json.loads(body)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, dict):
            return value
    return {"note": body}


def document_fields(annotation: AnnotationFile) -> dict[str, Any]:
    """The fields of a document with no place in a tool (its metadata), as the YAML has them."""
    return annotation.model_dump(
        mode="json",
        exclude_defaults=True,
        exclude=set(NATIVE_FIELDS) | set(generic_layers()),
    )
