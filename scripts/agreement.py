"""Inter-annotator agreement between the curated annotations and a blind second annotation.

The blind annotation (agreement/blind/<doc_id>.json) was made from the
guidelines and the raw text only. This script anchors its spans, matches them
to the curated annotations in seeds/, and prints:

* span F1 for quote contents and event triggers, exact and lenient (overlap,
  one-to-one);
* label agreement (and Cohen's kappa) on matched pairs: quote kind and
  speaker, event type and status, stance label.

Usage:
    python scripts/agreement.py [--json agreement/report.json] [--update-card]

``--update-card`` writes the figures into the generated ``agreement`` block of
DATASET_CARD.md.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kimputin_ds.anchoring import AnchorError, Span, anchor
from kimputin_ds.card import fill_blocks
from kimputin_ds.corpus import Document, load_document
from kimputin_ds.errors import Report

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BLIND = ROOT / "agreement" / "blind"
CARD = ROOT / "DATASET_CARD.md"


def _anchor(doc: Document, ref: dict[str, Any] | None) -> Span | None:
    if not ref:
        return None
    try:
        return anchor(doc.text, ref["text"], ref.get("occurrence"))
    except AnchorError:
        return None


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def match(gold: Sequence[Span], pred: Sequence[Span], exact: bool) -> list[tuple[int, int]]:
    """One-to-one matching: exact offsets, or greedy by largest overlap."""
    pairs = []
    if exact:
        index = {(s.start, s.end): i for i, s in enumerate(gold)}
        used: set[int] = set()
        for j, p in enumerate(pred):
            i = index.get((p.start, p.end))
            if i is not None and i not in used:
                used.add(i)
                pairs.append((i, j))
        return pairs
    candidates = sorted(
        ((_overlap(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)),
        reverse=True,
    )
    used_g: set[int] = set()
    used_p: set[int] = set()
    for ov, i, j in candidates:
        if ov > 0 and i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


def f1(n_gold: int, n_pred: int, n_match: int) -> dict[str, float]:
    p = n_match / n_pred if n_pred else 0.0
    r = n_match / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def kappa(pairs: Sequence[tuple[Any, Any]]) -> float | None:
    """Cohen's kappa of two label sequences (None when undefined)."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    ca = Counter(a for a, _ in pairs)
    cb = Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    return None if expected == 1 else (observed - expected) / (1 - expected)


class Tally:
    def __init__(self) -> None:
        self.spans: dict[str, list[int]] = {}
        self.labels: dict[str, list[tuple[Any, Any]]] = {}
        self.disagreements: list[str] = []

    def add_spans(self, name: str, gold: int, pred: int, matched: int) -> None:
        row = self.spans.setdefault(name, [0, 0, 0])
        row[0] += gold
        row[1] += pred
        row[2] += matched

    def add_labels(self, name: str, pairs: list[tuple[Any, Any]]) -> None:
        self.labels.setdefault(name, []).extend(pairs)

    def summary(self) -> dict[str, Any]:
        return {
            "spans": {
                k: {"gold": g, "blind": p, "matched": m, **f1(g, p, m)}
                for k, (g, p, m) in self.spans.items()
            },
            "labels": {
                k: {
                    "pairs": len(v),
                    "agreement": sum(a == b for a, b in v) / len(v) if v else None,
                    "kappa": kappa(v),
                }
                for k, v in self.labels.items()
            },
        }


def _compare_spans(
    doc: Document,
    tally: Tally,
    *,
    kind: str,
    gold: list[tuple[Any, Span | None]],
    pred: list[tuple[dict[str, Any], Span | None]],
    labels: dict[str, tuple[Callable[[Any], Any], Callable[[dict[str, Any]], Any]]],
) -> list[tuple[Any, dict[str, Any]]]:
    """Span F1 (exact and lenient) and label pairs for one kind of annotation."""
    g = [(item, s) for item, s in gold if s is not None]
    p = [(item, s) for item, s in pred if s is not None]
    gs, ps = [s for _, s in g], [s for _, s in p]
    exact = match(gs, ps, exact=True)
    lenient = match(gs, ps, exact=False)
    tally.add_spans(f"{kind}_exact", len(gs), len(ps), len(exact))
    tally.add_spans(f"{kind}_lenient", len(gs), len(ps), len(lenient))
    for name, (gold_key, pred_key) in labels.items():
        pairs = [(gold_key(g[i][0]), pred_key(p[j][0])) for i, j in lenient]
        tally.add_labels(name, pairs)
        for (a, b), (i, _) in zip(pairs, lenient, strict=True):
            if a != b:
                tally.disagreements.append(
                    f"{doc.doc_id} {kind} {g[i][0].id} {g[i][1].text[:50]!r} {name}: {a} vs {b}"
                )
    matched_g = {i for i, _ in lenient}
    matched_p = {j for _, j in lenient}
    for i, (item, span) in enumerate(g):
        if i not in matched_g:
            tally.disagreements.append(
                f"{doc.doc_id} {kind} only curated {item.id}: {span.text[:70]!r}"
            )
    for j, (_, span) in enumerate(p):
        if j not in matched_p:
            tally.disagreements.append(f"{doc.doc_id} {kind} only blind: {span.text[:70]!r}")
    return [(g[i][0], p[j][0]) for i, j in lenient]


def compare(doc: Document, blind: dict[str, Any], tally: Tally) -> None:
    ann = doc.annotation
    _compare_spans(
        doc,
        tally,
        kind="quote_content",
        gold=[(q, doc.span("quotes", i, "content")) for i, q in enumerate(ann.quotes)],
        pred=[(q, _anchor(doc, q["content"])) for q in blind.get("quotes", [])],
        labels={
            "quote_kind": (lambda q: q.kind, lambda b: b["kind"]),
            "quote_speaker": (lambda q: q.speaker, lambda b: b.get("speaker")),
        },
    )
    matched = _compare_spans(
        doc,
        tally,
        kind="event_trigger",
        gold=[(e, doc.span("events", i, "trigger")) for i, e in enumerate(ann.events)],
        pred=[(e, _anchor(doc, e["trigger"])) for e in blind.get("events", [])],
        labels={
            "event_type": (lambda e: e.type, lambda b: b["type"]),
            "event_status": (lambda e: e.status, lambda b: b["status"]),
        },
    )
    tally.add_labels(
        "event_date",
        [
            (g.time.value if g.time else None, b.get("time_value"))
            for g, b in matched
            if (g.time and g.time.value) or b.get("time_value")
        ],
    )
    # Stances: same holder and target entity, or same holder and overlapping evidence.
    pairs = []
    used: set[int] = set()
    for s in ann.stances:
        for j, b in enumerate(blind.get("stances", [])):
            if j in used or b.get("holder") != s.holder:
                continue
            same_target = s.target.entity is not None and b.get("target") == s.target.entity
            ev = _anchor(doc, b.get("evidence"))
            si = ann.stances.index(s)
            overlaps = ev is not None and any(
                (g := doc.span("stances", si, "evidence", k)) is not None and _overlap(g, ev) > 0
                for k in range(len(s.evidence))
            )
            if same_target or overlaps:
                used.add(j)
                pairs.append((s.label, b["label"]))
                break
    tally.add_spans(
        "stance_holder_target", len(ann.stances), len(blind.get("stances", [])), len(pairs)
    )
    tally.add_labels("stance_label", pairs)


def markdown(summary: dict[str, Any], per_doc: dict[str, Any]) -> str:
    lines = [
        "### Inter-annotator agreement",
        "",
        "A second annotator annotated all five articles blind, from the guidelines and the raw",
        "texts only (quotes with kind and speaker, event triggers with type, status and date,",
        "stances). Figures from `python scripts/agreement.py` (curated annotation as reference;",
        "lenient = one-to-one matching by largest overlap):",
        "",
        "| span | curated | blind | matched | P | R | F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for k, v in summary["spans"].items():
        lines.append(
            f"| {k} | {v['gold']} | {v['blind']} | {v['matched']} | "
            f"{v['precision']:.2f} | {v['recall']:.2f} | {v['f1']:.2f} |"
        )
    lines += [
        "",
        "| label (on matched pairs) | pairs | agreement | Cohen's kappa |",
        "|---|---|---|---|",
    ]
    for k, v in summary["labels"].items():
        agree = "—" if v["agreement"] is None else f"{v['agreement']:.2f}"
        kap = "—" if v["kappa"] is None else f"{v['kappa']:.2f}"
        lines.append(f"| {k} | {v['pairs']} | {agree} | {kap} |")
    lines += [
        "",
        "Quote-content lenient F1 per document: "
        + ", ".join(
            f"{d[:3]} {v['spans']['quote_content_lenient']['f1']:.2f}" for d, v in per_doc.items()
        )
        + "; event-trigger lenient F1: "
        + ", ".join(
            f"{d[:3]} {v['spans']['event_trigger_lenient']['f1']:.2f}" for d, v in per_doc.items()
        )
        + ".",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument("--update-card", action="store_true", help="update DATASET_CARD.md")
    parser.add_argument("--disagreements", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    total = Tally()
    per_doc: dict[str, Any] = {}
    for path in sorted(BLIND.glob("*.json")):
        report = Report()
        doc = load_document(SEEDS, path.stem, report)
        if doc is None:
            print(report.to_text())
            return 1
        blind = json.loads(path.read_text(encoding="utf-8"))
        tally = Tally()
        compare(doc, blind, tally)
        compare(doc, blind, total)
        per_doc[path.stem] = tally.summary()
    summary = total.summary()
    text = markdown(summary, per_doc)
    print(text)
    if args.disagreements:
        print("\n".join(total.disagreements))
    if args.json:
        args.json.write_text(
            json.dumps({"overall": summary, "per_document": per_doc}, indent=2) + "\n",
            encoding="utf-8",
        )
    if args.update_card:
        CARD.write_text(
            fill_blocks(CARD.read_text(encoding="utf-8"), {"agreement": text}), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
