"""The overview page after the tentative agreement, and where each value came from (issue 13,
items 2, 3, 6): the page builder, and the page over a real SQLite file."""

from __future__ import annotations

import datetime as dt
import html
import re

from web_support import BASE, WGA, Dashboard

from accord.casefile import resolve_case
from accord.web.pages.overview import overview

WGA_CASE = resolve_case(WGA)


def test_after_the_ta_every_row_shows_the_agreed_terms_with_their_sources() -> None:
    page = overview(WGA_CASE, dt.date(2023, 9, 25))
    rows = {row.gap.issue: row for row in page.gap_rows}
    assert {row.label for row in rows.values()} == {"agreed, TA 2023-09-24"}
    assert rows["min_pay"].text_a == rows["min_pay"].text_b == "13 %"
    assert [s.id for s in rows["min_pay"].terms_sources] == ["S45", "S46"]
    assert all(not row.holes_a and not row.holes_b for row in rows.values())
    assert rows["min_pay"].measures == "0% of the opening gap open; closed: WGA 51%, AMPTP 49%"
    assert {row.status for row in page.board} == {"agreed, TA 2023-09-24"}
    assert {row.status for row in overview(WGA_CASE, dt.date(2023, 10, 9)).board} == {
        "ratified 2023-10-09 (TA 2023-09-24)"
    }


def test_before_the_ta_each_value_says_where_it_came_from() -> None:
    rows = {row.gap.issue: row for row in overview(WGA_CASE, dt.date(2023, 9, 20)).gap_rows}
    assert (rows["min_pay"].text_b, rows["min_pay"].origin_b) == ("13 %", "carried from Aug 11, C")
    assert rows["min_pay"].origin_a == "stated May 1, B"


def _visible(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_overview_page_shows_terms_origins_and_no_old_positions(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("mediator")
    after = client.get(f"{BASE}/cases/{WGA}", params={"as_of": "2023-09-25"})
    assert after.status_code == 200
    text = _visible(after.text)
    assert "agreed, TA 2023-09-24" in text and "13 % (agreed terms)" in text
    assert "16.9 %" not in text and "not in the other's offer" not in text
    before = _visible(client.get(f"{BASE}/cases/{WGA}", params={"as_of": "2023-09-20"}).text)
    assert "13 % (carried from Aug 11, C)" in before


def test_an_unsourced_record_says_unsourced_on_the_timeline(dashboard: Dashboard) -> None:
    """The bundled case's one record without a source: the AMPTP's "timeline of proposals", not found."""
    page = dashboard.signed_in("mediator").get(f"{BASE}/cases/{WGA}/timeline", params={"as_of": "2023-09-08"})
    assert page.status_code == 200
    items = [
        line
        for line in page.text.splitlines()
        if "is said to have been published" in line and line.lstrip().startswith("<li")
    ]
    assert len(items) == 1 and _visible(items[0]).endswith("unsourced")
