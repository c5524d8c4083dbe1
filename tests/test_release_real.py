"""The real seed corpus: a full release built once, read back through datasets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import datasets
import pytest

from conftest import CARD, REPO, SEEDS
from kimputin_ds.build import build_release
from kimputin_ds.card import SPLITS
from kimputin_ds.corpus import discover, load_document
from kimputin_ds.errors import Report
from kimputin_ds.rows import CONFIGS


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    out = tmp_path_factory.mktemp("real") / "release"
    yield build_release(SEEDS, out).output


def test_card_in_the_repo_matches_the_release(release: Path) -> None:
    body = (release / "README.md").read_text(encoding="utf-8").split("---\n", 2)[2].lstrip("\n")
    assert CARD.read_text(encoding="utf-8") == body, "run python scripts/generate_card.py"


def test_every_split_of_every_config_loads(release: Path, tmp_path: Path) -> None:
    texts: dict[str, str] = {}
    for split in SPLITS:
        docs = datasets.load_dataset(
            str(release), "documents", split=split, cache_dir=str(tmp_path)
        )
        texts.update({r["doc_id"]: r["text"] for r in docs})
    assert set(texts) == {p.stem for p in SEEDS.glob("*.txt")}
    for name, text in texts.items():
        assert text == (SEEDS / f"{name}.txt").read_text(encoding="utf-8")
    for config in CONFIGS:
        for split in SPLITS:
            ds = datasets.load_dataset(str(release), config, split=split, cache_dir=str(tmp_path))
            assert ds.num_rows > 0, (config, split)


def test_quote_and_event_offsets_index_the_raw_text(release: Path, tmp_path: Path) -> None:
    texts = {p.stem: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    for split in SPLITS:
        for row in datasets.load_dataset(
            str(release), "quotes", split=split, cache_dir=str(tmp_path)
        ):
            assert texts[row["doc_id"]][row["start"] : row["end"]] == row["text"]
            for part in ("cue", "speaker_mention"):
                if row[part]:
                    span = row[part]
                    assert texts[row["doc_id"]][span["start"] : span["end"]] == span["text"]
        for row in datasets.load_dataset(
            str(release), "events", split=split, cache_dir=str(tmp_path)
        ):
            t = row["trigger"]
            assert texts[row["doc_id"]][t["start"] : t["end"]] == t["text"]


def test_the_2023_summit_is_linked_across_the_seed_articles() -> None:
    report = Report()
    files = discover(SEEDS, report)
    docs_with_summit = set()
    for doc_id in files.doc_ids:
        doc = load_document(SEEDS, doc_id, report)
        assert doc is not None
        if any(e.cross_doc_id == "summit_2023_09_13" for e in doc.annotation.events):
            docs_with_summit.add(doc_id)
    assert report.ok
    # All five seed articles report the summit; an article added later may or may not.
    assert len(docs_with_summit) >= 5


def test_readme_has_exactly_two_setup_commands() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    setup = text.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    blocks = setup.split("```bash")[1:]
    commands = [b.split("```", 1)[0].strip() for b in blocks]
    assert len(commands) == 2
    assert "kimputin_ds.build" in commands[0] and "pytest" in commands[1]
    # .ci/run runs .ci/checks, which runs the test command verbatim (tests/test_ci.py)
    ci = (REPO / ".ci" / "checks").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_croissant_passes_mlcroissant_validate_offline(release: Path) -> None:
    import subprocess
    import sys

    cli = Path(sys.executable).parent / "mlcroissant"
    done = subprocess.run(
        [str(cli), "validate", "--jsonld", str(release / "croissant.json")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "Done." in done.stderr
    assert "warning" not in done.stderr.lower()
