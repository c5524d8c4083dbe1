"""``python -m kimputin_ds.publish``: upload a built release to the Hugging Face Hub.

The release directory is checked against its checksum manifest first; then every
file goes into ONE commit of the dataset repository (files the release no longer
has are deleted in the same commit) and that commit is tagged ``v<version>``.
A published version never changes: an existing tag is never moved.

Planning (:func:`load_release`, :func:`plan_publish`, :func:`stale_remote_files`)
is separate from the I/O (:func:`publish`), which takes the Hub client as an
argument. ``huggingface_hub`` is imported only when something is sent.

The token is resolved the standard ``huggingface_hub`` way (``HF_TOKEN`` or a
saved ``hf auth login``); it is never taken on the command line and never printed.

Exit status: 0 when published (with ``--dry-run``: when the release could be
published), 1 when the release is refused or the Hub fails, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kimputin_ds.build import default_output
from kimputin_ds.errors import KimputinError, Report, printable
from kimputin_ds.identity import check_repo_id
from kimputin_ds.manifest import MANIFEST_NAME, read_manifest, verify_manifest
from kimputin_ds.redaction import redact, request_token
from kimputin_ds.safe_files import read_regular
from kimputin_ds.version import __version__
from kimputin_ds.yamlio import YamlError, load_yaml

if TYPE_CHECKING:
    from huggingface_hub import HfApi

REPO_TYPE = "dataset"
KEEP_REMOTE = frozenset({".gitattributes"})
"""Remote files that are never deleted, even though a release does not contain them."""

_VERSION = re.compile(r"\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?")


@dataclass(frozen=True)
class ReleaseFile:
    """One file of a release.

    Attributes:
        path: POSIX path relative to the release; also its path in the Hub repository.
        size: Size in bytes.
    """

    path: str
    size: int


@dataclass(frozen=True)
class Release:
    """A checked release directory.

    Attributes:
        root: The release directory.
        version: The version recorded in its ``checksums.json``.
        files: Every file to upload, the manifest included, sorted by path.
        repo_id: The Hub repository the release was built for (its card and
            Croissant name it), as recorded in ``checksums.json``.
    """

    root: Path
    version: str
    files: tuple[ReleaseFile, ...]
    repo_id: str | None = None


@dataclass(frozen=True)
class PublishPlan:
    """Everything :func:`publish` will do, decided before any network call.

    Attributes:
        repo_id: The dataset repository, ``OWNER/NAME``.
        release: The release directory the files are read from.
        version: The dataset version being published.
        files: The files of the commit, with their sizes.
        commit_message: The summary line of the commit.
        commit_description: The body of the commit.
        tag: The tag put on the commit, ``v<version>``.
        create_pr: Open a pull request instead of committing to ``main``
            (the tag is then created after the merge).
    """

    repo_id: str
    release: Path
    version: str
    files: tuple[ReleaseFile, ...]
    commit_message: str
    commit_description: str
    tag: str
    create_pr: bool

    @property
    def total_size(self) -> int:
        """The number of bytes uploaded (before deduplication by the Hub)."""
        return sum(f.size for f in self.files)


@dataclass(frozen=True)
class PublishResult:
    """What :func:`publish` did.

    Attributes:
        commit_url: URL of the commit.
        commit_oid: Hash of the commit.
        pr_url: URL of the pull request, with ``create_pr``.
        tag: The tag created, or None with ``create_pr``.
        deleted: Remote files deleted by the commit.
    """

    commit_url: str
    commit_oid: str
    pr_url: str | None
    tag: str | None
    deleted: tuple[str, ...]


class PublishError(KimputinError):
    """The Hub could not be reached or refused a request; the message says what was published."""


class TagExistsError(PublishError):
    """The version's tag already exists in the repository; nothing was published."""


def parse_front_matter(text: str) -> dict[str, Any]:
    """The YAML front matter of a dataset card (``README.md``).

    Args:
        text: The card.

    Returns:
        The front matter as a mapping.

    Raises:
        YamlError: When there is no front matter, it is not valid YAML or not a
            mapping; lines are those of the card.

    >>> parse_front_matter("---\\npretty_name: KimPutin\\n---\\n# Card\\n")
    {'pretty_name': 'KimPutin'}
    """
    lines = text.splitlines(keepends=True)
    hint = "the card must start with YAML between two '---' lines"
    if not lines or lines[0].rstrip("\r\n") != "---":
        raise YamlError("no YAML front matter: first line is not '---'", 1, 1, hint)
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip("\r\n") == "---"), None)
    if end is None:
        raise YamlError("YAML front matter is not closed by a '---' line", 1, 1, hint)
    try:
        value, _ = load_yaml("".join(lines[1:end]))
    except YamlError as exc:
        # load_yaml always locates its errors; the card's line is one more (the '---').
        raise YamlError(f"front matter: {exc.message}", exc.line + 1, exc.col, exc.hint) from None
    if not isinstance(value, dict):
        raise YamlError("YAML front matter is not a mapping", 2, 1, hint)
    return value


def _check_data_files(root: Path, meta: dict[str, Any], report: Report) -> None:
    """Report every ``configs[].data_files`` pattern of the card that matches no file."""
    readme = root / "README.md"
    configs = meta.get("configs", [])
    if not isinstance(configs, list):
        report.add(readme, "'configs' is not a list", field="configs", code="card")
        return
    for i, config in enumerate(configs):
        data_files = config.get("data_files") if isinstance(config, dict) else None
        entries = data_files if isinstance(data_files, list) else [data_files]
        for j, entry in enumerate(entries):
            paths = entry.get("path") if isinstance(entry, dict) else entry
            for pattern in paths if isinstance(paths, list) else [paths]:
                if not isinstance(pattern, str):
                    continue
                where = f"configs.{i}.data_files" + (f".{j}" if data_files is entries else "")
                if not pattern or pattern.startswith("/") or ".." in pattern.split("/"):
                    report.add(
                        readme,
                        f"data file pattern {pattern!r} is not inside the release",
                        field=where,
                        code="card",
                    )
                elif not any(p.is_file() for p in root.glob(pattern)):
                    report.add(
                        readme,
                        f"data file pattern {pattern!r} matches no file",
                        field=where,
                        code="card",
                    )


def check_release(root: Path) -> Report:
    """Every problem that stops ``root`` from being published.

    Checks the checksum manifest (present, valid, matching every file, with a
    version), the card (``README.md`` with parseable front matter whose data files
    exist), ``croissant.json`` (valid JSON) and that there is Parquet data.

    Args:
        root: The release directory.

    Returns:
        The report; ``report.ok`` when the release can be published.

    >>> check_release(Path("no-such-release")).ok
    False
    """
    report = Report()
    if not root.is_dir():
        report.add(
            root,
            "release directory not found",
            code="release",
            hint="build it with python -m kimputin_ds.build",
        )
        return report
    report.extend(verify_manifest(root))
    manifest = read_manifest(root, Report())
    if manifest is not None:
        version = manifest.get("version")
        if not isinstance(version, str) or not _VERSION.fullmatch(version):
            report.add(
                root / MANIFEST_NAME,
                f"version {version!r} is not a version like 1.0.0",
                field="version",
                code="version",
            )
        repo_id = manifest.get("repo_id")
        if not isinstance(repo_id, str):
            report.add(
                root / MANIFEST_NAME,
                "the release does not record the Hub repository it was built for",
                field="repo_id",
                code="identity",
                hint="rebuild it with python -m kimputin_ds.build [--repo-id OWNER/NAME]",
            )

    readme = root / "README.md"
    if not readme.is_file():
        report.add(readme, "release has no dataset card", code="card")
    else:
        try:
            meta = parse_front_matter(read_regular(readme).decode("utf-8"))
        except YamlError as exc:
            report.add(readme, exc.message, line=exc.line, col=exc.col, hint=exc.hint, code="card")
        except (OSError, ValueError) as exc:  # RefusedFileError and UnicodeDecodeError too
            report.add(readme, f"unreadable dataset card: {exc}", code="card")
        else:
            _check_data_files(root, meta, report)

    croissant = root / "croissant.json"
    try:
        if not isinstance(json.loads(read_regular(croissant)), dict):
            report.add(croissant, "Croissant metadata is not a JSON object", code="croissant")
    except FileNotFoundError:
        report.add(croissant, "release has no Croissant metadata", code="croissant")
    except (OSError, ValueError) as exc:  # bad JSON, UTF-8, an int too long, not a regular file
        report.add(croissant, f"unreadable Croissant metadata: {exc}", code="croissant")

    if not any(p.is_file() for p in root.glob("data/*/*.parquet")):
        report.add(
            root / "data", "release has no Parquet data (data/<config>/*.parquet)", code="data"
        )
    return report


def load_release(root: Path) -> Release:
    """Check ``root`` and describe the files to upload.

    Args:
        root: The release directory.

    Returns:
        The release, its manifest version and every file with its size.

    Raises:
        KimputinError: When :func:`check_release` finds a problem; carries the report.
    """
    report = check_release(root)
    manifest = read_manifest(root, report) if report.ok else None
    if manifest is None:
        raise KimputinError(f"refusing to publish {root}: {len(report.errors)} problem(s)", report)
    names = sorted({*manifest["files"], MANIFEST_NAME})
    files = []
    for name in names:
        try:  # checked above, but a file can vanish since: report it, never a traceback
            files.append(ReleaseFile(name, (root / name).stat().st_size))
        except OSError:
            report.add(root / name, "listed in the manifest but missing", code="manifest")
    if not report.ok:
        raise KimputinError(f"refusing to publish {root}: {len(report.errors)} problem(s)", report)
    return Release(
        root=root, version=manifest["version"], files=tuple(files), repo_id=manifest["repo_id"]
    )


def plan_publish(
    release: Release, repo_id: str | None = None, *, create_pr: bool = False
) -> PublishPlan:
    """Decide the commit and the tag that publish ``release`` to ``repo_id``.

    Args:
        release: A release from :func:`load_release`.
        repo_id: The dataset repository, ``OWNER/NAME`` (default: the one the
            release was built for).
        create_pr: Open a pull request instead of committing to ``main``.

    Returns:
        The plan.

    Raises:
        ValueError: When ``repo_id`` is not ``OWNER/NAME``, or neither it nor
            the release names a repository.
        KimputinError: When the release was built for another repository: its
            card, Croissant ``url`` and citation name that one.

    >>> release = Release(Path("dist/1.0.0"), "1.0.0",
    ...                   (ReleaseFile("README.md", 100), ReleaseFile("checksums.json", 20)))
    >>> plan = plan_publish(release, "owner/kimputin-ds")
    >>> plan.commit_message, plan.tag, plan.total_size
    ('Release v1.0.0', 'v1.0.0', 120)
    """
    target = repo_id if repo_id is not None else release.repo_id
    if target is None:
        raise ValueError("no repository id: pass one, or publish a release built for one")
    check_repo_id(target)
    if release.repo_id is not None and release.repo_id != target:
        raise KimputinError(
            f"refusing to publish {release.root} to {target}: it was built for "
            f"{release.repo_id} (its card, Croissant url and citation name that repository); "
            f"rebuild it with python -m kimputin_ds.build --repo-id {target}"
        )
    tag = f"v{release.version}"
    description = (
        f"kimputin_ds dataset {release.version}: {len(release.files)} files, "
        f"{sum(f.size for f in release.files)} bytes. "
        f"{MANIFEST_NAME} lists the sha256 and size of every other file."
    )
    return PublishPlan(
        repo_id=target,
        release=release.root,
        version=release.version,
        files=release.files,
        commit_message=f"Release {tag}",
        commit_description=description,
        tag=tag,
        create_pr=create_pr,
    )


def stale_remote_files(plan: PublishPlan, remote_files: list[str]) -> list[str]:
    """The remote files the release no longer has, which the commit deletes.

    Args:
        plan: The plan.
        remote_files: The files of the repository's ``main`` branch.

    Returns:
        Sorted paths, never one of :data:`KEEP_REMOTE`.

    >>> plan = plan_publish(Release(Path("r"), "1.0.0", (ReleaseFile("README.md", 1),)), "o/n")
    >>> stale_remote_files(plan, [".gitattributes", "README.md", "data/old/train.parquet"])
    ['data/old/train.parquet']
    """
    kept = {f.path for f in plan.files} | KEEP_REMOTE
    return sorted(set(remote_files) - kept)


def _size(n: int) -> str:
    """A human-readable size.

    >>> _size(999), _size(12_345), _size(3_000_000)
    ('999 B', '12.3 kB', '3.0 MB')
    """
    if n < 1000:
        return f"{n} B"
    value = float(n)
    for unit in ("kB", "MB", "GB"):
        value /= 1000
        if round(value, 1) < 1000 or unit == "GB":  # 999 999 B is 1.0 MB, not 1000.0 kB
            break
    return f"{value:.1f} {unit}"


def format_plan(plan: PublishPlan) -> str:
    """Render the plan for ``--dry-run``: repository, commit, tag, files and sizes.

    Args:
        plan: The plan.

    Returns:
        Several lines of text, without a final newline.
    """
    tag = f"{plan.tag} (created after the pull request is merged)" if plan.create_pr else plan.tag
    width = max(len(str(f.size)) for f in plan.files)
    lines = [
        f"repository: datasets/{plan.repo_id}",
        f"release:    {plan.release} (version {plan.version})",
        f"commit:     {plan.commit_message}",
        f"tag:        {tag}",
        f"create-pr:  {'yes' if plan.create_pr else 'no'}",
        f"files:      {len(plan.files)} ({_size(plan.total_size)}, {plan.total_size} bytes)",
        *(f"  {f.size:>{width}}  {f.path}" for f in plan.files),
        "Remote files the release does not have are deleted in the same commit "
        f"(except {', '.join(sorted(KEEP_REMOTE))}).",
    ]
    return "\n".join(lines)


def default_api() -> HfApi:
    """A Hub client for the endpoint in ``HF_ENDPOINT``, read now rather than at import.

    The token is left to ``huggingface_hub`` (``HF_TOKEN`` or a saved login).
    """
    from huggingface_hub import HfApi

    endpoint = os.environ.get("HF_ENDPOINT", "").rstrip("/") or None
    return HfApi(endpoint=endpoint, library_name="kimputin_ds", library_version=__version__)


def _client_errors() -> tuple[type[BaseException], ...]:
    """The base errors of whichever HTTP client this ``huggingface_hub`` uses.

    ``httpx2`` (huggingface_hub 2.x), ``httpx`` (1.x) or ``requests`` (0.x); each
    is looked up once ``huggingface_hub`` has loaded it, never imported here.
    """
    import huggingface_hub.utils  # noqa: F401  (lazy; loads the HTTP client)

    errors: list[type[BaseException]] = []
    for module, name in (
        ("httpx2", "HTTPError"),
        ("httpx", "HTTPError"),
        ("requests", "RequestException"),
    ):
        cls = getattr(sys.modules.get(module), name, None)
        if isinstance(cls, type) and issubclass(cls, BaseException):
            errors.append(cls)
    return tuple(errors)


def _hub_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that mean the Hub failed: HTTP errors, connection errors, offline mode.

    ``HfHubHTTPError`` and ``OfflineModeIsEnabled`` are ``OSError`` subclasses, as
    is a release file that vanished before its upload.
    """
    return (OSError, *_client_errors())


def _redact(text: str, exc: BaseException | None = None) -> str:
    """``text`` on one line, safe to print, every token masked (:mod:`kimputin_ds.redaction`)."""
    token = request_token(exc) if exc is not None else None
    return printable(" ".join(redact(text, {token} if token else None).split()))


def describe_hub_error(exc: BaseException, endpoint: str) -> str:
    """One line saying why the Hub at ``endpoint`` failed, without the token.

    Args:
        exc: An exception raised by the Hub client.
        endpoint: The Hub's URL.

    Returns:
        The message.
    """
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    detail = _redact(str(exc), exc) or type(exc).__name__
    if isinstance(exc, OfflineModeIsEnabled):
        return f"cannot reach the Hugging Face Hub at {endpoint}: HF_HUB_OFFLINE is set"
    if isinstance(exc, HfHubHTTPError):
        status = getattr(getattr(exc, "response", None), "status_code", None)
        if status == 401:
            return (
                f"the Hugging Face Hub at {endpoint} rejected the credentials (HTTP 401): "
                "set HF_TOKEN to a token with write access or run `hf auth login`"
            )
        return f"the Hugging Face Hub at {endpoint} refused the request: {detail}"
    if isinstance(exc, (ConnectionError, TimeoutError, *_client_errors())):
        return f"cannot reach the Hugging Face Hub at {endpoint}: {detail}"
    return f"publishing to the Hugging Face Hub at {endpoint} failed: {detail}"


def publish(plan: PublishPlan, api: HfApi | None = None) -> PublishResult:
    """Carry out ``plan``: create the repository, commit, tag.

    The repository is created if missing; the tag is looked up before anything
    is committed and an existing one is never moved. All files go into one
    commit on top of the ``main`` head that was listed (``parent_commit``), which
    also deletes :func:`stale_remote_files`. Without ``create_pr`` the commit is
    tagged ``plan.tag``.

    Args:
        plan: The plan, from :func:`plan_publish`.
        api: A ``huggingface_hub.HfApi`` or an object with the same methods
            (defaults to :func:`default_api`).

    Returns:
        The commit, pull request, tag and deletions.

    Raises:
        TagExistsError: The tag exists already; nothing was published.
        PublishError: The Hub could not be reached or refused a request; the
            message says whether the commit was made.
    """
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    hub = default_api() if api is None else api
    endpoint = str(getattr(hub, "endpoint", None) or "the default endpoint")
    published = "nothing was published"
    try:
        hub.create_repo(plan.repo_id, repo_type=REPO_TYPE, exist_ok=True)
        refs = hub.list_repo_refs(plan.repo_id, repo_type=REPO_TYPE)
        tagged = {ref.name: ref.target_commit for ref in refs.tags}
        if plan.tag in tagged:
            raise TagExistsError(
                f"tag {plan.tag} already exists in {plan.repo_id} (commit "
                f"{tagged[plan.tag][:12]}) and is never moved: a published version never "
                "changes; bump the version in src/kimputin_ds/version.py and rebuild; "
                "nothing was published"
            )
        parent = next((ref.target_commit for ref in refs.branches if ref.name == "main"), None)
        remote = hub.list_repo_files(plan.repo_id, repo_type=REPO_TYPE, revision=parent)
        stale = stale_remote_files(plan, remote)
        operations: list[CommitOperationAdd | CommitOperationDelete] = [
            CommitOperationAdd(path_in_repo=f.path, path_or_fileobj=plan.release / f.path)
            for f in plan.files
        ]
        operations += [CommitOperationDelete(path_in_repo=path) for path in stale]
        commit = hub.create_commit(
            plan.repo_id,
            operations,
            commit_message=plan.commit_message,
            commit_description=plan.commit_description,
            repo_type=REPO_TYPE,
            create_pr=plan.create_pr,
            parent_commit=parent,
        )
        if plan.create_pr:
            return PublishResult(commit.commit_url, commit.oid, commit.pr_url, None, tuple(stale))
        published = f"commit {commit.oid} was published but tag {plan.tag} was not created"
        hub.create_tag(
            plan.repo_id,
            tag=plan.tag,
            tag_message=f"kimputin_ds dataset {plan.version}",
            revision=commit.oid,
            repo_type=REPO_TYPE,
        )
        return PublishResult(commit.commit_url, commit.oid, None, plan.tag, tuple(stale))
    except _hub_errors() as exc:
        raise PublishError(f"{describe_hub_error(exc, endpoint)}; {published}") from exc
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        # An answer that is not JSON, or JSON of another shape than the client expects.
        detail = _redact(str(exc), exc)
        raise PublishError(
            f"the Hugging Face Hub at {endpoint} sent an answer that could not be understood "
            f"({type(exc).__name__}{': ' + detail if detail else ''}); {published}"
        ) from exc


def main(argv: list[str] | None = None) -> int:
    """Publish a built release to a Hugging Face dataset repository.

    Args:
        argv: Command-line arguments (defaults to ``sys.argv[1:]``).

    Returns:
        The exit status: 0 when published (or planned, with ``--dry-run``), 1 otherwise.
    """
    parser = argparse.ArgumentParser(
        prog="kimputin-publish",
        description="Publish a built kimputin_ds release to the Hugging Face Hub: one commit, "
        "tagged v<version>. The token comes from HF_TOKEN or a saved `hf auth login`.",
    )
    parser.add_argument(
        "--repo-id",
        default=None,
        metavar="OWNER/NAME",
        help="the dataset repository (created if missing); default: the one the release was "
        "built for, which it must equal",
    )
    parser.add_argument(
        "--release",
        type=Path,
        default=default_output(),
        help=f"release directory (default: {default_output()})",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="check the release and print the plan; send nothing"
    )
    parser.add_argument(
        "--create-pr",
        action="store_true",
        help="open a pull request instead of committing to main; "
        "the tag is created after the merge",
    )
    args = parser.parse_args(argv)
    if args.repo_id is not None:
        try:
            check_repo_id(args.repo_id)
        except ValueError as exc:
            parser.error(_redact(str(exc)))

    try:
        plan = plan_publish(load_release(args.release), args.repo_id, create_pr=args.create_pr)
    except KimputinError as exc:
        for issue in exc.report:
            print(_redact(issue.format()), file=sys.stderr)
        print(_redact(f"error: {exc}; nothing was published"), file=sys.stderr)
        return 1

    if args.dry_run:
        print("\n".join(printable(redact(line)) for line in format_plan(plan).splitlines()))
        print("dry run: nothing was sent to the Hub")
        return 0

    try:
        result = publish(plan)
    except PublishError as exc:
        print(_redact(f"error: {exc}"), file=sys.stderr)
        return 1

    deleted = f", deleted {len(result.deleted)}" if result.deleted else ""
    print(f"committed {len(plan.files)} file(s){deleted}: {result.commit_url}")
    if result.tag is not None:
        print(f"tagged {result.tag}: {plan.repo_id}@{result.tag}")
    else:
        print(f"opened pull request {result.pr_url}")
        print(
            f"tag {plan.tag} is created after the merge: run this command again without "
            "--create-pr (unchanged files are not committed again)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
