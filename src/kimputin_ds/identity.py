"""The dataset's identity: its Hugging Face Hub repository and its code repository.

One place defines them: the ``[tool.kimputin_ds]`` table of ``pyproject.toml``::

    [tool.kimputin_ds]
    hub_repo_id = "OWNER/NAME"   # the Hub dataset repository
    code_repository = ""         # the code repository's URL; "" while unpublished

The card's usage code and "Repository" line, the Croissant ``url`` and
``citeAs``, and the BibTeX all read the :class:`Identity`; the build records its
``hub_repo_id`` in the release's ``checksums.json``, and publish refuses to send
a release to another repository. A build may override the Hub repository with
``--repo-id``.

An installed package has no ``pyproject.toml``, so :func:`load_identity` reads
the one of the checkout the corpus is in and falls back to :data:`PACKAGED`,
which a test keeps equal to ``pyproject.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from kimputin_ds.errors import KimputinError

PYPROJECT = "pyproject.toml"
_TABLE = "kimputin_ds"

_NAME = r"[A-Za-z0-9](?:[\w.-]{0,94}[A-Za-z0-9_])?"
_REPO_ID = re.compile(rf"{_NAME}/{_NAME}", re.ASCII)  # the Hub takes ASCII names only
_URL = re.compile(r"https://[^\s/]+/\S+")


def check_repo_id(repo_id: str) -> str:
    """Return ``repo_id`` when it has the Hub's ``OWNER/NAME`` form.

    Args:
        repo_id: The candidate repository id.

    Returns:
        ``repo_id`` unchanged.

    Raises:
        ValueError: When it is not ``OWNER/NAME`` with Hub-legal names.

    >>> check_repo_id("kimputin/kimputin-ds")
    'kimputin/kimputin-ds'
    """
    bad = (
        not _REPO_ID.fullmatch(repo_id)
        or ".." in repo_id
        or "--" in repo_id
        or repo_id.endswith(".git")
        or not _valid_for_huggingface_hub(repo_id)
    )
    if bad:
        raise ValueError(
            f"invalid repository id {repo_id!r}: expected OWNER/NAME "
            "(ASCII letters, digits, '-', '_', '.'; at most 96 characters each; "
            "not ending in .git)"
        )
    return repo_id


def _valid_for_huggingface_hub(repo_id: str) -> bool:
    """What ``huggingface_hub`` itself checks before a request, so that a
    ``--dry-run`` refuses every id a real run would."""
    try:
        from huggingface_hub.errors import HFValidationError
        from huggingface_hub.utils._validators import validate_repo_id
    except ImportError:  # pragma: no cover - a dependency of publishing
        return True
    try:
        validate_repo_id(repo_id)
    except HFValidationError:
        return False
    return True


@dataclass(frozen=True)
class Identity:
    """Where the dataset and its code live.

    Attributes:
        hub_repo_id: The Hub dataset repository, ``OWNER/NAME``.
        code_repository: The URL of the code repository, or None while it is
            not published (the card then says so instead of linking).
    """

    hub_repo_id: str
    code_repository: str | None = None

    def __post_init__(self) -> None:
        check_repo_id(self.hub_repo_id)
        if self.code_repository is not None and not _URL.fullmatch(self.code_repository):
            raise ValueError(f"code_repository {self.code_repository!r} is not an https URL")

    @property
    def hub_url(self) -> str:
        """The dataset's page on the Hub.

        >>> Identity("owner/name").hub_url
        'https://huggingface.co/datasets/owner/name'
        """
        return f"https://huggingface.co/datasets/{self.hub_repo_id}"

    def with_repo_id(self, repo_id: str | None) -> Identity:
        """This identity for another Hub repository (``None`` keeps it).

        >>> Identity("a/b").with_repo_id("c/d").hub_repo_id
        'c/d'
        """
        return self if repo_id is None else replace(self, hub_repo_id=repo_id)


#: The identity when no ``pyproject.toml`` is at hand (an installed package).
PACKAGED = Identity(hub_repo_id="kimputin/kimputin-ds", code_repository=None)


def parse_identity(text: str, source: Path | str = PYPROJECT) -> Identity:
    """The identity in the ``[tool.kimputin_ds]`` table of a ``pyproject.toml`` text.

    Args:
        text: The TOML text.
        source: Its path, for messages.

    Returns:
        The identity; :data:`PACKAGED` when the file has no such table.

    Raises:
        KimputinError: When the table is malformed; the message names the file.

    >>> parse_identity('[tool.kimputin_ds]\\nhub_repo_id = "o/n"\\ncode_repository = ""\\n')
    Identity(hub_repo_id='o/n', code_repository=None)
    """
    try:
        table = tomllib.loads(text).get("tool", {}).get(_TABLE)
    except tomllib.TOMLDecodeError as exc:
        raise KimputinError(f"{source}: invalid TOML: {exc}") from None
    if table is None:
        return PACKAGED
    unknown = sorted(set(table) - {"hub_repo_id", "code_repository"})
    if unknown:
        raise KimputinError(f"{source}: [tool.{_TABLE}] has unknown keys: {', '.join(unknown)}")
    repo_id = table.get("hub_repo_id")
    code = table.get("code_repository", "")
    if not isinstance(repo_id, str) or not isinstance(code, str):
        raise KimputinError(
            f"{source}: [tool.{_TABLE}] needs hub_repo_id and code_repository as strings"
        )
    try:
        return Identity(repo_id, code or None)
    except ValueError as exc:
        raise KimputinError(f"{source}: [tool.{_TABLE}]: {exc}") from None


def load_identity(checkout: Path | None = None, *, repo_id: str | None = None) -> Identity:
    """The identity configured in ``checkout/pyproject.toml``, else the packaged one.

    Args:
        checkout: The directory holding ``pyproject.toml`` (the parent of the
            corpus directory); None for the packaged identity.
        repo_id: A Hub repository that overrides the configured one (``--repo-id``).

    Returns:
        The identity.

    Raises:
        KimputinError: When the configuration is malformed.
        ValueError: When ``repo_id`` is not ``OWNER/NAME``.
    """
    identity = PACKAGED
    if checkout is not None:
        path = checkout / PYPROJECT
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            pass
        except (OSError, UnicodeDecodeError) as exc:
            raise KimputinError(f"{path}: unreadable: {exc}") from None
        else:
            identity = parse_identity(text, path)
    return identity.with_repo_id(None if repo_id is None else check_repo_id(repo_id))
