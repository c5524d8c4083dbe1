"""Reading a corpus for the pages: every valid document's release rows, and the registry.

Pages are drawn from the corpus itself (texts, annotation files, anchoring),
so they can be made before any build. A document with errors is left out and
its problems are kept in the report, which the index lists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kimputin_ds.corpus import iter_documents
from kimputin_ds.errors import Report
from kimputin_ds.models import Entity
from kimputin_ds.records import document_records
from kimputin_ds.validation import checked_documents, finish_corpus, open_corpus

Rows = dict[str, list[dict[str, Any]]]

#: Where the agreement figures live, relative to the corpus's parent directory.
AGREEMENT_REPORT = Path("agreement") / "report.json"


@dataclass
class Article:
    """One document: its raw text and its release rows by config (not the derived ones)."""

    doc_id: str
    text: str
    records: Rows
    split: str | None = None

    @property
    def document(self) -> dict[str, Any]:
        """The document's ``documents`` row."""
        return self.records["documents"][0]


@dataclass
class LoadedCorpus:
    """What the pages show of one corpus directory.

    Attributes:
        doc_ids: Every document the directory holds, readable or not.
    """

    root: Path
    articles: list[Article]
    entities: dict[str, Entity]
    report: Report
    agreement: dict[str, Any] | None = None
    doc_ids: list[str] = field(default_factory=list)
    by_id: dict[str, Article] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {a.doc_id: a for a in self.articles}

    def add(self, article: Article) -> None:
        """Add an article read another way (see :mod:`kimputin_ds.render.diff`)."""
        self.articles.append(article)
        self.by_id[article.doc_id] = article


def load_corpus(root: Path, agreement: Path | None = None, *, checked: bool = True) -> LoadedCorpus:
    """Validate and read a corpus directory for rendering.

    Args:
        root: The corpus directory (``seeds/``).
        agreement: The agreement report to show (default: ``agreement/report.json``
            beside the corpus directory, when it exists).
        checked: Run the validator's checks and leave out documents with errors.
            A diff's reference is read with ``checked=False``: a document that
            parses and anchors is compared even if today's rules reject it.

    Returns:
        The documents with their rows; the report holds every problem.
    """
    report = Report()
    run = open_corpus(root, report)
    split_of = run.split_of()
    articles = []
    docs = checked_documents(run, report) if checked else iter_documents(run.files, report)
    for doc in docs:
        try:
            records = document_records(doc, run.entities, claims=run.claims, derived=False)
        except ValueError as exc:  # an unanchored span, only when unchecked
            report.add(doc.annotation_path, f"cannot draw this document: {exc}", code="anchor")
            continue
        articles.append(Article(doc.doc_id, doc.text, records, split_of.get(doc.doc_id)))
    if checked:
        finish_corpus(run, report)
    path = agreement if agreement is not None else root.parent / AGREEMENT_REPORT
    figures = None
    if path.is_file():
        try:
            figures = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            report.add(path, f"cannot read the agreement report: {exc}", code="io")
    return LoadedCorpus(root, articles, run.entities, report, figures, list(run.files.doc_ids))
