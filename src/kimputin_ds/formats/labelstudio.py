"""Label Studio: tasks JSON with pre-annotations, and a labelling config generated from the models.

``tasks.json`` holds one task per document: ``data.text`` is the raw text,
``data.doc_id`` and ``data.split`` identify it, ``data.kimputin`` carries the
document's fields that have no place in Label Studio (its metadata), and the
curated annotations are the task's ``predictions`` (pre-annotations a
curator reviews and submits). ``config.xml`` is the project's labelling
config. Offsets are code points, as Label Studio's ``Text`` stores them
(and as the release counts them).

Each node of the tool view is a region: labelled by one of three ``Labels``
controls (entity types, layers, event types), with per-region ``Choices``
for its attributes and registry links, and a per-region ``TextArea`` for
its other fields (a JSON object; free text there is read as the note).
Quote parts and event roles are labelled relations. See docs/formats.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from kimputin_ds.errors import Report
from kimputin_ds.formats.graph import (
    ARGUMENT_ROLES,
    ATTRIBUTES,
    ENTITY_TYPES,
    EVIDENCE_ROLE,
    QUOTE_ROLE,
    RELATIONS,
    TARGET_ROLE,
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
from kimputin_ds.version import __version__

TASKS_FILE = "tasks.json"
CONFIG_FILE = "config.xml"
TEXT = "text"
#: Labels controls: registry entity types, the other span layers, event types.
ENTITY_CONTROL = "entity"
LAYER_CONTROL = "layer"
EVENT_CONTROL = "event"
#: Per-region controls: registry links and the other fields.
LINK_CONTROL = "entity_link"
EXTRA_CONTROL = "extra"
#: The value of a flag attribute's one choice.
TRUE = "true"
MODEL_VERSION = f"kimputin_ds-{__version__}"


def _controls() -> dict[str, tuple[str, ...]]:
    spans = span_types()
    return {
        ENTITY_CONTROL: ENTITY_TYPES,
        LAYER_CONTROL: tuple(t for t in spans if t not in ENTITY_TYPES),
        EVENT_CONTROL: event_types(),
    }


def _relation_labels() -> tuple[str, ...]:
    return (*RELATIONS, *ARGUMENT_ROLES, TIME_ROLE, EVIDENCE_ROLE, QUOTE_ROLE, TARGET_ROLE)


# ---------------------------------------------------------------------------
# Writing


def task(graph: Graph, split: str | None) -> dict[str, Any]:
    """The Label Studio task of one document, its annotations as predictions."""
    control_of = {label: name for name, labels in _controls().items() for label in labels}
    text = graph.text
    result: list[dict[str, Any]] = []
    ids = [f"n{i + 1}" for i in range(len(graph.nodes))]
    for i, node in enumerate(graph.nodes):
        where = {"start": node.start, "end": node.end}
        region = {"id": ids[i], "to_name": TEXT}
        value = {**where, "text": text[node.start : node.end]}
        result.append(
            {
                **region,
                "from_name": control_of.get(node.type, LAYER_CONTROL),
                "type": "labels",
                "value": {**value, "labels": [node.type]},
            }
        )
        for name, attr in node.attributes.items():
            choice = TRUE if attr is True else str(attr)
            result.append(
                {
                    **region,
                    "from_name": name,
                    "type": "choices",
                    "value": {**where, "choices": [choice]},
                }
            )
        if node.entities:
            result.append(
                {
                    **region,
                    "from_name": LINK_CONTROL,
                    "type": "choices",
                    "value": {**where, "choices": list(node.entities)},
                }
            )
        if node.extra:
            note = json.dumps(node.extra, ensure_ascii=False)
            result.append(
                {
                    **region,
                    "from_name": EXTRA_CONTROL,
                    "type": "textarea",
                    "value": {**where, "text": [note]},
                }
            )
    arcs = [(role, i, t) for i, node in enumerate(graph.nodes) for role, t in node.args]
    arcs += [(r.type, r.source, r.target) for r in graph.relations]
    for label, source, target in arcs:
        result.append(
            {
                "from_id": ids[source],
                "to_id": ids[target],
                "type": "relation",
                "direction": "right",
                "labels": [label],
            }
        )
    data: dict[str, Any] = {TEXT: text, "doc_id": graph.doc_id}
    if split is not None:
        data["split"] = split
    data["kimputin"] = graph.document
    return {"data": data, "predictions": [{"model_version": MODEL_VERSION, "result": result}]}


def config(entity_ids: list[str]) -> str:
    """The labelling config: every label, attribute and relation, from the models' label sets.

    Args:
        entity_ids: The registry's ids, offered as each region's links.
    """
    lines = ["<View>", "  <Relations>"]
    lines += [f"    <Relation value={quoteattr(v)}/>" for v in _relation_labels()]
    lines.append("  </Relations>")
    for name, labels in _controls().items():
        lines.append(f"  <Labels name={quoteattr(name)} toName={quoteattr(TEXT)}>")
        lines += [f"    <Label value={quoteattr(v)}/>" for v in labels]
        lines.append("  </Labels>")
    lines.append(f'  <Text name={quoteattr(TEXT)} value="$text" granularity="symbol"/>')
    lines.append('  <View visibleWhen="region-selected">')
    lines.append(
        f'    <Choices name={quoteattr(LINK_CONTROL)} toName={quoteattr(TEXT)} perRegion="true" '
        'choice="multiple" layout="select">'
    )
    lines += [f"      <Choice value={quoteattr(v)}/>" for v in entity_ids]
    lines.append("    </Choices>")
    for spec in ATTRIBUTES:
        when = quoteattr(",".join(attribute_targets(spec)))
        lines.append(
            f'    <Choices name={quoteattr(spec.name)} toName={quoteattr(TEXT)} perRegion="true" '
            f"whenLabelValue={when}>"
        )
        values = (TRUE,) if spec.binary else spec.values
        lines += [f"      <Choice value={quoteattr(v)}/>" for v in values]
        lines.append("    </Choices>")
    lines.append(
        f"    <TextArea name={quoteattr(EXTRA_CONTROL)} toName={quoteattr(TEXT)} "
        'perRegion="true" maxSubmissions="1" editable="true"/>'
    )
    lines += ["  </View>", "</View>"]
    return "\n".join(lines) + "\n"


def export_corpus(corpus: Corpus, out: OutputDir) -> int:
    """Write ``tasks.json`` (every document) and ``config.xml``; return the number of tasks."""
    types = corpus.entity_types
    tasks = [
        task(to_graph(doc, types), corpus.splits.get(doc.doc_id)) for doc in corpus.documents()
    ]
    out.write_text(TASKS_FILE, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    out.write_text(CONFIG_FILE, config(sorted(corpus.entities)))
    return len(tasks)


# ---------------------------------------------------------------------------
# Reading


def _load_tasks(path: Path, report: Report) -> list[Any] | None:
    body = read_input(path, report)
    if body is None:
        return None
    try:
        value = json.loads(body)
    except json.JSONDecodeError as exc:
        report.add(path, f"not JSON: {exc.msg}", line=exc.lineno, col=exc.colno, code="json")
        return None
    tasks = value if isinstance(value, list) else [value]
    if not all(isinstance(t, dict) and isinstance(t.get("data"), dict) for t in tasks):
        report.add(path, "expected a Label Studio task or a list of tasks", code="labelstudio")
        return None
    return tasks


def _pick_result(
    found: dict[str, Any], path: Path, report: Report, annotation_id: str | None
) -> list[Any] | None:
    """The result to import: the chosen annotation, the only one, or the only prediction."""
    done = [a for a in found.get("annotations") or [] if not a.get("was_cancelled")]
    if annotation_id is not None:
        chosen = [a for a in done if str(a.get("id")) == annotation_id]
        if not chosen:
            report.add(path, f"the task has no annotation {annotation_id}", code="labelstudio")
            return None
        done = chosen
    pool, kind = (done, "annotations") if done else (found.get("predictions") or [], "predictions")
    if len(pool) != 1:
        ids = ", ".join(str(a.get("id")) for a in pool) or "none"
        report.add(
            path,
            f"the task has {len(pool)} {kind} ({ids}); choose one with --annotation-id",
            code="labelstudio",
        )
        return None
    result = pool[0].get("result")
    return result if isinstance(result, list) else []


def read_graph(
    path: Path, text: str, doc_id: str, report: Report, annotation_id: str | None = None
) -> Graph:
    """Read one document's annotations from a Label Studio JSON export.

    Args:
        path: The exported JSON (a list of tasks, or one task).
        text: The corpus text of the document; the task's text must equal it.
        doc_id: Which task (by ``data.doc_id``; a lone task without one is taken).
        report: Where problems go, each naming the region id.
        annotation_id: Which annotation, when the task has several.
    """
    graph = Graph(doc_id, text)
    tasks = _load_tasks(path, report)
    if tasks is None:
        return graph
    found = [t for t in tasks if t["data"].get("doc_id") == doc_id]
    if not found and len(tasks) == 1 and "doc_id" not in tasks[0]["data"]:
        found = tasks
    if len(found) != 1:
        report.add(path, f"{len(found)} tasks for document {doc_id!r}", code="labelstudio")
        return graph
    data = found[0]["data"]
    if data.get(TEXT) != text:
        report.add(
            path,
            f"the task's text is not the corpus text of {doc_id} (offsets would not match)",
            code="labelstudio",
        )
        return graph
    document = data.get("kimputin")
    graph.document = document if isinstance(document, dict) else {}
    result = _pick_result(found[0], path, report, annotation_id)
    if result is not None:
        _read_result(result, graph, report, str(path))
    return graph


def _read_result(result: list[Any], graph: Graph, report: Report, where: str) -> None:
    events = set(event_types())
    controls = _controls()
    attributes = {spec.name for spec in ATTRIBUTES}
    index: dict[str, int] = {}
    text = graph.text

    def err(message: str) -> None:
        report.add(where, message, code="unmapped")

    regions = [r for r in result if isinstance(r, dict) and r.get("type") != "relation"]
    for item in regions:
        if item.get("type") not in ("labels", "choices", "textarea"):
            err(f"region {item.get('id')}: a {item.get('type')!r} result cannot be mapped")
            continue
        if item.get("type") != "labels":
            continue
        rid, value = str(item.get("id")), item.get("value") or {}
        labels = value.get("labels") or []
        start, end = value.get("start"), value.get("end")
        if len(labels) != 1:
            err(f"region {rid}: give exactly one label, not {len(labels)}")
            continue
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            err(f"region {rid}: offsets {start}..{end} are not a span of the text")
            continue
        if "text" in value and value["text"] != text[start:end]:
            err(f"region {rid}: its text {value['text'][:40]!r} is not the text at {start}..{end}")
            continue
        label = labels[0]
        control = item.get("from_name")
        if control in controls and label not in controls[control]:
            err(f"region {rid}: {label!r} is not a label of {control!r}")
        index[rid] = len(graph.nodes)
        graph.nodes.append(Node(label, start, end, event=label in events, ref=f"region {rid}"))
    for item in regions:
        rid, value = str(item.get("id")), item.get("value") or {}
        if item.get("type") == "labels":
            continue
        if rid not in index:
            err(f"region {rid}: a {item.get('from_name')} for no labelled region")
            continue
        node = graph.nodes[index[rid]]
        name = item.get("from_name")
        if item.get("type") == "textarea" and name == EXTRA_CONTROL:
            for body in value.get("text") or []:
                node.extra.update(note_fields(str(body)))
        elif item.get("type") == "choices" and name == LINK_CONTROL:
            node.entities.extend(str(c) for c in value.get("choices") or [])
        elif item.get("type") == "choices" and name in attributes:
            choices = value.get("choices") or []
            spec = next(s for s in ATTRIBUTES if s.name == name)
            if len(choices) != 1:
                err(f"region {rid}: {name} takes one choice, not {len(choices)}")
            elif spec.binary:
                if choices[0] == TRUE:
                    node.attributes[name] = True
            else:
                node.attributes[name] = str(choices[0])
        else:
            err(f"region {rid}: a {name!r} {item.get('type')} cannot be mapped")
    for item in result:
        if not isinstance(item, dict) or item.get("type") != "relation":
            continue
        source, target = str(item.get("from_id")), str(item.get("to_id"))
        labels = item.get("labels") or []
        ref = f"relation {source}->{target}"
        if source not in index or target not in index:
            err(f"{ref}: points to no labelled region")
        elif len(labels) != 1:
            err(f"{ref}: give exactly one label, not {len(labels)}")
        elif graph.nodes[index[source]].event:
            graph.nodes[index[source]].args.append((labels[0], index[target]))
        else:
            graph.relations.append(Relation(labels[0], index[source], index[target], ref=ref))
