"""Croissant metadata: built over a small release, validated and read offline by mlcroissant."""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mlcroissant as mlc
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from mlcroissant._src.core.rdf import make_context
from pydantic import BaseModel

from conftest import CARD
from kimputin_ds.corpus_facts import Article, CorpusFacts
from kimputin_ds.croissant import (
    CONFORMS_TO,
    CONTEXT,
    croissant_json,
    croissant_metadata,
)
from kimputin_ds.features import _kind, _unwrap_optional, arrow_schema
from kimputin_ds.identity import Identity
from kimputin_ds.manifest import DataFile, sha256_file
from kimputin_ds.rows import CONFIGS

SPLITS = ("train", "validation", "test")
VERSION = "1.0.0"
DATE = "2026-01-15"

# rdflib (7.x), which mlcroissant uses to expand the JSON-LD, builds a ConjunctiveGraph
# inside its own JSON-LD parser and so warns on every parse; nothing in the document can
# avoid it. mlcroissant 1.1.1's Parquet reader calls DataFrame.reset_index(inplace=True),
# which pandas 3 deprecates. Both are ignored, and only where mlcroissant runs.
RDFLIB_WARNING = "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
PANDAS_WARNING = "ignore:The inplace keyword in DataFrame.reset_index:DeprecationWarning"
mlcroissant_warnings = pytest.mark.filterwarnings(RDFLIB_WARNING, PANDAS_WARNING)

DATE_PUBLISHED_WARNING = "datePublished"


def _value(annotation: Any, seed: str, *, sparse: bool) -> Any:
    """A value of ``annotation``: every list has two items, or (sparse) None / []."""
    _, optional = _unwrap_optional(annotation)
    if sparse and optional:
        return None
    kind, payload = _kind(annotation)
    if kind == "label":
        return len(payload) - 1
    if kind == "list":
        return [] if sparse else [_value(payload, f"{seed}{i}", sparse=False) for i in "ab"]
    if kind == "struct":
        return _row(payload, seed, sparse=sparse)
    return {"string": seed, "int32": 7, "bool": True, "float64": 0.5}[payload]


def _row(model: type[BaseModel], seed: str, *, sparse: bool = False) -> dict[str, Any]:
    return {
        name: _value(info.annotation, f"{seed}.{name}", sparse=sparse)
        for name, info in model.model_fields.items()
    }


def _write_release(root: Path) -> list[DataFile]:
    """One Parquet per config and split: train has a full and a sparse row, the rest one or none."""
    files = []
    for config, model in CONFIGS.items():
        for split in SPLITS:
            rows = {
                "train": [_row(model, "t"), _row(model, "s", sparse=True)],
                "validation": [_row(model, "v")],
                "test": [],
            }[split]
            rel = f"data/{config}/{split}-00000-of-00001.parquet"
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            table = pa.Table.from_pylist(rows, schema=arrow_schema(model))
            pq.write_table(table, path)
            files.append(
                DataFile(config, split, rel, sha256_file(path), path.stat().st_size, len(rows))
            )
    return files


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[DataFile]]:
    """A release directory with every config and split, and its croissant.json."""
    root = tmp_path_factory.mktemp("release")
    files = _write_release(root)
    document = croissant_metadata(VERSION, files)
    (root / "croissant.json").write_text(croissant_json(document), encoding="utf-8")
    return root, files


def _load(root: Path, document: dict[str, Any] | None = None) -> mlc.Dataset:
    path = root / "croissant.json"
    if document is not None:
        path = root / "croissant-dated.json"
        path.write_text(croissant_json(document), encoding="utf-8")
    return mlc.Dataset(jsonld=path)


def _all_fields(fields: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for field in fields:
        yield field
        yield from _all_fields(field.get("subField", []))


def _expected_ids(prefix: str, model: type[BaseModel]) -> Iterator[str]:
    """Ids of every column and struct member of ``model``, walked independently of the code."""
    for name, info in model.model_fields.items():
        yield f"{prefix}/{name}"
        kind, payload = _kind(info.annotation)
        while kind == "list":
            kind, payload = _kind(payload)
        if kind == "struct":
            yield from _expected_ids(f"{prefix}/{name}", payload)


def _record_set(document: dict[str, Any], config: str) -> dict[str, Any]:
    return next(rs for rs in document["recordSet"] if rs["@id"] == config)


def _field(document: dict[str, Any], field_id: str) -> dict[str, Any]:
    config = field_id.split("/", maxsplit=1)[0]
    return next(
        f for f in _all_fields(_record_set(document, config)["field"]) if f["@id"] == field_id
    )


# --- validation --------------------------------------------------------------


@mlcroissant_warnings
def test_mlcroissant_validates_with_only_the_date_recommendation(
    release: tuple[Path, list[DataFile]],
) -> None:
    root, _ = release
    issues = _load(root).metadata.ctx.issues
    assert issues.errors == set()
    # datePublished is left out by default to keep builds free of the clock.
    assert len(issues.warnings) == 1
    assert DATE_PUBLISHED_WARNING in next(iter(issues.warnings))


@mlcroissant_warnings
def test_mlcroissant_validates_cleanly_with_a_date(release: tuple[Path, list[DataFile]]) -> None:
    root, files = release
    document = croissant_metadata(VERSION, files, date_published=DATE)
    issues = _load(root, document).metadata.ctx.issues
    assert issues.errors == set()
    assert issues.warnings == set()


RAI_FIELDS = {
    "rai:dataCollection": "data_collection",
    "rai:dataCollectionType": "data_collection_type",
    "rai:dataAnnotationProtocol": "data_annotation_protocol",
    "rai:annotationsPerItem": "annotations_per_item",
    "rai:annotatorDemographics": "annotator_demographics",
    "rai:machineAnnotationTools": "machine_annotation_tools",
    "rai:dataLimitations": "data_limitations",
    "rai:dataBiases": "data_biases",
    "rai:personalSensitiveInformation": "personal_sensitive_information",
    "rai:dataUseCases": "data_use_cases",
    "rai:dataSocialImpact": "data_social_impact",
    "rai:dataReleaseMaintenancePlan": "data_release_maintenance_plan",
}


@mlcroissant_warnings
def test_responsible_ai_fields_are_read_by_mlcroissant_without_warnings(
    release: tuple[Path, list[DataFile]],
) -> None:
    root, files = release
    facts = CorpusFacts(
        (
            Article("a", "train", "Kompas TV", "2023-09-11", ("TASS",)),
            Article("b", "test", "ANTARA", "2024-06-18"),
        )
    )
    document = croissant_metadata(VERSION, files, facts=facts, date_published=DATE)
    assert set(RAI_FIELDS) <= set(document)
    assert "automated" in document["rai:annotatorDemographics"][0]
    assert "two articles" in document["rai:dataCollection"]
    metadata = _load(root, document).metadata
    assert metadata.ctx.issues.errors == set()
    assert metadata.ctx.issues.warnings == set()
    for key, attribute in RAI_FIELDS.items():
        value = getattr(metadata, attribute)
        assert value, key
        assert value == document[key], key


@mlcroissant_warnings
def test_mlcroissant_rejects_a_broken_reference(release: tuple[Path, list[DataFile]]) -> None:
    """The validation above is not vacuous: a dangling file set is an error."""
    root, files = release
    document = croissant_metadata(VERSION, files, date_published=DATE)
    document["distribution"] = [d for d in document["distribution"] if d["@type"] != "cr:FileSet"]
    with pytest.raises(mlc.ValidationError):
        _load(root, document)


def test_context_is_mlcroissant_s_own_for_1_1() -> None:
    """Every term of mlcroissant's 1.1 context, with the same definition (no extra warning)."""
    expected = make_context(mlc.Context(conforms_to=CONFORMS_TO))
    assert {k: CONTEXT[k] for k in expected} == expected
    # The 1.1 terms mlcroissant's context lacks are Croissant's own, by their names.
    extra = {k: v for k, v in CONTEXT.items() if k not in expected}
    assert extra and extra == {k: f"cr:{k}" for k in extra}
    for term in (
        "cr",
        "sc",
        "rai",
        "dct",
        "data",
        "dataType",
        "examples",
        "recordSet",
        "field",
        "fileObject",
        "fileSet",
        "source",
        "extract",
        "column",
        "references",
        "subField",
        "isLiveDataset",
        "samplingRate",
        "equivalentProperty",
        "containedIn",
        "includes",
        "fileProperty",
        "format",
        "jsonPath",
        "transform",
        "regex",
        "parentField",
        "key",
        "repeated",
        "separator",
        "replace",
        "citeAs",
        "md5",
        "conformsTo",
        "isArray",
        "arrayShape",
    ):
        assert term in CONTEXT


# --- content -----------------------------------------------------------------


def test_every_column_of_every_row_model_is_a_field(release: tuple[Path, list[DataFile]]) -> None:
    _, files = release
    document = croissant_metadata(VERSION, files)
    assert [rs["@id"] for rs in document["recordSet"]] == ["splits", *CONFIGS]
    for config, model in CONFIGS.items():
        fields = list(_all_fields(_record_set(document, config)["field"]))
        ids = [f["@id"] for f in fields]
        assert len(ids) == len(set(ids))
        assert set(ids) == {f"{config}/split", *_expected_ids(config, model)}
        for field in fields:
            assert field["@type"] == "cr:Field"
            assert field["name"] == field["@id"].rsplit("/", 1)[1]
            assert field["description"]
            # A field has sub-fields or is a leaf with a type and a source, never both.
            assert ("subField" in field) != ("dataType" in field)
            assert ("subField" in field) != ("source" in field)
            if "source" in field:
                assert field["source"]["fileSet"] == {"@id": f"parquet-files-for-config-{config}"}


def test_field_types_follow_the_row_models(release: tuple[Path, list[DataFile]]) -> None:
    _, files = release
    doc = croissant_metadata(VERSION, files)
    # str, int, bool; ClassLabel columns are their int64 codes.
    assert _field(doc, "quotes/text")["dataType"] == "sc:Text"
    assert _field(doc, "quotes/start")["dataType"] == "sc:Integer"
    assert _field(doc, "quotes/unclosed")["dataType"] == "sc:Boolean"
    kind = _field(doc, "quotes/kind")
    assert kind["dataType"] == "sc:Integer"
    assert kind["description"] == (
        "direct, indirect or mixed. (labels: 0=direct, 1=indirect, 2=mixed)"
    )
    assert "labels: 0=" in _field(doc, "events/date_precision")["description"]  # nullable label
    # Columns read their Parquet column; struct members descend with jsonPath.
    assert _field(doc, "quotes/text")["source"]["extract"] == {"column": "text"}
    cue_start = _field(doc, "quotes/cue/start")
    assert cue_start["source"]["extract"] == {"column": "cue"}
    assert cue_start["source"]["transform"] == {"jsonPath": "start"}
    assert "isArray" not in cue_start
    assert "subField" in _field(doc, "quotes/cue") and "isArray" not in _field(doc, "quotes/cue")
    # Lists are arrays; a list of lists has two dimensions; lists of structs repeat sub-fields.
    ids = _field(doc, "quotes/additional_speaker_ids")
    assert (ids["isArray"], ids["arrayShape"], ids["dataType"]) == (True, "-1", "sc:Text")
    offsets = _field(doc, "kb/passages/offsets")
    assert (offsets["isArray"], offsets["arrayShape"], offsets["dataType"]) == (
        True,
        "-1,-1",
        "sc:Integer",
    )
    assert offsets["source"]["transform"] == {"jsonPath": "offsets"}
    assert _field(doc, "stances/evidence")["isArray"] is True
    db_name = _field(doc, "kb/entities/normalized/db_name")
    assert db_name["source"]["transform"] == [{"jsonPath": "normalized"}, {"jsonPath": "db_name"}]
    # Descriptions come from the pydantic models.
    described = CONFIGS["documents"].model_fields["text_sha256"].description
    assert _field(doc, "documents/text_sha256")["description"] == described


def test_distribution_lists_every_file_with_its_checksum(
    release: tuple[Path, list[DataFile]],
) -> None:
    root, files = release
    document = croissant_metadata(VERSION, files)
    objects = {d["@id"]: d for d in document["distribution"] if d["@type"] == "cr:FileObject"}
    assert set(objects) == {f.path for f in files}
    for f in files:
        obj = objects[f.path]
        assert obj["contentUrl"] == f.path
        assert obj["encodingFormat"] == "application/x-parquet"
        assert obj["sha256"] == sha256_file(root / f.path)
        assert obj["contentSize"] == f"{(root / f.path).stat().st_size} B"
    sets = [d for d in document["distribution"] if d["@type"] == "cr:FileSet"]
    assert [s["includes"] for s in sets] == [f"data/{c}/*.parquet" for c in CONFIGS]
    splits = _record_set(document, "splits")
    assert splits["dataType"] == "cr:Split"
    assert splits["data"] == [
        {"splits/name": "train", "splits/url": "cr:TrainingSplit"},
        {"splits/name": "validation", "splits/url": "cr:ValidationSplit"},
        {"splits/name": "test", "splits/url": "cr:TestSplit"},
    ]


def test_dataset_level_metadata(release: tuple[Path, list[DataFile]]) -> None:
    _, files = release
    facts = CorpusFacts((Article("a", "train", "Kompas TV", "2023-09-11"),))
    document = croissant_metadata(VERSION, files, identity=Identity("o/ds"), facts=facts)
    assert document["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert document["@type"] == "sc:Dataset"
    assert (document["name"], document["version"], document["inLanguage"]) == (
        "kimputin_ds",
        VERSION,
        "id",
    )
    assert document["url"] == "https://huggingface.co/datasets/o/ds"
    assert document["creator"] == {"@type": "sc:Organization", "name": "kimputin_ds maintainers"}
    annotations, texts = document["license"]
    assert annotations["@type"] == texts["@type"] == "sc:CreativeWork"
    assert annotations["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert texts["url"] == f"https://huggingface.co/datasets/o/ds/blob/v{VERSION}/LICENSE"
    assert "Kompas TV" in texts["description"] and "grants no license" in texts["description"]
    cite = document["citeAs"]
    assert cite.startswith("@misc{") and cite.endswith("}")
    assert "year = {2026}" in cite and f"version = {{{VERSION}}}" in cite
    assert "{Kim Jong Un}--{Vladimir Putin} summits" in cite
    assert "\\url{https://huggingface.co/datasets/o/ds}" in cite
    assert document["keywords"]


# --- reproducibility ---------------------------------------------------------


def test_output_is_byte_identical_and_order_independent(
    release: tuple[Path, list[DataFile]],
) -> None:
    root, files = release
    first = croissant_json(croissant_metadata(VERSION, files))
    shuffled = list(files)
    random.Random(7).shuffle(shuffled)
    assert croissant_json(croissant_metadata(VERSION, shuffled)) == first
    assert croissant_json(croissant_metadata(VERSION, files)) == first
    assert (root / "croissant.json").read_text(encoding="utf-8") == first
    assert json.loads(first) == croissant_metadata(VERSION, files)
    assert not {"datePublished", "dateCreated", "dateModified"} & set(json.loads(first))


def test_the_document_does_not_share_state(release: tuple[Path, list[DataFile]]) -> None:
    _, files = release
    document = croissant_metadata(VERSION, files)
    document["@context"]["cr"] = "changed"
    _field(document, "mentions/text")["source"]["fileSet"]["@id"] = "changed"
    assert croissant_metadata(VERSION, files)["@context"]["cr"] == "http://mlcommons.org/croissant/"
    assert _field(document, "mentions/start")["source"]["fileSet"]["@id"] != "changed"


def test_empty_release() -> None:
    document = croissant_metadata(VERSION, [])
    assert document["distribution"] == [] and document["recordSet"] == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"config": "nope"}, "unknown config"),
        ({"split": "dev"}, "unknown split"),
        ({"path": "data/quotes/train.parquet"}, "expected data/quotes/train-NNNNN"),
        ({"path": "data/mentions/train-00000-of-00001.parquet"}, "expected data/quotes/"),
    ],
)
def test_bad_files_are_rejected(change: dict[str, Any], message: str) -> None:
    good = DataFile("quotes", "train", "data/quotes/train-00000-of-00001.parquet", "0" * 64, 1, 0)
    with pytest.raises(ValueError, match=message):
        croissant_metadata(VERSION, [dataclasses.replace(good, **change)])


def test_a_split_listed_twice_is_rejected() -> None:
    f = DataFile("quotes", "train", "data/quotes/train-00000-of-00001.parquet", "0" * 64, 1, 0)
    other = dataclasses.replace(f, path="data/quotes/train-00000-of-00002.parquet")
    with pytest.raises(ValueError, match="listed twice"):
        croissant_metadata(VERSION, [f, other])


# --- reading records with mlcroissant ----------------------------------------


def _records(root: Path, config: str, split: str | None = None) -> list[dict[str, Any]]:
    # A fresh Dataset per read: mlcroissant's split filter rewrites the file set in place.
    dataset = _load(root)
    filters = {f"{config}/split": split} if split else None
    return list(dataset.records(config, filters=filters))


@mlcroissant_warnings
def test_mlcroissant_reads_a_flat_config(release: tuple[Path, list[DataFile]]) -> None:
    root, _ = release
    records = _records(root, "mentions")
    assert [(r["mentions/split"], r["mentions/mention_id"]) for r in records] == [
        (b"train", b"t.mention_id"),
        (b"train", b"s.mention_id"),
        (b"validation", b"v.mention_id"),
    ]
    first = records[0]
    assert first["mentions/kind"] == 2  # the ClassLabel code of "pronoun"
    assert (first["mentions/start"], first["mentions/end"]) == (7, 7)
    validation = _records(root, "mentions", "validation")
    assert [r["mentions/mention_id"] for r in validation] == [b"v.mention_id"]
    assert _records(root, "mentions", "test") == []


@mlcroissant_warnings
def test_mlcroissant_reads_structs_and_lists(release: tuple[Path, list[DataFile]]) -> None:
    root, _ = release
    full, sparse = _records(root, "quotes", "train")
    assert full["quotes/cue"] == {
        "quotes/cue/text": b"t.cue.text",
        "quotes/cue/start": 7,
        "quotes/cue/end": 7,
    }
    assert full["quotes/additional_speaker_ids"] == [
        b"t.additional_speaker_idsa",
        b"t.additional_speaker_idsb",
    ]
    assert full["quotes/unclosed"] is True
    assert sparse["quotes/speaker_id"] is None
    (stance, _) = _records(root, "stances", "train")
    assert [e["stances/evidence/text"] for e in stance["stances/evidence"]] == [
        b"t.evidencea.text",
        b"t.evidenceb.text",
    ]


@mlcroissant_warnings
@pytest.mark.parametrize("config", [c for c in CONFIGS if c != "kb"])
def test_mlcroissant_reads_every_config_but_kb(
    config: str, release: tuple[Path, list[DataFile]]
) -> None:
    root, files = release
    records = _records(root, config)
    assert len(records) == sum(f.num_rows for f in files if f.config == config)


def test_the_card_tells_users_that_mlcroissant_cannot_read_kb() -> None:
    """While the strict xfail below holds, the card must say so; when it fails, drop both."""
    card = CARD.read_text(encoding="utf-8")
    assert "Reading `kb` with mlcroissant does not work yet." in card
    assert 'records("kb")' in card


@mlcroissant_warnings
@pytest.mark.xfail(
    raises=mlc.GenerationError,
    strict=True,
    reason="mlcroissant 1.1.1 cannot apply a second jsonPath inside a list of structs "
    "(kb/entities/normalized/...): the metadata validates, the reader fails",
)
def test_mlcroissant_reads_the_kb_config(release: tuple[Path, list[DataFile]]) -> None:
    root, _ = release
    records = _records(root, "kb", "validation")
    assert len(records) == 1
