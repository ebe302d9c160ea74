"""Live pages in a real browser: a WGA member records through the dashboard's form while a mediator
watches the overview and the timeline and an AMPTP member watches the overview, each in a browser
context of their own. The mediator's pages show a tabled proposal within 2 seconds of the click
that records it, without a reload; the WGA's draft reaches neither of the others' pages; signing
out in another tab stops a page's updates."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from e2e_support import CHROMIUM, CHROMIUM_ARGS, Server, demo_server, shoot, sign_in
from playwright.sync_api import Browser, BrowserContext, Page, Playwright

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
WGA = "wga-amptp-2023"
WITHIN_MS = 6000
"""From a write to every open page that follows the case: the issue's bound is 2 s (about 1 s
measured on an idle 2-core machine); a test allows three times that, as it shares the machine with
another test worker, the server and the browser."""


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of this module's own: what it records does not reach the other browser tests."""
    with demo_server(tmp_path_factory.mktemp("e2e-live")) as running:
        yield running


@pytest.fixture(scope="module")
def chromium(playwright_driver: Playwright) -> Iterator[Browser]:
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _context(
    chromium: Browser, server: Server, username: str, errors: list[str]
) -> tuple[BrowserContext, Page]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(f"{username}: {error}"))
    page.on("console", lambda msg: errors.append(f"{username}: {msg.text}") if msg.type == "error" else None)
    sign_in(page, server, username)
    return context, page


def _watch(page: Page, url: str) -> None:
    """Open ``url``, wait for its stream, and mark the document (a reload would lose the mark)."""
    page.goto(url)
    page.wait_for_function("() => document.querySelector('.live').dataset.liveState === 'open'")
    page.evaluate("() => { window.notReloaded = true; }")


def _shows(page: Page, text: str) -> bool:
    return bool(page.evaluate("(t) => document.querySelector('.live-body').innerHTML.includes(t)", text))


def _updates(page: Page) -> int:
    return int(page.evaluate("() => document.querySelector('.live').dataset.liveUpdates"))


def _record(
    page: Page, server: Server, *, date: str, pay: str, summary: str, draft: bool
) -> tuple[str, float]:
    """Record a WGA proposal through the form; the id the server gave it, and when it was sent."""
    page.goto(f"{server.url}/dashboard/cases/{WGA}/record/proposal")
    page.get_by_label("Date", exact=True).fill(date)
    page.get_by_label("From", exact=True).select_option("wga")
    page.get_by_label("To", exact=True).select_option("amptp")
    page.get_by_label("Status", exact=True).select_option("draft" if draft else "tabled")
    page.get_by_label("Minimum pay increase (%, 0.0 to 20.0)").fill(pay)
    page.get_by_label("Summary", exact=True).fill(summary)
    sent = time.monotonic()
    page.get_by_role("button", name="Record").click()
    page.wait_for_url(re.compile(r"recorded="))
    return parse_qs(urlsplit(page.url).query)["recorded"][0], sent


def test_a_mediators_pages_update_while_open_and_another_partys_draft_never_arrives(
    chromium: Browser, live_server: Server, tmp_path: Path
) -> None:
    errors: list[str] = []
    overview_url = f"{live_server.url}/dashboard/cases/{WGA}"
    contexts = []
    try:
        writer_context, writer = _context(chromium, live_server, "writer", errors)
        mediator_context, mediator = _context(chromium, live_server, "mediator", errors)
        studio_context, studio = _context(chromium, live_server, "studio", errors)
        contexts = [writer_context, mediator_context, studio_context]
        timeline = mediator_context.new_page()
        _watch(mediator, overview_url)
        _watch(timeline, f"{overview_url}/timeline")
        _watch(studio, overview_url)
        timeline.get_by_text("The positions as a table").first.click()  # opened: it stays open
        timeline.evaluate("() => window.scrollTo(0, 600)")

        draft, _ = _record(
            writer,
            live_server,
            date="2023-11-10",
            pay="11",
            summary="A draft the studios never see.",
            draft=True,
        )
        assert draft.startswith("draft.wga.")
        assert _shows(writer, draft)  # the writer's own page shows its draft
        time.sleep(2.5)  # ten polls of the server: time enough for anything to arrive
        for page in (mediator, timeline, studio):
            assert _updates(page) == 0 and not _shows(page, draft)

        tabled, clicked = _record(
            writer,
            live_server,
            date="2023-11-11",
            pay="12",
            summary="The WGA's live test proposal.",
            draft=False,
        )
        for page in (mediator, timeline):
            page.wait_for_function(
                "(t) => document.querySelector('.live-body').innerHTML.includes(t)",
                arg=tabled,
                timeout=WITHIN_MS,
            )
        elapsed = time.monotonic() - clicked
        assert elapsed < WITHIN_MS / 1000, elapsed
        for page in (mediator, timeline):
            assert page.evaluate("() => window.notReloaded === true"), "the page was reloaded"
            assert re.match(r"Updated at .+", page.locator(".live-notice").inner_text())
            assert page.locator("#as_of").input_value() == "2023-11-11"  # the latest, as the page follows it
        # Kept where the reader was (the browser's scroll anchoring may add the notice's height).
        assert abs(timeline.evaluate("() => window.scrollY") - 600) < 100
        assert timeline.locator("details[open]").count() == 1
        mediator.wait_for_function(
            "() => [...document.querySelectorAll('.plot')].every(p => p.dataset.ready === 'true')"
        )
        studio.wait_for_function(
            "(t) => document.querySelector('.live-body').innerHTML.includes(t)", arg=tabled, timeout=WITHIN_MS
        )
        assert not _shows(studio, draft) and not _shows(mediator, draft) and not _shows(timeline, draft)
        shoot(mediator, "dashboard-live", full_page=False)

        # Signing out in another tab stops the studio's page, which says why (the next recheck).
        other = studio_context.new_page()
        other.goto(overview_url)
        other.get_by_role("button", name="Sign out").click()
        other.wait_for_url("**/dashboard/sign-in")
        studio.wait_for_function(
            "() => document.querySelector('.live').dataset.liveState === 'ended'", timeout=10_000
        )
        assert "signed out" in studio.locator(".live-notice").inner_text()
    finally:
        for context in contexts:
            context.close()
    assert not [e for e in errors if not re.search(r"status of 4(01|03|22)\b", e)], errors
