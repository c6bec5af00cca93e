"""What the browser tests (test_browser.py, test_site.py) share: Debian's Chromium, driven by
Playwright, one browser per thread (Playwright's sync API is not shared across threads)."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# As root, without a sandbox; no background traffic to hosts this machine cannot reach.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def sync_api_or_skip(test: str):
    """playwright.sync_api, or skip the calling test module with one line saying how to enable."""
    if not (shutil.which(CHROMIUM) or os.access(CHROMIUM, os.X_OK)):
        pytest.skip(
            f"{test} off: no Chromium at {CHROMIUM} "
            "(enable: sudo apt-get install -y chromium, or set CHROMIUM=/path/to/chromium)",
            allow_module_level=True,
        )
    reason = f"{test} off: playwright missing (pip install -e '.[dev]')"
    return pytest.importorskip("playwright.sync_api", reason=reason)


@contextmanager
def chromium():
    """A Chromium of this thread's own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def fresh_folder(path: Path) -> Path:
    """``path`` emptied (screenshots of an earlier run removed) and created."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path
