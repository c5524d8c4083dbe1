"""Measure what the page index and content-defined chunking cost: Parquet bytes and build time.

Builds the same corpus with four writer settings (neither option, as release
1.0.0 was written; page index only; content-defined chunking only; both, the
build's default where pyarrow supports them), each ``--repeat`` times in this
process, and prints per setting the total size of the Parquet files, the
median wall-clock and CPU seconds of a build, and whether the repeated builds
wrote byte-identical files. On a shared machine the wall-clock time follows
the load; the CPU time is the figure to compare.

Usage::

    python scripts/parquet_options.py                      # the seed corpus
    python scripts/parquet_options.py --corpus /tmp/synth/seeds --repeat 2

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


def build(corpus: Path, out: Path, options: dict[str, Any]) -> tuple[float, float]:
    """Build ``corpus`` into ``out`` with ``options``; return (wall, CPU) seconds."""
    from kimputin_ds.build import build_release
    from kimputin_ds.parquet_options import writer_options

    wall, cpu = time.perf_counter(), time.process_time()
    build_release(corpus, out, parquet=writer_options(**options))
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    """Print size, time and reproducibility per writer setting."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "seeds", help="corpus directory")
    parser.add_argument("--repeat", type=int, default=3, help="builds per setting (default 3)")
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
        header = ("setting", "parquet bytes", "wall s", "CPU s", "identical")
        print("{:<26} {:>13} {:>8} {:>8} {:>9}".format(*header))
        for n, (name, options) in enumerate(SETTINGS.items()):
            walls, cpus, digests, size = [], [], set(), 0
            for i in range(args.repeat):
                out = tmp / f"{n}-{i}"
                wall, cpu = build(args.corpus, out, options)
                walls.append(wall)
                cpus.append(cpu)
                digests.add(_digest(out))
                size = sum(p.stat().st_size for p in _parquet(out))
                shutil.rmtree(out)
            print(
                f"{name:<26} {size:>13} {statistics.median(walls):>8.2f} "
                f"{statistics.median(cpus):>8.2f} {'yes' if len(digests) == 1 else 'NO':>9}"
            )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    raise SystemExit(main())
