"""Reading the reference release and the predictions, with label names and checked rows.

Both sides use the release's own columns. A release stores ClassLabel
columns as integers; this module turns them into label names with the
Features derived from :mod:`kimputin_ds.rows` (so from the models), and
accepts names or integers in predictions. It reads Parquet with ``pyarrow``
and JSON Lines with the standard library: the scorer does not import
``datasets``.

Every problem of a prediction file is collected into a
:class:`~kimputin_ds.errors.Report` located by file and row (1-based: the
JSON Lines line, or the Parquet row), as the validator's issues are.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kimputin_ds.errors import KimputinError, Report
from kimputin_ds.features import _kind
from kimputin_ds.rows import CONFIGS

__all__ = ["Reference", "Table", "find_prediction_files", "read_predictions", "read_reference"]

Row = dict[str, Any]

#: Splits a release can have, in order.
SPLIT_ORDER = ("train", "validation", "test")


@dataclass
class Table:
    """Rows of one config, each with where it came from.

    Attributes:
        rows: The rows, labels as names.
        origins: ``(file, row number)`` of each row.
    """

    rows: list[Row]
    origins: list[tuple[str, int]]


@dataclass
class Reference:
    """The reference release: document texts and splits, and a loader of configs.

    Attributes:
        root: The release directory.
        texts: Text of every document.
        split_of: Split of every document.
    """

    root: Path
    texts: dict[str, str]
    split_of: dict[str, str]

    def documents(self, split: str) -> list[str]:
        """The documents of ``split`` (``all``: every document), in release order."""
        return [d for d, s in self.split_of.items() if split in ("all", s)]

    def rows(self, config: str) -> dict[str, list[Row]]:
        """The rows of a config by document, labels as names."""
        by_doc: dict[str, list[Row]] = {d: [] for d in self.texts}
        for path in sorted((self.root / "data" / config).glob("*.parquet")):
            for row in _read_parquet(path).rows:
                by_doc.setdefault(row["doc_id"], []).append(row)
        return by_doc


def _decode(feature: Any, value: Any, where: str, problems: list[tuple[str, str]]) -> Any:
    """``value`` with ClassLabel integers (or names) checked and turned into names."""
    if value is None:
        return None
    kind = feature.get("_type") if isinstance(feature, dict) else None
    if kind == "ClassLabel":
        names = feature["names"]
        if isinstance(value, bool) or not isinstance(value, int | str):
            problems.append((where, f"label {value!r} is not a name or an integer"))
            return None
        if isinstance(value, int):
            if 0 <= value < len(names):
                return names[value]
            problems.append((where, f"label index {value} out of range 0-{len(names) - 1}"))
            return None
        if value not in names:
            problems.append((where, f"unknown label {value!r}, expected one of {', '.join(names)}"))
            return None
        return value
    if kind == "List":
        if not isinstance(value, list):
            problems.append((where, f"expected a list, found {type(value).__name__}"))
            return None
        return [
            _decode(feature["feature"], v, f"{where}[{i}]", problems) for i, v in enumerate(value)
        ]
    if kind is None and isinstance(feature, dict):
        if not isinstance(value, dict):
            problems.append((where, f"expected an object, found {type(value).__name__}"))
            return None
        return {
            k: _decode(feature[k], v, f"{where}.{k}", problems) if k in feature else v
            for k, v in value.items()
        }
    return value


def _label_tree(annotation: Any) -> Any:
    """Where a row's labels are, with their names: the shape of ``Features.to_dict()``.

    Built from the row models' annotations, so the scorer needs no ``datasets``.
    """
    kind, payload = _kind(annotation)
    if kind == "label":
        return {"_type": "ClassLabel", "names": payload}
    if kind == "list":
        return {"_type": "List", "feature": _label_tree(payload)}
    if kind == "struct":
        return {n: _label_tree(i.annotation) for n, i in payload.model_fields.items()}
    return {"_type": "Value"}


@functools.cache
def _labels_of(config: str) -> dict[str, Any]:
    return {n: _label_tree(i.annotation) for n, i in CONFIGS[config].model_fields.items()}


def _decode_row(config: str, row: Mapping[str, Any]) -> tuple[Row, list[tuple[str, str]]]:
    features = _labels_of(config)
    problems: list[tuple[str, str]] = []
    out = {k: _decode(features[k], v, k, problems) if k in features else v for k, v in row.items()}
    return out, problems


def _read_parquet(path: Path, report: Report | None = None, config: str | None = None) -> Table:
    import pyarrow.parquet as pq

    config = config or path.parent.name
    try:
        rows = pq.read_table(path).to_pylist()
    except (OSError, ValueError) as exc:  # pyarrow's errors derive from these
        raise KimputinError(f"{path}: not a readable Parquet file: {exc}") from None
    return _decoded(path, config, enumerate(rows, 1), report)


def _read_jsonl(path: Path, config: str, report: Report) -> Table:
    def rows() -> Iterator[tuple[int, Any]]:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    yield number, json.loads(line)
                except ValueError as exc:
                    report.add(path, f"not JSON: {exc}", line=number, code="prediction_json")

    try:
        return _decoded(path, config, rows(), report)
    except UnicodeDecodeError as exc:
        raise KimputinError(f"{path}: not UTF-8 text: {exc}") from None


def _decoded(
    path: Path, config: str, rows: Iterator[tuple[int, Any]] | Any, report: Report | None
) -> Table:
    table = Table([], [])
    for number, raw in rows:
        if not isinstance(raw, dict):
            if report is not None:
                report.add(path, "a row must be a JSON object", line=number, code="prediction_row")
            continue
        row, problems = _decode_row(config, raw)
        for where, message in problems:
            if report is None:
                raise KimputinError(f"{path}: row {number}: {where}: {message}")
            report.add(path, message, line=number, field=where, code="prediction_label")
        table.rows.append(row)
        table.origins.append((str(path), number))
    return table


def read_reference(root: Path) -> Reference:
    """Open a release directory as the reference.

    Raises:
        KimputinError: When ``root`` is not a release (no ``documents`` config).
    """
    files = sorted((root / "data" / "documents").glob("*.parquet"))
    if not files:
        raise KimputinError(
            f"{root}: not a release directory (no data/documents/*.parquet); build one with "
            "`python -m kimputin_ds.build` or pass --reference"
        )
    texts: dict[str, str] = {}
    split_of: dict[str, str] = {}
    for split in SPLIT_ORDER:
        for path in files:
            if path.name.startswith(f"{split}-"):
                for row in _read_parquet(path).rows:
                    texts[row["doc_id"]] = row["text"]
                    split_of[row["doc_id"]] = split
    return Reference(root, texts, split_of)


def find_prediction_files(predictions: Path, config: str) -> list[Path]:
    """The prediction files of a config in a predictions directory.

    Looked for, in order: ``<config>.jsonl`` or ``<config>.parquet``; the
    files of a ``<config>/`` folder; the files of ``data/<config>/`` (a
    release directory, so a release can be scored against itself).
    """
    for candidates in (
        [predictions / f"{config}.jsonl", predictions / f"{config}.parquet"],
        sorted((predictions / config).glob("*")),
        sorted((predictions / "data" / config).glob("*")),
    ):
        found = [p for p in candidates if p.is_file() and p.suffix in (".jsonl", ".parquet")]
        if found:
            return found
    return []


def read_predictions(files: list[Path], config: str, report: Report) -> Table:
    """The rows of the prediction files of one config; problems go to ``report``."""
    table = Table([], [])
    for path in files:
        part = (
            _read_jsonl(path, config, report)
            if path.suffix == ".jsonl"
            else _read_parquet(path, report, config)
        )
        table.rows += part.rows
        table.origins += part.origins
    return table
