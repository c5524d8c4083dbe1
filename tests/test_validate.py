"""Validator behaviour on the mini corpus and on mutated annotation files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from conftest import MINI_CORPUS, SEEDS
from kimputin_ds.corpus import _span_fields, iter_span_refs, read_model
from kimputin_ds.errors import Report
from kimputin_ds.models import AnnotationFile, EntityRegistry, SpanRef, SplitAssignment
from kimputin_ds.validate import main
from kimputin_ds.validation import (
    CorpusState,
    ScheduledCollection,
    check_cross_document,
    check_splits,
    checked_documents,
    open_corpus,
    validate_corpus,
)


def test_mini_corpus_is_valid() -> None:
    report = validate_corpus(MINI_CORPUS)
    assert report.ok, report.to_text()


def test_seed_corpus_is_valid() -> None:
    report = validate_corpus(SEEDS)
    assert report.ok, report.to_text()


def test_cli_exit_codes_and_json(corpus: Path, capsys: Any) -> None:
    assert main([str(corpus)]) == 0
    (corpus / "doc_b.yaml").write_text("- 1\n", encoding="utf-8")
    assert main([str(corpus), "--format", "json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False
    assert out["issues"][0]["line"] == 1
    assert out["issues"][0]["path"].endswith("doc_b.yaml")


def test_strict_turns_warnings_into_failure(corpus: Path) -> None:
    (corpus / "notes.md").write_text("x\n", encoding="utf-8")
    assert main([str(corpus)]) == 0
    assert main([str(corpus), "--strict"]) == 1


def test_all_problems_are_reported_at_once(corpus: Path) -> None:
    (corpus / "doc_b.yaml").write_text("[", encoding="utf-8")
    (corpus / "doc_c.yaml").write_text("schema_version: '2.0'\n", encoding="utf-8")
    report = validate_corpus(corpus)
    files = {Path(i.path).name for i in report.errors}
    assert {"doc_b.yaml", "doc_c.yaml"} <= files


def test_checked_documents_yields_only_the_documents_without_errors(corpus: Path) -> None:
    doc_a, doc_b = corpus / "doc_a.yaml", corpus / "doc_b.yaml"
    # doc_a: a warning only (an arrival with no destination and no reason)
    reason = "    missing_roles: {destination: Peskov does not say where Kim will arrive.}\n"
    text = doc_a.read_text(encoding="utf-8")
    assert reason in text
    doc_a.write_text(text.replace(reason, ""), "utf-8")
    # doc_b: an error found by the checks (the file itself loads and anchors)
    text = doc_b.read_text(encoding="utf-8")
    doc_b.write_text(text.replace("{entity: vladimir_putin}", "{entity: vladimir_putn}"), "utf-8")
    report = Report()
    run = open_corpus(corpus, report)
    yielded = [doc.doc_id for doc in checked_documents(run, report)]
    assert yielded == ["doc_a", "doc_c"]
    assert run.state.doc_ids == ["doc_a", "doc_b", "doc_c"]  # every checked document counts
    assert [(Path(i.path).name, i.code) for i in report.errors] == [("doc_b.yaml", "dangling_ref")]
    warnings = [i for i in report.issues if i.severity == "warning"]
    assert [(Path(i.path).name, i.code) for i in warnings] == [("doc_a.yaml", "core_role")]


def test_unused_entities_are_located_at_their_id_or_else_at_the_top_of_the_registry(
    tmp_path: Path,
) -> None:
    registry = tmp_path / "entities.yaml"
    registry.write_text(
        'schema_version: "2.0"\n'
        "entities:\n"
        "  - {id: kim_jong_un, type: person, name: Kim Jong Un}\n"
        "  - {id: pyongyang, type: place, name: Pyongyang}\n",
        encoding="utf-8",
    )
    # "ghost" is not in the file (it changed since it was loaded): no place to point at
    state = CorpusState(
        frozenset({"kim_jong_un", "pyongyang", "ghost"}),
        used_entities={"kim_jong_un"},
        doc_ids=["doc_a"],
    )
    report = Report()
    check_cross_document(state, report, registry)
    assert [(i.line, i.col, i.severity, i.code, i.message) for i in report.issues] == [
        (1, 1, "warning", "unused_entity", "entity 'ghost' is never used"),
        (4, 10, "warning", "unused_entity", "entity 'pyongyang' is never used"),
    ]


def test_unused_claims_are_located_at_their_id_once_documents_were_read(
    tmp_path: Path,
) -> None:
    claims = tmp_path / "claims.yaml"
    claims.write_text(
        'schema_version: "2.0"\n'
        "claims:\n"
        "  - {id: used, text: A., text_id: A.}\n"
        "  - {id: spare, text: B., text_id: B.}\n",
        encoding="utf-8",
    )
    state = CorpusState(frozenset(), claim_ids=frozenset({"used", "spare", "ghost"}))
    state.used_claims.add("used")
    report = Report()
    check_cross_document(state, report, tmp_path / "entities.yaml", claims)
    assert report.issues == []  # no document read: "unused" would say nothing
    state.doc_ids.append("doc_a")
    check_cross_document(state, report, tmp_path / "entities.yaml", None)
    assert report.issues == []  # no claims file: nothing to point at
    check_cross_document(state, report, tmp_path / "entities.yaml", claims)
    assert [(i.path, i.line, i.col, i.severity, i.code, i.message) for i in report.issues] == [
        (str(claims), 1, 1, "warning", "unused_claim", "claim 'ghost' is never used"),
        (str(claims), 4, 10, "warning", "unused_claim", "claim 'spare' is never used"),
    ]


def test_split_problems_without_known_locations_are_on_the_file_as_a_whole(
    tmp_path: Path,
) -> None:
    path = tmp_path / "splits.yaml"
    report = Report()
    splits = {"train": ["a", "b"], "validation": ["a"], "test": ["x"]}
    check_splits(path, splits, ["a", "b", "c"], report)
    assert [(i.line, i.col, i.field, i.code) for i in report.issues] == [
        (1, 1, "validation.0", "split_overlap"),
        (1, 1, "test.0", "dangling_ref"),
        (1, 1, "", "split_missing"),
    ]
    located = Report()
    check_splits(path, splits, ["a", "b", "c"], located, {("validation", 0): (7, 5)})
    assert (located.issues[0].line, located.issues[0].col) == (7, 5)


def test_scheduled_collection_collects_once_every_n_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gc

    collections: list[int] = []
    monkeypatch.setattr(gc, "collect", lambda *args: collections.append(1) or 0)
    assert gc.isenabled()
    with ScheduledCollection(every=2) as collection:
        for _ in range(5):
            collection.tick()
    assert (collection.count, len(collections)) == (5, 2)  # after the 2nd and the 4th


def test_validate_does_not_import_heavy_modules(corpus: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from kimputin_ds.validation import validate_corpus;"
        f"validate_corpus(Path({str(corpus)!r}));"
        "heavy = ('datasets', 'pyarrow', 'pandas', 'huggingface_hub');"
        "bad = [m for m in heavy if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# --- property: any mutation of a valid file ends in a report, never a crash ---

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.text(max_size=12),
    st.sampled_from(["Putin", "", "q1", "e1", "kim_jong_un", "2023-13-45", "direct", "../x"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _paths(v, (*path, i))
    return found


def _mutate(doc: Any, path: tuple[Any, ...], action: str, new: Any) -> Any:
    if not path:
        return new
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if action == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return doc


FILE_MODELS: dict[str, type[BaseModel]] = {
    "entities.yaml": EntityRegistry,
    "splits.yaml": SplitAssignment,
}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    name=st.sampled_from(["doc_a.yaml", "doc_b.yaml", "entities.yaml", "splits.yaml"]),
)
def test_mutated_files_always_end_in_a_report(corpus: Path, data: st.DataObject, name: str) -> None:
    original = yaml.safe_load((MINI_CORPUS / name).read_text(encoding="utf-8"))
    path = data.draw(st.sampled_from(_paths(original)), label="path")
    action = data.draw(st.sampled_from(["replace", "delete"] if path else ["replace"]))
    mutated = _mutate(original, path, action, data.draw(_values, label="value"))
    (corpus / name).write_text(yaml.safe_dump(mutated, allow_unicode=True), encoding="utf-8")
    report = validate_corpus(corpus)  # must not raise
    for issue in report:
        assert issue.format().startswith(str(corpus))
    # Whatever the models reject must be an error located in that file.
    model = FILE_MODELS.get(name, AnnotationFile)
    try:
        model.model_validate(mutated)
    except ValidationError:
        assert any(i.severity == "error" and Path(i.path).name == name for i in report), (
            report.to_text()
        )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_end_in_a_report(corpus: Path, raw: bytes) -> None:
    (corpus / "doc_a.yaml").write_bytes(raw)
    (corpus / "doc_b.txt").write_bytes(raw)
    report = validate_corpus(corpus)  # must not raise
    assert not report.ok
    # No byte string is a valid annotation file, and no other text is doc_b's.
    broken = {Path(i.path).name for i in report.errors}
    assert "doc_a.yaml" in broken, report.to_text()
    assert broken & {"doc_b.txt", "doc_b.yaml"}, report.to_text()


def _every_span(value: Any, path: tuple[Any, ...], in_span_field: bool) -> list[Any]:
    """Reference walk: every value, no plan; a span is a SpanRef or a str in a span field."""
    if isinstance(value, SpanRef) or (in_span_field and isinstance(value, str)):
        return [(path, value)]
    if isinstance(value, BaseModel):
        span_fields = _span_fields(type(value))
        return [
            found
            for name in type(value).model_fields
            for found in _every_span(getattr(value, name), (*path, name), name in span_fields)
        ]
    if isinstance(value, list):
        items: Any = enumerate(value)
    elif isinstance(value, dict):
        items = value.items()
    else:
        return []
    return [f for key, item in items for f in _every_span(item, (*path, key), in_span_field)]


@pytest.mark.parametrize("root", [SEEDS, MINI_CORPUS], ids=["seeds", "mini"])
def test_the_planned_walk_finds_every_span(root: Path) -> None:
    # The walk skips fields whose type holds no span and picks a collector
    # per field from its type; a walk over every value must find the same.
    for path in sorted(root.glob("*.yaml")):
        if path.name in {"entities.yaml", "claims.yaml", "splits.yaml"}:
            continue
        model, _ = read_model(path, AnnotationFile, Report())
        assert model is not None
        assert list(iter_span_refs(model)) == _every_span(model, (), False), path.name
