"""The news page in a real browser: paste or upload an article, review the drafts beside it with
each draft's sentence highlighted, reject one, edit one, apply; bad input shown inline; a role
that may not record reads but cannot apply."""

from __future__ import annotations

import re

import pytest
from e2e_support import Server, shoot, sign_in
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one server, one browser
SAG = "sag-aftra-amptp-2023"
ARTICLE = """Actors and Studios Still Apart

SAG-AFTRA said on Friday that the studios had refused to return to the table since talks broke off.

"We are ready to bargain today," the union's negotiating committee told members in a message on Friday. "The next move is theirs."

A spokesperson for the AMPTP said the companies remain far apart from the union on streaming revenue.

The actors' strike reached its 92nd day on Friday.
"""


def _open_news(page: Page, server: Server, username: str) -> None:
    sign_in(page, server, username)
    page.goto(f"{server.url}/dashboard/cases/{SAG}")
    page.get_by_role("link", name="News").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Read an article")


def test_an_editor_reviews_the_drafts_beside_the_article_and_applies_them(page: Page, server: Server) -> None:
    _open_news(page, server, "mediator")
    page.get_by_label("Article text or HTML").fill(ARTICLE)
    page.get_by_label("Published on").fill("2023-10-14")
    page.get_by_label("Outlet (optional)").fill("Studio Wire")
    page.get_by_role("button", name="Read the article").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the drafts")
    article = page.locator(".article-body")
    expect(article).to_contain_text("The actors' strike reached its 92nd day on Friday.")
    drafts = page.locator("fieldset.draft")
    expect(drafts).to_have_count(5)
    turn = drafts.filter(has_text="The next move is theirs")
    expect(turn.locator("legend")).to_contain_text("turn: AMPTP's turn")
    count = drafts.filter(has_text="92nd day")
    expect(count).to_contain_text("92 days: consistent as of Oct 13, 2023")  # "Friday" is day 92
    expect(count).to_contain_text("day number")
    # The sentence of the draft in focus is marked in the article.
    turn.get_by_label("Reject").focus()
    mark = article.locator("mark.current")
    expect(mark).to_have_count(1)
    expect(mark).to_have_text(re.compile(r"The next move is theirs"))
    shoot(page, "ingest-review")
    # Reject the turn, edit and accept the first statement, apply.
    turn.get_by_label("Reject").check()
    first = drafts.nth(0)
    first.get_by_text("Edit d1").click()
    first.get_by_label("Summary").fill("SAG-AFTRA says the studios will not return to the table.")
    first.get_by_label("Accept").check()
    page.get_by_role("button", name="Apply the accepted drafts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review applied")
    expect(page.get_by_role("status")).to_contain_text("Added")
    page.get_by_role("link", name="See the timeline").click()
    page.goto(page.url + "?as_of=2023-10-14")
    expect(page.get_by_text("SAG-AFTRA says the studios will not return to the table.")).to_be_attached()


def test_bad_input_is_shown_inline_and_an_upload_is_read(page: Page, server: Server, tmp_path) -> None:
    _open_news(page, server, "mediator")
    page.get_by_label("Published on").fill("2023-10-14")
    page.get_by_role("button", name="Read the article").click()
    expect(page.get_by_role("alert")).to_contain_text("paste the article's text or HTML, or choose a file")
    expect(page.get_by_label("Article text or HTML")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Or upload a file").set_input_files(
        files=[{"name": "a.bin", "mimeType": "application/octet-stream", "buffer": b"\x00\x01\x02"}]
    )
    page.get_by_role("button", name="Read the article").click()
    expect(page.get_by_role("alert")).to_contain_text("binary")
    html = (
        f"<html><body><script>alert(1)</script><h1>Talks</h1><p>{ARTICLE.splitlines()[2]}</p></body></html>"
    )
    page.get_by_label("Or upload a file").set_input_files(
        files=[{"name": "a.html", "mimeType": "text/html", "buffer": html.encode()}]
    )
    page.get_by_label("Published on").fill("2023-10-14")
    page.get_by_role("button", name="Read the article").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the drafts")
    expect(page.locator(".article-body")).not_to_contain_text("alert(1)")


def test_an_observer_reads_but_cannot_apply(page: Page, server: Server) -> None:
    _open_news(page, server, "writer")  # an observer of the SAG-AFTRA case
    page.get_by_label("Article text or HTML").fill(ARTICLE)
    page.get_by_label("Published on").fill("2023-10-14")
    page.get_by_role("button", name="Read the article").click()
    expect(
        page.get_by_text("Your role in this case lets you read articles, not record them.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Apply the accepted drafts")).to_have_count(0)
