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

from dataclasses import dataclass
from typing import Any

import yaml

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Far above any real annotation file (the largest seed file has a few thousand
# nodes) and far below what an alias bomb expands to.
MAX_NODES = 200_000
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]
Locations = dict[Path_, tuple[int, int]]

_TAG = "tag:yaml.org,2002:"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass(frozen=True)
class YamlError(Exception):
    """The file is not YAML we accept; ``line``/``col`` are 1-based."""

    message: str
    line: int = 0
    col: int = 0
    hint: str = ""

    def __str__(self) -> str:
        return self.message


class _Builder:
    def __init__(self) -> None:
        self.locations: Locations = {}
        self.count = 0

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
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
        self.locations.setdefault(path, (mark.line + 1, mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, "seq")
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            self._check_tag(node, "map")
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _at(key_node, "mapping keys must be plain scalars")
                if key_node.tag == _TAG + "merge":
                    raise _at(key_node, "merge keys (<<) are not supported", "write the keys out")
                key = self._scalar(key_node)
                if not isinstance(key, str | int):
                    raise _at(key_node, f"mapping key {key_node.value!r} must be a string")
                if key in result:
                    raise _at(key_node, f"duplicate key {key!r}", "each key may appear once")
                result[key] = self.build(value_node, (*path, key), depth + 1)
            return result
        raise _at(node, f"unsupported YAML node {type(node).__name__}")  # pragma: no cover

    @staticmethod
    def _check_tag(node: yaml.Node, kind: str) -> None:
        if node.tag != _TAG + kind:
            raise _at(node, f"YAML tag {node.tag!r} is not allowed", "remove the tag")

    @staticmethod
    def _scalar(node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag in (_TAG + "str", _TAG + "timestamp"):
            # Dates stay as written; the models validate them as ISO 8601.
            return node.value
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return _CONSTRUCTOR.construct_yaml_bool(node)
        if tag == _TAG + "int":
            return _CONSTRUCTOR.construct_yaml_int(node)
        if tag == _TAG + "float":
            return _CONSTRUCTOR.construct_yaml_float(node)
        raise _at(node, f"YAML tag {tag!r} is not allowed", "only plain YAML values are accepted")


def _at(node: yaml.Node, message: str, hint: str = "") -> YamlError:
    return YamlError(message, node.start_mark.line + 1, node.start_mark.column + 1, hint)


def load_yaml(text: str) -> tuple[Any, Locations]:
    """Parse one YAML document into plain values plus a location for every path.

    Args:
        text: The YAML source.

    Returns:
        The value (``None`` for an empty document) and a mapping from each
        value's path (a tuple of keys and indexes) to its 1-based ``(line, col)``.

    Raises:
        YamlError: On a syntax error, a forbidden tag, a duplicate key or an
            alias expansion beyond the cap.

    >>> value, where = load_yaml("a:\\n  - 1\\n  - x\\n")
    >>> value, where[("a", 1)]
    ({'a': [1, 'x']}, (3, 5))
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise YamlError(f"YAML syntax error: {problem}", line, col) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}") from None
    except RecursionError:
        raise YamlError(f"nesting deeper than {MAX_DEPTH} levels") from None
    if node is None:
        return None, {}
    builder = _Builder()
    return builder.build(node, (), 0), builder.locations
