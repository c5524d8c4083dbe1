"""A cache of per-document validation results, for re-validating one edit quickly.

A document's checks depend only on its two files and on the corpus-wide
inputs (the registry, the split assignment, the code). The cache keeps, per
document, the content hashes of its files, its issues and its contribution to
the corpus-wide state; an entry is used only when

* the cache's key matches: the sha256 of ``entities.yaml``, ``claims.yaml`` and ``splits.yaml``
  and of the package's own source files (any code change, the schema
  included, is a new key), and the cache format;
* both of the document's files have the recorded sha256. The size and
  modification time are a fast pre-check: when both match, the file is not
  read again.

The corpus-wide checks are always re-run, on the cached contributions. The
cache is one JSON Lines file (never pickle: a cache file is data, not code), written
atomically; a corrupted or foreign file is ignored with a warning. Issues are
stored with paths relative to the corpus, so a moved checkout reports
correctly.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Collection
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kimputin_ds.corpus import ANNOTATION_SUFFIX, CLAIMS_FILE, TEXT_SUFFIX
from kimputin_ds.errors import Issue
from kimputin_ds.version import __version__

if TYPE_CHECKING:
    from kimputin_ds.pipeline import DocOutcome
    from kimputin_ds.validation import CorpusRun, CorpusState

FORMAT = 4
#: The cache directory, in the current directory like ``.mypy_cache`` and
#: ``.ruff_cache`` (ignored by git); ``KIMPUTIN_CACHE_DIR`` overrides it.
CACHE_DIR = ".kimputin_cache"
_CHUNK = 1 << 20


def default_cache_path(root: Path) -> Path:
    """The cache file of the corpus at ``root``: one per corpus, in the cache directory.

    The name is derived from ``root`` as given (relative to the current
    directory), so a moved checkout finds its cache again.

    >>> default_cache_path(Path("seeds")).parent.name in (".kimputin_cache", "")
    True
    """
    base = Path(os.environ.get("KIMPUTIN_CACHE_DIR") or CACHE_DIR)
    name = hashlib.sha256(os.path.normpath(root).encode()).hexdigest()[:16]
    # The format is in the name: a cache of another format is another file,
    # left alone, rather than a foreign file to warn about on every run.
    return base / f"validate-{name}-f{FORMAT}.jsonl"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def code_fingerprint() -> str:
    """sha256 over the package's version and the source of its modules."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


# ---------------------------------------------------------------------------
# The corpus state in JSON. Its accumulated fields have three shapes (see
# CorpusState): a set of strings, a list of strings, and a mapping from a
# string to a list of tuples of strings. Each is stored as the nearest JSON
# value and read back into the same shape with C-level conversions, with no
# per-value Python walk: re-validating one edit reads every cached entry, so
# this is on the path the curator waits for.

_Scalar = str | int
_SCALAR_TYPES = frozenset({str, int})


@functools.cache
def _field_kinds() -> dict[str, str]:
    """The shape of each accumulated field: "set", "list" or "map"."""
    from kimputin_ds.validation import CorpusState

    empty = CorpusState(frozenset())
    kinds = {}
    for name in CorpusState.ACCUMULATED:
        value = getattr(empty, name)
        shape = "list" if isinstance(value, list) else "map"
        kinds[name] = "set" if isinstance(value, set) else shape
    return kinds


def _scalars(values: Any) -> list[_Scalar]:
    out = list(values)
    if not all(type(v) is str or type(v) is int for v in out):
        raise TypeError(f"the cache stores strings and integers only, not {out!r}")
    return out


def _encode_state(state: Any, kinds: dict[str, str]) -> dict[str, Any]:
    encoded: dict[str, Any] = {}
    for name, kind in kinds.items():
        value = getattr(state, name)
        if kind == "set":
            encoded[name] = sorted(_scalars(value), key=repr)
        elif kind == "list":
            encoded[name] = _scalars(value)
        else:
            encoded[name] = {
                key: [_scalars(item) for item in items] for key, items in value.items()
            }
    return encoded


def _decode_state(raw: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    """The stored fields, checked for shape, with tuples restored (see :class:`CachedOutcome`)."""
    fields: dict[str, Any] = {}
    for name, kind in kinds.items():
        value = raw[name]
        if kind == "map":
            if not isinstance(value, dict):
                raise TypeError(f"{name}: not a mapping")
            fields[name] = (
                {key: list(map(tuple, items)) for key, items in value.items()} if value else value
            )
        elif not isinstance(value, list) or not set(map(type, value)) <= _SCALAR_TYPES:
            raise TypeError(f"{name}: not a list of strings")
        else:
            fields[name] = value
    return fields


class CachedOutcome(NamedTuple):
    """A document's cached result: its issues and its contribution to the corpus state.

    The contribution is kept as read (lists for the set and list fields) and
    added to the running state by :meth:`merge_into`: building a state object
    per document first would double the work of a warm run. (A named tuple:
    one is made per cached document on every run, and a frozen dataclass's
    ``__init__`` costs several times more.)

    Attributes:
        doc_id: The document.
        issues: Its issues, with absolute paths.
        fields: Its accumulated fields, or None when it could not be loaded.
    """

    doc_id: str
    issues: list[Issue]
    fields: dict[str, Any] | None

    def merge_into(self, state: CorpusState) -> None:
        """Add this document's contribution to ``state`` (as :meth:`CorpusState.merge` does)."""
        if self.fields is None:
            return
        for name, kind in _field_kinds().items():
            value, target = self.fields[name], getattr(state, name)
            if kind == "set":
                target.update(value)
            elif kind == "list":
                target.extend(value)
            else:
                for key, items in value.items():
                    target.setdefault(key, []).extend(items)


class ValidationCache:
    """Per-document validation results of earlier runs, in one JSON Lines file.

    Args:
        path: The cache file (created on :meth:`store`).
        warn: Where a warning about an unusable cache file goes.
        refresh: Use no cached result (every document is checked afresh), but
            store this run's.

    >>> cache = ValidationCache(Path("no-such-dir") / "validate.json")
    >>> cache.path.name
    'validate.json'
    """

    def __init__(self, path: Path, warn: Any = None, *, refresh: bool = False) -> None:
        self.path = path
        self.refresh = refresh
        self._warn = warn or (lambda message: print(message, file=sys.stderr))
        self._key = ""
        self._stats: dict[str, list[Any]] = {}
        self._foreign = False
        self._data: dict[str, Any] | None = None
        self._lines: dict[str, str] = {}  # each cached document's line, as read
        self._fresh: dict[str, Any] = {}

    def _corpus_key(self, run: CorpusRun) -> str:
        digest = hashlib.sha256(f"{FORMAT}:{code_fingerprint()}".encode())
        claims = run.files.root / CLAIMS_FILE
        for path in (run.files.registry_path, claims, run.files.splits_path):
            digest.update(path.name.encode())
            digest.update(_sha256(path).encode() if path.is_file() else b"-")
        return digest.hexdigest()

    def _read(self) -> dict[str, Any]:
        """The cache file as ``{"format", "key", "docs": {doc_id: entry}}`` (empty if unusable).

        The file is JSON Lines: a header ``{"format", "key"}``, then one line per
        document. Each document's line is kept as read, so that :meth:`store`
        writes the unchanged ones back without encoding them again.
        """
        try:
            lines = self.path.read_text(encoding="utf-8").split("\n")
            header = json.loads(lines[0])
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self._warn(
                f"warning: ignoring the unreadable validation cache {self.path} ({exc}); "
                "delete it to use the cache again"
            )
            self._foreign = True
            return {}
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            self._warn(
                f"warning: ignoring {self.path}: not a validation cache of this version; "
                "delete it to use the cache again"
            )
            self._foreign = True
            return {}
        body = [line for line in lines[1:] if line]
        docs: dict[str, Any] = {}
        try:
            # One decoder call for every line (a call per line costs more than the parse).
            entries = json.loads("[" + ",".join(body) + "]")
            for entry, line in zip(entries, body, strict=True):
                doc_id = entry["doc"]
                if not isinstance(doc_id, str):
                    raise TypeError("a document id is not a string")
                docs[doc_id] = entry
                self._lines[doc_id] = line
        except (ValueError, KeyError, TypeError) as exc:
            self._warn(
                f"warning: ignoring the corrupted validation cache {self.path} ({exc!r}); "
                "delete it to use the cache again"
            )
            self._foreign = True
            self._lines.clear()
            return {}
        return {"format": FORMAT, "key": header.get("key"), "docs": docs}

    def _file_stat(self, path: str, recorded: Any) -> list[Any]:
        """``[size, mtime_ns, sha256]`` of ``path``, hashing only when the stat changed."""
        stat = os.stat(path)  # noqa: PTH116 (a str path: see _doc_stats)
        if (
            isinstance(recorded, list)
            and len(recorded) == 3
            and recorded[0] == stat.st_size
            and recorded[1] == stat.st_mtime_ns
        ):
            return [stat.st_size, stat.st_mtime_ns, recorded[2]]
        return [stat.st_size, stat.st_mtime_ns, _sha256(Path(path))]

    def _doc_stats(self, root: str, doc_id: str, entry: Any) -> list[Any] | None:
        recorded = entry.get("files") if isinstance(entry, dict) else None
        recorded = recorded if isinstance(recorded, list) and len(recorded) == 2 else [None, None]
        # Plain strings, not Path objects: this runs for every document on
        # every run, and path objects cost more than the stat itself.
        base = os.path.join(root, doc_id)  # noqa: PTH118
        try:
            return [
                self._file_stat(base + TEXT_SUFFIX, recorded[0]),
                self._file_stat(base + ANNOTATION_SUFFIX, recorded[1]),
            ]
        except OSError:
            return None

    def lookup(self, run: CorpusRun, exclude: Collection[str] = ()) -> dict[str, CachedOutcome]:
        """The cached outcomes of the documents of ``run`` that are unchanged.

        Args:
            run: The opened corpus.
            exclude: Documents never taken from the cache (checked afresh).

        Returns:
            Document id -> outcome, for the documents whose cached result holds.
        """
        self._key = self._corpus_key(run)
        data = self._data = self._read()
        docs = data.get("docs") if data.get("key") == self._key else None
        found: dict[str, CachedOutcome] = {}
        root = run.files.root
        kinds = _field_kinds()
        for doc_id in run.files.doc_ids:
            entry = docs.get(doc_id) if isinstance(docs, dict) else None
            stats = self._doc_stats(str(root), doc_id, entry)
            if stats is None:
                continue
            self._stats[doc_id] = stats
            if entry is None or self.refresh or doc_id in exclude:
                continue
            try:
                if stats[0][2] != entry["files"][0][2] or stats[1][2] != entry["files"][1][2]:
                    continue
                found[doc_id] = _outcome(root, doc_id, entry, kinds)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                self._warn(
                    f"warning: ignoring the corrupted validation cache {self.path} ({exc!r}); "
                    "delete it to use the cache again"
                )
                self._foreign = True
                return {}
        return found

    def record(self, run: CorpusRun, outcome: DocOutcome) -> None:
        """Keep the result of a document checked afresh, as the entry :meth:`store` writes."""
        stats = self._stats.get(outcome.doc_id)
        if stats is not None:
            self._fresh[outcome.doc_id] = _entry(run.files.root, outcome, stats, _field_kinds())

    def store(self, run: CorpusRun) -> None:
        """Write the recorded entries beside the cached entries that still hold.

        Write failures are warnings: the cache only ever saves time.
        """
        data = self._data if self._data is not None else self._read()
        if self._foreign:
            return  # never overwrite a file that is not ours
        old = data.get("docs") if data.get("key") == self._key else None
        old = old if isinstance(old, dict) else {}
        kept = [d for d in old if d in self._stats]
        if not self._fresh and old and len(kept) == len(old):
            return  # nothing changed: the file on disk is current
        header = json.dumps({"format": FORMAT, "key": self._key})
        lines = [header]
        for doc_id in self._stats:  # document order
            entry = self._fresh.get(doc_id)
            if entry is not None:
                record = {"doc": doc_id, **entry}
                lines.append(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
            elif doc_id in old:
                lines.append(self._lines[doc_id])
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".validate-", suffix=".tmp", dir=self.path.parent)
            tmp = Path(name)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write("\n".join(lines) + "\n")
                tmp.replace(self.path)
            finally:
                # Our own temporary file, left only when the rename did not happen.
                tmp.unlink(missing_ok=True)
        except OSError as exc:
            self._warn(f"warning: could not write the validation cache {self.path}: {exc}")


def _relative(root: Path, path: str) -> str:
    """A path inside the corpus as ``@/name``, anything else as it is."""
    where = Path(path)
    return "@/" + where.name if where.parent == root else path


def _absolute(root: Path, path: str) -> str:
    return str(root / path[2:]) if path.startswith("@/") else path


def _entry(
    root: Path, outcome: DocOutcome, stats: list[Any], kinds: dict[str, str]
) -> dict[str, Any]:
    issues = [{**asdict(i), "path": _relative(root, i.path)} for i in outcome.issues]
    state = None if outcome.state is None else _encode_state(outcome.state, kinds)
    return {"files": stats, "issues": issues, "state": state}


def _outcome(
    root: Path, doc_id: str, entry: dict[str, Any], kinds: dict[str, str]
) -> CachedOutcome:
    issues = [Issue(**{**i, "path": _absolute(root, i["path"])}) for i in entry["issues"]]
    raw = entry["state"]
    return CachedOutcome(doc_id, issues, None if raw is None else _decode_state(raw, kinds))
