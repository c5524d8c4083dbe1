"""The checksum manifest of a release: sha256 and size of every file.

``checksums.json`` sits at the top of a release directory and lists every
other file in it. Build writes it last; publish verifies it before uploading.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kimputin_ds.errors import Report

MANIFEST_NAME = "checksums.json"
_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def release_files(release: Path) -> list[Path]:
    """Every file of a release except the manifest, sorted, as paths relative to it."""
    return sorted(
        p.relative_to(release)
        for p in release.rglob("*")
        if p.is_file() and p.name != MANIFEST_NAME and ".cache" not in p.relative_to(release).parts
    )


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
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        report.add(path, "release has no checksum manifest", code="manifest")
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
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
    present = {rel.as_posix() for rel in release_files(release)}
    for name in sorted(set(listed) - present):
        report.add(release / name, "listed in the manifest but missing", code="manifest")
    for name in sorted(present - set(listed)):
        report.add(release / name, "not listed in the manifest", code="manifest")
    for name in sorted(set(listed) & present):
        entry = listed[name]
        path = release / name
        if not isinstance(entry, dict):
            report.add(path, "malformed manifest entry", code="manifest")
            continue
        if path.stat().st_size != entry.get("size") or sha256_file(path) != entry.get("sha256"):
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
