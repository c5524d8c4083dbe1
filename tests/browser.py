"""Headless Chromium from Debian's packages, driven by Selenium through /usr/bin/chromedriver.

Nothing here downloads a browser or a driver. Without Chromium the browser
tests are skipped with the reason, except in CI (``CI=true``), where a
missing browser is a failure: CI installs it (``.ci/run``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

#: The flags Chromium needs on these machines (no sandbox as root, no background network).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def browser_paths() -> tuple[str, str]:
    """The Chromium and ChromeDriver executables, or skip (fail in CI) when absent."""
    chromium = os.environ.get("KIMPUTIN_CHROMIUM") or shutil.which("chromium")
    driver = os.environ.get("KIMPUTIN_CHROMEDRIVER") or shutil.which("chromedriver")
    if chromium and driver:
        return chromium, driver
    reason = (
        "Chromium or ChromeDriver not found; install Debian's packages: "
        "apt-get install -y chromium chromium-driver (.ci/run does)"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@contextmanager
def chromium(width: int = 1400, height: int = 1000) -> Iterator[Any]:
    """A headless Chromium session with a fresh profile, its console log recorded."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = browser_paths()
    with tempfile.TemporaryDirectory(prefix="kimputin-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={profile}")
        options.add_argument(f"--window-size={width},{height}")
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        try:
            yield driver
        finally:
            driver.quit()
