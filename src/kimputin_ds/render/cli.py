"""``python -m kimputin_ds.render``: write review pages, or diff pages against a reference."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kimputin_ds.errors import KimputinError


def main(argv: list[str] | None = None) -> int:
    """Render the corpus as static pages.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        0 when every document was rendered, 1 when the corpus has errors (the
        valid documents are still rendered, and the index lists the problems)
        or the pages could not be written, 2 for a usage error.
    """
    parser = argparse.ArgumentParser(
        prog="kimputin-render",
        description="Write static review pages of the corpus (one per article and an index), "
        "or, with --diff, pages that show what changed against a reference.",
    )
    parser.add_argument(
        "--root", type=Path, default=Path("seeds"), help="corpus directory (default: ./seeds)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="directory to write the pages into (default: dist/pages, or dist/pages-diff "
        "with --diff)",
    )
    parser.add_argument(
        "--diff",
        metavar="REF",
        help="show the changes against REF: a git revision (e.g. main) or a corpus directory",
    )
    parser.add_argument(
        "--agreement",
        type=Path,
        help="agreement report to show (default: agreement/report.json beside the corpus)",
    )
    args = parser.parse_args(argv)
    output = args.output or Path("dist/pages-diff" if args.diff else "dist/pages")

    from kimputin_ds.render.diff import render_diff
    from kimputin_ds.render.review import render_review

    started = time.perf_counter()
    try:
        if args.diff:
            result = render_diff(args.root, args.diff, output, agreement=args.agreement)
        else:
            result = render_review(args.root, output, agreement=args.agreement)
    except KimputinError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for issue in result.report:
        print(issue.format(), file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(
        f"wrote {len(result.pages)} page(s) to {result.output} in {elapsed:.2f} s; "
        f"open {result.output / 'index.html'}"
    )
    return 0 if result.report.ok else 1
