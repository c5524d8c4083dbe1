"""Label Studio: tasks with pre-annotations, a generated config, and the round trip back."""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from conftest import SEEDS, SNAPSHOT_CORPUS, document_params
from kimputin_ds.corpus import load_document
from kimputin_ds.errors import Report
from kimputin_ds.formats import labelstudio
from kimputin_ds.formats.drafts import canonical, curated, to_yaml, write_spans
from kimputin_ds.formats.from_graph import from_graph
from kimputin_ds.formats.output import OutputDir
from kimputin_ds.formats.source import open_valid_corpus
from kimputin_ds.models import AnnotationFile
from kimputin_ds.yamlio import load_yaml

DOC_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
SNAPSHOT = SNAPSHOT_CORPUS
ROUND_TRIPS = document_params(SEEDS, SNAPSHOT)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ls") / "ls"
    with OutputDir(out) as target:
        assert labelstudio.export_corpus(open_valid_corpus(SEEDS), target) == len(DOC_IDS)
    return out


@pytest.fixture(scope="module")
def snapshot_exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ls-snapshot") / "ls"
    with OutputDir(out) as target:
        labelstudio.export_corpus(open_valid_corpus(SNAPSHOT), target)
    return out


def _import(
    path: Path, doc_id: str, annotation_id: str | None = None, root: Path = SEEDS
) -> tuple[Any, Report]:
    report = Report()
    text = (root / f"{doc_id}.txt").read_text(encoding="utf-8")
    graph = labelstudio.read_graph(path, text, doc_id, report, annotation_id)
    if not report.ok:
        return None, report
    imported = from_graph(graph, open_valid_corpus(root).entity_types, report, str(path))
    if not report.ok:
        return None, report
    model = write_spans(imported, text, doc_id, report, str(path))
    return model, report


@pytest.mark.parametrize(("root", "doc_id"), ROUND_TRIPS)
def test_yaml_labelstudio_yaml_round_trip_is_exact(
    exported: Path, snapshot_exported: Path, root: Path, doc_id: str
) -> None:
    out = exported if root == SEEDS else snapshot_exported
    model, report = _import(out / labelstudio.TASKS_FILE, doc_id, root=root)
    assert report.ok, report.to_text()
    doc = load_document(root, doc_id, Report())
    assert doc is not None
    written, _ = load_yaml(to_yaml(curated(model, doc.text)))
    again = AnnotationFile.model_validate(written)
    assert canonical(again, doc.text) == canonical(doc.annotation, doc.text)


def test_tasks_hold_the_exact_text_and_code_point_offsets(exported: Path) -> None:
    tasks = json.loads((exported / labelstudio.TASKS_FILE).read_text(encoding="utf-8"))
    assert [t["data"]["doc_id"] for t in tasks] == DOC_IDS
    for t in tasks:
        text = (SEEDS / f"{t['data']['doc_id']}.txt").read_text(encoding="utf-8")
        assert t["data"]["text"] == text
        for item in t["predictions"][0]["result"]:
            if item["type"] == "labels":
                value = item["value"]
                assert value["text"] == text[value["start"] : value["end"]]


def test_config_declares_every_control_and_label_the_tasks_use(exported: Path) -> None:
    root = ET.parse(exported / labelstudio.CONFIG_FILE).getroot()
    controls: dict[str, set[str]] = {}
    for element in root.iter():
        name = element.get("name")
        if name is not None:
            controls[name] = {c.get("value", "") for c in element if c.get("value")}
    relations = {r.get("value") for r in root.iter("Relation")}
    tasks = json.loads((exported / labelstudio.TASKS_FILE).read_text(encoding="utf-8"))
    for t in tasks:
        for item in t["predictions"][0]["result"]:
            if item["type"] == "relation":
                assert set(item["labels"]) <= relations
                continue
            assert item["to_name"] == "text" and item["from_name"] in controls
            if item["type"] == "labels":
                assert set(item["value"]["labels"]) <= controls[item["from_name"]]
            elif item["type"] == "choices":
                assert set(item["value"]["choices"]) <= controls[item["from_name"]]


def _one_task(exported: Path, tmp_path: Path, doc_id: str) -> tuple[dict[str, Any], Path]:
    tasks = json.loads((exported / labelstudio.TASKS_FILE).read_text(encoding="utf-8"))
    (task,) = [t for t in tasks if t["data"]["doc_id"] == doc_id]
    return copy.deepcopy(task), tmp_path / "export.json"


def test_a_curators_submitted_annotation_is_preferred_to_the_predictions(
    exported: Path, tmp_path: Path
) -> None:
    doc_id = DOC_IDS[0]
    task, path = _one_task(exported, tmp_path, doc_id)
    result = copy.deepcopy(task["predictions"][0]["result"])
    region = next(r for r in result if r["type"] == "labels" and r["value"]["labels"] == ["Quote"])
    result.append(
        {
            "id": region["id"],
            "from_name": "extra",
            "to_name": "text",
            "type": "textarea",
            "value": {"start": 0, "end": 1, "text": ["reviewed in Label Studio"]},
        }
    )
    task["annotations"] = [{"id": 7, "result": result}]
    path.write_text(json.dumps([task]), encoding="utf-8")
    model, report = _import(path, doc_id)
    assert report.ok, report.to_text()
    assert any(q.note == "reviewed in Label Studio" for q in model.quotes)
    task["annotations"].append({"id": 8, "result": result})
    path.write_text(json.dumps([task]), encoding="utf-8")
    _, report = _import(path, doc_id)
    assert "choose one with --annotation-id" in report.to_text()
    model, report = _import(path, doc_id, annotation_id="8")
    assert report.ok, report.to_text()


def test_unmappable_regions_are_errors_with_the_region_id(exported: Path, tmp_path: Path) -> None:
    doc_id = DOC_IDS[0]
    task, path = _one_task(exported, tmp_path, doc_id)
    result = task["predictions"][0]["result"]
    labelled = [r for r in result if r["type"] == "labels"]
    labelled[0]["value"]["labels"] = ["Headline"]
    labelled[1]["value"]["start"] += 1
    result.append(
        {
            "id": "zz9",
            "from_name": "rating",
            "to_name": "text",
            "type": "rating",
            "value": {"rating": 3},
        }
    )
    path.write_text(json.dumps([task]), encoding="utf-8")
    _, report = _import(path, doc_id)
    text = report.to_text()
    assert f"{labelled[1]['id']}: its text" in text
    assert "zz9: a 'rating' result cannot be mapped" in text
    assert report.errors
    labelled[1]["value"]["start"] -= 1
    result.pop()
    path.write_text(json.dumps([task]), encoding="utf-8")
    _, report = _import(path, doc_id)
    assert f"region {labelled[0]['id']}: 'Headline' is not a label of 'layer'" in report.to_text()
