"""Each API request waits for a worker thread once (accord.api.deps.Router), and a request to a
route that takes a token is still refused for a missing or unknown token before anything else
about it is reported (but after its text: that refusal comes before anyone is identified)."""

from __future__ import annotations

import inspect

import anyio.to_thread
import pytest
from fastapi.routing import APIRoute, iter_route_contexts

PROBLEM = "application/problem+json"
BAD_TOKEN = {"Authorization": "Bearer acc_not-a-token"}


@pytest.fixture
def hops(monkeypatch):
    """The number of calls to a worker thread so far (FastAPI and Starlette hand work to one
    through ``anyio.to_thread.run_sync``)."""
    calls = []
    original = anyio.to_thread.run_sync

    async def counted(*args, **kwargs):
        calls.append(args[0])
        return await original(*args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return calls


def test_every_api_route_is_a_coroutine(client):
    """A synchronous handler would take three hops (its signed-in dependency, itself, the check of
    its response): the router makes each a coroutine that takes one."""
    found = (context.original_route for context in iter_route_contexts(client.app.routes))
    routes = [r for r in found if isinstance(r, APIRoute)]
    assert len(routes) > 40
    assert [r.path for r in routes if not inspect.iscoroutinefunction(r.endpoint)] == []


def test_reads_and_writes_take_one_worker_thread_hop(client, auth, world, hops):
    case = f"/cases/{world.case_id}"
    body = {"id": "hop1", "date": "2023-06-05", "from": "wga", "to": "amptp", "positions": {"pay": 5.0}}
    requests = [
        ("POST", f"{case}/proposals", auth(world.wga), body, 201),
        ("GET", f"{case}/proposals/hop1", auth(world.observer), None, 200),
        ("GET", f"{case}/proposals", auth(world.observer), None, 200),
        ("GET", "/me", auth(world.observer), None, 200),
        ("GET", f"{case}/views/status", auth(world.observer), None, 200),
        ("GET", f"{case}/issues/staffing", auth(world.observer), None, 200),
    ]
    for method, path, headers, json, status in requests:
        hops.clear()
        response = client.request(method, path, headers=headers, json=json)
        assert response.status_code == status, response.text
        assert len(hops) == 1, (method, path, hops)


def test_a_handler_keeps_its_name_parameters_and_document(client):
    """The API's document is made from the handlers as written (docs/reference/openapi.json is
    checked against it by test_openapi.py); the token is still a bearer scheme."""
    document = client.app.openapi()
    operation = document["paths"]["/cases/{case_id}/proposals"]["post"]
    assert operation["operationId"].startswith("add_proposal")
    assert operation["security"] == [{"HTTPBearer": []}]
    assert "Record a proposal" in operation["description"]
    names = [p["name"] for p in operation["parameters"]]
    assert names == ["case_id"]  # neither the token nor the request appear as parameters
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/Proposal-Input"
    )


@pytest.mark.parametrize("headers", [{}, BAD_TOKEN], ids=["no token", "unknown token"])
def test_a_bad_token_is_refused_before_a_bad_body_or_parameter(client, auth, world, headers):
    case = f"/cases/{world.case_id}"
    bad_body = {"id": "hop2", "date": "not a date", "from": "wga"}
    refusals = [
        client.post(f"{case}/proposals", json=bad_body, headers=headers),
        client.post(
            f"{case}/proposals", content=b"{not json", headers={**headers, "Content-Type": "application/json"}
        ),
        client.get(f"{case}/proposals", params={"limit": -1}, headers=headers),
        client.put(f"{case}/issues/staffing", json={"id": "staffing"}, headers={**headers, "If-Match": "x"}),
        client.post("/cases", json={"id": "c", "title": "T", "parties": "not a list"}, headers=headers),
        client.get(f"{case}/views/status", params={"as_of": "yesterday"}, headers=headers),
    ]
    for response in refusals:
        assert response.status_code == 401, (response.request.url, response.text)
        assert response.headers["content-type"] == PROBLEM
        assert response.headers["www-authenticate"] == "Bearer"
    # Signed in, the same requests are refused for what they are.
    signed = auth(world.admin)
    assert client.post(f"{case}/proposals", json=bad_body, headers=signed).status_code == 422
    malformed = client.post(
        f"{case}/proposals", content=b"{not json", headers={**signed, "Content-Type": "application/json"}
    )
    assert malformed.status_code == 400
    assert client.get(f"{case}/proposals", params={"limit": -1}, headers=signed).status_code == 422
    if_match = client.put(
        f"{case}/issues/staffing", json={"id": "staffing"}, headers={**signed, "If-Match": "x"}
    )
    assert if_match.status_code == 422 and if_match.json()["errors"][0]["field"] == "If-Match"
    assert (
        client.get(f"{case}/views/status", params={"as_of": "yesterday"}, headers=signed).status_code == 422
    )


def test_text_is_refused_before_anyone_is_identified(client, world):
    """A value that breaks the text rule is refused (422) token or none: it never reaches the
    database, not even to look the token up."""
    response = client.get(f"/cases/{world.case_id}/proposals", params={"kind": "a\x00b"}, headers=BAD_TOKEN)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "kind"
