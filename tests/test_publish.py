"""Publishing a release to the Hub, against a fake Hub client (no network)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kimputin_ds.errors import KimputinError
from kimputin_ds.manifest import MANIFEST_NAME, verify_manifest, write_manifest
from kimputin_ds.publish import (
    PublishError,
    PublishResult,
    Release,
    ReleaseFile,
    TagExistsError,
    check_release,
    check_repo_id,
    format_plan,
    load_release,
    main,
    parse_front_matter,
    plan_publish,
    publish,
    stale_remote_files,
)
from kimputin_ds.version import __version__
from kimputin_ds.yamlio import YamlError

REPO = "owner/kimputin-ds"
VERSION = __version__
CARD = """---
pretty_name: KimPutin test
configs:
- config_name: x
  data_files:
  - split: train
    path: data/x/train-*.parquet
---

# Test card
"""
PARQUET = b"PAR1 not really parquet, publish only uploads bytes PAR1"


@pytest.fixture
def release(tmp_path: Path) -> Path:
    """A small release directory with its checksum manifest."""
    root = tmp_path / "dist" / VERSION
    (root / "data" / "x").mkdir(parents=True)
    (root / "README.md").write_text(CARD, encoding="utf-8")
    (root / "croissant.json").write_text('{"@type": "sc:Dataset"}\n', encoding="utf-8")
    (root / "data" / "x" / "train-00000-of-00001.parquet").write_bytes(PARQUET)
    write_manifest(root, VERSION, REPO)
    return root


@dataclass
class Ref:
    name: str
    target_commit: str


@dataclass
class Refs:
    branches: list[Ref]
    tags: list[Ref]
    converts: list[Ref] = field(default_factory=list)


@dataclass
class Commit:
    oid: str
    commit_url: str
    pr_url: str | None = None


MAIN_HEAD = "a" * 40
NEW_COMMIT = "b" * 40


class FakeHub:
    """Records every call; answers like the Hub would for an existing repo."""

    endpoint = "https://hub.invalid"

    def __init__(self, remote_files: list[str] | None = None, tags: list[str] | None = None):
        self.remote_files = remote_files if remote_files is not None else [".gitattributes"]
        self.tags = tags or []
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def _record(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.calls.append((name, args, kwargs))

    def names(self) -> list[str]:
        return [name for name, _, _ in self.calls]

    def call(self, name: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
        (found,) = [(args, kwargs) for n, args, kwargs in self.calls if n == name]
        return found

    def create_repo(self, *args: Any, **kwargs: Any) -> str:
        self._record("create_repo", *args, **kwargs)
        return f"{self.endpoint}/datasets/{args[0]}"

    def list_repo_refs(self, *args: Any, **kwargs: Any) -> Refs:
        self._record("list_repo_refs", *args, **kwargs)
        return Refs([Ref("main", MAIN_HEAD)], [Ref(t, "c" * 40) for t in self.tags])

    def list_repo_files(self, *args: Any, **kwargs: Any) -> list[str]:
        self._record("list_repo_files", *args, **kwargs)
        return list(self.remote_files)

    def create_commit(self, *args: Any, **kwargs: Any) -> Commit:
        self._record("create_commit", *args, **kwargs)
        url = f"{self.endpoint}/datasets/{args[0]}/commit/{NEW_COMMIT}"
        pr = f"{self.endpoint}/datasets/{args[0]}/discussions/1" if kwargs["create_pr"] else None
        return Commit(NEW_COMMIT, url, pr)

    def create_tag(self, *args: Any, **kwargs: Any) -> None:
        self._record("create_tag", *args, **kwargs)


def _operations(hub: FakeHub) -> tuple[list[str], list[str]]:
    """The paths added and deleted by the one commit."""
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    args, _ = hub.call("create_commit")
    ops = list(args[1])
    added = [op.path_in_repo for op in ops if isinstance(op, CommitOperationAdd)]
    deleted = [op.path_in_repo for op in ops if isinstance(op, CommitOperationDelete)]
    assert len(added) + len(deleted) == len(ops)
    return added, deleted


def run(release: Path, hub: FakeHub, *, create_pr: bool = False) -> PublishResult:
    """Plan the release and publish it to ``hub``."""
    plan = plan_publish(load_release(release), REPO, create_pr=create_pr)
    return publish(plan, api=hub)  # type: ignore[arg-type]  # a fake HfApi


# --- planning -------------------------------------------------------------------------


def test_plan_lists_every_file_with_its_size(release: Path) -> None:
    plan = plan_publish(load_release(release), REPO)
    sizes = {f.path: f.size for f in plan.files}
    assert sizes == {
        "README.md": len(CARD.encode()),
        "croissant.json": (release / "croissant.json").stat().st_size,
        "data/x/train-00000-of-00001.parquet": len(PARQUET),
        MANIFEST_NAME: (release / MANIFEST_NAME).stat().st_size,
    }
    assert [f.path for f in plan.files] == sorted(sizes)
    assert plan.total_size == sum(sizes.values())
    assert plan.commit_message == f"Release v{VERSION}"
    assert plan.tag == f"v{VERSION}"
    assert plan.version == VERSION
    assert plan.repo_id == REPO
    assert plan.release == release
    assert not plan.create_pr


def test_tag_comes_from_the_manifest_version(release: Path) -> None:
    write_manifest(release, "2.3.4", REPO)
    plan = plan_publish(load_release(release), REPO, create_pr=True)
    assert (plan.tag, plan.commit_message, plan.create_pr) == ("v2.3.4", "Release v2.3.4", True)


def test_stale_remote_files_keep_gitattributes() -> None:
    plan = plan_publish(Release(Path("r"), VERSION, (ReleaseFile("README.md", 3),)), REPO)
    remote = ["README.md", ".gitattributes", "data/old/train.parquet", "notes.txt"]
    assert stale_remote_files(plan, remote) == ["data/old/train.parquet", "notes.txt"]


@pytest.mark.parametrize("repo_id", ["owner", "owner/", "/name", "a/b/c", "own er/x", "o/n..x", ""])
def test_invalid_repo_ids_are_rejected(repo_id: str) -> None:
    with pytest.raises(ValueError, match="OWNER/NAME"):
        check_repo_id(repo_id)


def test_front_matter_errors_point_at_the_card_line() -> None:
    hint = "the card must start with YAML between two '---' lines"
    cases = [
        ("---\npretty_name: x\nconfigs: [\n---\n", "front matter: YAML syntax error", (4, 1), ""),
        ("---\npretty_name: x\n", "not closed", (1, 1), hint),
        ("# no front matter\n", "first line", (1, 1), hint),
        ("---\n- a\n---\n", "not a mapping", (2, 1), hint),
    ]
    for text, message, where, expected_hint in cases:
        with pytest.raises(YamlError, match=message) as info:
            parse_front_matter(text)
        assert (info.value.line, info.value.col, info.value.hint) == (*where, expected_hint)


# --- refusals -----------------------------------------------------------------------


def test_valid_release_passes_the_check(release: Path) -> None:
    assert check_release(release).issues == []


def test_tampered_file_is_refused(release: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (release / "data" / "x" / "train-00000-of-00001.parquet").write_bytes(PARQUET[::-1])
    report = check_release(release)
    assert [i.code for i in report.errors] == ["checksum"]
    assert main(["--repo-id", REPO, "--release", str(release), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "train-00000-of-00001.parquet" in err
    assert "does not match the checksum manifest" in err
    assert "nothing was published" in err


def test_missing_manifest_is_refused(release: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (release / MANIFEST_NAME).unlink()
    with pytest.raises(KimputinError) as info:
        load_release(release)
    assert [i.code for i in info.value.report.errors] == ["manifest"]
    assert main(["--repo-id", REPO, "--release", str(release)]) == 1
    assert "no checksum manifest" in capsys.readouterr().err


def test_unlisted_file_is_refused(release: Path) -> None:
    (release / "extra.txt").write_text("x", encoding="utf-8")
    assert "not listed in the manifest" in check_release(release).to_text()


@pytest.mark.parametrize(
    ("path", "content", "message"),
    [
        ("README.md", None, "no dataset card"),
        ("croissant.json", None, "no Croissant metadata"),
        ("croissant.json", "{", "unreadable Croissant metadata"),
        ("data/x/train-00000-of-00001.parquet", None, "no Parquet data"),
        ("README.md", "# no front matter\n", "no YAML front matter"),
        ("README.md", "---\na: [\n---\n", "YAML syntax error"),
        ("README.md", CARD.replace("train-*", "test-*"), "'data/x/test-*.parquet' matches no file"),
    ],
)
def test_incomplete_release_is_refused(
    release: Path, path: str, content: str | None, message: str
) -> None:
    if content is None:
        (release / path).unlink()
    else:
        (release / path).write_text(content, encoding="utf-8")
    write_manifest(release, VERSION, REPO)  # consistent manifest: the layout itself is refused
    report = check_release(release)
    assert not report.ok
    assert message in report.to_text()
    with pytest.raises(KimputinError):
        load_release(release)


def test_manifest_without_a_usable_version_is_refused(release: Path) -> None:
    manifest = json.loads((release / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["version"] = "latest"
    (release / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    assert [i.code for i in check_release(release).errors] == ["version"]


def test_missing_release_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--repo-id", REPO, "--release", str(tmp_path / "nope"), "--dry-run"]) == 1
    assert "release directory not found" in capsys.readouterr().err


def test_invalid_repo_id_is_a_usage_error(release: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--repo-id", "no-slash", "--release", str(release), "--dry-run"])
    assert info.value.code == 2


def test_default_release_is_dist_version(
    release: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(release.parent.parent)  # tmp_path, holding dist/1.0.0
    assert main(["--repo-id", REPO, "--dry-run"]) == 0
    assert f"dist/{VERSION} (version {VERSION})" in capsys.readouterr().out.replace(os.sep, "/")


# --- dry run ------------------------------------------------------------------------


def test_dry_run_prints_the_plan_and_sends_nothing(
    release: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def no_hub(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("--dry-run must not talk to the Hub")

    monkeypatch.setattr("kimputin_ds.publish.publish", no_hub)
    monkeypatch.setattr("kimputin_ds.publish.default_api", no_hub)
    assert main(["--repo-id", REPO, "--release", str(release), "--dry-run"]) == 0
    out = capsys.readouterr().out
    plan = plan_publish(load_release(release), REPO)
    assert out.startswith(format_plan(plan))
    for f in plan.files:
        assert f"{f.size}  {f.path}" in out
    assert f"commit:     Release v{VERSION}" in out
    assert f"tag:        v{VERSION}" in out
    assert "create-pr:  no" in out
    assert "dry run: nothing was sent" in out


def test_dry_run_with_create_pr_says_when_the_tag_is_made(
    release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--repo-id", REPO, "--release", str(release), "--dry-run", "--create-pr"]) == 0
    out = capsys.readouterr().out
    assert "create-pr:  yes" in out
    assert f"v{VERSION} (created after the pull request is merged)" in out


@pytest.mark.slow
def test_module_dry_run_in_a_subprocess(release: Path) -> None:
    hidden = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_ENDPOINT")
    env = {k: v for k, v in os.environ.items() if k not in hidden}
    env["HF_HUB_OFFLINE"] = "1"  # any Hub request would fail loudly
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "kimputin_ds.publish",
            "--repo-id",
            REPO,
            "--release",
            str(release),
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"Release v{VERSION}" in proc.stdout
    assert "data/x/train-00000-of-00001.parquet" in proc.stdout
    assert "Traceback" not in proc.stderr


# --- publishing against a fake Hub ----------------------------------------------------------


def test_publish_makes_one_commit_then_tags_it(release: Path) -> None:
    hub = FakeHub(remote_files=[".gitattributes", "README.md"])
    plan = plan_publish(load_release(release), REPO)
    result = publish(plan, api=hub)  # type: ignore[arg-type]
    assert hub.names() == [
        "create_repo",
        "list_repo_refs",
        "list_repo_files",
        "create_commit",
        "create_tag",
    ]
    args, kwargs = hub.call("create_repo")
    assert args == (REPO,)
    assert kwargs["repo_type"] == "dataset"
    assert kwargs["exist_ok"] is True
    added, deleted = _operations(hub)
    assert added == [f.path for f in plan.files]
    assert MANIFEST_NAME in added
    assert deleted == []
    _, kwargs = hub.call("create_commit")
    assert kwargs["commit_message"] == f"Release v{VERSION}"
    assert kwargs["repo_type"] == "dataset"
    assert kwargs["create_pr"] is False
    assert kwargs["parent_commit"] == MAIN_HEAD
    args, kwargs = hub.call("create_tag")
    assert args == (REPO,)
    assert (kwargs["tag"], kwargs["revision"]) == (f"v{VERSION}", NEW_COMMIT)
    assert kwargs["repo_type"] == "dataset"
    assert (result.tag, result.commit_oid, result.pr_url) == (f"v{VERSION}", NEW_COMMIT, None)
    assert result.deleted == ()


def test_stale_remote_files_are_deleted_in_the_same_commit(release: Path) -> None:
    remote = [".gitattributes", "README.md", "data/old/train-00000-of-00001.parquet", "notes.md"]
    hub = FakeHub(remote_files=remote)
    result = run(release, hub)
    added, deleted = _operations(hub)
    assert deleted == ["data/old/train-00000-of-00001.parquet", "notes.md"]
    assert ".gitattributes" not in deleted
    assert "README.md" in added
    assert result.deleted == tuple(deleted)
    assert hub.names().count("create_commit") == 1


def test_existing_tag_is_not_moved_and_nothing_is_committed(release: Path) -> None:
    hub = FakeHub(tags=["v0.9.0", f"v{VERSION}"])
    with pytest.raises(
        TagExistsError, match=rf"v{re.escape(VERSION)} already exists.*nothing was published"
    ):
        run(release, hub)
    assert "create_commit" not in hub.names()
    assert "create_tag" not in hub.names()


def test_other_tags_do_not_block_a_new_version(release: Path) -> None:
    hub = FakeHub(tags=["v0.9.0"])
    assert run(release, hub).tag == f"v{VERSION}"
    assert hub.names()[-1] == "create_tag"


def test_create_pr_skips_tagging(release: Path) -> None:
    hub = FakeHub()
    result = run(release, hub, create_pr=True)
    _, kwargs = hub.call("create_commit")
    assert kwargs["create_pr"] is True
    assert "create_tag" not in hub.names()
    assert result.tag is None
    assert result.pr_url is not None


def test_main_publishes_with_the_default_api(
    release: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hub = FakeHub()
    monkeypatch.setattr("kimputin_ds.publish.default_api", lambda: hub)
    assert main(["--repo-id", REPO, "--release", str(release), "--create-pr"]) == 0
    out = capsys.readouterr().out
    assert "opened pull request" in out
    assert f"tag v{VERSION} is created after the merge" in out
    assert "create_tag" not in hub.names()


def test_main_refuses_an_existing_tag(
    release: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hub = FakeHub(tags=[f"v{VERSION}"])
    monkeypatch.setattr("kimputin_ds.publish.default_api", lambda: hub)
    assert main(["--repo-id", REPO, "--release", str(release)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: tag v{VERSION} already exists")
    assert "create_commit" not in hub.names()


def test_failure_after_the_commit_says_what_was_published(release: Path) -> None:
    class TagFails(FakeHub):
        def create_tag(self, *args: Any, **kwargs: Any) -> None:
            raise ConnectionError("connection reset")

    with pytest.raises(PublishError, match=f"commit {NEW_COMMIT} was published but tag v{VERSION}"):
        run(release, TagFails())


# --- no network -----------------------------------------------------------------------


def test_unreachable_hub_is_one_clear_line(
    release: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import huggingface_hub.constants

    token = "hf_dummyTokenThatMustNeverBePrinted"
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")  # discard port: nothing listens
    monkeypatch.setenv("HF_TOKEN", token)
    # Offline mode is read once, at import; switch it off so a connection is really tried.
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    assert main(["--repo-id", REPO, "--release", str(release)]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("error: cannot reach the Hugging Face Hub at http://127.0.0.1:9: ")
    assert err.endswith("; nothing was published")
    assert "HF_HUB_OFFLINE" not in err
    assert "Traceback" not in captured.err + captured.out
    assert token not in captured.err + captured.out


def test_offline_mode_is_reported_as_such(
    release: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import huggingface_hub.constants

    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    assert main(["--repo-id", REPO, "--release", str(release)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == (
        "error: cannot reach the Hugging Face Hub at http://127.0.0.1:9: HF_HUB_OFFLINE is set; "
        "nothing was published"
    )


# --- what the Hub must never see or echo (issue 19 §3) -------------------------------------


class _EchoingHub(FakeHub):
    """A Hub that fails with a message echoing the credentials it was sent."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def create_repo(self, *args: Any, **kwargs: Any) -> str:
        raise ConnectionError(
            f"POST {self.endpoint}/api/repos/create failed; headers sent: "
            f"{{'authorization': 'Bearer {self.token}'}}; token={self.token}"
        )


@pytest.mark.parametrize(
    "source",
    [
        "HF_TOKEN",
        "HUGGING_FACE_HUB_TOKEN",
        "token file",
    ],
)
def test_the_token_never_appears_in_output_even_when_the_hub_echoes_it(
    release: Path,
    tmp_path: Path,
    source: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import huggingface_hub
    import huggingface_hub.constants

    token = "hf_EchoedSecretToken0123456789"
    for variable in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    if source == "token file":
        path = tmp_path / "hf-home" / "token"
        path.parent.mkdir()
        path.write_text(token + "\n", encoding="utf-8")
        monkeypatch.setenv("HF_TOKEN_PATH", str(path))
        monkeypatch.setattr(huggingface_hub.constants, "HF_TOKEN_PATH", str(path))
    else:
        monkeypatch.setenv(source, token)
    assert huggingface_hub.get_token() == token  # the client would send this token
    monkeypatch.setattr("kimputin_ds.publish.default_api", lambda: _EchoingHub(token))
    assert main(["--repo-id", REPO, "--release", str(release)]) == 1
    captured = capsys.readouterr()
    assert "error: cannot reach the Hugging Face Hub" in captured.err  # the echo was printed...
    assert "Bearer" in captured.err
    assert token not in captured.out + captured.err  # ...without the token
    assert token[4:] not in captured.out + captured.err


def test_remote_files_are_listed_at_the_parent_commit(release: Path) -> None:
    """Stale files are computed from the commit the new one goes on top of, not a later main."""
    hub = FakeHub()
    run(release, hub)
    args, kwargs = hub.call("list_repo_files")
    assert args == (REPO,)
    assert kwargs["revision"] == MAIN_HEAD
    assert kwargs["repo_type"] == "dataset"
    _, commit = hub.call("create_commit")
    assert commit["parent_commit"] == kwargs["revision"]


@pytest.mark.parametrize(
    "pattern",
    ["../outside/train-*.parquet", "data/../../outside/*.parquet", "/etc/*.parquet", ""],
)
def test_data_file_patterns_outside_the_release_are_refused(release: Path, pattern: str) -> None:
    outside = release.parent.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "train-00000-of-00001.parquet").write_bytes(PARQUET)  # matched if followed
    card = CARD.replace("path: data/x/train-*.parquet", f"path: {json.dumps(pattern)}")
    (release / "README.md").write_text(card, encoding="utf-8")
    write_manifest(release, VERSION, REPO)
    report = check_release(release)
    assert [(Path(i.path).name, i.message) for i in report.errors] == [
        ("README.md", f"data file pattern {pattern!r} is not inside the release")
    ]
    with pytest.raises(KimputinError):
        load_release(release)


def test_a_data_file_pattern_with_dots_inside_a_name_is_accepted(release: Path) -> None:
    (release / "data" / "x..y").mkdir()
    (release / "data" / "x..y" / "train-00000-of-00001.parquet").write_bytes(PARQUET)
    card = CARD.replace("data/x/train-*.parquet", "data/x..y/train-*.parquet")
    (release / "README.md").write_text(card, encoding="utf-8")
    write_manifest(release, VERSION, REPO)
    assert check_release(release).ok, check_release(release).to_text()


@pytest.mark.parametrize(
    "name", ["croissant.json", "data/x/train-00000-of-00001.parquet", "LICENSE"]
)
def test_a_listed_file_that_is_missing_is_reported(release: Path, name: str) -> None:
    (release / "LICENSE").write_text("terms\n", encoding="utf-8")
    write_manifest(release, VERSION, REPO)
    (release / name).unlink()
    with pytest.raises(KimputinError) as info:
        load_release(release)  # a report, never a FileNotFoundError
    assert info.value.report is not None
    missing = (str(release / name), "listed in the manifest but missing")
    assert missing in [(i.path, i.message) for i in info.value.report.errors]
    assert missing in [(i.path, i.message) for i in verify_manifest(release).errors]


def test_a_file_that_vanishes_after_the_check_is_reported(
    release: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kimputin_ds.errors import Report

    monkeypatch.setattr("kimputin_ds.publish.check_release", lambda root: Report())
    (release / "croissant.json").unlink()
    with pytest.raises(KimputinError) as info:
        load_release(release)
    assert info.value.report is not None
    assert [(Path(i.path).name, i.message) for i in info.value.report.errors] == [
        ("croissant.json", "listed in the manifest but missing")
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            401,
            "the Hugging Face Hub at https://hub.example rejected the credentials (HTTP 401): "
            "set HF_TOKEN to a token with write access or run `hf auth login`",
        ),
        (403, "the Hugging Face Hub at https://hub.example refused the request: 403 Forbidden"),
    ],
)
def test_a_hub_http_error_says_whether_the_credentials_were_rejected(
    status: int, expected: str
) -> None:
    import httpx
    from huggingface_hub.errors import HfHubHTTPError

    from kimputin_ds.publish import describe_hub_error

    response = httpx.Response(status, request=httpx.Request("POST", "https://hub.example/api"))
    error = HfHubHTTPError(f"{status} Forbidden", response=response)
    assert describe_hub_error(error, "https://hub.example") == expected


def test_configs_that_are_not_a_list_are_a_card_error(release: Path) -> None:
    card = CARD.replace("configs:", "configs: not-a-list\nold_configs:", 1)
    (release / "README.md").write_text(card, encoding="utf-8")
    write_manifest(release, VERSION, REPO)
    issues = check_release(release).errors
    assert [(Path(i.path).name, i.field, i.code, i.message) for i in issues] == [
        ("README.md", "configs", "card", "'configs' is not a list")
    ]


def test_a_missing_release_directory_is_reported_with_how_to_build_it(tmp_path: Path) -> None:
    (issue,) = check_release(tmp_path / "dist" / "9.9.9").issues
    assert (issue.path, issue.code, issue.message) == (
        str(tmp_path / "dist" / "9.9.9"),
        "release",
        "release directory not found",
    )
    assert issue.hint == "build it with python -m kimputin_ds.build"


def test_a_card_front_matter_error_is_located_in_the_readme(release: Path) -> None:
    (release / "README.md").write_text("---\npretty_name: x\npretty_name: y\n---\n", "utf-8")
    write_manifest(release, VERSION, REPO)
    (issue,) = [i for i in check_release(release).errors if i.code == "card"]
    assert (Path(issue.path).name, issue.line, issue.col) == ("README.md", 3, 1)
    assert issue.message == "front matter: duplicate key 'pretty_name'"
    assert issue.hint == "each key may appear once"


def test_sizes_are_printed_in_si_units() -> None:
    from kimputin_ds.publish import _size

    assert [_size(n) for n in (0, 999, 1000, 1_500, 999_999, 1_000_000, 2_500_000_000)] == [
        "0 B",
        "999 B",
        "1.0 kB",
        "1.5 kB",
        "1.0 MB",
        "1.0 MB",
        "2.5 GB",
    ]


@pytest.mark.parametrize("stale", [[], ["notes.md", "data/old/train-00000-of-00001.parquet"]])
def test_main_says_how_many_remote_files_it_deleted(
    release: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stale: list[str],
) -> None:
    hub = FakeHub(remote_files=[".gitattributes", "README.md", *stale])
    monkeypatch.setattr("kimputin_ds.publish.default_api", lambda: hub)
    assert main(["--repo-id", REPO, "--release", str(release)]) == 0
    committed = capsys.readouterr().out.splitlines()[-2]
    files = len([p for p in release.rglob("*") if p.is_file()])
    deleted = f", deleted {len(stale)}" if stale else ""
    assert committed.startswith(f"committed {files} file(s){deleted}: ")
