"""Problems found in the corpus, collected and reported all at once.

Modelled on mlcroissant's ``Issues`` and frictionless's reports: checks never
raise on bad data, they add an :class:`Issue` with its location to a
:class:`Report`, so that a curator sees every problem in one run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


def with_article(noun: str | None) -> str:
    """``noun`` with its indefinite article, for messages.

    >>> with_article("organization"), with_article("person"), with_article("event")
    ('an organization', 'a person', 'an event')
    """
    noun = noun or "unknown"
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


#: Characters a terminal may act on or hide: C0 and C1 controls (ESC starts the
#: sequences that move the cursor or rewrite a line), line and paragraph
#: separators, bidirectional and other invisible format characters, and lone
#: surrogates (which cannot even be written out as UTF-8).
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str) -> str:
    r"""``text`` safe to echo on a terminal, on one line.

    What a terminal would act on or hide is written as a Python-style escape,
    so that a hostile file name, key or span cannot move the cursor, clear a
    line or draw a fake ``OK`` line. Every message the commands print goes
    through it.

    >>> print(printable("key\x1b[2K\rOK: 0 error(s)\n"))
    key\x1b[2K\rOK: 0 error(s)\n
    >>> printable("Kim Jong Un \u201cbersahabat\u201d")
    'Kim Jong Un “bersahabat”'
    """
    return text if _UNPRINTABLE.search(text) is None else _UNPRINTABLE.sub(_escape, text)


def printable_json(text: str) -> str:
    r"""A JSON document with the characters :func:`printable` escapes written as ``\uXXXX``.

    ``json.dumps(..., ensure_ascii=False)`` escapes only C0 controls; this is
    the same JSON value, safe on a terminal.

    >>> print(printable_json('{"k": "a\u202eb"}'))
    {"k": "a\u202eb"}
    """
    # JSON's own layout (newlines, indentation) stays; inside its strings,
    # json.dumps has already escaped every C0 control.
    return _UNPRINTABLE.sub(
        lambda m: m.group() if m.group() in "\n\r\t" else f"\\u{ord(m.group()):04x}", text
    )


@dataclass(frozen=True, order=True)
class Issue:
    """One problem, located as precisely as the input allows.

    Attributes:
        path: The file the problem is in.
        line: 1-based line (1 for a problem with a whole file), or 0 when it
            concerns no file (a directory, a missing file); then no place is shown.
        col: 1-based column, or 0 when unknown.
        field: Dotted path of the field inside the file (``quotes.3.cue``), or ``""``.
        message: What is wrong.
        hint: How to fix it, where one helps.
        code: A stable machine-readable identifier of the kind of problem.
        severity: ``"error"`` fails validation; ``"warning"`` does not.
    """

    path: str
    line: int
    col: int
    field: str
    message: str
    hint: str = ""
    code: str = "invalid"
    severity: Severity = "error"

    def format(self) -> str:
        """Render as ``path:line:col: field.path: message (hint: ...)``.

        >>> Issue("a.yaml", 3, 5, "quotes.0.speaker", "unknown entity 'putn'",
        ...       hint="did you mean 'putin'?").format()
        "a.yaml:3:5: quotes.0.speaker: unknown entity 'putn' (hint: did you mean 'putin'?)"
        """
        # A problem with a directory, or with no place in a file, has no line.
        path = printable(self.path)
        where = f"{path}:{self.line}:{self.col}" if self.line else path
        message = printable(self.message)
        text = (
            f"{where}: {printable(self.field)}: {message}" if self.field else f"{where}: {message}"
        )
        if self.severity == "warning":
            text = f"{where}: warning: {text[len(where) + 2 :]}"
        return f"{text} (hint: {printable(self.hint)})" if self.hint else text


@dataclass
class Report:
    """An ordered collection of :class:`Issue` objects.

    >>> report = Report()
    >>> report.add("x.yaml", "empty file", code="empty")
    >>> report.ok
    False
    """

    issues: list[Issue] = field(default_factory=list)

    def add(
        self,
        path: str | Path,
        message: str,
        *,
        line: int = 0,
        col: int = 0,
        field: str = "",
        hint: str = "",
        code: str = "invalid",
        severity: Severity = "error",
    ) -> None:
        """Record one problem."""
        self.issues.append(Issue(str(path), line, col, field, message, hint, code, severity))

    def extend(self, other: Report) -> None:
        """Append every issue of ``other``."""
        self.issues.extend(other.issues)

    @property
    def errors(self) -> list[Issue]:
        """The issues that fail validation."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def __iter__(self) -> Iterator[Issue]:
        return iter(sorted(self.issues))

    def __len__(self) -> int:
        return len(self.issues)

    def to_text(self) -> str:
        """One formatted line per issue, sorted by location."""
        return "\n".join(issue.format() for issue in self)

    def to_json(self) -> str:
        """A JSON document for machines: ``{"ok": bool, "issues": [...]}``."""
        return printable_json(
            json.dumps(
                {"ok": self.ok, "issues": [asdict(i) for i in self]},
                ensure_ascii=False,
                indent=2,
            )
        )


class KimputinError(Exception):
    """Raised when an operation cannot go on; carries the :class:`Report` that says why."""

    def __init__(self, message: str, report: Report | None = None) -> None:
        super().__init__(message)
        self.report = report if report is not None else Report()
