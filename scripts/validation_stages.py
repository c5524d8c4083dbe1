"""Where validation spends its time per document, stage by stage.

Usage::

    python scripts/validation_stages.py CORPUS_DIR [--repeat 3]

Reads and parses every annotation file first (not timed), then times each
stage of :func:`kimputin_ds.validation.validate_corpus`'s per-document work
in its own loop over all documents, with the garbage collector off: the
pydantic models, the walk that finds the spans, anchoring (and, inside it,
the bare ``str.find`` search for each distinct span text), and the
cross-record checks. Prints milliseconds per document, the fastest of
``--repeat`` runs. Each stage runs in its own loop, so the sum is a little
above the per-document cost of a real, interleaved run.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    """Print the per-document cost of each validation stage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a corpus directory (seeds/ or a synthetic one)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage; fastest kept")
    args = parser.parse_args(argv)

    from kimputin_ds.anchoring import Anchorer, occurrences
    from kimputin_ds.corpus import Document, iter_span_refs
    from kimputin_ds.errors import Report
    from kimputin_ds.models import AnnotationFile
    from kimputin_ds.validation import check_document, open_corpus
    from kimputin_ds.yamlio import load_yaml

    root: Path = args.corpus
    report = Report()
    run = open_corpus(root, report)
    ids = run.files.doc_ids
    texts = {i: (root / f"{i}.txt").read_text(encoding="utf-8") for i in ids}
    parsed = {i: load_yaml((root / f"{i}.yaml").read_text(encoding="utf-8")) for i in ids}
    n = len(ids)
    best: dict[str, float] = {}

    def timed(name: str, work: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        result = work(*args)
        seconds = time.perf_counter() - started
        best[name] = min(best.get(name, seconds), seconds)
        return result

    def anchor_all(refs: dict[str, list[Any]]) -> dict[str, dict[Any, Any]]:
        spans = {}
        for i in ids:
            resolve = Anchorer(texts[i]).anchor
            spans[i] = {
                path: resolve(ref)
                if isinstance(ref, str)
                else resolve(ref.text, ref.occurrence, ref.prefix)
                for path, ref in refs[i]
            }
        return spans

    def search_only(refs: dict[str, list[Any]]) -> None:
        for i in ids:
            for needle in {ref if isinstance(ref, str) else ref.text for _, ref in refs[i]}:
                occurrences(texts[i], needle)

    def validate_models() -> dict[str, AnnotationFile]:
        return {i: AnnotationFile.model_validate(parsed[i][0]) for i in ids}

    def walk(models: dict[str, AnnotationFile]) -> dict[str, list[Any]]:
        return {i: list(iter_span_refs(models[i])) for i in ids}

    def check(docs: list[Document]) -> None:
        state = open_corpus(root, Report()).state  # fresh cross-document state per run
        for doc in docs:
            check_document(doc, state, report)

    gc.disable()
    for _ in range(max(1, args.repeat)):
        models = timed("pydantic", validate_models)
        refs = timed("walk", walk, models)
        spans = timed("anchor", anchor_all, refs)
        timed("  of which str.find", search_only, refs)
        docs = [
            Document(
                i,
                texts[i],
                root / f"{i}.txt",
                root / f"{i}.yaml",
                models[i],
                spans[i],
                parsed[i][1],
            )
            for i in ids
        ]
        timed("checks", check, docs)
    gc.enable()
    if not report.ok:
        print(report.to_text())
        return 1
    spans_per_doc = sum(len(s) for s in spans.values()) / n
    print(f"{n} documents, {spans_per_doc:.0f} spans per document")
    print("| stage | ms per document |\n|---|---:|")
    for name, seconds in best.items():
        print(f"| {name} | {seconds / n * 1e3:.3f} |")
    total = sum(v for k, v in best.items() if not k.startswith(" "))
    print(f"| total | {total / n * 1e3:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
