"""The dataset card: Hub YAML metadata plus the body of ``DATASET_CARD.md``.

``DATASET_CARD.md`` is prose written by the maintainers with generated blocks
between ``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->``.
The build fills the blocks (column tables from the row models, statistics,
examples and every count or list of articles and outlets from the rows
written, the statements of :mod:`kimputin_ds.responsible`, the identity's
names) and prepends the YAML metadata of :mod:`kimputin_ds.card_metadata`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from kimputin_ds.corpus_facts import CorpusFacts
from kimputin_ds.features import _kind, column_table
from kimputin_ds.identity import PACKAGED, Identity
from kimputin_ds.manifest import DataFile
from kimputin_ds.rows import CONFIGS
from kimputin_ds.version import __version__

SPLITS = ("train", "validation", "test")
_BLOCK = re.compile(
    r"(<!-- BEGIN GENERATED: (?P<name>[a-z_]+) -->\n).*?(<!-- END GENERATED: (?P=name) -->)",
    re.DOTALL,
)

#: Longest string, and most list items, an example row shows in full.
EXAMPLE_CHARS = 160
EXAMPLE_ITEMS = 2


def label_columns(config: str) -> list[str]:
    """Top-level ClassLabel columns of a config (their counts go into the card)."""
    model = CONFIGS[config]
    return [n for n, i in model.model_fields.items() if _kind(i.annotation)[0] == "label"]


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

    >>> print(usage_block(Identity("o/n"), "1.2.3").splitlines()[5])
    quotes = load_dataset("o/n", "quotes", split="train", revision="v1.2.3")
    """
    repo, rev = identity.hub_repo_id, f"v{version}"
    return (
        "```python\n"
        "from datasets import load_dataset\n"
        "\n"
        "# The files are gated: accept the terms on the dataset page, then log in\n"
        "# (`hf auth login` or HF_TOKEN) before loading.\n"
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


def licensing_block(facts: CorpusFacts, identity: Identity) -> str:
    """The card's licensing bullets; the publishers are the release's outlets."""
    from kimputin_ds.release_license import ANNOTATION_LICENSE, texts_notice
    from kimputin_ds.responsible import contact

    return (
        "- The **annotations** (everything except the article texts) are released under "
        f"{ANNOTATION_LICENSE}.\n"
        f"- The **article texts**. {texts_notice(facts)} This project does not own them and "
        "grants no license to them; they are included, unmodified and credited, for "
        "research on the annotations. Rights holders who object can ask for a text to be "
        f"removed at <{contact(identity)}>.\n"
    )


def _shorten(value: Any) -> Any:
    """An example value cut to a readable size, saying how much was left out."""
    if isinstance(value, str) and len(value) > EXAMPLE_CHARS:
        return f"{value[:EXAMPLE_CHARS]}… [{len(value) - EXAMPLE_CHARS} more characters]"
    if isinstance(value, list):
        shown = [_shorten(v) for v in value[:EXAMPLE_ITEMS]]
        if len(value) > EXAMPLE_ITEMS:
            shown.append(f"… [{len(value) - EXAMPLE_ITEMS} more]")
        return shown
    if isinstance(value, dict):
        return {k: _shorten(v) for k, v in value.items()}
    return value


def _flat(value: Any) -> bool:
    return not isinstance(value, dict) and (
        not isinstance(value, list) or all(_flat(v) for v in value)
    )


def _json(value: Any, indent: str = "") -> str:
    """JSON with an object's members one per line, and lists of plain values on one line."""
    if _flat(value):
        return json.dumps(value, ensure_ascii=False)
    inner = indent + "  "
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(k)}: {_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    items = [f"{inner}{_json(v, inner)}" for v in value]
    return "[\n" + ",\n".join(items) + f"\n{indent}]"


def instances_block(examples: Mapping[str, Mapping[str, Any]]) -> str:
    """One example row per config (the first of its first split), shortened.

    >>> print(instances_block({"kb": {"id": "x", "passages": [1, 2, 3]}}))
    #### `kb`
    <BLANKLINE>
    ```json
    {
      "id": "x",
      "passages": [1, 2, "… [1 more]"]
    }
    ```
    <BLANKLINE>
    """
    parts = []
    for config in CONFIGS:
        if config not in examples:
            continue
        text = _json(_shorten(dict(examples[config])))
        parts.append(f"#### `{config}`\n\n```json\n{text}\n```\n")
    return "\n".join(parts)


def render_readme(
    template: str,
    files: Sequence[DataFile],
    labels: Mapping[tuple[str, str], Counter[str]],
    *,
    facts: CorpusFacts,
    examples: Mapping[str, Mapping[str, Any]],
    identity: Identity = PACKAGED,
    version: str = __version__,
) -> str:
    """The release ``README.md``: YAML front matter, then the filled card body.

    Args:
        template: The card body with its generated blocks (``DATASET_CARD.md``).
        files: The Parquet files written.
        labels: Label counts per (config, column).
        facts: The articles of the release.
        examples: One row per config, with label names, for "Data Instances".
        identity: The Hub and code repositories the card names.
        version: The release version.
    """
    from kimputin_ds.benchmark_card import token_recipe_block
    from kimputin_ds.card_metadata import check_card, front_matter
    from kimputin_ds.responsible import card_blocks

    body = fill_blocks(
        template,
        {
            "structure": structure_block(),
            "statistics": statistics_block(files, labels),
            "usage": usage_block(identity, version),
            "repository": repository_block(identity, version),
            "citation": citation_block(identity, version),
            "instances": instances_block(examples),
            "licensing": licensing_block(facts, identity),
            "token_recipe": token_recipe_block(identity, version),
            **card_blocks(facts, identity),
        },
    )
    text = f"---\n{front_matter(files)}---\n\n{body}"
    check_card(text, files)
    return text
