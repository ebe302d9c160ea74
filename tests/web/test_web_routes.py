"""The dashboard's handlers over real services: sign-in, CSRF, who may see what, bad input."""

from __future__ import annotations

import datetime as dt
import html
import re
from importlib import resources

import pytest
from web_support import BASE, WGA, Dashboard, csrf


def test_a_page_without_a_session_goes_to_sign_in_and_back(dashboard: Dashboard) -> None:
    client = dashboard.client()
    response = client.get(f"{BASE}/cases/{WGA}/timeline?as_of=2023-09-08")
    assert response.status_code == 303
    assert response.headers["location"] == (
        f"{BASE}/sign-in?next=%2Fdashboard%2Fcases%2F{WGA}%2Ftimeline%3Fas_of%3D2023-09-08"
    )
    form = client.get(response.headers["location"])
    signed = client.post(
        f"{BASE}/sign-in",
        data={
            "csrf_token": csrf(form.text),
            "username": "writer",
            "password": dashboard.password("writer"),
            "next": f"{BASE}/cases/{WGA}/timeline?as_of=2023-09-08",
        },
    )
    assert signed.headers["location"] == f"{BASE}/cases/{WGA}/timeline?as_of=2023-09-08"
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_sign_in_goes_only_to_pages_of_this_site(dashboard: Dashboard) -> None:
    client = dashboard.client()
    form = client.get(f"{BASE}/sign-in")
    response = client.post(
        f"{BASE}/sign-in",
        data={
            "csrf_token": csrf(form.text),
            "username": "writer",
            "password": dashboard.password("writer"),
            "next": "//evil.example/phish",
        },
    )
    assert response.headers["location"] == f"{BASE}/cases"


def test_sign_in_without_the_forms_token_is_refused_and_signs_no_one_in(dashboard: Dashboard) -> None:
    client = dashboard.client()
    response = client.post(
        f"{BASE}/sign-in", data={"username": "writer", "password": dashboard.password("writer")}
    )
    assert response.status_code == 403
    assert "set-cookie" not in response.headers or "accord_session" not in response.headers["set-cookie"]


def test_a_wrong_password_is_401_with_the_message(dashboard: Dashboard) -> None:
    client = dashboard.client()
    form = client.get(f"{BASE}/sign-in")
    response = client.post(
        f"{BASE}/sign-in", data={"csrf_token": csrf(form.text), "username": "writer", "password": "nope"}
    )
    assert response.status_code == 401
    assert "wrong user name or password" in response.text


def test_signing_out_ends_the_session(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("mediator")
    page = client.get(f"{BASE}/cases")
    secret = client.cookies["accord_session"]
    out = client.post(f"{BASE}/sign-out", data={"csrf_token": csrf(page.text)})
    assert out.status_code == 303
    client.cookies.set("accord_session", secret)  # replaying the old cookie does not work
    assert client.get(f"{BASE}/cases").status_code == 303


def test_private_analysis_is_403_for_the_other_side_and_404_outside_the_case(dashboard: Dashboard) -> None:
    studio = dashboard.signed_in("studio")
    assert studio.get(f"{BASE}/cases/{WGA}/analysis/wga").status_code == 403
    assert studio.get(f"{BASE}/cases/{WGA}/analysis/amptp").status_code == 200
    analysis = studio.get(f"{BASE}/cases/{WGA}/analysis")
    assert "/analysis/wga" not in analysis.text and "/analysis/amptp" in analysis.text
    writer = dashboard.signed_in("writer")
    # the writer is an observer of the SAG-AFTRA case: the public record, no party's preferences
    assert writer.get(f"{BASE}/cases/sag-aftra-amptp-2023/analysis/amptp").status_code == 403
    user = dashboard.services.users.add(None, "outsider", "a long password 1")
    assert user.username == "outsider"
    outsider = dashboard.signed_in("outsider", "a long password 1")
    assert outsider.get(f"{BASE}/cases/{WGA}").status_code == 404
    assert "You have no role in any case yet" in outsider.get(f"{BASE}/cases").text


def test_a_bad_date_is_422_naming_the_field(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("writer")
    response = client.get(f"{BASE}/cases/{WGA}?as_of=2023-02-30")
    assert response.status_code == 422
    assert "as_of: expected a date as YYYY-MM-DD, got &#39;2023-02-30&#39;" in response.text


def test_recording_for_the_other_side_is_refused_inline_and_writes_nothing(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("studio")
    form = client.get(f"{BASE}/cases/{WGA}/record/proposal")
    before = _count_records(dashboard)
    response = client.post(
        f"{BASE}/cases/{WGA}/record/proposal",
        data={
            "csrf_token": csrf(form.text),
            "date": "2023-09-10",
            "from": "wga",
            "to": "amptp",
            "pos.min_pay": "12",
        },
    )
    assert response.status_code == 403
    assert "studio (member of &#39;amptp&#39;) may not record this proposal" in response.text
    assert 'value="12"' in response.text  # the form keeps what was typed
    assert _count_records(dashboard) == before


def test_an_event_form_shows_each_missing_field_next_to_its_input(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("mediator")
    form = client.get(f"{BASE}/cases/{WGA}/record/event?kind=stoppage_started")
    response = client.post(
        f"{BASE}/cases/{WGA}/record/event?kind=stoppage_started",
        data={"csrf_token": csrf(form.text), "date": "2023-09-10", "by": "wga"},
    )
    assert response.status_code == 422
    assert '<p class="field-error" id="err-stoppage">Field required</p>' in response.text
    assert '<p class="field-error" id="err-against">Field required</p>' in response.text


def test_a_mediator_records_talks_and_the_overview_shows_them(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("mediator")
    form = client.get(f"{BASE}/cases/{WGA}/record/event?kind=talks_held")
    response = client.post(
        f"{BASE}/cases/{WGA}/record/event?kind=talks_held",
        data={
            "csrf_token": csrf(form.text),
            "date": "2023-09-12",
            "parties": ["wga", "amptp"],
            "summary": "A test meeting of both sides",
        },
    )
    assert response.status_code == 303
    assert "as_of=2023-09-12" in response.headers["location"]
    overview = client.get(response.headers["location"])
    assert "A test meeting of both sides" in overview.text


def test_plotly_is_served_from_the_installed_package(dashboard: Dashboard) -> None:
    client = dashboard.client()
    response = client.get(f"{BASE}/static/plotly.min.js")
    assert response.status_code == 200
    assert (
        response.content == resources.files("plotly").joinpath("package_data", "plotly.min.js").read_bytes()
    )
    assert client.get(f"{BASE}/static/style.css").status_code == 200
    assert client.get(f"{BASE}/static/..%2F__init__.py").status_code == 404
    assert client.get(f"{BASE}/static/routes.py").status_code == 404


def test_pages_forbid_framing_and_foreign_scripts(dashboard: Dashboard) -> None:
    response = dashboard.client().get(f"{BASE}/sign-in")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy


def _count_records(dashboard: Dashboard) -> int:
    case = dashboard.services.cases.export(None, WGA)  # everything, drafts included
    return len(case.proposals) + len(case.events)


@pytest.mark.parametrize(
    ("path", "fields", "expected"),
    [
        (
            "record/response",
            {
                "date": "2023-09-13",
                "from": "wga",
                "to": "amptp",
                "responds_to": "amptp-2023-08-18",
                "summary": "A test response",
            },
            "A test response",
        ),
        (
            "record/agreement",
            {"date": "2023-09-14", "parties": ["wga", "amptp"], "pos.duration": "10", "summary": "A test TA"},
            'class="label ta-ta">agreed, TA 2023-09-14<',  # nothing was agreed by Sept 14 but this
        ),
        (
            "record/event?kind=statement",
            {"date": "2023-09-15", "party": "amptp", "turn_of": "wga", "summary": "A test statement"},
            "A test statement",
        ),
    ],
)
def test_each_form_records_what_it_says(
    dashboard: Dashboard, path: str, fields: dict[str, object], expected: str
) -> None:
    client = dashboard.signed_in("mediator")
    form = client.get(f"{BASE}/cases/{WGA}/{path}")
    assert form.status_code == 200
    response = client.post(f"{BASE}/cases/{WGA}/{path}", data={"csrf_token": csrf(form.text), **fields})
    assert response.status_code == 303, response.text
    overview = client.get(response.headers["location"])
    assert expected in overview.text


def test_the_mediator_sees_the_frontier_the_solutions_and_the_coalition(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("mediator")
    page = client.get(f"{BASE}/cases/{WGA}/analysis?as_of=2023-09-08")
    assert page.status_code == 200
    assert '"name":"Pareto frontier"' in page.text and '"name":"Nash solution"' in page.text
    assert '<tr data-solution="nash" data-reading="table">' in page.text and 'id="zopa-size"' in page.text
    assert '<tr data-solution="nash" data-reading="batna">' in page.text and 'id="floors"' in page.text
    assert "Coalition (unanimity)" in page.text and "What the coalition can agree to" in page.text
    # issue 16: the summary first, the zone between the offers per issue, the assumed markers
    text = page.text.replace("&#39;", "'")
    assert text.index('id="h-summary"') < text.index('id="h-zones"') < text.index('id="h-scatter"')
    assert "Under the assumed preferences, the Nash package from the table is" in text
    assert "13 % (AMPTP, Aug 18, standing since Aug 11) to 16.9 % (WGA, Aug 15, standing since May 1)" in text
    assert '<tr data-issue="duration">' in text and "in both offers (agreed)" in text
    assert text.count('<span class="assumed" data-assumed="true">assumed preferences</span>') >= 4


def test_the_proposal_page_shows_efficiency_to_whom_may_see_both_sides(dashboard: Dashboard) -> None:
    path = f"{BASE}/cases/{WGA}/proposals/amptp-2023-08-11"
    mediator = dashboard.signed_in("mediator").get(path)
    assert "<strong>Dominated:</strong>" in mediator.text and 'class="improvements"' in mediator.text
    writer = dashboard.signed_in("writer").get(path)
    assert 'data-party="wga"' in writer.text and 'data-party="amptp"' not in writer.text
    assert "Not shown: the frontier, the solutions and the zone of possible agreement need both sides" in (
        writer.text.replace("&#39;", "'")
    )


def test_the_studio_sees_its_members_verdicts_but_no_frontier(dashboard: Dashboard) -> None:
    page = dashboard.signed_in("studio").get(f"{BASE}/cases/{WGA}/analysis")
    assert "Coalition (unanimity)" in page.text and 'class="coalition-table"' in page.text
    assert "Pareto frontier" not in page.text and 'id="no-joint-analysis"' in page.text
    writer = dashboard.signed_in("writer").get(f"{BASE}/cases/{WGA}/analysis")
    assert "Coalition view" not in writer.text  # the members share their models with the AMPTP only


def test_the_analysis_service_keeps_a_result_per_case_version_and_date(dashboard: Dashboard) -> None:
    services = dashboard.services
    mediator = services.users.authenticate(
        services.users.login("mediator", dashboard.password("mediator"), client="t").secret
    )
    first = services.analysis_views.analysis(mediator, WGA, as_of=dt.date(2023, 9, 8))
    again = services.analysis_views.analysis(mediator, WGA, as_of=dt.date(2023, 9, 8))
    assert first.result is not None and again.result is first.result
    assert first.result.coalition is not None and len(first.models) == 10
    party = services.analysis_views.of_party(mediator, WGA, "disney", as_of=dt.date(2023, 9, 8))
    assert party.item is not None and party.item.party == "disney" and party.result is first.result


def test_a_form_and_the_api_word_the_same_mistake_the_same_way(dashboard: Dashboard) -> None:
    token = dashboard.services.users.create_token(None, "mediator", "same-words").secret
    body = {"id": "same-words-1", "date": "2023-02-30", "from": "wga", "to": "amptp", "summary": 5}
    api = dashboard.client().post(
        f"/cases/{WGA}/proposals", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert api.status_code == 422
    said = {e["field"]: e["message"] for e in api.json()["errors"]}
    client = dashboard.signed_in("mediator")
    form = client.get(f"{BASE}/cases/{WGA}/record/proposal")
    page = client.post(
        f"{BASE}/cases/{WGA}/record/proposal",
        data={
            "csrf_token": csrf(form.text),
            "id": "same-words-2",
            "date": "2023-02-30",
            "from": "wga",
            "to": "amptp",
        },
    )
    assert page.status_code == 422
    assert set(said) >= {"date", "summary"}
    shown = html.unescape(page.text)
    assert f'<p class="field-error" id="err-date">{said["date"]}</p>' in shown


@pytest.mark.parametrize("page", ["", "/timeline", "/analysis", "/proposals/amptp-2023-08-11", "/simulation"])
def test_every_link_of_a_page_stays_on_the_dashboard(dashboard: Dashboard, page: str) -> None:
    """The API on the same app has route names of its own (e.g. ``timeline``): a page's links
    must be the dashboard's pages, never the API's JSON."""
    html_text = dashboard.signed_in("mediator").get(f"{BASE}/cases/{WGA}{page}").text
    paths = re.findall(r'(?:href|src|action)="(/[^"]*)"', html_text)
    assert paths and all(p.startswith(f"{BASE}/") for p in paths), [
        p for p in paths if not p.startswith(BASE)
    ]


def test_the_overview_lists_the_open_ai_request_and_nothing_said_later(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("mediator")
    september = client.get(f"{BASE}/cases/{WGA}?as_of=2023-09-08")
    assert september.status_code == 200
    assert "Open requests" in september.text
    assert "to identify any remaining holes in the AI offer" in html.unescape(september.text)
    for as_of in ("2023-08-17", "2023-09-01"):
        page = client.get(f"{BASE}/cases/{WGA}?as_of={as_of}")
        assert "AI among them, we are close" not in page.text and "remaining holes" not in page.text
    timeline = client.get(f"{BASE}/cases/{WGA}/timeline?as_of=2023-05-15")
    assert "statement-wga-2023-05-16-clarification" not in timeline.text
    assert "sag-aftra-strike-2023" not in client.get(f"{BASE}/cases/{WGA}?as_of=2023-05-15").text


def test_a_record_form_takes_a_known_date_and_refuses_one_before_the_date(dashboard: Dashboard) -> None:
    client = dashboard.signed_in("mediator")
    path = f"{BASE}/cases/{WGA}/record/event?kind=milestone"
    form = client.get(path)
    assert 'name="known"' in form.text
    data = {
        "csrf_token": csrf(form.text),
        "date": "2023-12-20",
        "summary": "A milestone reported two days late",
    }
    refused = client.post(path, data={**data, "known": "2023-12-19"})
    assert refused.status_code == 422
    (message,) = re.findall(r'<p class="field-error" id="err-known">(.*?)</p>', refused.text)
    assert "expected a date on or after the record's date (2023-12-20), got 2023-12-19" in html.unescape(
        message
    )
    stored = client.post(path, data={**data, "known": "2023-12-22"})
    assert stored.status_code == 303, stored.text[-300:]
    before = client.get(f"{BASE}/cases/{WGA}/timeline?as_of=2023-12-21")
    assert "A milestone reported two days late" not in before.text
    after = client.get(f"{BASE}/cases/{WGA}/timeline?as_of=2023-12-22")
    assert "A milestone reported two days late" in after.text
