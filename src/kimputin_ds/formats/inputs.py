"""Reading a tool's files for an import: regular files only, UTF-8, problems reported."""

from __future__ import annotations

from pathlib import Path

from kimputin_ds.errors import Report
from kimputin_ds.safe_files import RefusedFileError, read_regular


def read_input(path: Path, report: Report) -> str | None:
    """The text of a tool's file; None, with the reason in ``report``, when it is unusable.

    A link, a FIFO, a device or an oversized file is refused (as for the
    corpus, :func:`kimputin_ds.safe_files.read_regular`).

    >>> report = Report()
    >>> read_input(Path("no-such.ann"), report), report.issues[0].code
    (None, 'io')
    """
    try:
        data = read_regular(path)
    except RefusedFileError as exc:
        report.add(path, exc.message, hint=exc.hint, code="refused")
        return None
    except OSError as exc:
        report.add(path, f"cannot read: {exc.strerror}", code="io")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        report.add(path, f"not UTF-8 (byte {exc.start})", code="encoding")
        return None
