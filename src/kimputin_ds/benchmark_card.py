"""The card's generated benchmark prose: the token-classification recipe.

The Benchmark table itself is written by ``scripts/baselines.py
--write-card`` (:func:`kimputin_ds.baselines.benchmark_block`), because it
needs the baselines to run; the recipe depends only on the release's
identity and version and the ``tokens`` layers, so the build fills it.
"""

from __future__ import annotations

from kimputin_ds.identity import Identity
from kimputin_ds.tokens import LAYERS

__all__ = ["token_recipe_block"]


def token_recipe_block(identity: Identity, version: str) -> str:
    """The ``datasets`` plus ``transformers`` recipe for a token classifier on ``tokens``.

    >>> print(token_recipe_block(Identity("o/n"), "1.2.3").splitlines()[4])
    ds = load_dataset("o/n", "tokens", revision="v1.2.3")
    """
    column = LAYERS["mentions"].column
    return (
        "```python\n"
        "from datasets import load_dataset\n"
        "from transformers import AutoModelForTokenClassification, AutoTokenizer\n"
        "\n"
        f'ds = load_dataset("{identity.hub_repo_id}", "tokens", revision="v{version}")\n'
        f'names = ds["train"].features["{column}"].feature.names  # O, B-person, I-person, ...\n'
        'checkpoint = "indobenchmark/indobert-base-p1"  # any encoder with a fast tokenizer\n'
        "tokenizer = AutoTokenizer.from_pretrained(checkpoint)\n"
        "\n"
        "\n"
        "def align(batch):\n"
        '    enc = tokenizer(batch["tokens"], is_split_into_words=True, truncation=True)\n'
        '    enc["labels"] = [\n'
        "        [-100 if w is None else tags[w] for w in enc.word_ids(i)]\n"
        f'        for i, tags in enumerate(batch["{column}"])\n'
        "    ]\n"
        "    return enc\n"
        "\n"
        "\n"
        'train = ds["train"].map(align, batched=True)\n'
        "model = AutoModelForTokenClassification.from_pretrained(\n"
        "    checkpoint, num_labels=len(names), id2label=dict(enumerate(names))\n"
        ")\n"
        "# then transformers.Trainer with DataCollatorForTokenClassification, as in run_ner.py;\n"
        "# decode predicted tags with kimputin_ds.bio.decode_bio and score the spans with\n"
        "# kimputin_ds.evaluate (or score the tags with seqeval, exact match).\n"
        "```\n"
    )
