"""Where the export step spends its time, stage by stage, against the pyarrow lower bound.

Usage::

    python scripts/export_stages.py CORPUS_DIR [--repeat 3]

Produces every row of the release first, the way the build does (not
timed). Then, for each config and split, it times three stages, each in its
own loop over all the files and with the garbage collector off:

- extracting each column from the row dicts, with labels encoded to
  ClassLabel ids (``features.column_encoders``);
- converting those Python lists to Arrow arrays of the release's types;
- writing the resulting tables to Parquet with the build's settings.

The last stage alone is what ``scripts/benchmark.py`` calls the pyarrow lower
bound. Prints seconds per stage, the fastest of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    """Print the cost of each export stage, summed over every file of a release."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a corpus directory (seeds/ or a synthetic one)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage; fastest kept")
    args = parser.parse_args(argv)

    import pyarrow as pa
    import pyarrow.parquet as pq

    from kimputin_ds.build import data_path
    from kimputin_ds.card import SPLITS
    from kimputin_ds.errors import Report
    from kimputin_ds.features import arrow_schema, column_encoders
    from kimputin_ds.records import document_records, entity_rows, referenced_entities
    from kimputin_ds.rows import CONFIGS
    from kimputin_ds.validation import checked_documents, finish_corpus, open_corpus

    report = Report()
    run = open_corpus(args.corpus, report)
    split_of = run.split_of()
    rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    referenced: dict[str, Counter[str]] = {s: Counter() for s in SPLITS}
    for doc in checked_documents(run, report):
        split = split_of[doc.doc_id]
        for config, config_rows in document_records(doc, run.entities, claims=run.claims).items():
            rows.setdefault((config, split), []).extend(config_rows)
        referenced[split].update(referenced_entities(doc))
    finish_corpus(run, report)
    if not report.ok:
        print(report.to_text())
        return 1
    for split, counts in referenced.items():
        rows.setdefault(("entities", split), []).extend(entity_rows(run.entities, counts))

    schemas = {c: arrow_schema(m) for c, m in CONFIGS.items()}
    encoders = {c: column_encoders(m) for c, m in CONFIGS.items()}
    pool = pa.system_memory_pool()  # as the build
    best: dict[str, float] = {}

    def timed(name: str, work: Callable[..., Any], *args: Any) -> Any:
        started = time.perf_counter()
        result = work(*args)
        seconds = time.perf_counter() - started
        best[name] = min(best.get(name, seconds), seconds)
        return result

    def extract() -> dict[tuple[str, str], list[list[Any]]]:
        return {key: [col(r) for col in encoders[key[0]]] for key, r in rows.items() if r}

    def convert(values: dict[tuple[str, str], list[list[Any]]]) -> dict[tuple[str, str], Any]:
        tables = {}
        for (config, split), columns in values.items():
            schema = schemas[config]
            arrays = [
                pa.array(v, type=t, memory_pool=pool)
                for v, t in zip(columns, schema.types, strict=True)
            ]
            tables[(config, split)] = pa.Table.from_arrays(arrays, schema=schema)
        return tables

    def write(tables: dict[tuple[str, str], Any], out: Path) -> None:
        for (config, split), table in tables.items():
            path = out / data_path(config, split)
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, path, compression="zstd", write_statistics=True)

    gc.disable()
    with tempfile.TemporaryDirectory() as scratch:
        for _ in range(max(1, args.repeat)):
            values = timed("extract and encode labels", extract)
            tables = timed("convert to Arrow", convert, values)
            timed("write Parquet (the pyarrow lower bound)", write, tables, Path(scratch))
            del values, tables
    gc.enable()
    n_rows = sum(map(len, rows.values()))
    files = sum(1 for r in rows.values() if r)
    print(f"{len(run.files.doc_ids)} documents, {n_rows} rows, {files} files")
    print("| stage | seconds |\n|---|---:|")
    for name, seconds in best.items():
        print(f"| {name} | {seconds:.3f} |")
    print(f"| total | {sum(best.values()):.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
