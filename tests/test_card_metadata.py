"""The card's metadata and prose tell the truth, and are derived from the corpus."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import datasets
import pytest
import yaml
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCard

from conftest import REPO, SEEDS, copy_corpus
from kimputin_ds.build import build_release, data_path
from kimputin_ds.card import SPLITS
from kimputin_ds.card_metadata import GATING, HUB_FIELDS, check_card
from kimputin_ds.newdoc import add_article
from kimputin_ds.publish import parse_front_matter
from kimputin_ds.rows import CONFIGS

#: Subtasks of the two task categories, from the Hub's list (huggingface.js
#: packages/tasks/src/pipelines.ts).
HUB_SUBTASKS = {
    "token-classification": {
        "named-entity-recognition",
        "part-of-speech",
        "parsing",
        "lemmatization",
        "word-sense-disambiguation",
        "coreference-resolution",
    },
    "text-classification": {
        "acceptability-classification",
        "entity-linking-classification",
        "fact-checking",
        "intent-classification",
        "language-identification",
        "multi-class-classification",
        "multi-label-classification",
        "multi-input-text-classification",
        "natural-language-inference",
        "semantic-similarity-classification",
        "sentiment-classification",
        "topic-classification",
        "semantic-similarity-scoring",
        "sentiment-scoring",
        "sentiment-analysis",
        "hate-speech-detection",
        "text-scoring",
    },
}


def _resource(name: str) -> Any:
    return json.loads(resources.files("datasets.utils.resources").joinpath(name).read_text())


@pytest.fixture
def release(corpus: Path, tmp_path: Path) -> Path:
    return build_release(corpus, tmp_path / "release").output


def _meta(release: Path) -> dict[str, Any]:
    return parse_front_matter((release / "README.md").read_text(encoding="utf-8"))


def test_hub_values_are_on_the_hub_lists(release: Path) -> None:
    meta = _meta(release)
    creators = _resource("creators.json")
    assert set(meta["annotations_creators"]) <= set(creators["annotations"])
    assert set(meta["language_creators"]) <= set(creators["language"])
    assert set(meta["language"]) <= set(_resource("languages.json"))
    assert set(meta["multilinguality"]) <= set(_resource("multilingualities.json"))
    assert set(meta["size_categories"]) <= set(_resource("size_categories.json"))
    allowed = set().union(*(HUB_SUBTASKS[c] for c in meta["task_categories"]))
    assert set(meta["task_ids"]) <= allowed
    assert "entity-linking-classification" not in meta["task_ids"]
    assert "coreference-resolution" in meta["task_ids"]


def test_provenance_metadata_is_honest(release: Path) -> None:
    meta = _meta(release)
    assert "machine-generated" in meta["annotations_creators"]
    assert "expert-generated" not in meta["annotations_creators"]
    card = (release / "README.md").read_text(encoding="utf-8")
    assert "no human has reviewed the annotations yet" in card
    assert "### Review status" in card and "A human reviewer should check" in card


def test_tags_do_not_repeat_other_fields(release: Path) -> None:
    meta = _meta(release)
    other = {
        *meta["language"],
        *meta["task_categories"],
        *meta["task_ids"],
        "indonesian",
        "croissant",
        "parquet",
    }
    assert not set(meta["tags"]) & other
    assert len(set(meta["tags"])) == len(meta["tags"])


def test_dataset_info_has_the_sizes_datasets_reads(release: Path) -> None:
    meta = _meta(release)
    infos = DatasetInfosDict.from_dataset_card_data(meta)
    manifest = json.loads((release / "checksums.json").read_text(encoding="utf-8"))["files"]
    for config in CONFIGS:
        info = infos[config]
        parquet = [p for p in manifest if p.startswith(f"data/{config}/")]
        assert info.download_size == sum(manifest[p]["size"] for p in parquet)
        assert info.dataset_size == sum(s.num_bytes for s in info.splits.values())
        assert info.dataset_size > 0
        builder = datasets.load_dataset_builder(str(release), config)
        assert builder.info.features == info.features


def test_the_card_is_read_back_by_huggingface_hub(corpus: Path, tmp_path: Path) -> None:
    result = build_release(corpus, tmp_path / "release")
    text = (result.output / "README.md").read_text(encoding="utf-8")
    card = DatasetCard(text, ignore_metadata_errors=False)
    for key, value in {**HUB_FIELDS, **GATING}.items():
        assert card.data[key] == value, key
    check_card(text, result.files)
    tampered = text.replace("machine-generated", "expert-generated", 1)
    with pytest.raises(ValueError, match="does not read back"):
        check_card(tampered, result.files)


def test_hub_validation_is_sent_the_card(release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``DatasetCard.validate`` asks the Hub; tested up to the request, with no network."""
    from huggingface_hub import repocard

    sent: dict[str, Any] = {}

    class Response:
        status_code = 200

        def raise_for_status(self) -> None:
            pass

    class Session:
        def post(self, url: str, json: dict[str, Any], headers: dict[str, str]) -> Response:
            sent.update(url=url, body=json)
            return Response()

    monkeypatch.setattr(repocard, "get_session", Session)
    monkeypatch.setattr(repocard, "hf_raise_for_status", lambda response: None)
    text = (release / "README.md").read_text(encoding="utf-8")
    DatasetCard(text).validate()
    assert sent["url"].endswith("/api/validate-yaml")
    assert sent["body"]["repoType"] == "dataset"
    assert DatasetCard(sent["body"]["content"]).data == DatasetCard(text).data


def test_gating_is_declared_and_explained(release: Path) -> None:
    meta = _meta(release)
    assert meta["extra_gated_prompt"] and meta["extra_gated_fields"]
    assert list(meta["extra_gated_fields"].values()) == ["checkbox"]
    card = (release / "README.md").read_text(encoding="utf-8")
    access = card.split("## Access", 1)[1].split("\n## ", 1)[0]
    assert "gated" in access and "automatic approval" in access and "because" in access


def test_card_has_the_template_sections(release: Path) -> None:
    card = (release / "README.md").read_text(encoding="utf-8")
    for heading in (
        "### Curation rationale",
        "### Data instances",
        "### Source data",
        "### Annotation process",
        "### Personal and sensitive information",
        "## Bias, risks and limitations",
        "### Recommendations",
        "## Maintenance and contact",
        "## Citation",
    ):
        assert f"\n{heading}\n" in card, heading
    assert "/discussions" in card.split("## Maintenance and contact", 1)[1]


def test_data_instances_show_the_first_row_of_each_config(release: Path, tmp_path: Path) -> None:
    card = (release / "README.md").read_text(encoding="utf-8")
    block = card.split("<!-- BEGIN GENERATED: instances -->", 1)[1].split("<!-- END", 1)[0]
    shown = {
        part.split("`", 1)[0]: json.loads(part.split("```json\n", 1)[1].split("\n```", 1)[0])
        for part in block.split("#### `")[1:]
    }
    assert list(shown) == list(CONFIGS)
    for config, example in shown.items():
        first_split = next(s for s in SPLITS if (release / data_path(config, s)).is_file())
        ds = datasets.load_dataset(str(release), config, split=first_split, cache_dir=str(tmp_path))
        row = ds[0]
        assert list(example) == list(row), config
        for column, value in example.items():
            feature = ds.features[column]
            if isinstance(feature, datasets.ClassLabel) and value is not None:
                assert feature.str2int(value) == row[column], (config, column)
            elif isinstance(value, (int, bool)) or value is None:
                assert value == row[column], (config, column)


#: The 1.0.0 columns that scheme 2.0 replaced (major version; see the CHANGELOG's
#: migration note), with their replacement. Every other 1.0.0 column must still load.
REPLACED_IN_2_0 = {"stances.target_type": "stances.target_kind"}


def test_release_loads_as_1_0_0_did_plus_new_columns(release: Path, tmp_path: Path) -> None:
    """Every 1.0.0 column still loads with its type; label sets only grow at the end."""
    before = json.loads((REPO / "tests" / "data" / "release_1.0.0_features.json").read_text())
    assert list(before) == [c for c in CONFIGS if c in before]
    for old, new in REPLACED_IN_2_0.items():
        config, column = old.split(".")
        assert before[config].pop(column), old
        assert new.split(".")[1] in CONFIGS[config].model_fields, new

    def same(old: Any, new: Any, where: str) -> None:
        if isinstance(old, dict) and old.get("_type") == "ClassLabel":
            assert new["_type"] == "ClassLabel", where
            assert new["names"][: len(old["names"])] == old["names"], where
        elif isinstance(old, dict) and "_type" in old:
            assert new["_type"] == old["_type"], where
            for key in old:
                if key != "_type":
                    same(old[key], new[key], f"{where}.{key}")
        elif isinstance(old, dict):
            for key in old:
                assert key in new, f"{where}.{key} is gone"
                same(old[key], new[key], f"{where}.{key}")
        else:
            assert old == new, where

    for config, features in before.items():
        split = next(s for s in SPLITS if (release / data_path(config, s)).is_file())
        ds = datasets.load_dataset(str(release), config, split=split, cache_dir=str(tmp_path))
        same(features, ds.features.to_dict(), config)
    documents = datasets.load_dataset(
        str(release), "documents", split="train", cache_dir=str(tmp_path)
    )
    assert {"url", "retrieved_at"} <= set(documents.column_names)


# --- derived, never stale (issue 12 §3) --------------------------------------


def test_a_new_article_updates_the_card_license_and_croissant(tmp_path: Path) -> None:
    """Issue 12 §3: add an article the contributor's way; every count and list follows."""
    import datetime

    root = copy_corpus(SEEDS, tmp_path)
    before = build_release(root, tmp_path / "before").output
    n = len(list(root.glob("*.txt")))
    # A day after the corpus's latest article, so that the date range must grow
    # whatever articles the corpus holds by then.
    latest = max(
        yaml.safe_load(p.read_text(encoding="utf-8"))["metadata"]["published"]["value"]
        for p in root.glob("*.yaml")
        if p.name not in ("entities.yaml", "splits.yaml", "claims.yaml")
    )
    published = (datetime.date.fromisoformat(latest) + datetime.timedelta(days=1)).isoformat()
    text = tmp_path / "artikel.txt"
    text.write_text(
        "Presiden Rusia bertemu pemimpin Korea Utara di Vladivostok pada Rabu.\n",
        encoding="utf-8",
    )
    doc_id = add_article(root, text, outlet="Koran Uji", published=published, split="train").doc_id
    after = build_release(root, tmp_path / "after").output

    card_before = (before / "README.md").read_text(encoding="utf-8")
    card = (after / "README.md").read_text(encoding="utf-8")
    license_text = (after / "LICENSE").read_text(encoding="utf-8")
    croissant = json.loads((after / "croissant.json").read_text(encoding="utf-8"))

    from kimputin_ds.corpus_facts import number

    assert f"holds {number(n)} articles from" in card_before
    assert f"holds {number(n + 1)} articles from" in card
    assert "Koran Uji" not in card_before and "Koran Uji" not in (before / "LICENSE").read_text()
    licensing = card.split("## Licensing", 1)[1].split("\n## ", 1)[0]
    assert "Koran Uji" in licensing
    assert "Koran Uji" in " ".join(license_text.split())
    from kimputin_ds.corpus_facts import long_date

    assert f"`{doc_id}` (Koran Uji, {long_date(published)})" in card
    assert f"and {long_date(published)}" in card
    assert f"and {long_date(published)}" not in card_before
    assert "Koran Uji" in croissant["license"][1]["description"]
    assert f"{number(n + 1)} articles" in croissant["rai:dataCollection"]


def test_the_statistics_count_zero_rows_for_a_split_without_a_file() -> None:
    from kimputin_ds.card import statistics_block
    from kimputin_ds.manifest import DataFile

    files = [DataFile("documents", "train", "data/documents/train.parquet", "0" * 64, 1, 3, 10)]
    lines = statistics_block(files, {}).splitlines()
    assert "| `documents` | 3 | 0 | 0 | 3 |" in lines
    assert "| `quotes` | 0 | 0 | 0 | 0 |" in lines
