"""Safe YAML loading with locations."""

from __future__ import annotations

import pytest

from kimputin_ds.yamlio import YamlError, load_yaml


def test_values_and_locations() -> None:
    value, where = load_yaml("a: 1\nb:\n  - x\n  - {c: true, d: null, e: 1.5}\n")
    assert value == {"a": 1, "b": ["x", {"c": True, "d": None, "e": 1.5}]}
    assert where[("b", 1, "c")] == (4, 9)


def test_dates_stay_strings() -> None:
    assert load_yaml("d: 2023-09-13\n")[0] == {"d": "2023-09-13"}


def test_empty_document() -> None:
    assert load_yaml("# only a comment\n") == (None, {})


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a: !!python/object/apply:os.system [ls]\n", "is not allowed"),
        ("a: !custom x\n", "is not allowed"),
        ("a: !!binary aGk=\n", "is not allowed"),
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", "merge keys"),
        ("a: [1, 2\n", "YAML syntax error"),
        ("? [1, 2]\n: x\n", "mapping keys must be plain scalars"),
        ("---\na: 1\n---\nb: 2\n", "YAML syntax error"),
        ("a: &a [*a]\n", "nesting deeper"),
        ("x: " + "[" * 100 + "]" * 100 + "\n", "nesting deeper"),
    ],
)
def test_rejected_inputs_are_located_problems(source: str, message: str) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(source)
    assert message in info.value.message


def test_alias_bomb_is_capped() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(YamlError, match="expands to more than"):
        load_yaml("\n".join(lines) + "\n")
