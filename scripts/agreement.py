"""Inter-annotator agreement between the curated annotations and a blind second annotation.

The blind annotation of scheme 2.0 (agreement/blind-2.0/<doc_id>.json) was
made from the guidelines, the registries and the raw texts only; its format
is described in agreement/README.md. This script anchors its spans, matches
them to the curated annotations in seeds/, and prints:

* span F1 for quote contents and event triggers, exact and lenient (overlap,
  one-to-one);
* label agreement (and Cohen's kappa) on matched pairs: quote kind, speaker
  and speaker reference; event type, status, asserted_by and cross-document
  id; stance label, target kind and explicitness;
* F1 of event arguments (role and entity) on matched events, and of stances
  (same holder, and the same target or overlapping evidence).

The 1.0.0 figures (agreement/blind/, guidelines 1.0) are frozen in
agreement/report-1.0.0.json and printed beside the current ones.

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

from kimputin_ds.anchoring import Anchorer, AnchorError, Span
from kimputin_ds.card import fill_blocks
from kimputin_ds.corpus import Document, load_claims, load_document, load_registry
from kimputin_ds.errors import Report

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BLIND = ROOT / "agreement" / "blind-2.0"
BEFORE = ROOT / "agreement" / "report-1.0.0.json"
#: The committed figures of the current blind annotation: the card shows these.
REPORT = ROOT / "agreement" / "report.json"
CARD = ROOT / "DATASET_CARD.md"


def _anchor(doc: Document, ref: dict[str, Any] | str | None) -> Span | None:
    if not ref:
        return None
    if isinstance(ref, str):
        ref = {"text": ref}
    try:
        return Anchorer(doc.text).anchor(ref["text"], ref.get("occurrence"), ref.get("prefix"))
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


#: The ``format`` value every blind-2.0 file carries.
FORMAT = "kimputin_ds blind annotation 2.0"


def _ref(doc: Document, path: tuple[str | int, ...]) -> dict[str, Any] | None:
    """A span of the curated annotation as the blind format writes it (text, occurrence)."""
    span = doc.spans.get(path)
    if span is None:
        return None
    occurrence = doc.text.count(span.text, 0, span.start) + 1
    total = doc.text.count(span.text)
    return {"text": span.text, "occurrence": occurrence if total > 1 else None}


def to_blind(doc: Document) -> dict[str, Any]:
    """The curated annotation of ``doc`` in the blind-2.0 format (for tests and examples)."""
    ann = doc.annotation
    return {
        "format": FORMAT,
        "doc_id": doc.doc_id,
        "quotes": [
            {
                "content": _ref(doc, ("quotes", i, "content")),
                "kind": q.kind,
                "cue": _ref(doc, ("quotes", i, "cue")),
                "speaker_mention": _ref(doc, ("quotes", i, "speaker_mention")),
                "speaker": q.speaker,
                "additional_speakers": list(q.additional_speakers),
                "speaker_reference": q.speaker_reference,
            }
            for i, q in enumerate(ann.quotes)
        ],
        "events": [
            {
                "trigger": _ref(doc, ("events", i, "trigger")),
                "type": e.type,
                "status": e.status,
                "asserted_by": e.asserted_by,
                "cross_doc_id": e.cross_doc_id,
                "time_value": e.time.value if e.time else None,
                "time_precision": e.time.precision if e.time else None,
                "arguments": [
                    {
                        "role": a.role,
                        "entity": a.entity,
                        "span": _ref(doc, ("events", i, "arguments", j, "span")),
                    }
                    for j, a in enumerate(e.arguments)
                ],
            }
            for i, e in enumerate(ann.events)
        ],
        "stances": [
            {
                "holder": st.holder,
                "target": (
                    {"event": _ref(doc, ("events", events[st.target.event], "trigger"))}
                    if st.target.event is not None and st.target.event in events
                    else {st.target.kind: st.target.entity or st.target.claim or st.target.topic}
                ),
                "label": st.label,
                "explicit": st.explicit,
                "evidence": [
                    _ref(doc, ("stances", i, "evidence", k)) for k in range(len(st.evidence))
                ]
                + [_ref(doc, ("quotes", quotes[q], "content")) for q in st.quotes if q in quotes],
            }
            for i, st in enumerate(ann.stances)
            for events, quotes in [
                (
                    {e.id: j for j, e in enumerate(ann.events)},
                    {q.id: j for j, q in enumerate(ann.quotes)},
                )
            ]
        ],
    }


def format_problems(blind: Any) -> list[str]:
    """What makes ``blind`` unusable as a blind-2.0 file (empty when it is fine)."""
    if not isinstance(blind, dict) or blind.get("format") != FORMAT:
        return [f'not a blind-2.0 file: it needs "format": "{FORMAT}"']
    problems = []
    for i, st in enumerate(blind.get("stances", [])):
        target = st.get("target")
        if not isinstance(target, dict) or len(target) != 1:
            problems.append(f"stances[{i}].target: give one of entity, event, claim, topic")
    return problems


def _labels_of(name: str) -> set[str]:
    from typing import get_args

    from kimputin_ds import models

    return {str(a) for a in get_args(getattr(models, name))}


def check_blind(path: Path, entities: set[str], claims: set[str]) -> list[str]:
    """Problems of one blind-2.0 file, found from the raw text and the registries only.

    It never reads a curated annotation, so the blind annotator may run it.
    """
    try:
        blind = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"cannot read: {exc}"]
    problems = format_problems(blind)
    if problems:
        return problems
    text_path = SEEDS / f"{path.stem}.txt"
    if blind.get("doc_id") != path.stem or not text_path.is_file():
        return [f"doc_id {blind.get('doc_id')!r} does not name a text in seeds/"]
    anchorer = Anchorer(text_path.read_text(encoding="utf-8"))
    known_claims = claims | {c.get("id") for c in blind.get("new_claims", [])}

    def span(where: str, ref: Any, required: bool = False) -> None:
        if ref is None:
            if required:
                problems.append(f"{where}: a span is required")
            return
        if not isinstance(ref, dict) or not isinstance(ref.get("text"), str):
            problems.append(f'{where}: a span is {{"text": ..., "occurrence": ...}}')
            return
        try:
            anchorer.anchor(ref["text"], ref.get("occurrence"), ref.get("prefix"))
        except AnchorError as exc:
            problems.append(f"{where}: {exc.message}")

    def one_of(where: str, value: Any, allowed: set[str], optional: bool = False) -> None:
        if not (optional and value is None) and value not in allowed:
            problems.append(f"{where}: {value!r} is not one of the known values")

    for i, q in enumerate(blind.get("quotes", [])):
        w = f"quotes[{i}]"
        span(f"{w}.content", q.get("content"), required=True)
        span(f"{w}.cue", q.get("cue"))
        span(f"{w}.speaker_mention", q.get("speaker_mention"))
        one_of(f"{w}.kind", q.get("kind"), _labels_of("QuoteKind"))
        one_of(f"{w}.speaker_reference", q.get("speaker_reference"), _labels_of("SpeakerReference"))
        one_of(f"{w}.speaker", q.get("speaker"), entities, optional=True)
        for extra in q.get("additional_speakers", []):
            one_of(f"{w}.additional_speakers", extra, entities)
    for i, e in enumerate(blind.get("events", [])):
        w = f"events[{i}]"
        span(f"{w}.trigger", e.get("trigger"), required=True)
        one_of(f"{w}.type", e.get("type"), _labels_of("EventType"))
        one_of(f"{w}.status", e.get("status"), _labels_of("EventStatus"))
        one_of(f"{w}.asserted_by", e.get("asserted_by"), entities, optional=True)
        for j, a in enumerate(e.get("arguments", [])):
            span(f"{w}.arguments[{j}].span", a.get("span"), required=True)
            one_of(f"{w}.arguments[{j}].role", a.get("role"), _labels_of("ArgumentRole"))
            one_of(f"{w}.arguments[{j}].entity", a.get("entity"), entities, optional=True)
    truth, evaluative = _labels_of("TruthLabel"), _labels_of("EvaluativeLabel")
    for i, st in enumerate(blind.get("stances", [])):
        w = f"stances[{i}]"
        one_of(f"{w}.holder", st.get("holder"), entities)
        target = st["target"]
        kind = _blind_kind(target)
        if kind == "entity":
            one_of(f"{w}.target.entity", target["entity"], entities)
        elif kind == "claim":
            one_of(f"{w}.target.claim", target["claim"], known_claims)
        elif kind == "event":
            span(f"{w}.target.event", target["event"], required=True)
        one_of(f"{w}.label", st.get("label"), truth if kind == "claim" else evaluative)
        if not isinstance(st.get("explicit"), bool):
            problems.append(f"{w}.explicit: true or false")
        for j, ev in enumerate(st.get("evidence", [])):
            span(f"{w}.evidence[{j}]", ev, required=True)
    return problems


def compare(doc: Document, blind: dict[str, Any], tally: Tally) -> None:
    """Add one document's comparison to ``tally``."""
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
            "quote_speaker_reference": (
                lambda q: q.speaker_reference,
                lambda b: b.get("speaker_reference"),
            ),
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
            "event_asserted_by": (lambda e: e.asserted_by, lambda b: b.get("asserted_by")),
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
    tally.add_labels(
        "event_cross_doc_id",
        [
            (g.cross_doc_id, b.get("cross_doc_id"))
            for g, b in matched
            if g.cross_doc_id or b.get("cross_doc_id")
        ],
    )
    _compare_arguments(doc, matched, tally)
    _compare_stances(doc, blind.get("stances", []), tally)


def _compare_arguments(
    doc: Document, matched: list[tuple[Any, dict[str, Any]]], tally: Tally
) -> None:
    """Argument F1 on matched events: (role, entity) pairs of the entity arguments."""
    for g, b in matched:
        gold = {(a.role, a.entity) for a in g.arguments if a.entity}
        pred = {(a["role"], a["entity"]) for a in b.get("arguments", []) if a.get("entity")}
        tally.add_spans("event_argument", len(gold), len(pred), len(gold & pred))
        for role, entity in sorted(gold ^ pred):
            who = "only curated" if (role, entity) in gold else "only blind"
            tally.disagreements.append(f"{doc.doc_id} event {g.id} argument {who}: {role} {entity}")


def _stance_spans(doc: Document, i: int) -> list[Span]:
    stance = doc.annotation.stances[i]
    spans = [doc.span("stances", i, "evidence", k) for k in range(len(stance.evidence))]
    quotes = {q.id: j for j, q in enumerate(doc.annotation.quotes)}
    spans += [doc.span("quotes", quotes[q], "content") for q in stance.quotes if q in quotes]
    return [s for s in spans if s is not None]


def _target_key(doc: Document, target: dict[str, Any]) -> tuple[str, str] | None:
    """A comparable key for a blind target: entity or claim id, or the event it names."""
    for kind in ("entity", "claim"):
        if target.get(kind):
            return kind, str(target[kind])
    if target.get("event"):
        trigger = _anchor(doc, target["event"])
        for i, e in enumerate(doc.annotation.events):
            span = doc.span("events", i, "trigger")
            if trigger and span and _overlap(span, trigger) > 0:
                return "event", e.id
    return None


def _blind_kind(target: dict[str, Any]) -> str:
    return next((k for k in ("entity", "event", "claim", "topic") if target.get(k)), "unknown")


def _compare_stances(doc: Document, blind: list[dict[str, Any]], tally: Tally) -> None:
    """Stances match on the holder and either the same target or overlapping evidence."""
    ann = doc.annotation
    pairs: list[tuple[Any, dict[str, Any]]] = []
    used: set[int] = set()
    for i, s in enumerate(ann.stances):
        t = s.target
        gold_key = (t.kind, str(t.entity or t.event or t.claim or t.topic))
        gold_spans = _stance_spans(doc, i)
        candidates = []
        for j, b in enumerate(blind):
            if j in used or b.get("holder") != s.holder:
                continue
            same_target = _target_key(doc, b.get("target", {})) == gold_key
            evidence = [_anchor(doc, e) for e in b.get("evidence", [])]
            overlaps = any(
                e is not None and _overlap(g, e) > 0 for e in evidence for g in gold_spans
            )
            if same_target or overlaps:
                candidates.append((not same_target, j))
        if candidates:
            j = min(candidates)[1]
            used.add(j)
            pairs.append((s, blind[j]))
        else:
            tally.disagreements.append(
                f"{doc.doc_id} stance only curated {s.id}: {s.holder} {gold_key} {s.label}"
            )
    for j, b in enumerate(blind):
        if j not in used:
            tally.disagreements.append(
                f"{doc.doc_id} stance only blind: {b.get('holder')} {b.get('target')} "
                f"{b.get('label')}"
            )
    tally.add_spans("stance_holder_target", len(ann.stances), len(blind), len(pairs))
    for name, gold_of, blind_of in (
        ("stance_label", lambda s: s.label, lambda b: b.get("label")),
        ("stance_target_kind", lambda s: s.target.kind, lambda b: _blind_kind(b["target"])),
        ("stance_explicit", lambda s: s.explicit, lambda b: b.get("explicit")),
    ):
        label_pairs = [(gold_of(s), blind_of(b)) for s, b in pairs]
        tally.add_labels(name, label_pairs)
        for (a, c), (s, _) in zip(label_pairs, pairs, strict=True):
            if a != c:
                tally.disagreements.append(f"{doc.doc_id} stance {s.id} {name}: {a} vs {c}")


#: Frozen figures printed beside the current ones: (column heading, file).
FROZEN = [
    ("1.0.0", BEFORE),
    ("2.0.0 before reconciliation", ROOT / "agreement" / "report-2.0.0-unreconciled.json"),
]


def _columns(summary: dict[str, Any] | None) -> list[tuple[str, dict[str, Any]]]:
    columns = [
        (name, json.loads(path.read_text(encoding="utf-8"))["overall"])
        for name, path in FROZEN
        if path.is_file()
    ]
    if summary is not None:
        columns.append(("2.0.0", summary))
    return columns


def markdown(summary: dict[str, Any] | None, per_doc: dict[str, Any]) -> str:
    """The card's agreement block: the frozen figures and the current ones side by side."""
    columns = _columns(summary)
    heads = " | ".join(name for name, _ in columns)
    rule = "|---" * (len(columns) + 1) + "|"
    lines = [
        "### Inter-annotator agreement",
        "",
        "A second annotator annotated all five articles blind, from the guidelines, the",
        "registries and the raw texts only. Figures from `python scripts/agreement.py`",
        "(curated annotation as reference; lenient = one-to-one matching by largest overlap;",
        "1.0.0 compares the 1.0 blind annotation with the 1.0.0 release, under guidelines 1.0).",
        "",
        f"F1 (curated / blind / matched) | {heads} |".join(["| ", ""]),
        rule,
    ]
    names = [k for _, col in columns for k in col["spans"]]
    for k in dict.fromkeys(names):
        cells = []
        for _, col in columns:
            v = col["spans"].get(k)
            cells.append(
                "—" if v is None else f"{v['f1']:.2f} ({v['gold']} / {v['blind']} / {v['matched']})"
            )
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    lines += ["", f"| label agreement, kappa (pairs) | {heads} |", rule]
    names = [k for _, col in columns for k in col["labels"]]
    for k in dict.fromkeys(names):
        cells = []
        for _, col in columns:
            v = col["labels"].get(k)
            if v is None or v["agreement"] is None:
                cells.append("—")
            else:
                kap = "—" if v["kappa"] is None else f"{v['kappa']:.2f}"
                cells.append(f"{v['agreement']:.2f}, {kap} ({v['pairs']})")
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    if summary is None:
        lines += ["", "The blind annotation under guidelines 2.0 is not in the repository yet."]
    else:
        lines += [
            "",
            "2.0.0 quote-content lenient F1 per document: "
            + ", ".join(
                f"{d[:3]} {v['spans']['quote_content_lenient']['f1']:.2f}"
                for d, v in per_doc.items()
            )
            + "; event-trigger lenient F1: "
            + ", ".join(
                f"{d[:3]} {v['spans']['event_trigger_lenient']['f1']:.2f}"
                for d, v in per_doc.items()
            )
            + ".",
        ]
    return "\n".join(lines) + "\n"


def card_block(report: Path = REPORT) -> str:
    """The card's agreement block, from the committed report (not a live comparison).

    A blind annotation that is still being added to the repository does not
    change the card until its figures are committed in ``agreement/report.json``.
    """
    if not report.is_file():
        return markdown(None, {})
    committed = json.loads(report.read_text(encoding="utf-8"))
    return markdown(committed["overall"], committed["per_document"])


def main(argv: list[str] | None = None) -> int:
    """Compare the blind annotation with the seeds; print, and optionally write, the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--blind", type=Path, default=BLIND, help="the blind annotation's folder")
    parser.add_argument("--json", type=Path, help="write the figures as JSON here")
    parser.add_argument("--update-card", action="store_true", help="update DATASET_CARD.md")
    parser.add_argument("--disagreements", action="store_true", help="list every disagreement")
    parser.add_argument(
        "--check",
        type=Path,
        metavar="DIR",
        help="only check the blind files in DIR against the texts and registries (no comparison)",
    )
    args = parser.parse_args(argv)
    if args.check is not None:
        registries = Report()
        entities = set(load_registry(SEEDS / "entities.yaml", registries))
        claims = set(load_claims(SEEDS / "claims.yaml", registries))
        found = sorted(args.check.glob("*.json"))
        problems = [f"{p.name}: {m}" for p in found for m in check_blind(p, entities, claims)]
        print("\n".join(problems) or f"OK: {len(found)} file(s), no problem")
        return 1 if problems or not found else 0
    total = Tally()
    per_doc: dict[str, Any] = {}
    for path in sorted(args.blind.glob("*.json")):
        report = Report()
        doc = load_document(SEEDS, path.stem, report)
        if doc is None:
            print(report.to_text())
            return 1
        blind = json.loads(path.read_text(encoding="utf-8"))
        problems = format_problems(blind)
        if problems:
            print("\n".join(f"{path}: {p}" for p in problems))
            return 1
        tally = Tally()
        compare(doc, blind, tally)
        compare(doc, blind, total)
        per_doc[path.stem] = tally.summary()
    summary = total.summary() if per_doc else None
    text = markdown(summary, per_doc)
    print(text)
    if args.disagreements:
        print("\n".join(total.disagreements))
    if args.json and summary is not None:
        args.json.write_text(
            json.dumps({"overall": summary, "per_document": per_doc}, indent=2) + "\n",
            encoding="utf-8",
        )
    if args.update_card:
        CARD.write_text(
            fill_blocks(CARD.read_text(encoding="utf-8"), {"agreement": card_block()}),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
