"""Measure what the page index and content-defined chunking cost: Parquet bytes and build time.

Builds the same corpus with four writer settings (neither option, page index
only, content-defined chunking only, both, the build's default where pyarrow
supports them), each ``--repeat`` times, and prints per setting the total
size of the Parquet files, the median build time, and whether the repeated
builds were byte-identical. Two settings are also compared across two corpus
versions (the corpus, then the corpus plus copies of its last ``--grow``
articles) by the share of 64 KiB-aligned Parquet pages of the new files that
the old files already contain, a rough proxy for what a deduplicating store
keeps once.

Usage::

    python scripts/parquet_options.py                      # the seed corpus
    python scripts/parquet_options.py --corpus /tmp/synth/seeds --repeat 3

Figures are printed, never written into the repository.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

SETTINGS: dict[str, dict[str, bool]] = {
    "neither (1.0.0)": {"page_index": False, "content_defined_chunking": False},
    "page index": {"page_index": True, "content_defined_chunking": False},
    "content-defined chunking": {"page_index": False, "content_defined_chunking": True},
    "both (default)": {"page_index": True, "content_defined_chunking": True},
}


def _parquet(release: Path) -> list[Path]:
    return sorted(release.glob("data/*/*.parquet"))


def _digest(release: Path) -> str:
    digest = hashlib.sha256()
    for path in _parquet(release):
        digest.update(path.relative_to(release).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _pages(release: Path, size: int = 64 * 1024) -> dict[str, int]:
    """Content hashes of the column chunks' pages, cut at fixed offsets within each chunk."""
    import pyarrow.parquet as pq

    found: dict[str, int] = {}
    for path in _parquet(release):
        data = path.read_bytes()
        meta = pq.ParquetFile(path).metadata
        for rg in range(meta.num_row_groups):
            group = meta.row_group(rg)
            for col in range(group.num_columns):
                chunk = group.column(col)
                start = chunk.dictionary_page_offset or chunk.data_page_offset
                body = data[start : start + chunk.total_compressed_size]
                for offset in range(0, len(body), size):
                    piece = body[offset : offset + size]
                    found[hashlib.sha256(piece).hexdigest()] = len(piece)
    return found


def build(corpus: Path, out: Path, options: dict[str, Any]) -> float:
    """Build ``corpus`` into ``out`` with ``options``; return the seconds it took."""
    from kimputin_ds.build import build_release
    from kimputin_ds.parquet_options import writer_options

    started = time.perf_counter()
    build_release(corpus, out, parquet=writer_options(**options))
    return time.perf_counter() - started


_NO_QUOTES = str.maketrans("", "", "\"'“”‘’«»„")


def _grown(corpus: Path, tmp: Path, grow: int) -> Path:
    """A copy of the checkout with ``grow`` new train articles, added as a contributor would.

    Each new article is the text of one of the last articles without its
    quotation marks and with a line appended, added with
    ``kimputin_ds.newdoc.add_article`` (text, annotation skeleton, splits).
    """
    from kimputin_ds.newdoc import add_article

    checkout = tmp / "grown"
    root = checkout / "seeds"
    shutil.copytree(corpus, root)
    for name in ("DATASET_CARD.md", "pyproject.toml"):
        if (corpus.parent / name).is_file():
            shutil.copy(corpus.parent / name, checkout / name)
    shutil.copytree(corpus.parent / "docs", checkout / "docs")
    for i, path in enumerate(sorted(root.glob("*.txt"))[-grow:]):
        text = tmp / f"new-{i}.txt"
        body = path.read_text(encoding="utf-8").translate(_NO_QUOTES)  # nothing to annotate
        text.write_text(body + f"\nTambahan {i}.\n", encoding="utf-8")
        add_article(root, text, outlet="Outlet Baru", published="2024-06-20", split="train")
    return root


def main(argv: list[str] | None = None) -> int:
    """Print size, time and reproducibility per writer setting."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "seeds", help="corpus directory")
    parser.add_argument("--repeat", type=int, default=3, help="builds per setting (default 3)")
    parser.add_argument(
        "--grow", type=int, default=1, help="articles copied for the second version (default 1)"
    )
    args = parser.parse_args(argv)

    import pyarrow

    from kimputin_ds.parquet_options import supported

    print(f"pyarrow {pyarrow.__version__}; corpus {args.corpus}; {args.repeat} builds each")
    print(
        "supported: page index",
        supported("write_page_index"),
        "| content-defined chunking",
        supported("use_content_defined_chunking"),
    )
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        grown = _grown(args.corpus.resolve(), tmp, args.grow)
        print(
            f"{'setting':<26} {'parquet bytes':>13} {'median s':>9} {'identical':>9} {'reused':>7}"
        )
        for name, options in SETTINGS.items():
            times, digests = [], set()
            for i in range(args.repeat):
                out = tmp / f"{len(digests)}-{i}-{name[:4]}"
                times.append(build(args.corpus, out, options))
                digests.add(_digest(out))
                size = sum(p.stat().st_size for p in _parquet(out))
                if i:
                    shutil.rmtree(out)
                else:
                    first = out
            later = tmp / f"grown-{name[:4]}"
            build(grown, later, options)
            old, new = _pages(first), _pages(later)
            reused = sum(n for h, n in new.items() if h in old) / max(1, sum(new.values()))
            print(
                f"{name:<26} {size:>13} {statistics.median(times):>9.2f} "
                f"{'yes' if len(digests) == 1 else 'NO':>9} {reused:>7.1%}"
            )
            shutil.rmtree(first)
            shutil.rmtree(later)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    raise SystemExit(main())
