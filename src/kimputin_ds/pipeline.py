"""The per-document work of validate and build, as one pure function of its inputs.

A document's work — read, parse, anchor, check and, for a build, flatten into
rows and convert them to Arrow — depends only on its two files and on the
corpus-wide inputs (:class:`CorpusInputs`: the registry and the split
assignment; the code version is the installed package). :func:`process_chunk`
does it for a chunk of documents and returns everything the caller merges:
the issues, the document's contribution to the corpus-wide state, and the
Arrow batches. The caller merges chunks in document order, so a run on one
process and a run on many give the same report and the same release, byte
for byte.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kimputin_ds.corpus import load_document
from kimputin_ds.corpus_facts import Article
from kimputin_ds.errors import Issue, Report
from kimputin_ds.models import Claim, Entity
from kimputin_ds.parallel import chunked, ordered_map
from kimputin_ds.validation import CorpusState, ScheduledCollection, check_document

if TYPE_CHECKING:
    import pyarrow as pa

    from kimputin_ds.batches import BatchConverter

#: Documents per chunk. Fixed, never derived from the number of workers: the
#: build converts each chunk's rows to one Arrow batch per file, and row
#: groups close at chunk boundaries, so this is what keeps a release
#: independent of ``--jobs``.
CHUNK_DOCS = 32


@dataclass(frozen=True)
class CorpusInputs:
    """The corpus-wide inputs of every document's work (sent once to each worker).

    Attributes:
        root: The corpus directory.
        entities: The registry's entities by id.
        split_of: Document id -> split name (empty when only validating).
        claims: The claim registry's claims by id.
    """

    root: Path
    entities: Mapping[str, Entity]
    split_of: Mapping[str, str] = field(default_factory=dict)
    claims: Mapping[str, Claim] = field(default_factory=dict)
    entity_ids: frozenset[str] = field(init=False, repr=False)
    entity_types: dict[str, str] = field(init=False, repr=False)
    claim_ids: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Derived once per corpus (and per worker), not once per document.
        object.__setattr__(self, "entity_ids", frozenset(self.entities))
        object.__setattr__(self, "entity_types", {k: e.type for k, e in self.entities.items()})
        object.__setattr__(self, "claim_ids", frozenset(self.claims))

    def fresh_state(self) -> CorpusState:
        """An empty corpus state over the registries, for one document."""
        return CorpusState(self.entity_ids, self.entity_types, claim_ids=self.claim_ids)


@dataclass
class DocOutcome:
    """What one document's checks found and contribute to the corpus-wide state.

    Attributes:
        doc_id: The document.
        issues: Every problem of the document (its files and its checks).
        state: The document's contribution to the corpus-wide state (its
            inputs left empty), or None when the document could not be loaded.
    """

    doc_id: str
    issues: list[Issue]
    state: CorpusState | None

    @property
    def failed(self) -> bool:
        """True when the document has an error."""
        return any(i.severity == "error" for i in self.issues)


@dataclass
class ChunkOutcome:
    """The merged work of a chunk of documents.

    Attributes:
        docs: One outcome per document, in document order.
        batches: For a build, one Arrow batch per (config, split) with rows.
        labels: For a build, label counts by (config, column).
        entity_counts: For a build, references to each entity, by split.
        articles: For a build, what the card says about each document.
        examples: For a build, the first row of each (config, split), with
            label names (the card's data instances).
    """

    docs: list[DocOutcome]
    batches: dict[tuple[str, str], pa.RecordBatch] = field(default_factory=dict)
    labels: dict[tuple[str, str], Counter[str]] = field(default_factory=dict)
    entity_counts: dict[str, Counter[str]] = field(default_factory=dict)
    articles: list[Article] = field(default_factory=list)
    examples: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Task:
    """A chunk of documents to process, and whether to produce release rows."""

    doc_ids: Sequence[str]
    rows: bool = False


def check_one(inputs: CorpusInputs, doc_id: str) -> tuple[DocOutcome, Any]:
    """Read, parse, anchor and check one document.

    Returns:
        The outcome, and the loaded document (None when it could not be loaded).
    """
    report = Report()
    doc = load_document(inputs.root, doc_id, report)
    state = None
    if doc is not None:
        state = inputs.fresh_state()
        check_document(doc, state, report)
        state.doc_ids.append(doc_id)
        state = dataclasses.replace(
            state, entity_ids=frozenset(), entity_types={}, claim_ids=frozenset()
        )
    return DocOutcome(doc_id, report.issues, state), doc


def process_chunk(inputs: CorpusInputs, task: Task) -> ChunkOutcome:
    """Do the work of every document of ``task``: a pure function of its inputs."""
    out = ChunkOutcome([])
    rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    with ScheduledCollection(every=len(task.doc_ids) + 1):
        for doc_id in task.doc_ids:
            outcome, doc = check_one(inputs, doc_id)
            out.docs.append(outcome)
            split = inputs.split_of.get(doc_id)
            if not task.rows or doc is None or outcome.failed or split is None:
                continue
            _add_rows(inputs, doc, split, rows, out)
    if rows:
        converter = _converter()
        out.batches = {key: converter.convert(key[0], r) for key, r in rows.items()}
    return out


def _add_rows(
    inputs: CorpusInputs,
    doc: Any,
    split: str,
    rows: dict[tuple[str, str], list[dict[str, Any]]],
    out: ChunkOutcome,
) -> None:
    from kimputin_ds.card import label_columns
    from kimputin_ds.records import document_records, referenced_entities

    # The tokens config reports the spans it cannot hold as warnings of the document.
    warnings = Report()
    records = document_records(doc, inputs.entities, warnings, claims=inputs.claims)
    out.articles.append(Article.from_row(records["documents"][0], split))
    for config, config_rows in records.items():
        if config_rows:
            out.examples.setdefault((config, split), config_rows[0])
        for column in label_columns(config):
            counter = out.labels.setdefault((config, column), Counter())
            counter.update(r[column] for r in config_rows if r[column] is not None)
        if config_rows:
            rows.setdefault((config, split), []).extend(config_rows)
    out.entity_counts.setdefault(split, Counter()).update(referenced_entities(doc))
    out.docs[-1].issues.extend(warnings.issues)


# ---------------------------------------------------------------------------
# Worker processes

_WORKER_INPUTS: CorpusInputs | None = None
_CONVERTER: BatchConverter | None = None


def _converter() -> BatchConverter:
    global _CONVERTER  # noqa: PLW0603 - one per process, built on first use
    if _CONVERTER is None:
        from kimputin_ds.batches import BatchConverter

        _CONVERTER = BatchConverter()
    return _CONVERTER


def _init_worker(inputs: CorpusInputs) -> None:
    global _WORKER_INPUTS  # noqa: PLW0603 - the corpus-wide inputs, once per worker
    _WORKER_INPUTS = inputs


def _run_task(task: Task) -> ChunkOutcome:
    assert _WORKER_INPUTS is not None, "worker started without its inputs"
    return process_chunk(_WORKER_INPUTS, task)


def process_corpus(
    inputs: CorpusInputs, doc_ids: Sequence[str], *, jobs: int = 1, rows: bool = False
) -> Iterator[ChunkOutcome]:
    """Process ``doc_ids`` in chunks on ``jobs`` processes; chunks come in document order.

    Args:
        inputs: The corpus-wide inputs.
        doc_ids: The documents, in the order their results are wanted.
        jobs: Worker processes (1: in this process). Never more than there are chunks.
        rows: Also produce release rows (a build).

    Yields:
        One :class:`ChunkOutcome` per chunk of :data:`CHUNK_DOCS` documents.
    """
    tasks = [Task(chunk, rows) for chunk in chunked(doc_ids, CHUNK_DOCS)]
    jobs = min(jobs, len(tasks))
    if jobs <= 1:
        for task in tasks:
            yield process_chunk(inputs, task)
        return
    yield from ordered_map(
        _run_task, tasks, jobs=jobs, initializer=_init_worker, initargs=(inputs,)
    )
