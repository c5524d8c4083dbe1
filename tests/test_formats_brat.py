"""BRAT standoff: export, round trip through import, and an independent reader."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import SEEDS, SNAPSHOT_CORPUS, document_params
from kimputin_ds.corpus import load_document
from kimputin_ds.errors import Report
from kimputin_ds.formats import brat
from kimputin_ds.formats.drafts import canonical, curated, to_yaml, write_spans
from kimputin_ds.formats.from_graph import from_graph
from kimputin_ds.formats.output import OutputDir
from kimputin_ds.formats.source import open_valid_corpus
from kimputin_ds.models import AnnotationFile
from kimputin_ds.yamlio import load_yaml

DOC_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))
SNAPSHOT = SNAPSHOT_CORPUS
ROUND_TRIPS = document_params(SEEDS, SNAPSHOT)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("brat") / "brat"
    corpus = open_valid_corpus(SEEDS)
    with OutputDir(out) as target:
        assert brat.export_corpus(corpus, target) == len(DOC_IDS)
    return out


def _reimport(exported: Path, root: Path, doc_id: str) -> tuple[AnnotationFile, str]:
    corpus = open_valid_corpus(root)
    report = Report()
    doc = load_document(root, doc_id, report)
    assert doc is not None
    graph = brat.read_graph(exported / f"{doc_id}.ann", doc.text, doc_id, report)
    imported = from_graph(graph, corpus.entity_types, report, doc_id)
    model = write_spans(imported, doc.text, doc_id, report, doc_id)
    assert report.ok, report.to_text()
    assert model is not None
    # what the importer writes: curated YAML, which loads to the same model
    written, _ = load_yaml(to_yaml(curated(model, doc.text)))
    return AnnotationFile.model_validate(written), doc.text


@pytest.fixture(scope="module")
def snapshot_exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("brat-snapshot") / "brat"
    with OutputDir(out) as target:
        brat.export_corpus(open_valid_corpus(SNAPSHOT), target)
    return out


def test_the_corpus_has_documents() -> None:
    assert len(DOC_IDS) >= 5


@pytest.mark.parametrize(("root", "doc_id"), ROUND_TRIPS)
def test_yaml_brat_yaml_round_trip_is_exact(
    exported: Path, snapshot_exported: Path, root: Path, doc_id: str
) -> None:
    report = Report()
    doc = load_document(root, doc_id, report)
    assert doc is not None
    out = exported if root == SEEDS else snapshot_exported
    model, text = _reimport(out, root, doc_id)
    assert canonical(model, text) == canonical(doc.annotation, doc.text)


@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_the_txt_is_the_exact_text_and_offsets_are_code_points(exported: Path, doc_id: str) -> None:
    raw = (SEEDS / f"{doc_id}.txt").read_bytes()
    assert (exported / f"{doc_id}.txt").read_bytes() == raw
    text = raw.decode("utf-8")
    ann = (exported / f"{doc_id}.ann").read_text(encoding="utf-8")
    first_non_ascii = next((i for i, c in enumerate(text) if ord(c) > 127), None)
    after_non_ascii = 0
    for line in ann.splitlines():
        m = re.match(r"^T\d+\t\S+ ([\d ;]+)\t(.*)$", line)
        if not m:
            continue
        pieces = [tuple(map(int, p.split())) for p in m.group(1).split(";")]
        assert m.group(2) == " ".join(text[s:e] for s, e in pieces)
        if first_non_ascii is not None and pieces[0][0] > first_non_ascii:
            after_non_ascii += 1
            # byte offsets would differ here: the check above is on code points
            assert len(text[: pieces[0][0]].encode("utf-8")) > pieces[0][0]
    if first_non_ascii is not None:
        assert after_non_ascii > 0


def test_non_ascii_articles_are_covered() -> None:
    # 002 and 004 have curly quotes and non-breaking spaces: the test above
    # must see annotations after them in at least two articles.
    with_non_ascii = [d for d in DOC_IDS if not (SEEDS / f"{d}.txt").read_bytes().isascii()]
    assert len(with_non_ascii) >= 2


def test_an_independent_reader_parses_the_export(exported: Path) -> None:
    pybrat = pytest.importorskip("pybrat.parser")
    # pybrat refuses two annotations on one span (BRAT allows it: a quote's
    # content and a stance's evidence), so it runs in its lenient mode and
    # every line is counted instead.
    examples = {ex.id: ex for ex in pybrat.BratParser(error="ignore").parse(str(exported))}
    assert sorted(examples) == DOC_IDS
    for doc_id, ex in examples.items():
        text = (exported / f"{doc_id}.txt").read_text(encoding="utf-8")
        lines = (exported / f"{doc_id}.ann").read_text(encoding="utf-8").splitlines()
        count = {k: sum(1 for line in lines if line.startswith(k)) for k in "TREN"}
        assert len(ex.entities) == count["T"]
        assert len(ex.relations) == count["R"]
        assert len(ex.events) == count["E"]
        assert sum(len(e.references) for e in ex.entities) == count["N"]
        assert all(r.rid == "kimputin" for e in ex.entities for r in e.references)
        for entity in ex.entities:
            assert entity.mention == " ".join(text[s.start : s.end] for s in entity.spans)
        assert ex.text == text


def test_configuration_lists_every_label_of_the_models(exported: Path) -> None:
    from kimputin_ds.models import EntityType, EventStatus, EventType, labels

    conf = (exported / "annotation.conf").read_text(encoding="utf-8")
    sections = dict(re.findall(r"\[(\w+)\]\n(.*?)(?=\n\[|\Z)", conf, flags=re.S))
    entity_lines = sections["entities"].split()
    assert set(labels(EntityType)) <= set(entity_lines)
    event_names = {line.split("\t")[0] for line in sections["events"].strip().splitlines()}
    assert set(labels(EventType)) <= event_names
    status = next(
        line for line in sections["attributes"].splitlines() if line.startswith("EventStatus")
    )
    assert status.endswith("Value:" + "|".join(labels(EventStatus)))
    # every type used in an .ann is declared
    declared = set(entity_lines) | event_names
    for ann in exported.glob("*.ann"):
        for line in ann.read_text(encoding="utf-8").splitlines():
            if line.startswith("T"):
                assert line.split("\t")[1].split(" ")[0] in declared
    assert "[labels]" in (exported / "visual.conf").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# Import errors: every unmappable annotation is named by its BRAT id


def _brat_copy(exported: Path, tmp_path: Path, doc_id: str) -> Path:
    target = tmp_path / "brat"
    target.mkdir()
    for suffix in (".txt", ".ann", brat.DOCUMENT_SUFFIX):
        shutil.copy(exported / f"{doc_id}{suffix}", target / f"{doc_id}{suffix}")
    return target / f"{doc_id}.ann"


def _import_errors(ann: Path, doc_id: str) -> list[str]:
    corpus = open_valid_corpus(SEEDS)
    report = Report()
    doc = load_document(SEEDS, doc_id, report)
    assert doc is not None
    graph = brat.read_graph(ann, doc.text, doc_id, report)
    if report.ok:
        imported = from_graph(graph, corpus.entity_types, report, str(ann))
        if report.ok:
            write_spans(imported, doc.text, doc_id, report, str(ann))
    return [i.format() for i in report.errors]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda a: a.replace("\tperson ", "\tpersn ", 1), r"T\d+: unknown annotation type 'persn'"),
        (
            lambda a: re.sub(r"kimputin:vladimir_putin", "Wikidata:Q7747", a, count=1),
            r"N\d+: normalisation to Wikidata:Q7747 cannot be mapped",
        ),
        (
            lambda a: re.sub(r"(A\d+\tEventStatus E\d+) \w+", r"\1 rumoured", a, count=1),
            r"E\d+: EventStatus 'rumoured' is not one of occurred",
        ),
        (
            lambda a: re.sub(r"(?m)^R\d+\tCue .*\n", "", a),
            r"T\d+: a QuoteCue that no quote, event or stance points to",
        ),
        (
            lambda a: re.sub(r"(?m)^(T\d+\tperson \d+ \d+\t)\w+", r"\1XYZ", a, count=1),
            r"T\d+: the text 'XYZ.*' is not the text at",
        ),
        (
            lambda a: re.sub(r"kimputin:vladimir_putin", "kimputin:vladimir_putn", a, count=1),
            r"T\d+: 'vladimir_putn' is not in the entity registry",
        ),
    ],
)
def test_unmappable_annotations_are_errors_with_the_brat_id(
    exported: Path, tmp_path: Path, edit: object, expected: str
) -> None:
    doc_id = DOC_IDS[0]
    ann = _brat_copy(exported, tmp_path, doc_id)
    ann.write_text(edit(ann.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    errors = _import_errors(ann, doc_id)
    assert any(re.search(expected, e) for e in errors), errors


def test_a_changed_text_is_refused(exported: Path, tmp_path: Path) -> None:
    doc_id = DOC_IDS[0]
    ann = _brat_copy(exported, tmp_path, doc_id)
    txt = ann.with_suffix(".txt")
    txt.write_text(txt.read_text(encoding="utf-8").replace("Putin", "Putim", 1), encoding="utf-8")
    errors = _import_errors(ann, doc_id)
    assert any("the BRAT text is not the corpus text" in e for e in errors), errors


def test_a_curators_plain_brat_annotations_import(tmp_path: Path) -> None:
    """What a curator makes in BRAT from scratch: no notes, no sidecar, BRAT's own ids."""
    doc_id = DOC_IDS[0]
    text = (SEEDS / f"{doc_id}.txt").read_text(encoding="utf-8")
    start = text.index("Putin")
    cue = text.index("kata") if "kata" in text else None
    lines = [
        f"T1\tperson {start} {start + 5}\tPutin",
        "N1\tReference T1 kimputin:vladimir_putin\tPutin",
    ]
    if cue is not None:
        lines += [
            f"T2\tQuote {start} {start + 5}\tPutin",
            f"T3\tQuoteCue {cue} {cue + 4}\tkata",
            "R1\tCue Arg1:T2 Arg2:T3",
            "A1\tQuoteKind T2 direct",
            "A2\tSpeakerReference T2 implicit",
            "#1\tAnnotatorNotes T2\tchecked by hand",
        ]
    ann = tmp_path / f"{doc_id}.ann"
    ann.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = Report()
    graph = brat.read_graph(ann, text, doc_id, report)
    imported = from_graph(graph, open_valid_corpus(SEEDS).entity_types, report, str(ann))
    assert report.ok, report.to_text()
    assert imported.data["mentions"]["vladimir_putin"]
    if cue is not None:
        (quote,) = imported.data["quotes"]
        assert quote["id"] == "q1" and quote["kind"] == "direct"
        assert quote["note"] == "checked by hand"


def test_a_linked_ann_is_refused(exported: Path, tmp_path: Path) -> None:
    doc_id = DOC_IDS[0]
    ann = _brat_copy(exported, tmp_path, doc_id)
    link = tmp_path / "linked.ann"
    link.symlink_to(ann)
    errors = _import_errors(link, doc_id)
    assert any("symbolic link" in e for e in errors), errors
