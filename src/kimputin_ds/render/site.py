"""Writing a set of pages into a directory, never touching a file this command did not write.

The directory keeps a list of the files written into it (``.kimputin-pages.json``).
A later run replaces those files and removes the ones it no longer writes; a
file that is not on the list is never overwritten: the run stops first, naming it.
Each file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from kimputin_ds.errors import KimputinError

#: The list of files a run wrote, kept in the output directory.
LEDGER = ".kimputin-pages.json"


class PageWriter:
    """Writes named pages into ``output`` (see the module docstring).

    Args:
        output: The directory to write into (created if missing).
        names: Every file name this run will write, checked before anything is written.

    Raises:
        KimputinError: When a planned file exists and an earlier run did not write it.
    """

    def __init__(self, output: Path, names: Iterable[str]) -> None:
        self.output = output
        self.names = sorted(set(names))
        output.mkdir(parents=True, exist_ok=True)
        ledger = output / LEDGER
        self.previous: list[str] = []
        if ledger.exists():
            try:
                self.previous = list(json.loads(ledger.read_text(encoding="utf-8"))["files"])
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise KimputinError(f"{ledger}: unreadable list of written pages ({exc})") from None
        ours = set(self.previous)
        foreign = [n for n in self.names if n not in ours and (output / n).exists()]
        if foreign:
            raise KimputinError(
                f"{output / foreign[0]} exists and was not written by kimputin_ds.render "
                f"({len(foreign)} such file(s)); choose an empty or new --output directory"
            )

    def write(self, name: str, content: str) -> Path:
        """Write one planned file atomically."""
        if name not in self.names:
            raise ValueError(f"{name} was not planned")
        target = self.output / name
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.output)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(content)
            Path(tmp).replace(target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    def finish(self) -> list[str]:
        """Record the files written and remove those an earlier run wrote and this one did not."""
        stale = [n for n in self.previous if n not in set(self.names)]
        for name in stale:
            path = self.output / name
            if path.is_file() and not path.is_symlink() and "/" not in name:
                path.unlink()
        content = json.dumps({"files": self.names}, indent=1) + "\n"
        fd, tmp = tempfile.mkstemp(prefix=".ledger.", suffix=".tmp", dir=self.output)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
        Path(tmp).replace(self.output / LEDGER)
        return stale


def page_name(doc_id: str) -> str:
    """The file name of a document's page."""
    return f"{doc_id}.html"


def neighbours(ids: list[str]) -> Iterator[tuple[str, tuple[str | None, str | None]]]:
    """Each id with the ids before and after it.

    >>> list(neighbours(["a", "b"]))
    [('a', (None, 'b')), ('b', ('a', None))]
    """
    for i, doc_id in enumerate(ids):
        yield doc_id, (ids[i - 1] if i else None, ids[i + 1] if i + 1 < len(ids) else None)
