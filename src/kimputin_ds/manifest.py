"""The checksum manifest of a release: sha256 and size of every file.

``checksums.json`` sits at the top of a release directory and lists every
other file in it. Build writes it last; publish verifies it before uploading.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kimputin_ds.errors import Report
from kimputin_ds.safe_files import RefusedFileError, check_regular, not_regular, read_regular

MANIFEST_NAME = "checksums.json"
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """Hex sha256 of a regular file, read in chunks, never through a symbolic link.

    Raises:
        RefusedFileError: When ``path`` is not a regular file.
        OSError: When it cannot be read.
    """
    refused = check_regular(path)  # never open a FIFO or a device
    if refused is not None:
        raise refused
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entries(release: Path) -> list[tuple[Path, int]]:
    """Every entry under ``release`` (relative) with its ``lstat`` mode, links not followed.

    Entries under a ``.cache`` folder (``huggingface_hub``'s metadata) are left out.
    """
    found = []
    for directory, dirs, names in os.walk(release):
        dirs[:] = sorted(d for d in dirs if d != ".cache" or Path(directory) != release)
        for name in [*names, *dirs]:
            path = Path(directory) / name
            found.append((path.relative_to(release), os.lstat(path).st_mode))
    return sorted(found)


def release_files(release: Path) -> list[Path]:
    """Every regular file of a release except the manifest, sorted, as paths relative to it."""
    return [
        rel
        for rel, mode in _entries(release)
        if stat.S_ISREG(mode) and rel.as_posix() != MANIFEST_NAME
    ]


def irregular_entries(release: Path) -> list[tuple[Path, int]]:
    """Entries of a release that are neither regular files nor directories (links included)."""
    return [
        (rel, mode)
        for rel, mode in _entries(release)
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))
    ]


def build_manifest(release: Path, version: str, repo_id: str | None = None) -> dict[str, Any]:
    """The manifest of ``release`` as a JSON-ready dict.

    ``repo_id`` is the Hub repository the release was built for (its card and
    Croissant name it); publish refuses to send the release anywhere else.
    """
    files = {
        rel.as_posix(): {
            "sha256": sha256_file(release / rel),
            "size": (release / rel).stat().st_size,
        }
        for rel in release_files(release)
    }
    manifest: dict[str, Any] = {"version": version, "algorithm": "sha256", "files": files}
    if repo_id is not None:
        manifest["repo_id"] = repo_id
    return manifest


def write_manifest(release: Path, version: str, repo_id: str | None = None) -> Path:
    """Write ``checksums.json`` into ``release`` (see :func:`build_manifest`)."""
    path = release / MANIFEST_NAME
    manifest = build_manifest(release, version, repo_id)
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read_manifest(release: Path, report: Report) -> dict[str, Any] | None:
    """Load ``checksums.json``; None (reported) when missing or malformed."""
    path = release / MANIFEST_NAME
    try:
        manifest = json.loads(read_regular(path))
    except FileNotFoundError:
        report.add(path, "release has no checksum manifest", code="manifest")
        return None
    except RefusedFileError as exc:
        report.add(path, exc.message, hint=exc.hint, code="manifest")
        return None
    except (OSError, ValueError) as exc:  # ValueError: bad JSON, UTF-8 or an int too long
        report.add(path, f"unreadable checksum manifest: {exc}", code="manifest")
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        report.add(path, "checksum manifest has no 'files' mapping", code="manifest")
        return None
    return manifest


def verify_manifest(release: Path) -> Report:
    """Check that the files of ``release`` are exactly those of its manifest, unchanged.

    >>> from pathlib import Path
    >>> verify_manifest(Path("no-such-release")).ok
    False
    """
    report = Report()
    manifest = read_manifest(release, report)
    if manifest is None:
        return report
    listed: dict[str, Any] = manifest["files"]
    irregular = irregular_entries(release)
    for rel, mode in irregular:
        refused = not_regular(release / rel, mode)
        report.add(refused.path, refused.message, hint=refused.hint, code="file_type")
    present = {rel.as_posix() for rel in release_files(release)}
    for name in sorted(set(listed) - present - {rel.as_posix() for rel, _ in irregular}):
        report.add(release / name, "listed in the manifest but missing", code="manifest")
    for name in sorted(present - set(listed)):
        report.add(release / name, "not listed in the manifest", code="manifest")
    for name in sorted(set(listed) & present):
        entry = listed[name]
        path = release / name
        if not isinstance(entry, dict):
            report.add(path, "malformed manifest entry", code="manifest")
            continue
        try:
            changed = path.stat().st_size != entry.get("size") or sha256_file(path) != entry.get(
                "sha256"
            )
        except (OSError, RefusedFileError) as exc:
            report.add(path, f"cannot read file: {exc}", code="io")
            continue
        if changed:
            report.add(path, "content does not match the checksum manifest", code="checksum")
    return report


@dataclass(frozen=True)
class DataFile:
    """One Parquet file of a release.

    Attributes:
        config: The config name (``quotes``).
        split: The split name (``train``).
        path: POSIX path relative to the release root.
        sha256: Hex sha256 of the file.
        size: Size in bytes.
        num_rows: Number of rows.
        num_bytes: Size of the rows in Arrow memory (what ``datasets`` calls num_bytes).
    """

    config: str
    split: str
    path: str
    sha256: str
    size: int
    num_rows: int
    num_bytes: int = 0
