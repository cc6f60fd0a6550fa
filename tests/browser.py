"""Headless Chromium from Debian's packages, driven by Playwright, to look at the HTML
report as a person would. Playwright never downloads a browser here: it is given the
system's Chromium (`make browser` installs it)."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
from playwright.sync_api import sync_playwright  # noqa: E402

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def chromium():
    """A headless Chromium; skips the test, saying why, when there is none."""
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed and could not be (`make browser` installs "
                    "Debian's chromium package when run as root)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """An open page, with what it logged, raised and requested."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

    def box(self, selector: str) -> dict:
        """Position and size of the element, in CSS pixels; None when it is not shown."""
        return self.page.locator(selector).bounding_box()


def open_report(browser, path: Path) -> Visit:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    visit = Visit(page)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready]")
    return visit
