"""Regenerate ``tests/golden/<case>/expected.txt`` after a deliberate change of wording.

Each golden case overlays ``tests/golden/<case>/`` on the valid mini corpus
``tests/data/corpus`` and records every message the validator reports.
``tests/test_golden.py`` compares them and never writes: run this script,
review ``git diff tests/golden``, and commit the result::

    python scripts/update_golden.py              # every case
    python scripts/update_golden.py CASE ...     # only these cases
    python scripts/update_golden.py --check      # write nothing; exit 1 if any is stale

This script writes only ``expected.txt`` files inside existing case folders.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden"
MINI_CORPUS = REPO / "tests" / "data" / "corpus"
EXPECTED = "expected.txt"


def cases() -> list[str]:
    """The names of the golden cases."""
    return sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def overlay(case: Path, root: Path) -> None:
    """Copy the mini corpus to ``root`` and apply ``case`` to it.

    A file ``X.delete`` in a case deletes ``X`` from the copy.
    """
    shutil.copytree(MINI_CORPUS, root)
    for path in sorted(case.iterdir()):
        if path.name == EXPECTED:
            continue
        if path.suffix == ".delete":
            (root / path.stem).unlink()
        else:
            shutil.copy(path, root / path.name)


def messages(case: Path, workdir: Path) -> str:
    """The validator's report on ``case``, with the temporary root written as ``seeds``."""
    from kimputin_ds.validation import validate_corpus

    root = workdir / "seeds"
    overlay(case, root)
    report = validate_corpus(root)
    return report.to_text().replace(str(root), "seeds") + "\n"


def main(argv: list[str] | None = None) -> int:
    """Rewrite the expected messages of the golden cases (or only compare them)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.cases) - set(cases()))
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}")
    stale = 0
    for name in args.cases or cases():
        expected = GOLDEN / name / EXPECTED
        with tempfile.TemporaryDirectory() as tmp:
            got = messages(GOLDEN / name, Path(tmp))
        old = expected.read_text(encoding="utf-8") if expected.is_file() else None
        if got == old:
            continue
        stale += 1
        if args.check:
            print(f"stale: {expected.relative_to(REPO)}")
        else:
            expected.write_text(got, encoding="utf-8")
            print(f"wrote: {expected.relative_to(REPO)}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
