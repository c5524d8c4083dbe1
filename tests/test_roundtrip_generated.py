"""Round trip on generated corpora: hypothesis writes valid documents that use the rare fields.

Each example is a one-document corpus: a text of three-letter words (so that
every occurrence of a word is a whole token) and an annotation file drawn at
random, with nested quotes, relays, co-speakers, unclosed quotes, every status,
precision and argument role, relative dates, background events, every stance
target kind and source notes. It must validate; its rows, flattened by
:mod:`kimputin_ds.records`, must equal what :mod:`oracle` derives from the
same files field by field.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import oracle
from kimputin_ds.errors import Report
from kimputin_ds.records import document_records, entity_rows, referenced_entities
from kimputin_ds.validation import checked_documents, finish_corpus, open_corpus

WORDS = ["kim", "put", "rus", "kor", "pbb", "tas", "dan", "itu", "ada", "bes", "ses", "las"]
ENTITIES = [
    {"id": "kim_jong_un", "type": "person", "name": "Kim Jong Un", "aliases": ["Kim"]},
    {"id": "vladimir_putin", "type": "person", "name": "Vladimir Putin"},
    {"id": "russia", "type": "country", "name": "Russia", "name_id": "Rusia"},
    {"id": "tass", "type": "organization", "name": "TASS", "note": "A wire."},
    {"id": "pyongyang", "type": "place", "name": "Pyongyang", "wikidata": "Q18808"},
]
PERSONS = ["kim_jong_un", "vladimir_putin"]
OTHERS = ["russia", "tass", "pyongyang"]
STATUSES = ["occurred", "planned", "speculated", "alleged", "denied", "hypothetical", "negated"]
ROLES = ["agent", "patient", "recipient", "participant", "theme", "origin", "destination"]
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


class _Doc:
    """Draws spans of one text: each drawn span is a whole word, named by occurrence."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.text = " ".join(words) + "\n"

    def ref(self, i: int) -> Any:
        word = self.words[i]
        n = self.words[: i + 1].count(word)
        if self.words.count(word) == 1:
            return word
        return {"text": word, "occurrence": n}

    def range_ref(self, i: int, j: int) -> Any:
        """Words i..j (inclusive) as one span."""
        text = " ".join(self.words[i : j + 1])
        start = len(" ".join(self.words[:i])) + (1 if i else 0)
        starts = [k for k in range(len(self.text)) if self.text.startswith(text, k)]
        return {"text": text, "occurrence": starts.index(start) + 1}


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=12, max_size=30))
    doc = _Doc(words)
    positions = list(range(len(words)))
    free = draw(st.permutations(positions))
    taken = iter(free)

    mentions: dict[str, list[Any]] = {}
    mention_at: dict[str, list[int]] = {}
    for _ in range(draw(st.integers(2, 6))):
        i = next(taken)
        entity = draw(st.sampled_from(PERSONS + OTHERS))
        kind = draw(st.sampled_from(["name", "nominal", "pronoun"]))
        ref = doc.ref(i)
        if kind != "name":
            ref = {**(ref if isinstance(ref, dict) else {"text": ref}), "kind": kind}
        mentions.setdefault(entity, []).append(ref)
        mention_at.setdefault(entity, []).append(i)

    quotes: list[dict[str, Any]] = []
    for q in range(draw(st.integers(0, 4))):
        a = draw(st.integers(0, len(words) - 1))
        b = draw(st.integers(a, min(a + 4, len(words) - 1)))
        quote: dict[str, Any] = {
            "id": f"q{q + 1}",
            "kind": draw(st.sampled_from(["direct", "indirect", "mixed"])),
            "content": doc.range_ref(a, b),
        }
        speaker = draw(st.none() | st.sampled_from(PERSONS + OTHERS))
        if speaker is not None:
            quote["speaker"] = speaker
            if speaker in mention_at and draw(st.booleans()):
                quote["speaker_mention"] = doc.ref(draw(st.sampled_from(mention_at[speaker])))
        reference = draw(st.sampled_from(REFERENCES))
        if speaker in PERSONS and draw(st.booleans()):
            reference = "name"
        elif speaker in OTHERS and draw(st.booleans()):
            reference = "organization"
        quote["speaker_reference"] = reference
        if draw(st.booleans()):
            quote["cue"] = doc.ref(draw(st.sampled_from(positions)))
        if draw(st.booleans()):
            quote["relayed_by"] = draw(st.sampled_from(OTHERS))
        if draw(st.booleans()):
            quote["additional_speakers"] = draw(
                st.lists(st.sampled_from(PERSONS + OTHERS), min_size=1, max_size=2, unique=True)
            )
        parents = [p for p in quotes if p["_range"][0] <= a and b <= p["_range"][1]]
        if parents and draw(st.booleans()):
            quote["parent"] = draw(st.sampled_from(parents))["id"]
        if draw(st.booleans()):
            quote["unclosed"] = True
        if draw(st.booleans()):
            quote["note"] = draw(st.sampled_from(["A note.", "Catatan."]))
        quote["_range"] = (a, b)
        quotes.append(quote)
    for quote in quotes:
        del quote["_range"]

    events: list[dict[str, Any]] = []
    for e in range(draw(st.integers(1, 4))):
        event: dict[str, Any] = {
            "id": f"e{e + 1}",
            "type": draw(st.sampled_from(["meeting", "visit", "aid", "threat", "other"])),
            "trigger": doc.ref(draw(st.sampled_from(positions))),
            "status": draw(st.sampled_from(STATUSES)),
        }
        arguments = []
        for _ in range(draw(st.integers(0, 3))):
            entity = draw(st.none() | st.sampled_from(sorted(mention_at)))
            i = (
                draw(st.sampled_from(mention_at[entity]))
                if entity
                else draw(st.sampled_from(positions))
            )
            arguments.append(
                {"role": draw(st.sampled_from(ROLES)), "span": doc.ref(i)}
                | ({"entity": entity} if entity else {})
            )
        if arguments:
            event["arguments"] = arguments
        if draw(st.booleans()):
            value, precision = draw(st.sampled_from(TIMES))
            time: dict[str, Any] = {"value": value, "precision": precision}
            if draw(st.booleans()):
                time["span"] = doc.ref(draw(st.sampled_from(positions)))
                time["relative"] = draw(st.booleans())
            event["time"] = time
        if draw(st.booleans()):
            event["asserted_by"] = draw(st.sampled_from(PERSONS + OTHERS))
        if quotes and draw(st.booleans()):
            event["source_quote"] = draw(st.sampled_from(quotes))["id"]
        if draw(st.booleans()):
            event["background"] = True
        if draw(st.booleans()):
            event["cross_doc_id"] = "summit"
            event["type"] = "meeting"
        events.append(event)

    stances: list[dict[str, Any]] = []
    for s in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["entity", "event", "proposition"]))
        target = {
            "entity": {"entity": draw(st.sampled_from(PERSONS + OTHERS))},
            "event": {"event": draw(st.sampled_from(events))["id"]},
            "proposition": {"proposition": "sanctions work"},
        }[kind]
        stance: dict[str, Any] = {
            "id": f"s{s + 1}",
            "holder": draw(st.sampled_from(PERSONS + OTHERS)),
            "target": target,
            "label": draw(st.sampled_from(["favor", "against", "neutral"])),
            "evidence": [doc.ref(draw(st.sampled_from(positions)))],
            "explicit": draw(st.booleans()),
        }
        if quotes and draw(st.booleans()):
            stance["quotes"] = [draw(st.sampled_from(quotes))["id"]]
        stances.append(stance)

    raw = doc.text.encode("utf-8")
    annotation: dict[str, Any] = {
        "schema_version": "1.0",
        "doc_id": "gen",
        "text": {"sha256": hashlib.sha256(raw).hexdigest(), "length": len(raw)},
        "metadata": {
            "outlet": "Example",
            "published": {"value": "2023-09-14", "derivation": "inferred_from_corpus"},
        },
        "mentions": mentions,
        "quotes": quotes,
        "events": events,
        "stances": stances,
        "source_notes": [
            {"kind": "typo", "span": doc.ref(draw(st.sampled_from(positions))), "note": "A typo."},
            {"kind": "truncated", "note": "Cut short."},
        ],
    }
    return doc.text, annotation


def _write(root: Path, text: str, annotation: dict[str, Any]) -> None:
    root.mkdir()
    (root / "gen.txt").write_bytes(text.encode("utf-8"))
    dump = {"allow_unicode": True, "sort_keys": False}
    (root / "gen.yaml").write_text(yaml.safe_dump(annotation, **dump), encoding="utf-8")
    registry = {"schema_version": "1.0", "entities": ENTITIES}
    (root / "entities.yaml").write_text(yaml.safe_dump(registry, **dump), encoding="utf-8")
    splits = {"schema_version": "1.0", "train": ["gen"], "validation": [], "test": []}
    splits["rationale"] = "Generated."
    (root / "splits.yaml").write_text(yaml.safe_dump(splits, **dump), encoding="utf-8")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents_round_trip_field_by_field(doc: tuple[str, dict[str, Any]]) -> None:
    text, annotation = doc
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "seeds"
        _write(root, text, annotation)
        report = Report()
        run = open_corpus(root, report)
        docs = list(checked_documents(run, report))
        finish_corpus(run, report)
        assert report.ok, report.to_text()
        (document,) = docs
        records = document_records(document, run.entities)
        registry = oracle.read_registry(root)
        src = oracle.read_source(root, "gen", registry)
        for config, derive in oracle.ROWS.items():
            assert records[config] == derive(src), config
        (kb,) = records["kb"]
        assert [(r["type"], r["arg1_id"], r["arg2_id"]) for r in kb["relations"]] == (
            oracle.kb_relations(src)
        )
        assert kb["coreferences"] == oracle.kb_coreferences(src)
        assert entity_rows(run.entities, referenced_entities(document)) == oracle.entity_rows(
            registry, [src]
        )
