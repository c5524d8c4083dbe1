"""What the pages draw: the annotation layers, read generically from the release rows.

A page is drawn from the rows that :func:`kimputin_ds.records.document_records`
makes for a document (the rows the release publishes), not from the annotation
models, so a column added to the schema shows up on the pages without a change
here. A :class:`Layer` says only which config a layer comes from, which
column is its id, where its primary spans are, and which label colours it;
every other span in a row (a cue, a speaker mention, an argument, a time) is
found by walking the row, and every other column is shown as a detail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from kimputin_ds.rows import CONFIGS
from kimputin_ds.validation import BOILERPLATE_ZONES

Row = Mapping[str, Any]

#: The keys a span value has in a row.
SPAN_KEYS = frozenset({"text", "start", "end"})


@dataclass(frozen=True)
class Layer:
    """One kind of annotation drawn on the text.

    Attributes:
        name: Layer name, used in CSS classes, toggles and ``data-layer``.
        config: The release config its rows come from.
        id_column: The column that identifies an item within a document.
        span: Where the primary spans are: ``""`` for the row itself, else a
            column holding a span or a list of spans.
        label: The label column the items are coloured by.
        title: Heading shown on the page.
        noun: What one item is called.
        key: Columns that identify an item across two versions of the corpus
            (default: ``id_column``); mention ids are renumbered by text
            order, so mentions are matched by entity and offsets.
        within: For items listed inside the ``documents`` row (zones, source
            notes), the column that lists them; their id is their 1-based position.
        toggle: Whether the page has a switch to show and hide the layer.
        group: Columns whose values group items (a mention's entities): the
            page highlights every item that shares one with the item in focus.
        muted: Labels drawn greyed out (the boilerplate zones).
    """

    name: str
    config: str
    id_column: str
    span: str
    label: str
    title: str
    noun: str
    key: tuple[str, ...] = ()
    within: str = ""
    toggle: bool = True
    group: tuple[str, ...] = ()
    muted: frozenset[str] = frozenset()

    @property
    def prefix(self) -> str:
        """Short prefix of the layer's element ids."""
        return self.name[:2] if self.within else self.name[0]

    def rows(self, records: Mapping[str, Sequence[Row]]) -> list[Row]:
        """The layer's rows among one document's records; listed items get an ``index``."""
        if not self.within:
            return list(records.get(self.config, []))
        found: list[Row] = []
        for row in records.get(self.config, []):
            items = row.get(self.within) or []
            found.extend({"index": i, **item} for i, item in enumerate(items, 1))
        return found

    def item_id(self, row: Row) -> str:
        """The item's id within its document."""
        return str(row.get(self.id_column))

    def item_key(self, row: Row) -> tuple[Any, ...]:
        """The item's identity across versions (see :attr:`key`)."""
        return tuple(_hashable(row.get(c)) for c in (self.key or (self.id_column,)))

    def primary_spans(self, row: Row) -> list[Row]:
        """The spans the item is drawn on (one, or several for stance evidence)."""
        value: Any = row if not self.span else row.get(self.span)
        if is_span(value):
            return [value]
        if isinstance(value, list):
            return [v for v in value if is_span(v)]
        return []

    def label_of(self, row: Row) -> str:
        """The item's colouring label (the first, for a multi-valued column)."""
        value = row.get(self.label)
        if isinstance(value, list):
            value = value[0] if value else None
        return "" if value is None else str(value)

    def group_of(self, row: Row) -> str:
        """The row's :attr:`group` values, space-separated (``""`` when it has none)."""
        values: list[str] = []
        for column in self.group:
            value = row.get(column)
            for v in value if isinstance(value, list) else [value]:
                if v is not None and str(v) not in values:
                    values.append(str(v))
        return " ".join(values)

    def label_names(self) -> list[str]:
        """The label set of :attr:`label` from the row model, in ClassLabel order."""
        model = item_model(self)
        info = model.model_fields.get(self.label) if model is not None else None
        return literal_names(info.annotation) if info else []


#: The layers, in drawing order (outer first when two spans have the same extent).
LAYERS: tuple[Layer, ...] = (
    Layer(
        "zones",
        "documents",
        "index",
        "",
        "kind",
        "Zones",
        "zone",
        key=("kind", "start", "end"),
        within="zones",
        toggle=False,
        muted=BOILERPLATE_ZONES,
    ),
    Layer(
        "notes",
        "documents",
        "index",
        "span",
        "kind",
        "Source notes",
        "source note",
        key=("kind", "span", "note"),
        within="source_notes",
        toggle=False,
    ),
    Layer(
        "nonspeech",
        "documents",
        "index",
        "span",
        "reason",
        "Quotation marks that are not speech",
        "non-speech quotation",
        key=("span",),
        within="non_speech_quotations",
        toggle=False,
    ),
    Layer("quotes", "quotes", "quote_id", "", "kind", "Quotes", "quote"),
    Layer("stances", "stances", "stance_id", "evidence", "label", "Stances", "stance"),
    Layer("events", "events", "event_id", "trigger", "status", "Events", "event"),
    Layer(
        "mentions",
        "mentions",
        "mention_id",
        "",
        "entity_type",
        "Mentions",
        "mention",
        # A plural mention (scheme 2.0) has entity_ids and no single entity_id.
        key=("entity_id", "entity_ids", "start", "end"),
        group=("entity_id", "entity_ids"),
    ),
)

#: Layers by name.
LAYER_BY_NAME: dict[str, Layer] = {layer.name: layer for layer in LAYERS}


def is_span(value: object) -> bool:
    """True for a span value (a mapping with text, start and end).

    >>> is_span({"text": "Kim", "start": 0, "end": 3})
    True
    """
    # Rows are plain dicts: testing for dict, not the Mapping ABC, keeps this cheap.
    return isinstance(value, dict) and value.keys() >= SPAN_KEYS


def literal_names(annotation: Any) -> list[str]:
    """The names of a ``Literal`` label set, looking through ``Optional`` and ``list``.

    >>> literal_names(Literal["a", "b"] | None)
    ['a', 'b']
    """
    if get_origin(annotation) is Literal:
        return [str(a) for a in get_args(annotation)]
    if get_origin(annotation) in (Union, list) or type(annotation).__name__ == "UnionType":
        for arg in get_args(annotation):
            names = literal_names(arg)
            if names:
                return names
    return []


def secondary_spans(row: Row, layer: Layer) -> Iterator[tuple[tuple[str | int, ...], str, Row]]:
    """Every span in a row other than its primary ones: ``(path, role, span)``.

    The role is the column name, or for an item of a list of structs with a
    ``role`` column (event arguments), that role.
    """
    primary = {id(s) for s in layer.primary_spans(row)}

    def walk(value: Any, path: tuple[str | int, ...], role: str) -> Iterator[Any]:
        if is_span(value):
            if id(value) not in primary:
                yield path, role, value
            for key, sub in value.items():
                if key not in SPAN_KEYS and isinstance(sub, dict | list):
                    yield from walk(sub, (*path, key), str(key))
        elif isinstance(value, dict):
            for key, sub in value.items():
                yield from walk(sub, (*path, key), str(key))
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                sub_role = sub.get("role") if isinstance(sub, dict) else None
                yield from walk(sub, (*path, i), str(sub_role or role))

    for key, value in row.items():
        if key not in SPAN_KEYS and isinstance(value, dict | list):
            yield from walk(value, (key,), key)


_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_SAFE = re.compile(r"[A-Za-z0-9_-]*")


def slug(*parts: object) -> str:
    """An HTML id from parts (letters, digits, ``_`` and ``-`` kept).

    >>> slug("q", "q1", "arguments", 0)
    'q-q1-arguments-0'
    """
    joined = "-".join(map(str, parts))
    if _SAFE.fullmatch(joined):
        return joined
    return "-".join(_UNSAFE.sub("_", str(p)) for p in parts)


def item_anchor(layer: Layer, row: Row) -> str:
    """The id of an item's first highlight, the target of links to it."""
    return slug(layer.prefix, row.get(layer.id_column))


def item_model(layer: Layer) -> type[BaseModel] | None:
    """The row model of a layer's items (for listed items, the model of the list's items)."""
    model: type[BaseModel] | None = CONFIGS.get(layer.config)
    if model is None or not layer.within:
        return model
    for arg in get_args(model.model_fields[layer.within].annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value
