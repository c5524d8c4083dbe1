"""``python -m kimputin_ds.validate``: check the corpus and report every problem.

Exit status: 0 when there is no error, 1 otherwise (2 for a usage error).
This path imports neither ``datasets`` nor ``pyarrow`` so that it stays fast
enough for a pre-commit hook.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kimputin_ds.cache import ValidationCache, default_cache_path
from kimputin_ds.corpus import ANNOTATION_SUFFIX, TEXT_SUFFIX
from kimputin_ds.errors import printable
from kimputin_ds.parallel import add_jobs_argument, available_cores
from kimputin_ds.validation import validate_corpus

DEFAULT_ROOT = Path("seeds")


def _targets(root: Path | None, paths: list[Path]) -> tuple[Path | None, frozenset[str] | None]:
    """The corpus directory, and the documents that named files ask to check afresh.

    A directory names the corpus; a document's ``.txt`` or ``.yaml`` names
    that document; any other file (the registry, the splits, a schema file)
    may change every document's checks, so it names them all (None).
    """
    dirs = [p for p in paths if p.is_dir()]
    files = [p for p in paths if not p.is_dir()]
    if len(dirs) > 1 or (dirs and root is not None and dirs[0] != root):
        return None, frozenset()
    root = root or (dirs[0] if dirs else DEFAULT_ROOT)
    docs: set[str] = set()
    for path in files:
        if path.parent.resolve() == root.resolve() and path.suffix in (
            TEXT_SUFFIX,
            ANNOTATION_SUFFIX,
        ):
            docs.add(path.stem)
        else:
            return root, None
    return root, frozenset(docs)


def main(argv: list[str] | None = None) -> int:
    """Validate a corpus directory and print the report.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        The exit status: 0 when the corpus is valid, 1 when it is not.
    """
    parser = argparse.ArgumentParser(
        prog="kimputin-validate",
        description="Validate the kimputin_ds corpus: texts, annotations, registry, splits.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="the corpus directory (default: ./seeds), or files of it to check afresh "
        "(as a pre-commit hook passes them); the whole corpus is always validated",
    )
    parser.add_argument(
        "--root", type=Path, default=None, help="corpus directory (default: ./seeds)"
    )
    add_jobs_argument(parser, "the report")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="check every document afresh and leave the cache (.kimputin_cache/) alone",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only, no warnings")
    args = parser.parse_args(argv)
    root, recheck = _targets(args.root, args.paths)
    if root is None:
        parser.error("give one corpus directory, or files of one corpus")
    cache = None
    if not args.no_cache:
        cache = ValidationCache(default_cache_path(root), refresh=recheck is None)
    report = validate_corpus(
        root, jobs=args.jobs or available_cores(), cache=cache, recheck=recheck or ()
    )
    args.root = root
    failed = not report.ok or (args.strict and len(report) > 0)
    if args.format == "json":
        print(report.to_json())
        return 1 if failed else 0
    shown = [i for i in report if not (args.quiet and i.severity == "warning")]
    for issue in shown:
        print(issue.format(), file=sys.stdout)
    n_err, n_warn = len(report.errors), len(report) - len(report.errors)
    summary = f"{n_err} error(s), {n_warn} warning(s) in {args.root}"
    print(("FAILED: " if failed else "OK: ") + printable(summary), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
