"""Benchmark validation and the release build: parallel, incremental, against 1.0.0.

Usage::

    python scripts/benchmark.py --docs 10000 [--json PATH] [--keep DIR]
    python scripts/benchmark.py --docs 100000 --only validate_j2,build_j2 --keep DIR
    python scripts/benchmark.py --seeds

Generates (or reuses, with ``--keep DIR``) a synthetic corpus of ``--docs``
documents with ``scripts/synth_corpus.py``, then runs every measurement in a
fresh child process, one after the other in this one invocation, and records
its wall time (``time.perf_counter``), its CPU time (user + system, of the
child and of the worker processes it waited for) and its peak memory (the
largest resident set of the child or of any of its worker processes, from
``os.wait4``):

* ``validate_j1``, ``validate_j2``: ``python -m kimputin_ds.validate DIR
  --no-cache --jobs N``, end to end.
* ``build_j1``, ``build_j2``: ``python -m kimputin_ds.build --root DIR
  --output TMP --jobs N``, end to end.
* ``validate_full`` and ``revalidate``: a full validation with the cache
  off, then (after a run that fills a fresh cache) the validation that
  follows an edit of one annotation file, with the warm cache, both at the
  default ``--jobs``.
* ``baseline_validate``, ``baseline_build``: the same commands, serial, with
  the code of another revision (``--baseline-rev``, default the last commit
  of release 1.0.0) frozen with ``git archive``, on a corpus that revision's
  own generator writes with the same ``--docs`` and ``--seed`` (the file
  format changed, so the current corpus would not validate there).
* ``export``: our build's rows -> Parquet step alone (the build's writers:
  label encoding, Arrow conversion, Parquet, checksums), fed the rows in
  chunks of documents as the build converts them; producing the rows is not
  timed.
* ``datasets``: ``datasets.Dataset.from_list(rows, features=...).to_parquet``
  of the same rows, per config and split.

Optional (not in the default set): ``validate_checks`` and ``jsonschema``,
``pyarrow`` (the write floor): the measurements behind the two retired
targets of the scale issue.

Results are printed as a table with the ratios and the targets; ``--json``
writes one key per measurement.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SCRIPTS = REPO / "scripts"
SEEDS = REPO / "seeds"
MIB = 1024 * 1024
DEFAULT = (
    "validate_j1",
    "validate_j2",
    "build_j1",
    "build_j2",
    "validate_full",
    "revalidate",
    "baseline_validate",
    "baseline_build",
    "export",
    "datasets",
)
ALL = (*DEFAULT, "validate_checks", "jsonschema", "pyarrow")
#: The last commit of release 1.0.0, whose serial CPU per document is the reference.
BASELINE_REV = "4512488"
PARQUET = {"compression": "zstd", "write_statistics": True}  # as kimputin_ds.build writes


# ---------------------------------------------------------------------------
# Running a measurement in a fresh process


class _Sampler(threading.Thread):
    """Samples the descendants of a process from ``/proc``: peak RSS and CPU of each.

    ``os.wait4`` reports the child and the processes it waited for; the
    workers of a process pool are forked by multiprocessing's forkserver and
    never waited for by the child, so they are sampled here instead, every
    ``interval`` seconds (their CPU is a lower bound by up to one interval each;
    their peak RSS, ``VmHWM``, is exact up to the last sample).
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.halt = threading.Event()
        self.peak_kib: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self.tick = os.sysconf("SC_CLK_TCK")

    def _descendants(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                try:
                    stat = Path(f"/proc/{entry.name}/stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
        found, stack = [], [self.pid]
        while stack:
            for pid in children.get(stack.pop(), []):
                found.append(pid)
                stack.append(pid)
        return found

    def sample(self) -> None:
        for pid in self._descendants():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_kib[pid] = max(self.peak_kib.get(pid, 0), int(line.split()[1]))
            self.cpu[pid] = (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime

    def run(self) -> None:
        while not self.halt.wait(self.interval):
            self.sample()


def run_child(
    args: list[str], timeout: float | None = None, env: dict[str, str] | None = None
) -> tuple[float, float, str, float]:
    """Run ``args``; return its wall seconds, peak RSS in MiB, standard output and CPU seconds.

    The peak RSS is the largest of the child and of each of its descendants
    (per process, not summed); the CPU seconds are the child's (and those of
    the processes it waited for) plus the sampled CPU of its other descendants.

    Raises:
        RuntimeError: When the child fails.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, cwd=REPO, env=env)
        sampler = _Sampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        sampler.halt.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    cpu = usage.ru_utime + usage.ru_stime + sum(sampler.cpu.values())
    peak_kib = max([usage.ru_maxrss, *sampler.peak_kib.values()])  # KiB on Linux
    return seconds, peak_kib / 1024, stdout, cpu


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
            yield split, document_records(doc, run.entities, claims=run.claims)
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
    """Our build's export step: the release writers fed the rows chunk by chunk, as the build."""
    from kimputin_ds.build import DEFAULT_BATCH_ROWS, _Writers
    from kimputin_ds.pipeline import CHUNK_DOCS

    clock = time.perf_counter
    writers = _Writers(out, DEFAULT_BATCH_ROWS)
    spent = 0.0
    rows = 0
    pending: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def flush() -> float:
        started = clock()
        for (config, split), config_rows in pending.items():
            writers.add(config, split, config_rows)
        pending.clear()
        return clock() - started

    for docs, (split, records) in enumerate(_documents(corpus), 1):
        for config, config_rows in records.items():
            pending.setdefault((config, split), []).extend(config_rows)
        rows += sum(map(len, records.values()))
        if docs % CHUNK_DOCS == 0:
            spent += flush()
    spent += flush()
    started = clock()
    files = writers.close()
    spent += clock() - started
    return {"seconds": spent, "rows": rows, "files": len(files)}


def measure_datasets(corpus: Path, out: Path) -> dict[str, float]:
    """``datasets.Dataset.from_list(...).to_parquet(...)`` of the same rows."""
    import datasets

    from kimputin_ds.build import data_path
    from kimputin_ds.features import hf_features
    from kimputin_ds.rows import CONFIGS

    datasets.disable_progress_bars()
    rows = _all_rows(corpus)
    features = {c: hf_features(m) for c, m in CONFIGS.items()}
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


def baseline_tree(rev: str, scratch: Path) -> Path:
    """The repository at ``rev``, frozen with ``git archive`` into ``scratch``."""
    dest = scratch / f"rev-{rev}"
    if not dest.exists():
        dest.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", rev], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def _env(tree: Path | None = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ, **extra)
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "src")  # before the installed package
    return env


def baseline_corpus(tree: Path, docs: int, keep: Path | None, seed: int) -> Path:
    """The corpus that ``tree``'s own generator writes for ``docs`` and ``seed``."""
    base = keep or tree.parent
    root = base / f"synth-{docs}-seed{seed}-{tree.name}" / "seeds"
    marker = root / ".complete"
    if not marker.exists():
        if root.exists():
            shutil.rmtree(root)
        script = tree / "scripts" / "synth_corpus.py"
        args = [sys.executable, str(script), "--docs", str(docs), "--out", str(root)]
        subprocess.run([*args, "--seed", str(seed)], env=_env(tree), check=True, cwd=tree)
        marker.write_text(f"{docs} {seed}\n", encoding="utf-8")
    return root


def _touch_one(corpus: Path) -> tuple[Path, bytes, os.stat_result]:
    """Edit one annotation file (a comment line appended); returns what restores it."""
    files = sorted(corpus.glob("*.yaml"))
    files = [f for f in files if f.name not in ("entities.yaml", "splits.yaml")]
    path = files[len(files) // 2]
    original, stat = path.read_bytes(), path.stat()
    path.write_bytes(original + b"\n# benchmark edit\n")
    return path, original, stat


def measure(
    name: str, corpus: Path, scratch: Path, baseline: tuple[Path, Path] | None = None
) -> dict[str, float]:
    """Run one measurement in a fresh process; its figures plus ``wall``, ``cpu``, ``rss_mib``."""
    out = scratch / name
    if out.exists():
        shutil.rmtree(out)
    py = sys.executable
    validate = [py, "-m", "kimputin_ds.validate", str(corpus)]
    build = [py, "-m", "kimputin_ds.build", "--root", str(corpus), "--output", str(out)]
    env = None
    if name in ("validate", "build"):  # the seeds: as a user runs them
        args = validate if name == "validate" else build
    elif name.startswith(("validate_j", "build_j")):
        jobs = name.rsplit("_j", 1)[1]
        args = [*(validate if name.startswith("validate") else build), "--jobs", jobs]
        args += ["--no-cache"] if name.startswith("validate") else []
    elif name == "validate_full":
        args = [*validate, "--no-cache"]
    elif name == "revalidate":
        env = _env(KIMPUTIN_CACHE_DIR=str(scratch / "cache"))
        shutil.rmtree(scratch / "cache", ignore_errors=True)
        run_child(validate, env=env)  # fills the cache; not timed
        path, original, stat = _touch_one(corpus)
        try:
            wall, rss, _, cpu = run_child(validate, env=env)
        finally:  # the corpus is ours (generated), and put back exactly
            path.write_bytes(original)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        return {"seconds": wall, "wall": wall, "cpu": cpu, "rss_mib": rss}
    elif name in ("baseline_validate", "baseline_build"):
        assert baseline is not None, "baseline measurements need --baseline-rev"
        tree, old_corpus = baseline
        env = _env(tree)
        if name == "baseline_validate":
            args = [py, "-m", "kimputin_ds.validate", str(old_corpus)]
        else:
            args = [py, "-m", "kimputin_ds.build", "--root", str(old_corpus), "--output", str(out)]
    else:
        out.mkdir(parents=True)
        wall, rss, stdout, cpu = run_child(child(name, corpus, out))
        result = json.loads(stdout.strip().splitlines()[-1])
        shutil.rmtree(out, ignore_errors=True)
        result.update({"wall": wall, "cpu": cpu, "rss_mib": rss})
        return result
    wall, rss, stdout, cpu = run_child(args, env=env)
    result: dict[str, Any] = {"seconds": wall, "wall": wall, "cpu": cpu, "rss_mib": rss}
    if name.startswith("validate"):
        result["output_sha256"] = hashlib.sha256(stdout.encode()).hexdigest()
    elif name.startswith("build") and out.is_dir():
        result["output_sha256"] = _tree_digest(out)
    shutil.rmtree(out, ignore_errors=True)
    return result


def _tree_digest(root: Path) -> str:
    """sha256 over every file of a release (relative path and bytes), in path order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def _amdahl(speedup: float, cores: int) -> tuple[float, float]:
    """The serial fraction implied by a 2-job ``speedup``, and the speed-up it predicts."""
    serial = min(1.0, max(0.0, 2 / speedup - 1))
    return serial, 1 / (serial + (1 - serial) / cores)


def report(
    docs: int | str, results: dict[str, dict[str, float]], baseline_rev: str | None = None
) -> tuple[list[str], list[tuple[str, str, bool | None]]]:
    """The printed table and the targets ``(name, figures, passed)``."""
    lines = [
        f"corpus: {docs} documents; machine: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "",
        "| measurement | seconds | CPU s | peak RSS MiB |",
        "|---|---:|---:|---:|",
    ]
    for name, res in results.items():
        lines.append(
            f"| {name} | {res['seconds']:.3f} | {res.get('cpu', 0):.3f} | {res['rss_mib']:.0f} |"
        )
    lines.append("")

    def get(name: str, key: str = "seconds") -> float | None:
        return results[name][key] if name in results else None

    targets: list[tuple[str, str, bool | None]] = []
    big = isinstance(docs, int) and docs >= 10_000

    def target(name: str, figure: str, passed: bool | None) -> None:
        targets.append((name, figure, passed))

    for what in ("validate", "build"):
        r = _ratio(get(f"{what}_j1"), get(f"{what}_j2"))
        if r is None:
            continue
        target(
            f"{what}: >= 1.7x speed-up from 1 to 2 jobs (at 10 000 documents)",
            f"{get(f'{what}_j1'):.2f} s / {get(f'{what}_j2'):.2f} s = {r:.2f}x",
            r >= 1.7 if big else None,
        )
        serial, s8 = _amdahl(r, 8)
        _, s16 = _amdahl(r, 16)
        t1 = get(f"{what}_j1") or 0.0
        target(
            f"(estimate) {what} on 8 and 16 cores, from the serial fraction (Amdahl)",
            f"serial fraction {serial:.2f}: {t1 / s8:.1f} s on 8 cores ({s8:.1f}x), "
            f"{t1 / s16:.1f} s on 16 ({s16:.1f}x)",
            None,
        )
    for what, output in (("validate", "report"), ("build", "release")):
        one, two = (results.get(f"{what}_j{j}", {}).get("output_sha256") for j in (1, 2))
        if one and two:
            target(
                f"{what}: the {output} is byte-identical at --jobs 1 and --jobs 2",
                f"sha256 {one[:12]}... / {two[:12]}...",
                one == two,
            )
    r = _ratio(get("revalidate"), get("validate_full"))
    if r is not None:
        target(
            "re-validation after one edit, warm cache, <= 1/20 of a full validation",
            f"{get('revalidate'):.2f} s / {get('validate_full'):.2f} s = 1/{1 / r:.0f}",
            r <= 1 / 20 if big else None,
        )
    if isinstance(docs, int):
        for what in ("validate", "build"):
            now, old = get(f"{what}_j1", "cpu"), get(f"baseline_{what}", "cpu")
            r = _ratio(now, old)
            if r is not None and now is not None and old is not None:
                target(
                    f"{what}: serial CPU per document <= 0.75x of {baseline_rev or 'baseline'}",
                    f"{1000 * now / docs:.2f} ms / {1000 * old / docs:.2f} ms = {r:.2f}x",
                    r <= 0.75,
                )
    if isinstance(docs, int) and docs >= 100_000:
        for name, res in results.items():
            if name.startswith(("validate", "build")):
                rss = res["rss_mib"]
                target(f"{name}: peak memory < 1 GiB per process", f"{rss:.0f} MiB", rss < 1024)
    r = _ratio(get("datasets"), get("export"))
    if r is not None:
        target(
            "export >= 2x faster than the datasets path",
            f"datasets {get('datasets'):.3f} s / export {get('export'):.3f} s = {r:.1f}x",
            r >= 2,
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
        "--only",
        default=",".join(DEFAULT),
        help=f"comma-separated subset of {','.join(ALL)} (default: {','.join(DEFAULT)})",
    )
    parser.add_argument(
        "--baseline-rev",
        default=BASELINE_REV,
        help=f"the revision the baseline measurements run (default: {BASELINE_REV}, 1.0.0)",
    )
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
    baseline = None
    try:
        if isinstance(docs, int) and any(n.startswith("baseline_") for n in names):
            tree = baseline_tree(args.baseline_rev, scratch)
            baseline = tree, baseline_corpus(tree, docs, args.keep, args.seed)
        for name in names:
            runs = [measure(name, corpus, scratch, baseline) for _ in range(max(1, args.repeat))]
            results[name] = min(runs, key=lambda r: r["seconds"])
            print(
                f"{name}: {results[name]['seconds']:.3f} s, {results[name]['cpu']:.3f} s CPU, "
                f"{results[name]['rss_mib']:.0f} MiB peak",
                file=sys.stderr,
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if args.keep is None and not args.seeds:
            shutil.rmtree(corpus.parent.parent, ignore_errors=True)
    lines, targets = report(docs, results, args.baseline_rev)
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
