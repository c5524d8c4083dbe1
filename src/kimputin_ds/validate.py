"""``python -m kimputin_ds.validate``: check the corpus and report every problem.

Exit status: 0 when there is no error, 1 otherwise (2 for a usage error).
This path imports neither ``datasets`` nor ``pyarrow`` so that it stays fast
enough for a pre-commit hook.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kimputin_ds.validation import validate_corpus


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
        "root",
        nargs="?",
        type=Path,
        default=Path("seeds"),
        help="corpus directory (default: ./seeds)",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only, no warnings")
    args = parser.parse_args(argv)

    report = validate_corpus(args.root)
    failed = not report.ok or (args.strict and len(report) > 0)
    if args.format == "json":
        print(report.to_json())
        return 1 if failed else 0
    shown = [i for i in report if not (args.quiet and i.severity == "warning")]
    for issue in shown:
        print(issue.format(), file=sys.stdout)
    n_err, n_warn = len(report.errors), len(report) - len(report.errors)
    summary = f"{n_err} error(s), {n_warn} warning(s) in {args.root}"
    print(("FAILED: " if failed else "OK: ") + summary, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
