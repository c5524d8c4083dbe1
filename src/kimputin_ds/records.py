"""Flatten anchored documents into release rows, one dict per row and config.

Rows hold label *names*; :func:`kimputin_ds.features.column_encoders` turns them
into ClassLabel integers when they are written. Offsets come from anchoring,
so ``text[start:end] == span text`` holds by construction (and is tested).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from typing import Any

from kimputin_ds.anchoring import Span
from kimputin_ds.corpus import Document, entity_refs
from kimputin_ds.errors import Report
from kimputin_ds.models import CAMEO, Claim, Entity
from kimputin_ds.tokens import token_rows

Row = dict[str, Any]


def _span(span: Span | None) -> Row | None:
    return None if span is None else {"text": span.text, "start": span.start, "end": span.end}


def _required(span: Span | None) -> Row:
    if span is None:  # validation guarantees every required span anchored
        raise ValueError("unanchored span in a validated document")
    return {"text": span.text, "start": span.start, "end": span.end}


def mention_ids(doc: Document) -> dict[tuple[Any, ...], str]:
    """Mention ids ``<doc_id>-m<n>``, numbered in text order, by field path.

    Both kinds of mention are numbered together: ``("mentions", entity_id, j)``
    and ``("plural_mentions", i)``.
    """
    located = sorted(
        (
            (s.start, s.end, p)
            for p, s in doc.spans.items()
            if p[0] == "mentions" or (p[0] == "plural_mentions" and len(p) == 2)
        ),
        key=lambda t: (t[0], t[1]),
    )
    return {p: f"{doc.doc_id}-m{i:04d}" for i, (_, _, p) in enumerate(located, 1)}


def document_row(doc: Document) -> Row:
    """The ``documents`` row of one document."""
    ann = doc.annotation
    meta = ann.metadata
    return {
        "doc_id": doc.doc_id,
        "text": doc.text,
        "text_sha256": hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
        "language": "id",
        "outlet": meta.outlet,
        "outlet_id": meta.outlet_entity,
        "published_date": meta.published.value,
        "published_date_derivation": meta.published.derivation,
        "published_date_note": meta.published.note,
        "title": _span(doc.span("metadata", "title")),
        "byline": _span(doc.span("metadata", "byline")),
        "dateline": _span(doc.span("metadata", "dateline")),
        "wire_sources": [w.name for w in meta.wire_sources],
        "zones": [
            {"kind": z.kind, **_required(doc.span("zones", i, "span"))}
            for i, z in enumerate(ann.zones)
        ],
        "non_speech_quotations": [
            {
                "reason": n.reason,
                "span": _required(doc.span("non_speech_quotations", i, "span")),
                "note": n.note,
            }
            for i, n in enumerate(ann.non_speech_quotations)
        ],
        "source_notes": [
            {
                "kind": n.kind,
                "span": _span(doc.span("source_notes", i, "span")),
                "note": n.note,
                "related_doc": n.related_doc,
            }
            for i, n in enumerate(ann.source_notes)
        ],
        "num_chars": len(doc.text),
        "url": meta.url,
        "retrieved_at": meta.retrieved_at,
    }


def mention_rows(doc: Document, entities: Mapping[str, Entity]) -> list[Row]:
    """The ``mentions`` rows of one document, in text order."""
    ids = mention_ids(doc)
    rows = []
    for path, mention_id in ids.items():
        span = _required(doc.spans[path])
        if path[0] == "plural_mentions":
            plural = doc.annotation.plural_mentions[int(path[1])]
            entity_id, members, kind = None, list(plural.entities), plural.kind
        else:
            entity_id = str(path[1])
            ref = doc.annotation.mentions[entity_id][int(path[2])]
            members, kind = [entity_id], "name" if isinstance(ref, str) else ref.kind
        rows.append(
            {
                "doc_id": doc.doc_id,
                "mention_id": mention_id,
                "entity_id": entity_id,
                "entity_type": None if entity_id is None else entities[entity_id].type,
                "entity_ids": members,
                "plural": entity_id is None,
                "kind": kind,
                **span,
            }
        )
    return rows


def _name(entities: Mapping[str, Entity], entity_id: str | None) -> str | None:
    return None if entity_id is None else entities[entity_id].name


def quote_rows(doc: Document, entities: Mapping[str, Entity]) -> list[Row]:
    """The ``quotes`` rows of one document."""
    return [
        {
            "doc_id": doc.doc_id,
            "quote_id": q.id,
            "kind": q.kind,
            **_required(doc.span("quotes", i, "content")),
            "cue": _span(doc.span("quotes", i, "cue")),
            "speaker_mention": _span(doc.span("quotes", i, "speaker_mention")),
            "speaker_id": q.speaker,
            "speaker_name": _name(entities, q.speaker),
            "speaker_reference": q.speaker_reference,
            "additional_speaker_ids": list(q.additional_speakers),
            "parent_quote_id": q.parent,
            "relayed_by_id": q.relayed_by,
            "unclosed": q.unclosed,
            "note": q.note,
        }
        for i, q in enumerate(doc.annotation.quotes)
    ]


def event_rows(doc: Document) -> list[Row]:
    """The ``events`` rows of one document."""
    rows = []
    for i, e in enumerate(doc.annotation.events):
        time = e.time
        rows.append(
            {
                "doc_id": doc.doc_id,
                "event_id": e.id,
                "cross_doc_id": e.cross_doc_id,
                "type": e.type,
                "cameo_code": CAMEO[e.type],
                "trigger": _required(doc.span("events", i, "trigger")),
                "status": e.status,
                "date": time.value if time else None,
                "date_precision": time.precision if time else None,
                "date_relative": bool(time and time.relative),
                "time": _span(doc.span("events", i, "time", "span")),
                "arguments": [
                    {
                        "role": a.role,
                        "entity_id": a.entity,
                        **_required(doc.span("events", i, "arguments", j, "span")),
                    }
                    for j, a in enumerate(e.arguments)
                ],
                "asserted_by": e.asserted_by,
                "source_quote_id": e.source_quote,
                "background": e.background,
                "note": e.note,
            }
        )
    return rows


def stance_rows(
    doc: Document, entities: Mapping[str, Entity], claims: Mapping[str, Claim]
) -> list[Row]:
    """The ``stances`` rows of one document."""
    triggers = {e.id: doc.span("events", i, "trigger") for i, e in enumerate(doc.annotation.events)}
    rows = []
    for i, s in enumerate(doc.annotation.stances):
        t = s.target
        claim = None if t.claim is None else claims.get(t.claim)
        if t.entity is not None:
            target = entities[t.entity].name
        elif t.event is not None:
            trigger = triggers.get(t.event)
            target = trigger.text if trigger else t.event
        elif t.claim is not None:
            target = claim.text if claim is not None else t.claim
        else:
            target = str(t.topic)
        rows.append(
            {
                "doc_id": doc.doc_id,
                "stance_id": s.id,
                "holder_id": s.holder,
                "holder_name": entities[s.holder].name,
                "target": target,
                "target_kind": t.kind,
                "target_id": t.entity,
                "target_event_id": t.event,
                "claim_id": t.claim,
                "claim_text_id": None if claim is None else claim.text_id,
                "label": s.label,
                "evidence": [
                    _required(doc.span("stances", i, "evidence", j)) for j in range(len(s.evidence))
                ],
                "quote_ids": list(s.quotes),
                "explicit": s.explicit,
                "note": s.note,
            }
        )
    return rows


def entity_rows(entities: Mapping[str, Entity], counts: Counter[str]) -> list[Row]:
    """The ``entities`` rows for the entities counted in ``counts``, in registry order."""
    return [
        {
            "entity_id": e.id,
            "name": e.name,
            "name_id": e.name_id,
            "type": e.type,
            "aliases": list(e.aliases),
            "wikidata_id": e.wikidata,
            "num_mentions": counts[e.id],
            "note": e.note,
        }
        for e in entities.values()
        if e.id in counts
    ]


def referenced_entities(doc: Document) -> Counter[str]:
    """Mentions per entity in one document, with 0 for entities referenced otherwise."""
    counts: Counter[str] = Counter()
    for path, entity_id in entity_refs(doc.annotation):
        counts[entity_id] += 0
        if path[0] == "mentions":
            counts[entity_id] += len(doc.annotation.mentions[entity_id])
        elif path[0] == "plural_mentions":
            counts[entity_id] += 1
    return counts


# --- BigBIO kb ----------------------------------------------------------------


def kb_row(doc: Document, entities: Mapping[str, Entity]) -> Row:
    """The BigBIO ``kb`` row of one document."""
    d = doc.doc_id
    ann = doc.annotation
    zones = [(s, z.kind) for i, z in enumerate(ann.zones) if (s := doc.span("zones", i, "span"))]
    passages = []
    offset = 0
    for n, line in enumerate(doc.text.split("\n")):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        kind = next((k for s, k in zones if s.start <= start and end <= s.end), "body")
        passages.append(
            {"id": f"{d}-p{n + 1}", "type": kind, "text": [line], "offsets": [[start, end]]}
        )

    kb_entities: list[Row] = []
    by_span: dict[tuple[int, int], str] = {}
    chains: dict[str, list[str]] = {}
    for path, mention_id in mention_ids(doc).items():
        span = doc.spans[path]
        # A plural mention is one kb entity of type "plural", normalised to
        # every entity it refers to and in each of their coreference chains.
        if path[0] == "plural_mentions":
            members = [entities[e] for e in ann.plural_mentions[int(path[1])].entities]
            type_ = "plural"
            normalized = [{"db_name": "kimputin_ds", "db_id": e.id} for e in members]
        else:
            entity = entities[str(path[1])]
            members, type_ = [entity], entity.type
            normalized = [{"db_name": "kimputin_ds", "db_id": entity.id}]
            if entity.wikidata:
                normalized.append({"db_name": "wikidata", "db_id": entity.wikidata})
        kb_entities.append(
            {
                "id": mention_id,
                "type": type_,
                "text": [span.text],
                "offsets": [[span.start, span.end]],
                "normalized": normalized,
            }
        )
        by_span[(span.start, span.end)] = mention_id
        for member in members:
            chains.setdefault(member.id, []).append(mention_id)

    def add(id_: str, type_: str, span: Span, normalized: list[Row] | None = None) -> str:
        kb_entities.append(
            {
                "id": id_,
                "type": type_,
                "text": [span.text],
                "offsets": [[span.start, span.end]],
                "normalized": normalized or [],
            }
        )
        return id_

    relations: list[Row] = []

    def relate(type_: str, arg1: str, arg2: str) -> None:
        relations.append(
            {
                "id": f"{d}-r{len(relations) + 1}",
                "type": type_,
                "arg1_id": arg1,
                "arg2_id": arg2,
                "normalized": [],
            }
        )

    for i, q in enumerate(ann.quotes):
        content = doc.span("quotes", i, "content")
        if content is None:
            continue
        quote = add(f"{d}-{q.id}", f"QUOTE_{q.kind.upper()}", content)
        if cue := doc.span("quotes", i, "cue"):
            relate("CUE_OF", add(f"{d}-{q.id}-cue", "CUE", cue), quote)
        if mention := doc.span("quotes", i, "speaker_mention"):
            norm = [{"db_name": "kimputin_ds", "db_id": q.speaker}] if q.speaker else []
            relate("SPEAKER_OF", add(f"{d}-{q.id}-speaker", "SPEAKER", mention, norm), quote)
        if q.parent:
            relate("NESTED_IN", quote, f"{d}-{q.parent}")

    kb_events = []
    for i, e in enumerate(ann.events):
        trigger = doc.span("events", i, "trigger")
        if trigger is None:
            continue
        arguments = []
        for j, a in enumerate(e.arguments):
            arg_span = doc.span("events", i, "arguments", j, "span")
            if arg_span is None:
                continue
            ref = by_span.get((arg_span.start, arg_span.end)) or add(
                f"{d}-{e.id}-a{j + 1}",
                "ARGUMENT",
                arg_span,
                [{"db_name": "kimputin_ds", "db_id": a.entity}] if a.entity else None,
            )
            arguments.append({"role": a.role, "ref_id": ref})
        kb_events.append(
            {
                "id": f"{d}-{e.id}",
                "type": e.type,
                "trigger": {"text": [trigger.text], "offsets": [[trigger.start, trigger.end]]},
                "arguments": arguments,
            }
        )

    return {
        "id": d,
        "document_id": d,
        "passages": passages,
        "entities": kb_entities,
        "events": kb_events,
        "coreferences": [
            {"id": f"{d}-c-{entity_id}", "entity_ids": ids} for entity_id, ids in chains.items()
        ],
        "relations": relations,
    }


def document_records(
    doc: Document,
    entities: Mapping[str, Entity],
    report: Report | None = None,
    *,
    claims: Mapping[str, Claim] | None = None,
    derived: bool = True,
) -> dict[str, list[Row]]:
    """Every per-document row of one document, by config (all but ``entities``).

    ``claims`` is the claim registry; without it, a claim target's wording is
    left empty (``target`` is then the claim's id).

    A span the ``tokens`` config cannot hold is a warning in ``report``, if given.
    With ``derived=False`` the configs derived from the others (``kb`` and
    ``tokens``) are left out, for readers that need only the annotations.
    """
    records = {
        "documents": [document_row(doc)],
        "mentions": mention_rows(doc, entities),
        "quotes": quote_rows(doc, entities),
        "events": event_rows(doc),
        "stances": stance_rows(doc, entities, claims or {}),
    }
    if derived:
        records["kb"] = [kb_row(doc, entities)]
        records["tokens"] = token_rows(doc, records, report)
    return records
