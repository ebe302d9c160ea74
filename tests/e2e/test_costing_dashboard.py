"""The costing in a real browser: a proposal's costing table beside the published estimate, and
the timeline's chart of both sides' proposals' cost over time, drawn by plotly.js."""

from __future__ import annotations

import re

import pytest
from e2e_support import Server, charts_ready, shoot, sign_in
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one server, one browser
WGA = "wga-amptp-2023"


def test_the_proposal_page_shows_the_costing_table(page: Page, server: Server) -> None:
    sign_in(page, server, "studio")  # the union's costing, shared with the studios
    page.goto(f"{server.url}/dashboard/cases/{WGA}/proposals/amptp-2023-05-01")
    section = page.locator("#cost")
    expect(section.get_by_role("heading", level=2)).to_have_text("What it costs")
    table = section.locator("table.costing")
    expect(table.locator("thead th")).to_have_text(
        ["Year 1", "Year 2", "Year 3", "A year, on average", "Over the term"]
    )
    # 4/3/2 on the $608M payroll (the AMPTP's May 1 offer; S34)
    expect(table.locator("tbody td")).to_have_text(["$24.3M", "$43.3M", "$56.3M", "$41.3M", "$124M"])
    estimate = section.locator("tr[data-estimate='amptp-offer-value-2023-05-01']")
    expect(estimate.locator("td.theirs")).to_have_text("$86M a year")  # the WGA's estimate (S8)
    expect(estimate.locator("td.why")).to_contain_text("derived from this estimate")
    shoot(page, "proposal-costing", top=section, height=700)


def test_the_timeline_draws_both_sides_costs_over_time(page: Page, server: Server) -> None:
    sign_in(page, server, "mediator")
    page.goto(f"{server.url}/dashboard/cases/{WGA}/timeline?as_of=2023-09-30")
    charts_ready(page)
    chart = page.locator("#chart-cost")
    names = page.evaluate("() => document.getElementById('chart-cost').data.map(t => t.name)")
    assert names == ["WGA", "AMPTP", "tentative agreements", "published estimates (a year)"]
    traces = chart.locator(".scatterlayer .trace")
    expect(traces.nth(names.index("tentative agreements")).locator(".point")).to_have_count(1)
    expect(traces.nth(names.index("published estimates (a year)")).locator(".point")).to_have_count(3)
    expect(chart.locator(".legendtext", has_text="AMPTP")).to_be_visible()
    expect(chart.locator(".ytitle")).to_have_text("USD a year")
    shoot(page, "timeline-cost", top=page.locator("section#cost"), height=520)
    # a point opens its proposal (the chart's click handler follows customdata)
    first = traces.nth(names.index("AMPTP")).locator(".point").first
    first.click(force=True)
    page.wait_for_url(re.compile(r"/proposals/amptp-"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposal amptp-")
