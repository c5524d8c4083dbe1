"""Reproducible baselines, run under the protocol of ``docs/evaluation.md``.

Each baseline is a pair: ``fit`` learns from the training documents only (a
:class:`Corpus` restricted to them), ``predict`` writes one held-out
document's predictions in the release's columns from its text and the
stance instances it must label. :func:`run` evaluates every baseline with
leave-one-document-out cross-validation and on the fixed test split, with
bootstrap intervals; ``python scripts/baselines.py`` prints the table and
can write it into the card's Benchmark section.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kimputin_ds.scoring import TASKS, TaskScore, figure, interval, score_rows
from kimputin_ds.scoring.tables import Reference, read_reference
from kimputin_ds.scoring.tasks import stance_groups
from kimputin_ds.tokenize import Token, tokenize

__all__ = [
    "BASELINES",
    "CUE_LEXICON",
    "Baseline",
    "Corpus",
    "Result",
    "benchmark_block",
    "main",
    "run",
]

Row = dict[str, Any]

#: Speech and cognition cues of docs/guidelines.md §3 (a test keeps them in sync).
CUE_LEXICON = (
    "kata", "ujar", "mengatakan", "menyatakan", "menurut", "melaporkan", "membantah",
    "menuduh", "memperingatkan", "berharap", "menolak", "bunyi", "disampaikan",
    "memprediksi", "menduga", "berpendapat",
)  # fmt: skip

_QUOTE_PAIRS = {"“": "”", '"': '"'}


@dataclass
class Corpus:
    """Release rows by config and document, and the documents' texts.

    Attributes:
        texts: Text of each document.
        rows: Rows by config, then by document.
    """

    texts: dict[str, str]
    rows: dict[str, dict[str, list[Row]]]

    def only(self, docs: Iterable[str]) -> Corpus:
        """The corpus restricted to ``docs`` (what a baseline may learn from)."""
        keep = set(docs)
        return Corpus(
            {d: t for d, t in self.texts.items() if d in keep},
            {c: {d: r for d, r in by.items() if d in keep} for c, by in self.rows.items()},
        )

    def all(self, config: str) -> list[Row]:
        """Every row of a config, in document order."""
        return [r for d in self.texts for r in self.rows[config].get(d, [])]


@dataclass(frozen=True)
class Baseline:
    """A baseline: what it predicts, how it learns, how it predicts.

    Attributes:
        name: Its name in the tables.
        tasks: The scorer's tasks it is scored on.
        fit: Learns a model from the training corpus.
        predict: ``(model, doc_id, text, inputs)`` to rows by config; ``inputs``
            are the held-out document's stance instances (without their labels).
    """

    name: str
    tasks: tuple[str, ...]
    fit: Callable[[Corpus], Any]
    predict: Callable[[Any, str, str, list[Row]], dict[str, list[Row]]]


# --- shared helpers ----------------------------------------------------------------


def _sentences(text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Token index ranges of sentences: split at . ! ? outside quotation marks, and at lines."""
    out = []
    start = 0
    inside = False
    for i, tok in enumerate(tokens):
        if tok.text in ("“", "”", '"'):
            inside = tok.text == "“" or (tok.text == '"' and not inside)
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        end = nxt is None or "\n" in text[tok.end : nxt.start]
        end = end or (tok.text in (".", "!", "?") and not inside)
        if end:
            out.append((start, i + 1))
            start = i + 1
            inside = False
    return out


def _find(tokens: Sequence[Token], phrase: Sequence[str], lower: bool = True) -> Iterable[int]:
    """Start indices where the token texts of ``phrase`` occur."""
    n = len(phrase)
    words = [t.text.lower() if lower else t.text for t in tokens]
    for i in range(len(words) - n + 1):
        if words[i : i + n] == list(phrase):
            yield i


@dataclass
class Gazetteer:
    """Mention texts of the training documents, with their entity and type."""

    entries: dict[tuple[str, ...], tuple[str, str]]

    @classmethod
    def fit(cls, corpus: Corpus) -> Gazetteer:
        votes: dict[tuple[str, ...], Counter[tuple[str, str]]] = defaultdict(Counter)
        for row in corpus.all("mentions"):
            key = tuple(t.text for t in tokenize(row["text"]))
            if row["kind"] == "name" and key and row.get("entity_id") is not None:
                votes[key][(row["entity_id"], row["entity_type"])] += 1
        return cls({k: v.most_common(1)[0][0] for k, v in votes.items()})

    def mentions(self, tokens: Sequence[Token]) -> list[tuple[int, int, str, str]]:
        """``(first, last, entity, type)`` token ranges, longest match first, not overlapping."""
        found = []
        taken = [False] * len(tokens)
        for key in sorted(self.entries, key=len, reverse=True):
            for i in _find(tokens, key, lower=False):
                j = i + len(key)
                if not any(taken[i:j]):
                    taken[i:j] = [True] * len(key)
                    found.append((i, j - 1, *self.entries[key]))
        return sorted(found)


def _span(tokens: Sequence[Token], first: int, last: int, text: str) -> Row:
    start, end = tokens[first].start, tokens[last].end
    return {"text": text[start:end], "start": start, "end": end}


# --- mentions: a gazetteer -----------------------------------------------------------


def _predict_mentions(
    model: Gazetteer, doc_id: str, text: str, _: list[Row]
) -> dict[str, list[Row]]:
    tokens = tokenize(text)
    rows = [
        {"doc_id": doc_id, "entity_id": entity, "entity_type": type_, **_span(tokens, i, j, text)}
        for i, j, entity, type_ in model.mentions(tokens)
    ]
    return {"mentions": rows}


# --- quotes: quotation marks and the cue lexicon -------------------------------------


def _nearest(
    candidates: Sequence[tuple[int, int, str, str]], index: int
) -> tuple[int, int, str, str] | None:
    return min(candidates, key=lambda m: (abs(m[0] - index), m[0]), default=None)


def _predict_quotes(model: Gazetteer, doc_id: str, text: str, _: list[Row]) -> dict[str, list[Row]]:
    tokens = tokenize(text)
    mentions = model.mentions(tokens)
    persons = [m for m in mentions if m[3] == "person"]
    quotes: list[Row] = []
    used_cues: set[int] = set()
    cue_at = [t.text.lower() in CUE_LEXICON for t in tokens]
    for first, last in _sentences(text, tokens):
        # Direct quotes: the text strictly inside each pair of quotation marks.
        pairs = []
        i = first
        while i < last:
            close = _QUOTE_PAIRS.get(tokens[i].text)
            j = next((k for k in range(i + 1, last) if tokens[k].text == close), None)
            if close is not None and j is not None and j > i + 1:
                pairs.append((i, j))
                i = j + 1
            else:
                i += 1
        inside = {k for a, b in pairs for k in range(a, b + 1)}
        ctx = _Sentence(doc_id, text, tokens, mentions, persons, first, last, inside)
        cues = [k for k in range(first, last) if cue_at[k] and k not in inside]
        for a, b in pairs:
            cue = min(cues, key=lambda k: (abs(k - b), k), default=None)
            if cue is not None:
                used_cues.add(cue)
            quotes.append(_quote(ctx, a + 1, b - 1, cue, "direct"))
        # Indirect quotes: the clause after a cue (or before it, at the end of a sentence).
        for cue in cues:
            if cue in used_cues:
                continue
            after = [k for k in range(cue + 1, last) if k not in inside]
            if tokens[cue].text.lower() == "menurut":
                comma = next((k for k in after if tokens[k].text == ","), None)
                after = [k for k in after if comma is not None and k > comma]
            elif after and tokens[after[0]].text.lower() == "bahwa":
                after = after[1:]
            while after and tokens[after[-1]].text in (".", "!", "?", ","):
                after.pop()
            if len(after) >= 4:
                start, end = after[0], after[-1]
            else:  # "..., kata Peskov." : the clause before the cue
                before = [k for k in range(first, cue) if k not in inside]
                while before and tokens[before[-1]].text in (",", "-", "–"):
                    before.pop()
                if len(before) < 3:
                    continue
                start, end = before[0], before[-1]
            quotes.append(_quote(ctx, start, end, cue, "indirect"))
    for n, q in enumerate(quotes, 1):
        q["quote_id"] = f"q{n}"
    return {"quotes": quotes}


@dataclass
class _Sentence:
    """A sentence of a document being read by the quote baseline."""

    doc_id: str
    text: str
    tokens: Sequence[Token]
    mentions: Sequence[tuple[int, int, str, str]]
    persons: Sequence[tuple[int, int, str, str]]
    first: int
    last: int
    inside: set[int]


def _quote(ctx: _Sentence, first: int, last: int, cue: int | None, kind: str) -> Row:
    doc_id, text, tokens, mentions, persons = (
        ctx.doc_id, ctx.text, ctx.tokens, ctx.mentions, ctx.persons
    )  # fmt: skip
    sentence_first, sentence_last, inside = ctx.first, ctx.last, ctx.inside
    speaker = mention = None
    if cue is not None:
        # The speaker: "-nya" fused to the cue, else the nearest mention of the cue's sentence.
        if cue + 1 < len(tokens) and tokens[cue + 1].text.lower() == "nya":
            mention = _span(tokens, cue + 1, cue + 1, text)
            earlier = [p for p in persons if p[1] < cue]
            speaker = earlier[-1][2] if earlier else None
        else:
            local = [
                m
                for m in mentions
                if sentence_first <= m[0]
                and m[1] < sentence_last
                and not (first <= m[0] <= last)
                and m[0] not in inside
            ]
            found = _nearest(local, cue)
            if found is not None:
                mention = _span(tokens, found[0], found[1], text)
                speaker = found[2]
    return {
        "doc_id": doc_id,
        "kind": kind,
        **_span(tokens, first, last, text),
        "cue": None if cue is None else _span(tokens, cue, cue, text),
        "speaker_mention": mention,
        "speaker_id": speaker,
    }


# --- events: a trigger lexicon -------------------------------------------------------


@dataclass
class TriggerLexicon:
    """Trigger token sequences with their most frequent type; each type's usual status."""

    triggers: dict[tuple[str, ...], str]
    status: dict[str, str]
    default_status: str | None

    @classmethod
    def fit(cls, corpus: Corpus) -> TriggerLexicon:
        types: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        statuses: dict[str, Counter[str]] = defaultdict(Counter)
        for row in corpus.all("events"):
            key = tuple(t.text.lower() for t in tokenize(row["trigger"]["text"]))
            types[key][row["type"]] += 1
            statuses[row["type"]][row["status"]] += 1
        seen: Counter[tuple[str, ...]] = Counter()
        for text in corpus.texts.values():
            tokens = tokenize(text)
            for key in types:
                seen[key] += sum(1 for _ in _find(tokens, key))
        triggers = {
            k: v.most_common(1)[0][0]
            for k, v in types.items()
            if sum(v.values()) * 2 >= seen[k]  # a trigger in at least half of its occurrences
        }
        overall = Counter(s for c in statuses.values() for s in c.elements())
        return cls(
            triggers,
            {t: c.most_common(1)[0][0] for t, c in statuses.items()},
            overall.most_common(1)[0][0] if overall else None,
        )


def _predict_events(
    model: TriggerLexicon, doc_id: str, text: str, _: list[Row]
) -> dict[str, list[Row]]:
    tokens = tokenize(text)
    taken = [False] * len(tokens)
    rows: list[Row] = []
    for key in sorted(model.triggers, key=len, reverse=True):
        for i in _find(tokens, key):
            j = i + len(key)
            if any(taken[i:j]):
                continue
            taken[i:j] = [True] * len(key)
            type_ = model.triggers[key]
            rows.append(
                {
                    "doc_id": doc_id,
                    "type": type_,
                    "trigger": _span(tokens, i, j - 1, text),
                    "status": model.status.get(type_, model.default_status),
                    "date": None,
                    "arguments": [],
                    # Same type and trigger word: one cross-document event (a lemma baseline).
                    "cross_doc_id": f"{type_}_{'_'.join(key)}"[:64],
                }
            )
    rows.sort(key=lambda r: r["trigger"]["start"])
    for n, r in enumerate(rows, 1):
        r["event_id"] = f"e{n}"
    return {"events": rows}


# --- stances: majority class and a cue-lexicon rule ----------------------------------


def _group(row: Row) -> str:
    return (
        "truth" if (row.get("target_kind") or row.get("target_type")) == "claim" else "evaluative"
    )


def _words(text: str) -> list[str]:
    """The distinct lower-case words of four letters or more, sorted (for a stable vote)."""
    return sorted({t.text.lower() for t in tokenize(text) if t.text.isalpha() and len(t.text) >= 4})


@dataclass
class StanceModel:
    """What the stance baselines learn from the training stances.

    Attributes:
        majority: The majority label of each label group.
        holder: The most frequent holder.
        gazetteer: The training mentions, to find a holder near the evidence.
        cues: The cue lexicon (empty for the majority baseline): each word
            that occurs in the evidence of at least two training stances, 80 %
            of them with one label, mapped to that label.
    """

    majority: dict[str, str]
    holder: str | None
    gazetteer: Gazetteer
    cues: dict[str, str]

    @classmethod
    def fitter(cls, lexicon: bool) -> Callable[[Corpus], StanceModel]:
        def fit(corpus: Corpus) -> StanceModel:
            labels: dict[str, Counter[str]] = defaultdict(Counter)
            holders: Counter[str] = Counter()
            words: dict[str, Counter[str]] = defaultdict(Counter)
            for doc_id in corpus.texts:
                rows = corpus.rows["stances"].get(doc_id, [])
                for row, instance in zip(rows, stance_instances(corpus, doc_id), strict=True):
                    labels[_group(row)][row["label"]] += 1
                    holders[row["holder_id"]] += 1
                    for word in _words(instance["evidence_text"]):
                        words[word][row["label"]] += 1
            cues = {}
            if lexicon:
                for word, counts in words.items():
                    label, top = counts.most_common(1)[0]
                    if top >= 2 and top >= 0.8 * sum(counts.values()):
                        cues[word] = label
            return cls(
                {g: c.most_common(1)[0][0] for g, c in labels.items()},
                holders.most_common(1)[0][0] if holders else None,
                Gazetteer.fit(corpus),
                cues,
            )

        return fit


def _predict_stances(
    model: StanceModel, doc_id: str, text: str, instances: list[Row]
) -> dict[str, list[Row]]:
    groups = stance_groups()
    tokens = tokenize(text)
    mentions = model.gazetteer.mentions(tokens)
    rows: list[Row] = []
    for inst in instances:
        group = _group(inst)
        label = model.majority.get(group) or (groups.get(group) or ("",))[0]
        holder = model.holder
        if model.cues:
            votes = Counter(
                model.cues[w]
                for w in _words(inst["evidence_text"])
                if model.cues.get(w) in groups.get(group, ())
            )
            if votes:
                label = votes.most_common(1)[0][0]
            if inst["evidence_start"] is not None:
                first = next(
                    (i for i, t in enumerate(tokens) if t.start >= inst["evidence_start"]), 0
                )
                found = _nearest(
                    [m for m in mentions if m[3] in ("person", "country", "organization")], first
                )
                if found is not None:
                    holder = found[2]
        rows.append(
            {"doc_id": doc_id, "stance_id": inst["stance_id"], "label": label, "holder_id": holder}
        )
    return {"stances": rows}


def stance_instances(corpus: Corpus, doc_id: str) -> list[Row]:
    """The stance instances of a document, as a system sees them: no label, no holder.

    Each has its id, its target and the text of its evidence (its evidence
    spans and the content of the quotes it cites).
    """
    quotes = {q["quote_id"]: q for q in corpus.rows["quotes"].get(doc_id, [])}
    out = []
    for row in corpus.rows["stances"].get(doc_id, []):
        spans = [(e["start"], e["text"]) for e in row["evidence"]]
        spans += [(quotes[q]["start"], quotes[q]["text"]) for q in row["quote_ids"] if q in quotes]
        out.append(
            {
                "stance_id": row["stance_id"],
                "target_type": row.get("target_type"),
                "target_kind": row.get("target_kind"),
                "target": row["target"],
                "evidence_text": " ".join(t for _, t in spans),
                "evidence_start": min((s for s, _ in spans), default=None),
            }
        )
    return out


#: The baselines, in the order of the tables.
BASELINES: dict[str, Baseline] = {
    "gazetteer": Baseline("gazetteer", ("mentions",), Gazetteer.fit, _predict_mentions),
    "quote-marks+cues": Baseline("quote-marks+cues", ("quotes",), Gazetteer.fit, _predict_quotes),
    "trigger-lexicon": Baseline(
        "trigger-lexicon", ("events", "crossdoc"), TriggerLexicon.fit, _predict_events
    ),
    "majority": Baseline("majority", ("stances",), StanceModel.fitter(False), _predict_stances),
    "cue-lexicon": Baseline(
        "cue-lexicon", ("stances",), StanceModel.fitter(True), _predict_stances
    ),
}

#: The metrics shown in the card, per task.
HEADLINE: dict[str, tuple[str, ...]] = {
    "mentions": ("typed.exact.f1", "linking.accuracy"),
    "quotes": ("content.exact.f1", "content.lenient.f1", "cue.exact.f1", "speaker.accuracy"),
    "events": ("trigger.identification.f1", "trigger.classification.f1", "status.accuracy"),
    "stances": ("evaluative.macro_f1", "truth.macro_f1", "holder.accuracy"),
    "crossdoc": ("conll.f1", "b3.f1"),
}


# --- the protocol ----------------------------------------------------------------------


def load_corpus(reference: Reference) -> Corpus:
    """Every config a baseline or the scorer needs, from a release."""
    configs = {"mentions", "quotes", "events", "stances"}
    return Corpus(dict(reference.texts), {c: reference.rows(c) for c in configs})


def predict_fold(
    baseline: Baseline, corpus: Corpus, train: Sequence[str], test: Sequence[str]
) -> dict[str, dict[str, list[Row]]]:
    """Fit on ``train`` only and predict ``test``: predictions by config, then document."""
    model = baseline.fit(corpus.only(train))
    out: dict[str, dict[str, list[Row]]] = defaultdict(dict)
    for doc_id in test:
        for config, rows in baseline.predict(
            model, doc_id, corpus.texts[doc_id], stance_instances(corpus, doc_id)
        ).items():
            out[config][doc_id] = rows
    return out


@dataclass
class Result:
    """A baseline's scores under both protocols.

    Attributes:
        baseline: The baseline's name.
        lodo: Leave-one-document-out scores, by task.
        test: Fixed-split scores (trained on train), by task.
    """

    baseline: str
    lodo: dict[str, TaskScore]
    test: dict[str, TaskScore]


def run(reference: Reference, *, samples: int = 1000, seed: int = 0) -> list[Result]:
    """Every baseline under leave-one-document-out and on the fixed test split."""
    corpus = load_corpus(reference)
    docs = reference.documents("all")
    train, test = reference.documents("train"), reference.documents("test")
    results = []
    for baseline in BASELINES.values():
        lodo: dict[str, dict[str, list[Row]]] = defaultdict(dict)
        for held_out in docs:
            fold = predict_fold(baseline, corpus, [d for d in docs if d != held_out], [held_out])
            for config, by_doc in fold.items():
                lodo[config].update(by_doc)
        fixed = predict_fold(baseline, corpus, train, test)
        result = Result(baseline.name, {}, {})
        for name in baseline.tasks:
            task = TASKS[name]
            ref_rows = reference.rows(task.config)
            result.lodo[name] = score_rows(
                task, ref_rows, lodo[task.config], docs, samples=samples, seed=seed
            )
            result.test[name] = score_rows(
                task, ref_rows, fixed[task.config], test, samples=samples, seed=seed
            )
        results.append(result)
    return results


def benchmark_block(results: Sequence[Result], documents: int, samples: int, seed: int) -> str:
    """The card's Benchmark table: each baseline's headline metrics under both protocols."""
    lines = [
        f"Leave-one-document-out cross-validation over the {documents} documents (the main "
        f"protocol), with 95 % bootstrap intervals over documents ({samples} resamples, seed "
        f"{seed}), and the fixed split (trained on train, scored on the one test document: "
        "not stable, no interval). Produced by `python scripts/baselines.py --write-card`.",
        "",
        "| baseline | task | metric | leave-one-document-out | 95 % CI | test split |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        for task, lodo in result.lodo.items():
            for metric in HEADLINE[task]:
                if metric not in lodo.metrics:
                    continue
                test = result.test[task].metrics.get(metric)
                lines.append(
                    f"| {result.baseline} | {task} | `{metric}` | {figure(lodo.metrics[metric])} "
                    f"| {interval(lodo.intervals.get(metric))} | {figure(test)} |"
                )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the baselines; print their table, and optionally write it into the card.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        0 on success, 1 when the reference cannot be read or built.
    """
    from kimputin_ds.errors import KimputinError

    parser = argparse.ArgumentParser(
        prog="baselines", description="Run the baselines under the evaluation protocol."
    )
    parser.add_argument("--reference", type=Path, help="release directory (default: build seeds/)")
    parser.add_argument("--root", type=Path, default=Path("seeds"), help="corpus to build")
    parser.add_argument("--bootstrap", type=int, default=1000, metavar="N")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--write-card", type=Path, nargs="?", const=Path("DATASET_CARD.md"), default=None,
        help="fill the card's Benchmark block (default file: DATASET_CARD.md)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            reference = args.reference
            if reference is None:
                from kimputin_ds.build import build_release

                reference = build_release(args.root, Path(tmp) / "release").output
            ref = read_reference(reference)
            results = run(ref, samples=args.bootstrap, seed=args.seed)
    except KimputinError as exc:
        if exc.report.issues:
            print(exc.report.to_text(), file=sys.stderr)
        print(f"baselines failed: {exc}", file=sys.stderr)
        return 1
    block = benchmark_block(results, len(ref.texts), args.bootstrap, args.seed)
    print(block, end="")
    if args.write_card is not None:
        from kimputin_ds.card import fill_blocks

        card = args.write_card.read_text(encoding="utf-8")
        if "<!-- BEGIN GENERATED: benchmark -->" not in card:
            print(f"{args.write_card}: no benchmark block to fill", file=sys.stderr)
            return 1
        args.write_card.write_text(fill_blocks(card, {"benchmark": block}), encoding="utf-8")
        print(f"wrote the Benchmark block of {args.write_card}")
    return 0
