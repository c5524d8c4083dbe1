"""The ``datasets`` Features of the row models, and what the build and card derive from them.

Nothing here lists a column: everything is computed from
:mod:`kimputin_ds.rows`. :func:`hf_features` builds real ``datasets.Features``
(``Value``, ``ClassLabel``, ``List``, nested dicts) from a row model's
annotations, and ``datasets`` derives the rest: the Arrow schema with the
Features in its ``huggingface`` metadata (:func:`arrow_schema`) and the card's
``dataset_info`` (:mod:`kimputin_ds.card_metadata`). ``datasets`` and
``pyarrow`` are imported only when Features are asked for, so validation never
loads them. The type walk (:func:`_kind`) also drives the label encoders, the
card's column tables and the Croissant fields.
"""

from __future__ import annotations

import operator
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

if TYPE_CHECKING:
    import datasets
    import pyarrow as pa

Encoder = Callable[[Any], Any]
ColumnEncoder = Callable[[list[Any]], list[Any]]


def _unwrap_optional(annotation: Any) -> tuple[Any, bool]:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
        raise TypeError(f"unsupported union {annotation!r}")
    return annotation, False


def _kind(annotation: Any) -> tuple[str, Any]:
    """Classify an annotation as value/label/list/struct with its payload."""
    annotation, _ = _unwrap_optional(annotation)
    if get_origin(annotation) is Literal:
        return "label", [str(a) for a in get_args(annotation)]
    if get_origin(annotation) is list:
        return "list", get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "struct", annotation
    dtype = {str: "string", int: "int32", bool: "bool", float: "float64"}.get(annotation)
    if dtype is None:
        raise TypeError(f"no feature for {annotation!r}")
    return "value", dtype


def _hf_feature(annotation: Any) -> Any:
    """The ``datasets`` feature of one annotation."""
    from datasets import ClassLabel, List, Value

    kind, payload = _kind(annotation)
    if kind == "value":
        return Value(payload)
    if kind == "label":
        return ClassLabel(names=payload)
    if kind == "list":
        return List(_hf_feature(payload))
    return {name: _hf_feature(info.annotation) for name, info in payload.model_fields.items()}


def hf_features(model: type[BaseModel]) -> datasets.Features:
    """The ``datasets.Features`` of a row model: ``Literal`` label sets become ``ClassLabel``.

    >>> from kimputin_ds.rows import ZoneRow
    >>> hf_features(ZoneRow)["kind"].names[:2]
    ['headline', 'timestamp']
    """
    from datasets import Features

    return Features(
        {name: _hf_feature(info.annotation) for name, info in model.model_fields.items()}
    )


def arrow_schema(model: type[BaseModel]) -> pa.Schema:
    """The Arrow schema of a row model, as ``datasets`` derives it from the Features.

    It carries the Features in its ``huggingface`` metadata, from which
    ``datasets`` restores the ClassLabel names (labels are int64, every field
    is nullable).
    """
    schema: pa.Schema = hf_features(model).arrow_schema
    return schema


def encoder(annotation: Any, name: str = "value") -> Encoder:
    """A function turning a row value with label names into one with ClassLabel ints.

    ``name`` is the field's, for the error an unknown label raises (``ValueError``).
    """
    kind, payload = _kind(annotation)
    if kind == "label":
        index = {name: i for i, name in enumerate(payload)}

        def label(value: Any) -> Any:
            if value is None:
                return None
            try:
                return index[value]
            except KeyError:
                raise _unknown_label(name, value, payload) from None

        return label
    if kind == "list":
        inner = encoder(payload, name)
        if inner is _identity:
            return _identity
        return lambda v: None if v is None else [inner(x) for x in v]
    if kind == "struct":
        return row_encoder(payload)
    return _identity


def _identity(value: Any) -> Any:
    return value


def row_encoder(model: type[BaseModel]) -> Encoder:
    """Encoder of a whole row dict; fields without labels are passed through."""
    encoders = {name: encoder(info.annotation, name) for name, info in model.model_fields.items()}
    active = {n: e for n, e in encoders.items() if e is not _identity}
    if not active:
        return _identity

    def encode(row: Any) -> Any:
        if row is None:
            return None
        out = dict(row)
        for name, enc in active.items():
            out[name] = enc(out[name])
        return out

    return encode


def column_encoders(model: type[BaseModel]) -> list[ColumnEncoder]:
    """Per field of a row model, a function from row dicts to that column's values.

    Label names become ClassLabel ints, so the values are ready for
    ``pyarrow.array`` with the field's Arrow type; an unknown label raises
    ``ValueError``.

    >>> from kimputin_ds.rows import ZoneRow
    >>> kind, text, _, _ = column_encoders(ZoneRow)
    >>> rows = [{"kind": "headline", "text": "A", "start": 0, "end": 1}]
    >>> kind(rows), text(rows)
    ([0], ['A'])
    """
    return [_column_encoder(name, info.annotation) for name, info in model.model_fields.items()]


def _column_encoder(name: str, annotation: Any) -> ColumnEncoder:
    get = operator.itemgetter(name)
    kind, payload = _kind(annotation)
    if kind == "label":
        index: dict[str | None, int | None] = {n: i for i, n in enumerate(payload)}
        if _unwrap_optional(annotation)[1]:
            index[None] = None  # no test per row for a missing optional label
        lookup = index.__getitem__

        def labels(rows: list[Any]) -> list[Any]:
            try:
                return list(map(lookup, map(get, rows)))
            except KeyError:
                for row in rows:
                    if row[name] not in index:
                        raise _unknown_label(name, row[name], payload) from None
                raise

        return labels
    encode = encoder(annotation, name)
    if encode is _identity:
        return lambda rows: list(map(get, rows))
    return lambda rows: list(map(encode, map(get, rows)))


def _unknown_label(name: str, value: Any, names: list[str]) -> ValueError:
    return ValueError(f"{name}: unknown label {value!r}, expected one of {', '.join(names)}")


def column_table(model: type[BaseModel]) -> str:
    """A Markdown table of a row model's columns: name, type, description.

    >>> from kimputin_ds.rows import SpanRow
    >>> print(column_table(SpanRow).splitlines()[2])
    | `text` | string | The span's text; equals documents.text[start:end]. |
    """
    lines = ["| column | type | description |", "|---|---|---|"]
    for name, info in model.model_fields.items():
        lines.append(f"| `{name}` | {_type_name(info.annotation)} | {info.description or ''} |")
    return "\n".join(lines)


def _type_name(annotation: Any) -> str:
    _, optional = _unwrap_optional(annotation)
    kind, payload = _kind(annotation)
    if kind == "value":
        text = str(payload)
    elif kind == "label":
        text = "label (" + ", ".join(f"`{n}`" for n in payload) + ")"
    elif kind == "list":
        text = f"list of {_type_name(payload)}"
    else:
        text = "{" + ", ".join(payload.model_fields) + "}"
    return f"{text}, nullable" if optional else text
