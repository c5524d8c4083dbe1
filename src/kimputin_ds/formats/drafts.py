"""From spans found by offset to an annotation file written the way a curator writes it.

A tool gives offsets; our files never hold one. :func:`write_spans` turns a
draft with :class:`~kimputin_ds.formats.graph.Offsets` into a validated
:class:`~kimputin_ds.models.AnnotationFile` whose every span is the exact
text, disambiguated minimally (:func:`kimputin_ds.anchoring.reference`).
:func:`canonical` is the comparison the round trips use: two files are the
same when every field is equal and every span resolves to the same offsets.
"""

from __future__ import annotations

from typing import Any, get_args

import yaml
from pydantic import ValidationError

from kimputin_ds.anchoring import Anchorer, Span, reference
from kimputin_ds.corpus import iter_span_refs
from kimputin_ds.errors import Report
from kimputin_ds.formats.graph import SPAN_KEY, Imported, Offsets
from kimputin_ds.models import AnnotationFile, MentionRef, SpanRef
from kimputin_ds.yamlio import Path_

_REF_FIELDS = frozenset({"text", "occurrence", "prefix"})
#: Span classes whose field also accepts the bare text (``SpanInput``, ``MentionInput``).
_TEXT_OR_REF = (SpanRef, MentionRef)


def schema_version() -> str:
    """The ``schema_version`` the models accept (what an imported file is written with)."""
    return str(get_args(AnnotationFile.model_fields["schema_version"].annotation)[0])


def _exact(value: Any, anchorer: Anchorer) -> Any:
    """Offsets -> ``{text, occurrence}``: always valid, made minimal later."""
    if isinstance(value, Offsets):
        text = anchorer.raw[value.start : value.end]
        return {"text": text, "occurrence": anchorer.occurrences(text).index(value.start) + 1}
    if isinstance(value, dict):
        if SPAN_KEY in value:
            rest = {k: _exact(v, anchorer) for k, v in value.items() if k != SPAN_KEY}
            return {**_exact(value[SPAN_KEY], anchorer), **rest}
        return {k: _exact(v, anchorer) for k, v in value.items()}
    if isinstance(value, list):
        return [_exact(v, anchorer) for v in value]
    return value


def _origin(origins: dict[Path_, str], loc: tuple[Any, ...]) -> str:
    for i in range(len(loc), 0, -1):
        found = origins.get(tuple(loc[:i]))
        if found:
            return found
    return ""


def write_spans(
    imported: Imported, text: str, doc_id: str, report: Report, where: str
) -> AnnotationFile | None:
    """Validate a draft and return its model (None, with located errors, when it is invalid).

    Errors name the tool's id of the annotation they concern.
    """
    anchorer = Anchorer(text)
    for key in ("schema_version", "doc_id"):
        imported.data.pop(key, None)
    data = {"schema_version": schema_version(), "doc_id": doc_id, **imported.data}
    try:
        return AnnotationFile.model_validate(_exact(data, anchorer))
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc = tuple(p for p in error["loc"] if not _is_branch(p))
            ref = _origin(imported.origins, loc)
            dotted = ".".join(str(p) for p in loc)
            message = f"{ref}: {dotted}: {error['msg']}" if ref else f"{dotted}: {error['msg']}"
            hint = (
                "a document field the tool does not carry: write the article's annotation "
                "file first (kimputin-new), or keep the export's sidecar beside the input"
                if error["type"] == "missing" and len(loc) == 1
                else ""
            )
            report.add(where, message, field=dotted, hint=hint, code="invalid")
        return None


def _is_branch(part: Any) -> bool:
    return isinstance(part, str) and (
        part in {"str", "constrained-str", "SpanRef", "MentionRef"} or part.startswith("function-")
    )


def _set(tree: Any, path: Path_, value: Any) -> None:
    for part in path[:-1]:
        tree = tree[part]
    tree[path[-1]] = value


def _resolve(anchorer: Anchorer, ref: str | SpanRef) -> tuple[Span, dict[str, Any]]:
    """A span's offsets, and the fields it has besides its text (a mention's kind)."""
    if isinstance(ref, str):
        return anchorer.anchor(ref), {}
    extras = ref.model_dump(mode="json", exclude_defaults=True, exclude=set(_REF_FIELDS))
    return anchorer.anchor(ref.text, ref.occurrence, ref.prefix), extras


def curated(model: AnnotationFile, text: str) -> dict[str, Any]:
    """The file as a curator writes it: defaults left out, spans as minimal exact text."""
    anchorer = Anchorer(text)
    out = model.model_dump(mode="json", exclude_defaults=True)
    for path, ref in iter_span_refs(model):
        span, extras = _resolve(anchorer, ref)
        text_, occurrence, prefix = reference(anchorer, span.start, span.end)
        value: dict[str, Any] = SpanMap(text=text_)
        if prefix is not None:
            value["prefix"] = prefix
        if occurrence is not None:
            value["occurrence"] = occurrence
        value.update(extras)
        short = len(value) == 1 and (isinstance(ref, str) or type(ref) in _TEXT_OR_REF)
        _set(out, path, text_ if short else value)
    return out


def canonical(model: AnnotationFile, text: str) -> dict[str, Any]:
    """Every field, with each span replaced by its offsets: what "the same annotations" means.

    Two files that write a span differently (``occurrence`` or ``prefix``, a
    mapping or the bare text) but resolve it to the same place are equal.
    """
    anchorer = Anchorer(text)
    out = model.model_dump(mode="json")
    for path, ref in iter_span_refs(model):
        span, extras = _resolve(anchorer, ref)
        _set(out, path, {"start": span.start, "end": span.end, **extras})
    return out


class SpanMap(dict[str, Any]):
    """A span written as a mapping; emitted on one line, like ``{text: Putin, prefix: "kata "}``."""


#: Characters a reader cannot see: written as escapes (``\\u00a0``), as the seed files do.
_INVISIBLE = frozenset("\u00a0\u2007\u2009\u200a\u200b\u202f\u2060\ufeff\u00ad")


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _INVISIBLE.intersection(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_span(dumper: yaml.SafeDumper, value: SpanMap) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", dict(value), flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(SpanMap, _represent_span)


def to_yaml(data: dict[str, Any], header: str = "") -> str:
    """YAML text of an annotation file, in the models' field order.

    Texts are written as they are, except invisible characters (a
    non-breaking space), which are escaped inside double quotes so a curator
    sees them.

    >>> print(to_yaml({"span": SpanMap(text="a\u00a0b", prefix="x ")}), end="")
    # yaml-language-server: $schema=../schema/annotation.schema.json
    span: {text: "a\\u00a0b", prefix: 'x '}
    """
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )
    # Only double-quoted scalars hold these characters (see _represent_str),
    # and there an escape means the same character.
    for char in _INVISIBLE.intersection(body):
        body = body.replace(char, f"\\u{ord(char):04x}")
    lines = ["# yaml-language-server: $schema=../schema/annotation.schema.json"]
    lines.extend(f"# {line}" for line in header.splitlines())
    return "\n".join(lines) + "\n" + body
