"""Benchmark validation and the release build against the usual tools.

Usage::

    python scripts/benchmark.py --docs 10000 [--json PATH] [--keep DIR]
    python scripts/benchmark.py --docs 100000 --only validate,build,export --baseline b10k.json
    python scripts/benchmark.py --seeds

Generates (or reuses, with ``--keep DIR``) a synthetic corpus of ``--docs``
documents with ``scripts/synth_corpus.py``, then runs every measurement in a
fresh child process and records its wall time (``time.perf_counter``) and
peak memory (the child's maximum resident set size, from ``os.wait4``):

* ``validate``: ``python -m kimputin_ds.validate DIR``, end to end.
* ``build``: ``python -m kimputin_ds.build --root DIR --output TMP``, end to end.
* ``validate_checks``: our validation in process, with the time spent reading
  files and parsing YAML taken out (what the schema check is compared with).
* ``jsonschema``: ``jsonschema.Draft202012Validator`` with the exported JSON
  Schema over the same annotation records, parsed by the same YAML loader;
  parsing is timed separately (``jsonschema_with_parse`` adds it back).
* ``export``: our build's rows -> Parquet step alone (``kimputin_ds.build``'s
  writers: label encoding, Arrow conversion, Parquet, checksums), fed the
  rows document by document; producing the rows is not timed.
* ``datasets``: ``datasets.Dataset.from_list(rows, features=...).to_parquet``
  of the same rows, per config and split.
* ``pyarrow``: ``pyarrow.parquet.write_table`` of Arrow tables of the same
  rows built before timing (the lower bound of any rows -> Parquet path).

``datasets`` and ``pyarrow`` hold every row in memory by nature; the others
stream. ``export`` and ``pyarrow`` write with the build's settings (zstd,
statistics); ``datasets`` with its own (snappy, content-defined chunking, page
index), which ``to_parquet`` does not let a caller change. Results are
printed as a table with the ratios and the targets; ``--json`` writes one key
per measurement.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "scripts"
SEEDS = REPO / "seeds"
MIB = 1024 * 1024
ALL = ("validate", "build", "validate_checks", "jsonschema", "export", "datasets", "pyarrow")
PARQUET = {"compression": "zstd", "write_statistics": True}  # as kimputin_ds.build writes


# ---------------------------------------------------------------------------
# Running a measurement in a fresh process


def run_child(args: list[str], timeout: float | None = None) -> tuple[float, float, str]:
    """Run ``args``; return its wall seconds, peak RSS in MiB and standard output.

    Raises:
        RuntimeError: When the child fails.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, cwd=REPO)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, stdout  # ru_maxrss is in KiB on Linux


def child(mode: str, corpus: Path, out: Path) -> list[str]:
    """The command line of an in-process measurement run by this script."""
    return [sys.executable, str(Path(__file__).resolve()), "--child", mode, str(corpus), str(out)]


# ---------------------------------------------------------------------------
# In-process measurements (run as ``--child MODE CORPUS OUT``)


def _documents(corpus: Path) -> Iterator[tuple[str, dict[str, list[dict[str, Any]]]]]:
    """Yield ``(split, rows by config)`` per valid document, then the entities rows."""
    from collections import Counter

    from kimputin_ds.card import SPLITS
    from kimputin_ds.errors import Report
    from kimputin_ds.records import document_records, entity_rows, referenced_entities
    from kimputin_ds.validation import (
        ScheduledCollection,
        checked_documents,
        finish_corpus,
        open_corpus,
    )

    report = Report()
    run = open_corpus(corpus, report)
    split_of = run.split_of()
    counts: dict[str, Counter[str]] = {s: Counter() for s in SPLITS}
    # The garbage collector runs as in kimputin_ds.build's loop.
    with ScheduledCollection() as collection:
        for doc in checked_documents(run, report):
            collection.tick()
            split = split_of[doc.doc_id]
            yield split, document_records(doc, run.entities, run.claims)
            counts[split].update(referenced_entities(doc))
    finish_corpus(run, report)
    if not report.ok:
        raise SystemExit(report.to_text())
    for split, c in counts.items():
        yield split, {"entities": entity_rows(run.entities, c)}


def _all_rows(corpus: Path) -> dict[tuple[str, str], list[dict[str, Any]]]:
    rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for split, records in _documents(corpus):
        for config, config_rows in records.items():
            rows.setdefault((config, split), []).extend(config_rows)
    return rows


def measure_export(corpus: Path, out: Path) -> dict[str, float]:
    """Our build's export step: the release writers fed the rows document by document."""
    from kimputin_ds.build import DEFAULT_BATCH_ROWS, _Writers

    clock = time.perf_counter
    writers = _Writers(out, DEFAULT_BATCH_ROWS)
    spent = 0.0
    rows = 0
    for split, records in _documents(corpus):
        started = clock()
        for config, config_rows in records.items():
            writers.add(config, split, config_rows)
        spent += clock() - started
        rows += sum(map(len, records.values()))
    started = clock()
    files = writers.close()
    spent += clock() - started
    return {"seconds": spent, "rows": rows, "files": len(files)}


def measure_datasets(corpus: Path, out: Path) -> dict[str, float]:
    """``datasets.Dataset.from_list(...).to_parquet(...)`` of the same rows."""
    import datasets

    from kimputin_ds.build import data_path
    from kimputin_ds.features import features_dict
    from kimputin_ds.rows import CONFIGS

    datasets.disable_progress_bars()
    rows = _all_rows(corpus)
    features = {c: datasets.Features.from_dict(features_dict(m)) for c, m in CONFIGS.items()}
    started = time.perf_counter()
    for (config, split), config_rows in rows.items():
        path = out / data_path(config, split)
        path.parent.mkdir(parents=True, exist_ok=True)
        ds = datasets.Dataset.from_list(config_rows, features=features[config])
        # datasets' own Parquet settings (snappy, content-defined chunking, page
        # index): to_parquet does not let a caller change the compression.
        ds.to_parquet(str(path))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": sum(map(len, rows.values())), "files": len(rows)}


def measure_pyarrow(corpus: Path, out: Path) -> dict[str, float]:
    """``pyarrow.parquet.write_table`` of Arrow tables built before timing."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kimputin_ds.build import data_path
    from kimputin_ds.features import arrow_schema, row_encoder
    from kimputin_ds.rows import CONFIGS

    tables = {}
    for (config, split), config_rows in _all_rows(corpus).items():
        encode = row_encoder(CONFIGS[config])
        schema = arrow_schema(CONFIGS[config])
        tables[(config, split)] = pa.Table.from_pylist(
            [encode(r) for r in config_rows], schema=schema
        )
    started = time.perf_counter()
    for (config, split), table in tables.items():
        path = out / data_path(config, split)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, path, **PARQUET)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "rows": sum(t.num_rows for t in tables.values()),
        "files": len(tables),
    }


def _timed(function: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    return wrapper


def measure_validate_checks(corpus: Path, out: Path) -> dict[str, float]:
    """Our validation in process, minus the time spent reading files and parsing YAML."""
    from kimputin_ds import corpus as corpus_module
    from kimputin_ds.validation import validate_corpus

    read, parse = [0.0], [0.0]
    from kimputin_ds.yamlio import load_yaml

    setattr(corpus_module, "read_text", _timed(corpus_module.read_text, read))  # noqa: B010
    setattr(corpus_module, "load_yaml", _timed(load_yaml, parse))  # noqa: B010
    started = time.perf_counter()
    report = validate_corpus(corpus)
    total = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(report.to_text())
    return {
        "seconds": total - read[0] - parse[0],
        "total_seconds": total,
        "read_seconds": read[0],
        "parse_seconds": parse[0],
    }


def measure_jsonschema(corpus: Path, out: Path) -> dict[str, float]:
    """The exported JSON Schema checked with jsonschema over the parsed annotation files."""
    import jsonschema  # type: ignore[import-untyped]

    from kimputin_ds.corpus import discover
    from kimputin_ds.errors import Report
    from kimputin_ds.schema_export import render_schemas
    from kimputin_ds.validation import ScheduledCollection
    from kimputin_ds.yamlio import load_yaml

    schema = json.loads(render_schemas()["annotation.schema.json"])
    validator = jsonschema.Draft202012Validator(schema)
    files = discover(corpus, Report())
    read = parse = check = 0.0
    errors = 0
    clock = time.perf_counter
    # The same garbage-collector regime as our validation's loop, to be fair.
    with ScheduledCollection() as collection:
        for doc_id in files.doc_ids:
            collection.tick()
            t0 = clock()
            text = (corpus / f"{doc_id}.yaml").read_text(encoding="utf-8")
            t1 = clock()
            data, _ = load_yaml(text)
            t2 = clock()
            errors += sum(1 for _ in validator.iter_errors(data))
            t3 = clock()
            read, parse, check = read + t1 - t0, parse + t2 - t1, check + t3 - t2
    if errors:
        raise SystemExit(f"jsonschema found {errors} errors in a valid corpus")
    return {
        "seconds": check,
        "read_seconds": read,
        "parse_seconds": parse,
        "with_parse_seconds": read + parse + check,
    }


CHILDREN: dict[str, Callable[[Path, Path], dict[str, float]]] = {
    "export": measure_export,
    "datasets": measure_datasets,
    "pyarrow": measure_pyarrow,
    "validate_checks": measure_validate_checks,
    "jsonschema": measure_jsonschema,
}


# ---------------------------------------------------------------------------
# The benchmark


def _synth() -> Any:
    spec = importlib.util.spec_from_file_location("synth_corpus", SCRIPTS / "synth_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["synth_corpus"] = module  # dataclasses and worker processes look it up
    spec.loader.exec_module(module)
    return module


def corpus_for(docs: int, keep: Path | None, seed: int) -> tuple[Path, float | None]:
    """The corpus directory for ``docs`` documents, generated unless kept from before."""
    base = keep or Path(tempfile.mkdtemp(prefix="kimputin-bench-"))
    root = base / f"synth-{docs}-seed{seed}" / "seeds"
    marker = root / ".complete"
    if marker.exists():
        return root, None
    if root.exists():
        shutil.rmtree(root)
    started = time.perf_counter()
    _synth().generate(root, docs, seed=seed)
    seconds = time.perf_counter() - started
    marker.write_text(f"{docs} {seed}\n", encoding="utf-8")
    return root, seconds


def measure(name: str, corpus: Path, scratch: Path) -> dict[str, float]:
    """Run one measurement in a fresh process; its figures plus ``wall`` and ``rss_mib``."""
    out = scratch / name
    if out.exists():
        shutil.rmtree(out)
    py = sys.executable
    if name == "validate":
        wall, rss, _ = run_child([py, "-m", "kimputin_ds.validate", str(corpus)])
        result = {"seconds": wall}
    elif name == "build":
        wall, rss, _ = run_child(
            [py, "-m", "kimputin_ds.build", "--root", str(corpus), "--output", str(out)]
        )
        result = {"seconds": wall}
    else:
        out.mkdir(parents=True)
        wall, rss, stdout = run_child(child(name, corpus, out))
        result = json.loads(stdout.strip().splitlines()[-1])
    shutil.rmtree(out, ignore_errors=True)
    result.update({"wall": wall, "rss_mib": rss})
    return result


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def report(
    docs: int | str, results: dict[str, dict[str, float]], baseline: dict[str, Any] | None
) -> tuple[list[str], list[tuple[str, str, bool | None]]]:
    """The printed table and the targets ``(name, figures, passed)``."""
    lines = [
        f"corpus: {docs} documents; machine: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "",
        "| measurement | seconds | wall s (process) | peak RSS MiB |",
        "|---|---:|---:|---:|",
    ]
    for name, res in results.items():
        lines.append(
            f"| {name} | {res['seconds']:.3f} | {res['wall']:.3f} | {res['rss_mib']:.0f} |"
        )
    extra = results.get("jsonschema")
    if extra:
        lines.append(
            f"| jsonschema_with_parse | {extra['with_parse_seconds']:.3f} | | |",
        )
    lines.append("")

    def get(name: str, key: str = "seconds") -> float | None:
        return results[name][key] if name in results else None

    targets: list[tuple[str, str, bool | None]] = []

    def target(name: str, figure: str, passed: bool | None) -> None:
        targets.append((name, figure, passed))

    r = _ratio(get("jsonschema"), get("validate_checks"))
    if r is not None:
        target(
            "validate >= 10x faster than jsonschema (YAML parse excluded from both)",
            f"jsonschema {get('jsonschema'):.3f} s / ours {get('validate_checks'):.3f} s "
            f"= {r:.1f}x",
            r >= 10,
        )
    js_parse = get("jsonschema", "with_parse_seconds")
    r2 = _ratio(js_parse, get("validate_checks", "total_seconds"))
    if r2 is not None:
        target(
            "(info) validate incl. reading and parsing vs jsonschema incl. the same",
            f"{js_parse:.3f} s / {get('validate_checks', 'total_seconds'):.3f} s = {r2:.1f}x",
            None,
        )
    r = _ratio(get("datasets"), get("export"))
    if r is not None:
        target(
            "export faster than datasets",
            f"datasets {get('datasets'):.3f} s / export {get('export'):.3f} s = {r:.1f}x",
            r > 1,
        )
    r = _ratio(get("export"), get("pyarrow"))
    if r is not None:
        target(
            "export within 2x of the pyarrow lower bound",
            f"export {get('export'):.3f} s / pyarrow {get('pyarrow'):.3f} s = {r:.1f}x",
            r <= 2,
        )
    if isinstance(docs, int) and docs >= 100_000:
        for name in ("validate", "build"):
            if name in results:
                rss = results[name]["rss_mib"]
                target(f"{name} peak memory < 1 GiB", f"{rss:.0f} MiB", rss < 1024)
    if baseline and isinstance(docs, int):
        scale = docs / baseline["docs"]
        for name in ("validate", "build", "export"):
            old = baseline["results"].get(name)
            if name in results and old:
                g = results[name]["seconds"] / old["seconds"]
                target(
                    f"{name}: linear growth, time at {docs} <= {1.1 * scale:.0f}x time at "
                    f"{baseline['docs']}",
                    f"{results[name]['seconds']:.1f} s / {old['seconds']:.1f} s = {g:.2f}x",
                    g <= 1.1 * scale,
                )
    if docs == "seeds":
        for name, limit in (("validate", 1.0), ("build", 3.0)):
            seconds = get(name)
            if seconds is not None:
                target(f"seeds: {name} < {limit:.0f} s", f"{seconds:.2f} s", seconds < limit)
    lines.append("| target | figures | result |")
    lines.append("|---|---|---|")
    for name, figure, passed in targets:
        verdict = "info" if passed is None else ("PASS" if passed else "FAIL")
        lines.append(f"| {name} | {figure} | {verdict} |")
    return lines, targets


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, help="documents in the synthetic corpus")
    parser.add_argument("--seeds", action="store_true", help="measure validate and build on seeds/")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--keep", type=Path, help="keep (and reuse) generated corpora here")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument(
        "--only", default=",".join(ALL), help=f"comma-separated subset of {','.join(ALL)}"
    )
    parser.add_argument("--baseline", type=Path, help="a --json of a smaller run, for growth")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement; best kept")
    parser.add_argument(
        "--child", nargs=3, metavar=("MODE", "CORPUS", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)

    if args.child:
        mode, corpus, out = args.child
        print(json.dumps(CHILDREN[mode](Path(corpus), Path(out))))
        return 0
    if not args.seeds and not args.docs:
        parser.error("give --docs N or --seeds")

    generated = None
    if args.seeds:
        corpus, docs, names = SEEDS, "seeds", ["validate", "build"]
    else:
        corpus, generated = corpus_for(args.docs, args.keep, args.seed)
        docs, names = args.docs, [n for n in args.only.split(",") if n]
        unknown = set(names) - set(ALL)
        if unknown:
            parser.error(f"unknown measurement(s): {', '.join(sorted(unknown))}")
    if generated is not None:
        print(f"generated {docs} documents in {generated:.1f} s: {corpus}", file=sys.stderr)
    results: dict[str, dict[str, float]] = {}
    scratch = Path(tempfile.mkdtemp(prefix="kimputin-bench-out-"))
    try:
        for name in names:
            runs = [measure(name, corpus, scratch) for _ in range(max(1, args.repeat))]
            results[name] = min(runs, key=lambda r: r["seconds"])
            print(
                f"{name}: {results[name]['seconds']:.3f} s, "
                f"{results[name]['rss_mib']:.0f} MiB peak",
                file=sys.stderr,
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if args.keep is None and not args.seeds:
            shutil.rmtree(corpus.parent.parent, ignore_errors=True)
    baseline = json.loads(args.baseline.read_text()) if args.baseline else None
    lines, targets = report(docs, results, baseline)
    print("\n".join(lines))
    if args.json:
        payload = {
            "docs": docs,
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "generate_seconds": generated,
            "results": results,
            "targets": [{"target": n, "figures": f, "pass": p} for n, f, p in targets],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
