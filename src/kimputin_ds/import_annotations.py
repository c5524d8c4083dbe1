"""``python -m kimputin_ds.import_annotations``: turn a tool's annotations of one article into YAML.

A curator pre-annotates an article in BRAT or Label Studio; this writes the
annotation file a careful curator would type: every span as its exact text,
with ``prefix`` or ``occurrence`` only where the text occurs more than once,
labels checked against the models' label sets, entities against the
registry. Whatever cannot be mapped is reported with the tool's own id
(``T12``, a Label Studio region id) and nothing is written; nothing is
dropped silently. The file is never written over: the output must be new.

The written file is then validated like the corpus; its problems are
reported with their lines, and the exit status is 1 until they are fixed.

Exit status: 0 when the file was written and is valid, 1 otherwise, 2 for a
usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kimputin_ds.errors import KimputinError, Report

FORMATS = ("brat", "labelstudio")


def import_document(
    fmt: str,
    source: Path,
    doc_id: str,
    corpus: Path,
    report: Report,
    *,
    annotation_id: str | None = None,
) -> str | None:
    """Read one article's annotations from a tool and return the YAML text (None on errors).

    Args:
        fmt: ``brat`` or ``labelstudio``.
        source: The BRAT ``.ann`` (or its directory), or the Label Studio JSON export.
        doc_id: The document id; its text is ``<corpus>/<doc_id>.txt``.
        corpus: The corpus directory (text and entity registry).
        report: Where problems go.
        annotation_id: Label Studio only: which annotation of the task to import.
    """
    from kimputin_ds.corpus import TEXT_SUFFIX, decode_text, read_bytes
    from kimputin_ds.formats.drafts import curated, to_yaml, write_spans
    from kimputin_ds.formats.from_graph import from_graph
    from kimputin_ds.formats.source import registry

    text_path = corpus / f"{doc_id}{TEXT_SUFFIX}"
    data = read_bytes(text_path, report)
    text = None if data is None else decode_text(text_path, data, report, allow_bom=True)
    entities = registry(corpus, report)
    if data is None or text is None or not report.ok:
        return None
    if fmt == "brat":
        from kimputin_ds.formats import brat

        ann = source / f"{doc_id}{brat.ANN_SUFFIX}" if source.is_dir() else source
        if not ann.exists() and not ann.is_symlink():
            report.add(ann, "BRAT .ann file not found", code="missing")
            return None
        graph = brat.read_graph(ann, text, doc_id, report)
        where = str(ann)
    else:
        from kimputin_ds.formats import labelstudio

        graph = labelstudio.read_graph(source, text, doc_id, report, annotation_id)
        where = str(source)
    if not report.ok:
        return None
    graph.document = {**document_fields(corpus, doc_id, data), **graph.document}
    types = {k: e.type for k, e in entities.items()}
    imported = from_graph(graph, types, report, where)
    if not report.ok:
        return None
    model = write_spans(imported, text, doc_id, report, where)
    if model is None:
        return None
    header = f"Imported from {fmt} ({source.name}) by kimputin_ds.import_annotations."
    return to_yaml(curated(model, text), header)


def document_fields(corpus: Path, doc_id: str, data: bytes) -> dict[str, Any]:
    """The document's own fields for an import whose tool does not carry them.

    From the article's annotation file when it exists (made by
    ``kimputin-new``, or an earlier version), else only the text's
    fingerprint; the tool's own copy (BRAT sidecar, Label Studio task data)
    takes precedence over both.
    """
    from kimputin_ds.corpus import ANNOTATION_SUFFIX, read_model
    from kimputin_ds.fingerprint import BOM, fingerprint
    from kimputin_ds.formats.graph import document_fields as fields_of
    from kimputin_ds.models import AnnotationFile

    existing = corpus / f"{doc_id}{ANNOTATION_SUFFIX}"
    if existing.exists():
        model, _ = read_model(existing, AnnotationFile, Report())
        if model is not None:
            return fields_of(model)
    sha256, length = fingerprint(data)
    text: dict[str, Any] = {"sha256": sha256, "length": length}
    if b"\r\n" in data:
        text["crlf"] = True
    if data.startswith(BOM):
        text["bom"] = True
    return {"text": text}


def check_written(corpus: Path, doc_id: str, path: Path, report: Report) -> None:
    """Validate the written file as the corpus validator would, problems located in it."""
    from kimputin_ds.corpus import load_document
    from kimputin_ds.validation import check_document, open_corpus

    run = open_corpus(corpus, Report())
    doc = load_document(corpus, doc_id, report, annotation_path=path)
    if doc is not None:
        check_document(doc, run.state, report)


def main(argv: list[str] | None = None) -> int:
    """Import one article's annotations from BRAT or Label Studio.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(
        prog="kimputin-import",
        description="Write an article's annotation file from BRAT or Label Studio annotations.",
    )
    parser.add_argument("--format", required=True, choices=FORMATS, help="the tool's format")
    parser.add_argument(
        "--input",
        required=True,
        type=Path,
        help="BRAT: the .ann file (or its directory); Label Studio: the exported JSON",
    )
    parser.add_argument("--doc-id", required=True, help="the article's document id")
    parser.add_argument(
        "--corpus", type=Path, default=Path("seeds"), help="corpus directory (default: ./seeds)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="the annotation file to write (default: <corpus>/<doc-id>.yaml); must not exist",
    )
    parser.add_argument(
        "--annotation-id", help="Label Studio: the annotation to import when a task has several"
    )
    args = parser.parse_args(argv)

    output: Path = args.output or args.corpus / f"{args.doc_id}.yaml"
    report = Report()
    if output.exists() or output.is_symlink():
        print(
            f"error: {output} exists; imports never write over a file (choose another --output)",
            file=sys.stderr,
        )
        return 1
    try:
        yaml_text = import_document(
            args.format,
            args.input,
            args.doc_id,
            args.corpus,
            report,
            annotation_id=args.annotation_id,
        )
    except KimputinError as exc:
        report.extend(exc.report)
        report.add(args.input, str(exc))
        yaml_text = None
    if yaml_text is None:
        for issue in report:
            print(issue.format(), file=sys.stderr)
        print(
            f"FAILED: nothing written; {len(report.errors)} error(s) in {args.input}",
            file=sys.stderr,
        )
        return 1
    try:
        with output.open("x", encoding="utf-8") as f:
            f.write(yaml_text)
    except OSError as exc:
        print(f"error: cannot write {output}: {exc.strerror}", file=sys.stderr)
        return 1
    check_written(args.corpus, args.doc_id, output, report)
    for issue in report:
        print(issue.format(), file=sys.stderr)
    status = "OK" if report.ok else "INVALID"
    print(
        f"{status}: wrote {output}; {len(report.errors)} error(s), "
        f"{len(report) - len(report.errors)} warning(s)",
        file=sys.stderr,
    )
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
