"""A pytest plugin for ``scripts/mutation.py``: records which tests run each line.

Loaded with ``-p _mutation_coverage`` (``scripts/`` on ``PYTHONPATH``) by the
mutation script's one coverage pass, never by the test suite. Each test runs
in its own coverage context, named by its pytest node id, so the script can
run a mutant first against just the tests that execute the changed lines.
Coverage starts when the plugin is imported, before ``conftest.py`` files and
test modules import the package, so module-level lines are attributed to the
empty context (the script runs every test of the group for those).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import coverage
import pytest

_COVERAGE = coverage.Coverage(
    data_file=os.environ["KIMPUTIN_MUTATION_COVERAGE"],
    source=[os.environ["KIMPUTIN_MUTATION_SOURCE"]],
)
_COVERAGE.start()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[None]:
    _COVERAGE.switch_context(item.nodeid)
    yield
    _COVERAGE.switch_context("")


def pytest_unconfigure() -> None:
    _COVERAGE.stop()
    _COVERAGE.save()
