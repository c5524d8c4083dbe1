"""Label encoding: names become ClassLabel integers, and an unknown label names its column."""

from __future__ import annotations

from typing import Literal

import pytest

from kimputin_ds.features import column_encoders, column_table, encoder, row_encoder
from kimputin_ds.rows import Row, SpanRow


def test_an_unknown_label_names_its_field() -> None:
    encode = encoder(Literal["favor", "against"], "label")
    assert encode("against") == 1
    assert encode(None) is None
    with pytest.raises(
        ValueError, match=r"^label: unknown label 'maybe', expected one of favor, against$"
    ):
        encode("maybe")


def test_an_encoder_without_a_field_name_says_value() -> None:
    with pytest.raises(ValueError, match=r"^value: unknown label 'x', expected one of a$"):
        encoder(Literal["a"])("x")


class _Row(Row):
    label: Literal["favor", "against", "neutral"]
    tags: list[Literal["x", "y"]]
    span: SpanRow | None
    note: str | None


def test_row_encoder_encodes_labels_and_passes_everything_else() -> None:
    span = {"text": "a", "start": 0, "end": 1}
    row = {"label": "neutral", "tags": ["y", "x"], "span": span, "note": None}
    assert row_encoder(_Row)(row) == {"label": 2, "tags": [1, 0], "span": span, "note": None}
    assert row_encoder(SpanRow)(span) == span


class _Labels(Row):
    label: Literal["favor", "against"]
    optional: Literal["x", "y"] | None


def test_a_missing_required_label_is_refused_and_a_missing_optional_one_kept() -> None:
    # The column encoders (the build's path) accept None only where the row model
    # allows it: a required label that is missing is an error, never a null.
    label, optional = column_encoders(_Labels)
    rows = [{"label": "against", "optional": None}, {"label": "favor", "optional": "y"}]
    assert label(rows) == [1, 0] and optional(rows) == [None, 1]
    with pytest.raises(ValueError, match=r"^label: unknown label None, expected one of favor"):
        label([{"label": None, "optional": "x"}])


def test_the_card_column_table_spells_out_each_type() -> None:
    lines = column_table(_Row).splitlines()
    assert len(lines) == 2 + len(_Row.model_fields)  # header, rule, one line per column
    types = {line.split("|")[1].strip(" `"): line.split("|")[2].strip() for line in lines[2:]}
    assert types["label"] == "label (`favor`, `against`, `neutral`)"
    assert types["tags"] == "list of label (`x`, `y`)"
    assert types["span"] == "{text, start, end}, nullable"
    assert types["note"] == "string, nullable"
