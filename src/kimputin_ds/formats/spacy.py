"""spaCy: one ``DocBin`` per split (``train.spacy``, ``validation.spacy``, ``test.spacy``).

Needs the optional extra (``pip install 'kimputin-ds[spacy]'``); spaCy is never
a runtime dependency of the library, and no model is downloaded: the
documents are built on a blank Indonesian vocabulary (``spacy.blank("id")``)
with the tokens of :func:`kimputin_ds.tokenize.tokenize`, so that every
annotated span falls on token boundaries and ``doc.text`` is the raw text
exactly (whitespace other than one space after a token becomes a whitespace
token, as spaCy's own tokenizer does).

Each ``Doc`` carries (spans' ``label_``, ``kb_id_`` and ``id_`` are saved by
``DocBin``):

* ``doc.ents``: the mentions that do not overlap (the longest of overlapping
  ones), ``label_`` the entity type, ``kb_id_`` the registry id;
* ``doc.spans["mentions"]``: every mention, the same attributes;
* ``doc.spans["quotes"]`` (``label_`` the quote kind, ``kb_id_`` the speaker,
  ``id_`` the quote id), ``["cues"]`` and ``["speakers"]`` (``id_`` the quote
  id; a speaker mention's ``label_`` is the speaker reference);
* ``doc.spans["events"]`` (``label_`` the event type, ``id_`` the event id)
  and ``["event_arguments"]`` (``label_`` the role, ``kb_id_`` the entity,
  ``id_`` the event id);
* ``doc.spans["stance_evidence"]`` (``label_`` the stance label, ``kb_id_``
  the holder, ``id_`` the stance id) and ``["zones"]`` (``label_`` the kind);
* ``doc.user_data``: ``doc_id``, ``split``, and ``event_status`` (event id
  -> status).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kimputin_ds.corpus import Document
from kimputin_ds.formats.output import OutputDir
from kimputin_ds.formats.source import Corpus
from kimputin_ds.tokenize import Token, tokenize

#: Span groups, in the order they are filled.
SPAN_GROUPS = (
    "mentions",
    "quotes",
    "cues",
    "speakers",
    "events",
    "event_arguments",
    "stance_evidence",
    "zones",
)
SUFFIX = ".spacy"


def words_and_spaces(text: str, tokens: list[Token]) -> tuple[list[str], list[bool]]:
    """spaCy's ``words``/``spaces`` for a text and its tokens, whitespace kept exactly.

    >>> from kimputin_ds.tokenize import tokenize
    >>> text = "Kim  bertemu\\nPutin. "
    >>> words, spaces = words_and_spaces(text, tokenize(text))
    >>> "".join(w + (" " if s else "") for w, s in zip(words, spaces)) == text
    True
    """
    words: list[str] = []
    spaces: list[bool] = []
    position = 0

    def gap(until: int) -> None:
        between = text[position:until]
        if not between:
            return
        if words and between.startswith(" "):
            spaces[-1] = True
            between = between[1:]
        if between:
            words.append(between)
            spaces.append(False)

    for token in tokens:
        gap(token.start)
        words.append(token.text)
        spaces.append(False)
        position = token.end
    gap(len(text))
    return words, spaces


class _Spans:
    """Character spans -> spaCy spans of one doc (every span of a valid corpus aligns)."""

    def __init__(self, doc: Any, document: Document) -> None:
        self.doc = doc
        self.document = document
        self.groups: dict[str, list[Any]] = {name: [] for name in SPAN_GROUPS}

    def add(
        self, group: str, path: tuple[str | int, ...], label: str, kb_id: str = "", id_: str = ""
    ) -> Any:
        found = self.document.span(*path)
        if found is None:
            return None
        span = self.doc.char_span(
            found.start, found.end, label=label, kb_id=kb_id, span_id=id_, alignment_mode="strict"
        )
        if span is None:
            raise ValueError(
                f"{self.document.annotation_path}: {'.'.join(map(str, path))}: "
                f"{found.text!r} does not fall on token boundaries"
            )
        self.groups[group].append(span)
        return span


def to_doc(nlp: Any, document: Document, entity_types: dict[str, str], split: str) -> Any:
    """The spaCy ``Doc`` of one document, with its entities and span groups."""
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    a = document.annotation
    words, spaces = words_and_spaces(document.text, tokenize(document.text))
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    if doc.text != document.text:  # words_and_spaces keeps every character: never expected
        raise ValueError(f"{document.text_path}: the spaCy text differs from the raw text")
    s = _Spans(doc, document)
    for entity_id, refs in a.mentions.items():
        for j in range(len(refs)):
            s.add("mentions", ("mentions", entity_id, j), entity_types[entity_id], entity_id)
    for i, q in enumerate(a.quotes):
        s.add("quotes", ("quotes", i, "content"), q.kind, q.speaker or "", q.id)
        s.add("cues", ("quotes", i, "cue"), "cue", "", q.id)
        s.add(
            "speakers", ("quotes", i, "speaker_mention"), q.speaker_reference, q.speaker or "", q.id
        )
    status: dict[str, str] = {}
    for i, e in enumerate(a.events):
        s.add("events", ("events", i, "trigger"), e.type, "", e.id)
        status[e.id] = e.status
        for j, arg in enumerate(e.arguments):
            s.add(
                "event_arguments",
                ("events", i, "arguments", j, "span"),
                arg.role,
                arg.entity or "",
                e.id,
            )
    for i, st in enumerate(a.stances):
        for k in range(len(st.evidence)):
            s.add("stance_evidence", ("stances", i, "evidence", k), st.label, st.holder, st.id)
    for i, z in enumerate(a.zones):
        s.add("zones", ("zones", i, "span"), z.kind)
    doc.ents = filter_spans(s.groups["mentions"])
    for name, spans in s.groups.items():
        doc.spans[name] = spans
    doc.user_data["doc_id"] = document.doc_id
    doc.user_data["split"] = split
    doc.user_data["event_status"] = status
    return doc


def _by_split(corpus: Corpus) -> Iterator[tuple[str, Document]]:
    for doc in corpus.documents():
        yield corpus.splits.get(doc.doc_id, "unassigned"), doc


def export_corpus(corpus: Corpus, out: OutputDir) -> int:
    """Write one ``DocBin`` per split; return the number of documents."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("id")
    bins: dict[str, Any] = {}
    count = 0
    types = corpus.entity_types
    for split, document in _by_split(corpus):
        doc = to_doc(nlp, document, types, split)
        bins.setdefault(split, DocBin(store_user_data=True)).add(doc)
        count += 1
    for split, docbin in bins.items():
        out.write_bytes(f"{split}{SUFFIX}", docbin.to_bytes())
    return count
