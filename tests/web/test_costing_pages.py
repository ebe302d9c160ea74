"""The costing on the dashboard: the table of a proposal's page and the chart of the timeline, over
the demo (the WGA's costing, shared with the mediators and the studios; none for SAG-AFTRA)."""

from __future__ import annotations

import doctest
import html
import json
import re

from web_support import BASE, WGA, Dashboard

from accord.web.pages import costing


def _chart(page: str, chart_id: str) -> dict:
    match = re.search(rf'data-target="{chart_id}">(.*?)</script>', page, re.S)
    assert match, f"no chart {chart_id}"
    return json.loads(html.unescape(match.group(1)))


def test_a_proposals_page_shows_its_cost_beside_the_published_estimate(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("studio")
    page = client.get(f"{BASE}/cases/{WGA}/proposals/amptp-2023-05-01").text
    section = page[page.index('id="h-cost"') : page.index('id="h-answers"')]
    assert "With the costing of WGA:" in section
    # 4/3/2 on the $608M payroll: $24.3M, $43.3M, $56.3M; $41.3M a year on average
    assert re.findall(r"<td>(\$[\d.]+M)</td>", section)[:3] == ["$24.3M", "$43.3M", "$56.3M"]
    assert '<td class="average">$41.3M</td>' in section
    # the WGA's estimate of the offer, $86M a year (S8), and why the model's figure differs
    row = section[section.index('data-estimate="amptp-offer-value-2023-05-01"') :]
    assert '<td class="theirs">$86M a year</td>' in row and "+$44.7M" in row
    assert "derived from this estimate" in row


def test_a_package_naming_no_costed_issue_says_so(dashboard: Dashboard) -> None:
    page = dashboard.signed_in("mediator").get(f"{BASE}/cases/{WGA}/proposals/amptp-2023-04-30").text
    assert "No figure: states no value on the costed issues (min_pay)." in page


def test_the_timeline_charts_both_sides_costs_over_time(dashboard: Dashboard) -> None:
    page = dashboard.signed_in("mediator").get(f"{BASE}/cases/{WGA}/timeline?as_of=2023-09-30").text
    spec = _chart(page, "chart-cost")
    names = [t["name"] for t in spec["data"]]
    assert names == ["WGA", "AMPTP", "tentative agreements", "published estimates (a year)"]
    wga, amptp, agreements, estimates = spec["data"]
    assert wga["x"][0] == "2023-05-01" and wga["x"][-1] == "2023-09-30"  # held up to the date shown
    assert wga["y"][0] > amptp["y"][1]  # the ask above the offer
    assert agreements["x"] == ["2023-09-24"]
    assert sorted(estimates["y"]) == [86e6, 233e6, 429e6]  # S8; S44, S45; S8, S9


def test_as_of_a_date_the_chart_knows_nothing_later(dashboard: Dashboard) -> None:
    page = dashboard.signed_in("mediator").get(f"{BASE}/cases/{WGA}/timeline?as_of=2023-05-10").text
    spec = _chart(page, "chart-cost")
    assert max(x for t in spec["data"] for x in t["x"] if x) <= "2023-05-10"
    assert [t["name"] for t in spec["data"]][-1] == "published estimates (a year)"


def test_without_a_costing_the_timeline_says_so(dashboard: Dashboard) -> None:
    page = dashboard.signed_in("studio").get(f"{BASE}/cases/sag-aftra-amptp-2023/timeline").text
    assert 'id="chart-cost"' not in page
    assert "No costing to draw: no costing parameters you may see" in page


def test_the_page_builders_examples_run() -> None:
    failed, attempted = doctest.testmod(costing, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 0 and failed == 0
