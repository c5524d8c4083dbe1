"""How the build writes Parquet: the options ``datasets``' own writer uses, where pyarrow has them.

``datasets`` writes Parquet with a page index (readers skip pages by their
statistics) and with content-defined chunking (pages cut where the content
says, not every N rows, so that the Hub's storage deduplicates the unchanged
parts of a file between versions). Both need a recent pyarrow: the page index
pyarrow 15's writer already has, content-defined chunking came in pyarrow 21.
The project accepts ``pyarrow>=15,<30``, so each option is used when the
installed ``ParquetWriter`` takes it, and left out otherwise. Either way the
output depends only on the rows, so builds stay byte-reproducible.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

#: The chunking parameters when ``datasets`` does not say (its defaults in 5.x).
FALLBACK_CDC_OPTIONS: dict[str, int] = {
    "min_chunk_size": 256 * 1024,
    "max_chunk_size": 1024 * 1024,
    "norm_level": 0,
}

#: Key of the Parquet key-value metadata that records the chunking, as ``datasets`` writes it.
CDC_METADATA_KEY = "content_defined_chunking"


def cdc_options() -> dict[str, int]:
    """The content-defined chunking parameters ``datasets`` uses (its ``DEFAULT_CDC_OPTIONS``)."""
    try:
        from datasets import config
    except ImportError:  # pragma: no cover - datasets is a dependency
        return dict(FALLBACK_CDC_OPTIONS)
    options = getattr(config, "DEFAULT_CDC_OPTIONS", None)
    return dict(options) if isinstance(options, dict) else dict(FALLBACK_CDC_OPTIONS)


def supported(option: str) -> bool:
    """Whether the installed ``pyarrow.parquet.ParquetWriter`` takes ``option``.

    >>> supported("compression"), supported("no_such_option")
    (True, False)
    """
    import pyarrow.parquet as pq

    return option in inspect.signature(pq.ParquetWriter.__init__).parameters


def writer_options(
    *, page_index: bool = True, content_defined_chunking: bool = True
) -> dict[str, Any]:
    """Keyword arguments for ``pyarrow.parquet.ParquetWriter``.

    zstd compression and column statistics always; the page index and
    content-defined chunking when asked for and supported.

    >>> sorted(writer_options(page_index=False, content_defined_chunking=False))
    ['compression', 'write_statistics']
    """
    options: dict[str, Any] = {"compression": "zstd", "write_statistics": True}
    if page_index and supported("write_page_index"):
        options["write_page_index"] = True
    if content_defined_chunking and supported("use_content_defined_chunking"):
        options["use_content_defined_chunking"] = cdc_options()
    return options


def key_value_metadata(options: dict[str, Any]) -> dict[str, str]:
    """The file metadata that records the chunking, as ``datasets`` adds it (or nothing)."""
    chunking = options.get("use_content_defined_chunking")
    if not chunking:
        return {}
    return {CDC_METADATA_KEY: json.dumps(chunking)}
