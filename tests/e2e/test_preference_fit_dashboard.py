"""Preferences from ratings in a real browser: a member of the WGA opens "My preferences", rates
every package shown, and sees the fitted weights saved as the WGA's private preferences; a studio
user sees no link and is refused the page. On a server of its own, so the other browser tests
keep the demo's bundled preferences."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from e2e_support import Server, demo_server, shoot, sign_in
from playwright.sync_api import Page, expect

from accord.casefile.prefsfile import case_with_preferences
from accord.casefile.ratings import loads_ratings
from accord.prefs import utility

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
WGA = "wga-amptp-2023"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with demo_server(tmp_path_factory.mktemp("e2e-prefs")) as running:
        yield running


def _ratings(page: Page) -> dict[int, str]:
    """Each package on the page rated by the bundled WGA model (a member who thinks like it)."""
    case, prefs = case_with_preferences(WGA)
    hidden: dict[str, str] = page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('input[type=hidden][name^=\"p-\"]')]"
        ".map(i => [i.name, i.value]))"
    )
    header = [issue.id for issue in case.issues]
    ratings = {}
    for number in sorted({int(name.split("-")[1]) for name in hidden}):
        line = ",".join(hidden[f"p-{number}-{issue_id}"] for issue_id in header)
        (package,) = loads_ratings(f"{','.join(header)},rating\n{line},0\n", "page", case).packages
        ratings[number] = f"{100 * utility(prefs.model('wga'), case.issues, package):.0f}"
    return ratings


def test_a_member_rates_packages_and_saves_the_fitted_preferences(page: Page, own_server: Server) -> None:
    sign_in(page, own_server, "writer")
    page.goto(f"{own_server.url}/dashboard/cases/{WGA}")
    page.get_by_role("link", name="My preferences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Preferences of WGA, from your ratings")
    ratings = _ratings(page)
    assert len(ratings) == 35
    page.get_by_label("Rating of package 1", exact=True).fill("120")  # out of range first
    for number, rating in list(ratings.items())[1:]:
        page.get_by_label(f"Rating of package {number}", exact=True).fill(rating)
    page.get_by_role("button", name="Fit and save my preferences").click()
    expect(page.get_by_role("alert")).to_contain_text("expected a number from 0 to 100, got '120'")
    expect(page.get_by_label("Rating of package 2", exact=True)).to_have_value(ratings[2])  # kept
    page.get_by_label("Rating of package 1", exact=True).fill(ratings[1])
    page.get_by_role("button", name="Fit and save my preferences").click()
    saved = page.get_by_role("status")
    expect(saved.get_by_role("heading", level=2)).to_have_text("Saved: version 2 of WGA's preferences")
    expect(saved.locator("table").first.locator("tbody tr")).to_have_count(7)  # a weight per issue
    expect(saved).to_contain_text("rank agreement (Kendall tau) of 0.9")
    shoot(page, "preference-fit", top=saved, height=700)


def test_another_party_sees_no_link_and_is_refused(page: Page, own_server: Server) -> None:
    sign_in(page, own_server, "studio")
    page.goto(f"{own_server.url}/dashboard/cases/{WGA}")
    expect(page.get_by_role("link", name="My preferences")).to_have_attribute(
        "href", f"/dashboard/cases/{WGA}/preferences/amptp/fit"
    )
    response = page.goto(f"{own_server.url}/dashboard/cases/{WGA}/preferences/wga/fit")
    assert response is not None and response.status == 403
