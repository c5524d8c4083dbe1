"""The dataset card: Hub YAML metadata plus the body of ``DATASET_CARD.md``.

``DATASET_CARD.md`` is prose written by the maintainers with generated blocks
between ``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->``.
The build fills the blocks (column tables from the row models, statistics
from the rows written) and prepends the YAML metadata the Hub reads.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from kimputin_ds.features import _kind, column_table, yaml_features
from kimputin_ds.identity import PACKAGED, Identity
from kimputin_ds.manifest import DataFile
from kimputin_ds.rows import CONFIGS
from kimputin_ds.version import __version__

SPLITS = ("train", "validation", "test")
_BLOCK = re.compile(
    r"(<!-- BEGIN GENERATED: (?P<name>[a-z_]+) -->\n).*?(<!-- END GENERATED: (?P=name) -->)",
    re.DOTALL,
)

#: Hub metadata that does not depend on the build.
CARD_METADATA: dict[str, Any] = {
    "pretty_name": "kimputin_ds: Indonesian news on the Kim Jong Un–Vladimir Putin summits",
    "license": "other",
    "license_name": "annotations-cc-by-4.0-texts-publishers",
    "license_link": "LICENSE",
    "language": ["id"],
    "language_creators": ["found"],
    "annotations_creators": ["expert-generated"],
    "multilinguality": ["monolingual"],
    "size_categories": ["n<1K"],
    "source_datasets": ["original"],
    "task_categories": ["token-classification", "text-classification"],
    "task_ids": [
        "named-entity-recognition",
        "entity-linking-classification",
        "multi-class-classification",
    ],
    "tags": [
        "event-extraction",
        "stance-detection",
        "quote-attribution",
        "news",
        "indonesian",
        "bigbio-kb",
        "croissant",
    ],
}


#: The release's LICENSE file (what the card's ``license_link`` points to).
DATA_LICENSE = """kimputin_ds dataset licensing
=============================

1. Annotations

All annotations in this dataset (every column except documents.text, and the
spans' text copied from it), the entity registry, the card and the Croissant
metadata are released by the kimputin_ds maintainers under the Creative
Commons Attribution 4.0 International license (CC BY 4.0):
https://creativecommons.org/licenses/by/4.0/

2. Article texts

The news articles in documents.text (and the span texts quoted from them)
are copyright of their publishers: Kompas TV, Republika, sijori.id, ANTARA
and Tribunnews. The kimputin_ds maintainers do not own them and grant no
license to them. They are included unmodified and credited, so that the
annotations can be used for research. Any other use of the texts needs the
publishers' permission. Rights holders who object to the inclusion of a text
can ask for its removal.
"""


def label_columns(config: str) -> list[str]:
    """Top-level ClassLabel columns of a config (their counts go into the card)."""
    model = CONFIGS[config]
    return [n for n, i in model.model_fields.items() if _kind(i.annotation)[0] == "label"]


def front_matter(files: Sequence[DataFile]) -> dict[str, Any]:
    """The Hub YAML metadata: fixed fields, configs with data files, dataset_info."""
    by_config: dict[str, dict[str, list[DataFile]]] = {}
    for f in files:  # a split may be sharded into several files
        by_config.setdefault(f.config, {}).setdefault(f.split, []).append(f)
    configs = []
    infos = []
    for config, model in CONFIGS.items():
        splits = by_config.get(config, {})
        configs.append(
            {
                "config_name": config,
                "description": _config_description(config, [f for v in splits.values() for f in v]),
                "data_files": [
                    {"split": s, "path": f"data/{config}/{s}-*.parquet"}
                    for s in SPLITS
                    if s in splits
                ],
                **({"default": True} if config == "quotes" else {}),
            }
        )
        infos.append(
            {
                "config_name": config,
                "features": yaml_features(model),
                "splits": [
                    {
                        "name": s,
                        "num_bytes": sum(f.num_bytes for f in splits[s]),
                        "num_examples": sum(f.num_rows for f in splits[s]),
                    }
                    for s in SPLITS
                    if s in splits
                ],
            }
        )
    return {**CARD_METADATA, "configs": configs, "dataset_info": infos}


def _config_description(config: str, files: Sequence[DataFile]) -> str:
    """The config's description, ending in a fingerprint of its files' content.

    ``datasets`` hashes a README-declared config by its YAML, not by its data
    files, so an unchanged README would let ``load_dataset`` serve rows cached
    from an earlier build. The fingerprint makes every content change a README
    change, hence a new cache key.
    """
    digest = hashlib.sha256(
        "".join(f"{f.path}:{f.sha256}\n" for f in sorted(files, key=lambda f: f.path)).encode()
    ).hexdigest()
    doc = (CONFIGS[config].__doc__ or config).strip().splitlines()[0]
    return f"{doc} Content fingerprint: sha256:{digest[:16]}."


def structure_block() -> str:
    """One section per config with its column table, derived from the row models."""
    parts = []
    for config, model in CONFIGS.items():
        doc = (model.__doc__ or "").strip().splitlines()[0]
        parts.append(f"### `{config}`\n\n{doc}\n\n{column_table(model)}\n")
    return "\n".join(parts)


def statistics_block(
    files: Sequence[DataFile], labels: Mapping[tuple[str, str], Counter[str]]
) -> str:
    """Row counts per config and split, and the label distribution of each label column."""
    rows: Counter[tuple[str, str]] = Counter()
    for f in files:
        rows[(f.config, f.split)] += f.num_rows
    out = ["| config | " + " | ".join(SPLITS) + " | total |", "|---" * (len(SPLITS) + 2) + "|"]
    for config in CONFIGS:
        counts = [rows.get((config, s), 0) for s in SPLITS]
        out.append(f"| `{config}` | " + " | ".join(map(str, counts)) + f" | {sum(counts)} |")
    out.append("")
    out.append("Labels over all splits:")
    out.append("")
    out.append("| config | column | counts |")
    out.append("|---|---|---|")
    for (config, column), counter in sorted(labels.items()):
        text = ", ".join(
            f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        out.append(f"| `{config}` | `{column}` | {text} |")
    return "\n".join(out) + "\n"


def fill_blocks(template: str, blocks: Mapping[str, str]) -> str:
    """Replace each generated block of ``template`` whose name is in ``blocks``.

    >>> fill_blocks("a\\n<!-- BEGIN GENERATED: x -->\\nold\\n<!-- END GENERATED: x -->\\n",
    ...             {"x": "new\\n"})
    'a\\n<!-- BEGIN GENERATED: x -->\\nnew\\n<!-- END GENERATED: x -->\\n'
    """

    def replace(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in blocks:
            return match.group(0)
        return match.group(1) + blocks[name] + match.group(3)

    return _BLOCK.sub(replace, template)


def usage_block(identity: Identity, version: str) -> str:
    """The card's ``load_dataset`` example, for the release's Hub repository and tag.

    >>> print(usage_block(Identity("o/n"), "1.2.3").splitlines()[3])
    quotes = load_dataset("o/n", "quotes", split="train", revision="v1.2.3")
    """
    repo, rev = identity.hub_repo_id, f"v{version}"
    return (
        "```python\n"
        "from datasets import load_dataset\n"
        "\n"
        f'quotes = load_dataset("{repo}", "quotes", split="train", revision="{rev}")\n'
        f'docs = load_dataset("{repo}", "documents", split="train", revision="{rev}")\n'
        'text = {d["doc_id"]: d["text"] for d in docs}\n'
        "q = quotes[0]\n"
        'assert text[q["doc_id"]][q["start"] : q["end"]] == q["text"]\n'
        "```\n"
    )


def repository_block(identity: Identity, version: str) -> str:
    """The card's "Repository" lines: the Hub repository, and the code's where published.

    >>> print(repository_block(Identity("o/n"), "1.0.0").splitlines()[1])
    - **Code repository:** not published yet. The `kimputin_ds` Python package
    """
    hub = (
        f"- **Hub repository:** [{identity.hub_repo_id}]({identity.hub_url}); "
        f"this release is its tag `v{version}`.\n"
    )
    if identity.code_repository is None:
        return hub + (
            "- **Code repository:** not published yet. The `kimputin_ds` Python package\n"
            "  builds this dataset from the annotation files in `seeds/`.\n"
        )
    return hub + (
        f"- **Code repository:** <{identity.code_repository}>: the `kimputin_ds` Python\n"
        "  package that builds this dataset from the annotation files in `seeds/`.\n"
    )


def citation_block(identity: Identity, version: str) -> str:
    """The card's BibTeX: the same entry as Croissant's ``citeAs``."""
    from kimputin_ds.croissant import cite_as

    return f"```bibtex\n{cite_as(version, identity.hub_url)}\n```\n"


def render_readme(
    template: str,
    files: Sequence[DataFile],
    labels: Mapping[tuple[str, str], Counter[str]],
    *,
    identity: Identity = PACKAGED,
    version: str = __version__,
) -> str:
    """The release ``README.md``: YAML front matter, then the filled card body."""
    body = fill_blocks(
        template,
        {
            "structure": structure_block(),
            "statistics": statistics_block(files, labels),
            "usage": usage_block(identity, version),
            "repository": repository_block(identity, version),
            "citation": citation_block(identity, version),
        },
    )
    meta = yaml.safe_dump(front_matter(files), sort_keys=False, allow_unicode=True, width=100)
    return f"---\n{meta}---\n\n{body}"
