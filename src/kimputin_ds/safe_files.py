"""Reading input files safely: regular files only, never through a link, bounded.

Everything that goes into a release is read through :func:`read_regular`: a
corpus file, the card template, a release file checked before publishing. A
symbolic link (which could point at ``/etc/passwd`` or ``/proc/self/environ``),
a device (``/dev/zero`` never ends), a FIFO (an ``open`` would hang) or a
socket is refused with a message that names it, and a file larger than
:data:`MAX_FILE_BYTES` is refused without being read.

The file is checked with ``lstat`` before it is opened (so a device or a FIFO
is never opened), then opened with ``O_NOFOLLOW | O_NONBLOCK`` and checked
again with ``fstat`` (so a file swapped for a link or a FIFO in between is
refused too).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: The largest input file read, in bytes (16 MiB). The largest article of the
#: corpus is a few kB and its largest annotation file about 55 kB.
MAX_FILE_BYTES = 16 * 1024 * 1024

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
_O_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC


class RefusedFileError(ValueError):
    """A file that is not read: not a regular file, or too large.

    Attributes:
        path: The file.
        message: Why, on one line (without the path).
        hint: What to do.
    """

    def __init__(self, path: Path, message: str, hint: str = "") -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message
        self.hint = hint


def kind_of(mode: int) -> str:
    """What a file mode is, in words.

    >>> import stat
    >>> kind_of(stat.S_IFIFO | 0o644), kind_of(stat.S_IFREG | 0o644)
    ('a FIFO (named pipe)', 'a regular file')
    """
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def not_regular(path: Path, mode: int) -> RefusedFileError:
    """The error for ``path`` whose ``lstat`` mode is not a regular file's."""
    kind = kind_of(mode)
    if stat.S_ISLNK(mode):
        return RefusedFileError(
            path,
            "is a symbolic link; only regular files are read",
            "replace the link by a copy of the file",
        )
    return RefusedFileError(path, f"is {kind}, not a regular file", "replace it by a regular file")


def check_regular(path: Path) -> RefusedFileError | None:
    """None when ``path`` is a regular file (not a link), else the reason it is not.

    Raises:
        OSError: When ``path`` cannot be looked at (missing, no permission).
    """
    mode = os.lstat(path).st_mode
    return None if stat.S_ISREG(mode) else not_regular(path, mode)


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    Args:
        path: The file.
        limit: The largest size accepted, in bytes (default :data:`MAX_FILE_BYTES`).

    Returns:
        The content.

    Raises:
        RefusedFileError: When ``path`` is a symbolic link, a directory, a device, a
            FIFO or a socket, or holds more than ``limit`` bytes.
        OSError: When it cannot be read (missing, no permission).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "a.txt").write_bytes(b"abc")
    ...     (Path(tmp) / "link.txt").symlink_to("a.txt")
    ...     print(read_regular(Path(tmp) / "a.txt"))
    ...     try:
    ...         read_regular(Path(tmp) / "link.txt")
    ...     except RefusedFileError as exc:
    ...         print(exc.message)
    b'abc'
    is a symbolic link; only regular files are read
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    before = os.lstat(path)
    if not stat.S_ISREG(before.st_mode):
        raise not_regular(path, before.st_mode)  # never open a device or a FIFO
    if before.st_size > limit:
        raise _too_large(path, before.st_size, limit)
    try:
        fd = os.open(path, _O_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # became a link since the lstat
            raise not_regular(path, stat.S_IFLNK) from None
        raise
    with os.fdopen(fd, "rb") as handle:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            raise RefusedFileError(path, "was replaced while it was read", "run the command again")
        # What fstat says is there, and one byte more to see a file that grew
        # since, which is then read on up to the limit: asking for the limit
        # at once would map (and unmap) 16 MB for every file.
        data = handle.read(min(now.st_size, limit) + 1)
        if len(data) > now.st_size:
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise _too_large(path, len(data), limit)
    return data


def _too_large(path: Path, size: int, limit: int) -> RefusedFileError:
    return RefusedFileError(
        path,
        f"is larger than the limit of {limit} bytes ({size} bytes or more); it was not read",
        "no input file of the corpus may be this large: split it",
    )
