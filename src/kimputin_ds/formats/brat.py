"""BRAT standoff: ``.txt`` + ``.ann`` per document, ``annotation.conf`` and ``visual.conf``.

The ``.txt`` is the raw article, byte for byte; offsets in the ``.ann`` are
Unicode code points into it, as BRAT counts them and as the release does.
A span that crosses a line break is written as fragments (BRAT's
discontinuous-span syntax), one per line, and read back as the whole span.

Mapping (see ``docs/formats.md``): mentions are text-bound annotations typed by
their entity's type and normalised to the registry (``N Reference T1
kimputin:vladimir_putin``); quotes are ``Quote`` spans with ``Speaker`` and
``Cue`` relations; events are BRAT events; stances are BRAT events of type
``stance``; every other field rides in an ``AnnotatorNotes`` JSON object;
document metadata goes to ``<doc_id>.kimputin.json`` beside the pair.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kimputin_ds.errors import Report
from kimputin_ds.formats.graph import (
    ARGUMENT_ROLES,
    ATTRIBUTES,
    ENTITY_TYPES,
    EVENT_TYPES,
    EVIDENCE_ROLE,
    QUOTE,
    QUOTE_ROLE,
    REGISTRY_DB,
    RELATIONS,
    SPEAKER_RELATION,
    STANCE,
    TARGET_ROLE,
    TIME,
    TIME_ROLE,
    Graph,
    Node,
    Relation,
    attribute_targets,
    event_types,
    note_fields,
    span_types,
)
from kimputin_ds.formats.inputs import read_input
from kimputin_ds.formats.output import OutputDir
from kimputin_ds.formats.source import Corpus
from kimputin_ds.formats.to_graph import to_graph

ANN_SUFFIX = ".ann"
TXT_SUFFIX = ".txt"
#: Sidecar with the document's fields that BRAT has no place for (metadata).
DOCUMENT_SUFFIX = ".kimputin.json"
NOTE_TYPE = "AnnotatorNotes"


# ---------------------------------------------------------------------------
# Writing


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span split at line breaks (BRAT's .ann is line-based), empty pieces left out."""
    pieces: list[tuple[int, int]] = []
    i = start
    while i < end:
        j = text.find("\n", i, end)
        j = end if j == -1 else j
        if j > i:
            pieces.append((i, j))
        i = j + 1
    return pieces or [(start, end)]


def _numbered(roles: list[str]) -> list[str]:
    """BRAT numbers a repeated role: participant, participant2, participant3."""
    seen: dict[str, int] = {}
    out = []
    for role in roles:
        seen[role] = seen.get(role, 0) + 1
        out.append(role if seen[role] == 1 else f"{role}{seen[role]}")
    return out


def write_ann(graph: Graph, names: Mapping[str, str]) -> str:
    """The ``.ann`` text of a graph.

    Args:
        graph: The document's graph.
        names: Registry id -> display name, shown beside each normalisation.
    """
    text = graph.text
    t_ids: dict[int, str] = {}
    e_ids: dict[int, str] = {}
    lines: list[str] = []
    for i, node in enumerate(graph.nodes):
        t_ids[i] = f"T{len(t_ids) + 1}"
        if node.event:
            e_ids[i] = f"E{len(e_ids) + 1}"
        pieces = _fragments(text, node.start, node.end)
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        covered = " ".join(text[s:e] for s, e in pieces)
        lines.append(f"{t_ids[i]}\t{node.type} {offsets}\t{covered}")

    def ref(i: int) -> str:
        return e_ids.get(i, t_ids[i])

    for i, node in enumerate(graph.nodes):
        if node.event:
            roles = _numbered([role for role, _ in node.args])
            args = "".join(
                f" {role}:{ref(t)}" for role, (_, t) in zip(roles, node.args, strict=True)
            )
            lines.append(f"{e_ids[i]}\t{node.type}:{t_ids[i]}{args}")
    for k, rel in enumerate(graph.relations, 1):
        lines.append(f"R{k}\t{rel.type} Arg1:{ref(rel.source)} Arg2:{ref(rel.target)}")
    n_attr = n_norm = n_note = 0
    for i, node in enumerate(graph.nodes):
        for name, value in node.attributes.items():
            n_attr += 1
            tail = "" if value is True else f" {value}"
            lines.append(f"A{n_attr}\t{name} {ref(i)}{tail}")
        for entity in node.entities:
            n_norm += 1
            # on the text-bound annotation, also for an event's trigger (readers expect a T)
            link = f"{REGISTRY_DB}:{entity}"
            lines.append(f"N{n_norm}\tReference {t_ids[i]} {link}\t{names.get(entity, entity)}")
        if node.extra:
            n_note += 1
            note = json.dumps(node.extra, ensure_ascii=False, sort_keys=False)
            lines.append(f"#{n_note}\t{NOTE_TYPE} {ref(i)}\t{note}")
    return "\n".join(lines) + "\n"


def write_document(graph: Graph) -> str:
    """The sidecar JSON with the document's fields BRAT has no place for."""
    return (
        json.dumps(
            {"doc_id": graph.doc_id, "document": graph.document}, ensure_ascii=False, indent=2
        )
        + "\n"
    )


# ---------------------------------------------------------------------------
# Configuration, generated from the models' label sets


def _label(name: str) -> str:
    return name.replace("_", " ")


def annotation_conf() -> str:
    """``annotation.conf``: every type, relation, event and attribute the mapping uses."""
    out = ["# Generated by kimputin_ds from the annotation models; do not edit.", "[entities]"]
    out.extend(span_types())
    out += ["", "[relations]"]
    out.append(f"{SPEAKER_RELATION}\tArg1:{QUOTE}, Arg2:<ENTITY>")
    for rel in RELATIONS:
        if rel != SPEAKER_RELATION:
            out.append(f"{rel}\tArg1:{QUOTE}, Arg2:<ENTITY>")
    out.append("<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>")
    out += ["", "[events]"]
    roles = ", ".join(f"{role}*:<ENTITY>" for role in ARGUMENT_ROLES)
    for event_type in EVENT_TYPES:
        out.append(f"{event_type}\t{roles}, {TIME_ROLE}?:{TIME}")
    out.append(
        f"{STANCE}\t{EVIDENCE_ROLE}*:<ENTITY>, {QUOTE_ROLE}*:{QUOTE}, {TARGET_ROLE}?:<EVENT>"
    )
    out += ["", "[attributes]"]
    for spec in ATTRIBUTES:
        targets = "|".join(attribute_targets(spec))
        if spec.binary:
            out.append(f"{spec.name}\tArg:{targets}")
        else:
            out.append(f"{spec.name}\tArg:{targets}, Value:{'|'.join(spec.values)}")
    return "\n".join(out) + "\n"


#: Colours by layer (entity types share a hue family; events another).
_PALETTE = (
    "#8fb2ff",
    "#7fe2ff",
    "#aaaaee",
    "#ccccee",
    "#e0c0ff",
    "#ffccaa",
    "#ff9999",
    "#c0e0c0",
    "#b0d0ff",
    "#ffe0a0",
    "#d0d0d0",
)


def visual_conf() -> str:
    """``visual.conf``: labels and colours for every type."""
    out = ["# Generated by kimputin_ds from the annotation models; do not edit.", "[labels]"]
    for name in (*span_types(), *event_types(), *RELATIONS, *(a.name for a in ATTRIBUTES)):
        out.append(f"{name} | {_label(name)}")
    out += ["", "[drawing]"]
    for k, name in enumerate(ENTITY_TYPES):
        out.append(f"{name}\tbgColor:{_PALETTE[k % len(_PALETTE)]}")
    for name in span_types()[len(ENTITY_TYPES) :]:
        out.append(f"{name}\tbgColor:#ffffaa")
    for name in event_types():
        out.append(f"{name}\tbgColor:#ff8c69" if name != STANCE else f"{name}\tbgColor:#90ee90")
    out += [
        "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
        "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5",
        "ATTRIBUTE_DEFAULT\tglyph:*",
    ]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Reading


_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_E_LINE = re.compile(r"^(E\d+)\t(\S+?):([TE]\d+)((?: \S+:[TE]\d+)*)\s*$")
_R_LINE = re.compile(r"^(R\d+)\t(\S+) Arg1:([TE]\d+) Arg2:([TE]\d+)\s*$")
_A_LINE = re.compile(r"^([AM]\d+)\t(\S+) ([TER]\d+)(?: (\S+))?\s*$")
_N_LINE = re.compile(r"^(N\d+)\tReference ([TER]\d+) ([^:\s]+):(\S+)(?:\t(.*))?$")
_NOTE_LINE = re.compile(r"^(#\d*)\t(\S+) ([TERAN]\d+)\t(.*)$")


@dataclass
class _Line:
    number: int
    match: re.Match[str]


def read_ann(ann: str, text: str, doc_id: str, report: Report, where: str) -> Graph:
    """Parse an ``.ann`` into a graph; every line must map, or it is reported with its id.

    Args:
        ann: The ``.ann`` text.
        text: The document's raw text (the ``.txt``).
        doc_id: The document id.
        report: Where problems go, each with the line and the BRAT id.
        where: The ``.ann`` path, for messages.
    """
    graph = Graph(doc_id, text)
    t_lines: dict[str, _Line] = {}
    e_lines: dict[str, _Line] = {}
    others: list[tuple[str, _Line]] = []
    patterns = (
        ("T", _T_LINE),
        ("E", _E_LINE),
        ("R", _R_LINE),
        ("A", _A_LINE),
        ("M", _A_LINE),
        ("N", _N_LINE),
        ("#", _NOTE_LINE),
    )
    for number, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        kind = line[0]
        pattern = next((p for k, p in patterns if k == kind), None)
        match = pattern.match(line) if pattern else None
        if match is None:
            report.add(
                where,
                f"not a BRAT annotation line we can read: {line[:60]!r}",
                line=number,
                code="brat_syntax",
            )
            continue
        entry = _Line(number, match)
        if kind == "T":
            t_lines[match.group(1)] = entry
        elif kind == "E":
            e_lines[match.group(1)] = entry
        else:
            others.append((kind, entry))

    def err(entry: _Line, message: str, code: str = "unmapped") -> None:
        report.add(where, message, line=entry.number, code=code)

    # Text-bound annotations; those that trigger an event become the event's node.
    triggers = {e.match.group(3): eid for eid, e in e_lines.items()}
    node_of: dict[str, int] = {}
    for tid, entry in sorted(t_lines.items(), key=lambda kv: int(kv[0][1:])):
        _, type_, offsets, covered = entry.match.groups()
        pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
        start, end = pieces[0][0], pieces[-1][1]
        expected = " ".join(text[s:e] for s, e in pieces)
        if not all(0 <= s < e <= len(text) for s, e in pieces):
            err(entry, f"{tid}: offsets {offsets} are outside the text", "brat_offsets")
            continue
        if covered != expected:
            err(
                entry,
                f"{tid}: the text {covered[:40]!r} is not the text at {offsets} "
                f"({expected[:40]!r})",
                "brat_offsets",
            )
            continue
        if tid in triggers and triggers[tid] in e_lines:
            continue  # made with its event below
        node_of[tid] = len(graph.nodes)
        graph.nodes.append(Node(type_, start, end, ref=tid))

    for eid, entry in sorted(e_lines.items(), key=lambda kv: int(kv[0][1:])):
        _, type_, trigger, _ = entry.match.groups()
        t_entry = t_lines.get(trigger)
        if trigger.startswith("E") or t_entry is None:
            err(entry, f"{eid}: trigger {trigger} is not a text-bound annotation")
            continue
        if t_entry.match.group(2) != type_:
            err(entry, f"{eid}: typed {type_!r}, its trigger {trigger} {t_entry.match.group(2)!r}")
        pieces = [tuple(map(int, p.split())) for p in t_entry.match.group(3).split(";")]
        node_of[eid] = len(graph.nodes)
        node_of.setdefault(trigger, node_of[eid])
        graph.nodes.append(Node(type_, pieces[0][0], pieces[-1][1], event=True, ref=eid))
    for eid, entry in e_lines.items():
        if eid not in node_of:
            continue
        node = graph.nodes[node_of[eid]]
        for arg in entry.match.group(4).split():
            role, _, target = arg.partition(":")
            if target not in node_of:
                err(entry, f"{eid}: argument {arg} points to no annotation")
                continue
            node.args.append((role, node_of[target]))

    for kind, entry in others:
        groups = entry.match.groups()
        if kind == "R":
            rid, type_, a1, a2 = groups
            if a1 not in node_of or a2 not in node_of:
                err(entry, f"{rid}: an argument points to no annotation")
                continue
            graph.relations.append(Relation(type_, node_of[a1], node_of[a2], ref=rid))
        elif kind in "AM":
            aid, name, target, value = groups
            if target not in node_of:
                err(entry, f"{aid}: attribute of {target}, which is not an annotation")
                continue
            graph.nodes[node_of[target]].attributes[name] = value if value is not None else True
        elif kind == "N":
            nid, target, db, key, _ = groups
            if target not in node_of:
                err(entry, f"{nid}: normalisation of {target}, which is not an annotation")
            elif db != REGISTRY_DB:
                err(
                    entry,
                    f"{nid}: normalisation to {db}:{key} cannot be mapped "
                    f"(link to the registry as {REGISTRY_DB}:<id>)",
                )
            else:
                graph.nodes[node_of[target]].entities.append(key)
        else:
            nid, note_type, target, body = groups
            if note_type != NOTE_TYPE or target not in node_of:
                err(entry, f"{nid}: a {note_type} note on {target} cannot be mapped")
                continue
            extra = graph.nodes[node_of[target]].extra
            extra.update(note_fields(body))
    return graph


def read_document(path: Path, report: Report) -> dict[str, Any]:
    """The sidecar's document fields ({} when there is no sidecar)."""
    if not path.exists() and not path.is_symlink():
        return {}
    body = read_input(path, report)
    if body is None:
        return {}
    try:
        value = json.loads(body)
    except json.JSONDecodeError as exc:
        report.add(path, f"not JSON: {exc.msg}", line=exc.lineno, col=exc.colno, code="json")
        return {}
    document = value.get("document") if isinstance(value, dict) else None
    if not isinstance(document, dict):
        report.add(path, "the sidecar has no 'document' object", code="brat_sidecar")
        return {}
    return document


def text_types() -> tuple[str, ...]:
    """Every BRAT type of a text-bound annotation (the mapping's span and event types)."""
    return (*span_types(), *event_types())


# ---------------------------------------------------------------------------
# The corpus


def export_corpus(corpus: Corpus, out: OutputDir) -> int:
    """Write every document of a valid corpus as BRAT standoff; return how many.

    The ``.txt`` is a byte copy of the corpus text, so BRAT shows the exact text.
    """
    types, names = corpus.entity_types, corpus.entity_names
    count = 0
    for doc in corpus.documents():
        graph = to_graph(doc, types)
        out.write_bytes(doc.doc_id + TXT_SUFFIX, doc.text_path.read_bytes())
        out.write_text(doc.doc_id + ANN_SUFFIX, write_ann(graph, names))
        out.write_text(doc.doc_id + DOCUMENT_SUFFIX, write_document(graph))
        count += 1
    out.write_text("annotation.conf", annotation_conf())
    out.write_text("visual.conf", visual_conf())
    return count


def read_graph(ann_path: Path, text: str, doc_id: str, report: Report) -> Graph:
    """Read a BRAT document (``.ann``, and the sidecar beside it when there is one).

    The ``.txt`` beside the ``.ann``, when present, must be the corpus text exactly.
    """
    txt_path = ann_path.with_suffix(TXT_SUFFIX)
    if txt_path.exists() or txt_path.is_symlink():
        brat_text = read_input(txt_path, report)
        if brat_text is None:
            return Graph(doc_id, text)
        if brat_text != text:
            line = _first_difference_line(brat_text, text)
            report.add(
                txt_path,
                "the BRAT text is not the corpus text (BRAT offsets would not "
                "match); annotate a copy of the corpus .txt",
                line=line,
                code="brat_text",
            )
            return Graph(doc_id, text)
    ann = read_input(ann_path, report)
    if ann is None:
        return Graph(doc_id, text)
    graph = read_ann(ann, text, doc_id, report, str(ann_path))
    sidecar = ann_path.with_name(ann_path.name[: -len(ANN_SUFFIX)] + DOCUMENT_SUFFIX)
    graph.document = read_document(sidecar, report)
    return graph


def _first_difference_line(a: str, b: str) -> int:
    n = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return b.count("\n", 0, n) + 1
