"""Safe YAML loading with locations."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kimputin_ds import yamlio
from kimputin_ds.yamlio import MAX_DEPTH, MAX_NODES, YamlError, load_yaml


def test_values_and_locations() -> None:
    value, where = load_yaml("a: 1\nb:\n  - x\n  - {c: true, d: null, e: 1.5}\n")
    assert value == {"a": 1, "b": ["x", {"c": True, "d": None, "e": 1.5}]}
    assert where[("b", 1, "c")] == (4, 9)


def test_integer_keys_stay_integers() -> None:
    assert load_yaml("1: x\n2: y\n")[0] == {1: "x", 2: "y"}


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
        # a tab in the indentation of the very first line, at the tab
        ("\ta: 1\n", "a tab in the indentation", (1, 1)),
        (" \tb: 1\n", "a tab in the indentation", (1, 2)),
        # not a tab problem: the tab on the last line is not looked for before line 1
        ("x: - y\n\tz\n", "YAML syntax error", (1, 4)),
        # a key that is neither a string nor an integer, at the key
        ("1.5: x\n", "mapping key '1.5' must be a string", (1, 1)),
        ("a:\n  ~: x\n", "mapping key '~' must be a string", (2, 3)),
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


@pytest.mark.parametrize("lazy", [False, True])
def test_nesting_is_capped_at_max_depth_levels(lazy: bool) -> None:
    def nested(lists: int) -> str:  # the mapping is level 0, its value level 1, ...
        return "x: " + "[" * lists + "1" + "]" * lists + "\n"

    value, _ = load_yaml(nested(MAX_DEPTH - 1), lazy_locations=lazy)  # the 1 is at MAX_DEPTH
    for _ in range(MAX_DEPTH):
        value = value["x"] if isinstance(value, dict) else value[0]
    assert value == 1
    with pytest.raises(YamlError, match=f"nesting deeper than {MAX_DEPTH} levels") as info:
        load_yaml(nested(MAX_DEPTH), lazy_locations=lazy)
    assert (info.value.line, info.value.col) == (1, 4 + MAX_DEPTH)  # at the number


@pytest.mark.parametrize("lazy", [False, True])
def test_a_number_is_read_up_to_80_characters_of_spelling(lazy: bool) -> None:
    assert load_yaml("n: " + "0" * 79 + "7\n", lazy_locations=lazy)[0] == {"n": 7}  # octal 7
    with pytest.raises(YamlError, match="is too large") as info:
        load_yaml("n: " + "0" * 80 + "7\n", lazy_locations=lazy)
    assert (info.value.line, info.value.col) == (1, 4)


def test_a_control_character_is_located_on_its_line() -> None:
    with pytest.raises(YamlError, match="control character U\\+001B") as info:
        load_yaml("\na: x\x1b\n")  # the text starts with a newline
    assert (info.value.line, info.value.col) == (2, 5)


def test_lazy_locations_build_a_plain_document_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A document the fast path accepts is not built again until a location is looked up."""
    built: list[int] = []

    class Counting(yamlio._Builder):
        def __init__(self) -> None:
            built.append(1)
            super().__init__()

    monkeypatch.setattr(yamlio, "_Builder", Counting)
    text = "a: [x, 1, [y, {b: [2, z]}], {c: d}]\ne: {f: [g]}\n"
    value, where = load_yaml(text, lazy_locations=True)
    assert value == {"a": ["x", 1, ["y", {"b": [2, "z"]}], {"c": "d"}], "e": {"f": ["g"]}}
    assert built == []
    assert where[("a", 2, 1, "b", 1)] == (1, 23)  # the z
    assert built == [1]


def test_a_document_holds_at_most_max_nodes_values() -> None:
    value, _ = load_yaml(_sized(MAX_NODES))
    assert len(value["c"]) == (MAX_NODES - 1003) % 1000
    with pytest.raises(YamlError, match=f"expands to more than {MAX_NODES} values") as info:
        load_yaml(_sized(MAX_NODES + 1))
    # at the last value of `c`, the (MAX_NODES + 1)th: line 3, column 5 + 3 * its index
    last = (MAX_NODES + 1 - 1003) % 1000 - 1
    assert (info.value.line, info.value.col) == (3, 5 + 3 * last)
    assert "aliases" in info.value.hint


def test_an_unforeseen_yaml_error_is_an_error_of_the_file_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PyYAML 6 raises only located errors here; a plain YAMLError of a later one is caught."""

    class Failing(yaml.SafeLoader):
        def get_single_node(self) -> None:
            raise yaml.YAMLError("something\n   went wrong")

    monkeypatch.setattr(yamlio, "_Loader", Failing)
    with pytest.raises(YamlError) as info:
        load_yaml("a: 1\n")
    assert (info.value.message, info.value.line, info.value.col) == (
        "YAML error: something went wrong",
        1,
        1,
    )


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


# ---------------------------------------------------------------------------
# The lazy-locations path (values first, locations on first use) against the
# full loader: the same values, the same locations and the same errors.

#: Scalars where YAML 1.1, tags, anchors and the builder's caps differ from plain text.
_SCALARS = [
    "x",
    "Kim Jong Un",
    "yes",
    "No",
    "on",
    "~",
    "null",
    "",
    "012",
    "0x1F",
    "0b101",
    "1_000",
    "190:20:30",
    "1e3",
    "1.5",
    "-.inf",
    ".nan",
    "12e4",
    "4e5d",
    "deadbe3f",
    "2023-09-13",
    "2024-06-19T10:00:00Z",
    "9" * 19,
    "9" * 100,
    "-42",
    "+7",
    "0",
    "'single'",
    '"dou\\tble"',
    '"12"',
    "!!str 12",
    '!!int "7"',
    "!!int x",
    "!!float 3",
    "!!bool yes",
    "!!null ''",
    "!custom x",
    "!!binary aGk=",
    "!!timestamp 2023-01-01",
    "!x [1]",
    "!!seq [a]",
    "!!map {a: x}",
    "!custom {a: 1}",
    "!!omap [a: 1]",
    "&a x",
    "*a",
    "&b [1, 2]",
    "*b",
    "*nope",
    "<<",
    "[]",
    "{}",
    "[a, *a]",
    "{k: v, k: w}",
    "|\n  block\n",
    "x # comment",
    "\t x",
    ": x",
    "[unclosed",
    "\x1b",
]
_KEYS = ["a", "b", "id", "text", "kind", "span", "role"]
_KEYS += ["1", "yes", "<<", "~", "&k a", "*k", "!!str a"]
_SPECIAL_KEYS = ["[x]", "? a"]


@st.composite
def _documents(draw: st.DrawFn) -> str:
    """YAML text: a random tree in block and flow styles, sometimes with an edit."""

    def key() -> str:
        special = draw(st.integers(0, 7)) == 0
        return draw(st.sampled_from(_KEYS + _SPECIAL_KEYS if special else _KEYS[:7]))

    def node(depth: int, indent: int) -> str:
        choice = draw(st.integers(0, 9 if depth < 3 else 5))
        if choice <= 5:
            # mostly plain text; now and then a scalar the loader treats specially
            special = draw(st.integers(0, 5)) == 0
            return " " + draw(st.sampled_from(_SCALARS if special else _SCALARS[:20]))
        pad = " " * indent
        n = draw(st.integers(0, 3))
        if choice <= 7:  # block mapping
            keys = [key() for _ in range(n)]
            if not keys:
                return " {}"
            return "".join(f"\n{pad}{k}:{node(depth + 1, indent + 2)}" for k in keys)
        if n == 0:
            return " []"
        if choice == 8:  # block sequence
            return "".join(f"\n{pad}-{node(depth + 1, indent + 2)}" for _ in range(n))
        items = ", ".join(draw(st.sampled_from(_SCALARS[:30])) for _ in range(n))
        return f" [{items}]"  # flow sequence

    keys = [key() for _ in range(draw(st.integers(0, 5)))]
    text = "".join(f"{k}:{node(1, 2)}\n" for k in keys)
    if draw(st.integers(0, 3)) == 0 and text:
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["\t", " ", "-", ":", "&a ", "*a", "\n", '"']))
        text = text[:at] + edit + text[at:]
    return text


def _outcome(text: str, *, lazy: bool) -> tuple[object, ...]:
    try:
        value, where = load_yaml(text, lazy_locations=lazy)
    except YamlError as exc:
        return ("error", exc.message, exc.line, exc.col, exc.hint)
    return ("ok", repr(value), sorted(where.items(), key=repr))


@settings(max_examples=400, deadline=None)
@given(_documents())
def test_lazy_locations_load_exactly_like_the_full_loader(text: str) -> None:
    assert _outcome(text, lazy=True) == _outcome(text, lazy=False)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",
        "a: &x [1, *x]\n",
        "1: x\n",
        "a: !!int " + "9" * 30 + "\n",
        "base: &b {x: 1}\nc:\n  <<: *b\n",
        "a: [" * 70 + "]" * 70 + "\n",
        "- " * 70 + "x\n",
        "a: yes\nb: 012\nc: 1e3\nd: 4e5d\n",
        # a collection tagged as a string: refused, never read as its nodes
        "a: [!!str [x]]\n",
        "a: {k: !!str {b: c}}\n",
    ],
)
def test_lazy_locations_on_edge_cases(text: str) -> None:
    assert _outcome(text, lazy=True) == _outcome(text, lazy=False)


def _sized(nodes: int) -> str:
    """A document of exactly ``nodes`` values, most of them reached through an alias."""
    aliases, rest = divmod(nodes - 1003, 1000)
    return (
        "a: &a [" + ", ".join(["x"] * 999) + "]\n"
        "b: [" + ", ".join(["*a"] * aliases) + "]\n"
        "c: [" + ", ".join(["y"] * rest) + "]\n"
    )


@pytest.mark.parametrize("nodes", [MAX_NODES, MAX_NODES + 1])
def test_lazy_locations_count_nodes_like_the_full_loader(nodes: int) -> None:
    outcome = _outcome(_sized(nodes), lazy=True)
    assert outcome == _outcome(_sized(nodes), lazy=False)
    assert outcome[0] == ("ok" if nodes == MAX_NODES else "error")


def test_scalars_are_read_as_yaml_1_1_reads_them() -> None:
    spellings = ["0", "7", "012", "0x1F", "0b101", "1_000", "190:20:30", "-42", "+7", "9" * 18]
    spellings += ["yes", "No", "on", "~", "null", "", "1e3", "1.5", "-.inf", ".nan", "4e5d"]
    spellings += ['"12"', "'yes'", '"~"', "x", "Kim Jong Un"]
    for spelling in spellings * 2:  # the second time, the plain scalars' tags are cached
        expected = repr(yaml.load(f"n: {spelling}\n", Loader=yaml.SafeLoader))
        assert repr(load_yaml(f"n: {spelling}\n", lazy_locations=True)[0]) == expected
        assert repr(load_yaml(f"n: {spelling}\n")[0]) == expected
    assert load_yaml(f"n: {2**63 - 1}\n", lazy_locations=True)[0] == {"n": 2**63 - 1}
    for too_large in (2**63, 10**19 - 1, -(2**63) - 1):
        with pytest.raises(YamlError, match="must fit in 64 bits"):
            load_yaml(f"n: {too_large}\n", lazy_locations=True)


def test_lazy_locations_are_found_on_first_use() -> None:
    value, where = load_yaml("a:\n  - 1\n  - {b: x}\n", lazy_locations=True)
    assert value == {"a": [1, {"b": "x"}]}
    assert where.get(("a", 1, "b")) == (3, 9)
    assert dict(where) == dict(load_yaml("a:\n  - 1\n  - {b: x}\n")[1])
