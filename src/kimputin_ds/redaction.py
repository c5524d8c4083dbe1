"""Masking every Hugging Face token in what the commands print.

A Hub error message can carry the token (a server that echoes the request in
a 403 or 500 body, a proxy's error page). Whatever its source,
``huggingface_hub`` could have sent any of these, so all are masked:

* the environment variables ``HF_TOKEN`` and ``HUGGING_FACE_HUB_TOKEN``;
* the login file, ``$HF_TOKEN_PATH`` or ``$HF_HOME/token`` (``hf auth login``);
* the stored tokens, ``$HF_STORED_TOKENS_PATH`` or ``$HF_HOME/stored_tokens``;
* the ``Authorization`` header of the request that failed (covers a token
  obtained any other way, e.g. by OIDC exchange);
* anything shaped like a Hub token (``hf_`` and 30 or more letters and digits)
  or following ``Bearer``.
"""

from __future__ import annotations

import configparser
import os
import re
from pathlib import Path

from kimputin_ds.safe_files import read_regular

TOKEN_VARIABLES = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
MASK = "***"
_TOKEN_SHAPE = re.compile(r"\bhf_[A-Za-z0-9]{30,}")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s\"',;()<>]+")
_MIN_LENGTH = 4  # shorter "tokens" would mask ordinary words


def _hf_home() -> Path:
    home = os.environ.get("HF_HOME")
    if home:
        return Path(home).expanduser()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return Path(cache) / "huggingface"


def _read_small(path: Path) -> str:
    try:
        return read_regular(path, limit=1 << 20).decode("utf-8", errors="replace")
    except (OSError, ValueError):
        return ""


def token_files() -> list[Path]:
    """The login and stored-token files ``huggingface_hub`` reads, by the environment now."""
    paths = [
        Path(os.environ.get("HF_TOKEN_PATH") or _hf_home() / "token").expanduser(),
        Path(os.environ.get("HF_STORED_TOKENS_PATH") or _hf_home() / "stored_tokens").expanduser(),
    ]
    try:  # where the library resolved them when it was imported, if different
        from huggingface_hub import constants

        paths += [Path(constants.HF_TOKEN_PATH), Path(constants.HF_STORED_TOKENS_PATH)]
    except (ImportError, AttributeError):  # pragma: no cover - a dependency of publishing
        pass
    return list(dict.fromkeys(paths))


def known_tokens() -> set[str]:
    """Every token ``huggingface_hub`` could use here, whatever its source.

    >>> import os
    >>> os.environ["HF_TOKEN"] = "hf_example_token_for_the_doctest"
    >>> "hf_example_token_for_the_doctest" in known_tokens()
    True
    >>> del os.environ["HF_TOKEN"]
    """
    tokens = {os.environ.get(name, "") for name in TOKEN_VARIABLES}
    for path in token_files():
        text = _read_small(path)
        if path.name == "stored_tokens" or text.lstrip().startswith("["):
            parser = configparser.ConfigParser(interpolation=None)
            try:
                parser.read_string(text)
            except configparser.Error:
                tokens.update(text.split())
            else:
                tokens.update(
                    value for section in parser.sections() for value in parser[section].values()
                )
        else:
            tokens.add(text)
    return {t.strip() for t in tokens if len(t.strip()) >= _MIN_LENGTH}


def request_token(exc: BaseException) -> str | None:
    """The token in the ``Authorization`` header of the request behind ``exc``, if any."""
    request = getattr(getattr(exc, "response", None), "request", None) or getattr(
        exc, "request", None
    )
    headers = getattr(request, "headers", None)
    try:
        value = headers.get("authorization") if headers is not None else None
    except Exception:
        return None
    if not isinstance(value, str):
        return None
    token = value.split(None, 1)[-1].strip()
    return token if len(token) >= _MIN_LENGTH else None


def redact(text: str, extra: set[str] | None = None) -> str:
    """``text`` with every known token, and anything shaped like one, masked.

    >>> redact("403: bad token hf_" + "a" * 34 + " (Authorization: Bearer s3cr3t)")
    '403: bad token *** (Authorization: Bearer ***)'
    """
    for token in sorted(known_tokens() | (extra or set()), key=len, reverse=True):
        text = text.replace(token, MASK)
    text = _TOKEN_SHAPE.sub(MASK, text)
    return _BEARER.sub(lambda m: m.group(1) + MASK, text)
