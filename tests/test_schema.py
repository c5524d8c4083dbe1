"""schema/ is generated from the models and validates the seed files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import MINI_CORPUS, REPO, SEEDS
from kimputin_ds.models import CAMEO, EventType, check_iso_date, labels
from kimputin_ds.schema_export import SCHEMA_FILES, render_schemas

SNAPSHOT_CORPUS = REPO / "tests" / "snapshot" / "corpus"


def test_schema_directory_is_up_to_date() -> None:
    for name, text in render_schemas().items():
        path = REPO / "schema" / name
        assert path.read_text(encoding="utf-8") == text, (
            f"{path} is stale: run python scripts/generate_schema.py"
        )


@pytest.mark.parametrize(
    "root", [SEEDS, MINI_CORPUS, SNAPSHOT_CORPUS], ids=["seeds", "mini", "snapshot"]
)
def test_json_schema_accepts_the_annotation_files(root: Path) -> None:
    schemas = {n: json.loads(t) for n, t in render_schemas().items()}
    files = sorted(root.glob("*.yaml"))
    # every annotation file beside its text, plus the two registries and the splits
    assert len(files) == len(list(root.glob("*.txt"))) + 3 > 3
    for path in files:
        name = {"entities": "entities", "claims": "claims", "splits": "splits"}.get(
            path.stem, "annotation"
        )
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, schemas[f"{name}.schema.json"])


def test_json_schema_rejects_unknown_fields() -> None:
    schema = json.loads(render_schemas()["annotation.schema.json"])
    data = yaml.safe_load((MINI_CORPUS / "doc_c.yaml").read_text(encoding="utf-8"))
    data["unexpected"] = 1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)


def test_every_field_has_a_description() -> None:
    missing = []
    for model in SCHEMA_FILES.values():
        schema = model.model_json_schema()
        for name, definition in {**schema.get("$defs", {}), model.__name__: schema}.items():
            for field, spec in definition.get("properties", {}).items():
                ref = spec.get("$ref", "").rsplit("/", 1)[-1]
                inherited = schema.get("$defs", {}).get(ref, {}).get("description")
                if not (spec.get("description") or inherited):
                    missing.append(f"{name}.{field}")
    assert not missing


def test_cameo_covers_every_event_type() -> None:
    assert list(CAMEO) == labels(EventType)


@pytest.mark.parametrize(
    ("value", "precision", "ok"),
    [
        ("195", "decade", True),
        ("2024", "year", True),
        ("2024-02", "month", True),
        ("2024-13", "month", False),
        ("2024-W24", "week", True),
        ("2024-W00", "week", False),
        ("2024-02-29", "day", True),
        ("2023-02-29", "day", False),
        ("2023-09-11T17:00+07:00", "minute", True),
        ("2023-09-12T06", "hour", True),
        ("2023-09-12T24", "hour", False),
        ("2023-09-12T23", "hour", True),  # the last hour and minute of a day exist
        ("2023-09-12T23:59Z", "minute", True),
        ("2023-09-12T12:60", "minute", False),
        ("2023-09-12", "month", False),
        ("x", "nope", False),
    ],
)
def test_iso_dates(value: str, precision: str, ok: bool) -> None:
    if ok:
        assert check_iso_date(value, precision) == value
    else:
        with pytest.raises(ValueError):
            check_iso_date(value, precision)


def test_an_event_time_needs_a_span_or_a_value() -> None:
    from pydantic import ValidationError

    from kimputin_ds.models import EventTime

    assert EventTime(span="Selasa").value is None
    assert EventTime(value="2024", precision="year").span is None
    with pytest.raises(ValidationError, match="an event time needs a span or a value"):
        EventTime(note="No time at all.")
