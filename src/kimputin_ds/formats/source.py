"""The corpus an export reads: validated first, then streamed one document at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kimputin_ds.corpus import ENTITIES_FILE, Document, iter_documents, load_registry
from kimputin_ds.errors import KimputinError, Report
from kimputin_ds.models import Claim, Entity
from kimputin_ds.validation import open_corpus, validate_corpus


@dataclass
class Corpus:
    """A valid corpus directory: its registry, split of each document, and documents.

    Attributes:
        root: The corpus directory.
        entities: The registry, by id.
        splits: Document id -> split name.
        claims: The claim registry, by id.
    """

    root: Path
    entities: dict[str, Entity]
    splits: dict[str, str]
    claims: dict[str, Claim] = field(default_factory=dict)

    @property
    def entity_types(self) -> dict[str, str]:
        """Registry id -> entity type."""
        return {k: e.type for k, e in self.entities.items()}

    @property
    def entity_names(self) -> dict[str, str]:
        """Registry id -> canonical name."""
        return {k: e.name for k, e in self.entities.items()}

    def records(self, doc: Document) -> dict[str, list[Any]]:
        """The document's release rows by config, as the build makes them."""
        from kimputin_ds.records import document_records

        return dict(document_records(doc, self.entities, claims=self.claims))

    def documents(self) -> Iterator[Document]:
        """Each document, in id order."""
        report = Report()
        run = open_corpus(self.root, report)
        yield from iter_documents(run.files, report)
        if not report.ok:  # the corpus changed since it was validated
            raise KimputinError(f"{self.root}: the corpus no longer loads", report)


def open_valid_corpus(root: Path) -> Corpus:
    """Validate ``root`` and open it; an invalid corpus is an error (exports need valid spans).

    Raises:
        KimputinError: Carrying the validation report, when the corpus has errors.
    """
    report = validate_corpus(root)
    if not report.ok:
        raise KimputinError(f"{root}: the corpus does not validate; nothing exported", report)
    run = open_corpus(root, Report())
    return Corpus(root, run.entities, run.split_of(), run.claims)


def registry(root: Path, report: Report) -> dict[str, Entity]:
    """The entity registry of a corpus directory (problems go to ``report``)."""
    return load_registry(root / ENTITIES_FILE, report)
