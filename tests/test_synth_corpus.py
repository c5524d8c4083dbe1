"""The synthetic corpus generator writes valid corpora in the real file format."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kimputin_ds.build import build_release
from kimputin_ds.validation import validate_corpus

SCRIPT = Path(__file__).parent.parent / "scripts" / "synth_corpus.py"


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, SCRIPT.with_name(f"{name}.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synth() -> ModuleType:
    return load_script("synth_corpus")


def test_generated_corpus_validates_and_builds(synth: ModuleType, tmp_path: Path) -> None:
    root = tmp_path / "seeds"
    ids = synth.generate(root, 5, seed=7, workers=1)
    assert len(ids) == 5
    assert sorted(p.name for p in root.iterdir()) == sorted(
        [f"{i}{suffix}" for i in ids for suffix in (".txt", ".yaml")]
        + ["entities.yaml", "splits.yaml"]
    )
    assert (tmp_path / "DATASET_CARD.md").is_file()
    report = validate_corpus(root)
    assert report.ok, report.to_text()
    assert len(report) == 0, report.to_text()  # not even a warning
    result = build_release(root, tmp_path / "release")
    assert sum(f.num_rows for f in result.files if f.config == "documents") == 5


def test_documents_are_realistic_in_size(synth: ModuleType) -> None:
    doc_id, text, annotation, used = synth.make_document(0, 3, 3)
    assert doc_id.startswith("003_")
    assert 4_500 <= len(text) <= 6_000
    assert "occurrence:" in annotation and "prefix:" in annotation  # ambiguous spans
    assert "kind: pronoun" in annotation and "parent: q" in annotation
    assert used


# Python >= 3.12 warns when forking a process that has threads (pyarrow's).
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_output_depends_only_on_the_seed(synth: ModuleType, tmp_path: Path) -> None:
    a = synth.generate(tmp_path / "a", 6, seed=1, workers=1)
    b = synth.generate(tmp_path / "b", 6, seed=1, workers=2)
    assert a == b
    for name in sorted(p.name for p in (tmp_path / "a").iterdir()):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert synth.generate(tmp_path / "c", 6, seed=2, workers=1) != a


def test_validation_stages_script_reports_every_stage(
    synth: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "seeds"
    synth.generate(root, 3, seed=1, workers=1)
    module = load_script("validation_stages")
    assert module.main([str(root), "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 documents,")
    stages = [line.split("|")[1].strip() for line in out.splitlines()[3:]]
    assert stages == ["pydantic", "walk", "anchor", "of which str.find", "checks", "total"]


def test_export_stages_script_reports_every_stage(
    synth: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "seeds"
    synth.generate(root, 3, seed=1, workers=1)
    module = load_script("export_stages")
    assert module.main([str(root), "--repeat", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    built = build_release(root, tmp_path / "release")
    rows = sum(f.num_rows for f in built.files)
    assert lines[0] == f"3 documents, {rows} rows, {len(built.files)} files"
    stages = [line.split("|")[1].strip() for line in lines[3:]]
    assert stages == [
        "extract and encode labels",
        "convert to Arrow",
        "write Parquet (the pyarrow lower bound)",
        "total",
    ]


def test_benchmark_targets_and_amdahl_estimates() -> None:
    bench = load_script("benchmark")
    serial, speedup = bench._amdahl(2.0, 8)
    assert serial == 0.0 and speedup == 8.0
    serial, speedup = bench._amdahl(1.6, 8)
    assert serial == pytest.approx(0.25) and speedup == pytest.approx(1 / (0.25 + 0.75 / 8))
    results = {
        name: {"seconds": s, "cpu": c, "rss_mib": 100.0}
        for name, s, c in [
            ("validate_j1", 40.0, 39.0),
            ("validate_j2", 22.0, 41.0),
            ("validate_full", 22.0, 41.0),
            ("revalidate", 1.0, 0.9),
            ("baseline_validate", 50.0, 48.0),
        ]
    }
    _, targets = bench.report(10_000, results, "4512488")
    by_start = {name[:30]: (figures, passed) for name, figures, passed in targets}
    assert by_start["validate: >= 1.7x speed-up fro"] == ("40.00 s / 22.00 s = 1.82x", True)
    assert by_start["re-validation after one edit, "][1] is True  # 1/22
    assert by_start["validate: serial CPU per docum"] == ("3.90 ms / 4.80 ms = 0.81x", False)
    assert all(p is None for n, _, p in targets if n.startswith("(estimate)"))
    # Different reports at 1 and 2 jobs fail the identity target.
    results["validate_j1"]["output_sha256"] = "a" * 64
    results["validate_j2"]["output_sha256"] = "b" * 64
    _, targets = bench.report(10_000, results, "4512488")
    identical = [p for n, _, p in targets if "byte-identical" in n]
    assert identical == [False]


@pytest.mark.slow
def test_benchmark_runs_and_puts_the_edited_corpus_back(tmp_path: Path) -> None:
    import subprocess

    keep = tmp_path / "keep"
    args = [sys.executable, str(SCRIPT.with_name("benchmark.py")), "--docs", "40"]
    args += ["--keep", str(keep), "--only", "validate_j1,validate_j2,validate_full,revalidate"]
    first = subprocess.run(args, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stderr
    corpus = keep / "synth-40-seed0" / "seeds"
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in corpus.iterdir()}
    second = subprocess.run(args, capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stderr
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in corpus.iterdir()} == before
    for name in ("validate_j1", "validate_j2", "validate_full", "revalidate"):
        assert f"| {name} |" in second.stdout
    assert "re-validation after one edit" in second.stdout
    (identical,) = [line for line in second.stdout.splitlines() if "byte-identical" in line]
    assert identical.startswith("| validate: the report is byte-identical at --jobs 1 and --jobs 2")
    assert identical.endswith("| PASS |")
