"""The scorer's tasks: what each compares, per document, and the metrics it reports.

Each task reads one config of the predictions and the same config of the
reference. Per document it turns the two sets of rows into counts (or, for
cross-document coreference, into mention clusters); the corpus figure
combines the documents, so a bootstrap sample of documents is scored the
same way. The matching rules are defined in ``docs/evaluation.md``.

Label sets are never written here: they are the models' (through the
release Features), and the stance groups come from the models' stance label
sets and the stance rows' target kind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kimputin_ds import models
from kimputin_ds.scoring.metrics import (
    accuracy,
    coreference,
    count_accuracy,
    count_matches,
    lenient_pairs,
    macro_f1,
    prf,
)

__all__ = ["TASKS", "Task"]

Row = dict[str, Any]
Metrics = dict[str, float | None]


@dataclass(frozen=True)
class Task:
    """One scoring task.

    Attributes:
        name: The task's name (``--task``).
        config: The config its predictions and reference rows come from.
        required: Columns every prediction row must have.
        spans: Span columns whose offsets are checked (``""``: the row's own
            ``start``/``end``; ``"arguments[]"``: each element of a list).
        count: Per-document work: ``(reference rows, predicted rows, columns)``
            to what :attr:`combine` takes; ``columns`` are those every
            predicted row has.
        combine: Metrics of a sequence of per-document results.
        support: The number of reference items a document contributes.
        check: Task-specific check of one predicted row against the
            reference rows of its document: an error message or None.
    """

    name: str
    config: str
    required: tuple[str, ...]
    spans: tuple[str, ...]
    count: Callable[[list[Row], list[Row], frozenset[str]], Any]
    combine: Callable[[Sequence[Any]], Metrics]
    support: Callable[[list[Row]], int] = len
    check: Callable[[Row, list[Row]], str | None] | None = None
    description: str = field(default="")


def _sum(counts: Sequence[Counter[str]]) -> Counter[str]:
    total: Counter[str] = Counter()
    for c in counts:
        total.update(c)
    return total


def _flat(prefix: str, values: Mapping[str, float | None]) -> Metrics:
    return {f"{prefix}.{k}": v for k, v in values.items()}


def _combine_prf(*metrics: str, accuracies: Sequence[str] = ()) -> Callable[..., Metrics]:
    """A combiner of counters: P/R/F1 of ``metrics`` (and of any ``type.*``), accuracies."""

    def combine(counts: Sequence[Counter[str]]) -> Metrics:
        total = _sum(counts)
        out: Metrics = {}
        for metric in metrics:
            if f"{metric}.scored" in total:
                out |= _flat(metric, prf(total, metric))
        for metric in accuracies:
            if f"{metric}.total" in total or f"{metric}.scored" in total:
                out[f"{metric}.accuracy"] = accuracy(total, metric)
        types = sorted({k.split(".")[1] for k in total if k.startswith("type.")}, key=str)
        for type_ in types:
            out[f"type.{type_}.f1"] = prf(total, f"type.{type_}")["f1"]
        return out

    return combine


def _spans(rows: Sequence[Row], column: str | None = None) -> list[tuple[int, int]]:
    out = []
    for row in rows:
        span = row if column is None else row.get(column)
        if span is not None:
            out.append((span["start"], span["end"]))
    return out


def _lenient(
    counts: Counter[str], metric: str, ref: list[tuple[int, int]], pred: list[Any]
) -> list[tuple[int, int]]:
    pairs = lenient_pairs(ref, pred)
    counts[f"{metric}.tp"] += len(pairs)
    counts[f"{metric}.fp"] += len(pred) - len(pairs)
    counts[f"{metric}.fn"] += len(ref) - len(pairs)
    counts[f"{metric}.scored"] = 1
    return pairs


# --- mentions -----------------------------------------------------------------


def _linked(row: Row) -> frozenset[str]:
    """The entities a mention row refers to: ``entity_ids`` (scheme 2.0), else ``entity_id``."""
    ids = row.get("entity_ids")
    if ids:
        return frozenset(ids)
    return frozenset() if row.get("entity_id") is None else frozenset([row["entity_id"]])


def _mentions(ref: list[Row], pred: list[Row], columns: frozenset[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    ref_spans, pred_spans = _spans(ref), _spans(pred)
    count_matches(counts, "span.exact", ref_spans, pred_spans)
    _lenient(counts, "span.lenient", sorted(set(ref_spans)), sorted(set(pred_spans)))
    if "entity_type" in columns:
        # A plural mention ("keduanya") has no single type: it is left out of the typed metrics.
        typed = {(r["start"], r["end"], r["entity_type"]) for r in ref if r["entity_type"]}
        guessed = {(r["start"], r["end"], r["entity_type"]) for r in pred if r["entity_type"]}
        count_matches(counts, "typed.exact", typed, guessed)
        for type_ in {t for *_, t in typed | guessed}:
            count_matches(
                counts,
                f"type.{type_}",
                {x for x in typed if x[2] == type_},
                {x for x in guessed if x[2] == type_},
            )
    if columns & {"entity_id", "entity_ids"}:
        linked = {(r["start"], r["end"], _linked(r)) for r in pred}
        for r in ref:
            count_accuracy(counts, "linking", (r["start"], r["end"], _linked(r)) in linked)
        counts["linking.scored"] = 1
    return counts


# --- quotes -------------------------------------------------------------------


def _quotes(ref: list[Row], pred: list[Row], columns: frozenset[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    ref_spans, pred_spans = _spans(ref), _spans(pred)
    count_matches(counts, "content.exact", ref_spans, pred_spans)
    pairs = _lenient(counts, "content.lenient", ref_spans, pred_spans)
    if "cue" in columns:
        count_matches(counts, "cue.exact", _spans(ref, "cue"), _spans(pred, "cue"))
    if "speaker_id" in columns:
        matched = dict(pairs)
        for i, r in enumerate(ref):
            j = matched.get(i)
            count_accuracy(
                counts, "speaker", j is not None and pred[j]["speaker_id"] == r["speaker_id"]
            )
        counts["speaker.scored"] = 1
    return counts


# --- events -------------------------------------------------------------------


def _trigger(row: Row) -> tuple[int, int]:
    return (row["trigger"]["start"], row["trigger"]["end"])


def _events(ref: list[Row], pred: list[Row], columns: frozenset[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    count_matches(counts, "trigger.identification", map(_trigger, ref), map(_trigger, pred))
    typed = "type" in columns
    if typed:
        count_matches(
            counts,
            "trigger.classification",
            ((*_trigger(r), r["type"]) for r in ref),
            ((*_trigger(r), r["type"]) for r in pred),
        )
    if typed and "arguments" in columns:

        def arguments(rows: list[Row], role: bool) -> set[tuple[Any, ...]]:
            return {
                (r["type"], a["start"], a["end"], *((a["role"],) if role else ()))
                for r in rows
                for a in r["arguments"] or ()
            }

        count_matches(
            counts, "argument.identification", arguments(ref, False), arguments(pred, False)
        )
        count_matches(
            counts, "argument.classification", arguments(ref, True), arguments(pred, True)
        )
    by_trigger = {_trigger(r): r for r in pred}
    for column, metric in (("status", "status"), ("date", "time_value")):
        if column not in columns:
            continue
        counts[f"{metric}.scored"] = 1
        for r in ref:
            if column == "date" and r["date"] is None:
                continue  # TempEval scores the values the reference has
            found = by_trigger.get(_trigger(r))
            count_accuracy(counts, metric, found is not None and found[column] == r[column])
    return counts


# --- stances ------------------------------------------------------------------


def _target_kind(row: Row) -> str:
    return str(row.get("target_kind") or row.get("target_type"))


def stance_groups() -> dict[str, tuple[str, ...]]:
    """The stance label groups scored with a macro-F1, from the models' label sets.

    ``evaluative``: the labels of entity, event and topic targets except the
    neutral one (SemEval-2016 task 6 averages F1 over favor and against);
    ``truth``: the labels of claim targets, when the models define them.
    """
    evaluative = getattr(models, "EvaluativeLabel", models.StanceLabel)
    groups = {"evaluative": tuple(x for x in models.labels(evaluative) if x != "neutral")}
    truth = getattr(models, "TruthLabel", None)
    if truth is not None:
        groups["truth"] = tuple(models.labels(truth))
    return groups


def _group(row: Row) -> str:
    return "truth" if _target_kind(row) == "claim" else "evaluative"


def _stances(ref: list[Row], pred: list[Row], columns: frozenset[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    guesses = {r["stance_id"]: r for r in pred}
    groups = stance_groups()
    for r in ref:
        guess = guesses.get(r["stance_id"], {})
        group = _group(r)
        if "label" in columns and group in groups:
            gold, label = r["label"], guess.get("label")
            counts[f"{group}.scored"] = 1
            for name in groups[group]:
                key = f"{group}.{name}"
                counts[f"{key}.tp"] += gold == name == label
                counts[f"{key}.fn"] += gold == name != label
                counts[f"{key}.fp"] += label == name != gold
        if "holder_id" in columns:
            count_accuracy(counts, "holder", guess.get("holder_id") == r["holder_id"])
            counts["holder.scored"] = 1
    return counts


def _combine_stances(counts: Sequence[Counter[str]]) -> Metrics:
    total = _sum(counts)
    out: Metrics = {}
    for group, names in stance_groups().items():
        if f"{group}.scored" not in total:
            continue
        out[f"{group}.macro_f1"] = macro_f1(total, group, names)
        for name in names:
            key = f"{group}.{name}"
            # A label with no reference and no predicted item has no F1 to report.
            if total[f"{key}.tp"] + total[f"{key}.fp"] + total[f"{key}.fn"]:
                out[f"{key}.f1"] = prf(total, key)["f1"]
    if "holder.scored" in total:
        out["holder.accuracy"] = accuracy(total, "holder")
    return out


def _check_stance(row: Row, ref: list[Row]) -> str | None:
    if row["stance_id"] not in {r["stance_id"] for r in ref}:
        return (
            f"unknown stance_id {row['stance_id']!r} in document {row['doc_id']!r}: stance "
            "predictions label the reference's stances (see docs/evaluation.md)"
        )
    return None


# --- cross-document events -------------------------------------------------------

Mentions = dict[Hashable, Hashable]


def _clusters(doc: str, rows: list[Row]) -> Mentions:
    out: Mentions = {}
    for r in rows:
        start, end = _trigger(r)
        out[(doc, start, end)] = r.get("cross_doc_id") or ("singleton", doc, start, end)
    return out


def _crossdoc(ref: list[Row], pred: list[Row], _: frozenset[str]) -> tuple[Mentions, Mentions]:
    doc = ref[0]["doc_id"] if ref else (pred[0]["doc_id"] if pred else "")
    return _clusters(doc, ref), _clusters(doc, pred)


def _combine_crossdoc(items: Sequence[tuple[Mentions, Mentions]]) -> Metrics:
    """Coreference over the documents; a document drawn twice is two copies of it."""
    reference: Mentions = {}
    predicted: Mentions = {}
    for copy, (ref, pred) in enumerate(items):
        for target, source in ((reference, ref), (predicted, pred)):
            for mention, cluster in source.items():
                tag = (copy, cluster) if isinstance(cluster, tuple) else cluster
                target[(copy, mention)] = tag
    return coreference(reference, predicted)


#: The tasks, by name.
TASKS: dict[str, Task] = {
    "mentions": Task(
        "mentions",
        "mentions",
        ("doc_id", "start", "end"),
        ("",),
        _mentions,
        _combine_prf("span.exact", "span.lenient", "typed.exact", accuracies=("linking",)),
        description="entity mention spans, their types and their registry links",
    ),
    "quotes": Task(
        "quotes",
        "quotes",
        ("doc_id", "start", "end"),
        ("", "cue", "speaker_mention"),
        _quotes,
        _combine_prf("content.exact", "content.lenient", "cue.exact", accuracies=("speaker",)),
        description="quote content spans, cues and speakers",
    ),
    "events": Task(
        "events",
        "events",
        ("doc_id", "trigger"),
        ("trigger", "time", "arguments[]"),
        _events,
        _combine_prf(
            "trigger.identification",
            "trigger.classification",
            "argument.identification",
            "argument.classification",
            accuracies=("status", "time_value"),
        ),
        description="event triggers, types, arguments, status and time values",
    ),
    "stances": Task(
        "stances",
        "stances",
        ("doc_id", "stance_id"),
        (),
        _stances,
        _combine_stances,
        check=_check_stance,
        description="stance labels and holders of the reference's stances",
    ),
    "crossdoc": Task(
        "crossdoc",
        "events",
        ("doc_id", "trigger"),
        ("trigger",),
        _crossdoc,
        _combine_crossdoc,
        description="cross-document event coreference (cross_doc_id)",
    ),
}
