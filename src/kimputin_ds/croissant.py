"""Croissant 1.1 metadata (``croissant.json``) of a release.

The document lists every Parquet file of the release (a ``cr:FileObject`` with
its sha256 and size) and, per config, a ``cr:FileSet`` of its split files and a
``cr:RecordSet`` whose fields are derived from the row models of
:mod:`kimputin_ds.rows` with the type walk of :mod:`kimputin_ds.features`: no
column is listed here. A ``splits`` record set (``cr:Split``) names the splits;
each config's ``split`` field takes its value from the Parquet file name.

Nothing depends on the clock or the machine: the same version and files give
the same bytes (see :func:`croissant_json`). mlcroissant 1.1 validates the
document with a single warning, that ``datePublished`` is recommended, unless a
fixed date is passed in.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from kimputin_ds.corpus_facts import CorpusFacts
from kimputin_ds.features import _kind
from kimputin_ds.identity import PACKAGED, Identity
from kimputin_ds.manifest import DataFile
from kimputin_ds.release_license import ANNOTATION_LICENSE, ANNOTATION_LICENSE_URL, texts_notice
from kimputin_ds.responsible import rai_fields
from kimputin_ds.rows import CONFIGS
from kimputin_ds.version import __release_date__

#: The specification the document conforms to.
CONFORMS_TO = "http://mlcommons.org/croissant/1.1"

#: The JSON-LD ``@context``: every term of mlcroissant 1.1's own context for
#: Croissant 1.1 (``mlcroissant._src.core.rdf.make_context``), plus the terms of
#: Appendix 1 of the 1.1 specification that mlcroissant does not list. schema.org
#: is ``https`` as mlcroissant requires (Appendix 1 writes ``http``), and the
#: specification's ``value`` term is left out: mlcroissant reads ``sc:value``.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "annotation": "cr:annotation",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "excludes": "cr:excludes",
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "readLines": "cr:readLines",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "sdVersion": "cr:sdVersion",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
    "unArchive": "cr:unArchive",
}

#: MIME type of the data files.
PARQUET = "application/x-parquet"

DEFAULT_DESCRIPTION = (
    "Hand-curated annotations of Indonesian news about the Kim Jong Un–Vladimir Putin "
    "summits (Vostochny Cosmodrome, September 2023; Pyongyang, June 2024): entities linked "
    "to a corpus-wide registry, entity mentions, quotes with cue and speaker, events with "
    "time, status and arguments, stances with holder, target and evidence, and the same "
    "annotations in BigBIO's unified knowledge-base schema."
)

CREATOR = "kimputin_ds maintainers"

#: The dataset's page when none is given: the packaged identity's Hub repository.
DEFAULT_URL = PACKAGED.hub_url

KEYWORDS = (
    "Indonesian",
    "news",
    "named entity recognition",
    "entity linking",
    "event extraction",
    "stance detection",
    "quote attribution",
    "BigBIO",
    "Kim Jong Un",
    "Vladimir Putin",
)

#: The splits a release may have, in the order they are listed, with the Croissant
#: term for each.
SPLITS = {
    "train": "cr:TrainingSplit",
    "validation": "cr:ValidationSplit",
    "test": "cr:TestSplit",
}

#: ``@id`` of the record set enumerating the splits.
SPLITS_RECORD_SET = "splits"

#: Name of the field every config's record set has besides its columns.
SPLIT_FIELD = "split"

_DATA_TYPES = {
    "string": "sc:Text",
    "int32": "sc:Integer",
    "bool": "sc:Boolean",
    "float64": "sc:Float",
}


def licenses(
    version: str, identity: Identity = PACKAGED, facts: CorpusFacts | None = None
) -> list[dict[str, Any]]:
    """The dataset's ``license``: one ``CreativeWork`` for the annotations, one for the texts.

    >>> [w["name"] for w in licenses("1.0.0")]
    ['CC BY 4.0 (the annotations)', 'Not licensed (the article texts)']
    """
    texts = (
        texts_notice(facts)
        if facts is not None
        else "The news texts (documents.text and the span texts copied from it) are "
        "copyright of their publishers."
    )
    return [
        {
            "@type": "sc:CreativeWork",
            "name": f"{ANNOTATION_LICENSE} (the annotations)",
            "description": "Every column and field except the news texts, the entity "
            "registry, the card and this metadata.",
            "url": ANNOTATION_LICENSE_URL,
        },
        {
            "@type": "sc:CreativeWork",
            "name": "Not licensed (the article texts)",
            "description": f"{texts} The project grants no license to them; they are "
            "included, unmodified and credited, for research on the annotations.",
            "url": f"{identity.hub_url}/blob/v{version}/LICENSE",
        },
    ]


def croissant_metadata(
    version: str,
    files: Sequence[DataFile],
    *,
    name: str = "kimputin_ds",
    description: str = DEFAULT_DESCRIPTION,
    identity: Identity = PACKAGED,
    facts: CorpusFacts | None = None,
    date_published: str | None = None,
) -> dict[str, Any]:
    """The Croissant 1.1 JSON-LD document of a release.

    The distribution lists one ``cr:FileObject`` per Parquet file (sha256 and
    size) and one ``cr:FileSet`` per config (``data/<config>/*.parquet``, read
    relative to ``croissant.json``). Each config is a ``cr:RecordSet`` drawing
    its fields from its file set; a ``split`` field, taken from the file name,
    references the ``splits`` record set (``dataType`` ``cr:Split``).

    Args:
        version: The dataset version (``1.0.0``).
        files: The Parquet files of the release, in any order. Their ``path`` is
            relative to the release root, where ``croissant.json`` is written, and
            is ``data/<config>/<split>-NNNNN-of-NNNNN.parquet``.
        name: The dataset name.
        description: The dataset description.
        identity: The Hub repository: its page is ``url``, and ``citeAs`` and
            the texts' licence name it.
        facts: The release's articles, for the publishers named in the licence
            and the Responsible-AI (``rai:``) fields; left out when None.
        date_published: ``datePublished`` (ISO 8601 date), which Croissant
            recommends. Left out when None: the document never reads the clock,
            so a date must come from the caller's fixed inputs.

    Returns:
        A JSON-ready dict; :func:`croissant_json` writes it byte-reproducibly.

    Raises:
        ValueError: When a file has an unknown config or split, is not named
            ``data/<config>/<split>-NNNNN-of-NNNNN.parquet``, or is listed twice.

    >>> doc = croissant_metadata("1.0.0", [])
    >>> doc["conformsTo"], doc["version"], doc["inLanguage"]
    ('http://mlcommons.org/croissant/1.1', '1.0.0', 'id')
    >>> doc["distribution"], [rs["@id"] for rs in doc["recordSet"]]
    ([], [])
    """
    by_config = _group(files)
    splits = [s for s in SPLITS if any(f.split == s for fs in by_config.values() for f in fs)]
    distribution: list[dict[str, Any]] = []
    record_sets: list[dict[str, Any]] = [_splits_record_set(splits)] if splits else []
    for config, config_files in by_config.items():
        distribution.extend(_file_object(f) for f in config_files)
        distribution.append(_file_set(config))
        record_sets.append(_record_set(config, [f.split for f in config_files]))
    document: dict[str, Any] = {
        "@context": copy.deepcopy(CONTEXT),
        "@type": "sc:Dataset",
        "name": name,
        "description": description,
        "conformsTo": CONFORMS_TO,
        "version": version,
        "license": licenses(version, identity, facts),
        "url": identity.hub_url,
        "citeAs": cite_as(version, identity.hub_url),
        "creator": {"@type": "sc:Organization", "name": CREATOR},
        "keywords": list(KEYWORDS),
        "inLanguage": "id",
        "distribution": distribution,
        "recordSet": record_sets,
    }
    if date_published is not None:
        document["datePublished"] = date_published
    if facts is not None:
        document.update(rai_fields(facts, identity))
    return document


def cite_as(version: str, url: str = DEFAULT_URL, year: str = __release_date__[:4]) -> str:
    """The BibTeX entry of the dataset (``citeAs``, and the card's citation).

    Args:
        version: The dataset version.
        url: The dataset's web page.
        year: The year of the release.

    Returns:
        A ``@misc`` entry; capitals that must stay are braced.

    >>> print(cite_as("1.0.0", "https://example.org").splitlines()[4])
      version = {1.0.0},
    """
    return "\n".join(
        [
            "@misc{kimputin_ds_" + year + ",",
            "  title = {kimputin\\_ds: annotated {Indonesian} news on the "
            "{Kim Jong Un}--{Vladimir Putin} summits},",
            "  author = {{kimputin\\_ds maintainers}},",
            "  year = {" + year + "},",
            "  version = {" + version + "},",
            "  howpublished = {\\url{" + url + "}},",
            "}",
        ]
    )


def croissant_json(document: dict[str, Any]) -> str:
    """Serialise a document deterministically: sorted keys, two-space indent, final newline.

    Args:
        document: A document from :func:`croissant_metadata`.

    Returns:
        The UTF-8 text of ``croissant.json``.

    >>> croissant_json({"b": 1, "a": "é"})
    '{\\n  "a": "é",\\n  "b": 1\\n}\\n'
    """
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _group(files: Iterable[DataFile]) -> dict[str, list[DataFile]]:
    """Files by config, configs in :data:`CONFIGS` order, splits in :data:`SPLITS` order."""
    grouped: dict[str, dict[str, list[DataFile]]] = {}
    paths: set[str] = set()
    for f in files:
        if f.config not in CONFIGS:
            raise ValueError(f"{f.path}: unknown config {f.config!r}")
        if f.split not in SPLITS:
            raise ValueError(
                f"{f.path}: unknown split {f.split!r} (expected one of {list(SPLITS)})"
            )
        if not _file_pattern(f.config, f.split).fullmatch(f.path):
            raise ValueError(f"{f.path}: expected data/{f.config}/{f.split}-NNNNN-of-NNNNN.parquet")
        if f.path in paths:
            raise ValueError(f"{f.path}: listed twice")
        paths.add(f.path)
        grouped.setdefault(f.config, {}).setdefault(f.split, []).append(f)
    for config, splits in grouped.items():
        for split, shards in splits.items():
            _check_shards(config, split, shards)
    return {
        config: [f for s in SPLITS for f in sorted(grouped[config].get(s, []), key=_path)]
        for config in CONFIGS
        if config in grouped
    }


def _path(f: DataFile) -> str:
    return f.path


def _check_shards(config: str, split: str, shards: list[DataFile]) -> None:
    """A split's files are shards 0 … n-1 of n, each once (a split is one or more shards)."""
    count = len(shards)
    expected = {f"data/{config}/{split}-{i:05d}-of-{count:05d}.parquet" for i in range(count)}
    found = {f.path for f in shards}
    if found != expected:
        raise ValueError(
            f"data/{config}/{split}: the files {sorted(found)} are not shards 0 to "
            f"{count - 1} of {count}; split {split!r} of {config!r} listed twice?"
        )


def _split_regex(splits: Sequence[str]) -> str:
    """The regex whose one group is the split, matched against a file name.

    It stays this simple so that mlcroissant can turn it into a glob when
    records are filtered by split (``filters={"<config>/split": "test"}``).
    """
    return "^(" + "|".join(re.escape(s) for s in splits) + r")-.+\.parquet$"


def _file_pattern(config: str, split: str) -> re.Pattern[str]:
    return re.compile(re.escape(f"data/{config}/{split}-") + r"\d{5}-of-\d{5}\.parquet")


def _file_object(f: DataFile) -> dict[str, Any]:
    return {
        "@type": "cr:FileObject",
        "@id": f.path,
        "name": f.path,
        "description": f"Split {f.split} of config {f.config}: {f.num_rows} rows.",
        "contentUrl": f.path,
        "contentSize": f"{f.size} B",
        "encodingFormat": PARQUET,
        "sha256": f.sha256,
    }


def _file_set_id(config: str) -> str:
    return f"parquet-files-for-config-{config}"


def _file_set(config: str) -> dict[str, Any]:
    return {
        "@type": "cr:FileSet",
        "@id": _file_set_id(config),
        "name": _file_set_id(config),
        "description": f"The Parquet files of config {config}: each split, in one or more shards.",
        "encodingFormat": PARQUET,
        "includes": f"data/{config}/*.parquet",
    }


def _splits_record_set(splits: Sequence[str]) -> dict[str, Any]:
    rs = SPLITS_RECORD_SET
    return {
        "@type": "cr:RecordSet",
        "@id": rs,
        "name": rs,
        "description": "The splits of the dataset.",
        "dataType": "cr:Split",
        "key": {"@id": f"{rs}/name"},
        "field": [
            {
                "@type": "cr:Field",
                "@id": f"{rs}/name",
                "name": "name",
                "description": "The split's name.",
                "dataType": "sc:Text",
            },
            {
                "@type": "cr:Field",
                "@id": f"{rs}/url",
                "name": "url",
                "description": "The Croissant split the name stands for.",
                "dataType": "sc:URL",
            },
        ],
        "data": [{f"{rs}/name": s, f"{rs}/url": SPLITS[s]} for s in splits],
    }


def _record_set(config: str, splits: Sequence[str]) -> dict[str, Any]:
    model = CONFIGS[config]
    if SPLIT_FIELD in model.model_fields:
        raise ValueError(
            f"{model.__name__} has a column {SPLIT_FIELD!r}, the name of the split field"
        )
    file_set = _file_set_id(config)
    split_field = {
        "@type": "cr:Field",
        "@id": f"{config}/{SPLIT_FIELD}",
        "name": SPLIT_FIELD,
        "description": "The split the row belongs to, from the name of its Parquet file.",
        "dataType": "sc:Text",
        "source": {
            "fileSet": {"@id": file_set},
            "extract": {"fileProperty": "filename"},
            "transform": {"regex": _split_regex(splits)},
        },
        "references": {"field": {"@id": f"{SPLITS_RECORD_SET}/name"}},
    }
    return {
        "@type": "cr:RecordSet",
        "@id": config,
        "name": config,
        "description": _first_line(model),
        "field": [split_field, *_fields(config, model, file_set, [])],
    }


def _first_line(model: type[BaseModel]) -> str:
    return (model.__doc__ or "").strip().splitlines()[0]


def _fields(
    parent_id: str, model: type[BaseModel], file_set: str, path: Sequence[str]
) -> list[dict[str, Any]]:
    """The fields of ``model``'s columns; ``path`` leads from the top column to the model."""
    return [
        _field(f"{parent_id}/{name}", name, info, file_set=file_set, path=[*path, name])
        for name, info in model.model_fields.items()
    ]


def _field(
    field_id: str, name: str, info: FieldInfo, *, file_set: str, path: Sequence[str]
) -> dict[str, Any]:
    """One field: a column when ``path`` is ``[name]``, else a member of a struct column.

    A list is an array (nested lists add dimensions to ``arrayShape``); a struct
    has sub-fields; a leaf reads the top column and descends into it with one
    ``jsonPath`` transform per struct level, as the Hugging Face Croissant does.
    """
    kind, payload = _kind(info.annotation)
    depth = 0
    while kind == "list":
        depth += 1
        kind, payload = _kind(payload)
    description = info.description or ""
    if kind == "label":
        labels = ", ".join(f"{i}={label}" for i, label in enumerate(payload))
        description = f"{description} (labels: {labels})".strip()
    field: dict[str, Any] = {
        "@type": "cr:Field",
        "@id": field_id,
        "name": name,
        "description": description,
    }
    if kind == "struct":
        field["subField"] = _fields(field_id, payload, file_set, path)
    else:
        field["dataType"] = "sc:Integer" if kind == "label" else _DATA_TYPES[payload]
        source: dict[str, Any] = {
            "fileSet": {"@id": file_set},
            "extract": {"column": path[0]},
        }
        transforms = [{"jsonPath": step} for step in path[1:]]
        if transforms:
            source["transform"] = transforms[0] if len(transforms) == 1 else transforms
        field["source"] = source
    if depth:
        field["isArray"] = True
        field["arrayShape"] = ",".join(["-1"] * depth)
    return field
