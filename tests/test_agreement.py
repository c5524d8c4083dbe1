"""The agreement figures in the card are the ones the script measures now."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from conftest import CARD, REPO


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


def test_card_and_report_hold_the_current_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agreement = _script()
    out = tmp_path / "report.json"
    assert agreement.main(["--json", str(out)]) == 0
    block = capsys.readouterr().out.split("\n\n\n")[0].strip()
    committed = json.loads((REPO / "agreement" / "report.json").read_text(encoding="utf-8"))
    assert json.loads(out.read_text(encoding="utf-8")) == committed, "rerun scripts/agreement.py"
    assert block in CARD.read_text(encoding="utf-8"), "rerun scripts/agreement.py --update-card"
