"""The agreement script: its measures, the blind-2.0 format, and the card's figures."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from conftest import CARD, REPO, SEEDS
from kimputin_ds.corpus import load_document
from kimputin_ds.errors import Report


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("agreement", REPO / "scripts" / "agreement.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_kappa_and_f1() -> None:
    agreement = _script()
    assert agreement.kappa([("a", "a"), ("b", "b")]) == pytest.approx(1.0)
    assert agreement.kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)
    assert agreement.f1(4, 2, 2) == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3)}


def _seed(doc_id: str | None = None) -> object:
    ids = sorted(p.stem for p in SEEDS.glob("*.txt"))
    doc = load_document(SEEDS, doc_id or ids[0], Report())
    assert doc is not None
    return doc


def test_the_curated_annotation_agrees_with_itself() -> None:
    agreement = _script()
    doc = _seed()
    tally = agreement.Tally()
    blind = json.loads(json.dumps(agreement.to_blind(doc)))
    assert agreement.format_problems(blind) == []
    agreement.compare(doc, blind, tally)
    summary = tally.summary()
    assert {v["f1"] for v in summary["spans"].values()} == {1.0}
    assert {v["agreement"] for v in summary["labels"].values()} == {1.0}
    assert tally.disagreements == []


def test_a_changed_label_and_a_dropped_argument_are_counted() -> None:
    agreement = _script()
    doc = _seed()
    blind = json.loads(json.dumps(agreement.to_blind(doc)))
    stance = blind["stances"][0]
    stance["label"] = "deny" if stance["label"] != "deny" else "support"
    event = next(e for e in blind["events"] if any(a["entity"] for a in e["arguments"]))
    event["arguments"] = [a for a in event["arguments"] if not a["entity"]]
    tally = agreement.Tally()
    agreement.compare(doc, blind, tally)
    summary = tally.summary()
    assert summary["labels"]["stance_label"]["agreement"] < 1.0
    assert summary["spans"]["event_argument"]["recall"] < 1.0
    assert summary["spans"]["event_argument"]["precision"] == 1.0
    assert any("stance_label" in d for d in tally.disagreements)


def test_a_file_of_the_old_format_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agreement = _script()
    old = next((REPO / "agreement" / "blind").glob("*.json"))
    (tmp_path / old.name).write_bytes(old.read_bytes())
    assert agreement.main(["--blind", str(tmp_path)]) == 1
    assert "not a blind-2.0 file" in capsys.readouterr().out


def test_card_and_report_hold_the_current_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agreement = _script()
    assert agreement.card_block() in CARD.read_text(encoding="utf-8"), (
        "rerun scripts/agreement.py --update-card"
    )
    committed = REPO / "agreement" / "report.json"
    if committed.exists():
        out = tmp_path / "report.json"
        assert agreement.main(["--json", str(out)]) == 0
        assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
            committed.read_text(encoding="utf-8")
        ), "rerun scripts/agreement.py --json agreement/report.json"


def test_check_accepts_the_curated_annotation_and_names_each_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agreement = _script()
    doc = _seed()
    blind = agreement.to_blind(doc)
    (tmp_path / f"{doc.doc_id}.json").write_text(json.dumps(blind), encoding="utf-8")
    assert agreement.main(["--check", str(tmp_path)]) == 0
    blind["events"][0]["status"] = "happened"
    blind["quotes"][0]["content"]["text"] = "no such text in the article"
    blind["stances"][0]["label"] = "deny" if blind["stances"][0]["target"].get("entity") else "x"
    (tmp_path / f"{doc.doc_id}.json").write_text(json.dumps(blind), encoding="utf-8")
    capsys.readouterr()
    assert agreement.main(["--check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "events[0].status: 'happened'" in out
    assert "quotes[0].content:" in out
    assert "stances[0].label:" in out
