"""``python -m kimputin_ds.export``: write the corpus in an annotation tool's or library's format.

Formats: ``brat`` (standoff ``.txt``/``.ann`` with generated configuration),
``labelstudio`` (tasks JSON with pre-annotations and a labelling config),
``conll`` (one token per line, a BIO column per layer) and ``spacy``
(``DocBin`` files per split; needs the ``spacy`` extra). See docs/formats.md.

``--release DIR`` makes the CoNLL files from a built release (the Parquet
``tokens`` config) instead of the corpus, for users of the published dataset.

Exit status: 0 on success, 1 when the corpus is invalid or the output exists,
2 for a usage error. Nothing is ever written over: ``--output`` must be new
or an empty directory.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kimputin_ds.errors import KimputinError

#: Format name -> module under kimputin_ds.formats with ``export_corpus(corpus, out)``.
FORMATS = ("brat", "labelstudio", "conll", "spacy")
#: Formats that can also be made from a built release (``--release``).
RELEASE_FORMATS = ("conll",)


def _exporter(name: str) -> Callable[..., int]:
    import importlib

    module = importlib.import_module(f"kimputin_ds.formats.{name}")
    return module.export_corpus  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> int:
    """Export the corpus.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(
        prog="kimputin-export",
        description="Export the kimputin_ds corpus to BRAT, Label Studio, CoNLL or spaCy.",
    )
    parser.add_argument("--format", required=True, choices=FORMATS, help="output format")
    parser.add_argument(
        "--output", required=True, type=Path, help="new (or empty) directory to write"
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--corpus",
        type=Path,
        default=Path("seeds"),
        help="corpus directory to read (default: ./seeds)",
    )
    source.add_argument(
        "--release",
        type=Path,
        help="read a built release directory instead (conll only: its tokens config)",
    )
    args = parser.parse_args(argv)
    if args.release is not None and args.format not in RELEASE_FORMATS:
        parser.error(
            f"--release works with --format {', '.join(RELEASE_FORMATS)}; "
            f"the {args.format} export reads the corpus (--corpus), which holds every field"
        )

    from kimputin_ds.formats.output import OutputDir
    from kimputin_ds.formats.source import open_valid_corpus

    started = time.perf_counter()
    try:
        if args.release is not None:
            from kimputin_ds.formats.conll import export_release

            if not args.release.is_dir():
                raise KimputinError(f"{args.release}: release directory not found")
            with OutputDir(args.output) as out:
                count = export_release(args.release, out)
        else:
            corpus = open_valid_corpus(args.corpus)
            export = _exporter(args.format)
            with OutputDir(args.output, corpus=args.corpus) as out:
                count = export(corpus, out)
    except KimputinError as exc:
        for issue in exc.report:
            print(issue.format(), file=sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ImportError as exc:
        print(
            f"error: the {args.format} export needs {exc.name!r}: "
            f"pip install 'kimputin-ds[{args.format}]'",
            file=sys.stderr,
        )
        return 1
    elapsed = time.perf_counter() - started
    print(
        f"exported {count} document(s) as {args.format} to {args.output} in {elapsed:.2f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
