"""Corpus loading: raw texts, annotation files, the registry and the splits.

Loading never raises on bad data. Every problem goes into a
:class:`~kimputin_ds.errors.Report` with its file, line and column, and the
loader goes on with the rest, so that one run shows every problem. Documents
are yielded one at a time, so memory does not grow with the corpus.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from kimputin_ds.anchoring import Anchorer, AnchorError, Span
from kimputin_ds.errors import Report, with_article
from kimputin_ds.fingerprint import check_text
from kimputin_ds.models import (
    AnnotationFile,
    Claim,
    ClaimRegistry,
    Entity,
    EntityRegistry,
    FieldValueError,
    SpanRef,
    SplitAssignment,
)
from kimputin_ds.safe_files import RefusedFileError, not_regular, read_regular
from kimputin_ds.yamlio import Locations, Path_, YamlError, load_yaml

ENTITIES_FILE = "entities.yaml"
CLAIMS_FILE = "claims.yaml"
SPLITS_FILE = "splits.yaml"
TEXT_SUFFIX = ".txt"
ANNOTATION_SUFFIX = ".yaml"
_BOM = b"\xef\xbb\xbf"

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Document:
    """One article: its raw text, its parsed annotations and every span resolved.

    Attributes:
        doc_id: The file stem shared by the text and its annotation file.
        text: The raw text, exactly as stored.
        text_path: Path of the ``.txt`` file.
        annotation_path: Path of the ``.yaml`` file.
        annotation: The parsed annotation file.
        spans: Resolved offsets of every span in the annotation file, by field path.
        locations: ``(line, col)`` of every value in the annotation file, by field path.
    """

    doc_id: str
    text: str
    text_path: Path
    annotation_path: Path
    annotation: AnnotationFile
    spans: Mapping[Path_, Span]
    locations: Locations = field(repr=False)

    def span(self, *path: str | int) -> Span | None:
        """The resolved span at a field path, e.g. ``doc.span("quotes", 0, "cue")``."""
        return self.spans.get(tuple(path))

    def where(self, path: Path_) -> tuple[int, int]:
        """``(line, col)`` of the value at ``path``, or of its closest located parent."""
        for i in range(len(path), -1, -1):
            found = self.locations.get(path[:i])
            if found:
                return found
        return (0, 0)


@dataclass(frozen=True)
class CorpusFiles:
    """The files of a corpus directory, paired by document id."""

    root: Path
    doc_ids: list[str]
    registry_path: Path
    splits_path: Path
    all_ids: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Files


def read_bytes(path: Path, report: Report) -> bytes | None:
    """A file's bytes; None (reported) when it cannot be read or is empty.

    Only a regular file is read (never through a symbolic link, never a FIFO
    or a device), and at most :data:`~kimputin_ds.safe_files.MAX_FILE_BYTES`.
    """
    try:
        data = read_regular(path)
    except RefusedFileError as exc:
        report.add(path, exc.message, hint=exc.hint, code="file_type")
        return None
    except OSError as exc:
        report.add(path, f"cannot read file: {exc.strerror or exc}", line=1, col=1, code="io")
        return None
    if not data.strip():
        report.add(path, "file is empty", line=1, col=1, code="empty")
        return None
    return data


def decode_text(path: Path, data: bytes, report: Report, *, allow_bom: bool = False) -> str | None:
    """Decode strict UTF-8 (without BOM unless allowed); report and return None otherwise."""
    if data.startswith(_BOM) and not allow_bom:
        report.add(
            path,
            "file starts with a UTF-8 byte-order mark",
            line=1,
            col=1,
            code="bom",
            hint="save the file as UTF-8 without BOM",
        )
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.add(
            path,
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            line=line,
            col=col,
            code="encoding",
            hint="texts must be UTF-8",
        )
        return None


def read_text(path: Path, report: Report) -> str | None:
    """Read a file as strict UTF-8 without BOM; report and return None otherwise."""
    data = read_bytes(path, report)
    return None if data is None else decode_text(path, data, report)


def read_model(path: Path, model: type[M], report: Report) -> tuple[M | None, Locations]:
    """Parse a YAML file into ``model``, reporting every problem with its location."""
    text = read_text(path, report)
    if text is None:
        return None, {}
    try:
        data, locations = load_yaml(text, lazy_locations=True)
    except YamlError as exc:
        report.add(path, exc.message, line=exc.line, col=exc.col, hint=exc.hint, code="yaml")
        return None, {}
    if data is None:
        report.add(path, "file holds no YAML document", line=1, col=1, code="empty")
        return None, {}
    if not isinstance(data, dict):
        line, col = locations.get((), (1, 1))
        report.add(
            path,
            f"expected a mapping at the top level, found {with_article(_kind(data))}",
            line=line,
            col=col,
            code="type",
        )
        return None, locations
    try:
        return model.model_validate(data), locations
    except ValidationError as exc:
        add_validation_errors(exc, path, locations, report, model=model)
        return None, locations


def _kind(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )


def add_validation_errors(
    exc: ValidationError,
    path: Path,
    locations: Locations,
    report: Report,
    *,
    model: type[BaseModel] | None = None,
) -> None:
    """Turn pydantic errors into located, curator-friendly issues.

    With the ``model`` that was validated, an unknown field gets a "did you
    mean" among the fields allowed where it is.
    """
    errors = exc.errors(include_url=False)
    # A span is `str | SpanRef`: pydantic reports a failure for each branch.
    # Keep the branch that matches the input's shape.
    seen: set[tuple[Path_, str]] = set()
    for err in errors:
        raw_loc = err["loc"]
        loc = tuple(p for p in raw_loc if not _is_branch_tag(p))
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, FieldValueError):  # a model's check, about one of its fields
            loc = (*loc, cause.field)
        branch_mismatch = err["type"] in {"string_type", "model_type", "dict_type"} and any(
            _is_branch_tag(p) for p in raw_loc
        )
        if branch_mismatch and any(
            other is not err
            and tuple(p for p in other["loc"] if not _is_branch_tag(p))[: len(loc)] == loc
            and other["type"] not in {"string_type", "model_type", "dict_type"}
            for other in errors
        ):
            continue
        message, hint = _describe(err, loc)
        if err["type"] == "extra_forbidden" and model is not None:
            hint = close_match(str(loc[-1]), _fields_at(model, loc[:-1])) or hint
        if branch_mismatch:
            message = "expected the span's exact text, or a mapping with text, occurrence, prefix"
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        line, col = _locate(locations, loc)
        report.add(
            path, message, line=line, col=col, field=_dotted(loc), hint=hint, code=err["type"]
        )


_BRANCH_TAGS = frozenset({"str", "constrained-str", "SpanRef", "MentionRef"})


def _is_branch_tag(part: str | int) -> bool:
    """Union-branch and validator labels pydantic inserts into error locations."""
    return isinstance(part, str) and (part in _BRANCH_TAGS or part.startswith("function-"))


def _fields_at(model: type[BaseModel], loc: Path_) -> set[str]:
    """The field names allowed at ``loc`` (a path into a ``model`` value).

    >>> from kimputin_ds.models import AnnotationFile
    >>> "speaker" in _fields_at(AnnotationFile, ("quotes", 0))
    True
    """
    found: set[str] = set()

    def walk(annotation: Any, rest: Path_) -> None:
        origin = get_origin(annotation)
        if origin is Annotated:
            walk(get_args(annotation)[0], rest)
        elif origin in (Union, UnionType):
            for arg in get_args(annotation):
                walk(arg, rest)
        elif origin is list and rest and isinstance(rest[0], int):
            walk(get_args(annotation)[0], rest[1:])
        elif origin is dict and rest:
            walk(get_args(annotation)[1], rest[1:])
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if not rest:
                found.update(annotation.model_fields)
            elif isinstance(rest[0], str) and rest[0] in annotation.model_fields:
                walk(annotation.model_fields[rest[0]].annotation, rest[1:])

    walk(model, loc)
    return found


def _describe(err: Any, loc: Path_) -> tuple[str, str]:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        return f"unknown field {loc[-1]!r}", ""
    if kind == "missing":
        return f"missing required field {loc[-1]!r}", ""
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(err["input"]), options, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of {expected}"
        return f"unknown label {err['input']!r}", hint
    if kind == "string_pattern_mismatch":
        return (
            f"{err['input']!r} is not a valid id",
            "ids are lowercase letters, digits and underscores (doc ids may also use - "
            "and capitals), at most 64 characters",
        )
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])), ""
    return str(err["msg"]), ""


def _locate(locations: Locations, loc: Path_) -> tuple[int, int]:
    for i in range(len(loc), -1, -1):
        found = locations.get(loc[:i])
        if found:
            return found
    return (0, 0)


def _dotted(loc: Path_) -> str:
    return ".".join(str(p) for p in loc)


def close_match(word: str, options: Any) -> str:
    """A ``did you mean`` hint for an unknown id, or ``""``.

    >>> close_match("putn", ["vladimir_putin", "putin"])
    "did you mean 'putin'?"
    """
    found = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean {found[0]!r}?" if found else ""


# ---------------------------------------------------------------------------
# Discovery and streaming


def discover(root: Path, report: Report) -> CorpusFiles:
    """Pair every ``<doc_id>.txt`` with its ``<doc_id>.yaml`` and report strays.

    Every entry of the corpus directory must be a regular file: a symbolic
    link, a FIFO, a device or a socket is an error, whatever its name. Hidden
    files (``.name``) are not part of the corpus: they are ignored, with a
    warning. Subdirectories are not read.
    """
    texts: set[str] = set()
    annotations: set[str] = set()
    reserved = {ENTITIES_FILE, CLAIMS_FILE, SPLITS_FILE}
    empty = CorpusFiles(root, [], root / ENTITIES_FILE, root / SPLITS_FILE, [])
    try:
        # One listing gives each name with its file type (no lstat per file on
        # the usual file systems); sorting names gives the same order as paths.
        with os.scandir(root) as listing:
            entries = sorted(((entry.name, entry) for entry in listing), key=lambda e: e[0])
    except FileNotFoundError:
        report.add(
            root,
            "corpus directory not found",
            code="missing",
            hint="run from the repository root (where seeds/ is), or point at the corpus: "
            "kimputin-validate --root PATH",
        )
        return empty
    except NotADirectoryError:
        report.add(root, "the corpus must be a directory, this is a file", code="missing")
        return empty
    except OSError as exc:
        report.add(root, f"cannot list the corpus directory: {exc.strerror or exc}", code="io")
        return empty
    refused: set[str] = set()  # documents with a file that is not read
    for name, entry in entries:
        if name in reserved:
            continue  # read (and refused if need be) by their loaders
        # Strings, not Path objects, on this per-file path: same suffix and stem as pathlib.
        dot = name.rfind(".")
        suffix = name[dot:] if 0 < dot < len(name) - 1 else ""
        stem = name[:dot] if suffix else name
        try:
            irregular = not entry.is_file(follow_symlinks=False) and not entry.is_dir(
                follow_symlinks=False
            )
            mode = entry.stat(follow_symlinks=False).st_mode if irregular else 0
        except OSError as exc:
            report.add(root / name, f"cannot read file: {exc.strerror or exc}", code="io")
            continue
        if irregular:
            error = not_regular(root / name, mode)
            report.add(root / name, error.message, hint=error.hint, code="file_type")
            if suffix in (TEXT_SUFFIX, ANNOTATION_SUFFIX) and not name.startswith("."):
                refused.add(stem)
            else:
                continue
        if name.startswith("."):
            report.add(
                root / name,
                "hidden file ignored: hidden files are not part of the corpus",
                code="hidden",
                severity="warning",
            )
            continue
        if suffix == TEXT_SUFFIX:
            texts.add(stem)
        elif suffix == ANNOTATION_SUFFIX:
            annotations.add(stem)
        elif suffix == ".yml":
            report.add(
                root / name,
                "annotation files end in .yaml",
                line=1,
                col=1,
                code="stray",
                hint="rename it",
            )
        else:
            report.add(
                root / name,
                "unexpected file in the corpus directory",
                line=1,
                col=1,
                code="stray",
                severity="warning",
            )
    for doc_id in sorted(texts - annotations):
        report.add(
            root / f"{doc_id}{TEXT_SUFFIX}",
            "text has no annotation file",
            line=1,
            col=1,
            code="missing",
            hint=f"add {doc_id}{ANNOTATION_SUFFIX}",
        )
    for doc_id in sorted(annotations - texts):
        report.add(
            root / f"{doc_id}{ANNOTATION_SUFFIX}",
            "annotation file has no text",
            line=1,
            col=1,
            code="missing",
            hint=f"add {doc_id}{TEXT_SUFFIX}",
        )
    return CorpusFiles(
        root,
        sorted((texts & annotations) - refused),
        root / ENTITIES_FILE,
        root / SPLITS_FILE,
        sorted(texts | annotations),
    )


def load_registry(path: Path, report: Report) -> dict[str, Entity]:
    """The registry's entities by id (empty when the file is unusable)."""
    if not os.path.lexists(path):
        report.add(path, "entity registry not found", code="missing")
        return {}
    registry, locations = read_model(path, EntityRegistry, report)
    if registry is None:
        return {}
    entities: dict[str, Entity] = {}
    qids: dict[str, str] = {}
    for i, entity in enumerate(registry.entities):
        line, col = _locate(locations, ("entities", i, "id"))
        if entity.id in entities:
            report.add(
                path,
                f"duplicate entity id {entity.id!r}",
                line=line,
                col=col,
                field=f"entities.{i}.id",
                code="duplicate_id",
            )
            continue
        if entity.wikidata and entity.wikidata in qids:
            report.add(
                path,
                f"Wikidata {entity.wikidata} is also given to {qids[entity.wikidata]!r}",
                line=line,
                col=col,
                field=f"entities.{i}.wikidata",
                code="duplicate_qid",
            )
        if entity.wikidata:
            qids[entity.wikidata] = entity.id
        entities[entity.id] = entity
    return entities


def load_claims(path: Path, report: Report) -> dict[str, Claim]:
    """The claim registry's claims by id.

    The file is optional: a corpus whose stances take no claim needs none,
    and a missing file is an empty registry (a stance that names a claim is
    then reported by the validator).
    """
    if not path.exists():
        return {}
    registry, locations = read_model(path, ClaimRegistry, report)
    if registry is None:
        return {}
    claims: dict[str, Claim] = {}
    for i, claim in enumerate(registry.claims):
        if claim.id in claims:
            line, col = _locate(locations, ("claims", i, "id"))
            report.add(
                path,
                f"duplicate claim id {claim.id!r}",
                line=line,
                col=col,
                field=f"claims.{i}.id",
                code="duplicate_id",
            )
            continue
        claims[claim.id] = claim
    return claims


def load_splits(path: Path, report: Report) -> tuple[SplitAssignment | None, Locations]:
    """The split assignment (None when missing or invalid, reported) and its locations."""
    if not os.path.lexists(path):
        report.add(path, "split assignment not found", code="missing")
        return None, {}
    return read_model(path, SplitAssignment, report)


def load_document(
    root: Path, doc_id: str, report: Report, annotation_path: Path | None = None
) -> Document | None:
    """Read, parse and anchor one document; None when it cannot be used (reported).

    ``annotation_path`` reads the annotations from another file than
    ``<root>/<doc_id>.yaml`` (an imported draft, before it joins the corpus).
    """
    text_path = root / f"{doc_id}{TEXT_SUFFIX}"
    if annotation_path is None:
        annotation_path = root / f"{doc_id}{ANNOTATION_SUFFIX}"
    annotation, locations = read_model(annotation_path, AnnotationFile, report)
    data = read_bytes(text_path, report)
    if data is None:
        return None
    if annotation is None:
        decode_text(text_path, data, report, allow_bom=True)  # still report a bad encoding
        return None
    recorded = annotation.text
    if not check_text(
        text_path, data, recorded, report, annotation_path=annotation_path, locations=locations
    ):
        return None  # an edited text: its spans would only repeat the problem
    text = decode_text(text_path, data, report, allow_bom=True)  # a BOM is checked above
    if text is None:
        return None
    if annotation.doc_id != doc_id:
        line, col = _locate(locations, ("doc_id",))
        report.add(
            annotation_path,
            f"doc_id {annotation.doc_id!r} does not match the file name {doc_id!r}",
            line=line,
            col=col,
            field="doc_id",
            code="doc_id",
        )
    spans: dict[Path_, Span] = {}
    resolve = Anchorer(text).anchor
    for path, ref in iter_span_refs(annotation):
        try:
            spans[path] = (
                resolve(ref)
                if isinstance(ref, str)
                else resolve(ref.text, ref.occurrence, ref.prefix)
            )
        except AnchorError as exc:
            line, col = _locate(locations, path)
            report.add(
                annotation_path,
                exc.message,
                line=line,
                col=col,
                field=_dotted(path),
                hint=exc.hint,
                code="anchor",
            )
    return Document(doc_id, text, text_path, annotation_path, annotation, spans, locations)


def entity_refs(annotation: AnnotationFile) -> Iterator[tuple[Path_, str]]:
    """Every registry id the annotation body references, with its field path.

    Covers mentions, quotes, events and stances (not the document metadata).
    """
    for entity_id in annotation.mentions:
        yield ("mentions", entity_id), entity_id
    for i, plural in enumerate(annotation.plural_mentions):
        for j, entity_id in enumerate(plural.entities):
            yield ("plural_mentions", i, "entities", j), entity_id
    for i, q in enumerate(annotation.quotes):
        refs = [("speaker", q.speaker), ("relayed_by", q.relayed_by)]
        for path, value in refs:
            if value is not None:
                yield ("quotes", i, path), value
        for j, extra in enumerate(q.additional_speakers):
            yield ("quotes", i, "additional_speakers", j), extra
    for i, e in enumerate(annotation.events):
        if e.asserted_by is not None:
            yield ("events", i, "asserted_by"), e.asserted_by
        for j, arg in enumerate(e.arguments):
            if arg.entity is not None:
                yield ("events", i, "arguments", j, "entity"), arg.entity
    for i, s in enumerate(annotation.stances):
        yield ("stances", i, "holder"), s.holder
        if s.target.entity is not None:
            yield ("stances", i, "target", "entity"), s.target.entity


def iter_documents(files: CorpusFiles, report: Report) -> Iterator[Document]:
    """Yield each usable document in id order; problems go to ``report``."""
    for doc_id in files.doc_ids:
        doc = load_document(files.root, doc_id, report)
        if doc is not None:
            yield doc


# ---------------------------------------------------------------------------
# Span fields, found from the models' annotations (never listed by hand)


def _mentions_span(annotation: Any) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, SpanRef):
        return True
    return any(_mentions_span(arg) for arg in get_args(annotation))


_SPAN_FIELDS: dict[type[BaseModel], frozenset[str]] = {}


def _span_fields(model: type[BaseModel]) -> frozenset[str]:
    if model not in _SPAN_FIELDS:
        _SPAN_FIELDS[model] = frozenset(
            name for name, info in model.model_fields.items() if _mentions_span(info.annotation)
        )
    return _SPAN_FIELDS[model]


#: Leaf types whose values never are, nor hold, a span.
_SPAN_FREE_LEAVES: frozenset[Any] = frozenset({str, int, float, bool, type(None), date})


def _span_free(annotation: Any, seen: frozenset[Any] = frozenset()) -> bool:
    """True when no value of ``annotation`` can be or contain a span.

    Conservative: anything not recognised (``Any``, an unknown class) may
    hold one, and is walked.
    """
    if annotation in _SPAN_FREE_LEAVES:
        return True
    origin = get_origin(annotation)
    if origin is Literal:
        return True
    if origin is Annotated:
        return _span_free(get_args(annotation)[0], seen)
    if origin in (Union, UnionType, list, dict, tuple, set, frozenset):
        return all(a is Ellipsis or _span_free(a, seen) for a in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if issubclass(annotation, SpanRef) or annotation in seen:
            return False
        inner = seen | {annotation}
        return all(_span_free(i.annotation, inner) for i in annotation.model_fields.values())
    return False


Collected = list[tuple[Path_, "str | SpanRef"]]
#: Appends the spans held in a value (of a known annotation type) to a list.
Collector = Callable[[Any, Path_, Collected], None]


def _is_span_leaf(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation is str or (isinstance(annotation, type) and issubclass(annotation, SpanRef))


def _leaf(value: Any, path: Path_, out: Collected) -> None:
    if value is not None:
        out.append((path, value))


def _list_of(inner: Collector) -> Collector:
    if inner is _leaf:

        def collect_leaves(value: Any, path: Path_, out: Collected) -> None:
            if value is not None:
                out.extend([((*path, i), v) for i, v in enumerate(value) if v is not None])

        return collect_leaves

    def collect(value: Any, path: Path_, out: Collected) -> None:
        if value is not None:
            for i, item in enumerate(value):
                inner(item, (*path, i), out)

    return collect


def _dict_of(inner: Collector) -> Collector:
    def collect(value: Any, path: Path_, out: Collected) -> None:
        if value is not None:
            for key, item in value.items():
                inner(item, (*path, key), out)

    return collect


def _generic(is_span: bool) -> Collector:
    def collect(value: Any, path: Path_, out: Collected) -> None:
        _collect(value, path, is_span, out)

    return collect


def _collector(annotation: Any, is_span: bool) -> Collector | None:
    """How to collect the spans of a value of ``annotation``; None when it holds none.

    Decided once per field from its type, so the walk does no type tests per
    value; a type this does not recognise is walked by inspecting its values.
    """
    if _span_free(annotation):
        return None
    origin = get_origin(annotation)
    if origin is Annotated:
        return _collector(get_args(annotation)[0], is_span)
    if _is_span_leaf(annotation):
        return _leaf if is_span else None
    if origin in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _collector(args[0], is_span)
        if is_span and all(_is_span_leaf(a) for a in args):
            return _leaf
        return _generic(is_span)
    if origin is list:
        inner = _collector(get_args(annotation)[0], is_span)
        return None if inner is None else _list_of(inner)
    if origin is dict:
        inner = _collector(get_args(annotation)[1], is_span)
        return None if inner is None else _dict_of(inner)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _collect_model
    return _generic(is_span)


_WALK_PLANS: dict[type[BaseModel], tuple[tuple[str, Collector], ...]] = {}


def _walk_plan(model: type[BaseModel]) -> tuple[tuple[str, Collector], ...]:
    """The fields of ``model`` that may hold spans, in order, each with its collector."""
    plan = _WALK_PLANS.get(model)
    if plan is None:
        span_fields = _span_fields(model)
        plan = _WALK_PLANS[model] = tuple(
            (name, collect)
            for name, info in model.model_fields.items()
            if (collect := _collector(info.annotation, name in span_fields)) is not None
        )
    return plan


def iter_span_refs(model: BaseModel, path: Path_ = ()) -> Iterator[tuple[Path_, str | SpanRef]]:
    """Every span written in ``model`` with its field path, in document order of the file.

    Fields whose type can hold no span (ids, labels, notes, flags) are not visited.
    """
    found: Collected = []
    _collect_model(model, path, found)
    return iter(found)


def _collect_model(model: Any, path: Path_, out: Collected) -> None:
    if model is not None:
        for name, collect in _walk_plan(type(model)):
            value = getattr(model, name)
            if collect is _leaf:  # most span fields: no call
                if value is not None:
                    out.append(((*path, name), value))
            else:
                collect(value, (*path, name), out)


def _collect(value: Any, path: Path_, is_span: bool, out: Collected) -> None:
    if isinstance(value, SpanRef) or (is_span and isinstance(value, str)):
        out.append((path, value))
    elif isinstance(value, BaseModel):
        _collect_model(value, path, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _collect(item, (*path, i), is_span, out)
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(item, (*path, key), is_span, out)
