"""The dashboard in a real browser: signing in as each role, the overview's counters for a chosen
date, recording a proposal (with an inline error first), the analysis (the frontier and the Nash
point for the mediator, a proposal's efficiency), and the private analysis kept private."""

from __future__ import annotations

import re

import pytest
from e2e_support import Server, charts_ready, shoot, sign_in
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one server, one browser
WGA = "wga-amptp-2023"


@pytest.mark.parametrize(
    ("username", "wga_role", "sag_role"),
    [
        ("writer", "member of wga", "observer"),
        ("studio", "member of amptp", "member of amptp"),
        ("mediator", "mediator", "mediator"),
    ],
)
def test_each_role_signs_in_and_sees_its_cases(
    page: Page, server: Server, username: str, wga_role: str, sag_role: str
) -> None:
    sign_in(page, server, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cases")
    cards = page.locator(".card")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="WGA–AMPTP 2023")).to_contain_text(f"Your role: {wga_role}")
    expect(cards.filter(has_text="SAG-AFTRA")).to_contain_text(f"Your role: {sag_role}")
    expect(page.get_by_text(f"Signed in as {username}")).to_be_visible()
    if username == "writer":
        shoot(page, "cases")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_wrong_password_is_refused_inline(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/dashboard/sign-in")
    page.get_by_label("User name").fill("writer")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("wrong user name or password")
    expect(page.get_by_label("User name")).to_have_attribute("aria-invalid", "true")
    shoot(page, "sign-in-error")


def test_overview_shows_the_strike_counters_for_the_chosen_date(page: Page, server: Server) -> None:
    sign_in(page, server, "writer")
    page.get_by_role("link", name=re.compile("WGA–AMPTP 2023")).click()
    page.get_by_label("Show the case as of").fill("2023-09-08")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"as_of=2023-09-08"))
    wga = page.get_by_role("article", name="WGA strike")
    expect(wga.locator(".day-number")).to_have_text("Day 130")
    expect(wga.locator(".days-completed")).to_have_text("129 days completed")
    sag = page.get_by_role("article", name="SAG-AFTRA strike")
    expect(sag.locator(".days-completed")).to_have_text("56 days completed")
    expect(page.locator(".disputed")).to_contain_text("Disputed")
    expect(page.locator("tr[data-issue='residuals'] .label")).to_have_text("apart")
    expect(page.locator("tr[data-issue='min_pay'] .label")).to_have_text(
        "apart"
    )  # half the opening gap still open (docs/concepts.md)
    charts_ready(page)
    shoot(page, "overview")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    charts_ready(page)
    shoot(page, "overview-phone", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_after_the_strike_the_counter_shows_its_total(page: Page, server: Server) -> None:
    sign_in(page, server, "mediator")
    page.goto(f"{server.url}/dashboard/cases/{WGA}?as_of=2023-10-01")
    wga = page.get_by_role("article", name="WGA strike")
    expect(wga).to_contain_text("Ended")
    expect(wga.locator(".days-completed")).to_have_text("148 days completed")


def test_recording_a_proposal_updates_the_gap_and_the_timeline(page: Page, server: Server) -> None:
    sign_in(page, server, "writer")
    page.goto(f"{server.url}/dashboard/cases/{WGA}/record/proposal")
    page.get_by_label("Date", exact=True).fill("2023-09-10")
    page.get_by_label("From", exact=True).select_option("wga")
    page.get_by_label("To", exact=True).select_option("amptp")
    page.get_by_label("Minimum pay increase (%, 0.0 to 20.0)").fill("25")
    page.get_by_role("button", name="Record").click()
    # the service's message (the API's too), next to the field; nothing recorded
    expect(page.locator("#err-pos-min_pay")).to_have_text("issue 'min_pay': 25 is outside [0, 20] %")
    expect(page.get_by_role("alert")).to_contain_text("The record was not saved")
    expect(page.get_by_label("Minimum pay increase (%, 0.0 to 20.0)")).to_have_attribute(
        "aria-invalid", "true"
    )
    shoot(page, "record-proposal-error")
    page.get_by_label("Minimum pay increase (%, 0.0 to 20.0)").fill("13")
    page.get_by_label("Summary", exact=True).fill(
        "The WGA accepts the pattern raises of 5%, 4% and 3.5% (a test proposal)."
    )
    page.get_by_role("button", name="Record").click()
    page.wait_for_url(re.compile(r"as_of=2023-09-10"))
    expect(page.get_by_role("status")).to_contain_text("Recorded")
    expect(page.locator("tr[data-issue='min_pay'] .label")).to_have_text("agreed")
    charts_ready(page)
    page.get_by_role("link", name="Timeline").click()
    charts_ready(page)
    section = page.locator("section", has=page.get_by_role("heading", name="Minimum pay increase"))
    section.get_by_text("The positions as a table").click()
    last = section.locator("tbody tr").last
    expect(last).to_contain_text("Sep 10, 2023")
    expect(last).to_contain_text("13 %")
    shoot(page, "timeline")
    last.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposal wga-2023-09-10")


def test_a_studio_user_cannot_reach_the_unions_private_analysis(page: Page, server: Server) -> None:
    sign_in(page, server, "studio")
    page.goto(f"{server.url}/dashboard/cases/{WGA}/analysis?as_of=2023-09-08")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where could it land?")
    expect(page.locator("a[href*='/analysis/wga']")).to_have_count(0)
    expect(page.locator("a[href*='/analysis/amptp']")).to_have_count(1)
    expect(page.locator("#chart-scatter")).to_have_count(0)  # one side's preferences: no frontier
    expect(page.locator("table.coalition-table thead")).to_contain_text("Coalition (unanimity)")
    shoot(page, "analysis-studio", height=1400)
    response = page.goto(f"{server.url}/dashboard/cases/{WGA}/analysis/wga")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("may not see the preferences of 'wga'")
    shoot(page, "analysis-forbidden")


def _trace_names(page: Page, chart: str) -> list[str]:
    """The names of the traces plotly.js drew in ``chart``."""
    return page.evaluate(f"() => document.getElementById('{chart}').data.map(t => t.name)")


def test_the_mediator_sees_the_frontier_and_the_nash_point(page: Page, server: Server) -> None:
    sign_in(page, server, "mediator")
    page.goto(f"{server.url}/dashboard/cases/{WGA}/analysis?as_of=2023-09-08")
    charts_ready(page)
    names = _trace_names(page, "chart-scatter")
    assert {"Pareto frontier", "Nash solution", "proposals over time", "frontier inside the ZOPA"} <= set(
        names
    )
    frontier = page.locator("#chart-scatter .scatterlayer .trace").nth(names.index("Pareto frontier"))
    expect(frontier.locator(".point").first).to_be_visible()
    nash = page.locator("#chart-scatter .scatterlayer .trace").nth(names.index("Nash solution"))
    expect(nash.locator(".point")).to_have_count(1)
    expect(page.locator("#chart-scatter .legendtext", has_text="Nash solution")).to_be_visible()
    expect(page.locator("tr[data-solution='nash'][data-reading='table'] th")).to_have_text("Nash")
    expect(page.locator("#summary li").first).to_contain_text("As of 2023-09-08")
    expect(page.locator("#zones tr[data-issue='min_pay'] td")).to_contain_text("13 %")
    expect(page.locator("#h-solutions .assumed")).to_have_text("assumed preferences")
    expect(page.locator("table.utilities thead")).to_contain_text("to WGA")
    expect(page.locator("table.utilities thead")).to_contain_text("to AMPTP")
    expect(page.locator("table.coalition-table thead")).to_contain_text("Coalition (unanimity)")
    shoot(page, "analysis", height=1500)
    shoot(page, "analysis-coalition", top=page.locator("section.coalition"), height=1100)


def test_the_proposal_page_shows_its_efficiency(page: Page, server: Server) -> None:
    sign_in(page, server, "mediator")
    page.goto(f"{server.url}/dashboard/cases/{WGA}/proposals/amptp-2023-08-11")
    expect(page.locator("td.utility[data-party='wga']")).to_have_text(re.compile(r"^0\.\d+$"))
    expect(page.locator("td.utility[data-party='amptp']")).to_have_text(re.compile(r"^0\.\d+$"))
    efficiency = page.locator("#efficiency")
    expect(efficiency.get_by_role("heading", level=2)).to_have_text("Efficiency")
    expect(efficiency).to_contain_text("Dominated:")
    expect(efficiency.locator("table.improvements tbody tr").first).to_be_visible()
    shoot(page, "proposal", top=page.locator("section[aria-labelledby='h-value']"), height=1100)


def test_a_member_sees_its_own_private_analysis(page: Page, server: Server) -> None:
    sign_in(page, server, "writer")
    page.goto(f"{server.url}/dashboard/cases/{WGA}/analysis?as_of=2023-09-08")
    page.get_by_role("link", name=re.compile("WGA: WGA")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("WGA: private analysis")
    charts_ready(page)
    shoot(page, "party-analysis", height=1300)


def test_forms_without_the_sessions_token_are_refused(page: Page, server: Server) -> None:
    sign_in(page, server, "mediator")
    response = page.request.post(
        f"{server.url}/dashboard/cases/{WGA}/record/event?kind=milestone",
        form={"date": "2023-09-10", "summary": "forged"},
    )
    assert response.status == 403
    assert "did not come from this site" in response.text()


def test_keyboard_reaches_the_content_first(page: Page, server: Server) -> None:
    sign_in(page, server, "writer")
    page.goto(f"{server.url}/dashboard/cases/{WGA}?as_of=2023-09-08")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).length"""
    )
    assert unlabelled == 0
    assert page.locator("main").count() == 1 and page.locator("h1").count() == 1


def test_a_replay_runs_in_the_background_and_predicts_a_settlement(page: Page, server: Server) -> None:
    sign_in(page, server, "mediator")
    page.goto(f"{server.url}/dashboard/cases/{WGA}/simulation")
    page.get_by_label("Start from the talks as of").fill("2023-09-08")
    page.get_by_label("Strategy of WGA").select_option("boulware")
    page.get_by_label("Strategy of AMPTP").select_option("conceder")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/simulation/[0-9a-f]{16}$"))
    # The page polls, then reloads itself when the job ends: wait for the page rendered by the
    # server as done (a reload of our own would race the page's own and could lose the frame).
    expect(page.locator('progress[data-state="done"]')).to_have_count(1, timeout=120_000)
    expect(page.get_by_role("status")).to_contain_text("1 of 1 negotiations: done")
    expect(page.locator("#settlement")).to_contain_text(
        re.compile(r"Agreement on strike day \d+"), timeout=30_000
    )
    expect(page.locator("progress")).to_have_attribute("value", "1")
    charts_ready(page)
    shoot(page, "simulation-replay")
    page.get_by_role("link", name="Start another simulation").click()
    page.get_by_label("A sweep: one negotiation per value of an assumption").check()
    page.get_by_label("Values").fill("4")
    page.get_by_role("button", name="Start").click()
    expect(page.locator('progress[data-state="done"]')).to_have_count(1, timeout=120_000)  # as above
    expect(page.get_by_role("status")).to_contain_text("4 of 4 negotiations: done")
    expect(page.locator("table tbody tr")).to_have_count(4, timeout=30_000)
    charts_ready(page)
    shoot(page, "simulation-sweep")


def test_a_sweep_out_of_range_is_refused_on_the_form_and_starts_nothing(page: Page, server: Server) -> None:
    sign_in(page, server, "mediator")
    page.goto(f"{server.url}/dashboard/cases/{WGA}/simulation")
    started = page.locator("#h-jobs + ul li").count()
    page.get_by_label("A sweep: one negotiation per value of an assumption").check()
    page.get_by_label("Assumption", exact=True).select_option("discount")
    page.get_by_label("From", exact=True).fill("0.5")
    page.get_by_label("To", exact=True).fill("1.5")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Start").click()
    assert answer.value.status == 422
    expect(page.locator("#err-high")).to_have_text("discount: expected a number in (0, 1], got 1.5")
    expect(page.locator("#err-low")).to_have_count(0)
    expect(page.get_by_role("alert")).to_contain_text("The simulation did not start")
    expect(page.get_by_label("To", exact=True)).to_have_value("1.5")  # the form keeps what was typed
    assert page.locator("#h-jobs + ul li").count() == started  # no job was stored
    page.reload()  # ... as a fresh read of the stored jobs shows (the reload is a GET)
    assert page.locator("#h-jobs + ul li").count() == started


def test_a_simulation_needs_both_sides_preferences(page: Page, server: Server) -> None:
    sign_in(page, server, "writer")
    page.goto(f"{server.url}/dashboard/cases/{WGA}/simulation")
    expect(page.get_by_role("note")).to_contain_text("You may not see those of AMPTP")
    expect(page.get_by_role("button", name="Start")).to_have_count(0)
