"""Issue 12 against the dashboard, on SQLite and PostgreSQL: hostile text, numbers and dates in
paths, query values and forms get a 4xx page or an inline form error, never a 500, and the pages
stay readable for everyone (rows 7, 8 and 15)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from web_support import BASE, WGA, Dashboard, csrf

from accord.api import create_app
from accord.model import Proposal
from accord.services import Actor, Services
from accord.services.demo import seed_demo
from accord.store import Database
from accord.web import mount
from accord.web.pages.common import SourceLink, source_links
from accord.web.render import ENV
from server_support import FAST_HASHER

PAGES = ("", "/timeline", "/analysis", "/analysis/wga", "/simulation", "/record/proposal")


@pytest.fixture(scope="module")
def site(database_url: str) -> Iterator[Dashboard]:
    """The demo on each backend, with the dashboard on the team server's app."""
    database = Database(database_url)
    database.upgrade()
    services = Services(database)
    services.users.hasher = FAST_HASHER
    seed = seed_demo(services)
    app = create_app(services)
    mount(app, services)
    yield Dashboard(app, services, seed)
    database.dispose()


def _actor(site: Dashboard, username: str) -> Actor:
    user = site.services.users.get(username)
    return Actor(user.id, user.username, user.is_admin)


def _records(site: Dashboard) -> int:
    return site.services.records.page(_actor(site, "mediator"), WGA, limit=500).total


def pages_answer(site: Dashboard) -> None:
    """Every page of the case answers 200 for each demo user who may see it."""
    for username in ("writer", "studio", "mediator"):
        client = site.signed_in(username)
        for page in PAGES:
            if page == "/analysis/wga" and username == "studio":
                continue  # the WGA's own analysis is not the studio's to read
            response = client.get(f"{BASE}/cases/{WGA}{page}")
            assert response.status_code == 200, (username, page, response.text[-500:])


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_as_of_outside_1900_to_2100_is_a_422_page(site, as_of):
    """Issue 12, row 7: ``?as_of=9999-12-31`` was a 500 (an OverflowError in the timeline)."""
    client = site.signed_in("mediator")
    for page in ("", "/timeline", "/analysis", "/analysis/wga"):
        response = client.get(f"{BASE}/cases/{WGA}{page}", params={"as_of": as_of})
        assert response.status_code == 422, (page, response.text[-500:])
        assert "as_of: expected a date from 1900-01-01 to 2100-12-31" in response.text


def test_records_at_the_ends_of_the_range_keep_every_page_readable(site):
    """Issue 12, row 7: a proposal dated 0001-01-01 made the timeline a 500 for everyone. The
    form refuses such a date on its field; the first and last dates kept are drawn."""
    client = site.signed_in("writer")
    form = client.get(f"{BASE}/cases/{WGA}/record/proposal")
    before = _records(site)
    fields = {"csrf_token": csrf(form.text), "from": "wga", "to": "amptp", "pos.min_pay": "4"}
    response = client.post(f"{BASE}/cases/{WGA}/record/proposal", data={**fields, "date": "0001-01-01"})
    assert response.status_code == 422
    assert '<p class="field-error" id="err-date">' in response.text
    assert "expected a date from 1900-01-01 to 2100-12-31, got 0001-01-01" in response.text
    assert _records(site) == before
    writer = _actor(site, "writer")
    for day, record_id in ((dt.date(1900, 1, 1), "edge-first"), (dt.date(2100, 12, 31), "edge-last")):
        proposal = Proposal.model_validate(
            {"id": record_id, "date": day, "from": "wga", "to": "amptp", "positions": {"min_pay": 4}}
        )
        site.services.records.add(writer, WGA, proposal)
    pages_answer(site)
    timeline = site.signed_in("studio").get(f"{BASE}/cases/{WGA}/timeline", params={"as_of": "2100-12-31"})
    assert timeline.status_code == 200 and "edge-last" in timeline.text


def _sweep(site: Dashboard, **fields: str):
    """The mediator's sweep form, sent with ``fields`` changed."""
    client = site.signed_in("mediator")
    form = client.get(f"{BASE}/cases/{WGA}/simulation")
    data = {
        "csrf_token": csrf(form.text),
        "kind": "sweep",
        "as_of": "2023-09-08",
        "strategy_a": "boulware",
        "strategy_b": "boulware",
        "n_rounds": "30",
        "seed": "0",
        "column": "0",
        "count": "3",
        "parameter": "daily_cost",
        "low": "0",
        "high": "0.002",
    }
    return client.post(f"{BASE}/cases/{WGA}/simulation", data={**data, **fields})


@pytest.mark.parametrize("bad", ["nan", "NaN", "inf", "-inf", "1e309"])
@pytest.mark.parametrize("field", ["low", "high"])
def test_a_sweep_form_with_a_number_that_is_not_finite_names_the_field(site, bad, field):
    """Issue 12, row 7: the sweep form with ``low=nan`` was a 500."""
    response = _sweep(site, **{field: bad})
    assert response.status_code == 422, response.text[-500:]
    assert (
        f'<p class="field-error" id="err-{field}">expected a finite number, got &#39;{bad}&#39;</p>'
        in response.text
    )


@pytest.mark.parametrize(
    "column", ["²", "1" * 5000, "-1", "x"], ids=["superscript", "5000-digits", "negative", "letter"]
)
def test_a_sweep_form_whose_side_is_no_whole_number_names_the_field(site, column):
    """Found by the hostile suite: ``column=²`` was a 500 ("²" is a digit to str.isdigit, not
    to int())."""
    response = _sweep(site, column=column)
    assert response.status_code == 422, response.text[-500:]
    assert "<li><code>column</code>: expected " in response.text


def test_a_simulation_form_dated_outside_the_range_names_the_date(site):
    client = site.signed_in("mediator")
    form = client.get(f"{BASE}/cases/{WGA}/simulation")
    data = {"csrf_token": csrf(form.text), "kind": "replay", "as_of": "9999-12-31", "strategy_a": "boulware"}
    response = client.post(f"{BASE}/cases/{WGA}/simulation", data={**data, "strategy_b": "boulware"})
    assert response.status_code == 422
    assert '<p class="field-error" id="err-as_of">expected a date from 1900-01-01' in response.text


@pytest.mark.parametrize("value", ["a\x00b", "\x1b[2J", "\u202e"])
def test_nul_and_controls_in_paths_and_query_values_are_a_422_page(site, value):
    """Issue 12, row 8: NUL in a path id or a query value was a 500 on PostgreSQL."""
    client = site.signed_in("writer")
    sent = quote(value, safe="")
    for url in (
        f"{BASE}/cases/{sent}",
        f"{BASE}/cases/{sent}/timeline",
        f"{BASE}/cases/{WGA}/proposals/{sent}",
        f"{BASE}/cases/{WGA}/analysis/{sent}",
        f"{BASE}/cases/{WGA}/simulation/{sent}",
        f"{BASE}/cases/{WGA}/record/{sent}",
        f"{BASE}/cases/{WGA}?as_of={sent}",
        f"{BASE}/cases/{WGA}/record/event?kind={sent}",
        f"{BASE}/sign-in?next={sent}",
    ):
        response = client.get(url)
        assert response.status_code == 422, (url, response.text[-500:])
        assert "Invalid request" in response.text


def test_a_sign_in_with_nul_is_refused_not_a_500(site):
    """Issue 12, row 8: the unauthenticated sign-in answered 500 on PostgreSQL."""
    client = site.client()
    form = client.get(f"{BASE}/sign-in")
    for username, password in (("writ\x00er", "x"), ("writer", "pass\x00word")):
        response = client.post(
            f"{BASE}/sign-in",
            data={"csrf_token": csrf(form.text), "username": username, "password": password},
        )
        assert response.status_code == 422, response.text[-500:]
        assert "U+0000 (NUL)" in response.text
        assert "accord_session" not in response.headers.get("set-cookie", "")


def test_a_sign_in_with_a_name_longer_than_any_is_refused_not_a_500(site):
    """Found by the hostile suite: a user name of 201 characters passed the form's text check,
    was counted as a failed sign-in, and did not fit the count's column on PostgreSQL (a 500)."""
    client = site.client()
    form = client.get(f"{BASE}/sign-in")
    response = client.post(
        f"{BASE}/sign-in", data={"csrf_token": csrf(form.text), "username": "é" * 201, "password": "x"}
    )
    assert response.status_code == 422, response.text[-500:]
    assert "expected at most 80 characters, got 201" in response.text


def test_a_form_the_parser_refuses_is_answered_with_a_page(site):
    """Found by the hostile suite: a form field over the parser's 1 MiB was answered with the
    API's JSON problem, not a page."""
    client = site.signed_in("writer")
    token = csrf(client.get(f"{BASE}/sign-in").text)
    for body in (f"csrf_token={token}&x=" + "a" * 1_100_000, f"csrf_token={token}&" + "b" * 1_100_000 + "=x"):
        response = client.post(
            f"{BASE}/sign-out", content=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("text/html")
        assert "Field exceeded maximum size" in response.text
    assert client.get(f"{BASE}/cases").status_code == 200  # still signed in: nothing was done


def test_a_dashboard_address_that_is_no_page_is_answered_with_a_page(site):
    """Found by the hostile suite: a form posted to a case id holding an encoded "/" matched no
    route, and the API's JSON problem answered it; the API's own addresses keep problems."""
    client = site.signed_in("writer")
    for method, path in (
        ("POST", f"{BASE}/cases/%3Cscript%3E%2F/simulation"),
        ("GET", f"{BASE}/nowhere"),
        ("DELETE", f"{BASE}/cases"),
    ):
        response = client.request(method, path)
        assert response.status_code in (404, 405), (path, response.status_code)
        assert response.headers["content-type"].startswith("text/html"), path
        assert "<script>" not in response.text
    api = client.get("/cases/x/nowhere")
    assert api.status_code == 404 and api.headers["content-type"] == "application/problem+json"


def test_a_forms_token_that_is_not_ascii_is_refused_not_a_500(site):
    client = site.signed_in("writer")
    for token in ("é", "\x00", "\u202e"):
        response = client.post(
            f"{BASE}/cases/{WGA}/record/proposal", data={"csrf_token": token, "date": "2023-09-10"}
        )
        assert response.status_code == 403, response.text[-500:]
    signed_out = site.client()
    signed_out.get(f"{BASE}/sign-in")
    response = signed_out.post(
        f"{BASE}/sign-in", data={"csrf_token": "é", "username": "writer", "password": "x"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("bad", "code"), [("a\x00b", "U+0000"), ("\x0c", "U+000C"), ("\x85", "U+0085"), ("\ufffe", "U+FFFE")]
)
def test_a_record_form_with_a_control_character_shows_it_on_the_field(site, bad, code):
    client = site.signed_in("writer")
    form = client.get(f"{BASE}/cases/{WGA}/record/event?kind=statement")
    before = _records(site)
    data = {"csrf_token": csrf(form.text), "date": "2023-09-10", "party": "wga", "summary": f"We {bad} wait"}
    response = client.post(f"{BASE}/cases/{WGA}/record/event?kind=statement", data=data)
    assert response.status_code == 422, response.text[-500:]
    assert f'<p class="field-error" id="err-summary">Value error, contains {code} (' in response.text
    assert _records(site) == before
    long = {**data, "summary": "x" * 20_001}
    response = client.post(f"{BASE}/cases/{WGA}/record/event?kind=statement", data=long)
    assert response.status_code == 422 and 'id="err-summary"' in response.text


def test_pages_never_link_to_a_source_that_is_not_http():
    """Issue 12, row 15: a ``javascript:`` source was stored and rendered as a link. The model
    refuses one now; should one be read from anywhere, no page draws it as a link."""
    from accord.model import Case, Source

    case = Case.model_construct(
        sources=(Source.model_construct(id="evil", url="javascript:alert(1)", title="T"),)
    )
    assert source_links(case, ["evil"]) == [SourceLink("evil", "T", None)]
    macro = ENV.from_string('{% from "_macros.html" import sources %}{{ sources(links) }}')
    drawn = macro.render(
        links=[SourceLink("evil", "T", "javascript:alert(1)"), SourceLink("ok", "O", "https://a.org/")]
    )
    assert "javascript:" not in drawn and '<a href="https://a.org/"' in drawn


def test_static_files_with_odd_names_are_not_found(site):
    client = site.client()
    for name in ("a%00.css", "%ED%A0%80.css", "..%2Fapp.py", "dashboard.js%00.css"):
        assert client.get(f"{BASE}/static/{name}").status_code == 404, name
