"""Reading a release without datasets: label names, and the README's DuckDB and pandas code."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import datasets
import pytest

from conftest import REPO
from kimputin_ds import label_names
from kimputin_ds.version import __version__


@pytest.fixture(scope="module")
def release(seed_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed release where the build command writes it: ``dist/<version>`` (a link)."""
    dist = tmp_path_factory.mktemp("query") / "dist"
    dist.mkdir()
    (dist / __version__).symlink_to(seed_release, target_is_directory=True)
    return dist / __version__


def class_labels(feature: object, path: str = "") -> dict[str, list[str]]:
    """Every ClassLabel of a datasets feature, by dotted path, as datasets sees them."""
    if isinstance(feature, datasets.ClassLabel):
        return {path: feature.names}
    if isinstance(feature, datasets.List | datasets.Sequence):
        return class_labels(feature.feature, path)
    if isinstance(feature, dict):
        return {
            k: v
            for name, sub in feature.items()
            for k, v in class_labels(sub, f"{path}.{name}" if path else name).items()
        }
    return {}


def test_label_names_match_what_datasets_reads(release: Path, tmp_path: Path) -> None:
    configs = sorted(p.name for p in (release / "data").iterdir())
    checked = 0
    for config in configs:
        ds = datasets.load_dataset(str(release), config, split="train", cache_dir=str(tmp_path))
        for column, names in class_labels(ds.features).items():
            assert label_names(release, config, column) == names, (config, column)
            checked += 1
    assert checked >= 5


def test_unknown_columns_and_configs_are_named(release: Path) -> None:
    with pytest.raises(ValueError, match="label columns: kind, speaker_reference"):
        label_names(release, "quotes", "speaker_name")
    with pytest.raises(ValueError, match="configs: documents"):
        label_names(release, "quote", "kind")


def readme_python_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    using = text.split("## Using the dataset", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", using, flags=re.S)


@pytest.mark.parametrize("index", range(len(readme_python_blocks())))
def test_readme_examples_run_as_scripts_and_print(release: Path, index: int) -> None:
    """Each example, run as a script from where the build command writes dist/."""
    code = readme_python_blocks()[index]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=release.parent.parent,
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "the example prints nothing"
    if "duckdb" in code:
        assert "speaker_name" in done.stdout and "indirect" in done.stdout
