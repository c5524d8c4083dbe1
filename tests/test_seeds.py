"""The raw articles are byte-exact copies and stay that way."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conftest import REPO, SEEDS

# sha256 of the five original articles as collected; a change here means a
# raw text was edited, normalised or re-encoded, which is never allowed.
EXPECTED_SHA256 = {
    "000_c523628f00a85caf.txt": "385aac902759bba1c2c8bf27bac883f874ece9f5c347417d4f6640d487664509",
    "001_cc3d7921bd75e296.txt": "5ef68e12aac689574b493d5cd415f39857d1d12ccac6cc370e253189ce765291",
    "002_793bd406832c2a25.txt": "b4117e39c52abca2246ae95a7a61c58234390f70a658992fe7a805cb550a4d41",
    "003_a749a76889ea1f7c.txt": "4c0f1356039c59801331feb6ab0253a75b0ebabef4ba0218327172cb559ee937",
    "004_67986ba2cff24322.txt": "56ea24c620823427aeb4daa78f2f6c814f665cca3c42faade1d39f98835d8b16",
}
SHARED = REPO.parent / "shared" / "seeds"


def test_seed_texts_are_exactly_the_collected_articles() -> None:
    found = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.glob("*.txt")}
    assert found == EXPECTED_SHA256


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared/seeds is not beside this checkout")
def test_seed_texts_match_the_shared_originals() -> None:
    for name in EXPECTED_SHA256:
        assert (SEEDS / name).read_bytes() == (SHARED / name).read_bytes(), name


def test_every_text_has_its_annotation_file() -> None:
    texts = {p.stem for p in SEEDS.glob("*.txt")}
    annotations = {p.stem for p in SEEDS.glob("*.yaml")} - {"entities", "claims", "splits"}
    assert texts == annotations


def test_seed_annotation_files_point_editors_at_the_schema() -> None:
    for path in sorted(SEEDS.glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../schema/"), path.name
        assert (SEEDS / Path(first.split("=", 1)[1])).resolve().is_file(), path.name
