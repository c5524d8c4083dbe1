"""The scorer's metrics and tasks, pinned by hand-computed cases."""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kimputin_ds.scoring.metrics import (
    _assignment,
    bootstrap,
    coreference,
    lenient_pairs,
    macro_f1,
    prf,
)
from kimputin_ds.scoring.tasks import TASKS, stance_groups

ALL = frozenset(
    {"entity_type", "entity_id", "entity_ids", "cue", "speaker_id", "type", "arguments"}
) | {
    "status",
    "date",
    "label",
    "holder_id",
}


def scored(task: str, ref: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[str, Any]:
    t = TASKS[task]
    return t.combine([t.count(ref, pred, frozenset(ALL))])


def test_prf_and_its_undefined_cases() -> None:
    assert prf(Counter({"m.tp": 2, "m.fp": 2, "m.fn": 1}), "m") == pytest.approx(
        {"precision": 0.5, "recall": 2 / 3, "f1": 4 / 7}
    )
    # Nothing predicted: precision undefined, recall and F1 zero.
    assert prf(Counter({"m.fn": 3}), "m") == {"precision": None, "recall": 0.0, "f1": 0.0}
    # Nothing to find and nothing predicted: all undefined.
    assert prf(Counter(), "m") == {"precision": None, "recall": None, "f1": None}


def test_lenient_pairs_are_one_to_one_by_largest_overlap() -> None:
    # (0, 10) overlaps both predictions; the larger overlap wins, the other stays unmatched.
    assert lenient_pairs([(0, 10)], [(8, 12), (0, 6)]) == [(0, 1)]
    assert lenient_pairs([(0, 5), (5, 10)], [(0, 10)]) == [(0, 0)]
    assert lenient_pairs([(0, 5)], [(5, 9)]) == []  # touching is not overlapping


def test_macro_f1_averages_the_labels_that_occur() -> None:
    counts = Counter({"g.a.tp": 1, "g.a.fp": 1, "g.b.fn": 1})
    assert macro_f1(counts, "g", ["a", "b", "c"]) == pytest.approx((2 / 3 + 0) / 2)
    assert macro_f1(Counter(), "g", ["a"]) is None


def test_coreference_on_a_hand_computed_example() -> None:
    # key {a,b,c} {d,e}; response {a,b} {c,d,e}
    key = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    response = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
    got = coreference(key, response)
    assert got["muc.recall"] == pytest.approx(2 / 3)
    assert got["muc.precision"] == pytest.approx(2 / 3)
    assert got["b3.recall"] == pytest.approx(11 / 15)
    assert got["b3.precision"] == pytest.approx(11 / 15)
    assert got["ceafe.f1"] == pytest.approx(0.8)
    assert got["conll.f1"] == pytest.approx((2 / 3 + 11 / 15 + 0.8) / 3)


def test_coreference_of_missing_and_extra_mentions() -> None:
    key = {"a": 1, "b": 1}
    got = coreference(key, {"a": 1, "z": 1})  # b missed, z invented
    assert got["b3.recall"] == pytest.approx(0.25)  # (a: 1/2 + b: 0) / 2
    assert got["b3.precision"] == pytest.approx(0.25)  # (a: 1/2 + z: 0) / 2
    assert got["muc.recall"] == 0.0
    empty = coreference(key, {})
    assert empty["muc.recall"] == empty["b3.recall"] == empty["ceafe.recall"] == 0.0
    assert empty["conll.f1"] == 0.0


@given(
    st.lists(
        st.lists(st.integers(0, 9), min_size=1, max_size=4).map(lambda r: [float(x) for x in r]),
        min_size=1,
        max_size=4,
    ).filter(lambda m: len({len(r) for r in m}) == 1)
)
def test_the_assignment_is_the_best_one(weights: list[list[float]]) -> None:
    rows, cols = len(weights), len(weights[0])
    if rows <= cols:
        best = max(
            sum(weights[i][j] for i, j in enumerate(p))
            for p in itertools.permutations(range(cols), rows)
        )
    else:
        best = max(
            sum(weights[i][j] for j, i in enumerate(p))
            for p in itertools.permutations(range(rows), cols)
        )
    assert _assignment(weights) == pytest.approx(best)


def test_bootstrap_is_seeded() -> None:
    def mean(sample: Any) -> dict[str, float | None]:
        return {"m": sum(sample) / len(sample)}

    units = [0.1, 0.5, 0.2, 0.9, 0.3, 0.7, 0.4, 0.05]
    first = bootstrap(units, mean, samples=300, seed=7)
    assert first == bootstrap(units, mean, samples=300, seed=7)
    assert first != bootstrap(units, mean, samples=300, seed=8)
    low, high = first["m"]  # type: ignore[misc]
    assert 0.05 <= low < 0.39 < high <= 0.9


def _m(start: int, end: int, type_: str, entity: str) -> dict[str, Any]:
    return {"doc_id": "d", "start": start, "end": end, "entity_type": type_, "entity_id": entity}


def test_mentions_task() -> None:
    ref = [_m(0, 5, "person", "a"), _m(10, 15, "country", "b"), _m(20, 30, "organization", "c")]
    pred = [
        _m(0, 5, "person", "a"),  # exact
        _m(10, 14, "country", "b"),  # overlap only
        _m(20, 30, "person", "c"),  # exact span, wrong type
        _m(40, 45, "place", "d"),  # spurious
    ]
    got = scored("mentions", ref, pred)
    assert got["span.exact.precision"] == 0.5
    assert got["span.exact.recall"] == pytest.approx(2 / 3)
    assert got["span.exact.f1"] == pytest.approx(4 / 7)
    assert got["span.lenient.precision"] == 0.75
    assert got["span.lenient.recall"] == 1.0
    assert got["typed.exact.precision"] == 0.25
    assert got["typed.exact.recall"] == pytest.approx(1 / 3)
    assert got["type.person.f1"] == pytest.approx(2 / 3)
    assert got["type.organization.f1"] == 0.0
    assert got["linking.accuracy"] == pytest.approx(2 / 3)


def test_a_plural_mention_links_to_all_its_entities_and_has_no_type() -> None:
    plural = {"doc_id": "d", "start": 0, "end": 8, "entity_type": None, "entity_id": None}
    ref = [{**plural, "entity_ids": ["kim", "putin"]}, _m(10, 15, "person", "kim")]
    right = [{**plural, "entity_ids": ["putin", "kim"]}, _m(10, 15, "person", "kim")]
    got = scored("mentions", ref, right)
    assert got["linking.accuracy"] == 1.0
    assert got["typed.exact.precision"] == got["typed.exact.recall"] == 1.0
    wrong = [{**plural, "entity_ids": ["kim"]}, _m(10, 15, "person", "kim")]
    assert scored("mentions", ref, wrong)["linking.accuracy"] == 0.5


def _q(start: int, end: int, cue: tuple[int, int] | None, speaker: str) -> dict[str, Any]:
    return {
        "doc_id": "d",
        "start": start,
        "end": end,
        "cue": None if cue is None else {"start": cue[0], "end": cue[1]},
        "speaker_id": speaker,
    }


def test_quotes_task() -> None:
    ref = [_q(0, 10, (11, 15), "a"), _q(20, 30, None, "b")]
    pred = [_q(0, 10, (11, 15), "a"), _q(22, 30, (31, 35), "c")]
    got = scored("quotes", ref, pred)
    assert (got["content.exact.precision"], got["content.exact.recall"]) == (0.5, 0.5)
    assert got["content.lenient.f1"] == 1.0
    assert got["cue.exact.precision"] == 0.5
    assert got["cue.exact.recall"] == 1.0
    assert got["speaker.accuracy"] == 0.5


def _e(trigger: tuple[int, int], type_: str, status: str, date: str | None, args: Any) -> Any:
    return {
        "doc_id": "d",
        "trigger": {"start": trigger[0], "end": trigger[1]},
        "type": type_,
        "status": status,
        "date": date,
        "arguments": [{"role": r, "start": s, "end": e} for r, s, e in args],
    }


def test_events_task() -> None:
    ref = [
        _e((0, 5), "meeting", "occurred", "2023-09-13", [("agent", 10, 15), ("location", 16, 20)]),
        _e((20, 25), "visit", "planned", None, []),
    ]
    pred = [
        _e((0, 5), "meeting", "occurred", "2023-09-13", [("agent", 10, 15), ("theme", 16, 20)]),
        _e((20, 24), "visit", "planned", None, []),
    ]
    got = scored("events", ref, pred)
    assert got["trigger.identification.f1"] == 0.5
    assert got["trigger.classification.f1"] == 0.5
    assert got["argument.identification.f1"] == 1.0
    assert got["argument.classification.f1"] == 0.5
    assert got["status.accuracy"] == 0.5  # the second trigger was not found
    assert got["time_value.accuracy"] == 1.0  # only the first has a value
    pred[0]["type"] = "visit"
    got = scored("events", ref, pred)
    assert got["trigger.classification.f1"] == 0.0
    assert got["argument.identification.f1"] == 0.0  # arguments are typed by their event


def _s(stance: str, label: str, holder: str, kind: str = "entity") -> dict[str, Any]:
    return {
        "doc_id": "d",
        "stance_id": stance,
        "label": label,
        "holder_id": holder,
        "target_type": kind,
        "target_kind": kind,
    }


def test_stances_task() -> None:
    ref = [_s("s1", "favor", "a"), _s("s2", "against", "b"), _s("s3", "neutral", "c")]
    pred = [_s("s1", "favor", "a"), _s("s2", "favor", "x")]
    got = scored("stances", ref, pred)
    assert got["evaluative.favor.f1"] == pytest.approx(2 / 3)
    assert got["evaluative.against.f1"] == 0.0
    assert got["evaluative.macro_f1"] == pytest.approx(1 / 3)
    assert got["holder.accuracy"] == pytest.approx(1 / 3)


def test_claim_stances_are_scored_on_their_own_labels() -> None:
    truth = stance_groups().get("truth")
    if truth is None:
        pytest.skip("the models define no truth labels for claim targets yet")
    ref = [_s("s1", truth[0], "a", "claim"), _s("s2", truth[1], "a", "claim")]
    pred = [_s("s1", truth[0], "a", "claim"), _s("s2", truth[0], "a", "claim")]
    got = scored("stances", ref, pred)
    assert got[f"truth.{truth[0]}.f1"] == pytest.approx(2 / 3)
    assert got["truth.macro_f1"] == pytest.approx((2 / 3 + 0) / 2)
    assert "evaluative.macro_f1" not in got


def test_crossdoc_task_over_two_documents() -> None:
    def ev(doc: str, start: int, cluster: str | None) -> dict[str, Any]:
        return {
            "doc_id": doc,
            "trigger": {"start": start, "end": start + 1},
            "cross_doc_id": cluster,
        }

    task = TASKS["crossdoc"]
    ref = {
        "d1": [ev("d1", 0, "X"), ev("d1", 2, "X"), ev("d1", 4, "X")],
        "d2": [ev("d2", 0, "Y"), ev("d2", 2, "Y")],
    }
    pred = {
        "d1": [ev("d1", 0, "P"), ev("d1", 2, "P"), ev("d1", 4, "Q")],
        "d2": [ev("d2", 0, "Q"), ev("d2", 2, "Q")],
    }
    got = task.combine([task.count(ref[d], pred[d], frozenset()) for d in ("d1", "d2")])
    assert got["conll.f1"] == pytest.approx((2 / 3 + 11 / 15 + 0.8) / 3)
    # A null cross_doc_id is a singleton: the same event never links to another.
    solo = {"d1": [ev("d1", 0, None), ev("d1", 2, None)]}
    got = task.combine([task.count(solo["d1"], solo["d1"], frozenset())])
    assert got["b3.f1"] == 1.0
    assert got["muc.f1"] is None  # no link to score
