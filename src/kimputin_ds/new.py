"""``python -m kimputin_ds.new`` (``kimputin-new``): add a raw article to the corpus.

Example::

    kimputin-new article.txt --outlet "Kompas TV" --published 2024-06-19 --split train

copies ``article.txt`` byte-exact to ``seeds/<doc_id>.txt``, writes the
annotation skeleton ``seeds/<doc_id>.yaml`` and lists the document in
``seeds/splits.yaml``; see :mod:`kimputin_ds.newdoc` for the ``doc_id`` rule.
Exit status: 0 when the article was added, 1 when nothing was (every reason
is printed), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Add one article and print what was written and what to do next.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        The exit status: 0 when the article was added, 1 when nothing was.
    """
    from kimputin_ds.errors import KimputinError
    from kimputin_ds.models import DateDerivation, SplitName, labels
    from kimputin_ds.newdoc import add_article

    parser = argparse.ArgumentParser(
        prog="kimputin-new",
        description="Add a raw article to the corpus: copy the text byte-exact, write its "
        "annotation skeleton with the text's fingerprint, and list it in splits.yaml.",
    )
    parser.add_argument("text", type=Path, help="the raw article, exactly as published")
    parser.add_argument("--outlet", required=True, help="the publishing outlet, e.g. 'Kompas TV'")
    parser.add_argument(
        "--published", required=True, metavar="YYYY-MM-DD", help="the publication date"
    )
    parser.add_argument(
        "--split",
        required=True,
        choices=labels(SplitName),
        help="the split the document goes to (it never changes afterwards)",
    )
    parser.add_argument(
        "--derivation",
        default="stated",
        choices=labels(DateDerivation),
        help="how the date was established (default: stated, the page prints it)",
    )
    parser.add_argument(
        "--root", type=Path, default=Path("seeds"), help="corpus directory (default: ./seeds)"
    )
    parser.add_argument(
        "--crlf",
        action="store_true",
        help="the published source itself has Windows (CRLF) line endings",
    )
    parser.add_argument(
        "--bom", action="store_true", help="the published source itself starts with a UTF-8 BOM"
    )
    args = parser.parse_args(argv)

    try:
        added = add_article(
            args.root,
            args.text,
            outlet=args.outlet,
            published=args.published,
            split=args.split,
            derivation=args.derivation,
            crlf=args.crlf,
            bom=args.bom,
        )
    except KimputinError as exc:
        for issue in exc.report:
            # A problem with an option has no file to point at.
            text = issue.format()
            if issue.path.startswith("--"):
                text = f"{issue.path}: {text.split(': ', 1)[1]}"
            print(text, file=sys.stderr)
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"added {added.doc_id} to {added.split}")
    print(f"  {added.text_path}  the text, byte-exact ({added.length} bytes)")
    print(f"  {added.annotation_path}  the annotation skeleton, with the text's sha256")
    print(f"  {added.splits_path}  lists it under {added.split}")
    print(
        f"next: annotate {added.annotation_path} (docs/guidelines.md), add new entities to "
        f"{added.splits_path.with_name('entities.yaml')}, then run kimputin-validate"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
