"""A real server (Uvicorn on 127.0.0.1, a free port, SQLite in a temp folder, the demo loaded) and
one real Chromium (Debian's, driven by Playwright) for the whole test session."""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from argon2 import PasswordHasher
from e2e_support import CHROMIUM, CHROMIUM_ARGS, Server, free_port
from playwright.sync_api import BrowserContext, Page, sync_playwright

from accord.api import create_app
from accord.services import Services
from accord.services.demo import seed_demo
from accord.store import Database
from accord.web import mount


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    database = Database(f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'accord.sqlite'}")
    database.upgrade()
    services = Services(database)
    services.users.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    seed = seed_demo(services)
    app = create_app(services)  # the team server's app, with the dashboard on it
    mount(app, services)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield Server(f"http://127.0.0.1:{port}", seed)
    uv.should_exit = True
    thread.join(timeout=10)
    database.dispose()


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
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
