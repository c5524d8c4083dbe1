"""Release rows to Arrow record batches, column by column, labels encoded on the way.

Used by the build's writers and by its worker processes alike, so that a
batch is the same bytes whichever process converted it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kimputin_ds.features import arrow_schema, column_encoders
from kimputin_ds.rows import CONFIGS

if TYPE_CHECKING:
    import pyarrow as pa


class BatchConverter:
    """Turns lists of row dicts of any config into Arrow record batches.

    Column by column, with labels encoded on the way: cheaper than converting
    row dicts to a struct array (and than copying them to encode labels).
    """

    def __init__(self) -> None:
        import pyarrow as pa  # heavy: only when building

        self._pa = pa
        self.schemas: dict[str, pa.Schema] = {c: arrow_schema(m) for c, m in CONFIGS.items()}
        self.columns = {
            c: list(zip(column_encoders(m), self.schemas[c].types, strict=True))
            for c, m in CONFIGS.items()
        }
        # With pyarrow's default pool (mimalloc), the streaming export of 1000
        # documents spent ~0.3 s in the kernel against ~0.08 s with the system
        # allocator (same user time).
        self.pool = pa.system_memory_pool()

    def convert(self, config: str, rows: list[dict[str, Any]]) -> pa.RecordBatch:
        """One record batch of ``rows`` (label names become ClassLabel integers)."""
        arrays = [
            self._pa.array(column(rows), type=type_, memory_pool=self.pool)
            for column, type_ in self.columns[config]
        ]
        return self._pa.RecordBatch.from_arrays(arrays, schema=self.schemas[config])
