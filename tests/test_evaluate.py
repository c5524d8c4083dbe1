"""The scorer end to end: the reference against itself, empty and bad predictions, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kimputin_ds.errors import KimputinError
from kimputin_ds.evaluate import main
from kimputin_ds.scoring import TASKS, score
from kimputin_ds.scoring.tables import read_reference


def test_the_reference_scores_one_everywhere_against_itself(seed_release: Path) -> None:
    result = score(seed_release, seed_release, split="all", samples=50)
    assert {t.task for t in result.tasks} == set(TASKS)
    for task in result.tasks:
        assert task.metrics, task.task
        for name, value in task.metrics.items():
            assert value == 1.0, (task.task, name)
            assert task.intervals[name] == (1.0, 1.0), (task.task, name)


def test_empty_predictions_score_zero_recall(seed_release: Path, tmp_path: Path) -> None:
    for config in ("mentions", "quotes", "events", "stances"):
        (tmp_path / f"{config}.jsonl").write_text("", encoding="utf-8")
    result = score(seed_release, tmp_path, split="all", samples=20)
    assert {t.task for t in result.tasks} == set(TASKS)
    recalls = {
        (t.task, name): value
        for t in result.tasks
        for name, value in t.metrics.items()
        if name.endswith(("recall", "accuracy", "macro_f1", "conll.f1"))
    }
    assert recalls
    assert all(v == 0.0 for v in recalls.values()), recalls


def _jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_bad_predictions_are_located_by_file_and_row(seed_release: Path, tmp_path: Path) -> None:
    ref = read_reference(seed_release)
    doc = next(iter(ref.texts))
    n = len(ref.texts[doc])
    _jsonl(
        tmp_path / "quotes.jsonl",
        [
            {"doc_id": doc, "start": 0, "end": 5, "kind": "direct"},
            {"doc_id": "no_such_doc", "start": 0, "end": 5},
            {"doc_id": doc, "start": n - 1, "end": n + 10},
            {"doc_id": doc, "start": 0, "end": 5, "kind": "shouted"},
            {"doc_id": doc, "end": 5},
        ],
    )
    with pytest.raises(KimputinError) as info:
        score(seed_release, tmp_path, tasks=["quotes"], split="all")
    lines = info.value.report.to_text().splitlines()
    text = "\n".join(lines)
    where = str(tmp_path / "quotes.jsonl")
    assert f"{where}:2:0: doc_id: unknown document 'no_such_doc'" in text
    assert f"{where}:3:0: start: offsets {n - 1}-{n + 10} out of range" in text
    assert f"{where}:4:0: kind: unknown label 'shouted'" in text
    assert f"{where}:5:0: missing column(s) start" in text
    assert len(lines) == 4


def test_a_stance_prediction_must_name_a_reference_stance(
    seed_release: Path, tmp_path: Path
) -> None:
    doc = next(iter(read_reference(seed_release).texts))
    _jsonl(tmp_path / "stances.jsonl", [{"doc_id": doc, "stance_id": "s999", "label": "favor"}])
    with pytest.raises(KimputinError) as info:
        score(seed_release, tmp_path, tasks=["stances"], split="all")
    assert "unknown stance_id 's999'" in info.value.report.to_text()


def test_a_single_test_document_gets_the_stability_warning(seed_release: Path) -> None:
    result = score(seed_release, seed_release, tasks=["quotes"], split="test", samples=10)
    assert len(result.documents) == 1
    assert any("not stable" in note for note in result.notes)
    assert all(ci is None for ci in result.tasks[0].intervals.values())


def test_main_prints_a_table_or_json(
    seed_release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--reference", str(seed_release), "--predictions", str(seed_release)]
    assert main([*args, "--task", "quotes", "--split", "all", "--bootstrap", "20"]) == 0
    out = capsys.readouterr().out
    assert "content.exact.f1" in out
    assert "not stable" in out
    assert main([*args, "--task", "events", "--format", "json", "--bootstrap", "20"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tasks"]["events"]["metrics"]["trigger.identification.f1"]["value"] == 1.0
    assert main(["--reference", str(tmp_path), "--predictions", str(seed_release)]) == 1
    assert "not a release directory" in capsys.readouterr().err


@pytest.mark.slow
def test_python_m_entry_point(seed_release: Path, tmp_path: Path) -> None:
    _jsonl(tmp_path / "quotes.jsonl", [{"doc_id": "nope", "start": 0, "end": 1}])
    bad = subprocess.run(
        [sys.executable, "-m", "kimputin_ds.evaluate", "--reference", str(seed_release),
         "--predictions", str(tmp_path), "--split", "all"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert bad.returncode == 1
    assert "quotes.jsonl:1:0: doc_id: unknown document 'nope'" in bad.stderr
    assert "Traceback" not in bad.stderr
    good = subprocess.run(
        [sys.executable, "-m", "kimputin_ds.evaluate", "--reference", str(seed_release),
         "--predictions", str(seed_release), "--task", "crossdoc", "--bootstrap", "10"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert good.returncode == 0, good.stderr
    assert "conll.f1" in good.stdout
