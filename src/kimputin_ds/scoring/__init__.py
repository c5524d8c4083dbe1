"""The official scorer: predictions in the release's columns against a reference release.

:func:`score` checks the predictions (every problem at once, located by file
and row), scores each task on the documents of a split, and adds 95 %
percentile-bootstrap confidence intervals that resample documents. The
command line is :mod:`kimputin_ds.evaluate`; the tasks, matching rules and
protocol are defined in ``docs/evaluation.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kimputin_ds.errors import KimputinError, Report
from kimputin_ds.scoring.metrics import bootstrap
from kimputin_ds.scoring.tables import (
    Reference,
    Table,
    find_prediction_files,
    read_predictions,
    read_reference,
)
from kimputin_ds.scoring.tasks import TASKS, Task

__all__ = [
    "TASKS",
    "Score",
    "TaskScore",
    "check_predictions",
    "figure",
    "interval",
    "score",
    "score_rows",
]

Row = dict[str, Any]

#: Printed with every score: the protocol's warning about a five-document corpus.
UNSTABLE = (
    "A figure from one test document is not stable: the test split is one article. "
    "Report leave-one-document-out cross-validation (docs/evaluation.md) with these intervals."
)


@dataclass
class TaskScore:
    """One task's figures.

    Attributes:
        task: The task's name.
        metrics: Each metric's value over the documents (None: undefined).
        intervals: Each metric's 95 % bootstrap interval (None: undefined).
        support: Reference items scored.
        documents: Documents scored.
    """

    task: str
    metrics: dict[str, float | None]
    intervals: dict[str, tuple[float, float] | None]
    support: int
    documents: int


@dataclass
class Score:
    """The scorer's result.

    Attributes:
        split: The split scored (``all`` for every document).
        documents: The documents scored.
        tasks: The score of each task.
        samples: Bootstrap resamples.
        seed: Seed of the resampling.
        notes: What the reader must know (stability, ignored rows).
    """

    split: str
    documents: list[str]
    tasks: list[TaskScore] = field(default_factory=list)
    samples: int = 1000
    seed: int = 0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (intervals as two-element lists)."""
        return {
            "split": self.split,
            "documents": self.documents,
            "bootstrap": {"samples": self.samples, "seed": self.seed, "level": 0.95},
            "notes": self.notes,
            "tasks": {
                t.task: {
                    "documents": t.documents,
                    "support": t.support,
                    "metrics": {
                        name: {"value": value, "ci95": _interval(t.intervals.get(name))}
                        for name, value in t.metrics.items()
                    },
                }
                for t in self.tasks
            },
        }


def figure(value: float | None) -> str:
    """A metric as printed: three decimals, or ``–`` when undefined.

    >>> figure(0.5), figure(None)
    ('0.500', '–')
    """
    return "–" if value is None else f"{value:.3f}"


def interval(ci: tuple[float, float] | None) -> str:
    """A confidence interval as printed, or ``–`` when there is none.

    >>> interval((0.25, 0.5))
    '[0.250, 0.500]'
    """
    return "–" if ci is None else f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def _interval(ci: tuple[float, float] | None) -> list[float] | None:
    return None if ci is None else [ci[0], ci[1]]


def _span_values(row: Row, column: str) -> list[tuple[str, Any]]:
    if column == "":
        return [("", row)]
    if column.endswith("[]"):
        name = column[:-2]
        return [(f"{name}[{i}]", v) for i, v in enumerate(row.get(name) or [])]
    return [(column, row.get(column))]


def check_predictions(
    task: Task, table: Table, reference: Reference, ref_rows: dict[str, list[Row]], report: Report
) -> None:
    """Add every problem of the predicted rows of ``task`` to ``report``.

    A row must have the task's required columns, name a document of the
    reference, and give offsets inside that document's text; labels were
    checked when the rows were read.
    """
    for row, (path, number) in zip(table.rows, table.origins, strict=True):

        def problem(
            message: str, column: str = "", *, path: str = path, number: int = number
        ) -> None:
            report.add(path, message, line=number, field=column, code="prediction")

        missing = [c for c in task.required if c not in row]
        if missing:
            problem(f"missing column(s) {', '.join(missing)} for task {task.name}")
            continue
        doc_id = row["doc_id"]
        text = reference.texts.get(doc_id) if isinstance(doc_id, str) else None
        if text is None:
            problem(f"unknown document {doc_id!r}: not in the reference release", "doc_id")
            continue
        for column in task.spans:
            for where, span in _span_values(row, column):
                if span is None:
                    continue
                start, end = (
                    (span.get("start"), span.get("end")) if isinstance(span, dict) else (None, None)
                )
                label = f"{where}." if where else ""
                if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)):
                    problem(
                        f"offsets must be integers, found start={start!r} end={end!r}",
                        f"{label}start",
                    )
                elif not 0 <= start < end <= len(text):  # type: ignore[operator]
                    problem(
                        f"offsets {start}-{end} out of range: document {doc_id!r} has "
                        f"{len(text)} characters and a span needs start < end",
                        f"{label}start",
                    )
        if task.check is not None:
            message = task.check(row, ref_rows.get(doc_id, []))
            if message:
                problem(message)


def score_rows(
    task: Task,
    reference: dict[str, list[Row]],
    predicted: dict[str, list[Row]],
    documents: Sequence[str],
    *,
    samples: int = 1000,
    seed: int = 0,
) -> TaskScore:
    """Score one task on ``documents`` from rows already read and checked.

    Args:
        task: The task.
        reference: Reference rows by document.
        predicted: Predicted rows by document (a document may be absent: no predictions).
        documents: The documents to score.
        samples: Bootstrap resamples (0: no intervals).
        seed: Seed of the resampling.
    """
    rows = [r for d in documents for r in predicted.get(d, [])]
    columns = frozenset.intersection(*(frozenset(r) for r in rows)) if rows else _all_columns(task)
    per_doc = [task.count(reference.get(d, []), predicted.get(d, []), columns) for d in documents]
    metrics = task.combine(per_doc)
    intervals: dict[str, tuple[float, float] | None] = {}
    if samples and len(documents) > 1:
        intervals = bootstrap(per_doc, task.combine, samples=samples, seed=seed)
    return TaskScore(
        task.name,
        metrics,
        {name: intervals.get(name) for name in metrics},
        sum(task.support(reference.get(d, [])) for d in documents),
        len(documents),
    )


def _all_columns(task: Task) -> frozenset[str]:
    """With no predicted row at all, every metric is scored (and recall is 0)."""
    from kimputin_ds.rows import CONFIGS

    return frozenset(CONFIGS[task.config].model_fields)


def score(
    reference: Path,
    predictions: Path,
    *,
    tasks: Sequence[str] | None = None,
    split: str = "test",
    samples: int = 1000,
    seed: int = 0,
) -> Score:
    """Score a directory of predictions against a release.

    Args:
        reference: The release directory.
        predictions: The predictions directory (see :func:`find_prediction_files`).
        tasks: Task names (default: every task with predictions).
        split: ``train``, ``validation``, ``test`` or ``all``.
        samples: Bootstrap resamples.
        seed: Seed of the resampling.

    Raises:
        KimputinError: When there is nothing to score or a prediction is invalid;
            its report locates every problem.
    """
    ref = read_reference(reference)
    documents = ref.documents(split)
    if not documents:
        raise KimputinError(f"the reference {reference} has no document in split {split!r}")
    if not predictions.is_dir():
        raise KimputinError(f"predictions directory not found: {predictions}")
    wanted = list(tasks) if tasks else list(TASKS)
    unknown = [t for t in wanted if t not in TASKS]
    if unknown:
        raise KimputinError(f"unknown task(s) {', '.join(unknown)}; tasks: {', '.join(TASKS)}")
    report = Report()
    result = Score(split, documents, samples=samples, seed=seed)
    loaded: list[tuple[Task, dict[str, list[Row]], dict[str, list[Row]]]] = []
    for name in wanted:
        task = TASKS[name]
        files = find_prediction_files(predictions, task.config)
        if not files:
            if tasks:
                report.add(
                    predictions,
                    f"no predictions for task {name}: expected {task.config}.jsonl, "
                    f"{task.config}.parquet, {task.config}/ or data/{task.config}/",
                    code="prediction_missing",
                )
            continue
        table = read_predictions(files, task.config, report)
        ref_rows = ref.rows(task.config)
        check_predictions(task, table, ref, ref_rows, report)
        by_doc: dict[str, list[Row]] = {}
        outside = 0
        for row in table.rows:
            if row.get("doc_id") in documents:
                by_doc.setdefault(row["doc_id"], []).append(row)
            else:
                outside += 1
        if outside:
            result.notes.append(
                f"{name}: {outside} predicted row(s) of documents outside split {split!r} ignored"
            )
        loaded.append((task, ref_rows, by_doc))
    if not report.ok:
        raise KimputinError("the predictions are invalid; nothing was scored", report)
    if not loaded:
        raise KimputinError(
            f"no predictions found in {predictions} for any task ({', '.join(TASKS)})"
        )
    for task, ref_rows, by_doc in loaded:
        result.tasks.append(
            score_rows(task, ref_rows, by_doc, documents, samples=samples, seed=seed)
        )
    if len(documents) == 1:
        result.notes.append(UNSTABLE + " One document: no confidence interval can be computed.")
    else:
        result.notes.append(
            f"95 % confidence intervals: percentile bootstrap over the {len(documents)} "
            f"documents, {samples} resamples, seed {seed}. {UNSTABLE}"
        )
    return result
