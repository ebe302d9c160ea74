"""Helpers of the browser tests: a test server (the demo, served in a thread), its address and demo
passwords, signing in, screenshots, waiting for charts."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from argon2 import PasswordHasher
from playwright.sync_api import Locator, Page

from accord.api import create_app
from accord.services import Services
from accord.services.demo import DemoSeed, seed_demo
from accord.store import Database
from accord.web import mount

CHROMIUM = os.environ.get("ACCORD_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
"""The Chromium the browser tests drive (``make services`` checks it runs, or installs Debian's)."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parents[2] / "out" / "e2e"
"""Where the screenshots go (git-ignored); docs/images holds a chosen copy."""


@dataclass(frozen=True)
class Server:
    url: str
    seed: DemoSeed

    def password(self, username: str) -> str:
        return next(u.password for u in self.seed.users if u.username == username)


@contextmanager
def demo_server(folder: Path) -> Iterator[Server]:
    """A real server over a SQLite file in ``folder`` with the demo loaded, in a thread."""
    database = Database(f"sqlite:///{folder / 'accord.sqlite'}")
    database.upgrade()
    services = Services(database)
    services.users.hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    seed = seed_demo(services)
    app = create_app(services)  # the team server's app, with the dashboard on it
    mount(app, services)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=2
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield Server(f"http://127.0.0.1:{port}", seed)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        database.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def sign_in(page: Page, server: Server, username: str) -> None:
    page.goto(f"{server.url}/dashboard/sign-in")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(server.password(username))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard/cases")


def shoot(
    page: Page, name: str, *, full_page: bool = True, top: Locator | None = None, height: int | None = None
) -> Path:
    """Save a screenshot of the page as ``out/e2e/<name>.png``: the whole page, or ``height``
    pixels of it from its top (or from the top of ``top``)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    clip = None
    if top is not None or height is not None:
        box = top.bounding_box() if top is not None else None
        y = (box["y"] + page.evaluate("window.scrollY")) if box else 0
        size = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        clip = {"x": 0, "y": y, "width": size[0], "height": min(height or size[1], size[1] - y)}
    page.screenshot(path=str(path), full_page=full_page, clip=clip)
    return path


def charts_ready(page: Page) -> None:
    """Wait until every chart on the page has been drawn by plotly.js."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('.plot')].every(p => p.dataset.ready === 'true')"
    )
