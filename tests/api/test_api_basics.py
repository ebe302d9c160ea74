"""The API end to end through HTTP: sign-in, cases, records, versions, problems."""

from server_support import preference_data, sample_case, unique

PROBLEM = "application/problem+json"


def test_sign_in_then_use_the_session_token(client, services, world):
    response = client.post(
        "/auth/login", json={"username": world.wga.username, "password": "correct horse battery"}
    )
    assert response.status_code == 200
    headers = {"Authorization": f"Bearer {response.json()['token']}"}
    assert client.get("/me", headers=headers).json()["username"] == world.wga.username
    cases = client.get("/cases", headers=headers).json()
    assert [c["id"] for c in cases["items"]] == [world.case_id]
    assert cases["items"][0]["role"] == "member" and cases["items"][0]["party"] == "wga"
    assert client.post("/auth/logout", headers=headers).status_code == 204
    gone = client.get("/me", headers=headers)
    assert gone.status_code == 401 and gone.headers["content-type"] == PROBLEM
    assert gone.headers["www-authenticate"] == "Bearer"


def test_wrong_passwords_are_refused_then_rate_limited(client, world):
    body = {"username": world.observer.username, "password": "not the password"}
    statuses = [client.post("/auth/login", json=body).status_code for _ in range(6)]
    assert statuses == [401] * 5 + [429]
    limited = client.post("/auth/login", json={**body, "password": "correct horse battery"})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) > 0


def test_a_proposal_goes_in_and_comes_back(client, auth, world):
    body = {
        "id": "api1",
        "date": "2023-06-01",
        "from": "wga",
        "to": "amptp",
        "positions": {"pay": 5.5, "ai": ["no-training"]},
    }
    created = client.post(f"/cases/{world.case_id}/proposals", json=body, headers=auth(world.wga))
    assert created.status_code == 201, created.text
    got = client.get(f"/cases/{world.case_id}/proposals/api1", headers=auth(world.observer)).json()
    assert got["proposal"]["from"] == "wga" and got["proposal"]["positions"]["pay"]["value"] == 5.5
    assert got["author"] == world.wga.username and got["private_to"] is None
    page = client.get(
        f"/cases/{world.case_id}/proposals", params={"offset": 1, "limit": 2}, headers=auth(world.observer)
    ).json()
    assert page["total"] == 3 and [p["proposal"]["id"] for p in page["items"]] == ["p2", "api1"]


def test_events_of_every_kind_are_accepted_and_filtered(client, auth, world):
    statement = {
        "id": "api-st",
        "date": "2023-06-02",
        "kind": "statement",
        "party": "wga",
        "summary": "We wait.",
    }
    assert (
        client.post(f"/cases/{world.case_id}/events", json=statement, headers=auth(world.wga)).status_code
        == 201
    )
    talks = {"id": "api-t", "date": "2023-06-03", "kind": "talks_held", "parties": ["wga", "amptp"]}
    assert (
        client.post(f"/cases/{world.case_id}/events", json=talks, headers=auth(world.mediator)).status_code
        == 201
    )
    page = client.get(
        f"/cases/{world.case_id}/events", params={"kind": "statement"}, headers=auth(world.observer)
    ).json()
    assert [e["event"]["id"] for e in page["items"]] == ["e2", "api-st"]


def test_a_stale_version_is_refused_never_overwritten(client, auth, world):
    path = f"/cases/{world.case_id}"
    etag = client.get(path, headers=auth(world.admin)).headers["etag"]
    assert client.patch(path, json={"title": "No version"}, headers=auth(world.admin)).status_code == 428
    first = client.patch(path, json={"title": "First"}, headers={**auth(world.admin), "If-Match": etag})
    assert first.status_code == 200 and first.headers["etag"] != etag
    second = client.patch(path, json={"title": "Second"}, headers={**auth(world.admin), "If-Match": etag})
    assert second.status_code == 409 and second.headers["content-type"] == PROBLEM
    assert client.get(path, headers=auth(world.observer)).json()["title"] == "First"


def test_issues_are_versioned_with_etags(client, auth, world):
    path = f"/cases/{world.case_id}/issues/staffing"
    current = client.get(path, headers=auth(world.observer))
    body = {**current.json()["issue"], "options": ["none", "some", "full", "more"]}
    updated = client.put(path, json=body, headers={**auth(world.admin), "If-Match": current.headers["etag"]})
    assert updated.status_code == 200 and updated.json()["version"] == 2
    stale = client.put(path, json=body, headers={**auth(world.admin), "If-Match": current.headers["etag"]})
    assert stale.status_code == 409
    history = client.get(f"{path}/history", headers=auth(world.observer)).json()
    assert [len(h["issue"]["options"]) for h in history] == [3, 4]


def test_private_data_through_the_api(client, auth, world):
    base = f"/cases/{world.case_id}/parties/wga"
    put = client.put(f"{base}/preferences", json=preference_data("wga"), headers=auth(world.wga))
    assert put.status_code == 200 and put.headers["etag"] == '"1"'
    assert client.get(f"{base}/preferences", headers=auth(world.amptp)).status_code == 403
    assert client.get(f"{base}/preferences", headers=auth(world.outsider)).status_code == 404
    grants = {"grants": [{"kind": "preferences", "grantee": "mediators"}]}
    assert client.put(f"{base}/shares", json=grants, headers=auth(world.wga)).json() == grants
    assert (
        client.get(f"{base}/preferences", headers=auth(world.mediator)).json()["payload"]["weights"]["pay"]
        == 2.0
    )
    note = client.post(f"{base}/notes", json={"text": "Hold on AI"}, headers=auth(world.wga)).json()
    assert note["item_id"] == "note-1"
    audit = client.get(
        f"/cases/{world.case_id}/audit", params={"limit": 500}, headers=auth(world.admin)
    ).json()
    actions = {(e["actor"], e["action"]) for e in audit["items"]}
    assert (world.mediator.username, "preferences.read") in actions and (
        world.wga.username,
        "notes.write",
    ) in actions


def test_server_admins_import_cases_and_manage_members(client, auth, services, world):
    case = sample_case(unique("imp")).model_dump(mode="json", by_alias=True)
    assert client.post("/cases", json=case, headers=auth(world.admin)).status_code == 403
    created = client.post("/cases", json=case, headers=auth(world.server_admin))
    assert created.status_code == 201
    assert client.post("/cases", json=case, headers=auth(world.server_admin)).status_code == 409
    member = client.put(
        f"/cases/{case['id']}/members/{world.observer.username}",
        json={"role": "observer"},
        headers=auth(world.server_admin),
    )
    assert member.status_code == 200
    exported = client.get(f"/cases/{case['id']}/export", headers=auth(world.observer)).json()
    assert exported == services.cases.view(world.observer, case["id"]).model_dump(mode="json", by_alias=True)
    bad = client.put(
        f"/cases/{case['id']}/members/{world.observer.username}",
        json={"role": "member", "party": "ghost"},
        headers=auth(world.server_admin),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "party"


def test_unknown_routes_and_methods_are_problems_too(client):
    assert client.get("/nowhere").headers["content-type"] == PROBLEM
    wrong = client.delete("/cases")
    assert wrong.status_code == 405 and wrong.headers["content-type"] == PROBLEM


def test_views_as_of_a_date(client, auth, world):
    base = f"/cases/{world.case_id}/views"
    before = client.get(
        f"{base}/stoppages", params={"as_of": "2023-05-01"}, headers=auth(world.observer)
    ).json()["data"]
    during_view = client.get(
        f"{base}/stoppages", params={"as_of": "2023-05-04"}, headers=auth(world.observer)
    ).json()
    assert {k: during_view[k] for k in ("case", "view", "as_of", "schema_version")} == {
        "case": world.case_id,
        "view": "stoppages",
        "as_of": "2023-05-04",
        "schema_version": 2,
    }
    during = during_view["data"]
    assert before == [] and during[0]["state"] == "in_force"  # a stoppage is listed from its start
    assert (during[0]["day_number"], during[0]["days_completed"]) == (3, 2)
    bad = client.get(f"{base}/gaps", params={"as_of": "May 4th"}, headers=auth(world.observer))
    assert bad.status_code == 422 and bad.json()["errors"][0] | {"message": ""} == {
        "field": "as_of",
        "location": "query",
        "message": "",
    }
    ghost = client.get(f"{base}/gaps", params={"side_a": "ghost"}, headers=auth(world.observer))
    assert ghost.status_code == 422 and ghost.json()["errors"][0]["field"] == "side_a"
    page = client.get(
        f"{base}/timeline", params={"limit": 1, "party": "wga"}, headers=auth(world.observer)
    ).json()
    assert page["total"] >= 1 and len(page["data"]) == 1 and page["view"] == "timeline"
