"""The card's YAML header, written by huggingface_hub's ``DatasetCardData``.

The Hub fields that do not depend on the build are :data:`HUB_FIELDS` and
:data:`GATING`; the ``configs`` carry each config's data files and a content
fingerprint; ``dataset_info`` is written by ``datasets`` itself
(``DatasetInfosDict.to_dataset_card_data``) from the Features of the row models
and the sizes of the files the build wrote. :func:`check_card` reads the
finished card back with ``DatasetCard`` and fails if it does not say the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from kimputin_ds.manifest import DataFile
from kimputin_ds.rows import CONFIGS

if TYPE_CHECKING:
    from datasets.info import DatasetInfosDict
    from huggingface_hub import DatasetCardData

SPLITS = ("train", "validation", "test")

#: The config ``load_dataset`` opens when none is named.
DEFAULT_CONFIG = "quotes"

#: Hub metadata that does not depend on the build. ``task_ids`` are only values
#: from the Hub's list (huggingface.js ``pipelines.ts``) that describe a config:
#: ``named-entity-recognition`` (mentions), ``coreference-resolution`` (the
#: ``kb`` chains and the registry links), ``multi-class-classification`` (stance
#: labels, event type and status). What the list has no id for is in ``tags``.
HUB_FIELDS: dict[str, Any] = {
    "pretty_name": "kimputin_ds: Indonesian news on the Kim Jong Un–Vladimir Putin summits",
    "license": "other",
    "license_name": "annotations-cc-by-4.0-texts-publishers",
    "license_link": "LICENSE",
    "language": ["id"],
    "language_creators": ["found"],
    "annotations_creators": ["machine-generated"],
    "multilinguality": ["monolingual"],
    "source_datasets": ["original"],
    "task_categories": ["token-classification", "text-classification"],
    "task_ids": [
        "named-entity-recognition",
        "coreference-resolution",
        "multi-class-classification",
    ],
    "tags": [
        "entity-linking",
        "event-extraction",
        "event-factuality",
        "stance-detection",
        "quote-attribution",
        "news",
        "bigbio-kb",
    ],
}

#: Access to the files is gated, with automatic approval: the full news texts
#: are the publishers' and licensed to no one, so a user first acknowledges on
#: the Hub what the LICENSE says. The card explains the choice.
GATING: dict[str, Any] = {
    "extra_gated_heading": "Acknowledge the terms of the article texts",
    "extra_gated_prompt": (
        "The annotations are licensed under CC BY 4.0. The news texts in documents.text "
        "are copyright of their publishers, who grant no license to them: they are "
        "included, unmodified and credited, for research on the annotations. Access is "
        "granted at once; you only confirm that you have read these terms."
    ),
    "extra_gated_fields": {
        "I will use the article texts for research only and will not redistribute them "
        "outside this dataset": "checkbox",
    },
    "extra_gated_button_content": "Acknowledge and access the files",
}


def size_category(rows: int) -> str:
    """The Hub's ``size_categories`` value for a number of examples.

    >>> size_category(536), size_category(1000), size_category(25_000_000)
    ('n<1K', '1K<n<10K', '10M<n<100M')
    """
    names = ["1K", "10K", "100K", "1M", "10M", "100M", "1B", "10B", "100B", "1T"]
    bound, lower = 1_000, "n"
    for name in names:
        if rows < bound:
            return f"{lower}<{name}" if lower == "n" else f"{lower}<n<{name}"
        bound, lower = bound * 10, name
    return "n>1T"


def _by_config(files: Sequence[DataFile]) -> dict[str, dict[str, list[DataFile]]]:
    """Files by config and split (a split may be sharded into several files)."""
    grouped: dict[str, dict[str, list[DataFile]]] = {}
    for f in files:
        grouped.setdefault(f.config, {}).setdefault(f.split, []).append(f)
    return {c: {s: grouped[c][s] for s in SPLITS if s in grouped[c]} for c in grouped}


def fingerprint(files: Sequence[DataFile]) -> str:
    """The first 16 hex digits of a sha256 over the files' paths and checksums."""
    digest = hashlib.sha256(
        "".join(f"{f.path}:{f.sha256}\n" for f in sorted(files, key=lambda f: f.path)).encode()
    )
    return digest.hexdigest()[:16]


def config_description(config: str, files: Sequence[DataFile]) -> str:
    """The config's description, ending in a fingerprint of its files' content.

    ``datasets`` hashes a README-declared config by its YAML, not by its data
    files, so an unchanged README would let ``load_dataset`` serve rows cached
    from an earlier build. The fingerprint makes every content change a README
    change, hence a new cache key.
    """
    doc = (CONFIGS[config].__doc__ or config).strip().splitlines()[0]
    return f"{doc} Content fingerprint: sha256:{fingerprint(files)}."


def configs(files: Sequence[DataFile]) -> list[dict[str, Any]]:
    """The card's ``configs``: each config's data files per split, in model order."""
    grouped = _by_config(files)
    out = []
    for config in CONFIGS:
        splits = grouped.get(config, {})
        out.append(
            {
                "config_name": config,
                "description": config_description(
                    config, [f for shards in splits.values() for f in shards]
                ),
                "data_files": [
                    {"split": s, "path": f"data/{config}/{s}-*.parquet"} for s in splits
                ],
                **({"default": True} if config == DEFAULT_CONFIG else {}),
            }
        )
    return out


def dataset_infos(files: Sequence[DataFile]) -> DatasetInfosDict:
    """Per config, the ``datasets.DatasetInfo`` of the files written.

    ``download_size`` is the Parquet bytes, ``dataset_size`` and each split's
    ``num_bytes`` the Arrow bytes of the rows.
    """
    from datasets import DatasetInfo, SplitDict, SplitInfo
    from datasets.info import DatasetInfosDict

    from kimputin_ds.features import hf_features

    grouped = _by_config(files)
    infos = DatasetInfosDict()
    for config, model in CONFIGS.items():
        splits = grouped.get(config, {})
        split_dict = SplitDict()
        for name, shards in splits.items():
            split_dict.add(
                SplitInfo(
                    name=name,
                    num_bytes=sum(f.num_bytes for f in shards),
                    num_examples=sum(f.num_rows for f in shards),
                )
            )
        shards = [f for fs in splits.values() for f in fs]
        infos[config] = DatasetInfo(
            config_name=config,
            features=hf_features(model),
            splits=split_dict,
            download_size=sum(f.size for f in shards),
            dataset_size=sum(f.num_bytes for f in shards),
        )
    return infos


def card_data(files: Sequence[DataFile]) -> DatasetCardData:
    """The card's metadata: fixed fields, gating, size category, configs and dataset_info."""
    from huggingface_hub import DatasetCardData

    rows: dict[str, int] = {}
    for f in files:
        rows[f.config] = rows.get(f.config, 0) + f.num_rows
    largest = max(rows.values(), default=0)
    data = DatasetCardData(
        **HUB_FIELDS,
        size_categories=[size_category(largest)],
        **GATING,
        configs=configs(files),
    )
    dataset_infos(files).to_dataset_card_data(data)
    return data


def front_matter(files: Sequence[DataFile]) -> str:
    """The YAML between the card's ``---`` lines, as ``DatasetCardData`` writes it."""
    text: str = card_data(files).to_yaml()
    return text if text.endswith("\n") else text + "\n"


def check_card(text: str, files: Sequence[DataFile]) -> None:
    """Read a finished card with ``DatasetCard`` and check it says what was meant.

    Raises:
        ValueError: When the card's YAML does not parse, or reads back different
            from :func:`card_data`, or ``datasets`` cannot read its configs and
            infos.
    """
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCard

    card = DatasetCard(text, ignore_metadata_errors=False)
    expected = card_data(files).to_dict()  # type: ignore[no-untyped-call]
    if card.data.to_dict() != expected:  # type: ignore[no-untyped-call]
        raise ValueError("the card's YAML does not read back as the metadata it was made from")
    parsed = MetadataConfigs.from_dataset_card_data(card.data)
    if list(parsed) != list(CONFIGS) or parsed.get_default_config_name() != DEFAULT_CONFIG:
        raise ValueError("datasets does not read the card's configs")
    infos = DatasetInfosDict.from_dataset_card_data(card.data)
    if sorted(infos) != sorted(CONFIGS):
        raise ValueError("datasets does not read the card's dataset_info")
