"""Cost before work (issue 12, row 1 and its class), on SQLite and PostgreSQL: a request over a
limit of :mod:`accord.model.request_limits` is refused at once, the same whatever the caller's role,
before the case is read, and nothing is stored; nor is anything listed in proportion to it."""

from __future__ import annotations

import re
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from accord.api import create_app
from accord.model import request_limits
from accord.services import Actor, Invalid, Services
from accord.store.schema import simulation_jobs
from accord.web import mount
from accord.web.forms import FormData
from accord.web.simulate import limit_problems, parse_request
from limits_support import AS_OF, LONGEST, big_case, big_preferences
from server_support import add_user, unique

T = TypeVar("T")
PASSWORD = "correct horse battery"  # server_support.add_user's
AT_ONCE = 0.5
"""Seconds a refusal may take here: the rule is 100 ms; a shared CI machine gets five times that
(what is refused took minutes and gigabytes before)."""
BILLION = {
    "kind": "sweep",
    "count": "1000000000",
    "low": "0",
    "high": "1",
    "parameter": "daily_cost",
    "as_of": AS_OF,
    "strategy_a": "boulware",
    "strategy_b": "boulware",
    "n_rounds": "60",
    "seed": "0",
    "column": "0",
}
"""Issue 12, row 1: the dashboard's sweep form asking for a billion values."""


@dataclass
class Big:
    """A case as large as a simulation may run on; its sides' models shared with the mediators."""

    case_id: str
    admin: Actor
    mediators: list[Actor]
    outsider: Actor


@pytest.fixture
def big(services: Services) -> Big:
    case_id = unique("big")
    services.cases.import_case(None, big_case(case_id))
    users = {role: add_user(services, unique(role)) for role in ("admin", "u", "e", "outsider")}
    mediators = [add_user(services, unique("mediator")) for _ in range(request_limits.JOBS_PER_PROCESS)]
    services.cases.set_member(None, case_id, users["admin"].username, "admin", None)
    for mediator in mediators:
        services.cases.set_member(None, case_id, mediator.username, "mediator", None)
    for party in ("u", "e"):
        services.cases.set_member(None, case_id, users[party].username, "member", party)
        model = big_preferences(party)
        services.private.put_preferences(users[party], case_id, party, model, expected_version=None)
        services.private.set_shares(users[party], case_id, party, {("preferences", "mediators")})
    return Big(case_id, users["admin"], mediators, users["outsider"])


@pytest.fixture
def app_client(services: Services) -> Iterator[TestClient]:
    """The team server's app (API and dashboard) with a simulation pool of its own, stopped with it."""
    app = create_app(services)
    mount(app, services)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def _bearer(services: Services, actor: Actor) -> dict[str, str]:
    return {"Authorization": f"Bearer {services.users.create_token(None, actor.username, 't').secret}"}


def _signed_in(client: TestClient, actor: Actor) -> str:
    """Sign ``actor`` in on the dashboard (the client keeps the cookie); the forms' CSRF token."""
    client.cookies.clear()
    form = client.get("/dashboard/sign-in")
    data = {"csrf_token": csrf(form.text), "username": actor.username, "password": PASSWORD}
    assert client.post("/dashboard/sign-in", data=data).status_code == 303
    return csrf(client.get("/dashboard/cases").text)


def csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def _jobs(services: Services) -> int:
    with services.db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(simulation_jobs)).scalar_one())


def _timed(call: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, float]:
    """``call(*args, **kwargs)`` and the seconds it took."""
    start = time.perf_counter()
    result = call(*args, **kwargs)
    return result, time.perf_counter() - start


def test_a_billion_value_sweep_is_refused_at_once_whatever_the_role(
    app_client: TestClient, services: Services, big: Big
) -> None:
    before = _jobs(services)
    for who in (big.outsider, big.mediators[0]):
        token = _signed_in(app_client, who)
        for case_id in ("no-such-case", big.case_id):
            path = f"/dashboard/cases/{case_id}/simulation"
            response, seconds = _timed(app_client.post, path, data={"csrf_token": token, **BILLION})
            assert response.status_code == 422, (who.username, case_id, response.text[:300])
            assert "expected 2 to 25 values, got 1000000000" in response.text
            assert seconds < AT_ONCE, (who.username, case_id, seconds)
    # the mediator sees the form again, with the field at fault; the outsider learns nothing of the case
    token = _signed_in(app_client, big.mediators[0])
    form = app_client.post(
        f"/dashboard/cases/{big.case_id}/simulation", data={"csrf_token": token, **BILLION}
    )
    assert 'name="count"' in form.text
    token = _signed_in(app_client, big.outsider)
    pages = [
        app_client.post(f"/dashboard/cases/{c}/simulation", data={"csrf_token": token, **BILLION}).text
        for c in ("no-such-case", big.case_id)
    ]
    assert pages[0] == pages[1] and big.case_id not in pages[1]
    assert _jobs(services) == before


def test_the_sweep_form_lists_no_values_over_the_limit() -> None:
    form = FormData([(k, v) for k, v in BILLION.items() if k != "count"] + [("count", str(10**6))])
    tracemalloc.start()
    try:
        assert [p.field for p in limit_problems(form)] == ["count"]
        with pytest.raises(Invalid) as caught:
            parse_request(form)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [p.field for p in caught.value.problems] == ["count"]
    assert peak < 200_000, peak  # a million values listed would take tens of megabytes


def test_the_sweep_form_refuses_rounds_and_numbers_that_are_no_numbers() -> None:
    base = dict(BILLION, count="5")
    assert [p.field for p in limit_problems(FormData(list({**base, "n_rounds": "501"}.items())))] == [
        "n_rounds"
    ]
    for text in ("nan", "inf", "-inf", "1e999"):
        with pytest.raises(Invalid) as caught:
            parse_request(FormData(list({**base, "low": text}.items())))
        assert [p.field for p in caught.value.problems] == ["low"], text
    assert parse_request(FormData(list(base.items()))).values == (0.0, 0.25, 0.5, 0.75, 1.0)


@pytest.mark.parametrize(
    "change",
    [
        {"values": [0.0] * 100_000},  # ~500 kB: under the body limit, far over the sweep's
        {"n_rounds": 10**9},
        {"values": [0.0]},
    ],
    ids=["values", "rounds", "one-value"],
)
def test_an_api_simulation_over_a_limit_is_refused_before_the_case_is_read(
    app_client: TestClient, services: Services, big: Big, change: dict
) -> None:
    before = _jobs(services)
    answers = []
    for who in (big.outsider, big.mediators[0]):
        headers = _bearer(services, who)
        for case_id in ("no-such-case", big.case_id):
            response, seconds = _timed(
                app_client.post, f"/cases/{case_id}/simulations", json={**LONGEST, **change}, headers=headers
            )
            assert response.status_code == 422, response.text[:300]
            assert seconds < AT_ONCE, (who.username, case_id, seconds)
            answers.append([(e["field"], e["message"]) for e in response.json()["errors"]])
    assert all(answer == answers[0] for answer in answers)  # the same refusal for every role and case
    assert _jobs(services) == before


def test_a_request_body_over_the_limit_is_refused_before_it_is_read(
    app_client: TestClient, services: Services, big: Big
) -> None:
    headers = {**_bearer(services, big.outsider), "Content-Type": "application/json"}
    body = b'{"values": [' + b"0," * (request_limits.REQUEST_BODY_BYTES // 2) + b"0]}"
    response, seconds = _timed(
        app_client.post, f"/cases/{big.case_id}/simulations", content=body, headers=headers
    )
    assert response.status_code == 413 and seconds < 2 * AT_ONCE  # sending 5 MiB here takes a moment


def _wait_running(client: TestClient, headers: dict[str, str], case_id: str, job_id: str) -> None:
    deadline = time.monotonic() + 60
    while client.get(f"/cases/{case_id}/simulations/{job_id}", headers=headers).json()["state"] == "queued":
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_user_has_only_a_few_simulations_queued_or_running(
    app_client: TestClient, services: Services, big: Big
) -> None:
    headers = _bearer(services, big.mediators[0])
    path = f"/cases/{big.case_id}/simulations"
    started = [
        app_client.post(path, json=LONGEST, headers=headers) for _ in range(request_limits.JOBS_PER_USER)
    ]
    assert [r.status_code for r in started] == [202] * request_limits.JOBS_PER_USER, started[-1].text
    _wait_running(app_client, headers, big.case_id, started[0].json()["id"])
    before = _jobs(services)
    refused, seconds = _timed(app_client.post, path, json=LONGEST, headers=headers)
    assert refused.status_code == 429, refused.text
    assert refused.headers["Retry-After"].isdigit() and seconds < AT_ONCE
    assert (
        f"you have {request_limits.JOBS_PER_USER} simulations queued or running" in refused.json()["detail"]
    )
    other = app_client.post(path, json=LONGEST, headers=_bearer(services, big.mediators[1]))
    assert other.status_code == 202, other.text  # another user still may
    assert _jobs(services) == before + 1


def test_a_server_process_holds_only_a_few_simulations(
    app_client: TestClient, services: Services, big: Big
) -> None:
    path = f"/cases/{big.case_id}/simulations"
    for mediator in big.mediators:  # one each, up to the process's limit
        assert app_client.post(path, json=LONGEST, headers=_bearer(services, mediator)).status_code == 202
    before = _jobs(services)
    for who, case_id in ((big.outsider, "no-such-case"), (big.admin, big.case_id)):
        refused = app_client.post(
            f"/cases/{case_id}/simulations", json=LONGEST, headers=_bearer(services, who)
        )
        assert refused.status_code == 429, refused.text
        assert f"running {request_limits.JOBS_PER_PROCESS} simulations" in refused.json()["detail"]
    assert _jobs(services) == before


def test_an_outcome_space_over_the_simulation_limit_is_refused_before_it_is_built(
    app_client: TestClient, services: Services
) -> None:
    case_id = unique("bigger")
    services.cases.import_case(None, big_case(case_id, n=59))  # 59**3 = 205,379 packages
    mediator = add_user(services, unique("mediator"))
    services.cases.set_member(None, case_id, mediator.username, "mediator", None)
    for party in ("u", "e"):
        member = add_user(services, unique(party))
        services.cases.set_member(None, case_id, member.username, "member", party)
        services.private.put_preferences(
            member, case_id, party, big_preferences(party), expected_version=None
        )
        services.private.set_shares(member, case_id, party, {("preferences", "mediators")})
    before = _jobs(services)
    tracemalloc.start()
    try:
        refused = app_client.post(
            f"/cases/{case_id}/simulations", json=LONGEST, headers=_bearer(services, mediator)
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["message"] == (
        f"205379 packages: more than {request_limits.SIMULATION_OUTCOMES}"
    )
    assert peak < 20_000_000, peak  # the scenario's utilities alone would be 205,379 x 2 floats and more
    assert _jobs(services) == before


def test_the_analysis_of_a_space_over_its_limits_is_refused_before_any_work(
    app_client: TestClient, services: Services, big: Big
) -> None:
    wide = {"id": "wide", "type": "numeric", "name": "Wide", "unit": "u", "low": 0, "high": 1999}
    added = app_client.post(f"/cases/{big.case_id}/issues", json=wide, headers=_bearer(services, big.admin))
    assert added.status_code == 201, added.text
    headers = _bearer(services, big.mediators[0])
    response, seconds = _timed(app_client.get, f"/cases/{big.case_id}/analysis", headers=headers)
    assert response.status_code == 422, response.text[:300]
    assert seconds < AT_ONCE
    (error,) = response.json()["errors"]
    assert error["field"] == "case_id" and error["location"] == "path"
    assert error["message"].startswith(
        f"the issues span 2303 options together; an analysis handles at most {request_limits.ANALYSIS_OPTIONS}"
    )
    _signed_in(app_client, big.mediators[0])
    page, seconds = _timed(app_client.get, f"/dashboard/cases/{big.case_id}/analysis")
    assert page.status_code == 200 and seconds < 2 * AT_ONCE
    assert "the issues span 2303 options together" in page.text
