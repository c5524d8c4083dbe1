"""Count, per layer of the ``tokens`` config, the spans that its BIO tags cannot hold.

Every span of the layers (mentions, quote contents, inner quotes, cues,
speaker mentions, event triggers) is encoded over the official tokens; a span
whose ends are not token boundaries, that crosses a paragraph, or that
overlaps another span of its layer is lost, and listed here with its place.

Usage: python scripts/token_alignment.py [--root seeds]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from kimputin_ds.errors import Report
from kimputin_ds.records import document_records
from kimputin_ds.tokens import LAYERS, token_records
from kimputin_ds.validation import checked_documents, open_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("seeds"), help="corpus directory")
    args = parser.parse_args(argv)
    report = Report()
    run = open_corpus(args.root, report)
    spans: Counter[str] = Counter()
    lost: Counter[str] = Counter()
    documents = 0
    for doc in checked_documents(run, report):
        documents += 1
        records = document_records(doc, run.entities)
        _, counts, missing = token_records(doc.doc_id, doc.text, records)
        for name, count in counts.items():
            spans[name] += count.spans
            lost[name] += count.lost
        for name, span, reason in missing:
            print(f"{doc.annotation_path}: {name} {doc.text[span.start : span.end]!r} "
                  f"({span.start}-{span.end}): {reason}")  # fmt: skip
    if not report.ok:
        print(report.to_text())
        return 1
    print(f"{documents} documents")
    print(f"{'layer':<14}{'spans':>7}{'lost':>6}")
    for name in LAYERS:
        print(f"{name:<14}{spans[name]:>7}{lost[name]:>6}")
    print(f"{'total':<14}{sum(spans.values()):>7}{sum(lost.values()):>6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
