"""Bad input gets a 4xx problem naming what is wrong, and nothing is written."""

import json

import pytest

PROBLEM = "application/problem+json"
GOOD = {"id": "ok1", "date": "2023-06-01", "from": "wga", "to": "amptp", "positions": {"pay": 5}}


def state(services, world):
    """Everything a bad request must leave alone: the records, the case's version, the log."""
    page = services.records.page(world.admin, world.case_id, limit=500)
    audit = services.audit.entries(None, case_id=world.case_id, limit=1)
    return (
        [r.record.id for r in page.items],
        services.cases.get(world.admin, world.case_id).version,
        audit.total,
    )


def post(client, auth, world, content, content_type="application/json"):
    return client.post(
        f"/cases/{world.case_id}/proposals",
        content=content,
        headers={**auth(world.wga), "Content-Type": content_type},
    )


def test_malformed_json_is_a_400_problem(client, auth, services, world):
    before = state(services, world)
    response = post(client, auth, world, b'{"id": "x", "date": ')
    assert response.status_code == 400 and response.headers["content-type"] == PROBLEM
    assert response.json()["title"] == "Malformed JSON"
    assert state(services, world) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "not a date"}, "date"),
        ({"positions": {"pay": {"value": {"nested": 1}}}}, "positions.pay.value"),
        ({"id": 17}, "id"),
        ({"id": "has spaces"}, "id"),
        ({"surprise": True}, "surprise"),
        ({"status": "maybe"}, "status"),
        ({"from": None}, "from"),
        ({"positions": {"ai": [["nested"]]}}, "positions.ai.value"),
    ],
)
def test_wrong_types_are_422_problems_naming_the_field(client, auth, services, world, change, field):
    before = state(services, world)
    response = post(client, auth, world, json.dumps({**GOOD, **change}))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert field in [e["field"] for e in response.json()["errors"]]
    assert state(services, world) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"positions": {"pay": 10.5}}, "positions.pay.value"),
        ({"positions": {"staffing": "everyone"}}, "positions.staffing.value"),
        ({"positions": {"ai": ["telepathy"]}}, "positions.ai.value"),
        ({"positions": {"dental": 1}}, "positions.dental"),
        ({"answers": ["nope"]}, "answers[0]"),
        ({"to": "studio-x"}, "to"),
        ({"supersedes": "ghost"}, "supersedes"),
    ],
)
def test_unknown_ids_and_values_outside_a_domain_are_422(client, auth, services, world, change, field):
    before = state(services, world)
    response = post(client, auth, world, json.dumps({**GOOD, **change}))
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert state(services, world) == before


def test_an_unknown_case_or_record_is_404(client, auth, world):
    assert client.get("/cases/ghost", headers=auth(world.wga)).status_code == 404
    missing = client.get(f"/cases/{world.case_id}/proposals/ghost", headers=auth(world.wga))
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    assert client.get(f"/cases/{world.case_id}/events/p1", headers=auth(world.wga)).status_code == 404


def test_oversized_bodies_are_413_and_nothing_is_written(client, auth, services, world):
    before = state(services, world)
    huge = json.dumps({**GOOD, "summary": "x" * (70 * 1024)})
    response = post(client, auth, world, huge)
    assert response.status_code == 413 and response.headers["content-type"] == PROBLEM

    def chunks():  # no Content-Length: the limit counts what arrives
        for _ in range(70):
            yield b" " * 1024
        yield json.dumps(GOOD).encode()

    streamed = client.post(
        f"/cases/{world.case_id}/proposals",
        content=chunks(),
        headers={**auth(world.wga), "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    assert state(services, world) == before


def test_bad_query_parameters_and_versions_are_named(client, auth, world):
    response = client.get(f"/cases/{world.case_id}/proposals", params={"limit": 0}, headers=auth(world.wga))
    assert response.status_code == 422
    assert response.json()["errors"][0] | {"message": ""} == {
        "field": "limit",
        "location": "query",
        "message": "",
    }
    patch = client.patch(
        f"/cases/{world.case_id}", json={"title": "T"}, headers={**auth(world.admin), "If-Match": "yesterday"}
    )
    assert patch.status_code == 422 and patch.json()["errors"][0]["location"] == "header"


def test_bad_private_data_is_refused(client, auth, services, world):
    base = f"/cases/{world.case_id}/parties/wga"
    walkaway = client.put(f"{base}/walkaway", json={"positions": {"pay": -1}}, headers=auth(world.wga))
    assert walkaway.status_code == 422 and walkaway.json()["errors"][0]["field"] == "positions.pay.value"
    prefs = client.put(f"{base}/preferences", json=[1, 2], headers=auth(world.wga))
    assert prefs.status_code == 422
    shares = client.put(
        f"{base}/shares",
        json={"grants": [{"kind": "secrets", "grantee": "mediators"}]},
        headers=auth(world.wga),
    )
    assert shares.status_code == 422
    assert services.private.shares_of(world.wga, world.case_id, "wga") == set()


def test_a_bad_event_names_its_own_field(client, auth, services, world):
    before = state(services, world)
    event = {"id": "ev-bad", "date": "2023-06-02", "kind": "statement", "party": "wga"}
    response = client.post(f"/cases/{world.case_id}/events", json=event, headers=auth(world.wga))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["summary"]
    unknown_kind = client.post(
        f"/cases/{world.case_id}/events", json={**event, "kind": "picnic"}, headers=auth(world.wga)
    )
    assert unknown_kind.status_code == 422
    assert state(services, world) == before


def test_a_whole_case_with_broken_references_is_a_422_naming_the_field(client, auth, services, world):
    """Found by the fuzzer: a posted case whose party ids repeat raised out of body parsing (500)."""
    before = services.cases.page(world.admin).total
    body = {"id": "dup", "title": "t", "parties": [{"id": "p", "name": "P", "kind": "union"}] * 2}
    response = client.post("/cases", json=body, headers=auth(world.admin))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert [e["field"] for e in response.json()["errors"]] == ["parties[1].id"]
    assert client.get("/cases/dup", headers=auth(world.admin)).status_code == 404
    assert services.cases.page(world.admin).total == before
