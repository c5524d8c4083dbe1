"""Mutation testing: plant small bugs one at a time in the core modules; count those caught.

A mutant is the source of one module with one small change. It is *killed*
when the tests of its module group fail (or time out) with it, and *survives*
when they all pass: a surviving mutant is a wrong value the suite would ship.
The score of a group is ``killed / (mutants - equivalent)``, where an
equivalent mutant (listed in ``EQUIVALENT`` with the reason) behaves exactly
like the original, so no test can kill it.

Operators (applied everywhere except docstrings (attribute docstrings too), type annotations,
``TYPE_CHECKING`` and ``__main__`` blocks, f-string internals, ``__all__``
and documentation keywords such as ``help=`` and ``description=``):

========================  ======================================================
``compare``               flip a comparison: ``<``/``<=``, ``>``/``>=``,
                          ``==``/``!=``, ``in``/``not in``, ``is``/``is not``
``negate``                negate the condition of an ``if``, ``while``,
                          conditional expression or comprehension filter
``drop_check``            an ``if`` whose condition is always false (the check
                          is dropped), or a comprehension filter always true
``boolop``                ``and`` <-> ``or``
``not``                   drop a ``not``
``int``                   off by one: an integer constant ``n`` -> ``n + 1``
                          and ``n - 1``
``bool``                  ``True`` <-> ``False``
``string``                a string constant emptied (or, if empty, set to ``"X"``)
``arith``                 ``+`` <-> ``-`` (also in ``+=``/``-=``), ``*`` -> ``//``
``drop_field``            a dict entry removed, or a keyword argument removed
``swap``                  the values of two neighbouring dict entries swapped,
                          or two neighbouring positional arguments swapped
``drop_call``             a call statement (``report.add(...)``) removed
========================  ======================================================

Each mutant runs in a scratch copy of the repository (the working tree is
never modified) against the tests that cover its group, stopping at the first
failure, with a per-mutant timeout. CPU is scarce, so the pass can be run in
parts::

    python scripts/mutation.py --list                      # count the mutants per group
    python scripts/mutation.py --group publish             # one group, every mutant
    python scripts/mutation.py --max-mutants 40 --seed 1   # a random sample per group
    python scripts/mutation.py --named                     # the regression mutants (issue 19)
    python scripts/mutation.py --only records.py:kb_row    # mutants whose id contains this

The ``--named`` mutants are the bugs that once shipped while every test
passed; each must be killed, and the output names the test that killed it.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = Path("src") / "kimputin_ds"

#: Module groups: the modules mutated, and the tests that cover them (fast ones first).
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "models+anchoring": (
        ["models.py", "anchoring.py"],
        [
            "tests/test_anchoring.py",
            "tests/test_yamlio.py",
            "tests/test_validate.py",
            "tests/test_golden.py",
            "tests/test_schema.py",
            "tests/test_snapshot.py",
            "tests/test_roundtrip.py",
            "tests/test_roundtrip_generated.py",
            "tests/test_guidelines.py",  # CORE_ROLES against the reviewed guidelines table
        ],
    ),
    "yamlio+validation": (
        ["yamlio.py", "validation.py"],
        [
            "tests/test_yamlio.py",
            "tests/test_validate.py",
            "tests/test_golden.py",
            "tests/test_seeds.py",
            "tests/test_snapshot.py",
            "tests/test_roundtrip_generated.py",
            # CorpusState's field lists (test_parallel.py is slow as a whole: its processes)
            "tests/test_parallel.py::test_corpus_state_fields_are_inputs_or_accumulated",
        ],
    ),
    "records+rows+features": (
        ["records.py", "rows.py", "features.py"],
        [
            "tests/test_snapshot.py",
            "tests/test_roundtrip.py",
            "tests/test_roundtrip_generated.py",
            "tests/test_features.py",  # encoders and the card's column types
            "tests/test_schema.py",
            "tests/test_build.py",
            "tests/test_croissant.py",
        ],
    ),
    "build+manifest": (
        ["build.py", "manifest.py"],
        [
            "tests/test_publish.py",
            "tests/test_snapshot.py",
            "tests/test_release_metadata.py",
            "tests/test_build.py",
            "tests/test_cli.py",
            "tests/test_release_real.py",
        ],
    ),
    "publish": (
        ["publish.py", "redaction.py"],
        ["tests/test_publish.py", "tests/test_publish_hostile.py"],
    ),
    "card+croissant": (
        ["card.py", "card_metadata.py", "croissant.py"],
        [
            "tests/test_card_metadata.py",
            "tests/test_release_metadata.py",
            "tests/test_croissant.py",
            "tests/test_build.py",
            "tests/test_release_real.py",
        ],
    ),
}

_SAME_STARTS = (
    "both branches compute the same list, the starts of prefix + text in the text in "
    "ascending order, overlapping ones included: filtering the text's own starts by the "
    "prefix, or searching for prefix + text afresh; _FILTER_LIMIT only picks the faster"
)

#: Mutants that behave exactly like the original, by id, with the reason.
EQUIVALENT: dict[str, str] = {
    "anchoring.py:_usual_reason:drop_field:"
    "zip(raw[i : i + len(text)], text, strict=True) -> zip(raw[i:i + len(text)], text)": (
        "the look-alike table maps one character to one, so the match found in the folded "
        "text always leaves len(text) characters of the raw text: strict never fires"
    ),
    "build.py:_write_release:bool:True -> False #2": (
        "exist_ok of the guidelines' folder in a fresh staging directory: nothing is written "
        "under docs/ before it, so the folder never exists yet and exist_ok never matters"
    ),
    "redaction.py:_read_small:string:\"\" -> 'X'": (
        "an unreadable token file gives no token either way: 'X' is shorter than the "
        "shortest text taken for a token (_MIN_LENGTH), so it is dropped like ''"
    ),
    "anchoring.py:_usual_reason:bool:True -> False": (
        "strict=False is no strict at all, the mutant above: the look-alike table maps one "
        "character to one, so both sides always have len(text) characters"
    ),
    "anchoring.py:Anchorer._prefixed:negate:len(of_text) <= _FILTER_LIMIT -> "
    "not len(of_text) <= _FILTER_LIMIT": _SAME_STARTS,
    "anchoring.py:Anchorer._prefixed:drop_check:len(of_text) <= _FILTER_LIMIT -> False": (
        _SAME_STARTS
    ),
    "anchoring.py:Anchorer._prefixed:compare:len(of_text) <= _FILTER_LIMIT -> "
    "len(of_text) < _FILTER_LIMIT": _SAME_STARTS,
    "validation.py:validate_corpus:int:1 -> 0": (
        "the default jobs=0 runs like jobs=1: process_corpus takes min(jobs, chunks) and "
        "runs in this process whenever that is <= 1"
    ),
    "features.py:row_encoder:drop_check:not active -> False": (
        "a shortcut: without it a struct with no label field is copied field by field "
        "instead of passed through, with the same values"
    ),
}

#: Keyword arguments that hold documentation, not behaviour.
DOC_KEYWORDS = frozenset({"help", "description", "metavar", "prog", "epilog", "title"})


@dataclass(frozen=True)
class Mutant:
    """One planted change: replace ``source[start:end]`` (UTF-8 bytes) with ``text``."""

    id: str
    path: str  # relative to the repository
    line: int
    start: int
    end: int
    text: str
    end_line: int = 0  # the last line changed (0: same as line)

    def apply(self, source: bytes) -> bytes:
        return source[: self.start] + self.text.encode("utf-8") + source[self.end :]


# --- generating mutants ----------------------------------------------------------


class _Finder(ast.NodeVisitor):
    """Walks a module and proposes (node, operator, replacement node) triples."""

    def __init__(self) -> None:
        self.found: list[tuple[ast.AST, str, ast.AST, str]] = []
        self.scope: list[str] = []

    # scopes and skipped regions
    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        for d in node.decorator_list:
            self.visit(d)
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default)
        self._body(node.body)
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]  # noqa: N815

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.append(node.name)
        for base in node.bases:
            self.visit(base)
        for kw in node.keywords:
            self.visit(kw)
        self._body(node.body)
        self.scope.pop()

    def visit_Module(self, node: ast.Module) -> None:
        self._body(node.body)

    def _body(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            # A bare string statement does nothing: the docstring of a module, class or
            # function, or the documentation of the attribute assigned just before it.
            if _is_docstring(stmt):
                continue
            self.visit(stmt)

    def visit_If(self, node: ast.If) -> None:
        test = ast.unparse(node.test)
        if test in ("TYPE_CHECKING", "__name__ == '__main__'"):
            if node.orelse:
                self._body(node.orelse)
            return
        self._condition(node.test, node)
        self.add(node.test, "drop_check", ast.Constant(False), node)
        self.visit(node.test)
        self._body(node.body)
        self._body(node.orelse)

    def visit_While(self, node: ast.While) -> None:
        self._condition(node.test, node)
        self.generic_visit(node)

    def visit_IfExp(self, node: ast.IfExp) -> None:
        self._condition(node.test, node)
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        for cond in node.ifs:
            self._condition(cond, node)
            self.add(cond, "drop_check", ast.Constant(True), node)
        self.generic_visit(node)

    def _condition(self, test: ast.expr, owner: ast.AST) -> None:
        self.add(test, "negate", ast.UnaryOp(ast.Not(), test), owner)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_Assign(self, node: ast.Assign) -> None:
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return
        self.visit(node.value)

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        return  # f-strings: their parts are not separate expressions in the source

    def visit_arg(self, node: ast.arg) -> None:
        return  # annotations

    def visit_Expr(self, node: ast.Expr) -> None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return  # an attribute's docstring (a bare string statement): documentation
        if isinstance(node.value, ast.Call):
            self.add(node.value, "drop_call", ast.Constant(None), node)
        self.visit(node.value)

    # expressions
    def visit_Compare(self, node: ast.Compare) -> None:
        for i, op in enumerate(node.ops):
            flipped = _FLIP.get(type(op))
            if flipped is not None:
                ops = list(node.ops)
                ops[i] = flipped()
                self.add(node, "compare", ast.Compare(node.left, ops, node.comparators))
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        other = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        self.add(node, "boolop", ast.BoolOp(other, node.values))
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self.add(node, "not", node.operand)
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        swap = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv}.get(type(node.op))
        if swap is not None:
            self.add(node, "arith", ast.BinOp(node.left, swap(), node.right))
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        swap = {ast.Add: ast.Sub, ast.Sub: ast.Add}.get(type(node.op))
        if swap is not None:
            self.add(node, "arith", ast.AugAssign(node.target, swap(), node.value))
        self.visit(node.value)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if isinstance(value, bool):
            self.add(node, "bool", ast.Constant(not value))
        elif isinstance(value, int):
            self.add(node, "int", ast.Constant(value + 1))
            self.add(node, "int", ast.Constant(value - 1))
        elif isinstance(value, str):
            self.add(node, "string", ast.Constant("" if value else "X"))

    def visit_Dict(self, node: ast.Dict) -> None:
        for i in range(len(node.keys)):
            keys = node.keys[:i] + node.keys[i + 1 :]
            values = node.values[:i] + node.values[i + 1 :]
            self.add(node, "drop_field", ast.Dict(keys, values))
        for i in range(len(node.keys) - 1):
            a, b = node.values[i], node.values[i + 1]
            if None in (node.keys[i], node.keys[i + 1]) or ast.unparse(a) == ast.unparse(b):
                continue
            values = list(node.values)
            values[i], values[i + 1] = b, a
            self.add(node, "swap", ast.Dict(node.keys, values))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        for i, kw in enumerate(node.keywords):
            if kw.arg in DOC_KEYWORDS:
                continue
            keywords = node.keywords[:i] + node.keywords[i + 1 :]
            self.add(node, "drop_field", ast.Call(node.func, node.args, keywords))
        for i in range(len(node.args) - 1):
            a, b = node.args[i], node.args[i + 1]
            if isinstance(a, ast.Starred) or isinstance(b, ast.Starred):
                continue
            if ast.unparse(a) == ast.unparse(b):
                continue
            args = list(node.args)
            args[i], args[i + 1] = b, a
            self.add(node, "swap", ast.Call(node.func, args, node.keywords))
        self.visit(node.func)
        for arg in node.args:
            self.visit(arg)
        for kw in node.keywords:
            if kw.arg not in DOC_KEYWORDS:
                self.visit(kw.value)

    def add(self, node: ast.AST, op: str, new: ast.AST, owner: ast.AST | None = None) -> None:
        self.found.append((node, op, new, ".".join(self.scope) or "<module>"))


_FLIP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _short(text: str, limit: int = 70) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def mutants_of(relpath: str, source: bytes | None = None) -> list[Mutant]:
    """Every mutant of one module, in source order, with stable ids."""
    if source is None:
        source = (REPO / relpath).read_bytes()
    tree = ast.parse(source)
    finder = _Finder()
    finder.visit(tree)
    line_starts = [0]
    for line in source.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    out: list[Mutant] = []
    seen: dict[str, int] = {}
    name = Path(relpath).name
    for node, op, new, scope in finder.found:
        lineno, col = node.lineno, node.col_offset  # type: ignore[attr-defined]
        end_lineno, end_col = node.end_lineno, node.end_col_offset  # type: ignore[attr-defined]
        start = line_starts[lineno - 1] + col
        end = line_starts[end_lineno - 1] + end_col
        original = source[start:end].decode("utf-8")
        replacement = ast.unparse(new)
        text = replacement if isinstance(node, ast.stmt) else f"({replacement})"
        if _short(ast.unparse(node)) == _short(replacement):
            continue
        base = f"{name}:{scope}:{op}:{_short(original, 50)} -> {_short(replacement, 50)}"
        seen[base] = seen.get(base, 0) + 1
        ident = base if seen[base] == 1 else f"{base} #{seen[base]}"
        mutant = Mutant(ident, relpath, lineno, start, end, text, end_lineno)
        try:
            ast.parse(mutant.apply(source))
        except SyntaxError:
            continue
        out.append(mutant)
    return out


# --- the regression mutants (issue 19): bugs that once went unnoticed -------------

#: (id, module, original text, mutated text, the test that must kill it). Each is run
#: against its protecting test alone, which must fail: the bug is caught by a test
#: named for what it protects, not by chance.
NAMED: list[tuple[str, str, str, str, str]] = [
    (
        "parent_quote_id always None",
        "records.py",
        '"parent_quote_id": q.parent,',
        '"parent_quote_id": None,',
        "tests/test_roundtrip.py::test_nested_quote_keeps_its_parent_quote_id",
    ),
    (
        "kb NESTED_IN relation dropped",
        "records.py",
        'if q.parent:\n            relate("NESTED_IN"',
        'if False:\n            relate("NESTED_IN"',
        "tests/test_roundtrip.py::test_kb_records_each_nested_quote_as_nested_in_its_parent",
    ),
    (
        "byline and dateline swapped",
        "records.py",
        '"byline": _span(doc.span("metadata", "byline")),\n'
        '        "dateline": _span(doc.span("metadata", "dateline")),',
        '"byline": _span(doc.span("metadata", "dateline")),\n'
        '        "dateline": _span(doc.span("metadata", "byline")),',
        "tests/test_roundtrip.py::test_byline_and_dateline_come_from_their_own_fields",
    ),
    (
        "asserted_by and source_quote_id swapped",
        "records.py",
        '"asserted_by": e.asserted_by,\n                "source_quote_id": e.source_quote,',
        '"asserted_by": e.source_quote,\n                "source_quote_id": e.asserted_by,',
        "tests/test_roundtrip.py::test_event_asserted_by_and_source_quote_are_not_swapped",
    ),
    (
        "mention ids numbered from 0",
        "records.py",
        "enumerate(located, 1)",
        "enumerate(located)",
        "tests/test_roundtrip.py::test_mention_ids_are_numbered_from_one_in_text_order",
    ),
    (
        "num_mentions counts 1 per document",
        "records.py",
        "counts[entity_id] += len(doc.annotation.mentions[entity_id])",
        "counts[entity_id] += 1",
        "tests/test_roundtrip.py::test_num_mentions_counts_every_mention_in_the_split",
    ),
    (
        "stance event target is the event id, not its trigger",
        "records.py",
        "target = trigger.text if trigger else t.event",
        "target = t.event",
        "tests/test_roundtrip.py::test_stance_event_target_is_the_trigger_text",
    ),
    (
        "speaker_id filled from relayed_by",
        "records.py",
        '"speaker_id": q.speaker,',
        '"speaker_id": q.relayed_by,',
        "tests/test_roundtrip.py::test_speaker_id_is_the_speaker_not_the_relay",
    ),
    (
        "date_relative always False",
        "records.py",
        '"date_relative": bool(time and time.relative),',
        '"date_relative": False,',
        "tests/test_roundtrip.py::test_relative_dates_are_flagged",
    ),
    (
        "boilerplate-zone check off",
        "validation.py",
        "if zone.start <= span.start and span.end <= zone.end:",
        "if False:",
        "tests/test_golden.py::test_golden_case[annotation_inside_boilerplate_zone]",
    ),
    (
        "nested quote outside its parent accepted",
        "validation.py",
        "and not (outer.start - 1 <= child.start and child.end <= outer.end + 1)",
        "and False",
        "tests/test_golden.py::test_golden_case[nested_quote_outside_parent]",
    ),
    (
        "reference to an id of the wrong kind accepted",
        "validation.py",
        "if value is not None and kinds.get(value) != kind:",
        "if value is not None and value not in kinds:",
        "tests/test_golden.py::test_golden_case[reference_to_wrong_kind]",
    ),
    (
        "quotation mark just outside a quote counted as covered",
        "validation.py",
        "(spans[key].start - 1, spans[key].end + 1)",
        "(spans[key].start - 2, spans[key].end + 2)",
        "tests/test_golden.py::test_golden_case[quotation_mark_just_outside_quote]",
    ),
    # "cross_doc_id with conflicting event types accepted": scheme 2.0 dropped the
    # rule (one real-world event, whatever type each article gives it), so no code is
    # left to mutate; tests/test_roundtrip_generated.py requires mixed types to validate.
    (
        "a span touching a mention's end counted as overlapping it",
        "validation.py",
        "if n and reach[n - 1] > span.start:",
        "if n and reach[n - 1] >= span.start:",
        "tests/test_golden.py::test_golden_case[speaker_mention_only_touching_mention]",
    ),
    (
        "a span touching a mention's start counted as overlapping it",
        "validation.py",
        "n = bisect_left(starts, span.end)",
        "n = bisect_right(starts, span.end)",
        "tests/test_golden.py::test_golden_case[speaker_mention_only_touching_mention]",
    ),
    (
        "prefix before the very start wraps around the text",
        "anchoring.py",
        "if s >= shift and raw.startswith(prefix, s - shift)",
        "if raw.startswith(prefix, s - shift)",
        "tests/test_anchoring.py::test_a_prefix_never_wraps_around_the_start_of_the_text",
    ),
    (
        "overlapping matches skipped",
        "anchoring.py",
        "i = raw.find(needle, i + 1)",
        "i = raw.find(needle, i + len(needle))",
        "tests/test_anchoring.py::test_overlapping_matches_each_count_as_an_occurrence",
    ),
    (
        "occurrence=0 resolves to the last match",
        "anchoring.py",
        "elif 0 < occurrence <= n:",
        "elif occurrence <= n:",
        "tests/test_anchoring.py::test_occurrence_zero_is_an_error_not_the_last_match",
    ),
    (
        "a file listed in the manifest but missing is not reported",
        "manifest.py",
        'report.add(release / name, "listed in the manifest but missing", code="manifest")',
        "pass",
        "tests/test_publish.py::test_a_listed_file_that_is_missing_is_reported",
    ),
    (
        "the token is not masked",
        "redaction.py",
        "text = text.replace(token, MASK)",
        "pass",
        "tests/test_publish.py::test_the_token_never_appears_in_output_even_when_the_hub_echoes_it",
    ),
    (
        "remote files listed without revision=parent",
        "publish.py",
        "repo_type=REPO_TYPE, revision=parent)",
        "repo_type=REPO_TYPE)",
        "tests/test_publish.py::test_remote_files_are_listed_at_the_parent_commit",
    ),
    (
        "data-file patterns with .. or / accepted",
        "publish.py",
        'if not pattern or pattern.startswith("/") or ".." in pattern.split("/"):',
        "if not pattern:",
        "tests/test_publish.py::test_data_file_patterns_outside_the_release_are_refused",
    ),
    (
        "card num_bytes from the file size",
        "card_metadata.py",
        "num_bytes=sum(f.num_bytes for f in shards),",
        "num_bytes=sum(f.size for f in shards),",
        "tests/test_release_metadata.py::test_card_split_sizes_match_the_parquet_files",
    ),
    (
        "Croissant row count off by one",
        "croissant.py",
        "{f.num_rows} rows.",
        "{f.num_rows + 1} rows.",
        "tests/test_release_metadata.py::test_croissant_file_objects_match_the_files",
    ),
]


def named_mutants() -> list[tuple[Mutant, str]]:
    """The regression mutants, each with the test that must kill it."""
    out = []
    for ident, module, old, new, test in NAMED:
        relpath = (PACKAGE / module).as_posix()
        source = (REPO / relpath).read_bytes()
        start = source.find(old.encode("utf-8"))
        if start < 0 or source.count(old.encode("utf-8")) != 1:
            raise SystemExit(f"named mutant {ident!r}: {old!r} is not once in {relpath}")
        line = source[:start].count(b"\n") + 1
        end = start + len(old.encode("utf-8"))
        out.append((Mutant(f"{module}: {ident}", relpath, line, start, end, new), test))
    return out


# --- running -----------------------------------------------------------------------


def scratch_copy(into: Path) -> Path:
    """A copy of the repository's files (tracked and new, not ignored), without .git."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    root = into / "repo"
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file() and not source.is_symlink():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    return root


def coverage_map(root: Path, tests: list[str]) -> dict[str, dict[int, list[str]]]:
    """Which tests execute each line of the mutated modules: one pytest run under coverage.

    Returns ``{module path relative to the repository: {line: [pytest node ids]}}``.
    A line run only at import time, or only in a subprocess, has no entry.
    """
    data_file = root.parent / "coverage-contexts"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root / "scripts")]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "KIMPUTIN_MUTATION_COVERAGE": str(data_file),
        "KIMPUTIN_MUTATION_SOURCE": str(root / PACKAGE),
    }
    modules = sorted({str(root / PACKAGE / m) for g in GROUPS.values() for m in g[0]})
    present = [t for t in tests if (root / t.split("::")[0]).exists()]
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p"]
    cmd += ["_mutation_coverage", "--tb=short", "-m", "not browser", *present, *modules]
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"the coverage pass failed:\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}")
    import coverage  # a test dependency, needed only here

    data = coverage.CoverageData(basename=str(data_file))
    data.read()
    out: dict[str, dict[int, list[str]]] = {}
    for measured in data.measured_files():
        try:
            relpath = Path(measured).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
        by_line = data.contexts_by_lineno(measured)
        out[relpath] = {line: sorted(c for c in ctx if c) for line, ctx in by_line.items()}
    return out


def covering_tests(
    mutant: Mutant, lines: dict[str, dict[int, list[str]]], group_tests: list[str]
) -> list[str]:
    """The node ids of the tests (and doctests) anywhere in the suite that run the mutated lines.

    The group's own test files come first (they are chosen to be quick). Empty
    when no test runs the lines in-process: then the whole group runs.
    """
    by_line = lines.get(mutant.path, {})
    found: set[str] = set()
    for line in range(mutant.line, max(mutant.line, mutant.end_line) + 1):
        found.update(by_line.get(line, []))
    order = {f: i for i, f in enumerate(t.split("::")[0] for t in group_tests)}
    return sorted(found, key=lambda n: (order.get(n.split("::")[0], len(order)), n))


def run_tests(
    root: Path, tests: list[str], timeout: float, doctests: bool = True
) -> tuple[str, str, float]:
    """("passed" | "failed" | "timeout" | "unusable", first failing test, seconds).

    "unusable" means pytest exited with 4 or 5: a test it was given is not
    found, none ran, or a conftest failed to import. For the covering tests
    the caller then runs the whole group, where it counts as a failure.
    """
    env = {
        **os.environ,
        "PYTHONPATH": str(root / "src"),
        "PYTHONDONTWRITEBYTECODE": "1",
        # No shrinking (tests/conftest.py): a failure is all a kill needs.
        "HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", "mutation"),
    }
    present = [t for t in tests if (root / t.split("::")[0]).exists()]
    if not present:
        raise SystemExit(f"none of the tests exist: {tests}")
    modules = sorted({str(root / PACKAGE / m) for g in GROUPS.values() for m in g[0]})
    if not doctests:
        modules = []
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-x",
        "-q",
        "-p",
        "no:cacheprovider",
        "-rfE",
        "--tb=no",
        "-m",
        "not browser",
        *present,
        *modules,
    ]
    began = time.monotonic()
    try:
        proc = subprocess.run(
            cmd, cwd=root, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return "timeout", "", time.monotonic() - began
    elapsed = time.monotonic() - began
    if proc.returncode == 0:
        return "passed", "", elapsed
    if proc.returncode in (4, 5):
        return "unusable", f"pytest exit {proc.returncode}: {proc.stdout.strip()[-150:]}", elapsed
    failed = re.search(r"^(?:FAILED|ERROR) (\S+)", proc.stdout, re.MULTILINE)
    return "failed", failed.group(1) if failed else proc.stdout.strip()[-200:], elapsed


def _listed_ids(text: str) -> set[str]:
    """Mutant ids, one a line: bare, or as this script prints them (``SURVIVED  path:line  id``)."""
    ids = set()
    for line in text.splitlines():
        words = line.split(maxsplit=2)
        if len(words) == 3 and words[0] in ("SURVIVED", "killed", "equivalent"):
            ids.add(re.sub(r" by \S+$| \(timeout\)$", "", words[2]))
        elif line.strip():
            ids.add(line.strip())
    return ids


def run_mutant(
    root: Path,
    mutant: Mutant,
    tests: list[str],
    lines: dict[str, dict[int, list[str]]],
    timeout: float,
    *,
    confirm: bool,
) -> tuple[str, str, float]:
    """Run the tests against the mutant (already written): the covering tests first.

    With a coverage map, the tests that execute the mutated lines run first; if
    they all pass and ``confirm`` is set, the whole group runs, so a survivor
    is always a survivor of the group's full test list (tests that share a
    fixture or start a subprocess reach code that coverage does not attribute
    to them).
    """
    near = covering_tests(mutant, lines, tests) if lines else []
    spent = 0.0
    if near:
        state, first, spent = run_tests(root, near, timeout, doctests=False)
        # A timeout here is not a verdict: the covering tests may hold slow
        # ones the group's timeout was not set for. The whole group decides.
        if state == "failed" or (state == "passed" and not confirm):
            return state, first, spent
    state, first, seconds = run_tests(root, tests, timeout)
    return state, first, spent + seconds


def main(argv: list[str] | None = None) -> int:
    """Run a mutation pass and print the score per module group."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", action="append", choices=list(GROUPS), help="repeatable")
    parser.add_argument("--max-mutants", type=int, default=0, help="random sample per group")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample")
    parser.add_argument("--only", default="", help="only mutants whose id contains this")
    parser.add_argument(
        "--ids", type=Path, help="only the mutants whose ids are listed in this file, one a line"
    )
    parser.add_argument("--named", action="store_true", help="the regression mutants only")
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument("--timeout", type=float, default=0, help="seconds per mutant")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--no-coverage",
        action="store_true",
        help="run every mutant against the whole group (no coverage pass first)",
    )
    parser.add_argument(
        "--fast",
        action="store_true",
        help="a mutant the covering tests miss counts as survived without the whole group "
        "(a lower bound on the score)",
    )
    args = parser.parse_args(argv)

    plan: dict[str, list[Mutant]] = {}
    protecting: dict[str, str] = {}
    if args.named:
        for mutant, test in named_mutants():
            module = Path(mutant.path).name
            # Code split out of a group's module since (redaction.py, card_metadata.py)
            # is named by its own module.
            group = next((g for g, (mods, _) in GROUPS.items() if module in mods), module)
            if args.group and group not in args.group:
                continue
            plan.setdefault(group, []).append(mutant)
            protecting[mutant.id] = test
    else:
        for group in args.group or list(GROUPS):
            modules, _ = GROUPS[group]
            mutants = [m for mod in modules for m in mutants_of((PACKAGE / mod).as_posix())]
            mutants = [m for m in mutants if args.only in m.id]
            if args.ids is not None:
                wanted = _listed_ids(args.ids.read_text(encoding="utf-8"))
                mutants = [m for m in mutants if m.id in wanted]
            if args.max_mutants and len(mutants) > args.max_mutants:
                picked = random.Random(f"{args.seed}:{group}").sample(mutants, args.max_mutants)
                mutants = sorted(picked, key=lambda m: (m.path, m.start, m.id))
            plan[group] = mutants
    if args.list:
        for group, mutants in plan.items():
            print(f"{group}: {len(mutants)} mutants")
            for m in mutants:
                print(f"  {m.path}:{m.line}  {m.id}")
        return 0

    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="mutation-") as tmp:
        root = scratch_copy(Path(tmp))
        lines: dict[str, dict[int, list[str]]] = {}
        if not protecting and not args.no_coverage:
            began = time.monotonic()
            # The whole suite: a mutant is caught by whichever test runs its line.
            every = sorted(p.relative_to(root).as_posix() for p in root.glob("tests/test_*.py"))
            lines = coverage_map(root, every)
            print(f"coverage pass: {time.monotonic() - began:.0f} s", flush=True)
        for group, mutants in plan.items():
            # Each named mutant runs against its own test only.
            tests = sorted({protecting[m.id] for m in mutants}) if protecting else GROUPS[group][1]
            state, first, baseline = run_tests(root, tests, 1800, not protecting)
            if state != "passed":
                print(f"{group}: the tests fail without any mutant ({first}); fix them first")
                return 2
            timeout = args.timeout or max(60.0, 3 * baseline)
            print(f"== {group}: {len(mutants)} mutants; tests pass in {baseline:.0f} s", flush=True)
            for mutant in mutants:
                target = root / mutant.path
                original = target.read_bytes()
                target.write_bytes(mutant.apply(original))
                try:
                    if protecting:
                        state, first, seconds = run_tests(
                            root, [protecting[mutant.id]], timeout, False
                        )
                    else:
                        state, first, seconds = run_mutant(
                            root, mutant, tests, lines, timeout, confirm=not args.fast
                        )
                finally:
                    target.write_bytes(original)
                if mutant.id in EQUIVALENT:
                    outcome = "equivalent"
                else:
                    outcome = {
                        "passed": "SURVIVED",
                        "failed": "killed",
                        "timeout": "killed",
                        "unusable": "killed",  # the whole group: e.g. conftest fails to import
                    }[state]
                by = f" by {first}" if first else (" (timeout)" if state == "timeout" else "")
                print(f"  {outcome:<10} {mutant.path}:{mutant.line} {mutant.id}{by}", flush=True)
                results.append(
                    {
                        "group": group,
                        "id": mutant.id,
                        "line": mutant.line,
                        "outcome": outcome,
                        "killed_by": first,
                        "seconds": round(seconds, 1),
                    }
                )
    print("\ngroup                     mutants  killed  survived  equivalent  score")
    failed = False
    for group in plan:
        rows = [r for r in results if r["group"] == group]
        killed = sum(r["outcome"] == "killed" for r in rows)
        survived = sum(r["outcome"] == "SURVIVED" for r in rows)
        equivalent = sum(r["outcome"] == "equivalent" for r in rows)
        scored = killed + survived
        score = 100.0 * killed / scored if scored else 100.0
        failed |= score < 90.0 or (args.named and survived > 0)
        counts = f"{len(rows):>7} {killed:>7} {survived:>9} {equivalent:>11}"
        print(f"{group:<25} {counts} {score:>5.1f}%")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
