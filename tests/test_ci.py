"""CI is defined once (.ci/checks), pinned, and the pre-commit hooks run what it runs."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib

import pytest
import yaml

from conftest import REPO

CHECKS = REPO / ".ci" / "checks"


def check_lines() -> list[str]:
    return [line.strip() for line in CHECKS.read_text(encoding="utf-8").splitlines()]


def test_ci_run_and_the_workflow_both_run_the_checks_script() -> None:
    run = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "exec .ci/checks" in run.splitlines()
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "ci.yml").read_text("utf-8"))
    steps = [s.get("run", "").strip() for s in workflow["jobs"]["check"]["steps"]]
    assert ".ci/checks" in steps
    # nothing else in the job runs a check of its own beside the script
    assert [s for s in steps if s] == [".ci/checks"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_scripts_parse() -> None:
    for script in (CHECKS, REPO / ".ci" / "run"):
        assert subprocess.run(["bash", "-n", str(script)], check=False).returncode == 0
        assert script.stat().st_mode & 0o111, f"{script} is not executable"


def test_ruff_runs_at_the_repository_root_without_paths() -> None:
    lines = check_lines()
    assert "ruff check" in lines and "ruff format --check" in lines
    assert not [line for line in lines if re.match(r"ruff (check|format)\b.*\b(src|tests)\b", line)]


def test_dev_tools_are_pinned_to_exact_versions() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    loose = [r for r in project["optional-dependencies"]["test"] if "==" not in r]
    assert not loose, f"pin these with ==: {loose}"


def test_pre_commit_runs_what_ci_runs() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for repo in config["repos"] for h in repo["hooks"]]
    lines = check_lines()
    for tool in ("ruff check", "ruff format --check", "mypy"):
        [hook] = [h for h in hooks if h["entry"] == tool]
        assert hook["pass_filenames"] is False and hook["language"] == "system"
        assert tool in lines
