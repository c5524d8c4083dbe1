"""``python -m kimputin_ds.publish`` against a hostile Hub and hostile releases.

The Hub is a local HTTP server on 127.0.0.1 (``HF_ENDPOINT``), so the real
``huggingface_hub`` client sends real requests without any network. Every case
ends with exit 1 or 2, one line of error, no traceback and no token.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kimputin_ds.manifest import MANIFEST_NAME, write_manifest
from kimputin_ds.redaction import known_tokens, redact

REPO = "owner/kimputin-ds"
ENV_TOKEN = "hf_" + "E" * 34
FILE_TOKEN = "hf_" + "F" * 34
CARD = (
    "---\npretty_name: T\nconfigs:\n- config_name: x\n  data_files:\n"
    "  - split: train\n    path: data/x/*.parquet\n---\n# T\n"
)


@pytest.fixture
def release(tmp_path: Path) -> Path:
    root = tmp_path / "dist" / "1.0.0"
    (root / "data" / "x").mkdir(parents=True)
    (root / "README.md").write_text(CARD, encoding="utf-8")
    (root / "croissant.json").write_text('{"@type": "sc:Dataset"}\n', encoding="utf-8")
    (root / "data" / "x" / "train-00000-of-00001.parquet").write_bytes(b"PAR1 bytes PAR1")
    write_manifest(root, "1.0.0", REPO)
    return root


class _Hub(BaseHTTPRequestHandler):
    mode = "echo403"

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        auth = self.headers.get("authorization", "")
        if self.mode == "echo403":
            status, body = 403, json.dumps({"error": f"forbidden for {auth}"}).encode()
        elif self.mode == "echo500":
            status, body = (
                500,
                json.dumps({"error": f"internal error; request had {auth}"}).encode(),
            )
        elif self.mode == "html":
            status, body = 200, b"<html>this is not JSON</html>"
        else:  # wrong shape: JSON, but a list where objects are expected
            status, body = 200, b"[1, 2, 3]"
        self.send_response(status)
        self.send_header("content-type", "application/json" if body[:1] in b"[{" else "text/html")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer  # noqa: N815 (http.server's names)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def hub() -> Iterator[tuple[str, type[_Hub]]]:
    handler = type("Hub", (_Hub,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler
    finally:
        server.shutdown()
        server.server_close()


def publish(
    release: Path, tmp_path: Path, *args: str, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING_FACE"))}
    home = tmp_path / "hf-home"
    home.mkdir(exist_ok=True)
    base.update({"HF_HOME": str(home), "HF_HUB_DISABLE_TELEMETRY": "1", **env})
    return subprocess.run(
        [sys.executable, "-m", "kimputin_ds.publish", "--release", str(release), *args],
        capture_output=True,
        text=True,
        env=base,
        check=False,
        timeout=120,
    )


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode in (1, 2), done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("mode", ["echo403", "echo500"])
@pytest.mark.parametrize("source", ["environment", "login file"])
def test_an_echoed_token_is_masked_whatever_its_source(
    release: Path, tmp_path: Path, hub: tuple[str, type[_Hub]], mode: str, source: str
) -> None:
    endpoint, handler = hub
    handler.mode = mode
    env = {"HF_ENDPOINT": endpoint}
    if source == "environment":
        env["HF_TOKEN"] = ENV_TOKEN
        token = ENV_TOKEN
    else:
        (tmp_path / "hf-home").mkdir()
        (tmp_path / "hf-home" / "token").write_text(FILE_TOKEN, encoding="utf-8")
        token = FILE_TOKEN
    done = publish(release, tmp_path, "--repo-id", REPO, env=env)
    line = one_line_error(done)
    assert token not in done.stdout + done.stderr
    assert "refused the request" in line and "***" in line, line


@pytest.mark.parametrize("mode", ["html", "shape"])
def test_an_answer_that_is_not_understood_is_one_line(
    release: Path, tmp_path: Path, hub: tuple[str, type[_Hub]], mode: str
) -> None:
    endpoint, handler = hub
    handler.mode = mode
    done = publish(
        release, tmp_path, "--repo-id", REPO, env={"HF_ENDPOINT": endpoint, "HF_TOKEN": ENV_TOKEN}
    )
    line = one_line_error(done)
    assert line.startswith("error: ") and "nothing was published" in line, line
    assert ENV_TOKEN not in done.stderr


@pytest.mark.parametrize("repo_id", ["ownér/name", "owner/name.git", "owner/na--me"])
@pytest.mark.parametrize("dry_run", [True, False])
def test_repo_ids_are_refused_alike_with_and_without_dry_run(
    release: Path, tmp_path: Path, repo_id: str, dry_run: bool
) -> None:
    args = ["--repo-id", repo_id, *(["--dry-run"] if dry_run else [])]
    done = publish(release, tmp_path, *args, env={"HF_HUB_OFFLINE": "1"})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"invalid repository id {repo_id!r}" in done.stderr.splitlines()[-1]


def test_a_huge_integer_in_the_front_matter_is_located(release: Path, tmp_path: Path) -> None:
    readme = release / "README.md"
    readme.write_text(
        CARD.replace("pretty_name: T", "pretty_name: T\nsize: " + "9" * 5000), "utf-8"
    )
    write_manifest(release, "1.0.0", REPO)
    done = publish(release, tmp_path, "--repo-id", REPO, "--dry-run", env={"HF_HUB_OFFLINE": "1"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (
        f"{readme}:3:7: front matter: number 99999999999999999999... (5000 characters) is too large"
        in done.stderr
    )


def test_a_huge_integer_in_the_manifest_is_reported(release: Path, tmp_path: Path) -> None:
    manifest = release / MANIFEST_NAME
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('"1.0.0"', "1" + "0" * 5000, 1), "utf-8"
    )
    done = publish(release, tmp_path, "--repo-id", REPO, "--dry-run", env={"HF_HUB_OFFLINE": "1"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "unreadable checksum manifest" in done.stderr


def test_a_symbolic_link_in_a_release_is_refused(release: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret\n", encoding="utf-8")
    (release / "notes.txt").symlink_to(secret)
    done = publish(release, tmp_path, "--repo-id", REPO, "--dry-run", env={"HF_HUB_OFFLINE": "1"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (
        f"{release / 'notes.txt'}: is a symbolic link; only regular files are read" in done.stderr
    )


def test_stored_tokens_are_known(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "stored_tokens").write_text(
        "[work]\nhf_token = hf_storedtokenvalue1234567890abcdefg\n", encoding="utf-8"
    )
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    assert "hf_storedtokenvalue1234567890abcdefg" in known_tokens()
    assert redact("x hf_storedtokenvalue1234567890abcdefg y") == "x *** y"


def test_the_token_of_the_failed_request_is_found_in_its_authorization_header() -> None:
    # The token a request carried is masked even when it is in no file or variable.
    import httpx

    from kimputin_ds.redaction import request_token

    request = httpx.Request(
        "GET", "https://hub.invalid/api", headers={"Authorization": "Bearer hf_secretvalue42"}
    )
    failure = httpx.ConnectError("refused", request=request)
    assert request_token(failure) == "hf_secretvalue42"
    bare = httpx.ConnectError("refused", request=httpx.Request("GET", "https://hub.invalid/"))
    assert request_token(bare) is None


def test_a_hub_error_masks_the_token_its_request_carried() -> None:
    # A token not shaped like hf_…, in no file: only the request's header tells it.
    import httpx

    from kimputin_ds.publish import describe_hub_error

    request = httpx.Request(
        "GET", "https://hub.invalid/api", headers={"Authorization": "Bearer sekret-token-1234"}
    )
    failure = httpx.ConnectError("refused; sent sekret-token-1234", request=request)
    line = describe_hub_error(failure, "https://hub.invalid")
    assert "sekret-token-1234" not in line and "refused" in line
