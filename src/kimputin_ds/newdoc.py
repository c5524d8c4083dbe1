"""Adding an article to the corpus: its id, its annotation skeleton, its split.

:func:`add_article` is what ``kimputin-new`` runs. It copies the raw text
byte-exact, writes ``<doc_id>.yaml`` with the schema line, the metadata and
the text's fingerprint, and lists the document in ``splits.yaml``. Every
check runs before anything is written; the text and the skeleton are
created exclusively (an existing file is never overwritten), and
``splits.yaml`` gains one line, every other byte kept, so its comments and
layout stay as the curator wrote them.

The ``doc_id`` rule: ``<number>_<suffix>``, where the number is one more
than the highest running number in the corpus, zero-padded to the widest
one in use (at least three digits), and the suffix is the first 16
hexadecimal digits of the sha256 of the text's bytes. The same text
therefore always gets the same suffix, and a text that is already in the
corpus is refused. (The five seed articles predate the rule: their suffixes
are not derived from their texts.)
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kimputin_ds.corpus import ANNOTATION_SUFFIX, SPLITS_FILE, TEXT_SUFFIX, read_bytes
from kimputin_ds.errors import KimputinError, Report
from kimputin_ds.fingerprint import BOM, fingerprint, fingerprint_yaml, line_col
from kimputin_ds.models import (
    SCHEMA_VERSION,
    DateDerivation,
    SplitAssignment,
    check_iso_date,
    labels,
)
from kimputin_ds.safe_files import RefusedFileError, read_regular
from kimputin_ds.yamlio import YamlError, load_yaml

#: Hex digits of the text's sha256 used as the doc_id suffix.
SUFFIX_DIGITS = 16
_RUNNING_NUMBER = re.compile(r"^(\d+)_")
_SCHEMA_LINE = "# yaml-language-server: $schema={}\n"


@dataclass(frozen=True)
class AddedArticle:
    """What :func:`add_article` wrote."""

    doc_id: str
    text_path: Path
    annotation_path: Path
    splits_path: Path
    split: str
    sha256: str
    length: int


def next_doc_id(existing: list[str], data: bytes) -> str:
    """The id a new text gets: the next running number and the text's sha256 prefix.

    >>> next_doc_id(["000_c523628f00a85caf", "004_67986ba2cff24322"], b"Kim.\\n")
    '005_592245f3b6b5f5d5'
    >>> next_doc_id([], b"Kim.\\n")
    '000_592245f3b6b5f5d5'
    """
    numbers = [m.group(1) for d in existing if (m := _RUNNING_NUMBER.match(d))]
    number = max((int(n) for n in numbers), default=-1) + 1
    width = max([3, *(len(n) for n in numbers)])
    return f"{number:0{width}d}_{fingerprint(data)[0][:SUFFIX_DIGITS]}"


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar that reads back as that string (quoted only when needed).

    >>> yaml_scalar("005_7adbbb556c475e3c"), yaml_scalar("000_1234")
    ('005_7adbbb556c475e3c', '"000_1234"')
    """
    try:
        plain = load_yaml(f"- {value}\n")[0] == [value]
    except YamlError:
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def _problem(report: Report, path: Path | str, message: str, hint: str = "", line: int = 1) -> None:
    report.add(path, message, line=line, col=1, hint=hint, code="new")


def check_new_text(path: Path, data: bytes, *, crlf: bool, bom: bool, report: Report) -> None:
    """The checks a new raw text must pass before it is copied into the corpus."""
    if not data.strip():
        _problem(report, path, "the text is empty")
        return
    if data.startswith(BOM) and not bom:
        _problem(
            report,
            path,
            "the text starts with a UTF-8 byte-order mark (BOM)",
            "editors add one silently: if the published source has it, pass --bom; "
            "otherwise copy the text again without it",
        )
    elif bom and not data.startswith(BOM):
        _problem(report, path, "--bom was given, but the text has no byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        _problem(
            report,
            path,
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start}",
            "texts are stored as UTF-8: convert the source's encoding, changing nothing else",
            line,
        )
        return
    crlf_at = text.find("\r\n")
    if crlf_at != -1 and not crlf:
        _problem(
            report,
            path,
            "the text has Windows (CRLF) line endings",
            "editors and git (core.autocrlf) add them silently: if the published source has "
            "them, pass --crlf; otherwise copy the text again with Unix (LF) line endings",
            line_col(text, crlf_at)[0],
        )
    elif crlf and crlf_at == -1:
        _problem(report, path, "--crlf was given, but the text has no CRLF line endings")


def _schema_ref(root: Path) -> str:
    """The schema line's target: ``schema/`` of the nearest enclosing checkout, relatively."""
    here = root.resolve()
    for parent in here.parents:
        schema = parent / "schema" / "annotation.schema.json"
        if schema.is_file():
            return Path(os.path.relpath(schema, here)).as_posix()
    return "../schema/annotation.schema.json"  # the repository's layout


def skeleton(
    doc_id: str,
    data: bytes,
    *,
    outlet: str,
    published: str,
    derivation: str,
    schema_ref: str,
    crlf: bool = False,
    bom: bool = False,
) -> str:
    """The annotation file a new article starts from.

    >>> print(skeleton("005_x", b"Kim.\\n", outlet="Kompas TV", published="2024-06-19",
    ...                derivation="stated", schema_ref="../schema/annotation.schema.json"))
    ... # doctest: +ELLIPSIS
    # yaml-language-server: $schema=../schema/annotation.schema.json
    schema_version: "..."
    doc_id: 005_x
    text:
      sha256: 592245f3...
      length: 5
    metadata:
      outlet: Kompas TV
      published:
        value: "2024-06-19"
        derivation: stated
    # Next: zones, mentions, quotes, events, stances and source_notes, following
    # docs/guidelines.md; then run kimputin-validate.
    <BLANKLINE>
    """
    return (
        _SCHEMA_LINE.format(schema_ref)
        + f'schema_version: "{SCHEMA_VERSION}"\n'
        + f"doc_id: {yaml_scalar(doc_id)}\n"
        + fingerprint_yaml(data, crlf=crlf, bom=bom)
        + "metadata:\n"
        + f"  outlet: {yaml_scalar(outlet)}\n"
        + "  published:\n"
        + f'    value: "{published}"\n'
        + f"    derivation: {derivation}\n"
        + "# Next: zones, mentions, quotes, events, stances and source_notes, following\n"
        + "# docs/guidelines.md; then run kimputin-validate.\n"
    )


def add_to_split(source: str, split: str, doc_id: str) -> str | None:
    """``splits.yaml`` with ``doc_id`` appended to ``split``, every other byte kept.

    Handles a block list (``train:`` then ``  - id`` lines) and a flow list
    (``train: [a, b]`` or ``train: []``); returns None for any other layout.

    >>> print(add_to_split("# keep me\\ntrain:\\n  - a\\ntest: [c]\\n", "train", "d"), end="")
    # keep me
    train:
      - a
      - d
    test: [c]
    >>> add_to_split("train: [a]\\ntest: []\\n", "test", "d")
    'train: [a]\\ntest: [d]\\n'
    """
    lines = source.splitlines(keepends=True)
    doc_id = yaml_scalar(doc_id)
    head = re.compile(rf"^{re.escape(split)}:[ \t]*(?P<rest>.*?)(?P<end>\r?\n)?$")
    for i, line in enumerate(lines):
        m = head.match(line)
        if not m:
            continue
        rest, end = m.group("rest"), m.group("end") or "\n"
        flow = re.fullmatch(r"\[(?P<items>[^\]#]*)\](?P<tail>[ \t]*(#.*)?)", rest)
        if flow:
            items = flow.group("items").strip()
            new_items = f"{items}, {doc_id}" if items else doc_id
            lines[i] = f"{split}: [{new_items}]{flow.group('tail')}{end}"
            return "".join(lines)
        if rest.strip() and not rest.strip().startswith("#"):
            return None
        # A block list: the item lines that follow, at one indentation.
        last, indent = i, None
        for j in range(i + 1, len(lines)):
            item = re.match(r"^(?P<indent>[ \t]*)- ", lines[j])
            if item and indent in (None, item.group("indent")):
                last, indent = j, item.group("indent")
            elif lines[j].strip() and not lines[j].lstrip().startswith("#"):
                break
        if indent is None:
            return None
        newline = "\r\n" if lines[last].endswith("\r\n") else "\n"
        if not lines[last].endswith(("\n", "\r\n")):
            lines[last] += newline
        lines.insert(last + 1, f"{indent}- {doc_id}{newline}")
        return "".join(lines)
    return None


def _replace_keeping(path: Path, before: bytes, after: bytes) -> None:
    """Write ``after`` to ``path`` atomically, if ``path`` still holds ``before``."""
    if read_regular(path) != before:
        raise OSError(f"{path} changed while the article was being added; nothing was written")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(after)
            out.flush()
            os.fsync(out.fileno())
        Path(tmp).chmod(path.stat().st_mode & 0o7777)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_article(
    root: Path,
    source: Path,
    *,
    outlet: str,
    published: str,
    split: str,
    derivation: str = "stated",
    crlf: bool = False,
    bom: bool = False,
) -> AddedArticle:
    """Add one raw article to the corpus at ``root``.

    Args:
        root: The corpus directory (``seeds/``).
        source: The raw text, exactly as published.
        outlet: The publishing outlet, e.g. ``Kompas TV``.
        published: The publication date, ``YYYY-MM-DD``.
        split: ``train``, ``validation`` or ``test``.
        derivation: How the date was established (``stated``, ``inferred_from_text``,
            ``inferred_from_corpus``).
        crlf: The source itself has Windows line endings.
        bom: The source itself starts with a byte-order mark.

    Returns:
        What was written.

    Raises:
        KimputinError: With a report of every problem; nothing is written then.
    """
    report = Report()
    splits_path = root / SPLITS_FILE
    if not root.is_dir() or not splits_path.is_file():
        _problem(
            report,
            "--root",
            f"no corpus at {root}: it has no {SPLITS_FILE}",
            "run from the repository root, or pass --root with the corpus directory (seeds/)",
        )
        raise KimputinError("nothing was added", report)
    data = read_bytes(source, report)  # a regular file only, never through a link
    if data is None:
        raise KimputinError("nothing was added", report)
    check_new_text(source, data, crlf=crlf, bom=bom, report=report)
    try:
        check_iso_date(published, "day")
    except ValueError as exc:
        _problem(
            report,
            "--published",
            str(exc),
            "give the publication date as YYYY-MM-DD, e.g. 2024-06-19",
        )
    if not outlet.strip():
        _problem(report, "--outlet", "the outlet is empty", "e.g. --outlet 'Kompas TV'")
    if derivation not in labels(DateDerivation):
        _problem(
            report,
            "--derivation",
            f"unknown derivation {derivation!r}",
            f"one of {', '.join(labels(DateDerivation))}",
        )

    existing = sorted(p.stem for p in root.glob(f"*{TEXT_SUFFIX}"))
    sha256, length = fingerprint(data)
    for other in existing:
        try:
            known = read_regular(root / f"{other}{TEXT_SUFFIX}")
        except (OSError, RefusedFileError):
            continue  # the validator reports it
        if fingerprint(known)[0] == sha256:
            _problem(report, source, f"this text is already in the corpus as {other}")
    doc_id = next_doc_id(existing, data)
    text_path = root / f"{doc_id}{TEXT_SUFFIX}"
    annotation_path = root / f"{doc_id}{ANNOTATION_SUFFIX}"
    for path in (text_path, annotation_path):
        if path.exists() or path.is_symlink():
            _problem(report, path, "already exists; it is never overwritten")

    try:
        splits_before = read_regular(splits_path)
    except (OSError, RefusedFileError) as exc:
        _problem(report, splits_path, f"cannot read: {exc}")
        raise KimputinError("nothing was added", report) from None
    splits_after = _new_splits(splits_path, splits_before, split, doc_id, report)
    if not report.ok or splits_after is None:
        raise KimputinError("nothing was added", report)

    created: list[Path] = []
    try:
        with text_path.open("xb") as out:
            created.append(text_path)
            out.write(data)
        with annotation_path.open("x", encoding="utf-8", newline="\n") as out:
            created.append(annotation_path)
            out.write(
                skeleton(
                    doc_id,
                    data,
                    outlet=outlet,
                    published=published,
                    derivation=derivation,
                    schema_ref=_schema_ref(root),
                    crlf=crlf,
                    bom=bom,
                )
            )
        _replace_keeping(splits_path, splits_before, splits_after)
    except (OSError, RefusedFileError) as exc:
        for path in created:  # only what this call created
            path.unlink(missing_ok=True)
        _problem(report, getattr(exc, "filename", None) or root, f"cannot write: {exc}")
        raise KimputinError("nothing was added", report) from None
    return AddedArticle(doc_id, text_path, annotation_path, splits_path, split, sha256, length)


def _new_splits(path: Path, before: bytes, split: str, doc_id: str, report: Report) -> bytes | None:
    """The new bytes of ``splits.yaml``, checked by parsing them; None (reported) if unsure."""
    try:
        source = before.decode("utf-8")
    except UnicodeDecodeError:
        _problem(report, path, "not valid UTF-8", "run kimputin-validate")
        return None
    edited = add_to_split(source, split, doc_id)
    manual = f"add `- {doc_id}` under `{split}:` by hand"
    if edited is None:
        _problem(report, path, f"cannot find the {split} list in a layout this tool edits", manual)
        return None
    try:
        data, _ = load_yaml(edited)
        assignment = SplitAssignment.model_validate(data)
    except (YamlError, ValueError) as exc:
        _problem(report, path, f"the edited file would not be valid: {exc}", manual)
        return None
    if getattr(assignment, split)[-1:] != [doc_id]:
        _problem(report, path, f"could not add {doc_id} to {split}", manual)
        return None
    return edited.encode("utf-8")
