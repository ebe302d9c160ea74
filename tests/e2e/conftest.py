"""A real server (Uvicorn on 127.0.0.1, a free port, SQLite in a temp folder, the demo loaded) and
one real Chromium (Debian's, driven by Playwright) for the whole test session."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from e2e_support import CHROMIUM, CHROMIUM_ARGS, Server, demo_server
from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with demo_server(tmp_path_factory.mktemp("e2e")) as running:
        yield running


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """Playwright, once for the session (it starts one driver per thread)."""
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(
    playwright_driver: Playwright, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BrowserContext]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = playwright_driver.chromium.launch_persistent_context(
        str(profile),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    """A fresh tab with no one signed in; a browser error on the page fails the test."""
    browser.clear_cookies()
    tab = browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield tab
    tab.close()
    # A page answered with 401/403/422 is what some tests check for; the console reports it too.
    assert not [e for e in errors if not re.search(r"status of 4(01|03|22)\b", e)], errors
