"""CoNLL: the token-level view, one token per line, a BIO column per layer; a file per split.

The rows are those of the release's ``tokens`` config (:mod:`kimputin_ds.tokens`):
the official tokenizer (:mod:`kimputin_ds.tokenize`), one block per paragraph,
and the BIO encoding of :mod:`kimputin_ds.bio`. So the CoNLL files, the
``tokens`` config and the benchmark's scorer agree token for token.

The files follow CoNLL-U Plus: a ``# global.columns`` header naming the
columns, ``# newdoc id`` before each document, ``# sent_id`` and ``# text``
before each paragraph, tab-separated columns, a blank line after each
paragraph. The columns are ``ID`` (1-based within the paragraph), ``FORM``
(the token), ``START`` and ``END`` (code-point offsets into the document
text, so the text can be rebuilt exactly), then one BIO column per layer::

    # global.columns = ID FORM START END MENTIONS QUOTES ...
    # newdoc id = 002_793bd406832c2a25
    # sent_id = 002_793bd406832c2a25-p1
    # text = Presiden Vladimir Putin dan ...
    1	Presiden	0	8	O	O ...
    2	Vladimir	9	17	B-person	O ...

A tagger that reads plain column files takes ``FORM`` and a tag column and
skips the ``#`` lines. The export reads the corpus, or with ``--release`` the
``tokens`` config of a built release (the Parquet files), so a user of the
published dataset can make the same files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kimputin_ds.errors import KimputinError
from kimputin_ds.formats.output import OutputDir
from kimputin_ds.formats.source import Corpus
from kimputin_ds.tokens import LAYERS

SUFFIX = ".conll"
BASE_COLUMNS = ("ID", "FORM", "START", "END")


def columns() -> tuple[str, ...]:
    """The file's columns: ``ID FORM START END`` and a tag column per layer of the tokens config.

    >>> columns()[:5]
    ('ID', 'FORM', 'START', 'END', 'MENTIONS')
    """
    return (*BASE_COLUMNS, *(name.upper() for name in LAYERS))


def paragraph_block(row: Mapping[str, Any], text: str) -> str:
    """One paragraph (a ``tokens`` row with tag names) as CoNLL lines, blank line included."""
    lines = [f"# sent_id = {row['id']}", f"# text = {text}"]
    tag_columns = [row[layer.column] for layer in LAYERS.values()]
    for i, token in enumerate(row["tokens"]):
        cells = [str(i + 1), token, str(row["token_starts"][i]), str(row["token_ends"][i])]
        cells += [str(tags[i]) for tags in tag_columns]
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n\n"


def write_split(rows_by_doc: Iterable[tuple[str, str, list[Mapping[str, Any]]]]) -> str:
    """The text of one split's file from ``(doc_id, document text, token rows)``."""
    parts = [f"# global.columns = {' '.join(columns())}\n"]
    for doc_id, text, rows in rows_by_doc:
        parts.append(f"# newdoc id = {doc_id}\n")
        parts.extend(paragraph_block(row, text[row["start"] : row["end"]]) for row in rows)
    return "".join(parts)


Item = tuple[str, str, list[Mapping[str, Any]]]


def _corpus_rows(corpus: Corpus) -> Iterator[tuple[str, Item]]:
    for doc in corpus.documents():
        rows: list[Mapping[str, Any]] = [
            r if isinstance(r, Mapping) else r.model_dump() for r in corpus.records(doc)["tokens"]
        ]
        yield corpus.splits.get(doc.doc_id, "unassigned"), (doc.doc_id, doc.text, rows)


def export_corpus(corpus: Corpus, out: OutputDir) -> int:
    """Write one file per split from the corpus; return the number of documents."""
    splits: dict[str, list[tuple[str, str, list[Mapping[str, Any]]]]] = {}
    for split, item in _corpus_rows(corpus):
        splits.setdefault(split, []).append(item)
    for split, items in splits.items():
        out.write_text(f"{split}{SUFFIX}", write_split(items))
    return sum(len(items) for items in splits.values())


# ---------------------------------------------------------------------------
# From a built release


def _tag_names(feature: Any) -> list[str] | None:
    """The ClassLabel names of a list-of-ClassLabel column (a tag column), else None."""
    inner = feature.get("feature") if isinstance(feature, dict) else None
    if isinstance(inner, dict) and inner.get("_type") == "ClassLabel":
        return [str(n) for n in inner.get("names", [])]
    return None


def _read_config(release: Path, config: str) -> dict[str, list[dict[str, Any]]]:
    """A config's rows per split, ClassLabel integers turned back into names."""
    import pyarrow.parquet as pq

    found: dict[str, list[dict[str, Any]]] = {}
    for path in sorted((release / "data" / config).glob("*.parquet")):
        split = path.name.split("-", 1)[0]
        table = pq.read_table(path)
        metadata = table.schema.metadata or {}
        features = (
            json.loads(metadata.get(b"huggingface", b"{}")).get("info", {}).get("features", {})
        )
        names = {column: _tag_names(features.get(column)) for column in table.column_names}
        for row in table.to_pylist():
            for column, labels in names.items():
                if labels is not None and isinstance(row[column], list):
                    row[column] = [labels[v] for v in row[column]]
            found.setdefault(split, []).append(row)
    return found


def export_release(release: Path, out: OutputDir) -> int:
    """Write one file per split from a built release's ``tokens`` and ``documents`` configs."""
    tokens = _read_config(release, "tokens")
    documents = _read_config(release, "documents")
    if not tokens or not documents:
        raise KimputinError(
            f"{release}: no tokens or documents config (data/tokens/*.parquet); "
            "give a release built by kimputin-build"
        )
    texts = {row["doc_id"]: row["text"] for rows in documents.values() for row in rows}
    count = 0
    for split, rows in sorted(tokens.items()):
        by_doc: dict[str, list[Mapping[str, Any]]] = {}
        for row in rows:
            by_doc.setdefault(row["doc_id"], []).append(row)
        for doc_rows in by_doc.values():
            doc_rows.sort(key=lambda r: int(r["line"]))
        items = [(doc_id, texts[doc_id], doc_rows) for doc_id, doc_rows in by_doc.items()]
        out.write_text(f"{split}{SUFFIX}", write_split(items))
        count += len(items)
    return count
