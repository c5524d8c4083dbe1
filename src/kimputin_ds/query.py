"""Helpers for reading a release's Parquet files without ``datasets`` (DuckDB, pandas).

Label columns are stored as ``ClassLabel`` integers. Their names travel in
every Parquet file's ``huggingface`` schema metadata (the ``datasets``
features) and in the card; :func:`label_names` reads them from the files, so
it always matches the release at hand. ``pyarrow`` is imported only when it
is called.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: The schema metadata key under which ``datasets`` stores the features.
FEATURES_KEY = b"huggingface"


def _features(release: Path, config: str) -> dict[str, Any]:
    import pyarrow.parquet as pq

    files = sorted((release / "data" / config).glob("*.parquet"))
    if not files:
        configs = sorted(p.name for p in (release / "data").glob("*") if p.is_dir())
        raise ValueError(
            f"no Parquet files for config {config!r} in {release}"
            + (f"; configs: {', '.join(configs)}" if configs else "; is this a release directory?")
        )
    metadata = pq.read_schema(files[0]).metadata or {}
    if FEATURES_KEY not in metadata:
        raise ValueError(f"{files[0]} carries no datasets features in its metadata")
    features: dict[str, Any] = json.loads(metadata[FEATURES_KEY])["info"]["features"]
    return features


def _label_columns(features: dict[str, Any], prefix: str = "") -> dict[str, list[str]]:
    """Every ClassLabel column by dotted path (``arguments.role`` inside a list of structs)."""
    found: dict[str, list[str]] = {}
    for name, declared in features.items():
        path = f"{prefix}{name}"
        feature = declared
        while isinstance(feature, dict) and feature.get("_type") in ("List", "Sequence"):
            feature = feature["feature"]
        if not isinstance(feature, dict):
            continue
        if feature.get("_type") == "ClassLabel":
            found[path] = list(feature["names"])
        elif "_type" not in feature:  # a struct: its fields
            found.update(_label_columns(feature, f"{path}."))
    return found


def label_names(release: str | Path, config: str, column: str) -> list[str]:
    """The names of a label column's integers, in order: ``names[i]`` is label ``i``.

    Args:
        release: A release directory (``dist/<version>``, or a download of the Hub repository).
        config: The config, e.g. ``quotes``.
        column: The label column; a dotted path inside structs and lists, e.g.
            ``arguments.role`` in ``events``.

    Returns:
        The label names, read from the Parquet files' ``datasets`` features.

    Raises:
        ValueError: When the config has no files or the column is not a label column.

    Example::

        label_names(f"dist/{kimputin_ds.__version__}", "quotes", "kind")
        # ['direct', 'indirect', 'mixed']

    >>> label_names("no-such-dir", "quotes", "kind")
    Traceback (most recent call last):
    ValueError: no Parquet files for config 'quotes' in no-such-dir; is this a release directory?
    """
    labels = _label_columns(_features(Path(release), config))
    if column not in labels:
        raise ValueError(
            f"{column!r} is not a label column of {config!r}; its label columns: "
            + ", ".join(sorted(labels))
        )
    return labels[column]
