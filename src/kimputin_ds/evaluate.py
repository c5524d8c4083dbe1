"""``python -m kimputin_ds.evaluate``: score predictions against a release (``kimputin-eval``).

Predictions are a directory of Parquet or JSON Lines files in the release's
own columns (``quotes.jsonl``, ``events.parquet``, ``stances/``, or a whole
release-shaped ``data/<config>/``); a task needs only the columns it scores.
The output gives each metric with its 95 % bootstrap confidence interval over
documents. See ``docs/evaluation.md`` for the tasks, the matching rules and
the protocol (leave-one-document-out cross-validation).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kimputin_ds.errors import KimputinError
from kimputin_ds.scoring import TASKS, Score, figure, interval, score
from kimputin_ds.version import __version__


def format_table(result: Score) -> str:
    """The scores as a plain-text table, one metric per line, then the notes.

    >>> from kimputin_ds.scoring import TaskScore
    >>> s = Score("test", ["d"], [TaskScore("quotes", {"content.exact.f1": 0.5}, {}, 4, 1)])
    >>> print(format_table(s).splitlines()[2])
    quotes  content.exact.f1  0.500  –               4        1
    """
    header = ("task", "metric", "value", "95% CI", "support", "docs")
    lines = []
    for t in result.tasks:
        for name, value in t.metrics.items():
            ci = interval(t.intervals.get(name))
            lines.append((t.task, name, figure(value), ci, str(t.support), str(t.documents)))
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    widths[3] = max(widths[3], 14)
    out = [
        "  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in lines]
    out.append("")
    out += [f"note: {n}" for n in result.notes]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Score predictions; print a table or JSON, or every problem of the predictions.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        0 when scored, 1 when the predictions or the reference are invalid.
    """
    from kimputin_ds.build import default_output

    parser = argparse.ArgumentParser(
        prog="kimputin-eval",
        description="Score system predictions against a kimputin_ds release "
        "(see docs/evaluation.md).",
    )
    parser.add_argument(
        "--reference",
        type=Path,
        default=None,
        help=f"release directory (default: the current build, {default_output(__version__)})",
    )
    parser.add_argument(
        "--predictions", type=Path, required=True, help="directory of Parquet or JSONL predictions"
    )
    parser.add_argument(
        "--task",
        choices=[*TASKS, "all"],
        default="all",
        help="task to score (default: every task with predictions)",
    )
    parser.add_argument(
        "--split",
        choices=["train", "validation", "test", "all"],
        default="test",
        help="split to score, or all (leave-one-document-out predictions); default test",
    )
    parser.add_argument("--format", choices=["table", "json"], default="table")
    parser.add_argument(
        "--bootstrap", type=int, default=1000, metavar="N", help="bootstrap resamples (1000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="bootstrap seed (0)")
    args = parser.parse_args(argv)
    reference = args.reference or default_output(__version__)
    try:
        result = score(
            reference,
            args.predictions,
            tasks=None if args.task == "all" else [args.task],
            split=args.split,
            samples=max(args.bootstrap, 0),
            seed=args.seed,
        )
    except KimputinError as exc:
        if exc.report.issues:
            print(exc.report.to_text(), file=sys.stderr)
        print(f"evaluation failed: {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
