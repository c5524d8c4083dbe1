"""Safe YAML loading with locations."""

from __future__ import annotations

import pytest
import yaml

from kimputin_ds import yamlio
from kimputin_ds.yamlio import MAX_DEPTH, MAX_NODES, YamlError, load_yaml


def test_values_and_locations() -> None:
    value, where = load_yaml("a: 1\nb:\n  - x\n  - {c: true, d: null, e: 1.5}\n")
    assert value == {"a": 1, "b": ["x", {"c": True, "d": None, "e": 1.5}]}
    assert where[("b", 1, "c")] == (4, 9)


def test_dates_stay_strings() -> None:
    assert load_yaml("d: 2023-09-13\n")[0] == {"d": "2023-09-13"}


def test_empty_document() -> None:
    assert load_yaml("# only a comment\n") == (None, {})


@pytest.mark.parametrize(
    ("source", "message", "where"),
    [
        # a forbidden tag: at the tagged value
        ("a: !!python/object/apply:os.system [ls]\n", "is not allowed", (1, 4)),
        ("a: !custom x\n", "is not allowed", (1, 4)),
        ("a: !!binary aGk=\n", "is not allowed", (1, 4)),
        # at the second key
        ("a: 1\na: 2\n", "duplicate key 'a'", (2, 1)),
        ("base: &b {x: 1}\nc:\n  <<: *b\n", "merge keys", (3, 3)),
        # the end of the input, where the closing ']' is missing
        ("a: [1, 2\n", "YAML syntax error", (2, 1)),
        ("? [1, 2]\n: x\n", "mapping keys must be plain scalars", (1, 3)),
        # the second document's marker
        ("---\na: 1\n---\nb: 2\n", "YAML syntax error", (3, 1)),
        # the anchored sequence that contains itself
        ("a: &a [*a]\n", "nesting deeper", (1, 4)),
        # the 65th '[' (the mapping is level 0)
        ("x: " + "[" * 100 + "]" * 100 + "\n", "nesting deeper", (1, 3 + MAX_DEPTH + 1)),
    ],
)
def test_rejected_inputs_are_located_problems(
    source: str, message: str, where: tuple[int, int]
) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(source)
    assert message in info.value.message
    assert (info.value.line, info.value.col) == where


def test_nesting_is_capped_at_max_depth_levels() -> None:
    def nested(lists: int) -> str:  # the mapping is level 0, its value level 1, ...
        return "x: " + "[" * lists + "1" + "]" * lists + "\n"

    value, _ = load_yaml(nested(MAX_DEPTH - 1))  # the number is at level MAX_DEPTH
    for _ in range(MAX_DEPTH):
        value = value["x"] if isinstance(value, dict) else value[0]
    assert value == 1
    with pytest.raises(YamlError, match=f"nesting deeper than {MAX_DEPTH} levels") as info:
        load_yaml(nested(MAX_DEPTH))
    assert (info.value.line, info.value.col) == (1, 4 + MAX_DEPTH)  # at the number


def test_a_document_holds_at_most_max_nodes_values() -> None:
    # Values are counted as they are built, so each use of an alias counts its
    # values again: `a` is 1 + 999 values, `b` 1 + 1000 per alias, `c` 1 + n.
    aliases = (MAX_NODES - 2003) // 1000
    fill = MAX_NODES - 1003 - 1000 * aliases  # the root mapping brings the total to MAX_NODES

    def document(n: int) -> str:
        a = "a: &a [" + ",".join(["0"] * 999) + "]\n"
        b = "b: [" + ",".join(["*a"] * aliases) + "]\n"
        return a + b + "c: [" + ",".join(["0"] * n) + "]\n"

    value, _ = load_yaml(document(fill))
    assert len(value["b"]) == aliases and len(value["c"]) == fill
    with pytest.raises(YamlError, match=f"expands to more than {MAX_NODES} values") as info:
        load_yaml(document(fill + 1))
    # at the last number of `c`: column 5 + 2 * its index
    assert (info.value.line, info.value.col) == (3, 5 + 2 * fill)
    assert "aliases" in info.value.hint


def test_nesting_too_deep_for_the_pure_python_composer_is_an_error_of_the_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without libyaml, PyYAML's composer recurses; it hits Python's limit, not MAX_DEPTH."""

    class PurePython(yaml.SafeLoader):
        pass

    monkeypatch.setattr(yamlio, "_Loader", PurePython)
    with pytest.raises(YamlError, match="nesting deeper than") as info:
        load_yaml("x: " + "[" * 2000 + "]" * 2000 + "\n")
    assert (info.value.line, info.value.col) == (1, 1)  # no place known: the whole file
    assert load_yaml("x: [[1]]\n")[0] == {"x": [[1]]}  # the same loader reads a normal file


def test_alias_bomb_is_capped() -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(YamlError, match="expands to more than"):
        load_yaml("\n".join(lines) + "\n")
