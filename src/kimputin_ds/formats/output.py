"""An export's output directory: created whole, never written over.

Files go to a fresh directory beside the target that is renamed into place
when the export succeeds, so a failed export leaves nothing behind and an
existing file is never replaced. An existing *empty* directory is filled
file by file (each file created exclusively).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from kimputin_ds.errors import KimputinError


class OutputDir:
    """Write files under a new directory; use as a context manager.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with OutputDir(target) as out:
    ...     _ = out.write_text("a/b.txt", "x")
    >>> (target / "a" / "b.txt").read_text()
    'x'
    """

    def __init__(self, target: Path, corpus: Path | None = None) -> None:
        self.target = target
        if corpus is not None:
            real, root = target.resolve(), corpus.resolve()
            if real == root or root in real.parents:
                raise KimputinError(
                    f"{target}: is inside the corpus directory {corpus}, where an export's "
                    "files would be stray corpus files; choose another --output"
                )
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise KimputinError(f"{target}: exists and is not a directory; choose a new --output")
        if target.is_dir() and any(target.iterdir()):
            raise KimputinError(
                f"{target}: directory is not empty; exports never write over files "
                "(choose a new --output)"
            )
        self._staging: Path | None = None
        self.root = target

    def __enter__(self) -> OutputDir:
        if not self.target.exists():
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._staging = Path(
                tempfile.mkdtemp(prefix=f".{self.target.name}.", dir=self.target.parent)
            )
            self.root = self._staging
        return self

    def path(self, relative: str) -> Path:
        """The path of a new file, its directories made."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write_bytes(self, relative: str, data: bytes) -> Path:
        """Create one file (never replacing one)."""
        path = self.path(relative)
        with path.open("xb") as f:
            f.write(data)
        return path

    def write_text(self, relative: str, text: str) -> Path:
        """Create one UTF-8 text file (never replacing one)."""
        return self.write_bytes(relative, text.encode("utf-8"))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._staging is None:
            return
        if exc_type is not None:
            shutil.rmtree(self._staging, ignore_errors=True)  # ours: made by __enter__
            return
        self._staging.chmod(0o755)
        try:
            # os.rename refuses to replace a non-empty directory made meanwhile
            self._staging.rename(self.target)
        except OSError as err:
            shutil.rmtree(self._staging, ignore_errors=True)
            raise KimputinError(f"{self.target}: appeared during the export; not replaced") from err
