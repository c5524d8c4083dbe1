"""Errors stay fast: the near-miss search for spans not found is bounded per text."""

from __future__ import annotations

import pytest

from kimputin_ds import anchoring
from kimputin_ds.anchoring import HINT_BUDGET, Anchorer, AnchorError


def test_the_near_miss_search_is_bounded_per_text(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = "Kim bertemu Putin di Vostochny.\n" * 40_000  # 1.3 MB
    searched: list[str] = []
    hint = anchoring._not_found_hint

    def counting(raw: str, text: str) -> str:
        searched.append(text)
        return hint(raw, text)

    monkeypatch.setattr(anchoring, "_not_found_hint", counting)
    anchorer = Anchorer(raw)
    hints = []
    for i in range(30):
        with pytest.raises(AnchorError) as info:
            anchorer.anchor(f"Kim tidak bertemu {i}")
        hints.append(info.value.hint)
    assert len(searched) == HINT_BUDGET // len(raw) > 0
    assert all("nearest text" in h for h in hints[: len(searched)])  # still useful
    assert set(hints[len(searched) :]) == {anchoring._UNSEARCHED_HINT}


def test_ambiguous_spans_name_their_lines() -> None:
    anchorer = Anchorer("ia\nkata ia\n\nia")
    with pytest.raises(AnchorError, match=r"occurs 3 times \(lines 1, 2, 4\)"):
        anchorer.anchor("ia")
