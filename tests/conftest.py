"""Shared fixtures: the small valid corpus under tests/data/corpus, copied to tmp_path."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import Phase, settings

TESTS = Path(__file__).parent
REPO = TESTS.parent
DATA = TESTS / "data"
MINI_CORPUS = DATA / "corpus"
SEEDS = REPO / "seeds"
CARD = REPO / "DATASET_CARD.md"
#: The fixture corpus that uses every field of the scheme.
SNAPSHOT_CORPUS = TESTS / "snapshot" / "corpus"


def document_params(*roots: Path) -> list[object]:
    """``(root, doc_id)`` params for every document of the corpora, read from disk, never listed."""
    return [
        pytest.param(
            root, p.stem, id=f"{root.parent.name if root.name == 'corpus' else root.name}/{p.stem}"
        )
        for root in roots
        for p in sorted(root.glob("*.txt"))
    ]


GUIDELINES = REPO / "docs" / "guidelines.md"

# The mutation script only needs to know that a test fails, not the smallest
# example: shrinking a failure of the generated round trip takes minutes.
settings.register_profile("mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def copy_corpus(source: Path, checkout: Path) -> Path:
    """Copy a corpus to ``checkout/seeds``, with the card template and guidelines beside it."""
    root = checkout / "seeds"
    shutil.copytree(source, root)
    shutil.copy(CARD, checkout / "DATASET_CARD.md")
    (checkout / "docs").mkdir()
    shutil.copy(GUIDELINES, checkout / "docs" / "guidelines.md")
    return root


def load_script(name: str) -> ModuleType:
    """Import ``scripts/<name>.py`` (scripts are not a package), once per session."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the small valid corpus, with the card template and guidelines."""
    return copy_corpus(MINI_CORPUS, tmp_path)


@pytest.fixture(autouse=True)
def _isolated_hf_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep datasets' cache out of the user's home and away from the network."""
    cache = tmp_path_factory.mktemp("hf-cache")
    monkeypatch.setenv("HF_HOME", str(cache))
    monkeypatch.setenv("HF_DATASETS_CACHE", str(cache / "datasets"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")


@pytest.fixture(scope="session")
def seed_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release of the real seed corpus, built once per test session (read-only)."""
    from kimputin_ds.build import build_release

    return build_release(SEEDS, tmp_path_factory.mktemp("seed-release") / "release").output
