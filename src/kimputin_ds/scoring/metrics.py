"""The metrics of the scorer: span matching, P/R/F1 from counts, coreference, bootstrap.

Counts are kept in a :class:`collections.Counter` per document, keyed
``<metric>.tp``, ``<metric>.fp``, ``<metric>.fn`` (or ``.correct`` and
``.total`` for an accuracy), so that a corpus figure is the metric of the
summed counts (micro-averaging over documents), and a bootstrap sample of
documents is a sum of their counters.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

__all__ = [
    "accuracy",
    "bootstrap",
    "coreference",
    "count_accuracy",
    "count_matches",
    "f1",
    "lenient_pairs",
    "macro_f1",
    "prf",
]

Span = tuple[int, int]
Counts = Counter[str]
T = TypeVar("T")


def f1(precision: float | None, recall: float | None) -> float | None:
    """The harmonic mean of precision and recall (0 when both are 0).

    >>> f1(0.5, 1.0)
    0.6666666666666666
    """
    if precision is None or recall is None:
        return None
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def prf(counts: Mapping[str, int], metric: str) -> dict[str, float | None]:
    """Precision, recall and F1 of ``metric`` from its ``tp``, ``fp`` and ``fn`` counts.

    A ratio with a zero denominator is None (undefined), except that F1 is 0
    when one side is 0 and the other undefined: predicting nothing, or
    predicting where the reference has nothing, scores 0.

    >>> prf(Counter({"x.tp": 1, "x.fp": 1, "x.fn": 3}), "x")
    {'precision': 0.5, 'recall': 0.25, 'f1': 0.3333333333333333}
    """
    tp, fp, fn = counts[f"{metric}.tp"], counts[f"{metric}.fp"], counts[f"{metric}.fn"]
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    score = f1(precision, recall)
    if score is None and (precision == 0 or recall == 0):
        score = 0.0
    return {"precision": precision, "recall": recall, "f1": score}


def accuracy(counts: Mapping[str, int], metric: str) -> float | None:
    """``correct / total`` of ``metric``, None when there is nothing to count."""
    total = counts[f"{metric}.total"]
    return counts[f"{metric}.correct"] / total if total else None


def macro_f1(counts: Mapping[str, int], metric: str, labels: Sequence[str]) -> float | None:
    """The mean F1 over ``labels`` of ``<metric>.<label>`` (SemEval-2016 task 6's F_avg).

    None when no label has a reference or predicted item.
    """
    scores = []
    for label in labels:
        key = f"{metric}.{label}"
        if counts[f"{key}.tp"] + counts[f"{key}.fp"] + counts[f"{key}.fn"] == 0:
            continue
        scores.append(prf(counts, key)["f1"] or 0.0)
    return sum(scores) / len(scores) if scores else None


def count_matches(
    counts: Counts, metric: str, reference: Iterable[T], predicted: Iterable[T]
) -> None:
    """Add the exact-match counts of two collections of items (compared as sets)."""
    ref, pred = set(reference), set(predicted)
    counts[f"{metric}.scored"] = 1
    counts[f"{metric}.tp"] += len(ref & pred)
    counts[f"{metric}.fp"] += len(pred - ref)
    counts[f"{metric}.fn"] += len(ref - pred)


def count_accuracy(counts: Counts, metric: str, correct: bool) -> None:
    """Count one reference item of an accuracy, correct or not."""
    counts[f"{metric}.total"] += 1
    counts[f"{metric}.correct"] += int(correct)


def lenient_pairs(reference: Sequence[Span], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one pairs ``(i, j)`` of overlapping reference and predicted spans.

    Pairs are chosen greedily by decreasing overlap (ties: text order), so a
    predicted span matches at most one reference span and vice versa.

    >>> lenient_pairs([(0, 5), (10, 20)], [(3, 12), (15, 30), (40, 41)])
    [(1, 1), (0, 0)]
    """
    candidates = []
    for i, (rs, re_) in enumerate(reference):
        for j, (ps, pe) in enumerate(predicted):
            overlap = min(re_, pe) - max(rs, ps)
            if overlap > 0:
                candidates.append((-overlap, i, j))
    used_ref: set[int] = set()
    used_pred: set[int] = set()
    pairs = []
    for _, i, j in sorted(candidates):
        if i not in used_ref and j not in used_pred:
            used_ref.add(i)
            used_pred.add(j)
            pairs.append((i, j))
    return pairs


# --- coreference ---------------------------------------------------------------

Clusters = list[frozenset[Hashable]]


def _clusters(assignment: Mapping[Hashable, Hashable]) -> Clusters:
    groups: dict[Hashable, set[Hashable]] = defaultdict(set)
    for mention, cluster in assignment.items():
        groups[cluster].add(mention)
    return [frozenset(g) for g in groups.values()]


def _muc(key: Clusters, response: Clusters) -> tuple[float, float]:
    """MUC (Vilain et al. 1995): recall numerator and denominator of ``key``."""
    where = {m: i for i, c in enumerate(response) for m in c}
    numerator = denominator = 0.0
    for cluster in key:
        parts = {where.get(m, ("alone", m)) for m in cluster}
        numerator += len(cluster) - len(parts)
        denominator += len(cluster) - 1
    return numerator, denominator


def _b_cubed(key: Clusters, response: Clusters) -> tuple[float, float]:
    """B³ (Bagga and Baldwin 1998): recall numerator and denominator (one per key mention)."""
    where = {m: c for c in response for m in c}
    numerator = 0.0
    total = 0
    for cluster in key:
        for mention in cluster:
            numerator += len(cluster & where.get(mention, frozenset())) / len(cluster)
            total += 1
    return numerator, float(total)


def _assignment(weights: list[list[float]]) -> float:
    """The largest total weight of a one-to-one assignment (Hungarian method, rectangular)."""
    rows, cols = len(weights), len(weights[0]) if weights else 0
    if not rows or not cols:
        return 0.0
    transpose = rows > cols
    if transpose:
        weights = [list(col) for col in zip(*weights, strict=True)]
        rows, cols = cols, rows
    top = max(max(r) for r in weights)
    cost = [[top - w for w in r] for r in weights]
    inf = float("inf")
    u = [0.0] * (rows + 1)
    v = [0.0] * (cols + 1)
    match = [0] * (cols + 1)  # match[j]: the row assigned to column j (1-based)
    way = [0] * (cols + 1)
    for i in range(1, rows + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (cols + 1)
        used = [False] * (cols + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], inf, 0
            for j in range(1, cols + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(cols + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    return sum(weights[match[j] - 1][j - 1] for j in range(1, cols + 1) if match[j])


def _ceaf_e(key: Clusters, response: Clusters) -> float:
    """CEAF-e (Luo 2005): the total entity similarity of the best cluster alignment.

    Only clusters that share a mention have a non-zero similarity, so the
    alignment is solved per connected component of the sharing graph.
    """
    owner = {m: i for i, c in enumerate(response) for m in c}
    # Union-find over key clusters linked through the response clusters they touch.
    links: dict[int, set[int]] = defaultdict(set)
    for i, cluster in enumerate(key):
        for mention in cluster:
            if mention in owner:
                links[owner[mention]].add(i)
    parent = list(range(len(key)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for members in links.values():
        first, *rest = members
        for other in rest:
            parent[find(other)] = find(first)
    components: dict[int, tuple[list[int], set[int]]] = defaultdict(lambda: ([], set()))
    for i in range(len(key)):
        components[find(i)][0].append(i)
    for j, members in links.items():
        components[find(next(iter(members)))][1].add(j)
    total = 0.0
    for keys, responses in components.values():
        ordered = sorted(responses)
        weights = [
            [2 * len(key[i] & response[j]) / (len(key[i]) + len(response[j])) for j in ordered]
            for i in keys
        ]
        total += _assignment(weights) if ordered else 0.0
    return total


def coreference(
    reference: Mapping[Hashable, Hashable], predicted: Mapping[Hashable, Hashable]
) -> dict[str, float | None]:
    """MUC, B³, CEAF-e and CoNLL F1 of predicted clusters against reference clusters.

    Args:
        reference: Reference cluster id of each mention (a singleton has its own id).
        predicted: Predicted cluster id of each mention; mentions may differ from
            the reference's (a missing mention lowers recall, an extra one precision).

    Returns:
        ``muc.*``, ``b3.*``, ``ceafe.*`` precision, recall and F1, and ``conll.f1``
        (the mean of the three F1s, as in the CoNLL-2012 shared task).

    >>> ref = {"a": 1, "b": 1, "c": 2}
    >>> coreference(ref, ref)["conll.f1"]
    1.0
    """
    key, response = _clusters(reference), _clusters(predicted)
    out: dict[str, float | None] = {}
    muc_r = _muc(key, response)
    muc_p = _muc(response, key)
    b3_r = _b_cubed(key, response)
    b3_p = _b_cubed(response, key)
    ceaf = _ceaf_e(key, response)
    for name, (rn, rd), (pn, pd) in (
        ("muc", muc_r, muc_p),
        ("b3", b3_r, b3_p),
        ("ceafe", (ceaf, len(key)), (ceaf, len(response))),
    ):
        recall = rn / rd if rd else None
        precision = pn / pd if pd else None
        if name == "muc" and rd == 0 and pd == 0 and reference:
            # Only singletons on both sides: MUC has no link to score.
            recall = precision = None
        score = f1(precision, recall)
        if score is None and (precision == 0 or recall == 0):
            score = 0.0
        out |= {f"{name}.precision": precision, f"{name}.recall": recall, f"{name}.f1": score}
    parts = [out["muc.f1"], out["b3.f1"], out["ceafe.f1"]]
    known = [p for p in parts if p is not None]
    out["conll.f1"] = sum(known) / len(known) if known else None
    return out


# --- bootstrap -------------------------------------------------------------------


def bootstrap(
    units: Sequence[T],
    statistic: Callable[[Sequence[T]], Mapping[str, float | None]],
    *,
    samples: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> dict[str, tuple[float, float] | None]:
    """Percentile bootstrap confidence intervals, resampling ``units`` with replacement.

    Args:
        units: What is resampled (here: documents).
        statistic: Metrics of a sample of units.
        samples: Number of resamples.
        seed: Seed of the resampling (the same seed gives the same intervals).
        level: Coverage of the interval.

    Returns:
        ``(low, high)`` per metric, or None for a metric undefined in more than
        half of the resamples (or when there are no units).

    >>> bootstrap([1, 2, 3], lambda s: {"mean": sum(s) / len(s)}, samples=200)["mean"]
    (1.0, 2.6666666666666665)
    """
    if not units:
        return {}
    rng = random.Random(seed)
    values: dict[str, list[float]] = defaultdict(list)
    names: set[str] = set()
    for _ in range(samples):
        sample = [units[rng.randrange(len(units))] for _ in units]
        for name, value in statistic(sample).items():
            names.add(name)
            if value is not None:
                values[name].append(value)
    out: dict[str, tuple[float, float] | None] = {}
    tail = (1 - level) / 2
    for name in sorted(names):
        found = sorted(values[name])
        if len(found) * 2 < samples:
            out[name] = None
            continue
        low = found[math.floor(tail * (len(found) - 1))]
        high = found[math.ceil((1 - tail) * (len(found) - 1))]
        out[name] = (low, high)
    return out
