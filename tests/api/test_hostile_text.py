"""Issue 12 against the API, on SQLite and PostgreSQL: text, numbers and dates a hostile user sends.

Each request is refused with a 422 problem naming the field, nothing is stored, and every read
still answers for everyone (rows 3, 7, 8, 14 and 15; duplicate keys; per-field lengths).
"""

from __future__ import annotations

import json
from urllib.parse import quote

import httpx
import pytest
from test_bad_input import GOOD, PROBLEM, state

from accord.model.limits import printable
from accord.services import Invalid
from server_support import free_port, preference_data, start_server, stop_server, unique

BAD_TEXT = ["\ud800", "a\udfff", "a\x00b", "\x1b[2J", "\x7f", "\x85", "\ufffe"]
"""Text no field may hold: unpaired surrogates, NUL and other controls, a noncharacter."""


def send(client, method, url, headers, body):
    """``body`` sent as JSON text (``"\\ud800"`` escaped, as a hostile client writes it)."""
    text = body if isinstance(body, str) else json.dumps(body)
    return client.request(method, url, content=text, headers={**headers, "Content-Type": "application/json"})


def refused(response, field: str, location: str = "body") -> str:
    """Assert a 422 problem naming ``field``; its message."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    errors = response.json()["errors"]
    matching = [e for e in errors if e["field"] == field and e["location"] == location]
    assert matching, errors
    response.content.decode("utf-8")  # the answer itself encodes (no surrogate slipped into it)
    return matching[0]["message"]


def reads_answer(client, auth, world) -> None:
    """Every read of the case answers 200, for each party and for the mediator."""
    case = f"/cases/{world.case_id}"
    for actor in (world.wga, world.amptp, world.mediator, world.admin):
        for path in (
            case,
            f"{case}/proposals",
            f"{case}/proposals/p1",
            f"{case}/events",
            f"{case}/export",
            f"{case}/sources",
            f"{case}/views/status",
            f"{case}/views/timeline",
            f"{case}/views/stoppages",
            f"{case}/views/positions?party=wga",
        ):
            response = client.get(path, headers=auth(actor))
            assert response.status_code == 200, (path, response.text)


@pytest.mark.parametrize("bad", BAD_TEXT, ids=ascii)
@pytest.mark.parametrize(
    ("where", "field"),
    [
        ({"summary": "{}"}, "summary"),
        ({"note": "{}"}, "note"),
        ({"positions": {"pay": {"value": 5, "text": "{}"}}}, "positions.pay.text"),
        ({"positions": {"staffing": "{}"}}, "positions.staffing"),
    ],
)
def test_bad_text_in_a_record_is_refused_and_nothing_is_stored(
    client, auth, services, world, bad, where, field
):
    """Issue 12, rows 3 and 8: "\\ud800" was stored on SQLite, answered 500 after committing and
    then broke every read; NUL was a 500 on PostgreSQL."""
    before = state(services, world)
    body = json.loads(json.dumps({**GOOD, **where}).replace("{}", json.dumps(bad)[1:-1]))
    response = send(client, "POST", f"/cases/{world.case_id}/proposals", auth(world.wga), body)
    message = refused(response, field)
    assert message.startswith(f"contains U+{ord(next(c for c in bad if c != 'a')):04X} (")
    assert state(services, world) == before
    reads_answer(client, auth, world)


@pytest.mark.parametrize("bad", BAD_TEXT, ids=ascii)
def test_bad_text_anywhere_in_any_body_is_refused(client, auth, services, world, bad):
    """The rule holds in every body, whether or not a model field takes the value: a key, an
    event, a note, a case, a sign-in, a preference model."""
    case = f"/cases/{world.case_id}"
    text = json.dumps(bad)[1:-1]
    attempts = [
        (
            "POST",
            f"{case}/proposals",
            world.wga,
            f'{{"id": "k1", "date": "2023-06-01", "from": "wga", "to": "amptp", "positions": {{"{text}": 1}}}}',
            f"positions.{bad}",
        ),
        (
            "POST",
            f"{case}/events",
            world.wga,
            {"id": "s9", "date": "2023-06-01", "kind": "statement", "party": "wga", "summary": bad},
            "summary",
        ),
        ("POST", f"{case}/parties/wga/notes", world.wga, {"text": bad}, "text"),
        ("PUT", f"{case}/parties/wga/walkaway", world.wga, {"note": bad}, "note"),
        ("PATCH", case, world.admin, {"title": bad}, "title"),
        ("POST", f"{case}/parties", world.admin, {"id": "x", "name": bad, "kind": "union"}, "name"),
        ("POST", "/auth/login", None, {"username": bad, "password": "x"}, "username"),
        ("POST", "/auth/login", None, {"username": "nobody", "password": bad}, "password"),
    ]
    for method, url, actor, body, field in attempts:
        headers = auth(actor) if actor else {}
        if isinstance(body, str):
            response = client.request(
                method, url, content=body, headers={**headers, "Content-Type": "application/json"}
            )
        else:
            response = send(client, method, url, {**headers, "If-Match": "1"}, body)
        assert response.status_code == 422, (method, url, response.text)
        assert printable(field) in [e["field"] for e in response.json()["errors"]], (url, response.text)
    assert client.get(f"{case}/parties/wga/notes", headers=auth(world.wga)).json() == []
    assert services.cases.get(world.admin, world.case_id).title == "Writers v. studios (test)"
    reads_answer(client, auth, world)


def test_a_whole_case_with_a_surrogate_is_refused(client, auth, services, world):
    before = services.cases.page(world.admin).total
    body = {"id": "evil-case", "title": "T", "parties": [{"id": "p", "name": "P\ud800", "kind": "union"}]}
    refused(send(client, "POST", "/cases", auth(world.server_admin), body), "parties.0.name")
    assert services.cases.page(world.admin).total == before


@pytest.mark.parametrize("value", ["a\x00b", "\x1b", "x" * 2001])
def test_nul_in_path_and_query_values_is_a_422_naming_it(client, auth, world, value):
    """Issue 12, row 8: NUL in a path id or a query value was a 500 on PostgreSQL."""
    case = f"/cases/{world.case_id}"
    headers = auth(world.wga)
    sent = quote(value, safe="")  # as it travels: %00
    assert refused(client.get(f"/cases/{sent}/proposals", headers=headers), "case_id", "path")
    assert refused(client.get(f"{case}/proposals/{sent}", headers=headers), "record_id", "path")
    assert refused(client.get(f"/cases/{sent}/views/status", headers=headers), "case_id", "path")
    admin = auth(world.admin)
    member = client.put(f"{case}/members/{sent}", json={"role": "observer"}, headers=admin)
    assert refused(member, "username", "path")
    for path, name in (
        (f"{case}/events", "kind"),
        (f"{case}/views/status", "side_a"),
        (f"{case}/views/timeline", "party"),
        (f"{case}/views/positions", "party"),
        (f"{case}/views/status", "as_of"),
    ):
        assert refused(client.get(path, params={name: value}, headers=headers), name, "query")
    # Refused before anyone is identified: the values never reach the database.
    assert refused(client.get(f"/cases/{sent}"), "case_id", "path")


def test_a_sign_in_with_nul_is_a_422_not_a_500(client, world):
    """Issue 12, row 8: the unauthenticated sign-in answered 500 on PostgreSQL."""
    for body in (
        {"username": "ad\x00min", "password": "x"},
        {"username": world.wga.username, "password": "a\x00"},
    ):
        response = send(client, "POST", "/auth/login", {}, body)
        assert response.status_code == 422, response.text
    ok = send(
        client,
        "POST",
        "/auth/login",
        {},
        {"username": world.wga.username, "password": "correct horse battery"},
    )
    assert ok.status_code == 200, ok.text


def test_repeated_keys_are_refused_naming_them(client, auth, services, world):
    """Duplicate JSON keys were accepted (the last one won): what was sent and what was stored
    could differ."""
    before = state(services, world)
    url = f"/cases/{world.case_id}/proposals"
    text = '{"id": "d1", "id": "d2", "date": "2023-06-01", "from": "wga", "to": "amptp"}'
    message = refused(send(client, "POST", url, auth(world.wga), text), "id")
    assert message == "duplicate key 'id'; a key may appear only once in an object"
    nested = (
        '{"id": "d3", "date": "2023-06-01", "from": "wga", "to": "amptp", "positions": {"pay": 5, "pay": 9}}'
    )
    refused(send(client, "POST", url, auth(world.wga), nested), "positions.pay")
    login = '{"username": "a", "username": "b", "password": "x"}'
    refused(send(client, "POST", "/auth/login", {}, login), "username")
    assert state(services, world) == before


@pytest.mark.parametrize("date", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_records_outside_1900_to_2100_are_refused(client, auth, services, world, date):
    """Issue 12, row 7: a proposal dated 0001-01-01 was accepted, then the dashboard's timeline
    was a 500 for everyone."""
    before = state(services, world)
    url = f"/cases/{world.case_id}"
    assert refused(send(client, "POST", f"{url}/proposals", auth(world.wga), {**GOOD, "date": date}), "date")
    event = {"id": "m9", "kind": "milestone", "date": date, "summary": "S"}
    assert refused(send(client, "POST", f"{url}/events", auth(world.wga), event), "date")
    source = {"id": "s9", "date": date}
    assert refused(send(client, "POST", f"{url}/sources", auth(world.admin), source), "date")
    assert state(services, world) == before


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_as_of_outside_1900_to_2100_is_a_422(client, auth, world, as_of):
    """Issue 12, row 7: ``?as_of=9999-12-31`` was a 500."""
    case = f"/cases/{world.case_id}"
    for view in ("status", "gaps", "movement", "who-moved", "pending", "ta-board", "timeline", "stoppages"):
        message = refused(
            client.get(f"{case}/views/{view}", params={"as_of": as_of}, headers=auth(world.wga)),
            "as_of",
            "query",
        )
        assert "1900-01-01 to 2100-12-31" in message
    refused(
        client.get(f"{case}/analysis", params={"as_of": as_of}, headers=auth(world.mediator)),
        "as_of",
        "query",
    )
    simulation = {"kind": "replay", "as_of": as_of, "strategies": ["boulware", "conceder"]}
    refused(send(client, "POST", f"{case}/simulations", auth(world.mediator), simulation), "as_of")


def test_the_edges_of_the_range_are_kept(client, auth, world):
    url = f"/cases/{world.case_id}"
    for record_id, date in (("early", "1900-01-01"), ("late", "2100-12-31")):
        body = {**GOOD, "id": record_id, "date": date}
        assert send(client, "POST", f"{url}/proposals", auth(world.wga), body).status_code == 201
    for as_of in ("1900-01-01", "2100-12-31"):
        assert (
            client.get(f"{url}/views/timeline", params={"as_of": as_of}, headers=auth(world.wga)).status_code
            == 200
        )
    reads_answer(client, auth, world)


def test_weights_that_overflow_are_refused(client, auth, services, world):
    """Issue 12, row 14: two weights of 1e308 were accepted and every normalised weight was 0."""
    url = f"/cases/{world.case_id}/parties/wga/preferences"
    body = preference_data("wga")
    huge = {**body, "weights": {"pay": 1e308, "staffing": 1e308, "ai": 1}}
    message = refused(send(client, "PUT", url, auth(world.wga), huge), "weights")
    assert "add up to more than the largest number" in message
    infinite = json.dumps(body).replace('"reservation": 0.3', '"reservation": 1e309')
    refused(send(client, "PUT", url, auth(world.wga), infinite), "reservation")
    nan = json.dumps(body).replace('"pay": 2.0', '"pay": NaN')
    refused(send(client, "PUT", url, auth(world.wga), nan), "weights.pay")
    assert client.get(url, headers=auth(world.wga)).status_code == 404  # nothing was stored


def test_numbers_that_are_not_finite_are_refused(client, auth, world):
    url = f"/cases/{world.case_id}"
    issue = '{"id": "big", "type": "numeric", "name": "Big", "unit": "$", "low": %(low)s, "high": %(high)s, "step": %(step)s}'
    for field, text in (("high", "1e309"), ("low", "-Infinity"), ("step", "NaN")):
        body = issue % {"low": "0", "high": "2", "step": "1", field: text}
        refused(send(client, "POST", f"{url}/issues", auth(world.admin), body), field)
    estimate = '{"id": "x", "label": "L", "scope": "s", "by": "b", "low": NaN}'
    refused(send(client, "POST", f"{url}/estimates", auth(world.admin), estimate), "low")
    assert client.get(f"{url}/issues/big", headers=auth(world.admin)).status_code == 404


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", " javascript:x"]
)
def test_source_links_other_than_http_are_refused(client, auth, world, url):
    """Issue 12, row 15: a ``javascript:`` source was stored and rendered as a link."""
    case = f"/cases/{world.case_id}"
    message = refused(
        send(client, "POST", f"{case}/sources", auth(world.admin), {"id": "evil", "url": url}), "url"
    )
    assert "http" in message
    replaced = send(
        client, "PUT", f"{case}/sources/s1", {**auth(world.admin), "If-Match": "1"}, {"id": "s1", "url": url}
    )
    refused(replaced, "url")
    assert client.get(f"{case}/sources/evil", headers=auth(world.admin)).status_code == 404
    assert (
        client.get(f"{case}/sources/s1", headers=auth(world.admin)).json()["source"]["url"]
        == "https://example.org/1"
    )


def test_each_field_has_a_documented_length(client, auth, services, world):
    """No per-field limit inside the 5 MiB body: now ids 80, names 200, titles 500, texts 20,000."""
    before = state(services, world)
    case = f"/cases/{world.case_id}"
    refused(
        send(client, "POST", f"{case}/proposals", auth(world.wga), {**GOOD, "summary": "x" * 20_001}),
        "summary",
    )
    refused(send(client, "POST", f"{case}/proposals", auth(world.wga), {**GOOD, "id": "x" * 81}), "id")
    refused(
        send(
            client,
            "POST",
            f"{case}/parties",
            auth(world.admin),
            {"id": "x", "name": "n" * 201, "kind": "union"},
        ),
        "name",
    )
    refused(
        send(client, "PATCH", case, {**auth(world.admin), "If-Match": "1"}, {"title": "t" * 501}), "title"
    )
    long_ok = send(
        client, "POST", f"{case}/proposals", auth(world.wga), {**GOOD, "id": "long", "summary": "x" * 20_000}
    )
    assert long_ok.status_code == 201, long_ok.text
    assert state(services, world)[0] == [*before[0], "long"]


@pytest.mark.parametrize("bad", ["a\x00b", "\udcff", "tab\there"], ids=ascii)
def test_accounts_and_tokens_keep_the_rule_whoever_asks(services, world, bad):
    """The command line reaches the services without the API's checks: the services refuse too
    (a NUL display name was a 500 on PostgreSQL; an unpaired surrogate, from a command line in a
    non-UTF-8 locale, cannot be stored or hashed)."""
    with pytest.raises(Invalid) as caught:
        services.users.add(None, unique("u"), "correct horse battery", display_name=f"Ada {bad}")
    assert [p.field for p in caught.value.problems] == ["display_name"]
    with pytest.raises(Invalid) as caught:
        services.users.create_token(None, world.wga.username, f"laptop {bad}")
    assert [p.field for p in caught.value.problems] == ["name"]
    if bad != "tab\there":  # a password may hold a tab, never NUL or a surrogate
        with pytest.raises(Invalid):
            services.users.add(None, unique("u"), f"correct horse {bad}")
        with pytest.raises(Invalid):
            services.users.set_password(None, world.wga.username, f"correct horse {bad}")
    assert services.users.list_tokens(None, world.wga.username) == []


def test_a_user_name_with_a_line_break_is_refused(services):
    with pytest.raises(Invalid) as caught:
        services.users.add(None, "ada\n", "correct horse battery")
    assert [p.field for p in caught.value.problems] == ["username"]


def test_a_real_server_refuses_the_hostile_requests_of_issue_12(database_url, services, world, tmp_path):
    """The attacks as they were made: against `accord serve` on 127.0.0.1, on each backend."""
    token = services.users.create_token(None, world.wga.username, "hostile").secret
    port = free_port()
    server = start_server(database_url, port, tmp_path / "serve.log")
    case = f"/cases/{world.case_id}"
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            json_type = {"Content-Type": "application/json"}
            auth = {"Authorization": f"Bearer {token}", **json_type}
            hostile = [
                ("POST", "/auth/login", json_type, '{"username": "ad\\u0000min", "password": "x"}'),
                ("POST", f"{case}/proposals", auth, json.dumps({**GOOD, "summary": "\ud800"})),
                ("POST", f"{case}/proposals", auth, json.dumps({**GOOD, "date": "0001-01-01"})),
                ("POST", f"{case}/proposals", auth, json.dumps({**GOOD, "summary": "a\x00b"})),
                (
                    "POST",
                    f"{case}/proposals",
                    auth,
                    '{"id": "d", "id": "e", "date": "2023-06-01", "from": "wga", "to": "amptp"}',
                ),
                ("GET", "/cases/x%00/proposals", auth, None),
                ("GET", f"{case}/events?kind=%00", auth, None),
                ("GET", f"{case}/views/timeline?as_of=9999-12-31", auth, None),
                ("GET", "/dashboard/cases/x%00/timeline", {}, None),
            ]
            for method, path, headers, body in hostile:
                response = http.request(method, path, headers=headers, content=body)
                assert response.status_code == 422, (path, response.status_code, response.text[-300:])
            for path in (case, f"{case}/proposals", f"{case}/export", f"{case}/views/timeline"):
                assert http.get(path, headers=auth).status_code == 200, path
    finally:
        stop_server(server)
    assert [r.record.id for r in services.records.page(world.admin, world.case_id, limit=500).items] == [
        "p1",
        "p2",
        "e1",
        "e2",
    ]
