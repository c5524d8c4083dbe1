"""Round trip on generated corpora: hypothesis writes valid documents that use the rare fields.

Each example is a one-document corpus: a text of lines of three-letter words
(so that every occurrence of a word is a whole token; one of them is not
ASCII, so character and byte offsets differ) and an annotation file in scheme
2.0 drawn at random, with nested quotes, relays, co-speakers, unclosed quotes,
plural mentions, zones, a quotation that is not speech, every status,
precision and argument role, relative dates, background events, every stance
target kind (entity, event, claim, topic) with its label set, metadata spans
and source notes. Spans are written as plain text, with an occurrence, or
with a prefix. The document must validate without an error; its rows,
flattened by :mod:`kimputin_ds.records`, must equal what :mod:`oracle`
derives from the same files, field by field.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any, get_args

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import oracle
from kimputin_ds.errors import Report
from kimputin_ds.models import (
    ArgumentRole,
    EvaluativeLabel,
    EventStatus,
    MentionKind,
    QuoteKind,
    SourceProblem,
    TruthLabel,
)
from kimputin_ds.records import document_records, entity_rows, referenced_entities
from kimputin_ds.validation import checked_documents, finish_corpus, open_corpus

#: Three-letter words: no word is part of another, so each occurrence is a whole token.
WORDS = ["kim", "put", "rus", "kor", "pbb", "tas", "dan", "itu", "ada", "bés", "ses", "las"]
#: A quoted term that is not speech, listed in non_speech_quotations.
MARKED = '"tes"'
ENTITIES = [
    {"id": "kim_jong_un", "type": "person", "name": "Kim Jong Un", "aliases": ["Kim"]},
    {"id": "vladimir_putin", "type": "person", "name": "Vladimir Putin"},
    {"id": "russia", "type": "country", "name": "Russia", "name_id": "Rusia"},
    {"id": "tass", "type": "media", "name": "TASS", "note": "A wire."},
    {"id": "pyongyang", "type": "place", "name": "Pyongyang", "wikidata": "Q18808"},
]
CLAIMS = [
    {"id": "arms_deal", "text": "There is an arms deal.", "text_id": "Ada kesepakatan senjata."},
    {"id": "satellite_aid", "text": "Russia helps with satellites.", "text_id": "Rusia membantu."},
]
PERSONS = ["kim_jong_un", "vladimir_putin"]
OTHERS = ["russia", "tass", "pyongyang"]
TIMES = [
    ("199", "decade"),
    ("2024", "year"),
    ("2023-07", "month"),
    ("2023-W38", "week"),
    ("2023-09-13", "day"),
    ("2023-09-13T17+09:00", "hour"),
    ("2023-09-13T13:00+09:00", "minute"),
]
REFERENCES = ["role", "pronoun", "group", "anonymous", "implicit"]
#: Zones that may hold annotations (the boilerplate zones may not).
BODY_ZONES = ["headline", "section_heading", "dateline"]


class _Doc:
    """A generated text and the ways of writing a span of it."""

    def __init__(self, draw: st.DrawFn, lines: list[list[str]]) -> None:
        self.draw = draw
        self.words: list[str] = []
        self.starts: list[int] = []
        self.line_of: list[int] = []
        offset = 0
        for n, line in enumerate(lines):
            for word in line:
                self.words.append(word)
                self.starts.append(offset)
                self.line_of.append(n)
                offset += len(word) + 1  # a space, or the line's newline
        self.text = "\n".join(" ".join(line) for line in lines) + "\n"

    def span(self, start: int, end: int) -> Any:
        """Characters start..end, written in one of the forms the scheme allows."""
        text = self.text[start:end]
        form = self.draw(st.sampled_from(["plain", "occurrence", "prefix"]))
        if form == "prefix" and start > 0:
            prefix = self.text[max(0, start - self.draw(st.integers(1, 4))) : start]
            found = _occurrences(self.text, prefix + text)
            ref: dict[str, Any] = {"text": text, "prefix": prefix}
            if len(found) > 1:
                ref["occurrence"] = found.index(start - len(prefix)) + 1
            return ref
        found = _occurrences(self.text, text)
        if form == "plain" and len(found) == 1:
            return text
        return {"text": text, "occurrence": found.index(start) + 1}

    def word(self, i: int) -> Any:
        return self.span(self.starts[i], self.starts[i] + len(self.words[i]))

    def words_span(self, i: int, j: int) -> Any:
        """Words i..j (inclusive, on one line) as one span."""
        return self.span(self.starts[i], self.starts[j] + len(self.words[j]))

    def line(self, n: int) -> Any:
        ids = [i for i, line in enumerate(self.line_of) if line == n]
        return self.words_span(ids[0], ids[-1])


def _occurrences(text: str, needle: str) -> list[int]:
    """Every start of ``needle`` in ``text``, overlapping ones included."""
    return [k for k in range(len(text)) if text.startswith(needle, k)]


def _mention(doc: _Doc, i: int, kind: str, default: str) -> Any:
    ref = doc.word(i)
    if kind == default and doc.draw(st.booleans()):
        return ref
    return {**(ref if isinstance(ref, dict) else {"text": ref}), "kind": kind}


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    lines = draw(
        st.lists(st.lists(st.sampled_from(WORDS), min_size=3, max_size=8), min_size=3, max_size=5)
    )
    if draw(st.booleans()):  # a line with a quoted term that is not reported speech
        lines.insert(draw(st.integers(1, len(lines))), [draw(st.sampled_from(WORDS)), MARKED])
    doc = _Doc(draw, lines)
    positions = [i for i, w in enumerate(doc.words) if w != MARKED]
    taken = iter(draw(st.permutations(positions)))  # mention positions: never two at one word
    kinds = list(get_args(MentionKind))

    mentions: dict[str, list[Any]] = {}
    mention_at: dict[str, list[int]] = {}
    for _ in range(draw(st.integers(2, 6))):
        i = next(taken)
        entity = draw(st.sampled_from(PERSONS + OTHERS))
        mentions.setdefault(entity, []).append(
            _mention(doc, i, draw(st.sampled_from(kinds)), "name")
        )
        mention_at.setdefault(entity, []).append(i)
    plural_mentions = []
    for _ in range(draw(st.integers(0, 2))):
        i = next(taken)
        members = draw(st.lists(st.sampled_from(PERSONS + OTHERS), min_size=2, max_size=3))
        members = list(dict.fromkeys(members))
        if len(members) < 2:
            continue
        plural = _mention(doc, i, draw(st.sampled_from(kinds)), "nominal")
        plural = {**(plural if isinstance(plural, dict) else {"text": plural}), "entities": members}
        if draw(st.booleans()):
            plural["note"] = "Both of them."
        plural_mentions.append(plural)
        for entity in members:
            mention_at.setdefault(entity, []).append(i)

    quotes: list[dict[str, Any]] = []
    ranges: list[tuple[int, int]] = []
    for q in range(draw(st.integers(0, 4))):
        a = draw(st.sampled_from(positions))
        same_line = [j for j in positions if doc.line_of[j] == doc.line_of[a] and a <= j <= a + 4]
        b = draw(st.sampled_from(same_line))
        quote: dict[str, Any] = {
            "id": f"q{q + 1}",
            "kind": draw(st.sampled_from(get_args(QuoteKind))),
            "content": doc.words_span(a, b),
        }
        speaker = draw(st.none() | st.sampled_from(PERSONS + OTHERS))
        if speaker is not None:
            quote["speaker"] = speaker
            if speaker in mention_at and draw(st.booleans()):
                quote["speaker_mention"] = doc.word(draw(st.sampled_from(mention_at[speaker])))
        reference = draw(st.sampled_from(REFERENCES))
        if speaker in PERSONS and draw(st.booleans()):
            reference = "name"
        elif speaker in OTHERS and draw(st.booleans()):
            reference = "organization"
        quote["speaker_reference"] = reference
        if draw(st.booleans()):
            quote["cue"] = doc.word(draw(st.sampled_from(positions)))
        if draw(st.booleans()):
            quote["relayed_by"] = draw(st.sampled_from(OTHERS))
        if draw(st.booleans()):
            quote["additional_speakers"] = draw(
                st.lists(st.sampled_from(PERSONS + OTHERS), min_size=1, max_size=2, unique=True)
            )
        parents = [
            p["id"] for p, (pa, pb) in zip(quotes, ranges, strict=True) if pa <= a and b <= pb
        ]
        if parents and draw(st.booleans()):
            quote["parent"] = draw(st.sampled_from(parents))
        if draw(st.booleans()):
            quote["unclosed"] = True
        if draw(st.booleans()):
            quote["note"] = draw(st.sampled_from(["A note.", "Catatan."]))
        quotes.append(quote)
        ranges.append((a, b))

    events: list[dict[str, Any]] = []
    for e in range(draw(st.integers(1, 4))):
        event: dict[str, Any] = {
            "id": f"e{e + 1}",
            "type": draw(st.sampled_from(["meeting", "visit", "aid", "threat", "other"])),
            "trigger": doc.word(draw(st.sampled_from(positions))),
            "status": draw(st.sampled_from(get_args(EventStatus))),
        }
        arguments = []
        for _ in range(draw(st.integers(0, 3))):
            entity = draw(st.none() | st.sampled_from(sorted(mention_at)))
            i = draw(st.sampled_from(mention_at[entity] if entity else positions))
            arguments.append(
                {"role": draw(st.sampled_from(get_args(ArgumentRole))), "span": doc.word(i)}
                | ({"entity": entity} if entity else {})
            )
        if arguments:
            event["arguments"] = arguments
        if draw(st.booleans()):
            value, precision = draw(st.sampled_from(TIMES))
            time: dict[str, Any] = {"value": value, "precision": precision}
            if draw(st.booleans()):
                time["span"] = doc.word(draw(st.sampled_from(positions)))
                time["relative"] = draw(st.booleans())
            if draw(st.booleans()):
                time["note"] = "Resolved against the publication date."
            event["time"] = time
        elif draw(st.booleans()):  # a time expression with no value
            event["time"] = {"span": doc.word(draw(st.sampled_from(positions)))}
        if draw(st.booleans()):
            event["asserted_by"] = draw(st.sampled_from(PERSONS + OTHERS))
        if quotes and draw(st.booleans()):
            event["source_quote"] = draw(st.sampled_from(quotes))["id"]
        if draw(st.booleans()):
            event["background"] = True
        if draw(st.booleans()):
            event["cross_doc_id"] = "summit"  # one real-world event, whatever the type (2.0)
        if draw(st.booleans()):
            event["note"] = "An event note."
        events.append(event)

    stances: list[dict[str, Any]] = []
    for s in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["entity", "event", "claim", "topic"]))
        target = {
            "entity": lambda: {"entity": draw(st.sampled_from(PERSONS + OTHERS))},
            "event": lambda: {"event": draw(st.sampled_from(events))["id"]},
            "claim": lambda: {"claim": draw(st.sampled_from([c["id"] for c in CLAIMS]))},
            "topic": lambda: {"topic": "sanctions on North Korea"},
        }[kind]()
        labels = get_args(TruthLabel) if kind == "claim" else get_args(EvaluativeLabel)
        stance: dict[str, Any] = {
            "id": f"s{s + 1}",
            "holder": draw(st.sampled_from(PERSONS + OTHERS)),
            "target": target,
            "label": draw(st.sampled_from(labels)),
            "explicit": draw(st.booleans()),
        }
        evidence = [doc.word(i) for i in draw(st.lists(st.sampled_from(positions), max_size=2))]
        if evidence or not quotes:
            stance["evidence"] = evidence or [doc.word(draw(st.sampled_from(positions)))]
        if quotes and (draw(st.booleans()) or "evidence" not in stance):
            stance["quotes"] = [draw(st.sampled_from(quotes))["id"]]
        if draw(st.booleans()):
            stance["note"] = "A stance note."
        stances.append(stance)

    metadata: dict[str, Any] = {
        "outlet": "Example",
        "published": {
            "value": "2023-09-14",
            "derivation": draw(st.sampled_from(["stated", "inferred_from_text"])),
        },
    }
    if draw(st.booleans()):
        metadata["published"]["note"] = "From the page."
        metadata["published"]["evidence"] = doc.word(draw(st.sampled_from(positions)))
    for key in ("title", "byline", "dateline"):
        if draw(st.booleans()):
            metadata[key] = doc.line(draw(st.integers(0, len(lines) - 1)))
    if draw(st.booleans()):
        metadata["outlet_entity"] = "tass"
        metadata["wire_sources"] = [{"name": "TASS", "entity": "tass"}, {"name": "AFP"}]
    if draw(st.booleans()):
        metadata["url"] = "https://example.org/news/1"
        metadata["retrieved_at"] = draw(st.sampled_from(["2024-06-18", "2024-06-18T09:30Z"]))

    zones = [
        {"kind": draw(st.sampled_from(BODY_ZONES)), "span": doc.line(n)}
        for n in sorted(draw(st.sets(st.integers(0, len(lines) - 1), max_size=2)))
    ]
    non_speech = []
    if MARKED in doc.words:
        start = doc.starts[doc.words.index(MARKED)]
        marked = {"span": doc.span(start, start + len(MARKED)), "reason": "term"}
        non_speech.append(marked | ({"note": "A coined term."} if draw(st.booleans()) else {}))

    raw = doc.text.encode("utf-8")
    annotation: dict[str, Any] = {
        "schema_version": "2.0",
        "doc_id": "gen",
        "text": {"sha256": hashlib.sha256(raw).hexdigest(), "length": len(raw)},
        "metadata": metadata,
        "zones": zones,
        "mentions": mentions,
        "plural_mentions": plural_mentions,
        "quotes": quotes,
        "non_speech_quotations": non_speech,
        "events": events,
        "stances": stances,
        "source_notes": [
            {
                "kind": draw(st.sampled_from(get_args(SourceProblem))),
                "span": doc.word(draw(st.sampled_from(positions))),
                "note": "A typo.",
            },
            {"kind": "factual_conflict", "note": "Another article differs.", "related_doc": "gen"},
        ],
    }
    return doc.text, annotation


def _write(root: Path, text: str, annotation: dict[str, Any]) -> None:
    root.mkdir()
    (root / "gen.txt").write_bytes(text.encode("utf-8"))
    dump = {"allow_unicode": True, "sort_keys": False}
    files = {
        "gen.yaml": annotation,
        "entities.yaml": {"schema_version": "2.0", "entities": ENTITIES},
        "claims.yaml": {"schema_version": "2.0", "claims": CLAIMS},
        "splits.yaml": {
            "schema_version": "1.0",
            "train": ["gen"],
            "validation": [],
            "test": [],
            "rationale": "Generated.",
        },
    }
    for name, data in files.items():
        (root / name).write_text(yaml.safe_dump(data, **dump), encoding="utf-8")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_round_trip_field_by_field(doc: tuple[str, dict[str, Any]]) -> None:
    text, annotation = doc
    with tempfile.TemporaryDirectory() as tmp:  # not tmp_path: one per example
        root = Path(tmp) / "seeds"
        _write(root, text, annotation)
        report = Report()
        run = open_corpus(root, report)
        docs = list(checked_documents(run, report))
        finish_corpus(run, report)
        assert report.ok, report.to_text()
        (document,) = docs
        records = document_records(document, run.entities, claims=run.claims)
        registry = oracle.read_registry(root)
        src = oracle.read_source(root, "gen", registry)
    for config, derive in oracle.ROWS.items():
        assert records[config] == derive(src), config
    (kb,) = records["kb"]
    assert [(r["type"], r["arg1_id"], r["arg2_id"]) for r in kb["relations"]] == (
        oracle.kb_relations(src)
    )
    assert kb["coreferences"] == oracle.kb_coreferences(src)
    assert kb["passages"] == oracle.kb_passages(src)
    mentions = oracle.mention_rows(src)
    assert [(e["id"], e["offsets"]) for e in kb["entities"][: len(mentions)]] == [
        (m["mention_id"], [[m["start"], m["end"]]]) for m in mentions
    ]
    assert entity_rows(run.entities, referenced_entities(document)) == oracle.entity_rows(
        registry, [src]
    )
