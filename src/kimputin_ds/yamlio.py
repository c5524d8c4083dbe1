"""Safe YAML reading that keeps the line and column of every value.

Annotation files are written by hand, so every error must point at a line.
PyYAML's composer gives us a node graph with marks; we construct plain Python
values from it ourselves, which lets us

* allow only the core YAML tags (no object construction, ever),
* cap alias expansion and nesting (so an alias bomb is an error, not a hang),
* reject duplicate keys, which PyYAML would silently overwrite,
* keep dates as the strings the curator wrote.
"""

from __future__ import annotations

import gc
import operator
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Far above any real annotation file (the largest seed file has a few thousand
# nodes) and far below what an alias bomb expands to.
MAX_NODES = 200_000
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]
#: Where each value is: its path (keys and indexes) -> 1-based ``(line, col)``.
Locations = Mapping[Path_, tuple[int, int]]

_TAG = "tag:yaml.org,2002:"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR = _TAG + "str"
_TIMESTAMP = _TAG + "timestamp"
_NULL = _TAG + "null"
_SEQ = _TAG + "seq"
_MAP = _TAG + "map"
_MERGE = _TAG + "merge"
_ScalarNode = yaml.ScalarNode
_SequenceNode = yaml.SequenceNode
_MappingNode = yaml.MappingNode

# The safe loader's implicit resolvers by first character, wildcard ones appended,
# exactly as BaseResolver.resolve looks them up.
_WILDCARD = tuple(_BaseLoader.yaml_implicit_resolvers.get(None, []))
_IMPLICIT = {
    first: (*resolvers, *_WILDCARD)
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    if first is not None
}


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader with the resolver's per-node bookkeeping cut short.

    The composer asks the resolver for the tag of every node and tells it of
    every step down and up the tree, for path resolvers. The safe loader has
    none, so those steps do nothing, and ``resolve`` is
    ``BaseResolver.resolve`` without the path-resolver branch: same tags,
    fewer Python calls per node.
    """

    # Called twice per node and ignored: C built-ins that take the same
    # arguments and do nothing with them cost a fraction of a Python call.
    descend_resolver = staticmethod(operator.is_)  # (current_node, current_index)
    ascend_resolver = staticmethod(int)  # ()

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is _ScalarNode:
            if not implicit[0]:
                return _STR
            # Keys and labels repeat in every file: a plain scalar's tag
            # depends on its text alone, so it is matched once.
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = _implicit_tag(value)
                if len(value) <= _PLAIN_TAGS_TEXT:
                    if len(_PLAIN_TAGS) >= _PLAIN_TAGS_LIMIT:
                        _PLAIN_TAGS.clear()
                    _PLAIN_TAGS[value] = tag
            return tag
        return _SEQ if kind is _SequenceNode else _MAP


#: Tags of short plain scalars already resolved; cleared when full, to stay small.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_LIMIT = 8192
_PLAIN_TAGS_TEXT = 64


def _implicit_tag(value: str) -> str:
    """The tag of a plain scalar, as ``BaseResolver.resolve`` finds it.

    >>> _implicit_tag("12"), _implicit_tag("yes"), _implicit_tag("Kim")
    ('tag:yaml.org,2002:int', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:str')
    """
    for tag, regexp in _IMPLICIT.get(value[:1], _WILDCARD):
        if regexp.match(value):
            return str(tag)
    return _STR


@dataclass(frozen=True)
class YamlError(Exception):
    """The file is not YAML we accept; ``line``/``col`` are 1-based (1, 1: the whole file)."""

    message: str
    line: int
    col: int
    hint: str = ""

    def __str__(self) -> str:
        return self.message


class _Builder:
    def __init__(self) -> None:
        self.locations: dict[Path_, tuple[int, int]] = {}
        self.count = 0

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self._enter(node, path, depth)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, path, depth)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        raise _at(node, f"unsupported YAML node {type(node).__name__}")  # pragma: no cover

    def _enter(self, node: yaml.Node, path: Path_, depth: int) -> None:
        """Count the node, check the caps and record where it is."""
        self.count += 1
        mark = node.start_mark
        if self.count > MAX_NODES:
            raise YamlError(
                f"document expands to more than {MAX_NODES} values",
                mark.line + 1,
                mark.column + 1,
                "aliases (*name) that expand recursively are not allowed",
            )
        if depth > MAX_DEPTH:
            raise YamlError(
                f"nesting deeper than {MAX_DEPTH} levels", mark.line + 1, mark.column + 1
            )
        # Paths are unique in a tree (keys are checked for duplicates), so the
        # first location of a path is the only one.
        self.locations[path] = (mark.line + 1, mark.column + 1)

    # Scalars are most nodes: the loops below handle them inline, in the same
    # order of checks as ``build``, and recurse only into collections.

    def _sequence(self, node: yaml.SequenceNode, path: Path_, depth: int) -> list[Any]:
        self._check_tag(node, "seq")
        result: list[Any] = []
        append = result.append
        depth += 1
        for i, child in enumerate(node.value):
            child_path = (*path, i)
            if type(child) is _ScalarNode:
                self._enter(child, child_path, depth)
                append(child.value if child.tag == _STR else self._scalar(child))
            else:
                append(self.build(child, child_path, depth))
        return result

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        self._check_tag(node, "map")
        result: dict[Any, Any] = {}
        depth += 1
        for key_node, value_node in node.value:
            if type(key_node) is _ScalarNode and key_node.tag == _STR:
                key = key_node.value
            else:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _at(key_node, "mapping keys must be plain scalars")
                if key_node.tag == _MERGE:
                    raise _at(key_node, "merge keys (<<) are not supported", "write the keys out")
                key = self._scalar(key_node)
                if not isinstance(key, str | int):
                    raise _at(key_node, f"mapping key {key_node.value!r} must be a string")
            if key in result:
                raise _at(key_node, f"duplicate key {key!r}", "each key may appear once")
            value_path = (*path, key)
            if type(value_node) is _ScalarNode:
                self._enter(value_node, value_path, depth)
                result[key] = (
                    value_node.value if value_node.tag == _STR else self._scalar(value_node)
                )
            else:
                result[key] = self.build(value_node, value_path, depth)
        return result

    @staticmethod
    def _check_tag(node: yaml.Node, kind: str) -> None:
        if node.tag != _TAG + kind:
            raise _at(node, f"YAML tag {node.tag!r} is not allowed", "remove the tag")

    @staticmethod
    def _scalar(node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag in (_STR, _TIMESTAMP):
            # Dates stay as written; the models validate them as ISO 8601.
            return node.value
        if tag == _NULL:
            return None
        if tag == _TAG + "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag == _TAG + "int":
            return _integer(node)
        if tag == _TAG + "float":
            return _CONSTRUCTOR.construct_yaml_float(node)
        raise _at(node, f"YAML tag {tag!r} is not allowed", "only plain YAML values are accepted")


class _NotPlainError(Exception):
    """The document needs the full builder: it refuses it, or a cap is near."""


class _ValueBuilder:
    """:class:`_Builder`'s values without the locations, for the documents it accepts.

    The same walk, the same node count and the same values. Wherever the full
    builder would raise (a tag, a key, a duplicate, a cap), this raises too,
    and the caller runs the full builder, which says what and where.
    """

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 1  # the root; every other node is counted by its parent

    def build(self, node: Any, depth: int) -> Any:
        kind = type(node)
        if kind is _ScalarNode:
            return node.value if node.tag == _STR else _Builder._scalar(node)
        children = node.value
        depth += 1
        self.count += len(children)
        if self.count > MAX_NODES or (depth > MAX_DEPTH and children):
            raise _NotPlainError
        if kind is _SequenceNode and node.tag == _SEQ:
            return [
                child.value
                if type(child) is _ScalarNode and child.tag == _STR
                else self.build(child, depth)
                for child in children
            ]
        if kind is not _MappingNode or node.tag != _MAP:
            raise _NotPlainError
        result: dict[Any, Any] = {}
        for key_node, value_node in children:
            # Other keys (numbers, merge keys, collections) take the full builder.
            if type(key_node) is not _ScalarNode or key_node.tag != _STR:
                raise _NotPlainError
            key = key_node.value
            if key in result:
                raise _NotPlainError
            result[key] = (
                value_node.value
                if type(value_node) is _ScalarNode and value_node.tag == _STR
                else self.build(value_node, depth)
            )
        return result


def _values(text: str) -> Any:
    """The value :func:`_load` gives ``text``, without the locations.

    Raises on whatever :func:`_load` would refuse (and on more), never
    returns what it would not.
    """
    node = yaml.compose(text, Loader=_Loader)
    return None if node is None else _ValueBuilder().build(node, 0)


class _LazyLocations(Mapping[Path_, tuple[int, int]]):
    """The locations of a text that :func:`_values` parsed, found on first use."""

    __slots__ = ("_found", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._found: dict[Path_, tuple[int, int]] | None = None

    def _locations(self) -> dict[Path_, tuple[int, int]]:
        if self._found is None:
            # _values accepted the text, so the full loader does too.
            self._found = dict(load_yaml(self._text)[1])
            self._text = ""
        return self._found

    def __getitem__(self, path: Path_) -> tuple[int, int]:
        return self._locations()[path]

    def __iter__(self) -> Iterator[Path_]:
        return iter(self._locations())

    def __len__(self) -> int:
        return len(self._locations())

    def __repr__(self) -> str:
        return repr(self._locations())


#: Integers are kept to 64 bits: no field needs more, a Parquet column holds no
#: more, and a longer one could not even be printed (Python's int digit limit).
_INT_LIMIT = 2**63
_INT_CHARS = 80  # longer spellings (leading zeros, ``_`` or ``:`` groups) are refused unread


def _integer(node: yaml.ScalarNode) -> int:
    value = node.value
    if len(value) <= 18 and value.isascii() and value.isdigit() and value[0] != "0":
        return int(value)  # the common case: what construct_yaml_int gives, and in range
    if len(value) > _INT_CHARS:
        raise _too_large(node)
    try:
        number = _CONSTRUCTOR.construct_yaml_int(node)
    except ValueError:
        raise _too_large(node) from None
    if not -_INT_LIMIT <= number < _INT_LIMIT:
        raise _too_large(node)
    return int(number)


def _too_large(node: yaml.ScalarNode) -> YamlError:
    value = node.value
    short = value if len(value) <= 24 else f"{value[:20]}... ({len(value)} characters)"
    return _at(
        node,
        f"number {short} is too large: integers must fit in 64 bits",
        "write a smaller number, or quote it to make it a string",
    )


def _at(node: yaml.Node, message: str, hint: str = "") -> YamlError:
    return YamlError(message, node.start_mark.line + 1, node.start_mark.column + 1, hint)


def load_yaml(text: str, *, lazy_locations: bool = False) -> tuple[Any, Locations]:
    """Parse one YAML document into plain values plus a location for every path.

    Args:
        text: The YAML source.
        lazy_locations: Find the locations only when one is first looked up
            (by parsing the text again). Most files that are read are valid
            and their locations never needed: this saves a third of the
            parse. The values, the locations and the errors are the same.

    Returns:
        The value (``None`` for an empty document) and a mapping from each
        value's path (a tuple of keys and indexes) to its 1-based ``(line, col)``.

    Raises:
        YamlError: On a syntax error, a forbidden tag, a duplicate key or an
            alias expansion beyond the cap.

    >>> value, where = load_yaml("a:\\n  - 1\\n  - x\\n")
    >>> value, where[("a", 1)]
    ({'a': [1, 'x']}, (3, 5))
    >>> value, where = load_yaml("a:\\n  - 1\\n  - x\\n", lazy_locations=True)
    >>> value, where[("a", 1)]
    ({'a': [1, 'x']}, (3, 5))
    """
    # Parsing allocates a tree of nodes and values, all acyclic and freed by
    # reference counting; the cyclic collector's passes over them while they
    # are built find nothing and cost about a fifth of the parse. A file is
    # bounded (MAX_NODES), so the pause is short, and the state is restored.
    # (A plain try/finally: YamlError is frozen, and contextlib's exit would
    # try to set its __traceback__.)
    enabled = gc.isenabled()
    gc.disable()
    try:
        if lazy_locations:
            try:
                return _values(text), _LazyLocations(text)
            except Exception:  # whatever it is, the full loader says what and where
                pass
        return _load(text)
    finally:
        if enabled:
            gc.enable()


def _indenting_tab(text: str, line: int) -> tuple[int, int] | None:
    """``(line, col)`` of a tab in the indentation at or just before ``line``, if any.

    >>> _indenting_tab("a:\\n\\tb: 1\\n", 2)
    (2, 1)
    """
    lines = text.splitlines()
    for number in (line, line - 1):
        if 1 <= number <= len(lines):
            content = lines[number - 1]
            indent = content[: len(content) - len(content.lstrip(" \t"))]
            if "\t" in indent:
                return number, indent.index("\t") + 1
    return None


def _load(text: str) -> tuple[Any, Locations]:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        tab = _indenting_tab(text, line)
        if tab is not None:
            raise YamlError(
                "a tab in the indentation: YAML indents with spaces only",
                *tab,
                "replace the tab with spaces",
            ) from None
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise YamlError(f"YAML syntax error: {problem}", line, col) from None
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (NUL, ESC, other controls): located,
        # named by its code point, never echoed raw.
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise YamlError(
            f"control character U+{code:04X} is not allowed in YAML",
            line,
            col,
            "remove it; in a double-quoted string it may be written as an escape",
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {' '.join(str(exc).split())}", 1, 1) from None
    except RecursionError:
        # Only PyYAML's pure-Python composer (no libyaml) recurses this deep
        # (libyaml stops at 1000 levels with a located syntax error), and it
        # does not say where: the problem is the file's.
        raise YamlError(f"nesting deeper than {MAX_DEPTH} levels", 1, 1) from None
    if node is None:
        return None, {}
    builder = _Builder()
    return builder.build(node, (), 0), builder.locations
