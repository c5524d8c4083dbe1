"""Where a release may be written, and how it is put in place without losing anything.

A build writes its release into a hidden staging directory beside the output
(``.<name>.partial-<hex>``) and installs it only when it is complete. The rules:

* **What ``--output`` may name.** Never the corpus directory, a path inside it,
  an ancestor of it (the repository and above), the current directory or one
  of its ancestors, a git work tree, a symbolic link or a file. An existing
  directory there must be empty, or a *release*: a directory holding a
  ``checksums.json`` that parses, and nothing but the files that manifest
  lists (and the ``.cache/huggingface/`` folder that ``huggingface_hub``
  keeps in local copies). Anything else is refused, with or without
  ``--force``: ``--force`` only ever replaces a release by a release.
* **One build at a time.** A build holds an exclusive ``flock`` on
  ``.<name>.lock`` beside the output for its whole run; a second build of the
  same output waits for it. The holder deletes the lock file as it finishes
  (a waiter that then holds a lock on the deleted file takes the lock again).
* **Atomic replacement.** A new release is moved into place with one
  ``rename(2)``. An existing release is swapped with the new one in one step
  with ``renameat2(RENAME_EXCHANGE)`` (Linux 3.15+, most local file systems),
  then deleted. Where the exchange is not available the old release is
  first renamed to ``.<name>.old-<hex>``; a build killed between the two
  renames leaves no release at the output, and the next build of that output
  puts the old release back before it does anything else.
* **Leftovers.** Staging and retired directories of killed builds are
  deleted by the next build of the same output, under the lock, so never
  while their build is running.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
import stat
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kimputin_ds.errors import KimputinError
from kimputin_ds.manifest import MANIFEST_NAME
from kimputin_ds.safe_files import RefusedFileError, read_regular

#: Folder that ``huggingface_hub`` keeps inside a local copy of a repository.
HUB_CACHE = (".cache", "huggingface")
#: How long a build waits for another build of the same output (seconds).
LOCK_TIMEOUT = 600.0
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?P<kind>partial|old)-[0-9a-f]{32}")
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@dataclass(frozen=True)
class Target:
    """An output path that passed :func:`check_output`.

    Attributes:
        path: The absolute output path (its parent resolved, its own name kept).
        state: ``"absent"``, ``"empty"`` (an empty directory) or ``"release"``.
        manifest: The parsed ``checksums.json`` of an existing release, else None.
    """

    path: Path
    state: str
    manifest: dict[str, Any] | None = None


def _refuse(output: Path, why: str, hint: str) -> KimputinError:
    return KimputinError(f"refusing to write the release to {output}: {why}; {hint}")


def absolute_output(output: Path) -> Path:
    """``output`` made absolute with its parent resolved and its last component kept.

    ``..`` and ``.`` are resolved first, so the name is a real name.
    """
    absolute = Path(os.path.abspath(output))  # noqa: PTH100  (lexical: keeps a final link)
    return absolute.parent.resolve() / absolute.name if absolute.name else absolute


def check_output(output: Path, corpus_root: Path) -> Target:
    """Check that a release may be written at ``output``; describe what is there.

    Args:
        output: The release directory asked for.
        corpus_root: The corpus directory the release is built from.

    Returns:
        The target.

    Raises:
        KimputinError: When ``output`` names something a build must never
            replace; the message says what and what to do.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     check_output(Path(tmp) / "dist" / "1.0.0", Path(tmp) / "seeds").state
    'absent'
    """
    hint = "choose another --output, such as dist/<version>"
    if str(output) in ("", "."):
        raise _refuse(Path.cwd(), "--output is empty or '.' (the current directory)", hint)
    path = absolute_output(output)
    if not path.name:
        raise _refuse(path, "it is the root of the file system", hint)
    real = path.resolve()
    corpus = corpus_root.resolve()
    cwd = Path.cwd().resolve()
    if real == corpus:
        raise _refuse(path, "it is the corpus directory", hint)
    if corpus in real.parents:
        raise _refuse(path, f"it is inside the corpus directory {corpus}", hint)
    if real == corpus.parent:
        raise _refuse(path, "it is the repository that holds the corpus", hint)
    if real in corpus.parents:
        raise _refuse(path, f"it is an ancestor of the corpus directory {corpus}", hint)
    if real == cwd or real in cwd.parents:
        raise _refuse(path, "it is the current directory or one of its ancestors", hint)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return Target(path, "absent")
    except OSError as exc:
        raise _refuse(path, f"it cannot be looked at ({exc.strerror or exc})", hint) from None
    if stat.S_ISLNK(mode):
        raise _refuse(path, "it is a symbolic link", "give the real path of the release")
    if not stat.S_ISDIR(mode):
        raise _refuse(path, "it is a file, not a release directory", hint)
    if (path / ".git").exists():
        raise _refuse(path, "it is a git work tree", hint)
    try:
        empty = next(path.iterdir(), None) is None
    except OSError as exc:
        raise _refuse(path, f"it cannot be listed ({exc.strerror or exc})", hint) from None
    if empty:
        return Target(path, "empty")
    manifest, why = release_manifest(path)
    if manifest is None:
        raise _refuse(
            path,
            f"it is a directory that is not a kimputin_ds release ({why}); "
            "--force only ever replaces a release",
            hint,
        )
    return Target(path, "release", manifest)


def release_manifest(path: Path) -> tuple[dict[str, Any] | None, str]:
    """The manifest of ``path`` when it is a release, else None and why it is not.

    A release holds a ``checksums.json`` that parses and lists its files, and
    nothing else but :data:`HUB_CACHE`; every entry is a regular file or a
    directory, never a symbolic link.
    """
    try:
        manifest = json.loads(read_regular(path / MANIFEST_NAME))
    except FileNotFoundError:
        return None, f"it has no {MANIFEST_NAME}"
    except RefusedFileError as exc:
        return None, f"{MANIFEST_NAME} {exc.message}"
    except (OSError, ValueError) as exc:
        return None, f"{MANIFEST_NAME} cannot be read ({type(exc).__name__})"
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict):
        return None, f"{MANIFEST_NAME} has no 'files' mapping"
    foreign: list[str] = []
    for entry, mode in _walk(path):
        rel = entry.relative_to(path)
        if stat.S_ISLNK(mode):
            foreign.append(f"{rel.as_posix()} (a symbolic link)")
        elif stat.S_ISDIR(mode) or rel.parts[: len(HUB_CACHE)] == HUB_CACHE:
            continue
        elif not stat.S_ISREG(mode):
            foreign.append(f"{rel.as_posix()} (not a regular file)")
        elif rel.as_posix() != MANIFEST_NAME and rel.as_posix() not in files:
            foreign.append(rel.as_posix())
    if foreign:
        shown = ", ".join(foreign[:3]) + (
            f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        )
        return None, f"it holds files its {MANIFEST_NAME} does not list: {shown}"
    return manifest, ""


def _walk(root: Path) -> Iterator[tuple[Path, int]]:
    """Every entry under ``root`` with its ``lstat`` mode; links are not followed."""
    stack = [root]
    while stack:
        directory = stack.pop()
        with os.scandir(directory) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                mode = entry.stat(follow_symlinks=False).st_mode
                yield Path(entry.path), mode
                if stat.S_ISDIR(mode):
                    stack.append(Path(entry.path))


def lock_path(output: Path) -> Path:
    """The lock file of a release directory: ``.<name>.lock`` beside it.

    >>> lock_path(Path("/x/dist/1.0.0")).as_posix()
    '/x/dist/.1.0.0.lock'
    """
    return output.parent / f".{output.name}.lock"


@contextmanager
def build_lock(
    output: Path,
    *,
    timeout: float = LOCK_TIMEOUT,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the exclusive lock of ``output`` (waiting at most ``timeout`` seconds).

    Raises:
        KimputinError: When another build holds the lock past the timeout, or
            the lock file cannot be created.
    """
    path = lock_path(output)
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0)
    deadline = time.monotonic() + timeout
    waited = False
    while True:
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as exc:
            raise KimputinError(
                f"cannot create the lock file {path}: {describe_os_error(exc)}; nothing was written"
            ) from None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not waited and on_wait is not None:
                        on_wait(f"waiting for another build of {output} to finish (lock {path})")
                    waited = True
                    if time.monotonic() > deadline:
                        raise KimputinError(
                            f"another build of {output} has held the lock {path} for more than "
                            f"{timeout:.0f} s; nothing was written"
                        ) from None
                    time.sleep(0.05)
            # The holder before us deletes the file as it finishes: a lock on a
            # file that is no longer at the path locks nothing; take it again.
            if _same_file(fd, path):
                break
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    try:
        yield
    finally:
        with suppress(OSError):
            path.unlink()  # while still holding it, so no one locks a stale file
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        at_path = os.lstat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (at_path.st_dev, at_path.st_ino)


def describe_os_error(exc: OSError) -> str:
    """An ``OSError`` in words, with what to do for the usual ones.

    >>> import errno
    >>> describe_os_error(OSError(errno.ENOSPC, "No space left on device"))
    'No space left on device (free some space, or choose another --output)'
    """
    advice = {
        errno.ENOSPC: "free some space, or choose another --output",
        errno.EDQUOT: "free some space, or choose another --output",
        errno.EROFS: "the file system is read-only: choose another --output",
        errno.EACCES: "choose a writable --output",
        errno.EPERM: "choose a writable --output",
    }.get(exc.errno or 0, "")
    text = exc.strerror or str(exc) or type(exc).__name__
    return f"{text} ({advice})" if advice else text


def staging_dir(output: Path) -> Path:
    """A new, unused staging path beside ``output`` (not created)."""
    return _sibling(output, "partial")


def _sibling(output: Path, kind: str) -> Path:
    return output.parent / f".{output.name}.{kind}-{uuid.uuid4().hex}"


def leftovers(output: Path) -> list[Path]:
    """Staging and retired directories of earlier builds of ``output``, oldest first."""
    found = []
    for entry in output.parent.iterdir():
        match = _LEFTOVER.fullmatch(entry.name)
        if match and match["name"] == output.name:
            found.append(entry)
    return sorted(found, key=lambda p: (p.lstat().st_mtime_ns, p.name))


def recover(output: Path) -> str | None:
    """Put back a release an interrupted build moved aside; delete other leftovers.

    Call it holding the lock. Returns a note saying what was restored, or None.
    """
    note = None
    found = leftovers(output)
    retired = [p for p in found if p.name.startswith(f".{output.name}.old-") and _is_plain_dir(p)]
    if retired and not os.path.lexists(output):
        newest = retired[-1]
        newest.rename(output)
        found.remove(newest)
        note = (
            f"restored the previous release at {output} (an interrupted build had moved it aside)"
        )
    for path in found:
        if _is_plain_dir(path):
            shutil.rmtree(path)
    return note


def _is_plain_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step; False when the system cannot.

    Uses Linux's ``renameat2(RENAME_EXCHANGE)``; False on another system,
    without the call in the C library, or on a file system that does not
    support it (the caller then falls back to two renames).

    Raises:
        OSError: When the call is supported and fails.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def install(staging: Path, target: Target) -> None:
    """Move the complete release ``staging`` to ``target.path``, replacing a release there.

    Without a release at the target (nothing, or an empty directory) this is
    one ``rename(2)``. A release there is swapped with :func:`exchange` and
    then deleted, or, where that is unavailable, renamed aside first (see the
    module docstring for how a kill in between is recovered).
    """
    output = target.path
    if target.state != "release":
        staging.rename(output)  # replaces an empty directory, never a non-empty one
        return
    if exchange(staging, output):
        shutil.rmtree(staging)  # the old release, now at the staging path
        return
    retired = _sibling(output, "old")
    output.rename(retired)
    staging.rename(output)
    shutil.rmtree(retired)
