"""The dashboard against a hostile user (issue 12), on SQLite and PostgreSQL: its record forms
refuse what the API refuses (they call the same service), a draft recorded on a form gets an id of
its party's own, and a simulation's page needs current membership and the shares it used."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from accord.api import create_app
from accord.model import Proposal
from accord.services import Actor, Services
from accord.services.simulation_jobs import SimulationRequest
from accord.web import PREFIX, mount
from server_support import World, preferences

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def app(services: Services) -> Iterator[FastAPI]:
    application = create_app(services)
    mount(application, services)
    yield application
    application.state.dashboard_jobs.shutdown()


def signed_in(app: FastAPI, services: Services, actor: Actor) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    client.cookies.set("accord_session", services.users.login(actor.username, PASSWORD, client="web").secret)
    return client


def post(client: TestClient, path: str, form: dict[str, Any]) -> Any:
    page = client.get(f"{PREFIX}/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the page"
    return client.post(PREFIX + path, data={"csrf_token": token.group(1), **form})


def record_ids(services: Services, actor: Actor, case_id: str) -> set[str]:
    return {i.record.id for i in services.records.page(actor, case_id, limit=500).items}


def test_the_record_forms_refuse_a_reference_that_is_not_the_writers_business(app, services, world: World):
    case = world.case_id
    made_to_netflix = {
        "id": "pn",
        "date": "2023-05-11",
        "from": "wga",
        "to": "netflix",
        "positions": {"pay": 7},
    }
    services.records.add(world.admin, case, Proposal.model_validate(made_to_netflix))
    before = record_ids(services, world.admin, case)
    studios = signed_in(app, services, world.amptp)
    counter = {
        "id": "c1",
        "date": "2023-05-12",
        "from": "amptp",
        "to": "wga",
        "answers": "pn",
        "pos.pay": "3",
    }
    refused = post(studios, f"/cases/{case}/record/proposal", counter)
    assert refused.status_code == 403, refused.text
    assert "answers only what was made to it" in refused.text  # shown on the form, by its field
    response = {"id": "r1", "date": "2023-05-12", "from": "amptp", "to": "wga", "responds_to": "pn"}
    assert post(studios, f"/cases/{case}/record/response", response).status_code == 403
    assert record_ids(services, world.admin, case) == before
    # The party it was made to may; so may the keepers of the record.
    netflix = signed_in(app, services, world.netflix)
    allowed = post(netflix, f"/cases/{case}/record/proposal", {**counter, "from": "netflix"})
    assert allowed.status_code == 303, allowed.text
    mediator = signed_in(app, services, world.mediator)
    assert post(mediator, f"/cases/{case}/record/response", {**response, "id": "r2"}).status_code == 303


def test_a_draft_recorded_on_the_form_gets_an_id_of_its_partys_own(app, services, world: World):
    case = world.case_id
    before = record_ids(services, world.wga, case)
    union = signed_in(app, services, world.wga)
    form = {"date": "2023-06-01", "from": "wga", "to": "amptp", "status": "draft", "pos.pay": "7"}
    assert post(union, f"/cases/{case}/record/proposal", form).status_code == 303
    (new,) = record_ids(services, world.wga, case) - before
    assert new.startswith("draft.wga.")
    assert new not in record_ids(services, world.amptp, case)
    # A draft whose id is outside its party's namespace is shown again with the problem.
    again = post(union, f"/cases/{case}/record/proposal", {**form, "id": "draft.amptp.x"})
    assert again.status_code == 422 and "draft.wga.&lt;name&gt;" in again.text


def _finished_job(app: FastAPI, actor: Actor, case_id: str) -> str:
    request = SimulationRequest("replay", dt.date(2023, 6, 1), ("boulware", "conceder"), n_rounds=10)
    jobs = app.state.dashboard_jobs
    job = jobs.start(actor, case_id, request)
    deadline = time.monotonic() + 60
    while not jobs.get(actor, case_id, job.id).finished:
        assert time.monotonic() < deadline, "the simulation did not finish"
        time.sleep(0.05)
    assert jobs.get(actor, case_id, job.id).state == "done"
    return str(job.id)


def test_a_simulations_page_needs_current_membership_and_the_shares_it_used(app, services, world: World):
    case = world.case_id
    for party in ("wga", "amptp"):
        actor = getattr(world, party)
        services.private.put_preferences(actor, case, party, preferences(party), expected_version=None)
        services.private.set_shares(actor, case, party, {("preferences", "mediators")})
    job_id = _finished_job(app, world.mediator, case)
    mediator = signed_in(app, services, world.mediator)
    page = f"{PREFIX}/cases/{case}/simulation/{job_id}"
    assert mediator.get(page).status_code == 200
    assert job_id in mediator.get(f"{PREFIX}/cases/{case}/simulation").text
    services.private.set_shares(world.wga, case, "wga", set())
    for path in (page, f"{page}/progress"):
        assert mediator.get(path).status_code == 403
    assert job_id not in mediator.get(f"{PREFIX}/cases/{case}/simulation").text
    services.private.set_shares(world.wga, case, "wga", {("preferences", "mediators")})
    assert mediator.get(page).status_code == 200
    services.cases.remove_member(world.admin, case, world.mediator.username)
    for path in (page, f"{page}/progress", f"{PREFIX}/cases/{case}/simulation"):
        assert mediator.get(path).status_code == 404
