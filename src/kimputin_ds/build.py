"""``python -m kimputin_ds.build``: validate the corpus and write a versioned release.

One streaming pass reads, checks and flattens each document and appends its
rows to per-config, per-split Parquet writers (rows are converted to Arrow a
few documents at a time, and a row group is written every ``batch_rows`` rows
or ``batch_bytes`` bytes, so memory does not grow with the corpus). Nothing is
written unless the whole corpus is valid. The release is assembled in a
hidden sibling directory and moved into place only when complete, so a
killed build leaves the previous release intact. A version that exists with
different content is never overwritten without ``--force``, and ``--force``
only ever replaces a release (see :mod:`kimputin_ds.release_dir` for what
``--output`` may name, the lock and the atomic swap).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kimputin_ds.card import SPLITS, label_columns, render_readme
from kimputin_ds.corpus_facts import Article, CorpusFacts
from kimputin_ds.errors import KimputinError, Report, printable
from kimputin_ds.identity import Identity, check_repo_id, load_identity
from kimputin_ds.manifest import (
    MANIFEST_NAME,
    DataFile,
    sha256_file,
    verify_manifest,
    write_manifest,
)
from kimputin_ds.parallel import add_jobs_argument, available_cores
from kimputin_ds.parquet_options import key_value_metadata, writer_options
from kimputin_ds.pipeline import CorpusInputs, process_corpus
from kimputin_ds.records import entity_rows
from kimputin_ds.release_dir import (
    build_lock,
    check_output,
    describe_os_error,
    install,
    recover,
    staging_dir,
)
from kimputin_ds.release_license import release_license
from kimputin_ds.rows import CONFIGS
from kimputin_ds.safe_files import RefusedFileError, read_regular
from kimputin_ds.schema_export import write_schemas
from kimputin_ds.validation import finish_corpus, open_corpus
from kimputin_ds.version import __release_date__, __version__

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

DIST_DIR = Path("dist")
CARD_TEMPLATE = "DATASET_CARD.md"
#: The annotation guidelines, beside the corpus directory and at the same path in
#: a release: the card links to them, so they ship with it.
GUIDELINES = "docs/guidelines.md"
DEFAULT_BATCH_ROWS = 50_000
#: Arrow bytes buffered per Parquet file before a row group is written. With
#: ``DEFAULT_BATCH_ROWS`` alone, 50 000 rows of whole articles (``documents``,
#: ``kb``) would be held in memory; this bounds a row group, and the memory of
#: a build, whatever the corpus size. The seed corpus is far below both limits.
DEFAULT_BATCH_BYTES = 32 * 1024 * 1024
#: Arrow bytes buffered over all the files of a build. Each file's buffer is
#: bounded by ``DEFAULT_BATCH_BYTES``, but a build writes one file per config
#: and split (about two dozen), and in a large corpus every buffer fills: at
#: 100 000 documents the build's main process peaked at 1.3 GiB. Past this
#: total the largest buffer is written out as a row group.
DEFAULT_BUFFER_BYTES = 256 * 1024 * 1024
#: Arrow bytes of a split per Parquet file, as ``datasets``' ``max_shard_size``
#: ("500MB") counts them for ``push_to_hub``: a larger split is sharded.
DEFAULT_SHARD_BYTES = 500 * 1000 * 1000


def default_output(version: str = __version__) -> Path:
    """The default release directory, ``dist/<version>``.

    >>> default_output("1.2.3").as_posix()
    'dist/1.2.3'
    """
    return DIST_DIR / version


def data_path(config: str, split: str, index: int = 0, count: int = 1) -> str:
    """Path of shard ``index`` of ``count`` of a config's split in a release (POSIX, relative).

    >>> data_path("quotes", "test")
    'data/quotes/test-00000-of-00001.parquet'
    >>> data_path("kb", "train", 2, 4)
    'data/kb/train-00002-of-00004.parquet'
    """
    return f"data/{config}/{split}-{index:05d}-of-{count:05d}.parquet"


@dataclass(frozen=True)
class BuildResult:
    """What a build produced.

    Attributes:
        output: The release directory.
        files: The Parquet files written, with their checksums and row counts.
        changed: False when an identical release already existed and was kept.
        report: Warnings from validation.
    """

    output: Path
    files: list[DataFile]
    changed: bool
    report: Report


class _Buffer:
    """Arrow batches of one config and split since the last row group."""

    __slots__ = ("batches", "nbytes", "size")

    def __init__(self) -> None:
        self.batches: list[pa.RecordBatch] = []
        self.nbytes = 0  # Arrow bytes held in ``batches``
        self.size = 0  # rows held in ``batches``


class _Writers:
    """Lazily opened Parquet writers, one per config and split, with batch buffers.

    Rows arrive as Arrow batches, one per chunk of documents (converted by
    :mod:`kimputin_ds.batches`, in a worker or here); a row group is written
    when the buffered batches reach ``batch_rows`` rows or ``batch_bytes``
    bytes, and the largest buffer is written when all of them together hold
    more than ``buffer_bytes``. All are checked only between batches, which
    arrive in document order, so row groups depend on the documents alone,
    never on which process converted them. A file is closed
    after the row group that takes it to ``shard_bytes`` bytes of Arrow data,
    and the split goes on in a new shard; so shard boundaries, too, depend on
    the documents alone.
    """

    def __init__(
        self,
        root: Path,
        batch_rows: int,
        batch_bytes: int = DEFAULT_BATCH_BYTES,
        shard_bytes: int = DEFAULT_SHARD_BYTES,
        parquet: Mapping[str, Any] | None = None,
        *,
        buffer_bytes: int | None = None,
    ) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq  # heavy: only when building

        self.parquet = dict(writer_options() if parquet is None else parquet)
        self.parquet_metadata = key_value_metadata(self.parquet)

        from kimputin_ds.batches import BatchConverter

        self._pa = pa
        self._pq = pq
        self.root = root
        self.batch_rows = batch_rows
        self.batch_bytes = batch_bytes
        self.converter = BatchConverter()
        self.schemas = self.converter.schemas
        self.pool = self.converter.pool
        self.buffers: dict[tuple[str, str], _Buffer] = {}
        self.writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self.shard_bytes = shard_bytes
        self.shards: dict[tuple[str, str], list[_Shard]] = {}
        self.buffer_bytes = DEFAULT_BUFFER_BYTES if buffer_bytes is None else buffer_bytes
        self.buffered = 0  # Arrow bytes held in all the buffers

    def add(self, config: str, split: str, rows: list[dict[str, Any]]) -> None:
        """Append rows (converted here to one batch)."""
        if rows:
            self.add_batch(config, split, self.converter.convert(config, rows))

    def add_batch(self, config: str, split: str, batch: pa.RecordBatch) -> None:
        """Append one Arrow batch of rows; write a row group when the buffer is full."""
        key = (config, split)
        buffer = self.buffers.get(key)
        if buffer is None:
            buffer = self.buffers[key] = _Buffer()
        buffer.batches.append(batch)
        buffer.size += batch.num_rows
        buffer.nbytes += batch.nbytes
        self.buffered += batch.nbytes
        if buffer.size >= self.batch_rows or buffer.nbytes >= self.batch_bytes:
            self._flush(key)
        while self.buffered > self.buffer_bytes:
            # The largest buffer (on a tie, the one opened first: still document order).
            largest = max(self.buffers, key=lambda k: self.buffers[k].nbytes)
            self._flush(largest)

    def _flush(self, key: tuple[str, str]) -> None:
        """Write the buffered rows of ``key`` as one row group; close a full shard."""
        config, split = key
        buffer = self.buffers.pop(key, None)
        if buffer is None or not buffer.batches:
            return
        self.buffered -= buffer.nbytes
        shards = self.shards.setdefault(key, [])
        if key not in self.writers:
            path = self.root / f"data/{config}/{split}-{len(shards):05d}.parquet.partial"
            path.parent.mkdir(parents=True, exist_ok=True)
            writer = self._pq.ParquetWriter(path, self.schemas[config], **self.parquet)
            if self.parquet_metadata:
                writer.add_key_value_metadata(self.parquet_metadata)
            self.writers[key] = writer
            shards.append(_Shard(path))
        table = self._pa.Table.from_batches(buffer.batches, schema=self.schemas[config])
        table = table.combine_chunks(memory_pool=self.pool)
        self.writers[key].write_table(table)
        shard = shards[-1]
        shard.rows += table.num_rows
        shard.nbytes += table.nbytes
        if shard.nbytes >= self.shard_bytes:
            self.writers.pop(key).close()

    def close(self) -> list[DataFile]:
        """Flush and close every writer; returns the files written, shard by shard.

        A split's shards are named as the Hub names them,
        ``<split>-00000-of-00003.parquet`` …, once their number is known. A
        config with no rows in a split gets no file for it: ``datasets``
        cannot load an empty Parquet split, so the split is left out of the
        card's ``configs`` instead.
        """
        files = []
        for config in CONFIGS:
            for split in SPLITS:
                key = (config, split)
                self._flush(key)
                writer = self.writers.pop(key, None)
                if writer is not None:
                    writer.close()
                shards = self.shards.get(key, [])
                for index, shard in enumerate(shards):
                    name = data_path(config, split, index, len(shards))
                    path = shard.path.replace(self.root / name)
                    files.append(
                        DataFile(
                            config,
                            split,
                            name,
                            sha256_file(path),
                            path.stat().st_size,
                            shard.rows,
                            shard.nbytes,
                        )
                    )
        return files

    def abort(self) -> None:
        for writer in self.writers.values():
            writer.close()


class _Examples:
    """The card's example row per config: the first row of the earliest split that has one."""

    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self._rank: dict[str, int] = {}

    def offer(self, records: dict[str, list[dict[str, Any]]], split: str) -> None:
        rank = SPLITS.index(split)
        for config, rows in records.items():
            if rows and rank < self._rank.get(config, len(SPLITS)):
                self.rows[config] = rows[0]
                self._rank[config] = rank


@dataclass
class _Shard:
    """One Parquet file of a split, while it is written (under a temporary name)."""

    path: Path
    rows: int = 0
    nbytes: int = 0


def _write_release(
    corpus_root: Path,
    staging: Path,
    version: str,
    card_template: Path,
    batch_rows: int,
    *,
    guidelines: Path,
    identity: Identity,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
    shard_bytes: int = DEFAULT_SHARD_BYTES,
    jobs: int = 1,
    parquet: Mapping[str, Any] | None = None,
) -> tuple[list[DataFile], Report]:
    report = Report()
    run = open_corpus(corpus_root, report)
    inputs = CorpusInputs(run.files.root, run.entities, run.split_of(), run.claims)
    writers = _Writers(staging, batch_rows, batch_bytes, shard_bytes, parquet)
    labels: dict[tuple[str, str], Counter[str]] = {}
    entity_counts: dict[str, Counter[str]] = {s: Counter() for s in SPLITS}
    articles: list[Article] = []
    examples = _Examples()
    failed = not report.ok
    try:
        for chunk in process_corpus(inputs, run.files.doc_ids, jobs=jobs, rows=True):
            for doc in chunk.docs:
                report.issues.extend(doc.issues)
                if doc.state is not None:
                    run.state.merge(doc.state)
                failed = failed or doc.failed
            if failed:
                continue  # nothing will be published; keep checking for the report
            for (config, split), batch in chunk.batches.items():
                writers.add_batch(config, split, batch)
            for key, counter in chunk.labels.items():
                labels.setdefault(key, Counter()).update(counter)
            for split, counts in chunk.entity_counts.items():
                entity_counts[split].update(counts)
            articles.extend(chunk.articles)
            for (config, split), row in chunk.examples.items():
                examples.offer({config: [row]}, split)
        finish_corpus(run, report)
        if not report.ok:
            raise KimputinError("the corpus does not validate; nothing was built", report)
        for split, counts in entity_counts.items():
            rows = entity_rows(run.entities, counts)
            for column in label_columns("entities"):
                labels.setdefault(("entities", column), Counter()).update(r[column] for r in rows)
            writers.add("entities", split, rows)
            examples.offer({"entities": rows}, split)
        files = writers.close()
    except BaseException:
        writers.abort()
        raise

    template = _read_template(card_template)
    facts = CorpusFacts(tuple(articles))
    readme = render_readme(
        template,
        files,
        labels,
        facts=facts,
        examples=examples.rows,
        identity=identity,
        version=version,
    )
    (staging / "README.md").write_text(readme, encoding="utf-8")
    (staging / "LICENSE").write_text(release_license(facts, identity), encoding="utf-8")
    (staging / GUIDELINES).parent.mkdir(parents=True, exist_ok=True)
    (staging / GUIDELINES).write_bytes(_read_input(guidelines, "annotation guidelines"))
    write_schemas(staging / "schema", identity)
    from kimputin_ds.croissant import croissant_json, croissant_metadata

    croissant = croissant_metadata(
        version, files, identity=identity, facts=facts, date_published=__release_date__
    )
    (staging / "croissant.json").write_text(croissant_json(croissant), encoding="utf-8")
    write_manifest(staging, version, identity.hub_repo_id)
    return files, report


def _read_input(path: Path, what: str) -> bytes:
    """A file of the repository that goes into the release: regular (never a link), bounded."""
    try:
        return read_regular(path)
    except FileNotFoundError:
        raise KimputinError(f"{what} not found: {path}") from None
    except RefusedFileError as exc:
        raise KimputinError(f"{what} {path} {exc.message}") from None
    except OSError as exc:
        raise KimputinError(f"cannot read the {what} {path}: {exc.strerror or exc}") from None


def _read_template(path: Path) -> str:
    """The card template: a regular file (never a link), UTF-8."""
    try:
        return _read_input(path, "dataset card template").decode("utf-8")
    except UnicodeDecodeError:
        raise KimputinError(f"dataset card template {path} is not valid UTF-8") from None


def _manifest_files(release: Path) -> Any:
    try:
        return json.loads((release / MANIFEST_NAME).read_text(encoding="utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return None


def build_release(
    corpus_root: Path,
    output: Path,
    *,
    version: str = __version__,
    force: bool = False,
    card_template: Path | None = None,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
    identity: Identity | None = None,
    shard_bytes: int = DEFAULT_SHARD_BYTES,
    jobs: int = 1,
    parquet: Mapping[str, Any] | None = None,
) -> BuildResult:
    """Validate the corpus and write a complete release directory atomically.

    Args:
        corpus_root: The corpus directory (``seeds/``).
        output: The release directory to create, e.g. ``dist/1.0.0``.
        version: The dataset version recorded in the release.
        force: Replace an existing release whose content differs, or that
            no longer matches its checksum manifest. Only a release is ever
            replaced: see :func:`kimputin_ds.release_dir.check_output`.
        card_template: The card body (default: ``DATASET_CARD.md`` beside ``corpus_root``).
            The guidelines, ``docs/guidelines.md`` beside ``corpus_root``, are
            copied into the release.
        batch_rows: Rows buffered per Parquet file before a row group is written.
        batch_bytes: Arrow bytes buffered per Parquet file before a row group
            is written (whichever limit comes first).
        shard_bytes: Arrow bytes of a split per Parquet file; a larger split
            is written as several shards.
        jobs: Worker processes for the per-document work (1: this process).
            The release is the same, byte for byte, for any value.
        parquet: Keyword arguments for ``pyarrow.parquet.ParquetWriter``
            (default: :func:`kimputin_ds.parquet_options.writer_options`, the
            options of ``datasets``' own writer that pyarrow supports).
        identity: The Hub repository and code repository the release names
            (default: ``[tool.kimputin_ds]`` of the ``pyproject.toml`` beside
            ``corpus_root``, else the packaged one; see :mod:`kimputin_ds.identity`).

    Returns:
        A :class:`BuildResult`.

    Raises:
        KimputinError: When the corpus does not validate, the output may
            not be written (not a release, inside the corpus, unwritable), or
            the version exists with different content and ``force`` is not
            set. Its ``report`` holds every problem.
    """
    template = card_template or corpus_root.resolve().parent / CARD_TEMPLATE
    target = check_output(output, corpus_root)  # before any work: fail fast
    output = target.path
    if identity is None:
        identity = load_identity(corpus_root.resolve().parent)
    if not template.is_file():
        raise KimputinError(f"dataset card template not found: {template}")
    guidelines = corpus_root.resolve().parent / GUIDELINES
    if not guidelines.is_file():
        raise KimputinError(
            f"annotation guidelines not found: {guidelines} (the card links to them, "
            "so every release ships them)"
        )
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KimputinError(
            f"cannot create {output.parent}: {describe_os_error(exc)}; nothing was written"
        ) from None

    def write(staging: Path) -> tuple[list[DataFile], Report]:
        return _write_release(
            corpus_root,
            staging,
            version,
            template,
            batch_rows,
            guidelines=guidelines,
            identity=identity,
            batch_bytes=batch_bytes,
            shard_bytes=shard_bytes,
            jobs=jobs,
            parquet=parquet,
        )

    with build_lock(output, on_wait=lambda note: print(printable(note), file=sys.stderr)):
        return _build_locked(corpus_root, output, write, force=force)


def _build_locked(
    corpus_root: Path,
    output: Path,
    write: Callable[[Path], tuple[list[DataFile], Report]],
    *,
    force: bool,
) -> BuildResult:
    """The build, holding the output's lock: no other build touches its siblings."""
    staging = staging_dir(output)
    try:
        restored = recover(output)
        if restored:  # said now: the build may still fail
            print(printable(f"warning: {restored}"), file=sys.stderr)
        target = check_output(output, corpus_root)  # again: it may have changed while we waited
        staging.mkdir()
        files, report = write(staging)
        if target.manifest is not None:
            same = target.manifest.get("files") == _manifest_files(staging)
            damaged = verify_manifest(output)
            if same and damaged.ok:
                return BuildResult(output, files, changed=False, report=report)
            if not force:
                raise KimputinError(
                    f"release {output} already exists with different content: pass --force "
                    "to rebuild a local, unpublished build; a published version never changes, "
                    "so a new release bumps the version in src/kimputin_ds/version.py"
                    if not same
                    else f"release {output} does not match its checksum manifest "
                    f"({damaged.errors[0].path}: {damaged.errors[0].message}); "
                    "pass --force to rebuild it"
                )
        install(staging, target)
    except OSError as exc:
        raise KimputinError(
            f"cannot write the release to {output}: {describe_os_error(exc)}; "
            "nothing was changed at the output"
        ) from None
    finally:
        if os.path.lexists(staging):
            shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(output, files, changed=True, report=report)


def main(argv: list[str] | None = None) -> int:
    """Build the release; print where it went, or every problem that stopped it.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        0 on success, 1 when the corpus is invalid or the release may not be replaced.
    """
    parser = argparse.ArgumentParser(
        prog="kimputin-build", description="Validate the corpus and build a versioned release."
    )
    parser.add_argument(
        "--root", type=Path, default=Path("seeds"), help="corpus directory (default: ./seeds)"
    )
    parser.add_argument(
        "--output", type=Path, default=None, help=f"release directory (default: {default_output()})"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing release of this version whose content differs "
        "(only ever a release: a directory holding checksums.json and the files it lists)",
    )
    add_jobs_argument(parser, "the release")
    parser.add_argument(
        "--repo-id",
        default=None,
        metavar="OWNER/NAME",
        help="the Hub dataset repository the release is for (default: hub_repo_id in "
        "[tool.kimputin_ds] of pyproject.toml); the card, Croissant and citation name it, "
        "and publish refuses any other",
    )
    args = parser.parse_args(argv)
    output = args.output or default_output()
    if args.repo_id is not None:
        try:
            check_repo_id(args.repo_id)
        except ValueError as exc:
            parser.error(str(exc))
    try:
        identity = load_identity(args.root.resolve().parent, repo_id=args.repo_id)
        result = build_release(
            args.root,
            output,
            force=args.force,
            identity=identity,
            jobs=args.jobs or available_cores(),
        )
    except KimputinError as exc:
        if exc.report.issues:
            print(exc.report.to_text(), file=sys.stderr)
        print(printable(f"build failed: {exc}"), file=sys.stderr)
        return 1
    for issue in result.report:
        print(issue.format(), file=sys.stderr)
    state = "built" if result.changed else "unchanged (identical release already present)"
    rows = sum(f.num_rows for f in result.files)
    print(printable(f"{state}: {result.output} ({len(result.files)} Parquet files, {rows} rows)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
