"""The raw text's fingerprint: how an edited article is caught, and told apart from a new one.

Every annotation file records the sha256 and size of its ``.txt`` as it was
when the article was added (:class:`~kimputin_ds.models.TextFingerprint`).
:func:`check_text` compares the file with it before any span is resolved, so
an edit fails validation even where no span covers it, and the error names
the text rather than the spans that no longer match.

A fingerprint alone cannot say *where* a text changed. When the corpus is in
a git work tree, the newest committed version whose bytes match the
fingerprint is the original, and the first difference from it is reported;
without git, the message says so.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path

from kimputin_ds.errors import Report
from kimputin_ds.models import TextFingerprint
from kimputin_ds.yamlio import Locations

BOM = b"\xef\xbb\xbf"
#: How many past versions of a text are searched for the original.
GIT_HISTORY_LIMIT = 50
_GIT_TIMEOUT = 10.0


def fingerprint(data: bytes) -> tuple[str, int]:
    """The sha256 (hex) and size in bytes of a text, as recorded in annotation files.

    >>> fingerprint(b"Kim bertemu Putin.\\n")[1]
    19
    """
    return hashlib.sha256(data).hexdigest(), len(data)


def fingerprint_yaml(data: bytes, *, crlf: bool = False, bom: bool = False) -> str:
    """The ``text:`` block of an annotation file for a raw text, opt-ins included.

    >>> print(fingerprint_yaml(b"Kim.\\n"), end="")  # doctest: +ELLIPSIS
    text:
      sha256: 592245f3...
      length: 5
    """
    sha256, length = fingerprint(data)
    lines = ["text:", f"  sha256: {sha256}", f"  length: {length}"]
    lines += ["  crlf: true"] if crlf else []
    lines += ["  bom: true"] if bom else []
    return "\n".join(lines) + "\n"


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of ``offset`` in ``text``.

    >>> line_col("ab\\ncd", 4)
    (2, 2)
    """
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def first_difference(old: bytes, new: bytes) -> tuple[int, int]:
    """Line and column, in ``new``, of the first character where two texts differ.

    >>> first_difference(b"Kim\\nbertemu Putin", b"Kim\\nbertemu Putin.")
    (2, 14)
    """
    a = old.decode("utf-8", errors="replace")
    b = new.decode("utf-8", errors="replace")
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return line_col(b, i)


def changed_excerpt(old: bytes, new: bytes, context: int = 12) -> tuple[str, str]:
    r"""The first changed stretch of two texts, with a little context, as it was and as it is.

    >>> changed_excerpt(b"Rusia siap membantu.", b"Rusia siap  membantu.", context=4)
    ('iap memb', 'iap  memb')
    >>> changed_excerpt(b"a\xc2\xa0\nb\nc\xc2\xa0\n", b"a\nb\nc\n", context=2)
    ('a\xa0\nb', 'a\nb')
    """
    a = old.decode("utf-8", errors="replace")
    b = new.decode("utf-8", errors="replace")
    start = next(
        (k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    # Only the first change: align a window from there, and stop where it ends.
    window = 200
    ops = SequenceMatcher(
        None, a[start : start + window], b[start : start + window], autojunk=False
    )
    first = next((op for op in ops.get_opcodes() if op[0] != "equal"), ("equal", 0, 0, 0, 0))
    lo = max(0, start - context)
    return a[lo : start + first[2] + context], b[lo : start + first[4] + context]


def _git(cwd: Path, *args: str) -> bytes | None:
    """Output of a git command, or None when git or the repository is not there."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    try:
        done = subprocess.run(
            ["git", "-C", str(cwd), *args],
            capture_output=True,
            check=False,
            timeout=_GIT_TIMEOUT,
            env=env,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _committed_versions(path: Path) -> Iterator[tuple[str, bytes]]:
    """``(commit, bytes)`` of ``path`` in HEAD and its history, newest first."""
    where = path.parent
    log = _git(where, "log", f"-n{GIT_HISTORY_LIMIT}", "--format=%h", "--", path.name)
    for commit in (log or b"").decode("ascii", errors="replace").split():
        data = _git(where, "show", f"{commit}:./{path.name}")
        if data is not None:
            yield commit, data


def find_original(path: Path, recorded: TextFingerprint) -> tuple[str, bytes] | None:
    """The newest committed version of ``path`` that matches ``recorded``, if git has one."""
    for commit, data in _committed_versions(path):
        if fingerprint(data) == (recorded.sha256, recorded.length):
            return commit, data
    return None


def check_text(
    path: Path,
    data: bytes,
    recorded: TextFingerprint,
    report: Report,
    *,
    annotation_path: Path,
    locations: Locations,
) -> bool:
    """Compare a raw text with its recorded fingerprint and its opt-ins; report every problem.

    Args:
        path: The ``.txt`` file.
        data: Its bytes.
        recorded: The fingerprint from the annotation file.
        report: Where problems go.
        annotation_path: The annotation file, named in the messages.
        locations: Where each value of the annotation file is.

    Returns:
        False when the text does not match its fingerprint (an edited text,
        whose spans are not worth resolving); True otherwise.
    """
    sha256, length = fingerprint(data)

    # Looked up only for a message: a valid file's locations are never needed.
    def at(field: str | None = None) -> tuple[int, int]:
        text_at = locations.get(("text",), (1, 1))
        return text_at if field is None else locations.get(("text", field), text_at)

    def where() -> str:
        return f"{annotation_path.name}:{at()[0]}"

    if (sha256, length) != (recorded.sha256, recorded.length):
        message = (
            f"the text has changed since the article was added: it no longer matches the "
            f"fingerprint in {where()} (recorded: {recorded.length} bytes, sha256 "
            f"{recorded.sha256[:12]}…; now: {length} bytes, sha256 {sha256[:12]}…). "
            "Raw texts are never edited"
        )
        original = find_original(path, recorded)
        if original is None:
            line, col = 1, 1
            message += "; where it changed cannot be shown: no committed version matches"
            hint = "restore the file byte-exact from its source"
        else:
            commit, old = original
            line, col = first_difference(old, data)
            was, now = changed_excerpt(old, data)
            message += (
                f"; it first differs here from the committed original ({commit}): "
                f"{was!r} is now {now!r}"
            )
            hint = f"restore it: git checkout {commit} -- {path}"
        report.add(
            path,
            message,
            line=line,
            col=col,
            code="text_changed",
            hint=hint + "; record a problem in the source as a source_notes entry instead",
        )
        return False
    if data.startswith(BOM) and not recorded.bom:
        report.add(
            path,
            "the text starts with a UTF-8 byte-order mark (BOM)",
            line=1,
            col=1,
            code="bom",
            hint="an editor may have added it: copy the text again byte-exact; if the source "
            f"itself has it, set `bom: true` under `text:` in {where()}",
        )
    elif recorded.bom and not data.startswith(BOM):
        report.add(
            annotation_path,
            "true, but the text has no byte-order mark",
            line=at("bom")[0],
            col=at("bom")[1],
            field="text.bom",
            code="bom",
            hint="remove `bom: true`",
        )
    crlf = data.find(b"\r\n")
    if crlf != -1 and not recorded.crlf:
        line = data.count(b"\n", 0, crlf) + 1
        col = len(data[data.rfind(b"\n", 0, crlf) + 1 : crlf].decode("utf-8", "replace")) + 1
        report.add(
            path,
            "the text has Windows (CRLF) line endings",
            line=line,
            col=col,
            code="crlf",
            hint="an editor or git (core.autocrlf) may have added them: copy the text again "
            "byte-exact; if the source itself has them, set `crlf: true` under `text:` in "
            f"{where()}",
        )
    elif recorded.crlf and crlf == -1:
        report.add(
            annotation_path,
            "true, but the text has no CRLF line endings",
            line=at("crlf")[0],
            col=at("crlf")[1],
            field="text.crlf",
            code="crlf",
            hint="remove `crlf: true`",
        )
    return True
