"""Checks that span records and files: ids, references, offsets, coverage, splits.

Per-file shape is the models' job; everything that needs more than one record
is here. :func:`validate_corpus` streams the documents, keeping only the small
cross-document state (ids, cross-document event ids), and returns one
:class:`~kimputin_ds.errors.Report` with every problem.
"""

from __future__ import annotations

import gc
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, get_args

from kimputin_ds.anchoring import Span
from kimputin_ds.corpus import (
    CLAIMS_FILE,
    CorpusFiles,
    Document,
    close_match,
    discover,
    entity_refs,
    iter_documents,
    load_claims,
    load_registry,
    load_splits,
)
from kimputin_ds.errors import Report, Severity
from kimputin_ds.errors import with_article as a
from kimputin_ds.models import (
    CORE_ROLES,
    Claim,
    Entity,
    SplitAssignment,
    ZoneKind,
    missing_core_roles,
)
from kimputin_ds.yamlio import Locations, Path_, YamlError, load_yaml

if TYPE_CHECKING:
    from kimputin_ds.cache import ValidationCache

#: Characters counted as quotation marks by the coverage check.
QUOTATION_MARKS = frozenset('"\u201c\u201d\u2018\u2019')
_QUOTATION_MARK_LIST = sorted(QUOTATION_MARKS)


def _quotation_marks(text: str) -> list[int]:
    """Offsets of the quotation marks in ``text``, in order.

    One ``str.find`` scan per mark: a fraction of the cost of a regular
    expression's character class over the whole text.

    >>> _quotation_marks('a "b" \u201cc\u201d')
    [2, 4, 6, 8]
    """
    found: list[int] = []
    for mark in _QUOTATION_MARK_LIST:
        i = text.find(mark)
        while i != -1:
            found.append(i)
            i = text.find(mark, i + 1)
    found.sort()
    return found


#: Zones that are not article body; no annotation may lie inside them.
BOILERPLATE_ZONES = frozenset(get_args(ZoneKind)) - {"headline", "section_heading", "dateline"}


@dataclass
class CorpusState:
    """What the streaming validator remembers across documents."""

    entity_ids: frozenset[str]
    entity_types: dict[str, str] = field(default_factory=dict)
    used_entities: set[str] = field(default_factory=set)
    claim_ids: frozenset[str] = frozenset()
    used_claims: set[str] = field(default_factory=set)
    doc_ids: list[str] = field(default_factory=list)
    cross_doc: dict[str, list[tuple[str, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    #: The fields accumulated across documents; the others are corpus-wide inputs.
    #: A new accumulated field must be listed here, so that workers' and cached
    #: results carry it (a test checks that every field is one or the other).
    ACCUMULATED: ClassVar[tuple[str, ...]] = (
        "used_entities",
        "used_claims",
        "doc_ids",
        "cross_doc",
    )
    INPUTS: ClassVar[tuple[str, ...]] = ("entity_ids", "entity_types", "claim_ids")

    def merge(self, other: CorpusState) -> None:
        """Add another state's accumulated fields (one document's contribution) to this one."""
        for name in self.ACCUMULATED:
            mine, theirs = getattr(self, name), getattr(other, name)
            if isinstance(mine, set):
                mine |= theirs
            elif isinstance(mine, list):
                mine.extend(theirs)
            else:  # a mapping of lists
                for key, items in theirs.items():
                    mine.setdefault(key, []).extend(items)


@dataclass
class CorpusRun:
    """A corpus opened for one streaming pass: registry, splits, and the running state."""

    files: CorpusFiles
    entities: dict[str, Entity]
    splits: SplitAssignment | None
    state: CorpusState
    split_locations: Locations = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)

    def split_of(self) -> dict[str, str]:
        """Document id -> split name (documents in no split are absent)."""
        if self.splits is None:
            return {}
        return {d: s for s in ("train", "validation", "test") for d in getattr(self.splits, s)}


def open_corpus(root: Path, report: Report) -> CorpusRun:
    """Discover the files and load the registry and splits of a corpus directory."""
    files = discover(root, report)
    # Without the directory (reported), its registry and splits are missing too: once is enough.
    found = root.is_dir()
    entities = load_registry(files.registry_path, report) if found else {}
    claims = load_claims(files.root / CLAIMS_FILE, report) if found else {}
    splits, locations = load_splits(files.splits_path, report) if found else (None, {})
    return CorpusRun(
        files,
        entities,
        splits,
        CorpusState(
            frozenset(entities),
            {k: e.type for k, e in entities.items()},
            claim_ids=frozenset(claims),
        ),
        locations,
        claims,
    )


def checked_documents(run: CorpusRun, report: Report) -> Iterator[Document]:
    """Yield each loadable document after running its checks (problems go to ``report``)."""
    for doc in iter_documents(run.files, report):
        before = len(report.issues)
        check_document(doc, run.state, report)
        run.state.doc_ids.append(doc.doc_id)
        # Only the issues this check added matter: scanning them, not every
        # issue so far, keeps a long corpus with many warnings linear.
        if not any(issue.severity == "error" for issue in report.issues[before:]):
            yield doc


def finish_corpus(run: CorpusRun, report: Report) -> None:
    """The checks that need the whole corpus, after every document was seen."""
    check_cross_document(run.state, report, run.files.registry_path, run.files.root / CLAIMS_FILE)
    if run.splits is not None:
        check_splits(
            run.files.splits_path,
            run.splits.model_dump(),
            run.files.all_ids,
            report,
            run.split_locations,
        )


class ScheduledCollection:
    """Run the cyclic garbage collector every ``every`` documents, not on allocation counts.

    A document's values (YAML, models, spans, rows) are acyclic and freed by
    reference counting as soon as the next document is read; the collector's
    passes, triggered every few hundred allocations, find nothing and cost a
    tenth to a fifth of a streaming pass. Inside this context the collector
    is off, and :meth:`tick` runs a full collection every ``every``
    documents, so any cyclic garbage stays bounded. The previous state is
    restored on exit.

    >>> import gc
    >>> with ScheduledCollection(every=2) as collection:
    ...     gc.isenabled()
    False
    """

    def __init__(self, every: int = 1000) -> None:
        self.every = every
        self.count = 0
        self.enabled = False

    def __enter__(self) -> ScheduledCollection:
        self.enabled = gc.isenabled()
        gc.disable()
        return self

    def tick(self) -> None:
        """Count one document; collect when ``every`` have passed."""
        self.count += 1
        if self.enabled and self.count % self.every == 0:
            gc.collect()

    def __exit__(self, *exc_info: object) -> None:
        if self.enabled:
            gc.enable()


def validate_corpus(
    root: Path,
    *,
    jobs: int = 1,
    cache: ValidationCache | None = None,
    recheck: Collection[str] = (),
) -> Report:
    """Validate a corpus directory and return every problem found.

    Args:
        root: The directory with the ``.txt`` texts, their ``.yaml``
            annotations, ``entities.yaml`` and ``splits.yaml``.
        jobs: Worker processes for the per-document checks (1: this process).
            The report is the same for any value.
        cache: Reuse the per-document results of earlier runs whose files and
            corpus-wide inputs are unchanged (and store this run's).
        recheck: Document ids checked afresh even when cached.

    Returns:
        A :class:`Report`; ``report.ok`` is True when there is no error.

    >>> from pathlib import Path
    >>> validate_corpus(Path("no-such-dir")).ok
    False
    """
    from kimputin_ds.pipeline import CorpusInputs, process_corpus

    report = Report()
    run = open_corpus(root, report)
    doc_ids = run.files.doc_ids
    cached = cache.lookup(run, exclude=recheck) if cache is not None else {}
    todo = [d for d in doc_ids if d not in cached]
    inputs = CorpusInputs(run.files.root, run.entities, claims=run.claims)
    computed = (d for chunk in process_corpus(inputs, todo, jobs=jobs) for d in chunk.docs)
    for doc_id in doc_ids:
        hit = cached.get(doc_id)
        if hit is not None:
            report.issues.extend(hit.issues)
            hit.merge_into(run.state)
            continue
        outcome = next(computed)
        if cache is not None:
            cache.record(run, outcome)
        report.issues.extend(outcome.issues)
        if outcome.state is not None:
            run.state.merge(outcome.state)
    if cache is not None:
        cache.store(run)
    finish_corpus(run, report)
    return report


# ---------------------------------------------------------------------------
# One document


class _DocChecker:
    def __init__(self, doc: Document, state: CorpusState, report: Report) -> None:
        self.doc = doc
        self.state = state
        self.report = report
        # The mentions' spans, looked up once from the annotation's structure,
        # and grouped by entity: no check scans every span of the document.
        spans = doc.spans
        ann = doc.annotation
        self.mentions: list[tuple[Path_, Span]] = [
            (key, span)
            for entity_id, items in ann.mentions.items()
            for j in range(len(items))
            if (span := spans.get(key := ("mentions", entity_id, j)))
        ]
        self.mentions_by_entity: dict[str | int, list[Span]] = defaultdict(list)
        for path, span in self.mentions:
            self.mentions_by_entity[path[1]].append(span)
        # A plural mention is a mention of each entity it refers to.
        for i, plural in enumerate(ann.plural_mentions):
            plural_key: Path_ = ("plural_mentions", i)
            if span := spans.get(plural_key):
                self.mentions.append((plural_key, span))
                for entity_id in plural.entities:
                    self.mentions_by_entity[entity_id].append(span)
        # Entities with a mention that did not resolve (already reported): a
        # check against their mentions would only repeat that error.
        self.unresolved_entities = {
            entity_id
            for entity_id, items in doc.annotation.mentions.items()
            if any(("mentions", entity_id, j) not in spans for j in range(len(items)))
        }
        self._intervals: dict[str, tuple[list[int], list[int]]] = {}

    def overlaps_mention(self, span: Span, entity_ids: Iterable[str]) -> bool:
        """True when ``span`` shares a character with a mention of one of ``entity_ids``."""
        for entity_id in entity_ids:
            starts, reach = self._mention_intervals(entity_id)
            n = bisect_left(starts, span.end)  # mentions starting before the span ends
            if n and reach[n - 1] > span.start:
                return True
        return False

    def _mention_intervals(self, entity_id: str) -> tuple[list[int], list[int]]:
        """Starts of an entity's mentions in order, and the furthest end reached so far."""
        found = self._intervals.get(entity_id)
        if found is None:
            ordered = sorted(self.mentions_by_entity.get(entity_id, ()))
            found = self._intervals[entity_id] = (
                [s.start for s in ordered],
                list(accumulate((s.end for s in ordered), max)),
            )
        return found

    def error(
        self,
        path: Path_,
        message: str,
        hint: str = "",
        code: str = "invalid",
        severity: Severity = "error",
    ) -> None:
        line, col = self.doc.where(path)
        self.report.add(
            self.doc.annotation_path,
            message,
            line=line,
            col=col,
            field=".".join(map(str, path)),
            hint=hint,
            code=code,
            severity=severity,
        )

    def warning(self, path: Path_, message: str, hint: str = "", *, code: str) -> None:
        # Every warning names its own code: a warning is a judgement call, never "invalid".
        self.error(path, message, hint, code, severity="warning")

    def entity(self, path: Path_, entity_id: str | None) -> None:
        if entity_id is None:
            return
        self.state.used_entities.add(entity_id)
        if entity_id not in self.state.entity_ids:
            self.error(
                path,
                f"unknown entity {entity_id!r}",
                close_match(entity_id, self.state.entity_ids),
                "dangling_ref",
            )


def check_document(doc: Document, state: CorpusState, report: Report) -> None:
    """Run every cross-record check on one anchored document."""
    c = _DocChecker(doc, state, report)
    ann = doc.annotation
    meta = ann.metadata
    c.entity(("metadata", "outlet_entity"), meta.outlet_entity)
    for i, wire in enumerate(meta.wire_sources):
        c.entity(("metadata", "wire_sources", i, "entity"), wire.entity)

    # Ids: unique across the document, references resolve to the right kind.
    kinds: dict[str, str] = {}
    ids: list[tuple[str, list[str]]] = [
        ("quote", [q.id for q in ann.quotes]),
        ("event", [e.id for e in ann.events]),
        ("stance", [s.id for s in ann.stances]),
    ]
    for kind, item_ids in ids:
        for i, item_id in enumerate(item_ids):
            path: Path_ = (f"{kind}s", i, "id")
            if item_id in kinds:
                c.error(
                    path,
                    f"duplicate id {item_id!r} (already {a(kinds[item_id])})",
                    code="duplicate_id",
                )
            else:
                kinds[item_id] = kind

    def ref(path: Path_, value: str | None, kind: str) -> None:
        if value is not None and kinds.get(value) != kind:
            ids = [k for k, v in kinds.items() if v == kind]
            c.error(path, f"unknown {kind} id {value!r}", close_match(value, ids), "dangling_ref")

    for ref_path, entity_id in entity_refs(ann):
        c.entity(ref_path, entity_id)
    for i, q in enumerate(ann.quotes):
        ref(("quotes", i, "parent"), q.parent, "quote")
    for i, e in enumerate(ann.events):
        ref(("events", i, "source_quote"), e.source_quote, "quote")
        if e.time is not None and e.time.relative and e.time.span is None:
            c.error(("events", i, "time"), "a relative time needs the span it was resolved from")
        if e.cross_doc_id is not None:
            state.cross_doc[e.cross_doc_id].append((doc.doc_id, e.id, e.type))
    for i, e in enumerate(ann.events):
        _check_core_roles(c, i, e.type, {a.role for a in e.arguments}, set(e.missing_roles))
    for i, s in enumerate(ann.stances):
        ref(("stances", i, "target", "event"), s.target.event, "event")
        if s.target.claim is not None:
            state.used_claims.add(s.target.claim)
            if s.target.claim not in state.claim_ids:
                c.error(
                    ("stances", i, "target", "claim"),
                    f"unknown claim {s.target.claim!r}",
                    close_match(s.target.claim, state.claim_ids)
                    or f"add it to {CLAIMS_FILE} beside the texts",
                    "dangling_ref",
                )
        for j, qid in enumerate(s.quotes):
            ref(("stances", i, "quotes", j), qid, "quote")

    _check_quote_nesting(c)
    _check_mentions(c)
    _check_speakers(c)
    _check_zones(c)
    _check_quotation_marks(c)


def _check_core_roles(
    c: _DocChecker, i: int, event_type: str, roles: set[str], explained: set[str]
) -> None:
    """Warn about a core role left empty without a reason, and a reason for a filled role."""
    for slot in missing_core_roles(event_type, roles):
        if not explained.intersection(slot.split("|")):
            c.warning(
                ("events", i, "arguments"),
                f"{event_type} event has no {slot.replace('|', ' or ')} (a core role)",
                "fill it from anywhere in the document (an earlier sentence, a plural mention), "
                "or give the reason in missing_roles",
                code="core_role",
            )
    core = {role for slot in CORE_ROLES.get(event_type, ()) for role in slot}
    for role in sorted(explained):
        if role in roles or role not in core:
            what = "is filled" if role in roles else f"is not a core role of {event_type}"
            c.warning(
                ("events", i, "missing_roles", role),
                f"missing_roles gives a reason for {role!r}, which {what}",
                "remove it",
                code="core_role",
            )


def _check_quote_nesting(c: _DocChecker) -> None:
    quotes = {q.id: (i, q) for i, q in enumerate(c.doc.annotation.quotes)}
    for i, q in enumerate(c.doc.annotation.quotes):
        seen = {q.id}
        parent = q.parent
        while parent is not None and parent in quotes:
            if parent in seen:
                c.error(("quotes", i, "parent"), f"quote nesting forms a cycle through {parent!r}")
                break
            seen.add(parent)
            parent = quotes[parent][1].parent
        if q.parent in quotes:
            child = c.doc.span("quotes", i, "content")
            outer = c.doc.span("quotes", quotes[q.parent][0], "content")
            if (
                child
                and outer
                and not (outer.start - 1 <= child.start and child.end <= outer.end + 1)
            ):
                c.error(
                    ("quotes", i, "content"), f"nested quote lies outside its parent {q.parent!r}"
                )


def _check_mentions(c: _DocChecker) -> None:
    located = sorted((span.start, span.end, path) for path, span in c.mentions)
    plural = c.doc.annotation.plural_mentions

    def owner(path: Path_) -> str:
        if path[0] == "plural_mentions":
            return "+".join(plural[int(path[1])].entities)
        return str(path[1])

    for (s1, e1, p1), (s2, e2, p2) in pairwise(located):
        if s2 < e1:
            what = "is annotated twice" if (s1, e1) == (s2, e2) else "overlaps"
            c.error(
                p2,
                f"mention {c.doc.text[s2:e2]!r} ({owner(p2)}) {what} "
                f"{c.doc.text[s1:e1]!r} ({owner(p1)})",
                "mentions never nest: keep the longest name; an expression that refers to "
                "several entities is one plural mention",
                "overlap",
            )


def _check_speakers(c: _DocChecker) -> None:
    spans = c.doc.spans
    types = c.state.entity_types
    for i, q in enumerate(c.doc.annotation.quotes):
        kind = types.get(q.speaker or "")
        if (q.speaker_reference == "name" and kind not in (None, "person")) or (
            q.speaker_reference == "organization" and kind == "person"
        ):
            c.error(
                ("quotes", i, "speaker_reference"),
                f"speaker_reference {q.speaker_reference!r} does not fit {a(kind)} speaker",
                "name is for people, organization for institutions and states",
            )
        mention = spans.get(("quotes", i, "speaker_mention"))
        speakers = (q.speaker, *q.additional_speakers) if q.speaker else ()
        if mention is None or not speakers or c.unresolved_entities.intersection(speakers):
            continue
        if not c.overlaps_mention(mention, speakers):
            c.error(
                ("quotes", i, "speaker_mention"),
                f"speaker mention {mention.text!r} is not a mention of {q.speaker!r}",
                f"add it to mentions.{q.speaker}",
                "speaker_mention",
            )
    for i, e in enumerate(c.doc.annotation.events):
        for j, arg in enumerate(e.arguments):
            if arg.entity is None:
                continue
            span = spans.get(("events", i, "arguments", j, "span"))
            if arg.entity in c.unresolved_entities:
                continue
            if span is not None and not c.overlaps_mention(span, (arg.entity,)):
                c.warning(
                    ("events", i, "arguments", j, "span"),
                    f"argument {span.text!r} is not a mention of {arg.entity!r}",
                    code="argument_mention",
                )


def _check_zones(c: _DocChecker) -> None:
    zones = [
        (span, z.kind)
        for i, z in enumerate(c.doc.annotation.zones)
        if z.kind in BOILERPLATE_ZONES and (span := c.doc.span("zones", i, "span"))
    ]
    if not zones:
        return
    # A span can only lie inside a zone that starts at or before it: the zones
    # by start, with the furthest end reached so far, rule most spans out at once.
    by_start = sorted((zone.start, zone.end) for zone, _ in zones)
    starts = [start for start, _ in by_start]
    reach = list(accumulate((end for _, end in by_start), max))
    for path, span in c.doc.spans.items():
        if path[0] in {"zones", "metadata", "source_notes", "non_speech_quotations"}:
            continue
        n = bisect_right(starts, span.start)
        if not n or reach[n - 1] < span.end:
            continue
        for zone, kind in zones:
            if zone.start <= span.start and span.end <= zone.end:
                c.error(
                    path,
                    f"{span.text!r} lies inside {a(kind)} zone, which is not body",
                    code="zone",
                )
                break


def _check_quotation_marks(c: _DocChecker) -> None:
    # A quote's content or a marked span, widened by one character on each
    # side for its marks; a mark is covered when an interval starting at or
    # before it reaches past it.
    spans = c.doc.spans
    ann = c.doc.annotation
    keys = [
        *(("quotes", i, "content") for i in range(len(ann.quotes))),
        *(("non_speech_quotations", i, "span") for i in range(len(ann.non_speech_quotations))),
    ]
    if any(key not in spans for key in keys):
        # A quote that did not resolve (already reported) leaves its marks
        # uncovered: reporting them would only repeat that error.
        return
    intervals = sorted((spans[key].start - 1, spans[key].end + 1) for key in keys)
    starts = [start for start, _ in intervals]
    reach = list(accumulate((end for _, end in intervals), max))
    text = c.doc.text
    for offset in _quotation_marks(text):
        char = text[offset]
        n = bisect_right(starts, offset)
        if not n or reach[n - 1] <= offset:
            line = text.count("\n", 0, offset) + 1
            col = offset - (text.rfind("\n", 0, offset) + 1) + 1
            c.report.add(
                c.doc.text_path,
                f"quotation mark {char!r} is not part of an annotated quote",
                line=line,
                col=col,
                hint="annotate the quote, or list it in non_speech_quotations with a reason",
                code="uncovered_quotation",
            )


# ---------------------------------------------------------------------------
# Across documents


def check_cross_document(
    state: CorpusState, report: Report, registry_path: Path, claims_path: Path | None = None
) -> None:
    """Checks that need the whole corpus: unused entities and claims.

    A ``cross_doc_id`` stands for one real-world event whatever type each
    article gives its mention (schema 2.0), so several types under one id are
    expected and not reported.
    """
    if not report.ok:
        return  # unusable documents were skipped, so "unused" would be a guess
    if not state.doc_ids:
        return
    registries = (
        ("entity", "entities", registry_path, state.entity_ids - state.used_entities),
        ("claim", "claims", claims_path, state.claim_ids - state.used_claims),
    )
    for kind, key, path, unused in registries:
        if path is None or not unused:
            continue
        id_at = _registry_id_locations(path, key)
        for item_id in sorted(unused):
            line, col = id_at.get(item_id, (1, 1))
            report.add(
                path,
                f"{kind} {item_id!r} is never used",
                line=line,
                col=col,
                code=f"unused_{kind}",
                severity="warning",
            )


def _registry_id_locations(path: Path, key: str = "entities") -> dict[str, tuple[int, int]]:
    """``(line, col)`` of each id listed under ``key`` in a registry (read again: only for
    warnings)."""
    try:
        data, locations = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlError):
        return {}
    items = data.get(key) if isinstance(data, dict) else None
    return {
        item["id"]: locations[(key, i, "id")]
        for i, item in enumerate(items if isinstance(items, list) else [])
        if isinstance(item, dict)
        and isinstance(item.get("id"), str)
        and (key, i, "id") in locations
    }


def check_splits(
    path: Path,
    splits: dict[str, object],
    doc_ids: list[str],
    report: Report,
    locations: Locations | None = None,
) -> None:
    """Every document in exactly one split, and no unknown document."""
    seen: dict[str, str] = {}
    known = set(doc_ids)
    for split in ("train", "validation", "test"):
        members = splits[split]
        assert isinstance(members, list)
        for i, doc_id in enumerate(members):
            line, col = (locations or {}).get((split, i), (1, 1))  # else: the file as a whole
            if doc_id in seen:
                report.add(
                    path,
                    f"document {doc_id!r} is in both {seen[doc_id]} and {split}",
                    line=line,
                    col=col,
                    field=f"{split}.{i}",
                    code="split_overlap",
                )
            seen[doc_id] = split
            if doc_id not in known:
                report.add(
                    path,
                    f"unknown document {doc_id!r}",
                    line=line,
                    col=col,
                    field=f"{split}.{i}",
                    hint=close_match(doc_id, doc_ids),
                    code="dangling_ref",
                )
    for doc_id in doc_ids:
        if doc_id not in seen:
            report.add(
                path,
                f"document {doc_id!r} is in no split",
                line=1,
                col=1,
                code="split_missing",
                hint="add it to train, validation or test",
            )
