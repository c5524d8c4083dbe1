"""An independent derivation of the release rows, for round-trip tests.

It reads the annotation files as plain YAML (not through the pydantic models)
and resolves every span with a naive search of its own (not
:mod:`kimputin_ds.anchoring`), then writes down, field by field, the row each
annotation must become. The tests compare the real release with it, so a
value that does not trace back to its annotation is caught, whichever module
lost it. It is deliberately simple and slow: it is the specification.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

from kimputin_ds.models import CAMEO
from kimputin_ds.yamlio import load_yaml

Row = dict[str, Any]


def read_yaml(path: Path) -> Any:
    data, _ = load_yaml(path.read_text(encoding="utf-8"))
    return data


def locate(raw: str, ref: Any) -> Row:
    """``{"text", "start", "end"}`` of a span written as text or as a mapping."""
    if isinstance(ref, str):
        ref = {"text": ref}
    text, prefix = ref["text"], ref.get("prefix") or ""
    starts, i = [], raw.find(prefix + text)
    while i >= 0:  # every match, overlapping ones included
        starts.append(i + len(prefix))
        i = raw.find(prefix + text, i + 1)
    occurrence = ref.get("occurrence")
    if occurrence is None:
        assert len(starts) == 1, f"{text!r} is not unique"
        start = starts[0]
    else:
        start = starts[occurrence - 1]
    assert raw[start : start + len(text)] == text
    return {"text": text, "start": start, "end": start + len(text)}


def maybe(raw: str, ref: Any) -> Row | None:
    return None if ref is None else locate(raw, ref)


class Source:
    """One document's text and raw annotation, with the registry."""

    def __init__(
        self, text: str, ann: Row, registry: dict[str, Row], claims: dict[str, Row] | None = None
    ) -> None:
        self.text = text
        self.ann = ann
        self.registry = registry
        self.claims = claims or {}
        self.doc_id: str = ann["doc_id"]

    def items(self, key: str) -> list[Row]:
        return list(self.ann.get(key) or [])

    def span(self, ref: Any) -> Row | None:
        return maybe(self.text, ref)

    def mentions(self) -> list[tuple[str | None, Any, Row]]:
        """(entity id, raw mention, span) in text order, numbered from 1.

        A plural mention has no single entity id (None); its raw mention lists
        its ``entities``.
        """
        found: list[tuple[str | None, Any, Row]] = [
            (entity_id, ref, locate(self.text, ref))
            for entity_id, refs in (self.ann.get("mentions") or {}).items()
            for ref in refs
        ]
        found += [(None, ref, locate(self.text, ref)) for ref in self.items("plural_mentions")]
        return sorted(found, key=lambda m: (m[2]["start"], m[2]["end"]))

    def mention_id(self, n: int) -> str:
        return f"{self.doc_id}-m{n:04d}"


def read_source(root: Path, doc_id: str, registry: dict[str, Row]) -> Source:
    text = (root / f"{doc_id}.txt").read_bytes().decode("utf-8")
    claims_path = root / "claims.yaml"
    claims = {c["id"]: c for c in read_yaml(claims_path)["claims"]} if claims_path.is_file() else {}
    return Source(text, read_yaml(root / f"{doc_id}.yaml"), registry, claims)


def read_registry(root: Path) -> dict[str, Row]:
    return {e["id"]: e for e in read_yaml(root / "entities.yaml")["entities"]}


# --- one row per config ---------------------------------------------------------


def document_row(src: Source) -> Row:
    meta = src.ann["metadata"]
    published = meta["published"]
    return {
        "doc_id": src.doc_id,
        "text": src.text,
        "text_sha256": hashlib.sha256(src.text.encode("utf-8")).hexdigest(),
        "language": "id",
        "outlet": meta["outlet"],
        "outlet_id": meta.get("outlet_entity"),
        "published_date": published["value"],
        "published_date_derivation": published["derivation"],
        "published_date_note": published.get("note"),
        "title": src.span(meta.get("title")),
        "byline": src.span(meta.get("byline")),
        "dateline": src.span(meta.get("dateline")),
        "wire_sources": [w["name"] for w in meta.get("wire_sources") or []],
        "zones": [{"kind": z["kind"], **locate(src.text, z["span"])} for z in src.items("zones")],
        "non_speech_quotations": [
            {"reason": n["reason"], "span": locate(src.text, n["span"]), "note": n.get("note")}
            for n in src.items("non_speech_quotations")
        ],
        "source_notes": [
            {
                "kind": n["kind"],
                "span": src.span(n.get("span")),
                "note": n["note"],
                "related_doc": n.get("related_doc"),
            }
            for n in src.items("source_notes")
        ],
        "num_chars": len(src.text),
        "url": meta.get("url"),
        "retrieved_at": meta.get("retrieved_at"),
    }


def mention_rows(src: Source) -> list[Row]:
    rows = []
    for n, (entity_id, ref, span) in enumerate(src.mentions(), 1):
        if entity_id is None:  # a plural mention
            members, kind = list(ref["entities"]), ref.get("kind", "nominal")
        else:
            members = [entity_id]
            kind = ref.get("kind", "name") if isinstance(ref, dict) else "name"
        rows.append(
            {
                "doc_id": src.doc_id,
                "mention_id": src.mention_id(n),
                "entity_id": entity_id,
                "entity_type": None if entity_id is None else src.registry[entity_id]["type"],
                "entity_ids": members,
                "plural": entity_id is None,
                "kind": kind,
                **span,
            }
        )
    return rows


def _name(src: Source, entity_id: str | None) -> str | None:
    return None if entity_id is None else src.registry[entity_id]["name"]


def quote_rows(src: Source) -> list[Row]:
    return [
        {
            "doc_id": src.doc_id,
            "quote_id": q["id"],
            "kind": q["kind"],
            **locate(src.text, q["content"]),
            "cue": src.span(q.get("cue")),
            "speaker_mention": src.span(q.get("speaker_mention")),
            "speaker_id": q.get("speaker"),
            "speaker_name": _name(src, q.get("speaker")),
            "speaker_reference": q["speaker_reference"],
            "additional_speaker_ids": list(q.get("additional_speakers") or []),
            "parent_quote_id": q.get("parent"),
            "relayed_by_id": q.get("relayed_by"),
            "unclosed": q.get("unclosed", False),
            "note": q.get("note"),
        }
        for q in src.items("quotes")
    ]


def event_rows(src: Source) -> list[Row]:
    rows = []
    for e in src.items("events"):
        time = e.get("time") or {}
        rows.append(
            {
                "doc_id": src.doc_id,
                "event_id": e["id"],
                "cross_doc_id": e.get("cross_doc_id"),
                "type": e["type"],
                "cameo_code": CAMEO[e["type"]],
                "trigger": locate(src.text, e["trigger"]),
                "status": e["status"],
                "date": time.get("value"),
                "date_precision": time.get("precision"),
                "date_relative": time.get("relative", False),
                "time": src.span(time.get("span")),
                "arguments": [
                    {"role": a["role"], "entity_id": a.get("entity"), **locate(src.text, a["span"])}
                    for a in e.get("arguments") or []
                ],
                "asserted_by": e.get("asserted_by"),
                "source_quote_id": e.get("source_quote"),
                "background": e.get("background", False),
                "note": e.get("note"),
            }
        )
    return rows


def stance_rows(src: Source) -> list[Row]:
    triggers = {e["id"]: locate(src.text, e["trigger"])["text"] for e in src.items("events")}
    rows = []
    for s in src.items("stances"):
        target = s["target"]
        claim = src.claims.get(target["claim"]) if "claim" in target else None
        if "entity" in target:
            text, kind = src.registry[target["entity"]]["name"], "entity"
        elif "event" in target:
            text, kind = triggers[target["event"]], "event"
        elif claim is not None:
            text, kind = claim["text"], "claim"
        else:
            text, kind = target["topic"], "topic"
        rows.append(
            {
                "doc_id": src.doc_id,
                "stance_id": s["id"],
                "holder_id": s["holder"],
                "holder_name": src.registry[s["holder"]]["name"],
                "target": text,
                "target_kind": kind,
                "target_id": target.get("entity"),
                "target_event_id": target.get("event"),
                "claim_id": target.get("claim"),
                "claim_text_id": None if claim is None else claim["text_id"],
                "label": s["label"],
                "evidence": [locate(src.text, ref) for ref in s.get("evidence") or []],
                "quote_ids": list(s.get("quotes") or []),
                "explicit": s["explicit"],
                "note": s.get("note"),
            }
        )
    return rows


def referenced(src: Source) -> Counter[str]:
    """Mentions per entity, with 0 for entities the body references otherwise."""
    counts: Counter[str] = Counter()
    for entity_id, refs in (src.ann.get("mentions") or {}).items():
        counts[entity_id] += len(refs)
    for plural in src.items("plural_mentions"):
        for entity_id in plural["entities"]:
            counts[entity_id] += 1
    for q in src.items("quotes"):
        for entity_id in [q.get("speaker"), q.get("relayed_by"), *q.get("additional_speakers", [])]:
            if entity_id:
                counts[entity_id] += 0
    for e in src.items("events"):
        for entity_id in [e.get("asserted_by"), *(a.get("entity") for a in e.get("arguments", []))]:
            if entity_id:
                counts[entity_id] += 0
    for s in src.items("stances"):
        counts[s["holder"]] += 0
        if "entity" in s["target"]:
            counts[s["target"]["entity"]] += 0
    return counts


def entity_rows(registry: dict[str, Row], sources: list[Source]) -> list[Row]:
    counts: Counter[str] = Counter()
    for src in sources:
        counts.update(referenced(src))
    return [
        {
            "entity_id": e["id"],
            "name": e["name"],
            "name_id": e.get("name_id"),
            "type": e["type"],
            "aliases": list(e.get("aliases") or []),
            "wikidata_id": e.get("wikidata"),
            "num_mentions": counts[e["id"]],
            "note": e.get("note"),
        }
        for e in registry.values()
        if e["id"] in counts
    ]


def kb_relations(src: Source) -> list[tuple[str, str, str]]:
    """(type, arg1, arg2) of every kb relation, in the release's order."""
    d = src.doc_id
    out = []
    for q in src.items("quotes"):
        if q.get("cue") is not None:
            out.append(("CUE_OF", f"{d}-{q['id']}-cue", f"{d}-{q['id']}"))
        if q.get("speaker_mention") is not None:
            out.append(("SPEAKER_OF", f"{d}-{q['id']}-speaker", f"{d}-{q['id']}"))
        if q.get("parent"):
            out.append(("NESTED_IN", f"{d}-{q['id']}", f"{d}-{q['parent']}"))
    return out


def kb_coreferences(src: Source) -> list[Row]:
    chains: dict[str, list[str]] = {}
    for n, (entity_id, ref, _) in enumerate(src.mentions(), 1):
        for member in [entity_id] if entity_id is not None else ref["entities"]:
            chains.setdefault(member, []).append(src.mention_id(n))
    return [{"id": f"{src.doc_id}-c-{e}", "entity_ids": ids} for e, ids in chains.items()]


def kb_passages(src: Source) -> list[Row]:
    zones = [(locate(src.text, z["span"]), z["kind"]) for z in src.items("zones")]
    passages, offset = [], 0
    for n, line in enumerate(src.text.split("\n"), 1):
        start, end = offset, offset + len(line)
        offset = end + 1
        if line.strip():
            kind = next((k for s, k in zones if s["start"] <= start and end <= s["end"]), "body")
            passages.append(
                {
                    "id": f"{src.doc_id}-p{n}",
                    "type": kind,
                    "text": [line],
                    "offsets": [[start, end]],
                }
            )
    return passages


ROWS = {
    "documents": lambda src: [document_row(src)],
    "mentions": mention_rows,
    "quotes": quote_rows,
    "events": event_rows,
    "stances": stance_rows,
}
