"""JSON Schema for the hand-written files, generated from the models.

``scripts/generate_schema.py`` writes these into ``schema/``; a test fails
when the committed files are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from kimputin_ds.identity import PACKAGED, Identity
from kimputin_ds.models import AnnotationFile, ClaimRegistry, EntityRegistry, SplitAssignment

#: File name in ``schema/`` -> the model it describes.
SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "annotation.schema.json": AnnotationFile,
    "claims.schema.json": ClaimRegistry,
    "entities.schema.json": EntityRegistry,
    "splits.schema.json": SplitAssignment,
}


def render_schemas(identity: Identity = PACKAGED) -> dict[str, str]:
    """The JSON Schema documents by file name, as deterministic text.

    Each ``$id`` is where the release of ``identity``'s Hub repository has the
    file: the build ships them in ``schema/``.

    >>> sorted(render_schemas())
    ['annotation.schema.json', 'claims.schema.json', 'entities.schema.json', 'splits.schema.json']
    """
    rendered: dict[str, str] = {}
    for name, model in SCHEMA_FILES.items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{identity.hub_url}/resolve/main/schema/{name}",
            **model.model_json_schema(),
        }
        rendered[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    return rendered


def write_schemas(directory: Path, identity: Identity = PACKAGED) -> list[Path]:
    """Write every schema into ``directory``; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas(identity).items():
        path = directory / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
