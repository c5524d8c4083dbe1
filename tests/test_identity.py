"""One identity: the Hub repository and code repository, read by card, Croissant and publish."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO
from kimputin_ds.build import build_release
from kimputin_ds.build import main as build_main
from kimputin_ds.errors import KimputinError
from kimputin_ds.identity import PACKAGED, Identity, load_identity, parse_identity
from kimputin_ds.manifest import MANIFEST_NAME
from kimputin_ds.publish import load_release, plan_publish
from kimputin_ds.publish import main as publish_main

OTHER = "someone-else/kimputin-fork"


def _card(release: Path) -> str:
    return (release / "README.md").read_text(encoding="utf-8")


def _croissant(release: Path) -> dict[str, Any]:
    return json.loads((release / "croissant.json").read_text(encoding="utf-8"))


def test_the_packaged_identity_is_the_one_in_pyproject() -> None:
    table = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    configured = table["kimputin_ds"]
    assert PACKAGED.hub_repo_id == configured["hub_repo_id"]
    assert PACKAGED.code_repository == (configured["code_repository"] or None)
    assert load_identity(REPO) == PACKAGED


def test_without_a_pyproject_the_packaged_identity_is_used(tmp_path: Path) -> None:
    assert load_identity(tmp_path) == PACKAGED
    assert load_identity(tmp_path, repo_id=OTHER).hub_repo_id == OTHER


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.kimputin_ds\n", "invalid TOML"),
        ('[tool.kimputin_ds]\nhub_repo_id = "no-slash"\n', "invalid repository id"),
        ('[tool.kimputin_ds]\nhub_repo = "o/n"\n', "unknown keys: hub_repo"),
        ("[tool.kimputin_ds]\nhub_repo_id = 3\n", "as strings"),
        (
            '[tool.kimputin_ds]\nhub_repo_id = "o/n"\ncode_repository = "github.com/x"\n',
            "not an https URL",
        ),
    ],
)
def test_a_malformed_configuration_names_the_file(text: str, message: str, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    with pytest.raises(KimputinError, match=re.escape(message)) as info:
        load_identity(tmp_path)
    assert str(tmp_path / "pyproject.toml") in str(info.value)


def test_every_name_of_the_dataset_comes_from_the_identity(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.kimputin_ds]\nhub_repo_id = "acme/kp"\n'
        'code_repository = "https://git.example.org/acme/kimputin_ds"\n',
        encoding="utf-8",
    )
    release = build_release(corpus, tmp_path / "release").output
    card, croissant = _card(release), _croissant(release)
    assert 'load_dataset("acme/kp", "quotes", split="train", revision="v' in card
    assert "[acme/kp](https://huggingface.co/datasets/acme/kp)" in card
    assert "<https://git.example.org/acme/kimputin_ds>" in card
    assert croissant["url"] == "https://huggingface.co/datasets/acme/kp"
    bibtex = card.split("```bibtex\n", 1)[1].split("\n```", 1)[0]
    assert bibtex == croissant["citeAs"]
    assert "version = {" + croissant["version"] + "}" in bibtex
    assert "howpublished = {\\url{https://huggingface.co/datasets/acme/kp}}" in bibtex
    manifest = json.loads((release / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["repo_id"] == "acme/kp"
    schema = json.loads((release / "schema" / "annotation.schema.json").read_text())
    assert schema["$id"] == (
        "https://huggingface.co/datasets/acme/kp/resolve/main/schema/annotation.schema.json"
    )
    for name in ("<owner>", PACKAGED.hub_repo_id, "github.com"):
        assert name not in card
        assert name not in json.dumps(croissant)
        assert not any(name in p.read_text() for p in (release / "schema").iterdir())


def test_an_unpublished_code_repository_is_said_not_linked(release_default: Path) -> None:
    card = _card(release_default)
    assert "**Code repository:** not published yet." in card
    assert "github.com" not in card


def test_every_relative_link_of_the_card_is_a_file_of_the_release(release_default: Path) -> None:
    links = re.findall(r"\]\(([^)]+)\)", _card(release_default))
    relative = [link for link in links if not re.match(r"[a-z]+:", link)]
    assert "docs/guidelines.md" in relative
    for link in relative:
        assert (release_default / link.split("#", 1)[0]).is_file(), link


@pytest.fixture
def release_default(corpus: Path, tmp_path: Path) -> Path:
    return build_release(corpus, tmp_path / "release").output


def test_build_cli_takes_a_repo_id(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "release"
    assert build_main(["--root", str(corpus), "--output", str(out), "--repo-id", OTHER]) == 0
    assert _croissant(out)["url"] == f"https://huggingface.co/datasets/{OTHER}"
    assert load_release(out).repo_id == OTHER


def test_build_cli_rejects_a_malformed_repo_id(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        build_main(["--root", str(corpus), "--output", str(tmp_path / "r"), "--repo-id", "x"])
    assert info.value.code == 2


def test_publish_refuses_a_release_built_for_another_repository(
    release_default: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = load_release(release_default)
    assert release.repo_id == PACKAGED.hub_repo_id
    with pytest.raises(KimputinError, match=f"built for {PACKAGED.hub_repo_id}"):
        plan_publish(release, OTHER)
    assert publish_main(["--repo-id", OTHER, "--release", str(release_default), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert f"--repo-id {OTHER}" in err and "nothing was published" in err


def test_publish_defaults_to_the_repository_the_release_was_built_for(
    release_default: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert publish_main(["--release", str(release_default), "--dry-run"]) == 0
    assert f"repository: datasets/{PACKAGED.hub_repo_id}" in capsys.readouterr().out
    assert plan_publish(load_release(release_default)).repo_id == PACKAGED.hub_repo_id


def test_publish_refuses_a_release_that_records_no_repository(release_default: Path) -> None:
    manifest_path = release_default / MANIFEST_NAME
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["repo_id"]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(KimputinError) as info:
        load_release(release_default)
    assert any("Hub repository it was built for" in i.message for i in info.value.report)


def test_a_missing_guidelines_file_stops_the_build(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "docs" / "guidelines.md").unlink()
    with pytest.raises(KimputinError, match="guidelines not found"):
        build_release(corpus, tmp_path / "release")
    assert not (tmp_path / "release").exists()


def test_identity_rejects_what_the_hub_would() -> None:
    with pytest.raises(ValueError, match="invalid repository id"):
        Identity("a/b/c")
    assert parse_identity("[project]\nname = 'x'\n") == PACKAGED
